// Per-city constants: cost structure, exit hazards, firm counts and the size sampler.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "smesim/model/city_economy.hpp"
#include "support/helpers.hpp"

using namespace smesim;

TEST_CASE("revenue per worker is wage x multiplier / labour share, and capacity scales it by productivity") {
  const Scenario sc = parse_scenario(test::small_scenario(), "s.toml");
  for (int c = 0; c < 2; ++c) {
    const CityEconomy city(sc, c);
    REQUIRE(city.sectors.size() == sc.sectors.size());
    for (std::size_t s = 0; s < sc.sectors.size(); ++s) {
      INFO("city " << c << " sector " << sc.sectors[s].name);
      const SectorConstants& k = city.sectors[s];
      CHECK(k.wage == sc.cities[c].wage_usd * sc.sectors[s].wage_multiplier);
      CHECK(k.revenue_per_worker == k.wage / sc.sectors[s].labour_share);
      CHECK(k.revenue_capacity(1.25) == k.revenue_per_worker * 1.25);
      // The monthly exit hazard compounds to the sector's annual exit rate.
      CHECK(1.0 - std::pow(1.0 - k.exit_hazard, 12) == Approx(sc.sectors[s].exit_rate));
      CHECK(k.exo_hazard_young > k.exo_hazard_old);
    }
  }
}

TEST_CASE("firms simulated are smes x population_scale rounded half away from zero, the same everywhere") {
  const Scenario sc = parse_scenario(test::small_scenario(), "s.toml",
                                     {"cities.alpha.smes=5", "cities.beta.smes=3", "simulation.population_scale=0.5"});
  CHECK(sc.simulated_firms(0) == 3);  // 2.5 rounds up
  CHECK(sc.simulated_firms(1) == 2);  // 1.5 rounds up
  CHECK(sc.simulated_firms() == 5);
  CHECK(CityEconomy(sc, 0).initial_firms == 3);
  CHECK(CityEconomy(sc, 1).initial_firms == 2);
}

TEST_CASE("the size sampler stays within its class bounds for any uniform, also with other bounds") {
  SizeClassBounds bounds;
  bounds.micro_max = 4;
  bounds.small_max = 20;
  const SizeSampler sampler(bounds, 0.7);
  for (double u : {1e-12, 0.001, 0.25, 0.5, 0.75, 0.999, 1.0 - 1e-12, 1.0}) {
    for (int c = 0; c < kSizeClasses; ++c) {
      INFO("class " << c << " u " << u);
      const int n = sampler.draw(c, u);
      CHECK(n >= bounds.lower(c));
      CHECK(n <= bounds.upper(c));
    }
  }
  CHECK(sampler.draw(0, 1e-12) == bounds.lower(0));
  CHECK(sampler.draw(2, 1.0) == bounds.upper(2));
}

TEST_CASE("the size sampler's guide buckets find what a search of the whole class finds") {
  for (const double alpha : {0.3, 1.06, 2.5}) {
    const SizeSampler sampler(SizeClassBounds{}, alpha);
    std::vector<double> us;
    for (int b = 0; b <= 1024; ++b) {  // every bucket edge and its neighbours
      const double edge = b / 1024.0;
      us.insert(us.end(), {std::nextafter(edge, 0.0), edge, std::nextafter(edge, 2.0)});
    }
    for (int k = 1; k < 20000; ++k) us.push_back(k / 20000.0);
    for (int c = 0; c < kSizeClasses; ++c) {
      const std::vector<double>& cdf = sampler.cdf(c);
      for (double u : us) {
        if (u <= 0.0 || u > 1.0) continue;
        INFO("alpha " << alpha << " class " << c << " u " << u);
        REQUIRE(sampler.draw(c, u) == SizeClassBounds{}.lower(c) + pick(cdf, u));
      }
      for (double entry : cdf) {  // u exactly at an entry, where the search stops
        INFO("alpha " << alpha << " class " << c << " entry " << entry);
        REQUIRE(sampler.draw(c, entry) == SizeClassBounds{}.lower(c) + pick(cdf, entry));
      }
    }
  }
}
