// Firm state as a structure of arrays.
#include "smesim/model/firm_table.hpp"

#include <immintrin.h>
#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <utility>

#include "smesim/model/population.hpp"

// GCC 12's AVX-512 headers start some intrinsics from _mm512_undefined_epi32(), which
// -Wmaybe-uninitialized reports at every use (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace smesim {
namespace {

/// Calls f on every array of the table.
template <class Table, class F>
void for_each_array(Table& t, F&& f) {
  f(t.uid), f(t.sector), f(t.distress), f(t.flags), f(t.closed_months), f(t.short_months);
  f(t.closed_months_ytd), f(t.age);
  f(t.employees), f(t.normal_size), f(t.employees_year_ago), f(t.capacity), f(t.productivity), f(t.wage);
  f(t.demand_state), f(t.utilisation), f(t.capability), f(t.cash_target), f(t.hours), f(t.owner_funds);
  f(t.cash), f(t.debt), f(t.arrears);
}

/// The part of [begin, begin + bytes) that whole aligned blocks of `align` bytes cover:
/// its start and length (0 when there is none).
std::pair<char*, std::size_t> aligned_inside(char* begin, std::size_t bytes, std::size_t align) {
  const std::size_t skip = (align - reinterpret_cast<std::uintptr_t>(begin) % align) % align;
  if (bytes <= skip) return {begin, 0};  // no pointer past the range
  return {begin + skip, (bytes - skip) / align * align};
}

/// Maps the pages of v's elements [size, n), when its capacity holds them, in one call: a
/// fault per page costs more (most of synthesis's system time at a million firms).
/// Where the kernel cannot, the pages fault in as before.
template <class T>
void populate(std::vector<T>& v, std::size_t n) {
#ifdef MADV_POPULATE_WRITE                        // Linux 5.14
  if (n <= v.size() || n > v.capacity()) return;  // beyond: resize moves the array, these pages freed
  const auto [begin, bytes] =
      aligned_inside(reinterpret_cast<char*>(v.data() + v.size()), (n - v.size()) * sizeof(T), 4096);
  if (bytes > 0) madvise(begin, bytes, MADV_POPULATE_WRITE);
#endif
}

/// Asks for transparent huge pages (2 MB) for the whole 2 MB blocks of v's capacity: a
/// table of a million firms spans some 16,000 pages of 4 KB, each a fault when first
/// touched and an entry in the processor's TLB; these blocks take one each. The resident
/// set can grow by up to a block per array beyond the firms in it (within its capacity).
/// Only reserve() asks (a city reserves room for its entrants up front): an array that
/// outgrows its capacity moves to memory without the advice.
template <class T>
void advise_huge_pages(std::vector<T>& v) {
#ifdef MADV_HUGEPAGE
  const auto [begin, bytes] = aligned_inside(reinterpret_cast<char*>(v.data()), v.capacity() * sizeof(T), 2u << 20);
  if (bytes > 0) madvise(begin, bytes, MADV_HUGEPAGE);
#endif
}

/// Where compaction puts the live firms. The AVX-512 build moves each long run of one
/// cell, its live firms in order from `to` on, then the other live firms (few) each to
/// its place; the other builds move every live firm by its new position (`order`).
struct Moves {
  struct Run {
    std::size_t from, size, to;  ///< positions [from, from + size), their live firms from `to`
  };
  std::vector<Run> runs;
  std::vector<std::uint32_t> from, to;  ///< the AVX-512 build's single firms
  std::vector<std::uint32_t> order;     ///< the other builds: by new position, the old one
  std::vector<std::uint8_t> alive;      ///< by position: 1 if alive
  std::size_t live = 0;
};

/// What compaction works in: the firms' cells, their moves, and an array of each element
/// type to sort into. One per thread, kept from one compaction to the next: memory used
/// for the first time costs a page fault per page. It holds 14 bytes per firm (18 in the
/// builds without AVX-512) of the largest table compacted on the thread, until the
/// thread ends. Safe because compact() neither runs nor waits for parallel work: a task
/// it waited for could compact another table on this thread while the scratch is in use.
struct Scratch {
  std::vector<std::uint16_t> cell;
  Moves moves;
  std::vector<std::uint8_t> sorted8;
  std::vector<std::uint16_t> sorted16;
  std::vector<std::uint32_t> sorted32;
  std::vector<float> sorted_float;
  /// The array to sort n elements of type T into.
  template <class T>
  T* sorted(std::size_t n) {
    auto& v = [this]() -> std::vector<T>& {
      if constexpr (std::is_same_v<T, std::uint8_t>)
        return sorted8;
      else if constexpr (std::is_same_v<T, std::uint16_t>)
        return sorted16;
      else if constexpr (std::is_same_v<T, std::uint32_t>)
        return sorted32;
      else
        return sorted_float;
    }();
    v.resize(n);
    return v.data();
  }
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

/// A run this long or longer moves as a run (AVX-512).
constexpr std::size_t kLongRun = 32;

/// The live firms of src[0, n) in order to out, sixteen at a time: a compress of each
/// sixteen by the live ones, written with a mask (no byte past the last firm).
template <class T>
__attribute__((target(SMESIM_TARGET_AVX512))) void move_run_avx512(const T* src, const std::uint8_t* alive,
                                                                   std::size_t n, T* out) {
  static_assert(sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4);
  for (std::size_t k = 0; k < n; k += 16) {
    const auto in = static_cast<__mmask16>(n - k >= 16 ? 0xffffu : (1u << (n - k)) - 1);
    const __m128i a = _mm_maskz_loadu_epi8(in, alive + k);
    const __mmask16 live = _mm_test_epi8_mask(a, a);
    __m512i x;
    if constexpr (sizeof(T) == 1)
      x = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(in, src + k));
    else if constexpr (sizeof(T) == 2)
      x = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(in, src + k));
    else
      x = _mm512_maskz_loadu_epi32(in, src + k);
    x = _mm512_maskz_compress_epi32(live, x);
    const int count = __builtin_popcount(live);
    const auto kept = static_cast<__mmask16>((1u << count) - 1);
    if constexpr (sizeof(T) == 1)
      _mm512_mask_cvtepi32_storeu_epi8(out, kept, x);
    else if constexpr (sizeof(T) == 2)
      _mm512_mask_cvtepi32_storeu_epi16(out, kept, x);
    else
      _mm512_mask_storeu_epi32(out, kept, x);
    out += count;
  }
}

/// The live firms of v to out as `moves` says.
template <class T>
void move_live(const std::vector<T>& v, const Moves& moves, T* out) {
  // Sizes and pointers in locals: a store through `out` (a byte type may alias anything)
  // would otherwise make every iteration load them again.
  const T* in = v.data();
  for (const Moves::Run& r : moves.runs) move_run_avx512(in + r.from, moves.alive.data() + r.from, r.size, out + r.to);
  const std::uint32_t *from = moves.from.data(), *to = moves.to.data(), *order = moves.order.data();
  for (std::size_t k = 0, n = moves.from.size(); k < n; ++k) out[to[k]] = in[from[k]];
  for (std::size_t k = 0, n = moves.order.size(); k < n; ++k) out[k] = in[order[k]];
}

/// Where compaction moves each live firm of `t` (into `moves`), by the firms' cells and the
/// cells' first positions after it, a run of one cell at a time.
void plan_moves(const FirmTable& t, const std::vector<std::uint16_t>& cell, const std::vector<std::size_t>& start,
                Isa isa, Moves& moves) {
  const std::size_t n = t.size();
  moves.runs.clear(), moves.from.clear(), moves.to.clear(), moves.order.clear();
  moves.alive.resize(n);
  const std::uint8_t* flags = t.flags.data();  // in locals: a byte store may alias anything
  std::uint8_t* alive = moves.alive.data();
  for (std::size_t i = 0; i < n; ++i) alive[i] = (flags[i] & FirmTable::kAlive) != 0 ? 1 : 0;
  moves.live = start.back();
  if (isa != Isa::kAvx512) moves.order.resize(moves.live);
  std::vector<std::size_t> next(start.begin(), start.end() - 1);
  for (std::size_t i = 0; i < n;) {
    const std::uint16_t c = cell[i];
    std::size_t end = i;
    while (end < n && cell[end] == c) ++end;
    std::size_t to = next[c];
    if (isa != Isa::kAvx512) {
      for (; i < end; ++i)
        if (moves.alive[i] != 0) moves.order[to++] = static_cast<std::uint32_t>(i);
    } else if (end - i >= kLongRun) {
      moves.runs.push_back({i, end - i, to});
      for (; i < end; ++i) to += moves.alive[i];
    } else {
      for (; i < end; ++i)
        if (moves.alive[i] != 0) moves.from.push_back(static_cast<std::uint32_t>(i)), moves.to.push_back(to++);
    }
    next[c] = to;
  }
}

}  // namespace

void FirmTable::resize(std::size_t n) {
  for_each_array(*this, [n](auto& v) {
    populate(v, n);
    v.resize(n);
  });
  if (n < runs_.back()) {  // shrunk into the sorted runs: what is left of them stays sorted
    std::erase_if(runs_, [n](std::size_t r) { return r >= n; });
    runs_.push_back(n);
  }
}

std::size_t FirmTable::bytes_per_firm() {
  FirmTable t;
  std::size_t bytes = 0;
  for_each_array(t, [&bytes](auto& v) { bytes += sizeof(typename std::decay_t<decltype(v)>::value_type); });
  return bytes;
}

void FirmTable::set_capability(std::size_t i, double k) {
  capability[i] = static_cast<std::uint16_t>(std::lround(std::clamp(k, 0.0, 1.0) * kCapabilityUnit));
}

std::size_t FirmTable::find(std::uint32_t id) const {
  for (std::size_t r = 0; r < runs_.size(); ++r) {
    const auto begin = uid.begin() + static_cast<std::ptrdiff_t>(runs_[r]);
    const auto end = r + 1 < runs_.size() ? uid.begin() + static_cast<std::ptrdiff_t>(runs_[r + 1]) : uid.end();
    const auto it = std::lower_bound(begin, end, id);
    if (it != end && *it == id) return static_cast<std::size_t>(it - uid.begin());
  }
  return size();
}

void FirmTable::reserve(std::size_t n) {
  for_each_array(*this, [n](auto& v) {
    v.reserve(n);
    advise_huge_pages(v);
  });
}

void FirmTable::compact(const SizeClassBounds& bounds, Isa isa) {
  // A stable counting sort of the living by cell. Within a cell the old runs come first
  // and the tail last, and every tail uid is above every uid before it: uid order.
  const std::size_t n = size();
  Scratch& work = scratch();
  std::vector<std::uint16_t>& cell = work.cell;
  cell.resize(n);
  std::size_t cells = 0;
  for (std::size_t i = 0; i < n; ++i) {
    cell[i] = static_cast<std::uint16_t>(sector[i] * kSizeClasses + size_class_of(bounds, normal_size[i]));
    cells = std::max<std::size_t>(cells, cell[i] + 1u);
  }
  // Counted a run of one cell at a time: a count per firm in memory would make each
  // firm wait for the last one's store.
  std::vector<std::size_t> start(cells + 1, 0);
  for (std::size_t i = 0; i < n;) {
    const std::uint16_t c = cell[i];
    std::size_t live = 0;
    for (; i < n && cell[i] == c; ++i) live += alive(i);
    start[c + 1u] += live;
  }
  for (std::size_t c = 0; c < cells; ++c) start[c + 1] += start[c];
  const auto mark_runs = [&] {
    runs_.clear();
    for (std::size_t c = 0; c < cells; ++c)
      if (start[c + 1] > start[c]) runs_.push_back(start[c]);
    runs_.push_back(size());  // an empty tail
  };
  if (start[cells] == n && std::is_sorted(cell.begin(), cell.end())) {
    mark_runs();  // every firm alive and already in cell-major order: nothing to move
    return;
  }
  plan_moves(*this, cell, start, isa, work.moves);
  // Each array moved into the scratch array of its type, then copied back.
  for_each_array(*this, [&work](auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    const Moves& moves = work.moves;
    T* sorted = work.sorted<T>(moves.live);
    move_live(v, moves, sorted);
    std::copy(sorted, sorted + moves.live, v.begin());
    v.resize(moves.live);  // keeps the room reserved for entrants
  });
  mark_runs();
}

}  // namespace smesim
