// The per-firm pass's AVX-512 build: the stages of firm_month.inc over sixteen lanes
// (lanes16.hpp), with the bits of the eight-lane builds (firm_pass.cpp).
#include <algorithm>

#include "firm_pass.hpp"

// The lane helpers pass vectors by value, but all are inlined: no call crosses the ABI.
#pragma GCC diagnostic ignored "-Wpsabi"
#ifndef __clang__
// GCC 12's intrinsics start some results from _mm512_undefined_*(), which it then warns of.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "lanes16.hpp"

namespace smesim {
namespace {

using namespace lanes16;

#include "firm_month.inc"

}  // namespace

__attribute__((target(SMESIM_TARGET_AVX512))) void pass_avx512(FirmTable& t, const KernelInput& in,
                                                               const PassConstants& k, std::size_t first, std::size_t n,
                                                               const ChunkDraws& d, BlockLanes& sums) {
  pass_body(t, in, k, first, n, d, sums);
}

}  // namespace smesim
