// Reading a result file back, with clear errors instead of crashes.
#include "smesim/analysis/reader.hpp"

#include <H5Cpp.h>
#include <H5DSpublic.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "smesim/analysis/detail/chunk_check.hpp"
#include "smesim/analysis/detail/global_heap.hpp"
#include "smesim/core/error.hpp"
#include "smesim/output/detail/hdf5_util.hpp"
#include "smesim/output/output_path.hpp"

namespace smesim {

struct ResultReader::Impl {
  H5::H5File file;
};

namespace {

[[noreturn]] void fail(const std::filesystem::path& p, const std::string& what) {
  throw InputError(p.string() + ": " + what);
}

/// The length and name of a dimension scale, filled by H5DSiterate_scales.
struct Scale {
  hsize_t length = 0;
  std::string name;
};

herr_t visit_scale(hid_t, unsigned, hid_t scale, void* data) {
  auto* out = static_cast<Scale*>(data);
  const hid_t space = H5Dget_space(scale);
  if (space < 0) return -1;
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  H5Sclose(space);
  if (n < 0) return -1;
  out->length = static_cast<hsize_t>(n);
  char name[256] = {};
  if (H5Iget_name(scale, name, sizeof name) > 0) out->name = name[0] == '/' ? name + 1 : name;
  return 1;
}

/// Most bytes a dataset of a file of `file_bytes` can hold: deflate compresses at most
/// 1032 to 1, and 1 GiB more for chunks never written (read as fill values).
constexpr double kMaxInflation = 1100.0;
constexpr double kUnwrittenBytes = 1024.0 * 1024.0 * 1024.0;

/// Each extent of `ds` against the length of the dimension attached to it, its size
/// against what the file can hold, and its chunks against their shape; a file whose
/// shapes disagree would otherwise be read out of bounds, or a damaged extent make the
/// reader allocate more than any machine has.
void check_dimensions(const H5::DataSet& ds, const std::string& name, const std::filesystem::path& path) {
  const double elements = static_cast<double>(ds.getSpace().getSimpleExtentNpoints());
  const double bytes = elements * static_cast<double>(std::max<std::size_t>(ds.getDataType().getSize(), 8));
  std::error_code ec;
  const auto file_bytes = static_cast<double>(std::filesystem::file_size(path, ec));
  if (!ec && bytes > kMaxInflation * file_bytes + kUnwrittenBytes)
    fail(path, "variable '" + name + "' claims " + std::to_string(static_cast<unsigned long long>(elements)) +
                   " values, more than a file of " + std::to_string(static_cast<unsigned long long>(file_bytes)) +
                   " bytes can hold; the file is damaged");
  detail::check_deflated_chunks(ds, name, path);
  H5::DataSpace space = ds.getSpace();
  std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
  space.getSimpleExtentDims(dims.data());
  for (unsigned i = 0; i < dims.size(); ++i) {
    if (H5DSget_num_scales(ds.getId(), i) <= 0) continue;
    Scale scale;
    if (H5DSiterate_scales(ds.getId(), i, nullptr, visit_scale, &scale) != 1) continue;
    if (scale.length != dims[i])
      fail(path, "variable '" + name + "' has " + std::to_string(dims[i]) + " entries along its dimension " +
                     std::to_string(i) + ", but its dimension '" + scale.name + "' has length " +
                     std::to_string(scale.length) + "; the file is inconsistent");
  }
}

/// `length` bytes of the file at `at`, or a refusal naming `name`.
std::vector<std::uint8_t> file_bytes(const std::filesystem::path& path, std::uint64_t at, std::uint64_t length,
                                     const std::string& name) {
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  if (ec || at > size || length > size - at) fail(path, "labels '" + name + "' point outside the file");
  std::vector<std::uint8_t> out(static_cast<std::size_t>(length));
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(at));
  in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size()));
  if (!in) fail(path, "cannot read labels '" + name + "'");
  return out;
}

/// The sizes of addresses and lengths in a file, and its base address (the user block).
struct FileLayout {
  std::size_t sizeof_addr = 0, sizeof_size = 0;
  hsize_t base = 0;
};

FileLayout layout_of(const H5::H5File& file) {
  FileLayout out;
  const H5::FileCreatPropList fcpl = file.getCreatePlist();
  detail::check(H5Pget_sizes(fcpl.getId(), &out.sizeof_addr, &out.sizeof_size), "read address sizes");
  detail::check(H5Pget_userblock(fcpl.getId(), &out.base), "read user block size");
  return out;
}

/// The global heap collections that the variable-length strings of `ds` live in, checked
/// before HDF5 reads them: a damaged collection can make HDF5 1.10 loop for ever or
/// overrun a buffer (detail/global_heap.hpp). Only contiguous storage can be checked;
/// smesim writes its labels so.
void check_string_heaps(const H5::H5File& file, const H5::DataSet& ds, std::size_t count, const std::string& name,
                        const std::filesystem::path& path) {
  const haddr_t offset = H5Dget_offset(ds.getId());
  if (offset == HADDR_UNDEF || count == 0) return;
  const auto [sizeof_addr, sizeof_size, base] = layout_of(file);
  const auto raw = file_bytes(path, offset, H5Dget_storage_size(ds.getId()), name);
  std::vector<detail::HeapReference> refs;
  std::string problem = detail::decode_heap_references(raw, count, sizeof_addr, refs);
  std::map<std::uint64_t, std::vector<detail::HeapReference>> by_collection;
  for (const auto& r : refs)
    if (r.collection != 0) by_collection[r.collection].push_back(r);  // address 0: a null string
  for (const auto& [address, wanted] : by_collection) {
    if (!problem.empty()) break;
    const auto head = file_bytes(path, base + address, 8 + sizeof_size, name);
    const std::uint64_t size = detail::little_endian(head, 8, sizeof_size);
    problem = detail::global_heap_problem(file_bytes(path, base + address, size, name), sizeof_size, wanted);
  }
  if (!problem.empty()) fail(path, "labels '" + name + "' are damaged: " + problem + "; the file is corrupted");
}

}  // namespace

ResultReader::ResultReader(const std::filesystem::path& path, bool allow_incomplete)
    : path_(path), impl_(std::make_unique<Impl>()) {
  detail::quiet_hdf5();
  std::error_code ec;
  const std::string held = lock_holder_note(path);
  if (!std::filesystem::exists(path, ec)) fail(path, held.empty() ? "no such file" : "no such file yet: " + held);
  std::string status;
  try {
    if (!H5::H5File::isHdf5(path.string())) fail(path, held.empty() ? "not an HDF5 file" : held);
    impl_->file.openFile(path.string(), H5F_ACC_RDONLY);
    // Before HDF5 reads any variable-length data (attributes, labels): see global_heap.hpp.
    const std::string heap = detail::file_global_heap_problem(path, layout_of(impl_->file).sizeof_size);
    if (!heap.empty()) fail(path, "damaged at " + heap + "; the file is corrupted");
    H5::Group root = impl_->file.openGroup("/");
    if (!root.attrExists("smesim_version")) fail(path, "not an smesim result file (no smesim_version attribute)");
    if (root.attrExists("status")) status = attribute("status");
  } catch (const H5::Exception& e) {
    fail(path, held.empty() ? "cannot open as HDF5 (truncated or corrupted?): " + e.getDetailMsg() : held);
  }
  if (status != "complete" && !allow_incomplete)
    fail(path, "the file is incomplete (status '" + status + "'); the run that wrote it did not finish");
}

ResultReader::~ResultReader() = default;

bool ResultReader::has(const std::string& dataset) const {
  try {
    return impl_->file.nameExists(dataset);
  } catch (const H5::Exception&) {
    return false;
  }
}

std::vector<std::size_t> ResultReader::shape(const std::string& dataset) const {
  if (!has(dataset)) fail(path_, "missing dataset '" + dataset + "'");
  try {
    H5::DataSpace space = impl_->file.openDataSet(dataset).getSpace();
    std::vector<hsize_t> dims(space.getSimpleExtentNdims());
    space.getSimpleExtentDims(dims.data());
    return {dims.begin(), dims.end()};
  } catch (const H5::Exception& e) {
    fail(path_, "cannot read the shape of '" + dataset + "': " + e.getDetailMsg());
  }
}

std::vector<double> ResultReader::values(const std::string& dataset) const { return read_numbers(dataset, -1); }

std::vector<double> ResultReader::values(const std::string& dataset, std::size_t point) const {
  return read_numbers(dataset, static_cast<long long>(point));
}

std::vector<double> ResultReader::read_numbers(const std::string& dataset, long long point) const {
  const std::vector<std::size_t> extent = shape(dataset);
  if (point >= 0 && (extent.empty() || static_cast<std::size_t>(point) >= extent[0]))
    fail(path_, "dataset '" + dataset + "' has no point " + std::to_string(point));
  try {
    H5::DataSet ds = impl_->file.openDataSet(dataset);
    if (ds.getTypeClass() != H5T_FLOAT && ds.getTypeClass() != H5T_INTEGER)
      fail(path_, "dataset '" + dataset + "' is not numeric");
    check_dimensions(ds, dataset, path_);
    if (point < 0) {
      std::vector<double> out(static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints()));
      ds.read(out.data(), H5::PredType::NATIVE_DOUBLE);
      return out;
    }
    // The slab at `point` along the first dimension.
    std::vector<hsize_t> start(extent.size(), 0), count(extent.begin(), extent.end());
    start[0] = static_cast<hsize_t>(point), count[0] = 1;
    H5::DataSpace file_space = ds.getSpace();
    file_space.selectHyperslab(H5S_SELECT_SET, count.data(), start.data());
    hsize_t n = 1;
    for (hsize_t c : count) n *= c;
    std::vector<double> out(static_cast<std::size_t>(n));
    if (n > 0) ds.read(out.data(), H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &n), file_space);
    return out;
  } catch (const H5::Exception& e) {
    fail(path_, "cannot read dataset '" + dataset + "' (corrupted?): " + e.getDetailMsg());
  }
}

std::vector<std::string> ResultReader::labels(const std::string& dataset) const {
  if (!has(dataset)) fail(path_, "missing dataset '" + dataset + "'");
  try {
    H5::DataSet ds = impl_->file.openDataSet(dataset);
    if (ds.getTypeClass() != H5T_STRING) fail(path_, "dataset '" + dataset + "' is not text");
    check_dimensions(ds, dataset, path_);
    const std::size_t n = static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints());
    if (ds.getStrType().isVariableStr()) check_string_heaps(impl_->file, ds, n, dataset, path_);
    H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
    type.setCset(H5T_CSET_UTF8);
    std::vector<char*> raw(n, nullptr);
    ds.read(raw.data(), type);
    std::vector<std::string> out;
    for (char* s : raw) out.emplace_back(s ? s : "");
    H5::DataSet::vlenReclaim(raw.data(), type, ds.getSpace());
    return out;
  } catch (const H5::Exception& e) {
    fail(path_, "cannot read labels '" + dataset + "': " + e.getDetailMsg());
  }
}

namespace {

/// Attribute `name` of `obj` as text (numbers formatted); `what` names it in errors.
std::string attribute_text(const H5::H5Object& obj, const std::string& name, const std::filesystem::path& path,
                           const std::string& what) {
  if (!obj.attrExists(name)) fail(path, "missing attribute '" + what + "'");
  H5::Attribute a = obj.openAttribute(name);
  std::ostringstream s;
  switch (a.getTypeClass()) {
    case H5T_STRING:
      return detail::read_string(a);
    case H5T_INTEGER: {
      long long v = 0;
      a.read(H5::PredType::NATIVE_LLONG, &v);
      s << v;
      return s.str();
    }
    case H5T_FLOAT: {
      double v = 0;
      a.read(H5::PredType::NATIVE_DOUBLE, &v);
      s.precision(17);
      s << v;
      return s.str();
    }
    default:
      fail(path, "attribute '" + what + "' has an unexpected type");
  }
}

}  // namespace

std::string ResultReader::attribute(const std::string& name) const {
  try {
    return attribute_text(impl_->file.openGroup("/"), name, path_, name);
  } catch (const H5::Exception& e) {
    fail(path_, "cannot read attribute '" + name + "': " + e.getDetailMsg());
  }
}

std::string ResultReader::attribute(const std::string& dataset, const std::string& name) const {
  if (!has(dataset)) fail(path_, "missing dataset '" + dataset + "'");
  try {
    const H5::DataSet ds = impl_->file.openDataSet(dataset);
    return ds.attrExists(name) ? attribute_text(ds, name, path_, dataset + ":" + name) : std::string();
  } catch (const H5::Exception& e) {
    fail(path_, "cannot read attribute '" + dataset + ":" + name + "': " + e.getDetailMsg());
  }
}

std::size_t ResultReader::length(const std::string& dimension) const {
  const auto s = shape(dimension);
  if (s.size() != 1)
    fail(path_, "dimension '" + dimension + "' has " + std::to_string(s.size()) + " dimensions; expected 1");
  return s[0];
}

std::vector<std::size_t> ResultReader::finished_replications() const {
  const std::size_t reps = length("replication");
  std::vector<double> done(reps, 1.0);
  if (has("replication_done")) done = values("replication_done");
  if (done.size() != reps)
    fail(path_, "variable 'replication_done' has " + std::to_string(done.size()) +
                    " values, but dimension 'replication' has length " + std::to_string(reps) +
                    "; the file is inconsistent");
  std::vector<std::size_t> out;
  for (std::size_t r = 0; r < reps; ++r)
    if (done[r] == 1.0) out.push_back(r);
  return out;
}

CityCube::CityCube(const ResultReader& f, const std::string& name, std::size_t point) {
  auto shape = f.shape(name);
  const bool sweep = f.has("point") && !shape.empty() && shape[0] == f.length("point") && shape.size() >= 3;
  values_ = sweep ? f.values(name, point) : f.values(name);
  if (sweep) shape.erase(shape.begin());
  reps_ = f.length("replication");
  cities_ = f.length("city");
  months_ = shape.size() == 2 ? 1 : f.length("time");
  const bool ok = (shape.size() == 3 && shape == std::vector<std::size_t>{reps_, months_, cities_}) ||
                  (shape.size() == 2 && shape == std::vector<std::size_t>{reps_, cities_});
  if (!ok) fail(f.path(), "dataset '" + name + "' is not shaped (replication, time, city) or (replication, city)");
}

bool CityCube::finite() const {
  return std::all_of(values_.begin(), values_.end(), [](double x) { return std::isfinite(x); });
}

double CityCube::at(std::size_t r, std::size_t t, std::size_t c) const {
  const std::size_t row = (r * months_ + t) * cities_;
  if (c < cities_) return values_[row + c];
  double sum = 0;
  for (std::size_t k = 0; k < cities_; ++k) sum += values_[row + k];
  return sum;
}

}  // namespace smesim
