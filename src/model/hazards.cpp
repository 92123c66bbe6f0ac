// MODEL.md step 7: natural hazards per city: demand shocks and cash damage.
#include "smesim/model/hazards.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace smesim {

HazardProcess::HazardProcess(const Scenario& sc, int city)
    : scenario_(sc), city_(city), hazard_(sc.cities[city].hazard ? &*sc.cities[city].hazard : nullptr) {}

bool HazardProcess::advance(const RandomKey& key, int month) {
  if (months_left_ > 0) --months_left_;
  if (!hazard_ || month < 0) return false;
  const YearMonth now = scenario_.simulation.start.plus(month);
  const bool scheduled = std::find(hazard_->events.begin(), hazard_->events.end(), now) != hazard_->events.end();
  const double monthly = 1.0 - std::pow(1.0 - hazard_->annual_probability, 1.0 / 12.0);
  const Words w = key.words({0, month, static_cast<std::uint32_t>(city_), Purpose::kHazard, 0});
  const bool hit = scheduled || to_unit(w[0]) < monthly;
  if (hit) months_left_ = hazard_->duration_months;
  return hit;
}

void HazardProcess::add_demand_shock(std::vector<double>& shock, double protection) const {
  if (!active()) return;
  for (int s : hazard_->sector_index) shock[s] += hazard_->severity * protection;
}

double HazardProcess::damage_cash(FirmTable& t, const RandomKey& key, int month, double protection) const {
  const double share = hazard_->cash_damage * protection;
  const auto city = static_cast<std::uint32_t>(city_);
  // Sums per fixed block, then in block order: deterministic at any thread count.
  constexpr std::size_t kBlock = 8192;
  const std::size_t blocks = (t.size() + kBlock - 1) / kBlock;
  std::vector<double> destroyed(blocks, 0.0);
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    for (std::size_t i = b * kBlock; i < std::min(t.size(), (b + 1) * kBlock); ++i) {
      if (!t.alive(i) || t.cash[i] <= 0) continue;
      const Words w = key.words({t.uid[i], month, city, Purpose::kHazardDamage, 0});
      if (to_unit(w[0]) >= hazard_->firm_share) continue;
      const float after = static_cast<float>(t.cash[i] - share * t.cash[i]);
      destroyed[b] += t.cash[i] - static_cast<double>(after);  // what the firm lost, as kept
      t.cash[i] = after;
    }
  });
  double total = 0;
  for (double d : destroyed) total += d;
  return total;
}

}  // namespace smesim
