// Sweep designs: grid, Latin hypercube, Morris and Sobol properties; strict sweep files.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "smesim/core/error.hpp"
#include "smesim/scenario/sweep.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

Sweep sweep_from(const std::string& body) {
  static test::TempDir dir;
  dir.write("base.toml", test::small_scenario());
  return load_sweep(dir.write("sweep.toml", "base = \"base.toml\"\n" + body));
}

std::string sweep_error(const std::string& body) {
  try {
    sweep_from(body);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  FAIL("no error");
  return "";
}

const std::string kTwoRanges = R"(
[[parameters]]
key = "firms.payout_rate"
min = 0.2
max = 0.8
[[parameters]]
keys = ["cities.alpha.wage_usd", "cities.beta.wage_usd"]
name = "wage"
min = 100
max = 500
)";

}  // namespace

TEST_CASE("a grid is the full product of the value lists, last parameter fastest") {
  const Sweep s = sweep_from(R"(design = "grid"
replications = 3
[[parameters]]
key = "firms.payout_rate"
values = [0.2, 0.5]
[[parameters]]
key = "firms.months_to_fail"
min = 1
max = 3
steps = 3
integer = true
)");
  REQUIRE(s.values.size() == 6);
  CHECK(s.values[0] == std::vector<double>{0.2, 1});
  CHECK(s.values[1] == std::vector<double>{0.2, 2});
  CHECK(s.values[5] == std::vector<double>{0.5, 3});
  const Scenario& p = s.scenarios[5];
  CHECK(p.firms.payout_rate == 0.5);
  CHECK(p.firms.months_to_fail == 3);
  CHECK(p.simulation.replications == 3);
  CHECK(p.simulation.seed == 7);  // every point keeps the base seed: common random numbers
}

TEST_CASE("a Latin hypercube fills every stratum of every parameter exactly once") {
  const Sweep s = sweep_from("design = \"latin_hypercube\"\npoints = 20\nseed = 5\n" + kTwoRanges);
  REQUIRE(s.unit_points.size() == 20);
  for (std::size_t k = 0; k < 2; ++k) {
    std::set<int> strata;
    for (const auto& u : s.unit_points) {
      REQUIRE(u[k] >= 0.0);
      REQUIRE(u[k] < 1.0);
      strata.insert(static_cast<int>(u[k] * 20));
    }
    CHECK(strata.size() == 20);
  }
  CHECK(s.parameters[1].name == "wage");
  const Scenario& p = s.scenarios[7];
  CHECK(p.cities[0].wage_usd == Approx(s.values[7][1]));
  CHECK(p.cities[1].wage_usd == Approx(s.values[7][1]));
  // The design is a function of its seed.
  CHECK(sweep_from("design = \"latin_hypercube\"\npoints = 20\nseed = 5\n" + kTwoRanges).unit_points == s.unit_points);
  CHECK(sweep_from("design = \"latin_hypercube\"\npoints = 20\nseed = 6\n" + kTwoRanges).unit_points != s.unit_points);
}

TEST_CASE("Morris trajectories change one parameter at a time by delta") {
  const Sweep s = sweep_from("design = \"morris\"\ntrajectories = 5\nlevels = 4\n" + kTwoRanges);
  const double delta = s.morris_delta();
  CHECK(delta == Approx(4.0 / 6.0));
  REQUIRE(s.unit_points.size() == 5 * 3);
  for (int t = 0; t < 5; ++t) {
    std::set<std::size_t> moved;
    for (int j = 0; j < 2; ++j) {
      const auto& a = s.unit_points[t * 3 + j];
      const auto& b = s.unit_points[t * 3 + j + 1];
      int changed = 0;
      for (std::size_t k = 0; k < 2; ++k) {
        if (a[k] != b[k]) {
          ++changed, moved.insert(k);
          CHECK(b[k] - a[k] == Approx(delta));
        }
        CHECK(b[k] <= 1.0 + 1e-12);
      }
      CHECK(changed == 1);
    }
    CHECK(moved.size() == 2);  // each parameter moves once per trajectory
  }
}

TEST_CASE("a Sobol design is Saltelli's: A, B and A with one column from B, per base sample") {
  const Sweep s = sweep_from("design = \"sobol\"\npoints = 8\n" + kTwoRanges);
  const std::size_t K = 2, N = 8;
  REQUIRE(s.unit_points.size() == N * (K + 2));
  std::set<int> strata[2][2];  // [matrix A or B][parameter]
  for (std::size_t j = 0; j < N; ++j) {
    const auto& a = s.unit_points[j * (K + 2)];
    const auto& b = s.unit_points[j * (K + 2) + 1];
    for (std::size_t k = 0; k < K; ++k) {
      strata[0][k].insert(static_cast<int>(a[k] * N));
      strata[1][k].insert(static_cast<int>(b[k] * N));
      CHECK(a[k] != b[k]);
    }
    for (std::size_t i = 0; i < K; ++i) {
      const auto& ab = s.unit_points[j * (K + 2) + 2 + i];
      for (std::size_t k = 0; k < K; ++k) CHECK(ab[k] == (k == i ? b[k] : a[k]));
    }
  }
  for (auto& matrix : strata)
    for (auto& column : matrix) CHECK(column.size() == N);  // A and B are Latin hypercubes
  CHECK(s.values[0][1] == Approx(100 + 400 * s.unit_points[0][1]));
  CHECK_THAT(sweep_error("design = \"sobol\"\n[[parameters]]\nkey = \"firms.payout_rate\"\nvalues = [0.1, 0.2]\n"),
             Catch::Contains("needs 'min' < 'max' for a sobol design"));
}

TEST_CASE("bad sweep files are errors naming file, line and key") {
  CHECK_THAT(sweep_error("design = \"random\"\n" + kTwoRanges),
             Catch::Contains("sweep.toml:2:10") && Catch::Contains("expected one of"));
  CHECK_THAT(sweep_error("design = \"grid\"\n" + kTwoRanges),
             Catch::Contains("parameters[0]") && Catch::Contains("needs 'values'"));
  CHECK_THAT(sweep_error("design = \"morris\"\nlevels = 3\n" + kTwoRanges), Catch::Contains("levels must be even"));
  CHECK_THAT(sweep_error("design = \"grid\"\n[[parameters]]\nkey = \"firms.payout_rat\"\nvalues = [0.1]\n"),
             Catch::Contains("point 0") && Catch::Contains("did you mean 'payout_rate'"));
  CHECK_THAT(sweep_error("design = \"grid\"\n[[parameters]]\nkey = \"firms.payout_rate\"\nvalues = [0.1, 2.0]\n"),
             Catch::Contains("point 1") && Catch::Contains("out of range"));
  CHECK_THAT(
      sweep_error(
          "design = \"grid\"\n[[parameters]]\nkey = \"simulation.months\"\nvalues = [12, 24]\ninteger = true\n"),
      Catch::Contains("sweep.toml: point 1 has simulation.months = 24 (parameter 'simulation_months'); "
                      "expected point 0's 12: the points of a sweep share one result file, so a sweep may not vary "
                      "simulation.months"));
  CHECK_THAT(sweep_error("design = \"grid\"\n[[parameters]]\nkey = \"firms.payout_rate\"\nvalues = [0.1]\nstep = 2\n"),
             Catch::Contains("unknown key") && Catch::Contains("did you mean 'steps'"));
  CHECK_THAT(sweep_error("design = \"grid\"\n"), Catch::Contains("missing required array [[parameters]]"));
}

TEST_CASE("a key varied twice, and a design too large to build, are refused before any point is built") {
  CHECK_THAT(sweep_error("design = \"grid\"\n[[parameters]]\nkey = \"firms.payout_rate\"\nvalues = [0.1]\n"
                         "[[parameters]]\nname = \"again\"\nkey = \"firms.payout_rate\"\nvalues = [0.2]\n"),
             Catch::Contains("sweep.toml:6:1: parameters[1]: key 'firms.payout_rate' is also varied by parameter "
                             "'firms_payout_rate'; a key may be varied by one parameter only"));
  CHECK_THAT(sweep_error("design = \"grid\"\n[[parameters]]\n"
                         "keys = [\"cities.alpha.wage_usd\", \"cities.alpha.wage_usd\"]\nvalues = [100]\n"),
             Catch::Contains("key 'cities.alpha.wage_usd' is listed twice"));
  CHECK_THAT(
      sweep_error("design = \"grid\"\n[[parameters]]\nkey = \"firms.payout_rate\"\nmin = 0.1\nmax = 0.9\n"
                  "steps = 1000\n[[parameters]]\nkey = \"firms.demand_volatility\"\nmin = 0.1\nmax = 0.9\n"
                  "steps = 1000\n"),
      Catch::Contains("sweep.toml: the grid design has 1000000 points (1000 x 1000); at most 100000 are allowed"));
}

TEST_CASE("a sweep that varies the replications per point fails when read, naming file, parameter and expectation") {
  // set_key accepts simulation.replications, but one result file has one replication count.
  const std::string error = sweep_error(
      "design = \"grid\"\nreplications = 2\n[[parameters]]\nname = \"reps\"\nkey = \"simulation.replications\"\n"
      "values = [2, 3]\ninteger = true\n");
  CHECK_THAT(error, Catch::EndsWith("sweep.toml: point 1 has simulation.replications = 3 (parameter 'reps'); expected "
                                    "point 0's 2: the points of a sweep share one result file, so a sweep may not vary "
                                    "simulation.replications (set the sweep's `replications` instead)"));
  // The same value at every point is one replication count: allowed, and it is what runs.
  const Sweep s = sweep_from(
      "design = \"grid\"\nreplications = 2\n[[parameters]]\nkey = \"simulation.replications\"\nvalues = [3]\n"
      "integer = true\n[[parameters]]\nkey = \"firms.payout_rate\"\nvalues = [0.2, 0.5]\n");
  REQUIRE(s.scenarios.size() == 2);
  CHECK(s.scenarios[0].simulation.replications == 3);
  CHECK(s.scenarios[1].simulation.replications == 3);
  CHECK(s.scenarios[1].firms.payout_rate == 0.5);
}

TEST_CASE("a sweep file's `set` changes the base at every point, and the command line's --set wins") {
  static test::TempDir dir;
  dir.write("base.toml", test::small_scenario());
  const auto sweep = dir.write("sweep.toml",
                               "base = \"base.toml\"\nset = [\"simulation.population_scale=0.5\", "
                               "\"firms.payout_rate=0.3\"]\ndesign = \"grid\"\n[[parameters]]\n"
                               "key = \"firms.months_to_fail\"\nvalues = [1, 2]\ninteger = true\n");
  const Sweep s = load_sweep(sweep);
  REQUIRE(s.scenarios.size() == 2);
  for (const Scenario& p : s.scenarios) {
    CHECK(p.simulation.population_scale == 0.5);
    CHECK(p.firms.payout_rate == 0.3);
  }
  const Sweep t = load_sweep(sweep, {"simulation.population_scale=0.25"});
  for (const Scenario& p : t.scenarios) {
    CHECK(p.simulation.population_scale == 0.25);
    CHECK(p.firms.payout_rate == 0.3);
  }
  CHECK_THAT(sweep_error("set = [\"firms.payout_rate=7\"]\ndesign = \"grid\"\n[[parameters]]\n"
                         "key = \"firms.months_to_fail\"\nvalues = [1]\ninteger = true\n"),
             Catch::Contains("sweep.toml: set: --set firms.payout_rate=7: firms.payout_rate: value 7 is out of "
                             "range; expected 0 to 1"));
  // The command line wins over the file's `set`, also over a value that alone is out of range.
  const auto fixed = dir.write("fixed.toml",
                               "base = \"base.toml\"\nset = [\"firms.payout_rate=7\"]\ndesign = \"grid\"\n"
                               "[[parameters]]\nkey = \"firms.months_to_fail\"\nvalues = [1]\n"
                               "integer = true\n");
  CHECK(load_sweep(fixed, {"firms.payout_rate=0.3"}).scenarios[0].firms.payout_rate == 0.3);
  CHECK_THAT(sweep_error("set = \"firms.payout_rate=0.3\"\ndesign = \"grid\"\n" + kTwoRanges),
             Catch::Contains("sweep.toml:2:7") && Catch::Contains("set"));
}

TEST_CASE("the shipped sweeps are valid") {
  for (const char* name : {"scenarios/sweeps/programme-design.toml", "scenarios/sweeps/behaviour-morris.toml",
                           "scenarios/sweeps/behaviour-sobol.toml"}) {
    INFO(name);
    const Sweep s = load_sweep(test::source_path(name));
    CHECK(s.values.size() > 1);
    CHECK(s.scenarios.size() == s.values.size());
  }
}
