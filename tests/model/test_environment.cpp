// Stringency from waves and real series (through the mapping), and direct sector shocks.
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
  CHECK(wave_stringency(city, start, month_of(start, 2020, 3)) == 0.0);
  CHECK(wave_stringency(city, start, month_of(start, 2020, 4)) == 0.75);
  CHECK(wave_stringency(city, start, month_of(start, 2020, 5)) == 0.75);
  CHECK(wave_stringency(city, start, month_of(start, 2020, 6)) == Approx(0.75 - 0.4 / 9));
  CHECK(wave_stringency(city, start, month_of(start, 2021, 1)) == Approx(0.75 - 0.4 * 8 / 9));
  CHECK(wave_stringency(city, start, month_of(start, 2021, 2)) == 0.35);
  CHECK(wave_stringency(city, start, month_of(start, 2022, 3)) == 0.35);
  CHECK(wave_stringency(city, start, month_of(start, 2022, 4)) == 0.0);
  CHECK(wave_stringency(city, start, -1) == 0.0);  // burn-in has no shocks
}

TEST_CASE("overlapping waves combine by maximum") {
  City city;
  city.waves.push_back({{2020, 4}, 0.5, 12, 0, 0.5, std::nullopt});
  city.waves.push_back({{2020, 6}, 0.8, 1, 0, 0.1, std::nullopt});
  const YearMonth start{2020, 1};
  CHECK(wave_stringency(city, start, 5) == 0.8);
  CHECK(wave_stringency(city, start, 6) == 0.5);
  CHECK(wave_stringency(city, start, 40) == 0.5);  // no end: the floor lasts
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

TEST_CASE("the stringency mapping: nothing below the threshold, linear above, scaled and clipped") {
  StringencyMapping m;  // threshold 0.3, scale 1
  CHECK(m.apply(0) == 0.0);
  CHECK(m.apply(30) == 0.0);
  CHECK(m.apply(65) == Approx(0.5));
  CHECK(m.apply(100) == 1.0);
  m.threshold = 0.0;
  CHECK(m.apply(68.4) == Approx(0.684));  // threshold 0, scale 1: the raw index / 100
  m.threshold = 0.5;
  m.scale = 0.6;
  CHECK(m.apply(75) == Approx(0.3));
  CHECK(m.apply(40) == 0.0);
  m.scale = 4;
  CHECK(m.apply(75) == 1.0);  // 4 x 0.5 = 2, clipped to 1
  CHECK(m.apply(55) == Approx(0.4));
}

TEST_CASE("a city's real series is mapped, and combines with its waves by maximum") {
  Scenario sc = parse_scenario(test::small_scenario(), "s.toml", {"cities.beta.stringency=oxcgrt:IDN"});
  const int apr2020 = months_between(sc.simulation.start, {2020, 4});
  // beta: no waves, the series alone; IDN 2020-04 = 68.4.
  CHECK(stringency(sc, 1, apr2020) == Approx((0.684 - 0.3) / 0.7));
  CHECK(stringency(sc, 1, -1) == 0.0);                                              // burn-in has no shocks
  CHECK(stringency(sc, 1, months_between(sc.simulation.start, {2023, 6})) == 0.0);  // after the data
  sc.stringency_mapping.scale = 0.5;
  CHECK(stringency(sc, 1, apr2020) == Approx(0.5 * (0.684 - 0.3) / 0.7));
  // alpha: waves (0.75 from 2020-04, floor 0.3, ending 2021-06) and the same series.
  sc.cities[0].stringency = "oxcgrt:IDN";
  sc.stringency_mapping = {0.0, 1.0};                                                         // the raw index / 100
  CHECK(stringency(sc, 0, apr2020) == 0.75);                                                  // waves 0.75 > 0.684
  CHECK(stringency(sc, 0, months_between(sc.simulation.start, {2021, 3})) == Approx(0.718));  // series 0.718 > 0.3
  CHECK(stringency(sc, 0, months_between(sc.simulation.start, {2020, 2})) == Approx(0.273));  // before the wave
  CHECK(wave_stringency(sc.cities[0], sc.simulation.start, apr2020) == 0.75);
  CHECK(series_stringency(sc.cities[0], sc.stringency_mapping, sc.simulation.start, apr2020) == Approx(0.684));
}

TEST_CASE("without a series the stringency is the waves', bit for bit") {
  const Scenario sc = parse_scenario(test::small_scenario(), "s.toml", {"stringency_mapping.scale=3"});
  for (int t = -2; t < sc.simulation.months; ++t) {
    CHECK(stringency(sc, 0, t) == wave_stringency(sc.cities[0], sc.simulation.start, t));
    CHECK(stringency(sc, 1, t) == 0.0);
  }
}
