// Stringency waves and direct sector shocks.
#include <catch2/catch.hpp>

#include "smesim/model/environment.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {
int month_of(const YearMonth& start, int y, int m) { return months_between(start, {y, m}); }
}  // namespace

TEST_CASE("a wave holds its peak, decays linearly to its floor and ends") {
  City city;
  city.waves.push_back({{2020, 4}, 0.75, 2, 8, 0.35, YearMonth{2022, 4}});
  const YearMonth start{2020, 1};
  CHECK(stringency(city, start, month_of(start, 2020, 3)) == 0.0);
  CHECK(stringency(city, start, month_of(start, 2020, 4)) == 0.75);
  CHECK(stringency(city, start, month_of(start, 2020, 5)) == 0.75);
  CHECK(stringency(city, start, month_of(start, 2020, 6)) == Approx(0.75 - 0.4 / 9));
  CHECK(stringency(city, start, month_of(start, 2021, 1)) == Approx(0.75 - 0.4 * 8 / 9));
  CHECK(stringency(city, start, month_of(start, 2021, 2)) == 0.35);
  CHECK(stringency(city, start, month_of(start, 2022, 3)) == 0.35);
  CHECK(stringency(city, start, month_of(start, 2022, 4)) == 0.0);
  CHECK(stringency(city, start, -1) == 0.0);  // burn-in has no shocks
}

TEST_CASE("overlapping waves combine by maximum") {
  City city;
  city.waves.push_back({{2020, 4}, 0.5, 12, 0, 0.5, std::nullopt});
  city.waves.push_back({{2020, 6}, 0.8, 1, 0, 0.1, std::nullopt});
  const YearMonth start{2020, 1};
  CHECK(stringency(city, start, 5) == 0.8);
  CHECK(stringency(city, start, 6) == 0.5);
  CHECK(stringency(city, start, 40) == 0.5);  // no end: the floor lasts
}

TEST_CASE("sector conditions follow exposures; no stringency means baseline") {
  const Scenario sc = parse_scenario(test::small_scenario(), "s.toml");
  const SectorConditions none = sector_conditions(sc, 0.0);
  for (std::size_t s = 0; s < sc.sectors.size(); ++s) {
    CHECK(none.demand[s] == 1.0);
    CHECK(none.supply[s] == 1.0);
  }
  const SectorConditions full = sector_conditions(sc, 1.0);
  const int acc = sc.sector_index("accommodation_food");
  CHECK(full.demand[acc] == Approx(0.2));
  CHECK(full.supply[acc] == Approx(0.4));
  CHECK(full.demand_shock[acc] == Approx(0.8));
}
