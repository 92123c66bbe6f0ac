// Per-city constants derived once from the scenario: cost structure, hazards, size sampler.
#pragma once

#include <algorithm>
#include <vector>

#include "smesim/scenario/scenario.hpp"

namespace smesim {

/// Constants of one (city, sector).
struct SectorConstants {
  double revenue_per_worker = 0;  ///< a(c,s) = w(c,s) / lambda_s, USD per worker-month at theta 1
  double wage = 0;                ///< w(c,s) = city wage x sector multiplier, USD per worker-month
  double input_share = 0;         ///< phi_s
  double fixed_cost_share = 0;    ///< kappa_s
  double buffer_months = 0;       ///< median cash buffer, months of costs
  double exit_hazard = 0;         ///< target monthly exit hazard, all causes
  double log_survival = 0;        ///< log(1 - exit_hazard)
  double exo_hazard_old = 0;      ///< monthly exogenous exit hazard at or above young age
  double exo_hazard_young = 0;    ///< monthly exogenous exit hazard below young age

  /// Revenue of one worker of a firm of productivity theta at full utilisation,
  /// a(c,s) x theta, USD per worker-month.
  double revenue_capacity(double productivity) const { return revenue_per_worker * productivity; }
};

/// Index of the first entry of the non-empty, ascending cdf[0, n) that is not below u
/// (the last if none is): std::lower_bound's answer, without branches, which a uniform
/// `u` would mispredict at every step.
inline int pick(const double* cdf, std::size_t n, double u) {
  const double* base = cdf;
  for (std::size_t len = n; len > 1;) {
    const std::size_t half = len / 2;
    base = base[half] < u ? base + half : base;
    len -= half;
  }
  const auto i = static_cast<std::size_t>(base - cdf) + (*base < u ? 1 : 0);
  return static_cast<int>(std::min(i, n - 1));
}
inline int pick(const std::vector<double>& cdf, double u) { return pick(cdf.data(), cdf.size(), u); }

/// Draws a normal size from the discrete power law P(n) ~ n^-(1+alpha), truncated to a class.
class SizeSampler {
 public:
  SizeSampler(const SizeClassBounds& bounds, double alpha);
  /// A size in class `size_class` from a uniform `u` in (0, 1]: the lower bound plus
  /// pick(cdf(size_class), u), searched among the entries that u's guide bucket
  /// leaves (one or two, unless many sizes are each less likely than 1 / kGuide; a class
  /// has up to hundreds).
  int draw(int size_class, double u) const;
  /// P(n <= lower + i) in the class, by i.
  const std::vector<double>& cdf(int size_class) const { return cumulative_[size_class]; }

 private:
  /// Guide buckets per class: u in [b, b + 1) / kGuide has its pick in guide[b] .. guide[b + 1].
  static constexpr int kGuide = 1024;
  std::vector<std::vector<double>> cumulative_;  // per class, P(n <= lower + i)
  std::vector<std::vector<int>> guide_;          // per class, pick(cumulative, b / kGuide) for b in [0, kGuide]
  std::vector<int> lower_;
};

/// Everything about a city that does not change during a run.
struct CityEconomy {
  CityEconomy(const Scenario& scenario, int city_index);

  int index;                             ///< position in Scenario::cities
  std::vector<SectorConstants> sectors;  ///< one per scenario sector
  std::vector<double> sector_cdf;        ///< cumulative sector shares
  std::vector<double> size_cdf;          ///< cumulative size-class shares
  SizeSampler sizes;
  std::uint32_t initial_firms;  ///< Scenario::simulated_firms of this city
};

}  // namespace smesim
