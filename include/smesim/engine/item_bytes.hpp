// Packing a work item's output into bytes and back, to send it between MPI ranks.
#pragma once

#include <vector>

#include "smesim/engine/results.hpp"

namespace smesim {

/// Packs an item's output into bytes (same machine, same build: no byte-order conversion).
std::vector<char> pack(const ItemOutput& output);
/// The item output packed by pack(); throws Error if the bytes are truncated.
ItemOutput unpack(const std::vector<char>& bytes);

}  // namespace smesim
