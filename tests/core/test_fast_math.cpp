// The vectorisable float approximations against libm.
#include <catch2/catch.hpp>
#include <cmath>

#include "smesim/core/fast_math.hpp"

using namespace smesim;

TEST_CASE("fast::log is within 1e-6 relative (or 1e-7 absolute) of std::log on (0, 1]") {
  double worst = 0;
  for (std::uint32_t i = 1; i <= (1u << 24); i += 7) {
    const float x = static_cast<float>(i) * 0x1p-24f;
    const double exact = std::log(static_cast<double>(x));
    const double err = std::abs(fast::log(x) - exact) / std::max(std::abs(exact), 0.1);
    worst = std::max(worst, err);
  }
  CHECK(worst < 1e-6);
  CHECK(fast::log(1.0f) == 0.0f);
}

TEST_CASE("fast::cos_2pi is within 1e-6 of cos(2 pi t)") {
  double worst = 0;
  for (int i = -200000; i <= 200000; ++i) {
    const float t = static_cast<float>(i) * 1e-5f;
    worst = std::max(worst, std::abs(fast::cos_2pi(t) - std::cos(6.283185307179586 * static_cast<double>(t))));
  }
  CHECK(worst < 1e-6);
}

TEST_CASE("fast::exp is within 1e-6 relative of std::exp on [-20, 20]") {
  double worst = 0;
  for (int i = -200000; i <= 200000; ++i) {
    const float x = static_cast<float>(i) * 1e-4f;
    const double exact = std::exp(static_cast<double>(x));
    worst = std::max(worst, std::abs(fast::exp(x) - exact) / exact);
  }
  CHECK(worst < 1e-6);
}
