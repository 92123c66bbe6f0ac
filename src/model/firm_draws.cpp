// The firm kernel's draw pass (MODEL.md step 3): firm-month draws, demand states and
// multipliers, places in the lockdown order and take-up draws of a chunk of firms.
#include "firm_draws.hpp"

#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "smesim/core/fast_math.hpp"

namespace smesim {
namespace {

/// Months a firm's place in the lockdown order looks back for its latest redraw; before
/// that its fixed draw holds (with a turnover of 0.1 a month, a chance of 2% to get there).
constexpr int kOrderMemory = 36;

/// How the 128 bits of a firm-month call are shared (docs/ODD.md, section 7.2): the high
/// 24 bits of words 0 and 1 are the Box-Muller uniforms, word 2 is the exit draw, the
/// high 16 bits of word 3 round hires and fires, its low 16 bits decide whether the
/// firm's place in the lockdown order is redrawn this month, and the low bytes of words 0
/// and 1 are that new place. Each returns a word that to_unit reads as a uniform.
inline std::uint32_t rounding_bits(std::uint32_t w3) { return w3 & 0xffff0000u; }
inline std::uint32_t redraw_bits(std::uint32_t w3) { return w3 << 16; }
inline std::uint32_t order_bits(std::uint32_t w0, std::uint32_t w1) { return (w1 & 0xffu) << 24 | (w0 & 0xffu) << 16; }

/// The firm-month words of `month` of the firms uid[0 .. n), by the Philox batch of the
/// build (the same bits in every build).
template <Isa kIsa>
__attribute__((always_inline)) inline void firm_month_words(const KernelInput& in, int month, const std::uint32_t* uid,
                                                            std::size_t n, std::uint32_t* w0, std::uint32_t* w1,
                                                            std::uint32_t* w2, std::uint32_t* w3) {
  const Counter c{0, month, static_cast<std::uint32_t>(in.city.index), Purpose::kFirmMonth, 0};
  in.key.words_batch(kIsa, c, uid, n, w0, w1, w2, w3);
}

/// How many words w have to_unit(w) < p: to_unit increases with w, so to_unit(w) < p
/// exactly where w < words_below(p), an integer test that vectors make sixteen at a time.
std::uint64_t words_below(double p) {
  constexpr std::uint64_t kWords = std::uint64_t{1} << 32;
  std::uint64_t k = p <= 0 ? 0 : (p >= 1 ? kWords : static_cast<std::uint64_t>(p * 0x1p32));
  while (k > 0 && !(to_unit(static_cast<std::uint32_t>(k - 1)) < p)) --k;
  while (k < kWords && to_unit(static_cast<std::uint32_t>(k)) < p) ++k;
  return k;
}

/// The chunk positions j < n whose redraw word is not below `below`, in order, into
/// todo; returns how many. The AVX-512 build compresses sixteen positions at a time.
__attribute__((always_inline)) inline std::size_t not_redrawn(const std::uint32_t* w3, std::size_t n,
                                                              std::uint64_t below, std::uint32_t* todo) {
  std::size_t m = 0;
  for (std::size_t j = 0; j < n; ++j) {
    todo[m] = static_cast<std::uint32_t>(j);
    m += redraw_bits(w3[j]) >= below ? 1 : 0;
  }
  return m;
}
__attribute__((target(SMESIM_TARGET_AVX512))) std::size_t not_redrawn_avx512(const std::uint32_t* w3, std::size_t n,
                                                                             std::uint64_t below, std::uint32_t* todo) {
  if (below > 0xffffffffu) return 0;  // every firm redrawn
  const __m512i bound = _mm512_set1_epi32(static_cast<int>(below));
  const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  std::size_t m = 0;
  for (std::size_t j = 0; j < n; j += 16) {
    const auto in = static_cast<__mmask16>(n - j >= 16 ? 0xffffu : (1u << (n - j)) - 1);
    const __m512i w = _mm512_maskz_slli_epi32(in, _mm512_maskz_loadu_epi32(in, w3 + j), 16);  // redraw_bits
    const __mmask16 kept = _mm512_mask_cmpge_epu32_mask(in, w, bound);
    _mm512_mask_compressstoreu_epi32(todo + m, kept, _mm512_add_epi32(lanes, _mm512_set1_epi32(static_cast<int>(j))));
    m += static_cast<std::size_t>(__builtin_popcount(kept));
  }
  return m;
}

/// The firm-month words of a chunk of firms that later passes read.
struct MonthWords {
  std::uint32_t w0[kChunk], w1[kChunk], w3[kChunk];
};

/// A firm's place in the lockdown order (docs/ODD.md 7.5) as a word, uniform when read by
/// to_unit and lowest for the least essential activity: a fixed draw per firm, drawn anew
/// in each month with chance `turnover` (from that month's firm-month call); the latest
/// redraw counts. A pure function of the month, so it needs no state and gives the same
/// bits however firms are split. This month's call is already made; for the firms not
/// redrawn in it, each month further back is one vectorised Philox loop, and about a
/// third of the firms go on to the next.
template <Isa kIsa>
__attribute__((always_inline)) inline void order_chunk_body(const FirmTable& t, const KernelInput& in,
                                                            std::size_t first, std::size_t n, double turnover,
                                                            const MonthWords& now, ChunkDraws& d) {
  const auto city = static_cast<std::uint32_t>(in.city.index);
  const std::uint64_t below = words_below(turnover);  // redrawn: to_unit(redraw_bits) < turnover
  std::uint32_t todo[kChunk];                         // chunk positions of the firms not yet decided
  std::uint32_t uid[kChunk], w0[kChunk], w1[kChunk], w2[kChunk], w3[kChunk];
  for (std::size_t j = 0; j < n; ++j) d.order_word[j] = order_bits(now.w0[j], now.w1[j]);  // unless redrawn
  std::size_t m = 0;
  if constexpr (kIsa == Isa::kAvx512)
    m = not_redrawn_avx512(now.w3, n, below, todo);
  else
    m = not_redrawn(now.w3, n, below, todo);
  for (int back = 1; turnover > 0 && back < kOrderMemory && m > 0; ++back) {
    for (std::size_t k = 0; k < m; ++k) uid[k] = t.uid[first + todo[k]];
    firm_month_words<kIsa>(in, in.month - back, uid, m, w0, w1, w2, w3);
    std::size_t left = 0;
    for (std::size_t k = 0; k < m; ++k) {
      const bool redrawn = redraw_bits(w3[k]) < below;
      d.order_word[todo[k]] = order_bits(w0[k], w1[k]);
      todo[left] = todo[k];
      left += !redrawn;
    }
    m = left;
  }
  for (std::size_t k = 0; k < m; ++k) uid[k] = t.uid[first + todo[k]];
  for (std::size_t k = 0; k < m; ++k) w0[k] = in.key.words({uid[k], 0, city, Purpose::kLockdownOrder, 0})[0];
  for (std::size_t k = 0; k < m; ++k) d.order_word[todo[k]] = w0[k];
}

/// Passes 1 and 2 over firms [first, first + n): one Philox call per firm, then the
/// demand state z (AR(1) with a Box-Muller innovation) and its multiplier e. Dead firms
/// are computed too (and ignored): no branches, so the loops vectorise. Compiled three
/// times (below), for x86-64, AVX2 and AVX-512: 32-bit integer Philox and float
/// arithmetic without FMA contraction (-ffp-contract=off) give the same bits at any
/// width, which a test checks.
template <Isa kIsa>
__attribute__((always_inline)) inline void draw_chunk_body(FirmTable& t, const KernelInput& in, std::size_t first,
                                                           std::size_t n, MonthWords& words, ChunkDraws& d) {
  const FirmBehaviour& f = in.scenario.firms;
  std::uint32_t* w0 = words.w0;
  std::uint32_t* w1 = words.w1;
  const std::uint32_t* uid = t.uid.data() + first;
  firm_month_words<kIsa>(in, in.month, uid, n, w0, w1, d.exit_word, words.w3);
  for (std::size_t j = 0; j < n; ++j) d.round_word[j] = rounding_bits(words.w3[j]);
  const float phi_z = static_cast<float>(f.demand_persistence);
  const float innovation_sd = static_cast<float>(std::sqrt(1.0 - f.demand_persistence * f.demand_persistence));
  const float s_z = static_cast<float>(f.demand_volatility);
  const float z_shift = -0.5f * s_z * s_z;
  float* __restrict z = t.demand_state.data() + first;
  float* __restrict noise = d.demand_noise;
  for (std::size_t j = 0; j < n; ++j) {
    z[j] = phi_z * z[j] + innovation_sd * to_normal(w0[j], w1[j]);
    noise[j] = fast::exp(s_z * z[j] + z_shift);
  }
}

/// The firms' take-up draws (policies.hpp: take_up_counter), one vectorised Philox loop.
__attribute__((always_inline)) inline void take_up_chunk_body(const FirmTable& t, const KernelInput& in,
                                                              std::size_t first, std::size_t n, ChunkDraws& d) {
  const auto city = static_cast<std::uint32_t>(in.city.index);
  const std::uint32_t* uid = t.uid.data() + first;
  for (std::size_t j = 0; j < n; ++j) d.take_up_word[j] = in.key.words(take_up_counter(uid[j], city))[0];
}

template <Isa kIsa>
__attribute__((always_inline)) inline void draw_needs_body(FirmTable& t, const KernelInput& in, std::size_t first,
                                                           std::size_t n, ChunkDraws& d, ChunkNeeds needs) {
  MonthWords words;
  draw_chunk_body<kIsa>(t, in, first, n, words, d);
  if (needs.order) order_chunk_body<kIsa>(t, in, first, n, in.scenario.responses.order_turnover, words, d);
  if (needs.take_up) take_up_chunk_body(t, in, first, n, d);
}

void draw_chunk_x86_64(FirmTable& t, const KernelInput& in, std::size_t first, std::size_t n, ChunkDraws& d,
                       ChunkNeeds needs) {
  draw_needs_body<Isa::kX86_64>(t, in, first, n, d, needs);
}

__attribute__((target("avx2"))) void draw_chunk_avx2(FirmTable& t, const KernelInput& in, std::size_t first,
                                                     std::size_t n, ChunkDraws& d, ChunkNeeds needs) {
  draw_needs_body<Isa::kAvx2>(t, in, first, n, d, needs);
}

__attribute__((target(SMESIM_TARGET_AVX512_WIDE))) void draw_chunk_avx512(FirmTable& t, const KernelInput& in,
                                                                          std::size_t first, std::size_t n,
                                                                          ChunkDraws& d, ChunkNeeds needs) {
  draw_needs_body<Isa::kAvx512>(t, in, first, n, d, needs);
}

}  // namespace

// An explicit test, not target_clones: its ifunc resolver runs before ThreadSanitizer's
// runtime is ready and crashes TSan builds at start.
void draw_chunk(FirmTable& t, const KernelInput& in, std::size_t first, std::size_t n, ChunkDraws& d,
                ChunkNeeds needs) {
  switch (std::min(cpu_isa(), in.isa)) {
    case Isa::kAvx512:
      return draw_chunk_avx512(t, in, first, n, d, needs);
    case Isa::kAvx2:
      return draw_chunk_avx2(t, in, first, n, d, needs);
    case Isa::kX86_64:
      return draw_chunk_x86_64(t, in, first, n, d, needs);
  }
}

}  // namespace smesim
