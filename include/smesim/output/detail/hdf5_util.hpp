// Small HDF5 helpers shared by the writer and the reader.
#pragma once

#include <H5Cpp.h>

#include <string>

#include "smesim/core/error.hpp"

namespace smesim::detail {

/// Turns off HDF5's own error printing (we report errors ourselves) and its exit-time
/// cleanup (which can crash on a file a failed write left half-closed). Thread-safe HDF5
/// keeps the printing setting per thread, so every thread calls this before its first
/// HDF5 call (a disk-full run printed HDF5's error stack from the worker threads).
inline void quiet_hdf5() {
  thread_local bool quiet = false;
  if (quiet) return;
  quiet = true;
  H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  H5::Exception::dontPrint();
}

/// Throws OutputError when an HDF5 C call failed.
inline void check(herr_t status, const std::string& what) {
  if (status < 0) throw OutputError("HDF5: cannot " + what);
}

inline constexpr unsigned kCreationOrder = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;

/// NetCDF-4 tracks link and attribute creation order; files that do are read back by
/// netCDF-C without complaint. No object records its creation and modification times,
/// so a run repeated with the same inputs (and SOURCE_DATE_EPOCH for `created`) writes
/// the same bytes.
inline H5::FileCreatPropList file_create_properties() {
  H5::FileCreatPropList p;
  check(H5Pset_link_creation_order(p.getId(), kCreationOrder), "set link creation order");
  check(H5Pset_attr_creation_order(p.getId(), kCreationOrder), "set attribute creation order");
  check(H5Pset_obj_track_times(p.getId(), false), "turn off object times");
  return p;
}

/// Creates group `name` under `file` with creation order tracked, as netCDF-4 does.
inline void create_group(H5::H5File& file, const std::string& name) {
  const hid_t props = H5Pcreate(H5P_GROUP_CREATE);
  const bool ok = H5Pset_link_creation_order(props, kCreationOrder) >= 0 &&
                  H5Pset_attr_creation_order(props, kCreationOrder) >= 0 && H5Pset_obj_track_times(props, false) >= 0;
  const hid_t group = ok ? H5Gcreate2(file.getId(), name.c_str(), H5P_DEFAULT, props, H5P_DEFAULT) : -1;
  H5Pclose(props);
  check(group, "create group " + name);
  H5Gclose(group);
}

/// A string attribute's text; a fixed-length string ends at its first NUL.
inline std::string read_string(const H5::Attribute& a) {
  std::string v;
  a.read(a.getStrType(), v);
  return v.substr(0, v.find('\0'));
}

inline H5::DSetCreatPropList dataset_properties() {
  H5::DSetCreatPropList p;
  check(H5Pset_attr_creation_order(p.getId(), kCreationOrder), "set attribute creation order");
  check(H5Pset_obj_track_times(p.getId(), false), "turn off object times");
  return p;
}

}  // namespace smesim::detail
