// Means with 95% confidence intervals over replications.
#pragma once

#include <vector>

namespace smesim {

/// A mean over replications with its 95% Student-t interval. With one replication
/// the interval is the point itself.
struct Estimate {
  double mean = 0;
  double lo = 0;
  double hi = 0;
  int n = 0;
  double half_width() const { return 0.5 * (hi - lo); }
};

/// Estimate of the mean of `samples` (NaNs are an error upstream: pass finite values).
Estimate estimate_mean(const std::vector<double>& samples);

}  // namespace smesim
