// set_key(): --seed, --replications and sweep points set on the loaded scenario give the
// scenario the old --set text path gave, with the loader's checks and messages.
#include <catch2/catch.hpp>
#include <charconv>

#include "smesim/core/error.hpp"
#include "smesim/scenario/loader.hpp"
#include "smesim/scenario/sweep.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

const std::string kEconomy = R"(
[cities.alpha.programme]
grant_usd = 1000000
[[cities.alpha.programme.projects]]
sectors = ["trade"]
budget_share = 1.0
call = "2021-06"
[cities.alpha.hazard]
annual_probability = 0.1
)";

Scenario base() { return parse_scenario(test::small_scenario(kEconomy), "s.toml"); }

/// The value as the old sweep path printed it into a --set string.
std::string old_text(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

/// The message of setting `key` to `value` (a double or a long long) on the base scenario.
template <class Value>
std::string set_error(const std::string& key, Value value) {
  Scenario sc = base();
  try {
    set_key(sc, key, value);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  FAIL("no error");
  return "";
}

}  // namespace

TEST_CASE("set_key gives the scenario the --set text path gives, derived matrices included") {
  const std::vector<std::pair<std::string, double>> decimals = {{"firms.payout_rate", 0.37},
                                                                {"cities.alpha.wage_usd", 321.123456789},
                                                                {"demand.local_input_share", 0.2},
                                                                {"sectors.trade.input_share", 0.5},
                                                                {"cities.alpha.programme.match_ratio", 2.5},
                                                                {"cities.beta.procurement.barrier", 0.1 + 0.2},
                                                                {"cities.alpha.hazard.severity", 1.0 / 3},
                                                                {"simulation.population_scale", 0.02}};
  for (const auto& [key, value] : decimals) {
    INFO(key);
    Scenario sc = base();
    set_key(sc, key, value);
    const Scenario old = parse_scenario(test::small_scenario(kEconomy), "s.toml", {key + "=" + old_text(value)});
    CHECK(to_toml(sc) == to_toml(old));
    for (std::size_t c = 0; c < sc.cities.size(); ++c) CHECK(sc.cities[c].input_output == old.cities[c].input_output);
  }
  const std::vector<std::pair<std::string, long long>> integers = {
      {"simulation.seed", 4294967295LL}, {"simulation.replications", 3},
      {"firms.months_to_fail", 4},       {"cities.alpha.procurement.payment_delay_months", 0},
      {"cities.beta.smes", 5000},        {"firms.credit_months_small", 3}};
  for (const auto& [key, value] : integers) {
    INFO(key);
    Scenario sc = base();
    set_key(sc, key, value);
    const Scenario old = parse_scenario(test::small_scenario(kEconomy), "s.toml", {key + "=" + std::to_string(value)});
    CHECK(to_toml(sc) == to_toml(old));
  }
}

TEST_CASE("set_key checks the value as the loader checks the key, in the loader's words") {
  CHECK(set_error("firms.payout_rate", 1.5) == "firms.payout_rate: value 1.5 is out of range; expected 0 to 1");
  CHECK(set_error("simulation.seed", -1LL) == "simulation.seed: value -1 is out of range; expected 0 to 4294967295");
  CHECK(set_error("simulation.replications", 0LL) ==
        "simulation.replications: value 0 is out of range; expected 1 to 1000000");
  CHECK(set_error("simulation.seed", 2.0) == "simulation.seed: expected an integer, found a number");
  CHECK(set_error("firms.payout_rat", 0.5) == "firms.payout_rat: unknown key; did you mean 'payout_rate'?");
  CHECK(set_error("cities.alpha.procurement.reform", 1LL) ==
        "cities.alpha.procurement.reform: expected true or false, found an integer");
  CHECK(set_error("simulation.start", 2021.0) == "simulation.start: expected a string, found a number");
  CHECK(set_error("sectors.trade.labour_share", 0.5) ==
        "sectors.trade: input_share + labour_share + fixed_cost_share = 1.29; expected less than 1 (a positive "
        "baseline margin)");
  CHECK(set_error("size_classes.small_max", 5LL) == "size_classes: expected micro_max < small_max < medium_max");
  CHECK(set_error("cities.beta.smes", 10LL) ==
        "cities.beta: smes x population_scale rounds to 0 firms; raise simulation.population_scale");
  CHECK_THAT(set_error("cities.beta.programme.match_ratio", 2.0),
             Catch::StartsWith("cities.beta.programme: no such section in this scenario"));
  CHECK(set_error("payout_rate", 0.5) == "payout_rate: expected a key path such as firms.payout_rate");
}

TEST_CASE("a sweep point is the base scenario with the point's values, as the --set text path gave it") {
  test::TempDir dir;
  dir.write("base.toml", test::small_scenario(kEconomy));
  const auto file = dir.write("sweep.toml", R"(base = "base.toml"
design = "latin_hypercube"
points = 4
replications = 3
[[parameters]]
key = "demand.local_input_share"
min = 0.1
max = 0.6
[[parameters]]
key = "firms.months_to_fail"
min = 1
max = 6
integer = true
)");
  const Sweep sweep = load_sweep(file, {"firms.payout_rate=0.4"});
  for (std::size_t p = 0; p < sweep.values.size(); ++p) {
    const std::vector<std::string> old_set = {
        "firms.payout_rate=0.4", "simulation.replications=3",
        "demand.local_input_share=" + old_text(sweep.values[p][0]),
        "firms.months_to_fail=" + std::to_string(std::llround(sweep.values[p][1]))};
    CHECK(to_toml(sweep.scenarios[p]) == to_toml(load_scenario(dir.path() / "base.toml", old_set)));
  }
}

TEST_CASE("a bad sweep value names the sweep file, the point and the key") {
  test::TempDir dir;
  dir.write("base.toml", test::small_scenario());
  const auto file = dir.write("sweep.toml",
                              "base = \"base.toml\"\ndesign = \"grid\"\n[[parameters]]\n"
                              "key = \"firms.months_to_fail\"\nvalues = [2, 2.5]\n");
  try {
    load_sweep(file);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          file.string() + ": point 0: firms.months_to_fail: expected an integer, found a number");
  }
}
