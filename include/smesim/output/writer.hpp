// Writing a result file: NetCDF-4-compatible HDF5 under a temporary name, renamed into
// place only when complete.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "smesim/output/schema.hpp"

namespace smesim {

/// Creates `<path>.partial` at construction and renames it to `path` in commit();
/// destroying an uncommitted writer removes the partial file. Not thread-safe: call
/// from one thread at a time.
class ResultWriter {
 public:
  /// Throws OutputError if `path` exists and `overwrite` is false, or on any HDF5 failure.
  ResultWriter(std::filesystem::path path, const FileSchema& schema, bool overwrite);
  ~ResultWriter();
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  /// Writes a variable that has no replication dimension, whole.
  void write(const std::string& var, const std::vector<double>& data);
  /// Writes replication `rep` of a variable whose first dimension is replication.
  void write_replication(const std::string& var, int rep, const std::vector<double>& data);
  /// Writes a table of records under its own group and dimension.
  void write_table(const Table& table);
  /// Flushes everything written so far to disk (the file stays marked incomplete).
  void flush();
  /// Marks the file complete, closes it and renames it into place.
  void commit();

  /// The name the file has until commit().
  static std::filesystem::path partial_path(const std::filesystem::path& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smesim
