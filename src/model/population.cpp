// MODEL.md "Initialisation" and the entrants of step 4: drawing new firms.
#include "smesim/model/population.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <boost/random/beta_distribution.hpp>
#include <cmath>

namespace smesim {
namespace {

int pick(const std::vector<double>& cdf, double u) {
  const auto it = std::lower_bound(cdf.begin(), cdf.end(), u);
  return static_cast<int>(std::min<std::ptrdiff_t>(it - cdf.begin(), cdf.size() - 1));
}

float clamp_u16(double x) { return static_cast<float>(std::clamp(x, 0.0, 65535.0)); }

/// Draws everything but sector and starting size for the firm at position i.
/// `employees` is the starting size; cash starts at `cash_months` of costs (or at the
/// drawn buffer target when negative).
void draw_firm(FirmTable& t, std::size_t i, const Scenario& sc, const CityEconomy& city, Stream& rng,
               int sector, int normal_size, int employees, double cash_months) {
  const FirmBehaviour& f = sc.firms;
  const SectorConstants& k = city.sectors[sector];
  const double s_theta = f.productivity_sd;
  const double theta = std::exp(s_theta * rng.normal() - 0.5 * s_theta * s_theta);
  const double wage = k.wage * std::pow(theta, f.wage_productivity_elasticity);
  const double rev_cap = k.revenue_per_worker * theta;
  const double monthly_costs = normal_size * (wage + rev_cap * (k.input_share + k.fixed_cost_share));
  const double target = k.buffer_months * monthly_costs * std::exp(f.cash_buffer_sd * rng.normal());
  boost::random::beta_distribution<double> beta(f.capability_beta_a, f.capability_beta_b);
  const double capability = beta(rng) + f.capability_size_slope * std::log(static_cast<double>(employees));

  t.sector[i] = static_cast<std::uint8_t>(sector);
  t.alive[i] = 1;
  t.distress[i] = 0;
  t.normal_size[i] = static_cast<std::uint16_t>(normal_size);
  t.employees[i] = static_cast<std::uint16_t>(employees);
  t.employees_year_ago[i] = 0;
  t.capacity[i] = static_cast<float>(employees);
  t.productivity[i] = static_cast<float>(theta);
  t.wage[i] = static_cast<float>(wage);
  t.demand_state[i] = static_cast<float>(rng.normal());
  t.utilisation[i] = 1.0f;
  t.capability[i] = static_cast<float>(std::clamp(capability, 0.0, 1.0));
  t.cash_target[i] = static_cast<float>(target);
  t.cash[i] = cash_months < 0 ? target : cash_months * employees / normal_size * monthly_costs;
  t.debt[i] = 0.0;
}

}  // namespace

void synthesise_population(FirmTable& table, const Scenario& sc, const CityEconomy& city,
                           const RandomKey& key) {
  const std::uint32_t n = city.initial_firms;
  table.resize(n);
  const int burn_in = sc.simulation.burn_in_months;
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 4096), [&](const auto& r) {
    for (std::uint32_t uid = r.begin(); uid != r.end(); ++uid) {
      Stream rng(key, {uid, -burn_in, static_cast<std::uint32_t>(city.index), Purpose::kInitSector, 0});
      const int sector = pick(city.sector_cdf, rng.uniform());
      const int size_class = pick(city.size_cdf, rng.uniform());
      const int size = city.sizes.draw(size_class, rng.uniform());
      table.uid[uid] = uid;
      draw_firm(table, uid, sc, city, rng, sector, size, size, -1.0);
      // Age from the stationary distribution implied by the sector's exit hazard.
      const double h = city.sectors[sector].exit_hazard;
      table.age[uid] = static_cast<std::uint16_t>(clamp_u16(std::floor(std::log(rng.uniform()) / std::log1p(-h))));
    }
  });
}

void add_entrant(FirmTable& table, const Scenario& sc, const CityEconomy& city, const RandomKey& key,
                 std::uint32_t uid, int sector, int month) {
  const std::size_t i = table.size();
  table.resize(i + 1);
  Stream rng(key, {uid, month, static_cast<std::uint32_t>(city.index), Purpose::kEntrantInit, 0});
  const int size_class = pick(city.size_cdf, rng.uniform());
  const int size = city.sizes.draw(size_class, rng.uniform());
  const int start = std::max(1, static_cast<int>(std::ceil(sc.firms.entrant_start * size)));
  table.uid[i] = uid;
  table.age[i] = 0;
  draw_firm(table, i, sc, city, rng, sector, size, start, sc.firms.entrant_cash_months);
}

}  // namespace smesim

