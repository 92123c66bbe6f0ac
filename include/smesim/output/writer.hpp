// Writing a result file: NetCDF-4-compatible HDF5 under a temporary name, renamed into
// place only when complete.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "smesim/core/error.hpp"
#include "smesim/output/schema.hpp"

namespace smesim {

/// A partial file that HDF5 cannot read back: a run killed (SIGKILL, power loss) while it
/// wrote. `--resume` sets it aside and starts afresh (engine/ensemble.cpp).
class DamagedPartial : public InputError {
 public:
  using InputError::InputError;
};

/// How a writer starts.
enum class OpenMode {
  kCreate,     ///< refuse an existing result file
  kOverwrite,  ///< replace an existing result file (at commit)
  kResume,     ///< continue the partial file an interrupted run left
};

/// Creates `<path>.partial` at construction (or reopens it to resume) and renames it to
/// `path` in commit(). Destroying an uncommitted writer removes the partial file unless
/// keep_partial() was called (then an interrupted run can be resumed). Not thread-safe:
/// call from one thread at a time.
class ResultWriter {
 public:
  /// Throws InputError if `path` exists in kCreate mode or nothing can be resumed, and
  /// OutputError on any HDF5 failure.
  ResultWriter(const std::filesystem::path& path, const FileSchema& schema, OpenMode mode);
  ~ResultWriter();
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  /// Writes a variable that has no replication dimension, whole.
  void write(const std::string& var, const std::vector<double>& data);
  /// Writes work item `item` (the flat index over the item dims, e.g. point x
  /// replications + replication) of a per-item variable.
  void write_item(const std::string& var, std::size_t item, const std::vector<double>& data);
  /// Appends rows to a table of records (its own group and dimension, created on
  /// first use). At commit, rows are put in order of their `item` column.
  void append_table(const Table& table);
  /// Drops the rows of every table whose `item` is not marked in `done`.
  void keep_table_rows(const std::vector<bool>& done);
  /// Reads back a variable of the file (e.g. the completion mask when resuming).
  std::vector<double> read(const std::string& var) const;
  /// A root attribute as text ("" if absent).
  std::string attribute(const std::string& name) const;
  /// Keep the partial file if the writer is destroyed before commit().
  void keep_partial();
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
