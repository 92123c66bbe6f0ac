// Means with 95% confidence intervals over replications.
#include "smesim/core/statistics.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace smesim {

Estimate estimate_mean(const std::vector<double>& x) {
  Estimate e;
  e.n = static_cast<int>(x.size());
  if (x.empty()) return e;
  double sum = 0;
  for (double v : x) sum += v;
  e.mean = sum / e.n;
  e.lo = e.hi = e.mean;
  if (e.n < 2) return e;
  double ss = 0;
  for (double v : x) ss += (v - e.mean) * (v - e.mean);
  const double se = std::sqrt(ss / (e.n - 1) / e.n);
  const double t = boost::math::quantile(boost::math::students_t(e.n - 1), 0.975);
  e.lo = e.mean - t * se;
  e.hi = e.mean + t * se;
  return e;
}

}  // namespace smesim
