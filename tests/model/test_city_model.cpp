// The city model's month: its phases in their documented order, and the phase clock.
#include <catch2/catch.hpp>
#include <cstring>
#include <vector>

#include "smesim/model/city_model.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

/// Every phase of a month in the order CityModel::step runs them (open reporting: month 0 only).
const std::vector<Phase> kMonth = {
    Phase::kEnvironment,     Phase::kHazards,    Phase::kLocalDemand,    Phase::kPolicies,   Phase::kFirms,
    Phase::kCompaction,      Phase::kEntry,      Phase::kContracts,      Phase::kAssistance, Phase::kCalls,
    Phase::kProgrammeTotals, Phase::kResilience, Phase::kDemandFeedback, Phase::kYearEnd};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("a month runs every phase once, in the documented order") {
  const Scenario sc = parse_scenario(test::small_scenario(), "s.toml", {"simulation.burn_in_months=2"});
  CityModel city(sc, 0, RandomKey(7, 0), {false, true});
  std::vector<Phase> month_zero = {Phase::kOpenReporting};
  month_zero.insert(month_zero.end(), kMonth.begin(), kMonth.end());
  for (int t = -2; t < 3; ++t) {
    CityMonth record;
    city.step(t, record);
    INFO("month " << t);
    CHECK(city.clock().ran() == (t == 0 ? month_zero : kMonth));
  }
}

TEST_CASE("docs/ODD.md lists the phases in the order the step runs them") {
  const std::string odd = test::slurp(test::source_path("docs/ODD.md"));
  const std::size_t begin = odd.find("## 3. Process overview"), end = odd.find("## 4. ");
  REQUIRE(begin != std::string::npos);
  std::size_t at = begin;
  std::vector<Phase> order = {Phase::kPopulation, Phase::kOpenReporting};
  order.insert(order.end(), kMonth.begin(), kMonth.end());
  REQUIRE(order.size() == kPhases);
  for (Phase p : order) {
    const std::string tag = std::string("phase `") + phase_name(p) + "`";
    INFO(tag);
    const std::size_t found = odd.find(tag, at);
    REQUIRE(found < end);
    at = found;
  }
}

TEST_CASE("timing the phases changes no result, and untimed costs no clock") {
  const Scenario sc = parse_scenario(test::small_scenario(), "s.toml");
  const RandomKey key(7, 0);
  CityModel plain(sc, 0, key), timed(sc, 0, key, {false, true});
  for (int t = -sc.simulation.burn_in_months; t < 14; ++t) {
    CityMonth a, b;
    plain.step(t, a);
    timed.step(t, b);
    INFO("month " << t);
    for (std::size_t i = 0; i < a.cells.size(); ++i) {
      CHECK(a.cells[i].active == b.cells[i].active);
      CHECK(same_bits(a.cells[i].revenue, b.cells[i].revenue));
      CHECK(same_bits(a.cells[i].cash, b.cells[i].cash));
    }
    CHECK(a.demand.index == b.demand.index);
    CHECK(same_bits(a.resilience, b.resilience));
  }
  CHECK(plain.firms().cash == timed.firms().cash);
  CHECK(plain.clock().ran().empty());
  for (std::size_t p = 0; p < kPhases; ++p) CHECK(plain.clock().seconds().seconds[p] == 0.0);
  CHECK(timed.clock().seconds()[Phase::kPopulation] > 0.0);
  CHECK(timed.clock().seconds()[Phase::kFirms] > 0.0);
}

TEST_CASE("the month-0 baseline and initial cohort are the firms alive at the end of burn-in") {
  const Scenario sc = parse_scenario(test::small_scenario(), "s.toml");
  CityModel city(sc, 1, RandomKey(7, 0), {true, false});
  for (int t = -sc.simulation.burn_in_months; t < 0; ++t) {
    CityMonth record;
    city.step(t, record);
  }
  std::int64_t alive = 0;
  for (std::size_t i = 0; i < city.firms().size(); ++i) alive += city.firms().alive(i);
  CityMonth record;
  city.step(0, record);
  std::int64_t baseline = 0;
  for (const CellTotals& c : city.books().baseline) baseline += c.active;
  CHECK(baseline == alive);
  CHECK(static_cast<std::int64_t>(city.books().cohort_uids.size()) == alive);
  CHECK(city.books().cohort_end == city.books().cohort_uids.back() + 1);
}

TEST_CASE("phase names are distinct and the profile lists each with a total") {
  PhaseSeconds s;
  s[Phase::kFirms] = 1.5;
  s[Phase::kEntry] = 0.25;
  const std::string text = format_phase_seconds(s);
  for (std::size_t p = 0; p < kPhases; ++p) {
    CHECK_THAT(text, Catch::Contains(phase_name(static_cast<Phase>(p))));
    for (std::size_t q = 0; q < p; ++q)
      CHECK(std::string(phase_name(static_cast<Phase>(p))) != phase_name(static_cast<Phase>(q)));
  }
  CHECK_THAT(text, Catch::Contains("  total") && Catch::Contains(" 1.750\n"));
}
