// Eight firms at a time: the lane backend of the per-firm pass's x86-64 and AVX2 builds
// (firm_month.inc built in firm_pass.cpp): GCC vector extensions that build for AVX2 (one
// 32-byte vector) and for x86-64 (two 16-byte halves) with the same bits, their helpers,
// and where a group's sums go.
// Private to src/model; every function is inlined (vectors never cross a call).
#pragma once

#include <cstring>

#include "firm_pass.hpp"

namespace smesim::lanes {

using Floats = float __attribute__((vector_size(4 * kLanes), aligned(4 * kLanes)));
using Uints = std::uint32_t __attribute__((vector_size(4 * kLanes), aligned(4 * kLanes)));
using Ints = LaneInts;
using Mask = LaneInts;  // -1 where true, 0 where false
using Bytes = std::uint8_t __attribute__((vector_size(kLanes)));
using Shorts = std::uint16_t __attribute__((vector_size(2 * kLanes)));
/// Lane amounts in double precision (firm_month.inc).
using Doubles = LaneDoubles;
/// A group's lanes: as many as the sums have.
constexpr int kWidth = kLanes;

#define SMESIM_LANES __attribute__((always_inline)) inline

SMESIM_LANES Floats splat(float x) { return Floats{} + x; }
SMESIM_LANES Ints splat_int(int x) { return Ints{} + x; }
SMESIM_LANES Floats to_floats(Ints x) { return __builtin_convertvector(x, Floats); }
SMESIM_LANES Ints to_ints(Floats x) { return __builtin_convertvector(x, Ints); }  // toward zero
SMESIM_LANES Floats select(Mask m, Floats a, Floats b) { return m ? a : b; }
SMESIM_LANES Ints select(Mask m, Ints a, Ints b) { return m ? a : b; }
SMESIM_LANES Floats min(Floats a, Floats b) { return b < a ? b : a; }
SMESIM_LANES Floats max(Floats a, Floats b) { return a < b ? b : a; }
SMESIM_LANES Ints min(Ints a, Ints b) { return b < a ? b : a; }
SMESIM_LANES Ints max(Ints a, Ints b) { return a < b ? b : a; }
/// All lanes true or all false.
SMESIM_LANES Mask when(bool b) { return splat_int(b ? -1 : 0); }
/// 1 where `m` is true, else 0.
SMESIM_LANES Ints ones(Mask m) { return -m; }
SMESIM_LANES bool any(Mask m) {
  std::uint64_t w[sizeof(Mask) / 8];
  std::memcpy(w, &m, sizeof w);
  std::uint64_t bits = 0;
  for (const std::uint64_t x : w) bits |= x;
  return bits != 0;
}
/// A uniform in (0, 1] from the high `bits` bits of each word (1 only when bits = 24 and
/// the top bits are all ones: top + 0.5 then rounds up in float).
template <int bits>
SMESIM_LANES Floats uniform(Uints w) {
  const Ints top = __builtin_convertvector(w >> (32 - bits), Ints);  // < 2^24: exact in float
  return (to_floats(top) + 0.5f) * (1.0f / static_cast<float>(1u << bits));
}

/// The vector of kLanes elements of type T, as the arrays hold them.
template <class T>
struct Raw;
template <>
struct Raw<std::uint8_t> {
  using type = Bytes;
};
template <>
struct Raw<std::uint16_t> {
  using type = Shorts;
};
template <>
struct Raw<std::uint32_t> {
  using type = Uints;
};
template <>
struct Raw<float> {
  using type = Floats;
};

/// Lanes [0, m) of an array; the lanes beyond m (a chunk's last, partial group) read as
/// zero.
template <class T>
SMESIM_LANES typename Raw<T>::type load_raw(const T* p, int m) {
  typename Raw<T>::type raw{};
  if (m == kLanes)
    std::memcpy(&raw, p, sizeof raw);
  else
    for (int l = 0; l < m; ++l) raw[l] = p[l];
  return raw;
}
/// Writes lanes [0, m) of `raw` to an array.
template <class T>
SMESIM_LANES void store_raw(T* p, typename Raw<T>::type raw, int m) {
  if (m == kLanes)
    std::memcpy(p, &raw, sizeof raw);
  else
    for (int l = 0; l < m; ++l) p[l] = raw[l];
}

// Widening and narrowing of small integers by shuffles, which GCC compiles to single
// instructions (vpmovzx, vpshufb); __builtin_convertvector of bytes goes lane by lane.
using Bytes32 = std::uint8_t __attribute__((vector_size(4 * kLanes), aligned(4 * kLanes)));
using Shorts16 = std::uint16_t __attribute__((vector_size(4 * kLanes), aligned(4 * kLanes)));
SMESIM_LANES Ints widen(Shorts s) {
  return (Ints)__builtin_shufflevector(s, Shorts{}, 0, 8, 1, 8, 2, 8, 3, 8, 4, 8, 5, 8, 6, 8, 7, 8);
}
SMESIM_LANES Ints widen(Bytes b) {
  return widen((Shorts)__builtin_shufflevector(b, Bytes{}, 0, 8, 1, 8, 2, 8, 3, 8, 4, 8, 5, 8, 6, 8, 7, 8));
}
/// The low 16 or 8 bits of each lane.
SMESIM_LANES Shorts narrow(Ints v, Shorts) {
  return __builtin_shufflevector((Shorts16)v, (Shorts16)v, 0, 2, 4, 6, 8, 10, 12, 14);
}
SMESIM_LANES Bytes narrow(Ints v, Bytes) {
  return __builtin_shufflevector((Bytes32)v, (Bytes32)v, 0, 4, 8, 12, 16, 20, 24, 28);
}

/// Loads and stores of lanes [0, m) of a group: small integers as Ints, words as Uints,
/// floats as Floats.
SMESIM_LANES Ints load(const std::uint8_t* p, int m) { return widen(load_raw(p, m)); }
SMESIM_LANES Ints load(const std::uint16_t* p, int m) { return widen(load_raw(p, m)); }
/// Lanes [0, m) of p where `where` holds, else 0.
SMESIM_LANES Ints load_where(Mask where, const std::uint16_t* p, int m) {
  return any(where) ? where & load(p, m) : Ints{};
}
SMESIM_LANES Uints load(const std::uint32_t* p, int m) { return load_raw(p, m); }
SMESIM_LANES Floats load(const float* p, int m) { return load_raw(p, m); }
template <class T>
SMESIM_LANES void store(T* p, Ints v, int m) {
  store_raw(p, narrow(v, typename Raw<T>::type{}), m);
}
SMESIM_LANES void store(float* p, Floats v, int m) { store_raw(p, v, m); }
/// Lane l of `table` at index idx[l], or, when `same` (every index the same: the usual
/// case in cell-major order), table[idx[0]] in every lane.
SMESIM_LANES Floats gather(const float* table, Ints idx, bool same) {
  if (same) return splat(table[idx[0]]);
  Floats v;
  for (int l = 0; l < kLanes; ++l) v[l] = table[idx[l]];
  return v;
}

/// Where a group's sums go: one cell for all lanes (the usual case in cell-major order),
/// or each lane's own.
struct GroupSink {
  CellLanes* uniform = nullptr;
  CellLanes* lane[kLanes] = {};

  SMESIM_LANES void add(LaneCount q, Ints v) {
    if (uniform) {
      uniform->count[q] += v;
    } else {
      for (int l = 0; l < kLanes; ++l) lane[l]->count[q][l] += v[l];
    }
  }
  SMESIM_LANES void add(LaneAmount q, LaneDoubles v) {
    if (uniform) {
      uniform->amount[q].half[0] += v.half[0];
      uniform->amount[q].half[1] += v.half[1];
    } else {
      for (int l = 0; l < kLanes; ++l) lane[l]->amount[q].add(l, v[l]);
    }
  }
  SMESIM_LANES void add(LaneAmount q, Floats v) {
    static_assert(kLanes == 8, "two halves of four lanes");
    add(q, LaneDoubles{__builtin_convertvector(__builtin_shufflevector(v, v, 0, 1, 2, 3), HalfDoubles),
                       __builtin_convertvector(__builtin_shufflevector(v, v, 4, 5, 6, 7), HalfDoubles)});
  }
  SMESIM_LANES void count(LaneCount q, Mask m) { add(q, -m); }
};

/// The sink of a group of lanes [0, m) at firms [i, i + m): its cells from sector and
/// normal size.
SMESIM_LANES GroupSink group_sink(Ints sector, Ints size_class, int m, BlockLanes& sums) {
  const Ints cell = sector * kSizeClasses + size_class;
  GroupSink sink;
  const bool uniform = m == kLanes && !any(cell != cell[0]);
  if (uniform) {
    sink.uniform = &sums.touch(static_cast<std::size_t>(cell[0]));
  } else {
    for (int l = 0; l < kLanes; ++l) sink.lane[l] = &sums.touch(static_cast<std::size_t>(l < m ? cell[l] : cell[0]));
  }
  return sink;
}

}  // namespace smesim::lanes
