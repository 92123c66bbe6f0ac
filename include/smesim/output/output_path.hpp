// Checks on the result file's path, and the lock file that keeps two runs from writing it.
#pragma once

#include <filesystem>
#include <string>

namespace smesim {

/// Throws InputError unless `path` names a result file that can be written: not empty, not a
/// directory, device or other non-regular file, in a folder that exists and can be written.
void check_output_path(const std::filesystem::path& path);

/// The lock file beside a result file: `<path>.lock`.
std::filesystem::path lock_path(const std::filesystem::path& path);

/// If a run holds the lock of the result file that `path` names (the result file itself or
/// its `.partial`), a sentence naming the lock file and its holder; else "".
std::string lock_holder_note(const std::filesystem::path& path);

/// An exclusive lock on a result file for the life of the object: `<path>.lock`, created
/// with O_CREAT|O_EXCL and holding "host pid", removed by the destructor. Works where
/// HDF5's own file locking is off (NFS, Lustre).
class OutputLock {
 public:
  /// Takes the lock; throws InputError naming the holder if another live run has it. A lock
  /// left by a process that no longer runs on this host is stale: said on stderr and taken over.
  explicit OutputLock(const std::filesystem::path& path);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

 private:
  std::filesystem::path lock_;
};

}  // namespace smesim
