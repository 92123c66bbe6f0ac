// Per-city constants derived once from the scenario.
#include "smesim/model/city_economy.hpp"

#include <algorithm>
#include <cmath>

namespace smesim {
namespace {

std::vector<double> cumulative(const double* shares, std::size_t n) {
  std::vector<double> cdf(n);
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) cdf[i] = (s += shares[i]);
  for (auto& c : cdf) c /= s;  // exact 1 at the end despite rounding
  return cdf;
}

SectorConstants sector_constants(const Scenario& sc, const City& city, const Sector& s) {
  const FirmBehaviour& f = sc.firms;
  SectorConstants k;
  k.wage = city.wage_usd * s.wage_multiplier;
  k.revenue_per_worker = k.wage / s.labour_share;
  k.input_share = s.input_share;
  k.fixed_cost_share = s.fixed_cost_share;
  k.buffer_months = s.buffer_days / 30.0;
  // Monthly hazards: the exogenous part is a share of the target, spread over ages so
  // that its mean over the stationary age distribution is exo_share x target.
  k.exit_hazard = 1.0 - std::pow(1.0 - s.exit_rate, 1.0 / 12.0);
  k.log_survival = std::log1p(-k.exit_hazard);
  const double young = 1.0 - std::pow(1.0 - k.exit_hazard, f.young_age_months);
  k.exo_hazard_old = f.exogenous_exit_share * k.exit_hazard / (1.0 + (f.young_exit_multiplier - 1.0) * young);
  k.exo_hazard_young = f.young_exit_multiplier * k.exo_hazard_old;
  return k;
}

}  // namespace

SizeSampler::SizeSampler(const SizeClassBounds& bounds, double alpha) {
  for (int c = 0; c < kSizeClasses; ++c) {
    std::vector<double> weights;
    for (int n = bounds.lower(c); n <= bounds.upper(c); ++n) weights.push_back(std::pow(n, -(1.0 + alpha)));
    cumulative_.push_back(cumulative(weights.data(), weights.size()));
    std::vector<int>& guide = guide_.emplace_back();
    for (int b = 0; b <= kGuide; ++b) guide.push_back(pick(cumulative_.back(), static_cast<double>(b) / kGuide));
    lower_.push_back(bounds.lower(c));
  }
}

int SizeSampler::draw(int size_class, double u) const {
  // pick is monotone in u, and b / kGuide <= u < (b + 1) / kGuide exactly (kGuide is a
  // power of two): the pick of u lies in the bucket's span, or is its clamped last entry.
  const auto b = std::min(static_cast<std::size_t>(u * kGuide), std::size_t{kGuide - 1});
  const std::vector<int>& guide = guide_[size_class];
  const int lo = guide[b];
  const int span = guide[b + 1] - lo + 1;
  const double* cdf = cumulative_[size_class].data() + lo;
  if (span <= 2) return lower_[size_class] + lo + (span == 2 && cdf[0] < u ? 1 : 0);  // no loop to mispredict
  return lower_[size_class] + lo + pick(cdf, static_cast<std::size_t>(span), u);
}

CityEconomy::CityEconomy(const Scenario& sc, int city_index)
    : index(city_index),
      sector_cdf(cumulative(sc.cities[city_index].sector_shares.data(), sc.sectors.size())),
      size_cdf(cumulative(sc.cities[city_index].size_shares.data(), kSizeClasses)),
      sizes(sc.size_classes, sc.firms.size_tail_alpha),
      initial_firms(static_cast<std::uint32_t>(sc.simulated_firms(city_index))) {
  for (const Sector& s : sc.sectors) sectors.push_back(sector_constants(sc, sc.cities[city_index], s));
}

}  // namespace smesim
