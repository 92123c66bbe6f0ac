// Scenario loading: defaults, inheritance, overrides, and an error for every kind of bad input.
#include <catch2/catch.hpp>

#include "smesim/core/error.hpp"
#include "smesim/scenario/loader.hpp"
#include "support/helpers.hpp"

using namespace smesim;
using test::small_scenario;

namespace {

/// The message of the ScenarioError `f` throws; fails the test if it throws nothing.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e.what();
  }
  FAIL("no ScenarioError thrown");
  return "";
}

std::string parse_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return error_of([&] { parse_scenario(text, "bad.toml", overrides); });
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a minimal scenario resolves with the documented defaults") {
  const Scenario sc = parse_scenario(small_scenario(), "ok.toml");
  CHECK(sc.cities.size() == 2);
  CHECK(sc.cities[0].name == "alpha");
  CHECK(sc.sectors.size() == 8);
  CHECK(sc.sectors[4].name == "accommodation_food");
  CHECK(sc.sectors[4].demand_exposure == 0.80);
  CHECK(sc.sectors[4].buffer_days == 16);
  CHECK(sc.firms.payout_rate == 0.5);
  CHECK(sc.firms.months_to_fail == 1);
  CHECK(sc.simulation.start == YearMonth{2020, 1});
  CHECK(sc.cities[0].waves.size() == 1);
  CHECK(sc.cities[0].waves[0].peak_months == 2);
  CHECK(sc.cities[0].waves[0].end == YearMonth{2021, 6});
  CHECK(sc.total_months() == 36);
}

TEST_CASE("the resolved text loads back to the same scenario") {
  const Scenario sc = parse_scenario(small_scenario(), "ok.toml");
  const std::string text = to_toml(sc);
  CHECK(to_toml(parse_scenario(text, "resolved.toml")) == text);
  CHECK(text.find("payout_rate = 0.5") != std::string::npos);
}

TEST_CASE("overrides (--set) reach any key, with TOML values or bare strings") {
  const Scenario sc = parse_scenario(
      small_scenario(), "ok.toml",
      {"simulation.months=12", "firms.payout_rate=0.25", "cities.alpha.name=Alpha City", "cities.beta.waves=[]"});
  CHECK(sc.simulation.months == 12);
  CHECK(sc.firms.payout_rate == 0.25);
  CHECK(sc.cities[0].name == "Alpha City");
  CHECK(sc.cities[1].waves.empty());
  const std::string msg = parse_error(small_scenario(), {"simulation.months=0"});
  CHECK_THAT(msg, Catch::Contains("--set simulation.months=0") && Catch::Contains("out of range"));
  CHECK_THAT(parse_error(small_scenario(), {"firms.payout_rat=0.2"}), Catch::Contains("did you mean 'payout_rate'"));
  CHECK_THAT(parse_error(small_scenario(), {"novalue"}), Catch::Contains("expected path.to.key=value"));
}

TEST_CASE("one --set sets one key: a line break or a second key is refused") {
  CHECK_THAT(parse_error(small_scenario(), {"simulation.months=12\nsimulation.seed=5"}),
             Catch::Contains("--set simulation.months=12\nsimulation.seed=5") && Catch::Contains("line break") &&
                 Catch::Contains("expected KEY=VALUE"));
  CHECK_THAT(parse_error(small_scenario(), {"simulation.months=12\r"}), Catch::Contains("expected KEY=VALUE"));
  // One key whose value is an inline table is still one key.
  CHECK(parse_scenario(small_scenario(), "ok.toml", {"cities.alpha.size_shares={micro=0.89, small=0.1}"})
            .cities[0]
            .size_shares[0] == 0.89);
}

TEST_CASE("a city table no cities list selects is an error suggesting the closest city") {
  CHECK_THAT(parse_error(small_scenario("\n[cities.alpah]\nsmes = 10\n")),
             Catch::Contains("bad.toml:27:") && Catch::Contains("cities.alpah") &&
                 Catch::Contains("no simulation.cities list") && Catch::Contains("did you mean 'alpha'"));
  CHECK_THAT(parse_error(small_scenario(), {"cities.alpah.smes=10"}),
             Catch::Contains("--set cities.alpah.smes=10") && Catch::Contains("did you mean 'alpha'"));
  // A variant may select fewer cities than its base defines.
  CHECK(parse_scenario(small_scenario(), "ok.toml", {"simulation.cities=[\"beta\"]"}).cities.size() == 1);
}

TEST_CASE("base files are inherited key by key, relative to the including file") {
  test::TempDir dir;
  dir.write("base.toml", small_scenario());
  std::filesystem::create_directories(dir.path() / "variants");
  const auto variant = dir.write("variants/v.toml",
                                 "base = \"../base.toml\"\n[firms]\npayout_rate = 0.3\n"
                                 "[cities.alpha]\nwage_usd = 400\n");
  const Scenario sc = load_scenario(variant);
  CHECK(sc.firms.payout_rate == 0.3);
  CHECK(sc.cities[0].wage_usd == 400);
  CHECK(sc.cities[0].smes == 200000);  // from the base
  CHECK(sc.cities[0].waves.size() == 1);
}

TEST_CASE("inheritance cycles and missing base files are errors naming the file") {
  test::TempDir dir;
  dir.write("a.toml", "base = \"b.toml\"\n");
  dir.write("b.toml", "base = \"a.toml\"\n");
  const std::string cycle = error_of([&] { load_scenario(dir.path() / "a.toml"); });
  CHECK_THAT(cycle, Catch::Contains("b.toml:1:8") && Catch::Contains("inheritance cycle"));
  dir.write("c.toml", "title = \"x\"\nbase = \"missing.toml\"\n");
  const std::string missing = error_of([&] { load_scenario(dir.path() / "c.toml"); });
  CHECK_THAT(missing, Catch::Contains("c.toml:2:8") &&
                          Catch::Contains("missing.toml: cannot read scenario file (no such file)"));
  dir.write("d.toml", "base = \"/dev/zero\"\n");
  CHECK_THAT(error_of([&] { load_scenario(dir.path() / "d.toml"); }), Catch::Contains("not a regular file"));
  CHECK_THAT(error_of([&] { load_scenario(dir.path() / "nope.toml"); }), Catch::Contains("cannot read scenario file"));
}

TEST_CASE("bad scenarios: every error names file, line, column and key") {
  struct Case {
    const char* what;
    std::string text;
    std::vector<const char*> expected;
  };
  const std::string ok = small_scenario();
  const std::vector<Case> cases = {
      {"syntax error", ok + "\n[firms\n", {"bad.toml:27:", "syntax error"}},
      {"unknown key with suggestion",
       ok + "\n[firms]\npayout_rat = 0.4\n",
       {"bad.toml:28:1", "firms.payout_rat", "unknown key", "did you mean 'payout_rate'"}},
      {"unknown top-level table",
       ok + "\n[firm]\npayout_rate = 0.4\n",
       {"bad.toml:27:2", "firm", "did you mean 'firms'"}},
      {"wrong type",
       ok + "\n[firms]\npayout_rate = \"half\"\n",
       {"bad.toml:28:15", "firms.payout_rate", "expected a number, found a string"}},
      {"integer expected", ok + "\n[firms]\nmonths_to_fail = 2.5\n", {"firms.months_to_fail", "expected an integer"}},
      {"NaN", ok + "\n[firms]\npayout_rate = nan\n", {"bad.toml:28:15", "out of range"}},
      {"infinity", ok + "\n[firms]\ninterest_rate = inf\n", {"firms.interest_rate", "out of range"}},
      {"negative",
       ok + "\n[firms]\nmax_fire = -0.1\n",
       {"firms.max_fire", "value -0.1 is out of range; expected 0 to 1"}},
      {"zero replications", ok + "\n[sectors.trade]\nexit_rate = 2\n", {"sectors.trade.exit_rate", "out of range"}},
      {"date out of range",
       ok + "\n[[cities.beta.waves]]\nstart = \"2020-13\"\npeak = 0.5\n",
       {"cities.beta.waves[0].start", "expected a month \"YYYY-MM\""}},
      {"wave end before start",
       ok + "\n[[cities.beta.waves]]\nstart = \"2021-01\"\nend = \"2020-01\"\npeak = 0.5\n",
       {"cities.beta.waves[0]", "must be after start"}},
      {"missing required key in wave",
       ok + "\n[[cities.beta.waves]]\nstart = \"2021-01\"\n",
       {"cities.beta.waves[0]", "missing required key 'peak'"}},
      {"shares do not sum to 1",
       replace(ok, "{ micro = 0.9, small = 0.09, medium = 0.01 }", "{ micro = 0.5 }"),
       {"bad.toml:24:15", "cities.beta.size_shares", "shares sum to 0.5; expected 1"}},
      {"share for an unknown sector",
       replace(ok, "{ manufacturing = 0.2,", "{ retail = 0.1, manufacturing = 0.2,"),
       {"bad.toml:25:19", "cities.beta.sector_shares.retail", "unknown key"}},
      {"non-positive margin", ok + "\n[sectors.trade]\ninput_share = 0.9\n", {"sectors.trade", "expected less than 1"}},
      {"unlisted sector table",
       ok + "\n[sectors.mining]\nexit_rate = 0.1\n",
       {"sectors.mining", "not listed in simulation.sectors"}},
      {"custom sector missing keys",
       R"([simulation]
cities = ["a"]
sectors = ["mining"]
[sectors.mining]
exit_rate = 0.1
[cities.a]
smes = 10
wage_usd = 100
size_shares = { micro = 1.0 }
sector_shares = { mining = 1.0 }
)",
       {"bad.toml:4:1", "sectors.mining", "missing required key 'demand_exposure'"}},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const std::string msg = parse_error(c.text);
    INFO(msg);
    for (const char* e : c.expected) CHECK_THAT(msg, Catch::Contains(e));
  }
}

TEST_CASE("city list errors: nine cities, duplicates, undefined ids, missing keys, zero firms") {
  std::string nine = "[simulation]\ncities = [\"c1\",\"c2\",\"c3\",\"c4\",\"c5\",\"c6\",\"c7\",\"c8\",\"c9\"]\n";
  CHECK_THAT(parse_error(nine), Catch::Contains("bad.toml:2:10") && Catch::Contains("expected 1 to 8 cities, found 9"));
  CHECK_THAT(parse_error("[simulation]\ncities = [\"a\", \"a\"]\n"), Catch::Contains("listed twice"));
  CHECK_THAT(parse_error(small_scenario(), {"simulation.cities=[\"alpah\"]"}),
             Catch::Contains("no [cities.alpah] table") && Catch::Contains("did you mean 'alpha'"));
  CHECK_THAT(parse_error("[simulation]\nmonths = 3\n"), Catch::Contains("missing required key 'cities'"));
  CHECK_THAT(parse_error(small_scenario(), {"cities.beta.smes=\"many\""}), Catch::Contains("expected an integer"));
  CHECK_THAT(parse_error(small_scenario(), {"cities.beta.smes=10"}), Catch::Contains("rounds to 0 firms"));
  CHECK_THAT(parse_error(small_scenario(), {"cities.beta.smes=-5"}), Catch::Contains("out of range"));
  CHECK_THAT(parse_error(small_scenario(), {"simulation.population_scale=0"}), Catch::Contains("out of range"));
  CHECK_THAT(parse_error(small_scenario(), {"size_classes.small_max=5"}), Catch::Contains("micro_max < small_max"));
}

TEST_CASE("the shipped scenarios are valid") {
  for (const char* name : {"scenarios/ccrs-2021.toml", "scenarios/no-shock.toml"}) {
    INFO(name);
    const Scenario sc = load_scenario(test::source_path(name));
    CHECK(sc.cities.size() == 8);
    CHECK(sc.sectors.size() == 8);
  }
  const Scenario sc = load_scenario(test::source_path("scenarios/no-shock.toml"));
  for (const auto& c : sc.cities) {
    CHECK(c.waves.empty());
    CHECK(c.stringency.empty());
  }
  // The pandemic scenarios take their stringency from the OxCGRT series, by country or state.
  const Scenario ccrs = load_scenario(test::source_path("scenarios/ccrs-2021.toml"));
  const std::vector<std::string> series = {"oxcgrt:THA", "oxcgrt:MYS", "oxcgrt:IDN",    "oxcgrt:IDN",
                                           "oxcgrt:VNM", "oxcgrt:VNM", "oxcgrt:IND_TN", "oxcgrt:IND_MH"};
  for (std::size_t c = 0; c < ccrs.cities.size(); ++c) {
    INFO(ccrs.cities[c].id);
    CHECK(ccrs.cities[c].stringency == series[c]);
    CHECK(ccrs.cities[c].waves.empty());
  }
}

TEST_CASE("economy sections: programme, hazards, policies and input-output resolve and round-trip") {
  const std::string text = small_scenario(R"(
[cities.alpha.programme]
grant_usd = 1000000
match_mode = "in_kind"
[[cities.alpha.programme.projects]]
name = "p"
sectors = ["trade"]
budget_share = 0.5
call = "2021-01"
[cities.alpha.hazard]
annual_probability = 0.1
events = ["2022-10"]
[cities.beta.input_output]
trade = { manufacturing = 0.1 }
[[policies]]
kind = "grant"
start = "2020-05"
cities = ["beta"]
[[policies]]
kind = "debt_moratorium"
start = "2020-04"
end = "2020-10"
)");
  const Scenario sc = parse_scenario(text, "ok.toml");
  REQUIRE(sc.cities[0].programme);
  CHECK(sc.cities[0].programme->match_mode == MatchMode::kInKind);
  CHECK(sc.cities[0].programme->budget_usd() == 1000000);
  CHECK(sc.cities[0].programme->projects[0].sector_index == std::vector<int>{2});
  CHECK(sc.cities[0].hazard->sector_index.size() == 8);
  CHECK(sc.cities[1].input_output[0][2] == 0.1);                         // trade buys 0.1 of manufacturing
  CHECK(sc.cities[1].input_output[2][0] == 0.0);                         // nothing else in beta's own table
  CHECK(sc.cities[0].input_output[2][0] == Approx(0.35 * 0.62 * 0.20));  // default: share x phi x weight
  CHECK(sc.policies.size() == 2);
  CHECK(sc.policies[0].city_index == std::vector<int>{1});
  CHECK(sc.policies[1].city_index == std::vector<int>{0, 1});
  const std::string resolved = to_toml(sc);
  CHECK(to_toml(parse_scenario(resolved, "resolved.toml")) == resolved);
}

TEST_CASE("economy sections: bad values are errors naming file, line and key") {
  const std::string ok = small_scenario();
  const std::string programme = "\n[cities.alpha.programme]\ngrant_usd = 1000\n";
  struct Case {
    const char* what;
    std::string text;
    std::vector<const char*> expected;
  };
  const std::vector<Case> cases = {
      {"match mode",
       ok + programme + "match_mode = \"both\"\n",
       {"bad.toml:29:14", "cities.alpha.programme.match_mode", "expected one of \"cash\", \"in_kind\""}},
      {"unknown project sector",
       ok + programme +
           "[[cities.alpha.programme.projects]]\nname = \"p\"\nsectors = [\"retail\"]\nbudget_share = 0.5\ncall = "
           "\"2021-01\"\n",
       {"cities.alpha.programme.projects[0].sectors", "unknown sector 'retail'"}},
      {"project shares",
       ok + programme +
           "[[cities.alpha.programme.projects]]\nsectors = [\"trade\"]\nbudget_share = 0.7\ncall = \"2021-01\"\n"
           "[[cities.alpha.programme.projects]]\nsectors = [\"trade\"]\nbudget_share = 0.7\ncall = \"2021-01\"\n",
       {"cities.alpha.programme", "project budget shares sum to 1.4"}},
      {"missing grant",
       ok + "\n[cities.alpha.programme]\nmatch_ratio = 1\n",
       {"cities.alpha.programme", "missing required key 'grant_usd'"}},
      {"hazard date",
       ok + "\n[cities.alpha.hazard]\nevents = [\"2022-13\"]\n",
       {"cities.alpha.hazard.events", "expected a month"}},
      {"policy kind",
       ok + "\n[[policies]]\nkind = \"helicopter\"\nstart = \"2020-04\"\n",
       {"policies[0].kind", "expected one of \"wage_subsidy\""}},
      {"key of another kind",
       ok + "\n[[policies]]\nkind = \"grant\"\nstart = \"2020-04\"\nrate = 0.5\n",
       {"bad.toml:30:1", "policies[0].rate", "unknown key"}},
      {"policy city",
       ok + "\n[[policies]]\nkind = \"debt_moratorium\"\nstart = \"2020-04\"\ncities = [\"gamma\"]\n",
       {"policies[0].cities", "unknown city 'gamma'"}},
      {"overlapping policies",
       ok + "\n[[policies]]\nkind = \"debt_moratorium\"\nstart = \"2020-04\"\nend = \"2020-10\"\n"
            "[[policies]]\nkind = \"debt_moratorium\"\nstart = \"2020-09\"\n",
       {"policies[1]", "overlaps an earlier policy of the same kind in city 'alpha'"}},
      {"input-output value",
       ok + "\n[cities.alpha.input_output]\ntrade = { manufacturing = 1.5 }\n",
       {"cities.alpha.input_output.trade.manufacturing", "out of range"}},
      {"consumption shares", ok + "\n[sectors.trade]\nconsumption_share = 0.9\n", {"consumption_share sums to"}},
      {"call before the period",
       ok + programme +
           "[[cities.alpha.programme.projects]]\nsectors = [\"trade\"]\nbudget_share = 0.5\ncall = \"2019-01\"\n",
       {"cities.alpha.programme.projects[0].call", "2019-01 is before the first reported month 2020-01"}},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const std::string msg = parse_error(c.text);
    INFO(msg);
    for (const char* e : c.expected) CHECK_THAT(msg, Catch::Contains(e));
  }
}
