// Philox4x32-10 for many counters: eight at once with AVX2 intrinsics, sixteen with
// AVX-512, the same bits as Random123's (RandomKey::words), and faster than GCC's
// vectorisation of it.
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

/// The counters' words eight at a time; returns how many were done (the rest, fewer than
/// eight, are left).
__attribute__((target("avx2"))) std::size_t words_avx2(const std::uint32_t key[2], Counter c, const std::uint32_t* uid,
                                                       std::size_t n, std::uint32_t* const w[4]) {
  const std::uint32_t word2 = (c.city << 8) | static_cast<std::uint32_t>(c.purpose);
  const auto month = static_cast<std::uint32_t>(c.month);
  std::size_t j = 0;
  for (; j + 16 <= n; j += 16) philox_sets<2>(key, uid, month, word2, c.index, j, w);
  for (; j + 8 <= n; j += 8) philox_sets<1>(key, uid, month, word2, c.index, j, w);
  return j;
}

}  // namespace

// GCC 12's AVX-512 headers start some intrinsics from _mm512_undefined_epi32(), which
// -Wmaybe-uninitialized reports at every use (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace {

/// Philox4x32-10 of the counters (uid[j + 16h + l], month, word2, index) for h < kSets,
/// sixteen lanes a set, written to w0 .. w3 at j: the AVX2 round with 64-bit products
/// split by two permutes (the low and the high halves of the even and odd products) and
/// the round's two xors as one. Sets side by side are independent chains.
template <std::size_t kSets>
__attribute__((target(SMESIM_TARGET_AVX512), always_inline)) inline void philox16(
    const std::uint32_t key[2], const std::uint32_t* uid, std::uint32_t month, std::uint32_t word2, std::uint32_t index,
    std::size_t j, std::uint32_t* const w[4]) {
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(0xD2511F53u));
  const __m512i m1 = _mm512_set1_epi32(static_cast<int>(0xCD9E8D57u));
  // 32-bit lane 2i of a product vector is the low half of product i, lane 2i + 1 its high.
  const __m512i low = _mm512_setr_epi32(0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30);
  const __m512i high = _mm512_setr_epi32(1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
  __m512i x0[kSets], x1[kSets], x2[kSets], x3[kSets];
  for (std::size_t h = 0; h < kSets; ++h) {
    x0[h] = _mm512_loadu_si512(uid + j + 16 * h);
    x1[h] = _mm512_set1_epi32(static_cast<int>(month));
    x2[h] = _mm512_set1_epi32(static_cast<int>(word2));
    x3[h] = _mm512_set1_epi32(static_cast<int>(index));
  }
  std::uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; ++round) {
    if (round > 0) k0 += 0x9E3779B9u, k1 += 0xBB67AE85u;
    for (std::size_t h = 0; h < kSets; ++h) {
      const __m512i even0 = _mm512_mul_epu32(x0[h], m0), odd0 = _mm512_mul_epu32(_mm512_srli_epi64(x0[h], 32), m0);
      const __m512i even1 = _mm512_mul_epu32(x2[h], m1), odd1 = _mm512_mul_epu32(_mm512_srli_epi64(x2[h], 32), m1);
      const __m512i hi0 = _mm512_permutex2var_epi32(even0, high, odd0);
      const __m512i hi1 = _mm512_permutex2var_epi32(even1, high, odd1);
      // 0x96: a ^ b ^ c
      x0[h] = _mm512_ternarylogic_epi32(hi1, x1[h], _mm512_set1_epi32(static_cast<int>(k0)), 0x96);
      x2[h] = _mm512_ternarylogic_epi32(hi0, x3[h], _mm512_set1_epi32(static_cast<int>(k1)), 0x96);
      x1[h] = _mm512_permutex2var_epi32(even1, low, odd1);
      x3[h] = _mm512_permutex2var_epi32(even0, low, odd0);
    }
  }
  for (std::size_t h = 0; h < kSets; ++h) {
    const std::size_t at = j + 16 * h;
    _mm512_storeu_si512(w[0] + at, x0[h]);
    _mm512_storeu_si512(w[1] + at, x1[h]);
    _mm512_storeu_si512(w[2] + at, x2[h]);
    _mm512_storeu_si512(w[3] + at, x3[h]);
  }
}

/// The counters' words thirty-two at a time (two sets of sixteen), then sixteen, then
/// eight at a time; returns how many were done.
__attribute__((target(SMESIM_TARGET_AVX512))) std::size_t words_avx512(const std::uint32_t key[2], Counter c,
                                                                       const std::uint32_t* uid, std::size_t n,
                                                                       std::uint32_t* const w[4]) {
  const std::uint32_t word2 = (c.city << 8) | static_cast<std::uint32_t>(c.purpose);
  const auto month = static_cast<std::uint32_t>(c.month);
  std::size_t j = 0;
  for (; j + 32 <= n; j += 32) philox16<2>(key, uid, month, word2, c.index, j, w);
  for (; j + 16 <= n; j += 16) philox16<1>(key, uid, month, word2, c.index, j, w);
  std::uint32_t* const rest[4] = {w[0] + j, w[1] + j, w[2] + j, w[3] + j};
  return j + words_avx2(key, c, uid + j, n - j, rest);
}

}  // namespace

void RandomKey::words_batch(Isa isa, Counter c, const std::uint32_t* uid, std::size_t n, std::uint32_t* w0,
                            std::uint32_t* w1, std::uint32_t* w2, std::uint32_t* w3) const {
  std::uint32_t* const w[4] = {w0, w1, w2, w3};
  std::size_t j = 0;
  if (isa == Isa::kAvx512)
    j = words_avx512(key_.data(), c, uid, n, w);
  else if (isa == Isa::kAvx2)
    j = words_avx2(key_.data(), c, uid, n, w);
  for (; j < n; ++j) {  // the rest one at a time
    c.uid = uid[j];
    const Words x = words(c);
    w0[j] = x[0], w1[j] = x[1], w2[j] = x[2], w3[j] = x[3];
  }
}

}  // namespace smesim
