// Hazards: when they strike, the cash they destroy, and common random numbers.
#include <catch2/catch.hpp>

#include "smesim/model/hazards.hpp"
#include "smesim/model/population.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

std::string with_hazard(double annual_probability, const std::string& events = "[]") {
  return test::small_scenario(R"(
[cities.alpha.hazard]
annual_probability = )" + std::to_string(annual_probability) +
                              R"(
severity = 0.3
duration_months = 2
cash_damage = 0.4
firm_share = 0.3
sectors = ["trade"]
events = )" + events + "\n");
}

std::vector<int> hit_months(const Scenario& sc, const RandomKey& key, int months) {
  HazardProcess hazards(sc, 0);
  std::vector<int> hits;
  for (int t = 0; t < months; ++t)
    if (hazards.advance(key, t)) hits.push_back(t);
  return hits;
}

}  // namespace

TEST_CASE("a scheduled hazard hits in its month and its demand shock lasts its duration") {
  const Scenario sc = parse_scenario(with_hazard(0.0, "[\"2020-06\"]"), "s.toml");
  HazardProcess hazards(sc, 0);
  const RandomKey key(7, 0);
  CHECK_FALSE(hazards.advance(key, -1));  // never in burn-in
  for (int t = 0; t < 12; ++t) {
    INFO("month " << t);
    CHECK(hazards.advance(key, t) == (t == 5));
    CHECK(hazards.active() == (t == 5 || t == 6));
    std::vector<double> shock(sc.sectors.size(), 0.0);
    hazards.add_demand_shock(shock, 0.5);
    const int trade = sc.sector_index("trade");
    CHECK(shock[trade] == (hazards.active() ? 0.3 * 0.5 : 0.0));
    CHECK(shock[sc.sector_index("manufacturing")] == 0.0);
  }
  const Scenario none = parse_scenario(test::small_scenario(), "s.toml");
  CHECK(hit_months(none, key, 60).empty());
}

TEST_CASE("a hazard destroys damage x protection of the cash of the firms it touches") {
  const Scenario sc = parse_scenario(with_hazard(0.0, "[\"2020-06\"]"), "s.toml");
  const CityEconomy city(sc, 0);
  const RandomKey key(7, 0);
  FirmTable table;
  synthesise_population(table, sc, city, key);
  const std::vector<float> before = table.cash;
  const double protection = 0.5;
  const double destroyed = HazardProcess(sc, 0).damage_cash(table, key, 5, protection);
  double sum = 0;
  int touched = 0;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (table.cash[i] == before[i]) continue;
    ++touched;
    CHECK(table.cash[i] == static_cast<float>(before[i] - 0.4 * protection * before[i]));
    sum += static_cast<double>(before[i]) - table.cash[i];
  }
  CHECK(destroyed == Approx(sum));
  const double n = static_cast<double>(table.size());
  CHECK(std::abs(touched / n - 0.3) < test::tolerance(std::sqrt(0.3 * 0.7), n));
}

TEST_CASE("hazards strike in the same months in every scenario with the same seed") {
  const Scenario a = parse_scenario(with_hazard(0.9), "s.toml");
  const Scenario b = parse_scenario(with_hazard(0.9), "s.toml",
                                    {"cities.alpha.waves=[]", "cities.alpha.hazard.severity=0.8",
                                     "firms.payout_rate=0.3", "simulation.population_scale=0.02"});
  const auto hits = hit_months(a, RandomKey(7, 0), 60);
  CHECK(hits.size() > 3);
  CHECK(hits == hit_months(b, RandomKey(7, 0), 60));
  CHECK(hits != hit_months(a, RandomKey(8, 0), 60));
}
