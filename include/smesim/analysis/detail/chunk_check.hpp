// Checking a chunked dataset's compressed chunks before HDF5 reads them.
//
// HDF5 1.10 does not check that a chunk decompresses to the chunk's size: a damaged
// deflate stream that inflates to fewer bytes makes H5Dread copy past the end of the
// buffer it decompressed into (found by the reader fuzzer). The reader inflates each
// chunk of a deflated dataset itself before the first read and refuses the file when a
// chunk's size is not the chunk's (docs/RELIABILITY.md).
#pragma once

#include <H5Cpp.h>

#include <filesystem>
#include <string>

namespace smesim::detail {

/// Throws smesim's input error naming `path` and `name` if a chunk of `ds` (chunked and
/// deflated, possibly shuffled) does not inflate to the chunk's size in bytes. Other
/// layouts and filter pipelines are left to HDF5.
void check_deflated_chunks(const H5::DataSet& ds, const std::string& name, const std::filesystem::path& path);

}  // namespace smesim::detail
