// The chunks of a deflated dataset inflated once before HDF5 reads them
// (detail/chunk_check.hpp).
#include "smesim/analysis/detail/chunk_check.hpp"

#include <H5Dpublic.h>
#include <zlib.h>

#include <cstdint>
#include <system_error>
#include <vector>

#include "smesim/core/error.hpp"

namespace smesim::detail {
namespace {

/// Bytes that `in` inflates to, reading at most `limit` + 1 of them (enough to tell that
/// it is too long); -1 if it is not a whole zlib stream.
long long inflated_size(std::vector<std::uint8_t>& in, std::size_t limit) {
  std::vector<std::uint8_t> out(limit + 1);
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return -1;
  z.next_in = in.data(), z.avail_in = static_cast<uInt>(in.size());
  z.next_out = out.data(), z.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&z, Z_FINISH);
  const long long size = static_cast<long long>(z.total_out);
  inflateEnd(&z);
  return status == Z_STREAM_END ? size : -1;
}

}  // namespace

void check_deflated_chunks(const H5::DataSet& ds, const std::string& name, const std::filesystem::path& path) {
  const H5::DSetCreatPropList plist = ds.getCreatePlist();
  if (plist.getLayout() != H5D_CHUNKED) return;
  int deflate = -1;  // the deflate filter's place in the pipeline
  for (int f = 0; f < plist.getNfilters(); ++f) {
    unsigned flags = 0, config = 0;
    std::size_t values = 0;
    char filter_name[64];
    const H5Z_filter_t id = plist.getFilter(f, flags, values, nullptr, sizeof filter_name, filter_name, config);
    if (id == H5Z_FILTER_DEFLATE)
      deflate = f;
    else if (id != H5Z_FILTER_SHUFFLE)
      return;  // another pipeline: left to HDF5
  }
  if (deflate < 0) return;
  const int rank = plist.getChunk(0, nullptr);
  std::vector<hsize_t> chunk(static_cast<std::size_t>(rank)), offset(chunk.size());
  plist.getChunk(rank, chunk.data());
  double bytes_wide = static_cast<double>(ds.getDataType().getSize());
  for (hsize_t c : chunk) bytes_wide *= static_cast<double>(c);
  // HDF5 chunks hold less than 4 GiB; stored chunks no more than the file.
  if (bytes_wide >= 4294967296.0)
    throw InputError(path.string() + ": the chunks of '" + name + "' claim " + std::to_string(bytes_wide) +
                     " bytes each; the file is damaged");
  const auto bytes = static_cast<std::size_t>(bytes_wide);
  std::error_code ec;
  const std::uintmax_t file_bytes = std::filesystem::file_size(path, ec);
  const H5::DataSpace space = ds.getSpace();  // (HDF5 1.10 does not take H5S_ALL here)
  hsize_t chunks = 0;
  if (H5Dget_num_chunks(ds.getId(), space.getId(), &chunks) < 0)
    throw InputError(path.string() + ": cannot list the chunks of '" + name + "'; the file is damaged");
  for (hsize_t i = 0; i < chunks; ++i) {
    unsigned mask = 0;
    haddr_t address = 0;
    hsize_t stored = 0;
    if (H5Dget_chunk_info(ds.getId(), space.getId(), i, offset.data(), &mask, &address, &stored) < 0)
      throw InputError(path.string() + ": cannot locate chunk " + std::to_string(i) + " of '" + name +
                       "'; the file is damaged");
    if (!ec && stored > file_bytes)
      throw InputError(path.string() + ": chunk " + std::to_string(i) + " of '" + name + "' claims " +
                       std::to_string(stored) + " bytes, more than the file holds; the file is damaged");
    std::vector<std::uint8_t> raw(static_cast<std::size_t>(stored));
    std::uint32_t filters = 0;
    if (H5Dread_chunk(ds.getId(), H5P_DEFAULT, offset.data(), &filters, raw.data()) < 0)
      throw InputError(path.string() + ": cannot read chunk " + std::to_string(i) + " of '" + name +
                       "'; the file is damaged");
    const bool skipped = (filters >> deflate) & 1u;  // the chunk was stored without deflate
    const long long size = skipped ? static_cast<long long>(stored) : inflated_size(raw, bytes);
    if (size != static_cast<long long>(bytes))
      throw InputError(path.string() + ": chunk " + std::to_string(i) + " of '" + name + "' holds " +
                       (size < 0 ? std::string("no whole zlib stream") : std::to_string(size) + " bytes") +
                       " where its shape needs " + std::to_string(bytes) + "; the file is damaged");
  }
}

}  // namespace smesim::detail
