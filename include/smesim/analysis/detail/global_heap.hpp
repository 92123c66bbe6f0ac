// Checking HDF5 global heap collections before HDF5 reads them.
//
// Variable-length data (the labels smesim writes: city, sector, ...; the DIMENSION_LIST
// attributes of dimension scales) live in global heap collections. HDF5 1.10 loops for
// ever on a collection holding a free-space object of size 0 (H5HG__cache_heap_deserialize
// never advances), and copies an object's size in bytes into a buffer sized by the
// element's length: a damaged file hangs or overruns. The reader walks every collection
// when it opens a file, and checks the objects a label dataset points to before reading
// it (docs/RELIABILITY.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace smesim::detail {

/// One variable-length element as stored in a dataset: its length and where it lives.
struct HeapReference {
  std::uint32_t length = 0;
  std::uint64_t collection = 0;  ///< address of the collection, relative to the file's base
  std::uint32_t index = 0;       ///< object index within the collection
};

/// The unsigned number of `width` bytes at `at`, little-endian as HDF5 stores it.
std::uint64_t little_endian(std::span<const std::uint8_t> bytes, std::size_t at, std::size_t width);

/// The elements of a contiguous variable-length dataset's raw storage (`sizeof_addr`:
/// the file's address size). Empty string if sound, else what is wrong.
std::string decode_heap_references(std::span<const std::uint8_t> raw, std::size_t count, std::size_t sizeof_addr,
                                   std::vector<HeapReference>& out);

/// What is wrong with a global heap collection (its bytes from "GCOL" on), given the
/// objects read from it; empty if HDF5 can read each wanted object safely.
std::string global_heap_problem(std::span<const std::uint8_t> collection, std::size_t sizeof_size,
                                const std::vector<HeapReference>& wanted);

/// Every global heap collection in the file at `path` (found by its signature "GCOL",
/// version 1), walked as HDF5 would walk it: empty if all are sound, else which one is
/// damaged and how. Attributes such as DIMENSION_LIST keep their data in these heaps
/// too, where the reader cannot see which object each refers to; so the whole file is
/// checked once when it is opened (one pass over its bytes, mapped).
std::string file_global_heap_problem(const std::filesystem::path& path, std::size_t sizeof_size);

}  // namespace smesim::detail
