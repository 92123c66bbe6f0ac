// The item journal beside a partial result file: what a run killed mid-write needs to
// rebuild its partial file without running any finished item again.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "smesim/engine/results.hpp"

namespace smesim {

/// Every finished item's output, packed (item_bytes.hpp) and appended to
/// `<result>.partial.journal`, synced to disk before the item is written to the HDF5
/// partial file. HDF5 is not crash-safe: a SIGKILL or power loss while it writes can
/// leave the partial file unreadable; the journal then rebuilds it. Record: "SMJ1", the
/// size (8 bytes), an FNV-1a 64 checksum of the bytes (8 bytes), the bytes. A torn last
/// record is cut off when the journal is opened. The first record is the run's identity
/// (its resolved scenario and output level), so that a journal is never replayed into
/// another run's file. One process (rank 0) writes it.
class ItemJournal {
 public:
  /// Opens the journal of result file `result` for the run `identity`; `keep` keeps its
  /// records (for --resume), else it starts empty. Throws InputError if a kept journal
  /// belongs to another run, OutputError if it cannot be opened.
  ItemJournal(const std::filesystem::path& result, bool keep, const std::string& identity);
  ~ItemJournal();
  ItemJournal(const ItemJournal&) = delete;
  ItemJournal& operator=(const ItemJournal&) = delete;

  /// Calls `f` with each whole record, in the order written.
  void replay(const std::function<void(const ItemOutput&)>& f) const;
  /// Appends `output` and syncs it to disk. Throws OutputError on a failed write.
  void append(const ItemOutput& output);
  /// Removes the journal file (after the result file is complete).
  void remove();
  /// The journal file's path.
  const std::filesystem::path& path() const { return path_; }

 private:
  /// Appends one record of `bytes` and syncs it.
  void write_record(const std::vector<char>& bytes);

  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace smesim
