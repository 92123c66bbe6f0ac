// Sixteen firms at a time: the lane backend of the per-firm pass's AVX-512 build
// (firm_pass_avx512.cpp), with the names of lanes.hpp's eight-lane one, so that
// firm_month.inc builds over either. Classes over AVX-512 intrinsics rather than GCC
// vector extensions: GCC 12 lowers comparisons and selects of 16-float vector
// extensions lane by lane, where these are single instructions with mask registers.
// Each operation has the semantics of its GCC vector-extension counterpart, lane by
// lane, so the bits are the eight-lane builds': float comparisons are ordered (!=
// unordered), min(a, b) is b < a ? b : a, conversions to int truncate, narrowing keeps
// the low bits. A group's lanes l and l + 8 hold the firms at positions l modulo 8, and
// the sums add lane l before lane l + 8, as the eight-lane builds add one group of eight
// before the next. Private to src/model; every function is inlined and built for AVX-512.
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "firm_pass.hpp"
#include "smesim/core/isa.hpp"

namespace smesim::lanes16 {

#define SMESIM_LANES __attribute__((always_inline, target(SMESIM_TARGET_AVX512))) inline

constexpr int kWidth = 16;
static_assert(kWidth == 2 * kLanes && kChunk % kWidth == 0, "a group of sixteen is two of the sums' eight lanes");

/// Lane l of a vector `V` (below) as the generic code uses it: read as V's lane type, or
/// set, as a lane of a GCC vector extension would be.
template <class V>
struct Lane {
  V& x;
  int l;
  SMESIM_LANES operator auto() const { return x.get(l); }
  template <class T>
  SMESIM_LANES Lane& operator=(T y) {
    x.set(l, y);
    return *this;
  }
};

/// The lanes where a condition holds: one bit each. A lane reads as a bool and is set
/// from -1 (true) or 0 (false), as a lane of an eight-lane Mask would be.
struct Mask {
  __mmask16 k;
  SMESIM_LANES bool get(int l) const { return ((k >> l) & 1) != 0; }
  SMESIM_LANES void set(int l, int v) { k = static_cast<__mmask16>(v != 0 ? k | (1u << l) : k & ~(1u << l)); }
  SMESIM_LANES bool operator[](int l) const { return get(l); }
  SMESIM_LANES Lane<Mask> operator[](int l) { return {*this, l}; }
};
/// Sixteen int32 as a GCC vector, for reading a lane.
using IntLanes = std::int32_t __attribute__((vector_size(64)));
struct Ints {
  __m512i v;
  SMESIM_LANES std::int32_t get(int l) const { return ((IntLanes)v)[l]; }
  SMESIM_LANES void set(int l, std::int32_t y) { v = _mm512_mask_set1_epi32(v, static_cast<__mmask16>(1u << l), y); }
  SMESIM_LANES std::int32_t operator[](int l) const { return get(l); }
  SMESIM_LANES Lane<Ints> operator[](int l) { return {*this, l}; }
};
struct Uints {
  __m512i v;
};
struct Floats {
  __m512 v;
  SMESIM_LANES float get(int l) const { return v[l]; }
  SMESIM_LANES void set(int l, float y) {
    v = _mm512_mask_mov_ps(v, static_cast<__mmask16>(1u << l), _mm512_set1_ps(y));
  }
  SMESIM_LANES float operator[](int l) const { return get(l); }
  SMESIM_LANES Lane<Floats> operator[](int l) { return {*this, l}; }
};
/// Lane amounts in double precision: lanes [0, 8) and [8, 16).
struct Doubles {
  LaneDoubles low, high;
  SMESIM_LANES void add(int l, double x) { (l < kLanes ? low : high).add(l % kLanes, x); }
};

SMESIM_LANES __mmask16 first(int m) { return static_cast<__mmask16>((1u << m) - 1); }

SMESIM_LANES Floats splat(float x) { return {_mm512_set1_ps(x)}; }
SMESIM_LANES Ints splat_int(int x) { return {_mm512_set1_epi32(x)}; }
SMESIM_LANES Floats to_floats(Ints x) { return {_mm512_cvtepi32_ps(x.v)}; }
SMESIM_LANES Ints to_ints(Floats x) { return {_mm512_cvttps_epi32(x.v)}; }  // toward zero
SMESIM_LANES Floats select(Mask m, Floats a, Floats b) { return {_mm512_mask_blend_ps(m.k, b.v, a.v)}; }
SMESIM_LANES Ints select(Mask m, Ints a, Ints b) { return {_mm512_mask_blend_epi32(m.k, b.v, a.v)}; }
// vminps/vmaxps return their second operand when the comparison fails.
SMESIM_LANES Floats min(Floats a, Floats b) { return {_mm512_min_ps(b.v, a.v)}; }  // b < a ? b : a
SMESIM_LANES Floats max(Floats a, Floats b) { return {_mm512_max_ps(b.v, a.v)}; }  // b > a ? b : a
SMESIM_LANES Ints min(Ints a, Ints b) { return {_mm512_min_epi32(a.v, b.v)}; }
SMESIM_LANES Ints max(Ints a, Ints b) { return {_mm512_max_epi32(a.v, b.v)}; }
SMESIM_LANES Mask when(bool b) { return {static_cast<__mmask16>(b ? 0xffff : 0)}; }
/// 1 where `m` is true, else 0.
SMESIM_LANES Ints ones(Mask m) { return {_mm512_maskz_set1_epi32(m.k, 1)}; }
SMESIM_LANES bool any(Mask m) { return m.k != 0; }

SMESIM_LANES Mask operator&(Mask a, Mask b) { return {static_cast<__mmask16>(a.k & b.k)}; }
SMESIM_LANES Mask operator|(Mask a, Mask b) { return {static_cast<__mmask16>(a.k | b.k)}; }
SMESIM_LANES Mask operator~(Mask a) { return {static_cast<__mmask16>(~a.k)}; }
/// `x` where `m` holds, else 0 (an Ints mask of -1 and 0 and-ed with x).
SMESIM_LANES Ints operator&(Mask m, Ints x) { return {_mm512_maskz_mov_epi32(m.k, x.v)}; }

SMESIM_LANES Floats operator+(Floats a, Floats b) { return {_mm512_add_ps(a.v, b.v)}; }
SMESIM_LANES Floats operator-(Floats a, Floats b) { return {_mm512_sub_ps(a.v, b.v)}; }
SMESIM_LANES Floats operator*(Floats a, Floats b) { return {_mm512_mul_ps(a.v, b.v)}; }
SMESIM_LANES Floats operator/(Floats a, Floats b) { return {_mm512_div_ps(a.v, b.v)}; }
SMESIM_LANES Floats operator-(Floats a) {
  return {_mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(a.v), _mm512_set1_epi32(INT32_MIN)))};
}
SMESIM_LANES Floats operator+(Floats a, float b) { return a + splat(b); }
SMESIM_LANES Floats operator-(Floats a, float b) { return a - splat(b); }
SMESIM_LANES Floats operator*(Floats a, float b) { return a * splat(b); }
SMESIM_LANES Floats operator+(float a, Floats b) { return splat(a) + b; }
SMESIM_LANES Floats operator-(float a, Floats b) { return splat(a) - b; }
SMESIM_LANES Floats operator*(float a, Floats b) { return splat(a) * b; }
SMESIM_LANES Mask operator<(Floats a, Floats b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_LT_OQ)}; }
SMESIM_LANES Mask operator>(Floats a, Floats b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_GT_OQ)}; }
SMESIM_LANES Mask operator>=(Floats a, Floats b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_GE_OQ)}; }
SMESIM_LANES Mask operator<=(Floats a, Floats b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_LE_OQ)}; }
SMESIM_LANES Mask operator!=(Floats a, Floats b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_NEQ_UQ)}; }
SMESIM_LANES Mask operator<(Floats a, float b) { return a < splat(b); }
SMESIM_LANES Mask operator>(Floats a, float b) { return a > splat(b); }
SMESIM_LANES Mask operator>=(Floats a, float b) { return a >= splat(b); }
SMESIM_LANES Mask operator<=(Floats a, float b) { return a <= splat(b); }
SMESIM_LANES Mask operator!=(Floats a, float b) { return a != splat(b); }

SMESIM_LANES Ints operator+(Ints a, Ints b) { return {_mm512_add_epi32(a.v, b.v)}; }
SMESIM_LANES Ints operator-(Ints a, Ints b) { return {_mm512_sub_epi32(a.v, b.v)}; }
SMESIM_LANES Ints operator-(Ints a) { return {_mm512_sub_epi32(_mm512_setzero_si512(), a.v)}; }
SMESIM_LANES Ints operator*(Ints a, Ints b) { return {_mm512_mullo_epi32(a.v, b.v)}; }
SMESIM_LANES Ints operator&(Ints a, Ints b) { return {_mm512_and_si512(a.v, b.v)}; }
SMESIM_LANES Ints operator|(Ints a, Ints b) { return {_mm512_or_si512(a.v, b.v)}; }
SMESIM_LANES Ints operator+(Ints a, int b) { return a + splat_int(b); }
SMESIM_LANES Ints operator*(Ints a, int b) { return a * splat_int(b); }
SMESIM_LANES Ints operator&(Ints a, int b) { return a & splat_int(b); }
SMESIM_LANES Mask operator==(Ints a, Ints b) { return {_mm512_cmpeq_epi32_mask(a.v, b.v)}; }
SMESIM_LANES Mask operator!=(Ints a, Ints b) { return {_mm512_cmpneq_epi32_mask(a.v, b.v)}; }
SMESIM_LANES Mask operator<(Ints a, Ints b) { return {_mm512_cmplt_epi32_mask(a.v, b.v)}; }
SMESIM_LANES Mask operator<=(Ints a, Ints b) { return {_mm512_cmple_epi32_mask(a.v, b.v)}; }
SMESIM_LANES Mask operator>(Ints a, Ints b) { return {_mm512_cmpgt_epi32_mask(a.v, b.v)}; }
SMESIM_LANES Mask operator>=(Ints a, Ints b) { return {_mm512_cmpge_epi32_mask(a.v, b.v)}; }
SMESIM_LANES Mask operator==(Ints a, int b) { return a == splat_int(b); }
SMESIM_LANES Mask operator!=(Ints a, int b) { return a != splat_int(b); }
SMESIM_LANES Mask operator<(Ints a, int b) { return a < splat_int(b); }
SMESIM_LANES Mask operator<=(Ints a, int b) { return a <= splat_int(b); }
SMESIM_LANES Mask operator>(Ints a, int b) { return a > splat_int(b); }
SMESIM_LANES Mask operator>=(Ints a, int b) { return a >= splat_int(b); }
SMESIM_LANES Mask operator<(Uints a, std::uint32_t b) {
  return {_mm512_cmplt_epu32_mask(a.v, _mm512_set1_epi32(static_cast<int>(b)))};
}

/// A uniform in (0, 1] from the high `bits` bits of each word, as lanes.hpp's.
template <int bits>
SMESIM_LANES Floats uniform(Uints w) {
  const Ints top{_mm512_srli_epi32(w.v, 32 - bits)};  // < 2^24: exact in float
  return (to_floats(top) + 0.5f) * (1.0f / static_cast<float>(1u << bits));
}

/// Lanes [0, m) of an array, widened to 32 bits; the lanes beyond m read as zero (and
/// are not read).
SMESIM_LANES Ints load(const std::uint8_t* p, int m) {
  const __m128i raw =
      m == kWidth ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)) : _mm_maskz_loadu_epi8(first(m), p);
  return {_mm512_cvtepu8_epi32(raw)};
}
SMESIM_LANES Ints load(const std::uint16_t* p, int m) {
  const __m256i raw =
      m == kWidth ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)) : _mm256_maskz_loadu_epi16(first(m), p);
  return {_mm512_cvtepu16_epi32(raw)};
}
/// Lanes [0, m) of p where `where` holds, else 0; no other lane is read.
SMESIM_LANES Ints load_where(Mask where, const std::uint16_t* p, int m) {
  return {_mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(static_cast<__mmask16>(where.k & first(m)), p))};
}
SMESIM_LANES Uints load(const std::uint32_t* p, int m) {
  return {m == kWidth ? _mm512_loadu_si512(p) : _mm512_maskz_loadu_epi32(first(m), p)};
}
SMESIM_LANES Floats load(const float* p, int m) {
  return {m == kWidth ? _mm512_loadu_ps(p) : _mm512_maskz_loadu_ps(first(m), p)};
}
/// Writes lanes [0, m), narrowed to the array's type by keeping the low bits.
SMESIM_LANES void store(std::uint8_t* p, Ints v, int m) {
  const __m128i raw = _mm512_cvtepi32_epi8(v.v);
  if (m == kWidth)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), raw);
  else
    _mm_mask_storeu_epi8(p, first(m), raw);
}
SMESIM_LANES void store(std::uint16_t* p, Ints v, int m) {
  const __m256i raw = _mm512_cvtepi32_epi16(v.v);
  if (m == kWidth)
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), raw);
  else
    _mm256_mask_storeu_epi16(p, first(m), raw);
}
SMESIM_LANES void store(float* p, Floats v, int m) {
  if (m == kWidth)
    _mm512_storeu_ps(p, v.v);
  else
    _mm512_mask_storeu_ps(p, first(m), v.v);
}
/// Lane l of `table` at index idx[l], or, when `same`, table[idx[0]] in every lane.
SMESIM_LANES Floats gather(const float* table, Ints idx, bool same) {
  if (same) return splat(table[idx[0]]);
  return {_mm512_i32gather_ps(idx.v, table, 4)};
}

SMESIM_LANES void add_to(CellLanes& cell, LaneCount q, __m512i v) {
  cell.count[q] += (LaneInts)_mm256_add_epi32(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1));
}
SMESIM_LANES void add_to(CellLanes& cell, LaneAmount q, __m512d low, __m512d high) {
  auto* sum = reinterpret_cast<double*>(&cell.amount[q]);  // eight doubles
  _mm512_storeu_pd(sum, _mm512_add_pd(_mm512_add_pd(_mm512_loadu_pd(sum), low), high));
}

/// Where a group's sums go: each cell of its lanes with the lanes in it, one cell for all
/// lanes in the usual case (cell-major order). Lane l adds to the sums' lane l modulo 8,
/// lanes [0, 8) first. A cell's sums take its own lanes and +0.0 (or 0) in the others,
/// which changes no bit: a sum that starts at +0.0 never becomes -0.0.
struct GroupSink {
  int cells = 0;
  CellLanes* cell[kWidth];  ///< [0, cells)
  __mmask16 lanes[kWidth];  ///< [0, cells)

  SMESIM_LANES void add(LaneCount q, Ints v) {
    if (cells == 1)
      add_to(*cell[0], q, v.v);
    else
      add_by_cell(q, v.v);
  }
  SMESIM_LANES void add(LaneAmount q, __m512d low, __m512d high) {
    if (cells == 1)
      add_to(*cell[0], q, low, high);
    else
      add_by_cell(q, low, high);
  }
  SMESIM_LANES void add(LaneAmount q, const Doubles& v) { add(q, _mm512_loadu_pd(&v.low), _mm512_loadu_pd(&v.high)); }
  SMESIM_LANES void add(LaneAmount q, Floats v) {
    add(q, _mm512_cvtps_pd(_mm512_castps512_ps256(v.v)), _mm512_cvtps_pd(_mm512_extractf32x8_ps(v.v, 1)));
  }
  /// The lanes where `m` holds, counted: integer sums, so any lane may hold them.
  SMESIM_LANES void count(LaneCount q, Mask m) {
    if (cells == 1)
      cell[0]->count[q][0] += __builtin_popcount(m.k);
    else
      count_by_cell(q, m.k);
  }

  // A group of several cells, out of line (the pass's code stays small).
  [[gnu::noinline]] __attribute__((target(SMESIM_TARGET_AVX512))) void add_by_cell(LaneCount q, __m512i v) const {
    for (int c = 0; c < cells; ++c) add_to(*cell[c], q, _mm512_maskz_mov_epi32(lanes[c], v));
  }
  [[gnu::noinline]] __attribute__((target(SMESIM_TARGET_AVX512))) void add_by_cell(LaneAmount q, __m512d low,
                                                                                   __m512d high) const {
    for (int c = 0; c < cells; ++c) {
      const auto in_low = static_cast<__mmask8>(lanes[c]), in_high = static_cast<__mmask8>(lanes[c] >> kLanes);
      add_to(*cell[c], q, _mm512_maskz_mov_pd(in_low, low), _mm512_maskz_mov_pd(in_high, high));
    }
  }
  [[gnu::noinline]] __attribute__((target(SMESIM_TARGET_AVX512))) void count_by_cell(LaneCount q, __mmask16 m) const {
    for (int c = 0; c < cells; ++c) cell[c]->count[q][0] += __builtin_popcount(m & lanes[c]);
  }
};

/// The sink of a group of lanes [0, m): its cells from sector and normal size (lanes
/// [m, 16) add their zeros to lane 0's cell).
SMESIM_LANES GroupSink group_sink(Ints sector, Ints size_class, int m, BlockLanes& sums) {
  const __m512i cell = (sector * kSizeClasses + size_class).v;
  const __m512i first_cell = _mm512_set1_epi32(_mm512_cvtsi512_si32(cell));
  GroupSink sink;
  auto left = static_cast<__mmask16>(_mm512_mask_cmpneq_epi32_mask(first(m), cell, first_cell));
  sink.cell[0] = &sums.touch(static_cast<std::size_t>(_mm512_cvtsi512_si32(cell)));
  sink.lanes[0] = static_cast<__mmask16>(~left);
  sink.cells = 1;
  while (left != 0) {
    const int l = __builtin_ctz(left);
    const std::int32_t c = ((IntLanes)cell)[l];
    const __mmask16 in = _mm512_mask_cmpeq_epi32_mask(left, cell, _mm512_set1_epi32(c));
    sink.cell[sink.cells] = &sums.touch(static_cast<std::size_t>(c));
    sink.lanes[sink.cells++] = in;
    left = static_cast<__mmask16>(left & ~in);
  }
  return sink;
}

}  // namespace smesim::lanes16
