// Counter-based random streams: reproducible, independent by counter, right distributions.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "smesim/core/rng.hpp"
#include "support/helpers.hpp"

using namespace smesim;

TEST_CASE("the same counter gives the same words; any field change gives others") {
  const RandomKey key(42, 3);
  const Counter c{17, -5, 2, Purpose::kFirmMonth, 0};
  CHECK(key.words(c) == key.words(c));
  std::set<Words> seen{key.words(c)};
  seen.insert(key.words({18, -5, 2, Purpose::kFirmMonth, 0}));
  seen.insert(key.words({17, -4, 2, Purpose::kFirmMonth, 0}));
  seen.insert(key.words({17, -5, 3, Purpose::kFirmMonth, 0}));
  seen.insert(key.words({17, -5, 2, Purpose::kEntryCount, 0}));
  seen.insert(key.words({17, -5, 2, Purpose::kFirmMonth, 1}));
  seen.insert(RandomKey(42, 4).words(c));
  seen.insert(RandomKey(43, 3).words(c));
  CHECK(seen.size() == 8);
}

TEST_CASE("uniforms lie in (0, 1) and normals have mean 0 and variance 1") {
  const RandomKey key(1, 0);
  const int n = 200000;
  double sum = 0, sum2 = 0, usum = 0;
  for (int i = 0; i < n; ++i) {
    const Words w = key.words({static_cast<std::uint32_t>(i), 0, 0, Purpose::kFirmMonth, 0});
    const double u = to_unit(w[2]);
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    usum += u;
    const double z = to_normal(w[0], w[1]);
    sum += z, sum2 += z * z;
  }
  CHECK(std::abs(usum / n - 0.5) < test::tolerance(std::sqrt(1.0 / 12), n));
  CHECK(std::abs(sum / n) < test::tolerance(1.0, n));
  CHECK(std::abs(sum2 / n - 1.0) < test::tolerance(std::sqrt(2.0), n));
  CHECK(to_unit(0) > 0.0);
  CHECK(to_unit(0xFFFFFFFFu) < 1.0);
}

TEST_CASE("a stream continues across Philox blocks without repeating") {
  const RandomKey key(5, 1);
  Stream a(key, {1, 0, 0, Purpose::kInitSector, 0});
  Stream b(key, {1, 0, 0, Purpose::kInitSector, 0});
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 64; ++i) {
    const auto x = a();
    CHECK(x == b());
    seen.insert(x);
  }
  CHECK(seen.size() == 64);
}
