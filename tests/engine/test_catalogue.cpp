// The catalogue of spending variables and money rows: what the result file marks is what
// compare's spending sums (and so what cost_per_job_year divides by).
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "smesim/analysis/compare.hpp"
#include "smesim/engine/catalogue.hpp"
#include "smesim/engine/ensemble.hpp"
#include "smesim/engine/results.hpp"
#include "support/engine_helpers.hpp"

using namespace smesim;

namespace {

const std::string kStimulus = R"(
[[policies]]
kind = "wage_subsidy"
start = "2020-04"
end = "2020-10"
cities = ["alpha"]
[[policies]]
kind = "grant"
start = "2020-05"
cities = ["alpha"]
)";

std::filesystem::path run(const test::TempDir& dir, const std::string& name, const std::string& text) {
  auto sc = std::make_shared<const Scenario>(parse_scenario(text, name, {"simulation.replications=3"}));
  RunRequest req;
  req.output = dir.path() / (name + ".h5");
  run_to_file(single_run(sc), req);
  return req.output;
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::vector<std::string> spending_names() {
  std::vector<std::string> out;
  for (const SpendingVariable& v : spending_variables()) out.push_back(v.name);
  return out;
}

}  // namespace

TEST_CASE("every variable a result file marks as spending is in compare's spending") {
  test::TempDir dir;
  const auto none = run(dir, "none", test::small_scenario());
  const auto with = run(dir, "with", test::small_scenario(test::kAlphaProgramme + kStimulus));
  const ResultReader a(none), b(with);
  const auto sc = test::scenario(test::small_scenario());
  std::vector<std::string> marked;
  for (const Variable& v : result_schema(*sc, OutputLevel::kSummary, {}).vars)
    if (!b.attribute(v.name, "spending_label").empty()) marked.push_back(v.name);
  INFO("marked in the file: " << Catch::Detail::stringify(marked));
  CHECK(marked.size() >= 4);
  CHECK(words(b.attribute("spending_variables")) == spending_names());
  for (const std::string& name : marked)
    CHECK(std::find(spending_names().begin(), spending_names().end(), name) != spending_names().end());

  // compare's spending is the sum of the marked variables over the months (B - A).
  const Comparison c = compare(a, b, {}, {"spending"});
  double expected = 0;
  const std::size_t months = b.shape("time").at(0);
  for (const std::string& name : marked) {
    const CityCube xa(a, name), xb(b, name);
    for (std::size_t r = 0; r < xb.reps(); ++r)
      for (std::size_t t = 0; t < months; ++t) expected += (xb.at(r, t, 0) - xa.at(r, t, 0)) / double(xb.reps());
  }
  REQUIRE(!c.rows.empty());
  CHECK(c.rows.front().city == "alpha");
  CHECK(c.rows.front().paired.mean == Approx(expected).epsilon(1e-12));
  CHECK(expected > 0);
}

TEST_CASE("the money rows are marked in the file, in order, with a known reduction") {
  test::TempDir dir;
  const ResultReader f(run(dir, "with", test::small_scenario(test::kAlphaProgramme + kStimulus)));
  std::vector<std::string> names;
  for (const MoneyRow& m : money_rows()) {
    names.push_back(m.variable);
    INFO(m.variable);
    CHECK(f.attribute(m.variable, "money_label") == m.label);
    CHECK(f.attribute(m.variable, "money_reduction") == m.reduction);
    CHECK(std::set<std::string>{"sum", "first", "last", "max", "last_index"}.count(m.reduction) == 1);
  }
  CHECK(words(f.attribute("money_rows")) == names);
  CHECK(f.attribute("employment", "money_label").empty());
}
