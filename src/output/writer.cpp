// Writing a result file: NetCDF-4-compatible HDF5 (dimension scales, creation order
// tracked, CF attributes), under a temporary name renamed into place when complete.
#include "smesim/output/writer.hpp"

#include <H5Cpp.h>
#include <H5DSpublic.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <system_error>

#include "smesim/core/error.hpp"
#include "smesim/output/detail/hdf5_util.hpp"
#include "smesim/output/units.hpp"

namespace smesim {

namespace fs = std::filesystem;
using namespace detail;

const Dimension& FileSchema::dim(const std::string& name) const {
  for (const auto& d : dims)
    if (d.name == name) return d;
  throw OutputError("result schema: no dimension '" + name + "'");
}

bool FileSchema::per_item(const Variable& v) const {
  return v.dims.size() >= item_dims.size() && std::equal(item_dims.begin(), item_dims.end(), v.dims.begin());
}

struct ResultWriter::Impl {
  fs::path path, partial;
  FileSchema schema;
  std::unique_ptr<H5::H5File> file;
  std::map<std::string, H5::DataSet> datasets;
  bool failed = false;                                     // an HDF5 write failed: the handles cannot be closed safely
  std::map<std::string, std::vector<std::string>> tables;  // "group/dim" -> column names
  bool committed = false;
  bool keep_partial = false;
};

namespace {

void set_string_attribute(H5::H5Object& obj, const std::string& name, const std::string& value) {
  H5::StrType type(H5::PredType::C_S1, std::max<std::size_t>(value.size(), 1));
  type.setCset(H5T_CSET_UTF8);
  H5::Attribute a = obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  a.write(type, value.empty() ? std::string(1, '\0') : value);
}

/// long_name and units (UDUNITS-2; counts and money as "1" with counted_in) of a variable
/// whose catalogue says `long_name` and `units` (docs/OUTPUT.md, "Units").
void set_description(H5::H5Object& obj, const std::string& long_name, const std::string& units) {
  const UnitAttributes a = unit_attributes(units, long_name);
  set_string_attribute(obj, "long_name", a.long_name);
  if (!a.units.empty()) set_string_attribute(obj, "units", a.units);
  if (!a.counted_in.empty()) set_string_attribute(obj, "counted_in", a.counted_in);
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
  set_description(ds, d.long_name, d.units);
  for (const auto& [k, v] : d.extra_attributes) set_string_attribute(ds, k, v);
  return ds;
}

H5::DataSet create_variable(H5::H5File& file, const FileSchema& schema, const Variable& v,
                            const std::map<std::string, H5::DataSet>& scales) {
  std::vector<hsize_t> shape, chunk;
  for (const auto& name : v.dims) {
    shape.push_back(schema.dim(name).size());
    const bool item = std::find(schema.item_dims.begin(), schema.item_dims.end(), name) != schema.item_dims.end();
    chunk.push_back(std::max<hsize_t>(1, item ? 1 : schema.dim(name).size()));
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
  set_description(ds, v.long_name, v.units);
  for (const auto& [k, value] : v.attributes) set_string_attribute(ds, k, value);
  // CF auxiliary coordinates: the label variables over any of this variable's dims.
  std::string coordinates;
  for (const auto& lv : schema.label_vars)
    if (std::find(v.dims.begin(), v.dims.end(), lv.dim) != v.dims.end())
      coordinates += (coordinates.empty() ? "" : " ") + lv.name;
  if (!coordinates.empty()) set_string_attribute(ds, "coordinates", coordinates);
  return ds;
}

/// Refuses to truncate the partial file of an earlier run that holds finished items.
void refuse_partial(const fs::path& partial) {
  std::size_t finished = 0;
  try {
    H5::H5File file(partial.string(), H5F_ACC_RDONLY);
    H5::DataSet ds = file.openDataSet("replication_done");
    std::vector<double> done(static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints()));
    ds.read(done.data(), H5::PredType::NATIVE_DOUBLE);
    finished = static_cast<std::size_t>(std::count(done.begin(), done.end(), 1.0));
  } catch (const H5::Exception&) {
    throw InputError(partial.string() + ": a partial file of an earlier run exists (unreadable); use --force to " +
                     "start over");
  }
  if (finished > 0)
    throw InputError(partial.string() + ": a partial file of an earlier run exists with " + std::to_string(finished) +
                     " finished item(s); use --resume to continue it or --force to start over");
}

}  // namespace

fs::path ResultWriter::partial_path(const fs::path& path) { return fs::path(path.string() + ".partial"); }

static void discover_tables(H5::H5File& file, std::map<std::string, std::vector<std::string>>& tables);

/// True if every link of `name` ("a/b/c") exists in `file` (nameExists alone throws when
/// a parent group is missing).
static bool path_exists(const H5::H5File& file, const std::string& name) {
  for (std::size_t at = name.find('/');; at = name.find('/', at + 1)) {
    if (!file.nameExists(name.substr(0, at))) return false;
    if (at == std::string::npos) return true;
  }
}

ResultWriter::ResultWriter(const fs::path& path, const FileSchema& schema, OpenMode mode)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->partial = partial_path(path);
  impl_->schema = schema;
  std::error_code ec;
  if (mode == OpenMode::kCreate && fs::exists(path, ec))
    throw InputError(path.string() + ": output file exists; use --force to overwrite it");
  quiet_hdf5();
  if (mode == OpenMode::kCreate && fs::exists(impl_->partial, ec)) refuse_partial(impl_->partial);
  if (mode == OpenMode::kResume) {
    if (!fs::exists(impl_->partial, ec))
      throw InputError(impl_->partial.string() + ": nothing to resume (no partial file from an interrupted run)");
    try {
      impl_->file = std::make_unique<H5::H5File>(impl_->partial.string(), H5F_ACC_RDWR);
      for (const auto& v : schema.vars) {
        if (!path_exists(*impl_->file, v.name))
          throw InputError(impl_->partial.string() + ": cannot resume: it has no variable '" + v.name +
                           "' (written with another --output level or scenario)");
        impl_->datasets[v.name] = impl_->file->openDataSet(v.name);
      }
      discover_tables(*impl_->file, impl_->tables);
    } catch (const H5::Exception& e) {
      throw DamagedPartial(impl_->partial.string() + ": the partial file is damaged (" + e.getDetailMsg() + ")");
    }
    impl_->keep_partial = true;
    return;
  }
  try {
    impl_->file = std::make_unique<H5::H5File>(impl_->partial.string(), H5F_ACC_TRUNC, file_create_properties());
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
  if (!impl_ || impl_->committed) return;
  if (impl_->failed) {
    // After a failed write (disk full, file size limit) HDF5 1.10 can crash closing the
    // file: abandon the handles; what was flushed before stays on disk.
    new std::map<std::string, H5::DataSet>(std::move(impl_->datasets));
    (void)impl_->file.release();
  } else {
    try {
      for (auto& [name, ds] : impl_->datasets) ds.close();
      impl_->datasets.clear();
      if (impl_->file) impl_->file->close();
    } catch (...) {
    }
  }
  std::error_code ec;
  if (!impl_->keep_partial) fs::remove(impl_->partial, ec);
}

void ResultWriter::keep_partial() { impl_->keep_partial = true; }

void ResultWriter::write(const std::string& var, const std::vector<double>& data) {
  try {
    impl_->datasets.at(var).write(data.data(), H5::PredType::NATIVE_DOUBLE);
  } catch (const H5::Exception& e) {
    impl_->failed = true;
    throw OutputError(impl_->partial.string() + ": writing " + var + ": " + e.getDetailMsg());
  }
}

void ResultWriter::write_item(const std::string& var, std::size_t item, const std::vector<double>& data) {
  try {
    H5::DataSet& ds = impl_->datasets.at(var);
    H5::DataSpace space = ds.getSpace();
    const int rank = space.getSimpleExtentNdims();
    std::vector<hsize_t> shape(rank), offset(rank, 0);
    space.getSimpleExtentDims(shape.data());
    // The flat item index over the leading item dims, last one fastest.
    for (std::size_t k = impl_->schema.item_dims.size(); k-- > 0;) {
      offset[k] = item % shape[k];
      item /= shape[k];
      shape[k] = 1;
    }
    space.selectHyperslab(H5S_SELECT_SET, shape.data(), offset.data());
    H5::DataSpace memory(rank, shape.data());
    ds.write(data.data(), H5::PredType::NATIVE_DOUBLE, memory, space);
  } catch (const H5::Exception& e) {
    impl_->failed = true;
    throw OutputError(impl_->partial.string() + ": writing " + var + ": " + e.getDetailMsg());
  }
}

namespace {

/// Reads a whole 1-D float64 dataset.
std::vector<double> read_column(const H5::DataSet& ds) {
  std::vector<double> out(static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints()));
  if (!out.empty()) ds.read(out.data(), H5::PredType::NATIVE_DOUBLE);
  return out;
}

/// Sets a 1-D extendible dataset to `values` (growing or shrinking it).
void rewrite_column(H5::DataSet& ds, const std::vector<double>& values) {
  const hsize_t n = values.size();
  ds.extend(&n);
  if (n > 0) ds.write(values.data(), H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &n), ds.getSpace());
}

/// Appends `values` to a 1-D extendible dataset.
void append_column(H5::DataSet& ds, const std::vector<double>& values) {
  hsize_t old = 0;
  ds.getSpace().getSimpleExtentDims(&old);
  const hsize_t add = values.size(), total = old + add;
  if (add == 0) return;
  ds.extend(&total);
  H5::DataSpace file_space = ds.getSpace();
  file_space.selectHyperslab(H5S_SELECT_SET, &add, &old);
  ds.write(values.data(), H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &add), file_space);
}

H5::DataSet create_column(H5::H5File& file, const std::string& path, const H5::PredType& type) {
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = 4096;
  H5::DSetCreatPropList props = dataset_properties();
  props.setChunk(1, &chunk);
  props.setShuffle();
  props.setDeflate(4);
  return file.createDataSet(path, type, H5::DataSpace(1, &zero, &unlimited), props);
}

}  // namespace

void ResultWriter::append_table(const Table& table) {
  const std::string dim_path = table.group + "/" + table.dim;
  try {
    H5::H5File& file = *impl_->file;
    if (!file.nameExists(table.group)) create_group(file, table.group);
    if (!file.nameExists(dim_path)) {
      H5::DataSet scale = create_column(file, dim_path, H5::PredType::NATIVE_INT);
      check(H5DSset_scale(scale.getId(), table.dim.c_str()), "set dimension scale " + dim_path);
      set_string_attribute(scale, "long_name", table.long_name);
      for (const Variable& v : table.columns) {
        H5::DataSet ds = create_column(file, table.group + "/" + v.name, H5::PredType::NATIVE_DOUBLE);
        check(H5DSattach_scale(ds.getId(), scale.getId(), 0), "attach " + table.dim + " to " + v.name);
        set_description(ds, v.long_name, v.units);
      }
    }
    auto& columns = impl_->tables[dim_path];
    columns.clear();
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      columns.push_back(table.group + "/" + table.columns[c].name);
      H5::DataSet ds = file.openDataSet(columns.back());
      append_column(ds, table.data[c]);
    }
    H5::DataSet scale = file.openDataSet(dim_path);
    hsize_t old = 0;
    scale.getSpace().getSimpleExtentDims(&old);
    std::vector<double> index(table.rows);
    for (std::size_t r = 0; r < table.rows; ++r) index[r] = static_cast<double>(old + r);
    append_column(scale, index);
  } catch (const H5::Exception& e) {
    impl_->failed = true;
    throw OutputError(impl_->partial.string() + ": writing table " + table.group + ": " + e.getDetailMsg());
  }
}

/// The tables a file already has: groups holding a 1-D dimension scale of their own.
static void discover_tables(H5::H5File& file, std::map<std::string, std::vector<std::string>>& tables) {
  H5::Group root = file.openGroup("/");
  for (hsize_t g = 0; g < root.getNumObjs(); ++g) {
    if (root.getObjTypeByIdx(g) != H5G_GROUP) continue;
    const std::string group = root.getObjnameByIdx(g);
    H5::Group grp = file.openGroup(group);
    std::string scale;
    std::vector<std::string> columns;
    for (hsize_t i = 0; i < grp.getNumObjs(); ++i) {
      const std::string path = group + "/" + grp.getObjnameByIdx(i);
      if (H5DSis_scale(file.openDataSet(path).getId()) > 0)
        scale = path;
      else
        columns.push_back(path);
    }
    if (!scale.empty()) tables[scale] = columns;
  }
}

/// Rewrites every table keeping the rows `keep` selects, in order of the item column.
static void reorder_tables(H5::H5File& file, const std::map<std::string, std::vector<std::string>>& tables,
                           const std::function<bool(double)>& keep) {
  for (const auto& [dim_path, columns] : tables) {
    std::vector<std::vector<double>> data;
    std::size_t item_column = 0;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      data.push_back(read_column(file.openDataSet(columns[c])));
      if (columns[c].substr(columns[c].rfind('/') + 1) == "item") item_column = c;
    }
    const std::vector<double>& rep = data[item_column];
    std::vector<std::size_t> order;
    for (std::size_t r = 0; r < rep.size(); ++r)
      if (keep(rep[r])) order.push_back(r);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return rep[x] < rep[y]; });
    for (std::size_t c = 0; c < columns.size(); ++c) {
      std::vector<double> sorted;
      for (std::size_t r : order) sorted.push_back(data[c][r]);
      H5::DataSet ds = file.openDataSet(columns[c]);
      rewrite_column(ds, sorted);
    }
    std::vector<double> index(order.size());
    for (std::size_t r = 0; r < index.size(); ++r) index[r] = static_cast<double>(r);
    H5::DataSet scale = file.openDataSet(dim_path);
    rewrite_column(scale, index);
  }
}

void ResultWriter::keep_table_rows(const std::vector<bool>& done) {
  try {
    reorder_tables(*impl_->file, impl_->tables, [&](double r) {
      const auto i = static_cast<std::size_t>(r);
      return r >= 0 && i < done.size() && done[i];
    });
  } catch (const H5::Exception& e) {
    throw OutputError(impl_->partial.string() + ": cleaning tables: " + e.getDetailMsg());
  }
}

std::vector<double> ResultWriter::read(const std::string& var) const {
  try {
    return read_column(impl_->file->openDataSet(var));
  } catch (const H5::Exception& e) {
    throw OutputError(impl_->partial.string() + ": reading " + var + ": " + e.getDetailMsg());
  }
}

std::string ResultWriter::attribute(const std::string& name) const {
  try {
    H5::Group root = impl_->file->openGroup("/");
    if (!root.attrExists(name)) return "";
    return detail::read_string(root.openAttribute(name));
  } catch (const H5::Exception&) {
    return "";
  }
}

void ResultWriter::flush() {
  try {
    impl_->file->flush(H5F_SCOPE_GLOBAL);
  } catch (const H5::Exception& e) {
    impl_->failed = true;
    throw OutputError(impl_->partial.string() +
                      ": writing to disk failed (disk full or file size limit?): " + e.getDetailMsg());
  }
}

void ResultWriter::commit() {
  try {
    reorder_tables(*impl_->file, impl_->tables, [](double) { return true; });
    H5::Group root = impl_->file->openGroup("/");
    root.removeAttr("status");
    set_string_attribute(root, "status", "complete");
    root.close();
    impl_->datasets.clear();
    impl_->file->close();
  } catch (const H5::Exception& e) {
    impl_->failed = true;
    throw OutputError(impl_->partial.string() + ": finishing result file: " + e.getDetailMsg());
  }
  std::error_code ec;
  fs::rename(impl_->partial, impl_->path, ec);
  if (ec) throw OutputError(impl_->path.string() + ": cannot rename the finished file into place: " + ec.message());
  impl_->committed = true;
}

}  // namespace smesim
