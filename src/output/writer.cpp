// Writing a result file: NetCDF-4-compatible HDF5 (dimension scales, creation order
// tracked, CF attributes), under a temporary name renamed into place when complete.
#include "smesim/output/writer.hpp"

#include <H5Cpp.h>
#include <H5DSpublic.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <system_error>

#include "smesim/core/error.hpp"
#include "smesim/output/detail/hdf5_util.hpp"

namespace smesim {

namespace fs = std::filesystem;
using namespace detail;

const Dimension& FileSchema::dim(const std::string& name) const {
  for (const auto& d : dims)
    if (d.name == name) return d;
  throw OutputError("result schema: no dimension '" + name + "'");
}

std::size_t FileSchema::slab_size(const Variable& v) const {
  std::size_t n = 1;
  for (std::size_t i = (v.dims.front() == "replication" ? 1 : 0); i < v.dims.size(); ++i) n *= dim(v.dims[i]).size();
  return n;
}

struct ResultWriter::Impl {
  fs::path path, partial;
  FileSchema schema;
  std::optional<H5::H5File> file;
  std::map<std::string, H5::DataSet> datasets;
  bool committed = false;
};

namespace {

void set_string_attribute(H5::H5Object& obj, const std::string& name, const std::string& value) {
  H5::StrType type(H5::PredType::C_S1, std::max<std::size_t>(value.size(), 1));
  type.setCset(H5T_CSET_UTF8);
  H5::Attribute a = obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  a.write(type, value.empty() ? std::string(1, '\0') : value);
}

void set_attribute(H5::H5Object& obj, const std::string& name, const AttributeValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) {
    set_string_attribute(obj, name, *s);
  } else if (const auto* i = std::get_if<long long>(&v)) {
    H5::Attribute a = obj.createAttribute(name, H5::PredType::NATIVE_LLONG, H5::DataSpace(H5S_SCALAR));
    a.write(H5::PredType::NATIVE_LLONG, i);
  } else {
    const double d = std::get<double>(v);
    H5::Attribute a = obj.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR));
    a.write(H5::PredType::NATIVE_DOUBLE, &d);
  }
}

H5::DataSet write_labels(H5::H5File& file, const std::string& name, const std::vector<std::string>& labels) {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  const hsize_t n = labels.size();
  H5::DataSet ds = file.createDataSet(name, type, H5::DataSpace(1, &n), dataset_properties());
  std::vector<const char*> ptrs;
  for (const auto& l : labels) ptrs.push_back(l.c_str());
  ds.write(ptrs.data(), type);
  return ds;
}

H5::DataSet create_dimension(H5::H5File& file, const Dimension& d) {
  H5::DataSet ds;
  if (!d.labels.empty()) {
    ds = write_labels(file, d.name, d.labels);
  } else {
    const hsize_t n = d.values.size();
    const H5::PredType& type = d.integer ? H5::PredType::NATIVE_INT : H5::PredType::NATIVE_DOUBLE;
    ds = file.createDataSet(d.name, type, H5::DataSpace(1, &n), dataset_properties());
    ds.write(d.values.data(), H5::PredType::NATIVE_DOUBLE);  // HDF5 converts to the file type
  }
  const std::string scale_name = d.name.substr(d.name.rfind('/') + 1);  // "group/dim" -> "dim"
  check(H5DSset_scale(ds.getId(), scale_name.c_str()), "set dimension scale " + d.name);
  set_string_attribute(ds, "long_name", d.long_name);
  if (!d.units.empty()) set_string_attribute(ds, "units", d.units);
  for (const auto& [k, v] : d.extra_attributes) set_string_attribute(ds, k, v);
  return ds;
}

H5::DataSet create_variable(H5::H5File& file, const FileSchema& schema, const Variable& v,
                            const std::map<std::string, H5::DataSet>& scales) {
  std::vector<hsize_t> shape, chunk;
  for (const auto& name : v.dims) {
    shape.push_back(schema.dim(name).size());
    chunk.push_back(std::max<hsize_t>(1, name == "replication" ? 1 : schema.dim(name).size()));
  }
  H5::DSetCreatPropList props = dataset_properties();
  props.setChunk(static_cast<int>(chunk.size()), chunk.data());
  props.setShuffle();
  props.setDeflate(4);
  const double fill = std::nan("");
  props.setFillValue(H5::PredType::NATIVE_DOUBLE, &fill);
  H5::DataSet ds = file.createDataSet(v.name, H5::PredType::NATIVE_DOUBLE,
                                      H5::DataSpace(static_cast<int>(shape.size()), shape.data()), props);
  for (std::size_t i = 0; i < v.dims.size(); ++i)
    check(H5DSattach_scale(ds.getId(), scales.at(v.dims[i]).getId(), static_cast<unsigned>(i)),
          "attach dimension " + v.dims[i] + " to " + v.name);
  set_string_attribute(ds, "long_name", v.long_name);
  if (!v.units.empty()) set_string_attribute(ds, "units", v.units);
  // CF auxiliary coordinates: the label variables over any of this variable's dims.
  std::string coordinates;
  for (const auto& lv : schema.label_vars)
    if (std::find(v.dims.begin(), v.dims.end(), lv.dim) != v.dims.end())
      coordinates += (coordinates.empty() ? "" : " ") + lv.name;
  if (!coordinates.empty()) set_string_attribute(ds, "coordinates", coordinates);
  return ds;
}

}  // namespace

fs::path ResultWriter::partial_path(const fs::path& path) { return fs::path(path.string() + ".partial"); }

ResultWriter::ResultWriter(fs::path path, const FileSchema& schema, bool overwrite)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->partial = partial_path(path);
  impl_->schema = schema;
  std::error_code ec;
  if (!overwrite && fs::exists(path, ec))
    throw InputError(path.string() + ": output file exists; use --force to overwrite it");
  H5::Exception::dontPrint();
  try {
    impl_->file.emplace(impl_->partial.string(), H5F_ACC_TRUNC, file_create_properties());
    std::map<std::string, H5::DataSet> scales;
    for (const auto& d : schema.dims) scales[d.name] = create_dimension(*impl_->file, d);
    for (const auto& lv : schema.label_vars) {
      H5::DataSet ds = write_labels(*impl_->file, lv.name, lv.labels);
      check(H5DSattach_scale(ds.getId(), scales.at(lv.dim).getId(), 0), "attach " + lv.dim);
      set_string_attribute(ds, "long_name", lv.long_name);
    }
    for (const auto& v : schema.vars) {
      const auto slash = v.name.find('/');
      if (slash != std::string::npos && !impl_->file->nameExists(v.name.substr(0, slash)))
        create_group(*impl_->file, v.name.substr(0, slash));
      impl_->datasets[v.name] = create_variable(*impl_->file, schema, v, scales);
    }
    H5::Group root = impl_->file->openGroup("/");
    for (const auto& [k, v] : schema.attributes) set_attribute(root, k, v);
    set_string_attribute(root, "status", "incomplete");
  } catch (const H5::Exception& e) {
    throw OutputError(impl_->partial.string() + ": cannot create result file: " + e.getDetailMsg());
  }
}

ResultWriter::~ResultWriter() {
  if (impl_ && !impl_->committed) {
    try {
      impl_->datasets.clear();
      if (impl_->file) impl_->file->close();
    } catch (...) {
    }
    std::error_code ec;
    fs::remove(impl_->partial, ec);
  }
}

void ResultWriter::write(const std::string& var, const std::vector<double>& data) {
  try {
    impl_->datasets.at(var).write(data.data(), H5::PredType::NATIVE_DOUBLE);
  } catch (const H5::Exception& e) {
    throw OutputError(impl_->partial.string() + ": writing " + var + ": " + e.getDetailMsg());
  }
}

void ResultWriter::write_replication(const std::string& var, int rep, const std::vector<double>& data) {
  try {
    H5::DataSet& ds = impl_->datasets.at(var);
    H5::DataSpace space = ds.getSpace();
    const int rank = space.getSimpleExtentNdims();
    std::vector<hsize_t> shape(rank), offset(rank, 0);
    space.getSimpleExtentDims(shape.data());
    offset[0] = static_cast<hsize_t>(rep);
    shape[0] = 1;
    space.selectHyperslab(H5S_SELECT_SET, shape.data(), offset.data());
    H5::DataSpace memory(rank, shape.data());
    ds.write(data.data(), H5::PredType::NATIVE_DOUBLE, memory, space);
  } catch (const H5::Exception& e) {
    throw OutputError(impl_->partial.string() + ": writing " + var + ": " + e.getDetailMsg());
  }
}

void ResultWriter::write_table(const Table& table) {
  try {
    if (!impl_->file->nameExists(table.group)) create_group(*impl_->file, table.group);
    Dimension dim{table.group + "/" + table.dim, table.long_name, "", {}, {}, {}};
    for (std::size_t r = 0; r < table.rows; ++r) dim.values.push_back(static_cast<double>(r));
    dim.integer = true;
    H5::DataSet scale = create_dimension(*impl_->file, dim);
    const hsize_t n = table.rows;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const Variable& v = table.columns[c];
      H5::DSetCreatPropList props = dataset_properties();
      const hsize_t chunk = std::max<hsize_t>(1, std::min<hsize_t>(n, 65536));
      props.setChunk(1, &chunk);
      props.setShuffle();
      props.setDeflate(4);
      H5::DataSet ds = impl_->file->createDataSet(table.group + "/" + v.name, H5::PredType::NATIVE_DOUBLE,
                                                  H5::DataSpace(1, &n), props);
      if (n > 0) ds.write(table.data[c].data(), H5::PredType::NATIVE_DOUBLE);
      check(H5DSattach_scale(ds.getId(), scale.getId(), 0), "attach " + table.dim + " to " + v.name);
      set_string_attribute(ds, "long_name", v.long_name);
      if (!v.units.empty()) set_string_attribute(ds, "units", v.units);
    }
  } catch (const H5::Exception& e) {
    throw OutputError(impl_->partial.string() + ": writing table " + table.group + ": " + e.getDetailMsg());
  }
}

void ResultWriter::flush() {
  try {
    impl_->file->flush(H5F_SCOPE_GLOBAL);
  } catch (const H5::Exception& e) {
    throw OutputError(impl_->partial.string() + ": flushing: " + e.getDetailMsg());
  }
}

void ResultWriter::commit() {
  try {
    H5::Group root = impl_->file->openGroup("/");
    root.removeAttr("status");
    set_string_attribute(root, "status", "complete");
    root.close();
    impl_->datasets.clear();
    impl_->file->close();
  } catch (const H5::Exception& e) {
    throw OutputError(impl_->partial.string() + ": finishing result file: " + e.getDetailMsg());
  }
  std::error_code ec;
  fs::rename(impl_->partial, impl_->path, ec);
  if (ec) throw OutputError(impl_->path.string() + ": cannot rename the finished file into place: " + ec.message());
  impl_->committed = true;
}

}  // namespace smesim
