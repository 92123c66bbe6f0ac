// Means and 95% Student-t intervals.
#include <catch2/catch.hpp>

#include "smesim/core/statistics.hpp"

using namespace smesim;

TEST_CASE("a 95% interval uses the Student t quantile") {
  const Estimate e = estimate_mean({1.0, 3.0});
  CHECK(e.mean == Approx(2.0));
  // sd = sqrt(2), se = 1, t(0.975, 1 df) = 12.706
  CHECK(e.half_width() == Approx(12.7062).epsilon(1e-4));
  const Estimate one = estimate_mean({5.0});
  CHECK(one.lo == 5.0);
  CHECK(one.hi == 5.0);
  const Estimate flat = estimate_mean({2.0, 2.0, 2.0});
  CHECK(flat.half_width() == 0.0);
}
