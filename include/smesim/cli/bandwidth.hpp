// This machine's memory bandwidth, measured as STREAM does, for `smesim bench`.
#pragma once

#include <cstddef>

namespace smesim::cli {

/// Bytes per second of the STREAM triad a[i] = b[i] + s * c[i] over three arrays of
/// `array_bytes` bytes each (doubles), split evenly over `threads` threads; the best of
/// `repeats` passes. Counts 24 bytes per element (two reads, one write) as STREAM does.
double triad_bandwidth(std::size_t array_bytes, int threads, int repeats = 5);

}  // namespace smesim::cli
