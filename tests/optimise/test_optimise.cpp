// smesim optimise: designs on the simplex, a search whose optimum is known by
// construction, choice variables, resume, and bad optimisation files.
#include <catch2/catch.hpp>

#include "smesim/analysis/reader.hpp"
#include "smesim/optimise/design.hpp"
#include "smesim/optimise/reference.hpp"
#include "support/helpers.hpp"

using namespace smesim;
using test::run_smesim;

namespace {

/// A programme in `city` of small_scenario() with a USD 1 million grant.
std::string programme(const std::string& city) {
  return "\n[cities." + city + R"(.programme]
grant_usd = 1000000
match_ratio = 1.0
[[cities.)" +
         city +
         R"(.programme.projects]]
name = "test project"
sectors = ["trade", "other_services", "construction"]
budget_share = 1.0
call = "2020-09"
duration_months = 6
)";
}

/// Base (a programme in both cities), counterfactual (none) and an optimisation file
/// with `extra` appended, in `dir`.
void write_problem(const test::TempDir& dir, const std::string& extra, const std::string& objective = "",
                   const std::string& root = "") {
  dir.write("s.toml", test::small_scenario(programme("alpha") + programme("beta")));
  dir.write("none.toml", test::small_scenario());
  dir.write("opt.toml", R"(title = "only beta can use the money"
base = "s.toml"
counterfactual = "none.toml"
replications = 2
evaluations = 20
validation_replications = 3
)" + root +
                            (objective.empty() ? std::string(R"(
[objective]
measure = "spending"
goal = "maximise"
cities = ["beta"]
)")
                                               : objective) +
                            R"(
[budget]
total_usd = 2000000
key = "programme.grant_usd"
cities = ["alpha", "beta"]
)" + extra);
}

}  // namespace

TEST_CASE("stick breaking maps the unit cube onto the simplex and back") {
  const std::vector<double> shares = shares_from_unit({0.5, 0.5, 1.0});
  REQUIRE(shares.size() == 4);
  CHECK(shares[0] == Approx(0.5));
  CHECK(shares[1] == Approx(0.25));
  CHECK(shares[2] == Approx(0.25));
  CHECK(shares[3] == Approx(0.0).margin(1e-15));
  const std::vector<double> z = unit_from_shares({0.25, 0.25, 0.25, 0.25});
  CHECK(z[0] == Approx(0.25));
  CHECK(z[1] == Approx(1.0 / 3));
  CHECK(z[2] == Approx(0.5));
  const std::vector<double> back = shares_from_unit(z);
  for (double s : back) CHECK(s == Approx(0.25));
  CHECK(shares_from_unit({2.0, -1.0})[0] == 1.0);  // out of bounds: clamped, still a split
}

TEST_CASE("optimise finds the known optimum: all of the budget where only it counts") {
  test::TempDir dir;
  write_problem(dir, "");
  const auto r = run_smesim("optimise opt.toml -o best.h5 -q --threads 2", dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Spending in beta counts; the whole budget there (with its cash match) is USD 4 million.
  CHECK_THAT(r.out, Catch::Contains("beats the base design") && Catch::Contains("Against the counterfactual"));
  const ResultReader f(dir.path() / "best.h5", false);
  const std::vector<double> shares = f.values("budget_share");
  const std::size_t best = static_cast<std::size_t>(std::stoll(f.attribute("best_evaluation")));
  CHECK(shares.at(2 * best + 1) > 0.99);
  CHECK(std::stod(f.attribute("validation_best")) > 3.96e6);
  CHECK(std::stod(f.attribute("validation_base")) == Approx(2e6));
  CHECK(f.attribute("distinguishable_from_base") == "yes");
  CHECK(f.values("effect").at(best) == Approx(f.values("objective").at(best)));  // no spending without a programme
  CHECK_FALSE(std::filesystem::exists(dir.path() / "best.h5.runs"));
  const auto again = run_smesim("optimise opt.toml -o best.h5 -q", dir);  // refused before anything runs
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("best.h5: output file exists; use --force"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "best.h5.runs"));
}

TEST_CASE("optimise searches choice variables and minimises") {
  test::TempDir dir;
  write_problem(dir, R"(
[[variables]]
name = "beta_match"
key = "cities.beta.programme.match_ratio"
kind = "choice"
values = [0.0, 1.0, 2.0]
start = 1.0
)",
                R"(
[objective]
measure = "spending"
goal = "minimise"
)");
  const auto r = run_smesim("optimise opt.toml -o best.h5 -q", dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Least spending: all of the budget to beta, with no match there (alpha keeps nothing).
  CHECK_THAT(r.out, Catch::Contains("beta_match = 0  (base 1)"));
  const ResultReader f(dir.path() / "best.h5", false);
  CHECK(std::stod(f.attribute("validation_best")) == Approx(2e6));
}

TEST_CASE("an interrupted optimisation resumes from its runs and gives the same result") {
  test::TempDir dir;
  write_problem(dir, "");
  REQUIRE(run_smesim("optimise opt.toml -o a.h5 -q --keep-runs", dir).exit_code == 0);
  REQUIRE(std::filesystem::exists(dir.path() / "a.h5.runs" / "evaluation-0000.h5"));
  std::filesystem::rename(dir.path() / "a.h5.runs", dir.path() / "b.h5.runs");
  const auto again = run_smesim("optimise opt.toml -o b.h5 -q", dir);
  CHECK(again.exit_code == 2);  // an earlier optimisation's runs: refused without --resume
  CHECK_THAT(again.err, Catch::Contains("b.h5.runs") && Catch::Contains("--resume"));
  const auto resumed = run_smesim("optimise opt.toml -o b.h5 --resume", dir);
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK_THAT(resumed.err, Catch::Contains("(reused)"));
  const ResultReader a(dir.path() / "a.h5", false), b(dir.path() / "b.h5", false);
  CHECK(a.values("objective") == b.values("objective"));
  CHECK(a.values("budget_share") == b.values("budget_share"));
}

TEST_CASE("bad optimisation files exit 2 naming file, line and key, and write nothing") {
  struct Case {
    std::string extra, objective, expected, root = "";
  };
  const std::vector<Case> cases = {
      {"", "", "opt.toml:7:1: evaluatons: unknown key; did you mean 'evaluations'?", "evaluatons = 5\n"},
      {"", "\n[objective]\nmeasure = \"failurs\"\ngoal = \"maximise\"\n",
       "opt.toml:9:11: objective.measure: unknown measure 'failurs'"},
      {"", "\n[objective]\nmeasure = \"failures\"\ngoal = \"up\"\n",
       "opt.toml:10:8: objective.goal: expected one of \"maximise\", \"minimise\""},
      {"", "\n[objective]\nmeasure = \"failures\"\ngoal = \"maximise\"\ncities = [\"gamma\"]\n",
       "opt.toml:11:10: objective.cities: the base scenario has no city 'gamma'"},
      {"", "\n[objective]\nmeasure = \"survival\"\ngoal = \"maximise\"\ncities = [\"beta\"]\n", "'survival' is a rate"},
      {"", "\n[objective]\nmeasure = \"failures\"\ngoal = \"maximise\"\ncities = [\"beta\", \"beta\"]\n",
       "opt.toml:8:1: objective: city 'beta' is listed twice"},
      {"", "", "opt.toml:7:19: validation_seed: must differ from the base scenario's seed (7)",
       "validation_seed = 7\n"},
      {"\n[[variables]]\nkey = \"firms.payout_rat\"\nkind = \"continuous\"\nmin = 0\nmax = 1\n", "",
       "opt.toml:18:1: variables[0] (firms_payout_rat): --set firms.payout_rat=0: firms.payout_rat: unknown key"},
      {"\n[[variables]]\nkey = \"firms.payout_rate\"\nkind = \"choice\"\nvalues = [0.5]\n", "",
       "variables[0]: a choice variable needs 'values', an array of at least two values"},
      {"\n[[variables]]\nkey = \"firms.payout_rate\"\nkind = \"discrete\"\nmin = 0\nmax = 1\n", "",
       "variables[0].kind: expected one of \"continuous\", \"integer\", \"choice\""},
      {"", "", "opt.toml:7:13: algorithm: expected one of \"cobyla\"", "algorithm = \"newton\"\n"},
  };
  for (const Case& c : cases) {
    test::TempDir dir;
    write_problem(dir, c.extra, c.objective, c.root);
    const auto r = run_smesim("optimise opt.toml -o out.h5", dir);
    INFO(c.expected << "\n" << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.expected));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "out.h5"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "out.h5.runs"));
  }
}

TEST_CASE("the reader takes every key the reference documents") {
  test::TempDir dir;
  write_problem(dir, R"(
[[variables]]
name = "payout"
keys = ["firms.payout_rate"]
kind = "continuous"
min = 0.2
max = 0.8
start = 0.5

[[variables]]
key = "firms.months_to_fail"
kind = "integer"
min = 1
max = 3

[[variables]]
key = "cities.beta.programme.match_mode"
kind = "choice"
values = ["cash", "in_kind"]
)",
                R"(
[objective]
measure = "failures"
goal = "minimise"
cities = ["alpha"]
first = "2020-06"
last = "2021-12"
)",
                "set = [\"simulation.months=24\"]\nvalidation_seed = 9\nalgorithm = \"bobyqa\"\n");
  const Problem p = load_problem(dir.path() / "opt.toml");
  CHECK(p.variables.size() == 3);
  CHECK(p.validation_seed == 9);
  std::string text = "\n";
  text += test::slurp(dir.path() / "opt.toml");
  for (const SectionDoc& section : optimisation_reference())
    for (const KeyDoc& key : section.keys) {
      INFO(section.id << "." << key.key);
      const bool table = key.type == "table" || key.type == "array of tables";
      CHECK_THAT(text, Catch::Contains(table ? key.key : "\n" + key.key + " ="));
    }
}

TEST_CASE("the shipped optimisation file is valid") {
  const Problem p = load_problem(test::source_path("scenarios/optimise/allocation.toml"));
  REQUIRE(p.budget);
  CHECK(p.budget->cities.size() == 6);
  CHECK(p.budget->total_usd == 12e6);
  CHECK(p.variables.size() == 6);
  CHECK(p.objective.measure == "failures");
  CHECK(!p.counterfactual.empty());
  CHECK(p.validation_seed != p.seed);
}
