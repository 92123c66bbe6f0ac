// The firm kernel's draw pass (MODEL.md step 3): the random draws and demand
// multipliers of a chunk of firms, in branch-free loops compiled for x86-64, AVX2 and
// AVX-512.
// Private to src/model: firm_kernel.cpp reads what it computes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "smesim/model/firm_kernel.hpp"

namespace smesim {

/// Firms per chunk of the vectorised passes: their scratch arrays stay in L1.
constexpr std::size_t kChunk = 512;

/// The draws and demand multipliers of one chunk, computed in branch-free passes.
struct ChunkDraws {
  std::uint32_t exit_word[kChunk];
  std::uint32_t round_word[kChunk];
  float demand_noise[kChunk];          // e = exp(s_z z - s_z^2 / 2)
  std::uint32_t order_word[kChunk];    // the firm's place in the lockdown order (lockdown months only)
  std::uint32_t take_up_word[kChunk];  // the firm's take-up draw (months with partial take-up only)
};

/// What the draw pass computes beyond the firm-month draws this month.
struct ChunkNeeds {
  bool order;    ///< places in the lockdown order
  bool take_up;  ///< take-up draws
};

/// The draw pass over firms [first, first + n) of the table: the firm-month draws and
/// demand multipliers, and what `needs` asks for. The widest build the CPU has, up to the
/// input's `isa`; all give the same bits.
void draw_chunk(FirmTable& t, const KernelInput& in, std::size_t first, std::size_t n, ChunkDraws& d, ChunkNeeds needs);

}  // namespace smesim
