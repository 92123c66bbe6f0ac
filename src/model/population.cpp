// MODEL.md "Initialisation" and the entrants of step 4: drawing new firms.
#include "smesim/model/population.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "smesim/core/fast_math.hpp"

namespace smesim {
namespace {

int pick(const std::vector<double>& cdf, double u) {
  const auto it = std::lower_bound(cdf.begin(), cdf.end(), u);
  return static_cast<int>(std::min<std::ptrdiff_t>(it - cdf.begin(), cdf.size() - 1));
}

float clamp_u16(double x) { return static_cast<float>(std::clamp(x, 0.0, 65535.0)); }

/// The draws of firm `uid` born in `month` for one purpose. Each purpose has its own
/// stream, so a distribution that consumes a varying number of words (the Beta) never
/// shifts another draw.
Stream stream(const RandomKey& key, const CityEconomy& city, std::uint32_t uid, int month, Purpose p) {
  return Stream(key, {uid, month, static_cast<std::uint32_t>(city.index), p, 0});
}

/// Draws everything but sector and size for the firm at position i. `employees` is the
/// starting size; cash starts at `cash_months` of costs (at the drawn target if negative).
void draw_firm(FirmTable& t, std::size_t i, const Scenario& sc, const CityEconomy& city, const RandomKey& key,
               int month, int sector, int normal_size, int employees, double cash_months) {
  const FirmBehaviour& f = sc.firms;
  const SectorConstants& k = city.sectors[sector];
  const std::uint32_t uid = t.uid[i];
  Stream productivity = stream(key, city, uid, month, Purpose::kInitProductivity);
  const double s_theta = f.productivity_sd;
  const double log_theta = s_theta * productivity.normal() - 0.5 * s_theta * s_theta;
  const double theta = fast::exp(static_cast<float>(log_theta));
  const double wage = k.wage * fast::exp(static_cast<float>(f.wage_productivity_elasticity * log_theta));
  const double rev_cap = k.revenue_capacity(theta);
  const double monthly_costs = normal_size * (wage + rev_cap * (k.input_share + k.fixed_cost_share));
  const double target =
      k.buffer_months * monthly_costs * fast::exp(static_cast<float>(f.cash_buffer_sd * productivity.normal()));
  Stream capability_draws = stream(key, city, uid, month, Purpose::kInitCapability);
  const double capability = beta_draw(capability_draws, f.capability_beta_a, f.capability_beta_b) +
                            f.capability_size_slope * fast::log(static_cast<float>(employees));
  Stream state = stream(key, city, uid, month, Purpose::kInitState);
  Stream owner = stream(key, city, uid, month, Purpose::kInitOwner);
  const double owner_funds =
      sc.responses.owner_funds_months * monthly_costs *
      fast::exp(static_cast<float>(sc.responses.owner_funds_sd * owner.normal()));  // median: owner_funds_months

  t.sector[i] = static_cast<std::uint8_t>(sector);
  t.distress[i] = 0;
  t.flags[i] = FirmTable::kAlive;
  t.closed_months[i] = 0;
  t.short_months[i] = 0;
  t.closed_months_ytd[i] = 0;
  t.normal_size[i] = static_cast<std::uint16_t>(normal_size);
  t.employees[i] = static_cast<std::uint16_t>(employees);
  t.employees_year_ago[i] = 0;
  t.capacity[i] = static_cast<float>(employees);
  t.productivity[i] = static_cast<float>(theta);
  t.wage[i] = static_cast<float>(wage);
  t.demand_state[i] = static_cast<float>(state.normal());
  t.utilisation[i] = 1.0f;
  t.set_capability(i, capability);
  t.cash_target[i] = static_cast<float>(target);
  t.hours[i] = 1.0f;
  t.owner_funds[i] = static_cast<float>(owner_funds);
  t.cash[i] = static_cast<float>(cash_months < 0 ? target : cash_months * employees / normal_size * monthly_costs);
  t.debt[i] = 0.0f;
  t.arrears[i] = 0.0f;
  if (cash_months < 0) {
    // Initial firms: age from the stationary distribution implied by the exit hazard.
    const double h = k.exit_hazard;
    t.age[i] = static_cast<std::uint16_t>(
        clamp_u16(std::floor(fast::log(static_cast<float>(state.uniform())) / std::log1p(-h))));
  } else {
    t.age[i] = 0;
  }
}

/// Sector (if `sector` < 0), then size class and normal size, from the firm's own streams.
std::pair<int, int> draw_sector_and_size(const CityEconomy& city, const RandomKey& key, std::uint32_t uid, int month,
                                         int sector) {
  Stream sector_draw = stream(key, city, uid, month, Purpose::kInitSector);
  if (sector < 0) sector = pick(city.sector_cdf, sector_draw.uniform());
  Stream size_draw = stream(key, city, uid, month, Purpose::kInitSize);
  const int size_class = pick(city.size_cdf, size_draw.uniform());
  return {sector, city.sizes.draw(size_class, size_draw.uniform())};
}

}  // namespace

void synthesise_population(FirmTable& table, const Scenario& sc, const CityEconomy& city, const RandomKey& key) {
  const std::uint32_t n = city.initial_firms;
  table.resize(n);
  const int month = -sc.simulation.burn_in_months - 1;  // initial firms are "born" before burn-in
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 4096), [&](const auto& r) {
    for (std::uint32_t uid = r.begin(); uid != r.end(); ++uid) {
      const auto [sector, size] = draw_sector_and_size(city, key, uid, month, -1);
      table.uid[uid] = uid;
      draw_firm(table, uid, sc, city, key, month, sector, size, size, -1.0);
    }
  });
  table.compact(sc.size_classes);  // into cell-major order
}

void draw_entrant(FirmTable& table, std::size_t i, const Scenario& sc, const CityEconomy& city, const RandomKey& key,
                  std::uint32_t uid, int sector, int month) {
  table.uid[i] = uid;
  const int size = draw_sector_and_size(city, key, uid, month, sector).second;
  const int start = std::max(1, static_cast<int>(std::ceil(sc.firms.entrant_start * size)));
  draw_firm(table, i, sc, city, key, month, sector, size, start, sc.firms.entrant_cash_months);
}

}  // namespace smesim
