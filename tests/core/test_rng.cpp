// Counter-based random streams: reproducible, independent by counter, right distributions.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <vector>

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

TEST_CASE("gamma draws have the moments of Gamma(a, 1), below and above a = 1") {
  const RandomKey key(3, 0);
  for (const double a : {0.3, 1.0, 2.0, 7.5}) {
    const int n = 100000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; ++i) {
      Stream s(key, {static_cast<std::uint32_t>(i), 0, 0, Purpose::kInitCapability, 0});
      const double g = gamma_draw(s, a);
      REQUIRE(g >= 0.0);
      sum += g, sum2 += g * g;
    }
    const double mean = sum / n, var = sum2 / n - mean * mean;
    CAPTURE(a);
    CHECK(std::abs(mean - a) < test::tolerance(std::sqrt(a), n));
    CHECK(var == Approx(a).epsilon(0.04));  // sd of the sample variance: about 1.5% at a = 0.3, n = 1e5
  }
}

TEST_CASE("a Beta's first tries give beta_draw's value wherever they decide") {
  // Synthesis takes the capability's Beta from beta_first_try where it is not NaN, and
  // from beta_draw elsewhere: both must give the same bits as beta_draw alone.
  const auto [a, b] = GENERATE(std::pair{2.0, 5.0}, std::pair{1.0, 1.0}, std::pair{1.0, 30.0}, std::pair{7.5, 1.5});
  const RandomKey key(11, 2);
  int passed = 0;
  for (std::uint32_t uid = 0; uid < 20000; ++uid) {
    const Counter start{uid, 3, 1, Purpose::kInitCapability, 0};
    const Words first = key.words(start);
    const Words second = key.words({uid, 3, 1, Purpose::kInitCapability, 1});
    const double tried =
        beta_first_try(GammaShape(a), GammaShape(b), first[0], first[1], first[2], first[3], second[0], second[1]);
    Stream s(key, start);
    const double drawn = beta_draw(s, a, b);
    if (std::isnan(tried)) continue;
    ++passed;
    REQUIRE(tried == drawn);
  }
  INFO("a = " << a << ", b = " << b << ": " << passed);
  CHECK(passed > 17500);  // 90 to 98% of firms here: the squeeze and then the log test accept most tries
}

TEST_CASE("beta draws follow the Beta(2, 5) distribution function") {
  // For integer a and b, I_x(a, b) = sum_{j=a}^{a+b-1} C(a+b-1, j) x^j (1-x)^(a+b-1-j).
  const auto cdf = [](double x) {
    double p = 0, binom = 1;  // C(6, j)
    for (int j = 0; j <= 6; ++j) {
      if (j >= 2) p += binom * std::pow(x, j) * std::pow(1 - x, 6 - j);
      binom = binom * (6 - j) / (j + 1);
    }
    return p;
  };
  const RandomKey key(4, 1);
  const int n = 100000;
  std::vector<double> draws;
  for (int i = 0; i < n; ++i) {
    Stream s(key, {static_cast<std::uint32_t>(i), 0, 0, Purpose::kInitCapability, 0});
    draws.push_back(beta_draw(s, 2.0, 5.0));
  }
  std::sort(draws.begin(), draws.end());
  double ks = 0;  // Kolmogorov-Smirnov distance; the 0.1% critical value is 1.95 / sqrt(n)
  for (int i = 0; i < n; ++i)
    ks = std::max({ks, std::abs(cdf(draws[i]) - double(i) / n), std::abs(cdf(draws[i]) - double(i + 1) / n)});
  CHECK(ks < 1.95 / std::sqrt(double(n)));
  CHECK(draws.front() > 0.0);
  CHECK(draws.back() < 1.0);
}

TEST_CASE("normals from two words: the tails are cut at 5.9 standard deviations and nothing is NaN") {
  CHECK(std::abs(to_normal(0, 0)) < 5.9f);
  CHECK(std::abs(to_normal(0, 0)) > 5.8f);
  CHECK(to_normal(0xFFFFFFFFu, 0) == Approx(0.0).margin(1e-3));
}

TEST_CASE("eight counters at a time with AVX2, and sixteen with AVX-512, give the same words as one at a time") {
  const Isa isa = GENERATE(Isa::kAvx2, Isa::kAvx512);
  if (cpu_isa() < isa) {
    WARN("this CPU lacks the instruction set: nothing to compare");
    return;
  }
  const RandomKey key(2024, 9);
  std::vector<std::uint32_t> uid(1019), w0(uid.size()), w1(uid.size()), w2(uid.size()), w3(uid.size());
  for (std::size_t j = 0; j < uid.size(); ++j) uid[j] = static_cast<std::uint32_t>(j * 2654435761u);
  const Counter c{0, -7, 5, Purpose::kFirmMonth, 3};
  // 1019 counters: AVX-512, 31 pairs of sets of 16, a set of 16, one of 8 and a tail of 3 one
  // at a time; AVX2, 63 pairs of sets of 8, a set of 8 and the tail of 3
  key.words_batch(isa, c, uid.data(), uid.size(), w0.data(), w1.data(), w2.data(), w3.data());
  for (std::size_t j = 0; j < uid.size(); ++j) {
    const Words w = key.words({uid[j], c.month, c.city, c.purpose, c.index});
    REQUIRE(w == Words{w0[j], w1[j], w2[j], w3[j]});
  }
}
