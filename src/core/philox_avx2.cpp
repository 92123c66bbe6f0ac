// Philox4x32-10 for eight counters at once with AVX2 intrinsics: the same bits as
// Random123's (RandomKey::words), about twice as fast as GCC's vectorisation of it.
#include <immintrin.h>

#include "smesim/core/rng.hpp"

namespace smesim {
namespace {

/// The 64-bit products a * m of eight 32-bit lanes, as their high and low halves:
/// _mm256_mul_epu32 multiplies the even lanes, and the odd ones shifted down.
__attribute__((target("avx2"), always_inline)) inline void mulhilo(__m256i a, __m256i m, __m256i& hi, __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(a, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

__attribute__((target("avx2"), always_inline)) inline __m256i load(const std::uint32_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

__attribute__((target("avx2"), always_inline)) inline void store(std::uint32_t* w, std::size_t j, __m256i x) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(w + j), x);
}

__attribute__((target("avx2"), always_inline)) inline __m256i broadcast(std::uint32_t x) {
  return _mm256_set1_epi32(static_cast<int>(x));
}

/// Philox4x32-10 of the counters (uid[j + 8h], month, word2, index) for h < kSets, eight
/// lanes a set, written to w0 .. w3 at j. Random123's round: (hi0, lo0) = M0 x0,
/// (hi1, lo1) = M1 x2, then x = (hi1 ^ x1 ^ k0, lo1, hi0 ^ x3 ^ k1, lo0); the key is
/// bumped before every round but the first. Sets side by side are independent chains of
/// multiplies, which keep the multipliers busy.
template <std::size_t kSets>
__attribute__((target("avx2"), always_inline)) inline void philox_sets(const std::uint32_t key[2],
                                                                       const std::uint32_t* uid, std::uint32_t month,
                                                                       std::uint32_t word2, std::uint32_t index,
                                                                       std::size_t j, std::uint32_t* const w[4]) {
  const __m256i m0 = broadcast(0xD2511F53u), m1 = broadcast(0xCD9E8D57u);
  __m256i x0[kSets], x1[kSets], x2[kSets], x3[kSets];
  for (std::size_t h = 0; h < kSets; ++h)
    x0[h] = load(uid + j + 8 * h), x1[h] = broadcast(month), x2[h] = broadcast(word2), x3[h] = broadcast(index);
  std::uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; ++round) {
    if (round > 0) k0 += 0x9E3779B9u, k1 += 0xBB67AE85u;
    for (std::size_t h = 0; h < kSets; ++h) {
      __m256i hi0, lo0, hi1, lo1;
      mulhilo(x0[h], m0, hi0, lo0);
      mulhilo(x2[h], m1, hi1, lo1);
      x0[h] = _mm256_xor_si256(_mm256_xor_si256(hi1, x1[h]), broadcast(k0));
      x2[h] = _mm256_xor_si256(_mm256_xor_si256(hi0, x3[h]), broadcast(k1));
      x1[h] = lo1, x3[h] = lo0;
    }
  }
  for (std::size_t h = 0; h < kSets; ++h) {
    const std::size_t at = j + 8 * h;
    store(w[0], at, x0[h]), store(w[1], at, x1[h]), store(w[2], at, x2[h]), store(w[3], at, x3[h]);
  }
}

}  // namespace

__attribute__((target("avx2"))) void RandomKey::words_avx2(Counter c, const std::uint32_t* uid, std::size_t n,
                                                           std::uint32_t* w0, std::uint32_t* w1, std::uint32_t* w2,
                                                           std::uint32_t* w3) const {
  const std::uint32_t word2 = (c.city << 8) | static_cast<std::uint32_t>(c.purpose);
  const auto month = static_cast<std::uint32_t>(c.month);
  std::uint32_t* const w[4] = {w0, w1, w2, w3};
  std::size_t j = 0;
  for (; j + 16 <= n; j += 16) philox_sets<2>(key_.data(), uid, month, word2, c.index, j, w);
  for (; j + 8 <= n; j += 8) philox_sets<1>(key_.data(), uid, month, word2, c.index, j, w);
  for (; j < n; ++j) {
    c.uid = uid[j];
    const Words w = words(c);
    w0[j] = w[0], w1[j] = w[1], w2[j] = w[2], w3[j] = w[3];
  }
}

}  // namespace smesim
