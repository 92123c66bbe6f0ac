// Counter-based random streams (Random123 Philox4x32-10), keyed by (seed, replication).
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "smesim/core/fast_math.hpp"
#include "smesim/core/isa.hpp"

namespace smesim {

/// What a draw is for. One value per kind of draw, so adding a draw never shifts another.
/// Values are part of the reproducibility contract: append, never renumber.
enum class Purpose : std::uint32_t {
  kInitSector = 1,            // a new firm's sector (initial firms only)
  kInitSize = 2,              // a new firm's size class and normal size
  kInitProductivity = 3,      // theta and the cash-buffer multiplier
  kInitState = 4,             // demand state z and (initial firms) age
  kInitCapability = 5,        // Beta(a, b) capability
  kFirmMonth = 6,             // demand innovation, exogenous exit, labour rounding, lockdown-order redraw
  kEntryCount = 7,            // births per (city, sector, month)
  kHazard = 8,                // whether a hazard hits (city, month)
  kHazardDamage = 9,          // whether a hazard touches a firm
  kBid = 10,                  // a firm's bid decision and score in a call (index: project)
  kTechnicalAssistance = 11,  // the draw that ranks SMEs for technical assistance
  kDesign = 12,               // sweep designs (Latin hypercube strata, Morris starts)
  kTakeUp = 13,               // whether stimulus policies reach a firm (month 0: the same every month)
  kInitOwner = 14,            // a new firm's owner's funds
  kLockdownOrder = 15,        // a firm's fixed place in the lockdown order (month 0): whether a lockdown closes it
};

/// Four 32-bit words: one Philox call.
using Words = std::array<std::uint32_t, 4>;

/// The counter of one draw: (uid or sector, month, city and purpose, index).
struct Counter {
  std::uint32_t uid = 0;   ///< firm uid, or the sector/item index for city-level draws
  std::int32_t month = 0;  ///< month index; burn-in months are negative
  std::uint32_t city = 0;  ///< city index, 0..255
  Purpose purpose = Purpose::kFirmMonth;
  std::uint32_t index = 0;  ///< draw number within (uid, month, city, purpose)
};

/// The generator of one replication: a pure function from counters to random words.
/// No state changes when drawing, so any thread may draw any counter in any order.
class RandomKey {
 public:
  RandomKey(std::uint32_t seed, std::uint32_t replication) : key_{{seed, replication}} {}

  /// The four words at counter `c`.
  Words words(const Counter& c) const {
    using P = r123::Philox4x32;
    const P::ctr_type ctr{
        {c.uid, static_cast<std::uint32_t>(c.month), (c.city << 8) | static_cast<std::uint32_t>(c.purpose), c.index}};
    const P::ctr_type out = P{}(ctr, key_);
    return {out[0], out[1], out[2], out[3]};
  }

  /// The words at the counters `c` with uid uid[j], j < n, into w0[j] .. w3[j]: the same
  /// bits as words(), in the build of `isa` (src/core/philox_batch.cpp): one counter at
  /// a time, eight with AVX2 or sixteen with AVX-512. Call with an `isa` the CPU has.
  void words_batch(Isa isa, Counter c, const std::uint32_t* uid, std::size_t n, std::uint32_t* w0, std::uint32_t* w1,
                   std::uint32_t* w2, std::uint32_t* w3) const;

 private:
  r123::Philox4x32::key_type key_;
};

/// A uniform double in the open interval (0, 1) from one 32-bit word.
inline double to_unit(std::uint32_t w) { return (static_cast<double>(w) + 0.5) * 0x1p-32; }

/// A standard normal from two words (Box-Muller, cosine branch) in single precision: the
/// high 24 bits of each word as uniforms, and the float approximations of fast_math.hpp,
/// so a loop over it vectorises and gives the same bits at any vector width; |z| < 5.9.
inline float to_normal(std::uint32_t w0, std::uint32_t w1) {
  // Through int32 because x86 converts signed integers to float directly.
  const float u0 = (static_cast<float>(static_cast<std::int32_t>(w0 >> 8)) + 0.5f) * 0x1p-24f;  // (0, 1]
  const float u1 = static_cast<float>(static_cast<std::int32_t>(w1 >> 8)) * 0x1p-24f;           // [0, 1)
  return std::sqrt(-2.0f * fast::log(u0)) * fast::cos_2pi(u1);
}

/// A URNG over consecutive counters, for Boost.Random distributions off the hot path.
/// Each call returns the next 32-bit word of the stream starting at `start`.
class Stream {
 public:
  using result_type = std::uint32_t;
  Stream(const RandomKey& key, Counter start) : key_(key), ctr_(start) {}
  /// The same stream, its first block `first` (the words at `start`) drawn already.
  Stream(const RandomKey& key, Counter start, const Words& first) : key_(key), ctr_(start), buf_(first), pos_(0) {
    ++ctr_.index;
  }
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    if (pos_ == 4) {
      buf_ = key_.words(ctr_);
      ++ctr_.index;
      pos_ = 0;
    }
    return buf_[pos_++];
  }
  /// A uniform in (0, 1).
  double uniform() { return to_unit((*this)()); }
  /// A standard normal.
  double normal() {
    const auto a = (*this)();
    return to_normal(a, (*this)());
  }

 private:
  const RandomKey& key_;
  Counter ctr_;
  Words buf_{};
  int pos_ = 4;
};

/// The constants of Marsaglia and Tsang's method for Gamma(shape), shape >= 1.
struct GammaShape {
  double d, c;
  explicit GammaShape(double shape) : d(shape - 1.0 / 3.0), c(1.0 / std::sqrt(9.0 * d)) {}
};

/// One try of Marsaglia and Tsang's method from a normal x and a uniform u: d v where the
/// try is accepted by the squeeze (about 92% of tries), else NaN (rejected, or the
/// log test decides). Branch-free, so a loop over it vectorises; gamma_draw's tries.
inline double gamma_squeeze(const GammaShape& g, double x, double u) {
  const double root = 1.0 + g.c * x;
  const double v = root * root * root;
  return root > 0.0 && u < 1.0 - 0.0331 * (x * x) * (x * x) ? g.d * v : std::numeric_limits<double>::quiet_NaN();
}

/// One try of Marsaglia and Tsang's method as gamma_draw decides it: d v where the
/// squeeze accepts, or where the log test accepts by a margin (1e-5 of its terms) far
/// wider than the error of fast::log in single precision (so gamma_draw, with std::log,
/// accepts it too); else NaN (rejected, or too close to call: gamma_draw decides).
/// Branch-free, so a loop over it vectorises.
inline double gamma_first_try(const GammaShape& g, double x, double u) {
  const double squeezed = gamma_squeeze(g, x, u);
  const double root = 1.0 + g.c * x;
  const double v = root * root * root;
  const bool defined = root > 0.0 && v > 1e-30;  // v a normal float: fast::log takes it
  const double log_u = fast::log(static_cast<float>(u));
  const double log_v = fast::log(static_cast<float>(defined ? v : 1.0));
  const double bound = 0.5 * x * x + g.d * (1.0 - v + log_v);
  const double margin =
      1e-5 * (1.0 + (log_u < 0 ? -log_u : log_u) + 0.5 * x * x + g.d * (1.0 + v + (log_v < 0 ? -log_v : log_v)));
  const bool accepted = defined && log_u < bound - margin;
  return squeezed == squeezed ? squeezed : (accepted ? g.d * v : std::numeric_limits<double>::quiet_NaN());
}

/// Beta(a, b), a and b at least 1, as beta_draw gives it from a stream whose first six
/// words are c0 .. c5, where both gammas' first tries decide (gamma_first_try); else NaN
/// (then beta_draw decides). Branch-free, so a loop over it vectorises.
inline double beta_first_try(const GammaShape& a, const GammaShape& b, std::uint32_t c0, std::uint32_t c1,
                             std::uint32_t c2, std::uint32_t c3, std::uint32_t c4, std::uint32_t c5) {
  const double x = gamma_first_try(a, to_normal(c0, c1), to_unit(c2));
  const double sum = x + gamma_first_try(b, to_normal(c3, c4), to_unit(c5));
  return sum > 0.0 ? x / sum : std::numeric_limits<double>::quiet_NaN();
}

/// Gamma(a, 1) for a > 0 from `s`: Marsaglia and Tsang's method (ACM TOMS 26, 2000),
/// exact, a normal and a uniform per try and about 1.05 tries for a >= 1 (a log only in
/// the rare second test); for a < 1, Gamma(a + 1) U^(1/a).
double gamma_draw(Stream& s, double a);

/// Beta(a, b) from `s`, as X / (X + Y) with X ~ Gamma(a) and Y ~ Gamma(b) (drawn again
/// in the rare case that both underflow to 0).
double beta_draw(Stream& s, double a, double b);

}  // namespace smesim
