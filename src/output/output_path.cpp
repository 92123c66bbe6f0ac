// Checks on the result file's path, and the lock file that keeps two runs from writing it.
#include "smesim/output/output_path.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>
#include <utility>

#include "smesim/core/error.hpp"

namespace smesim {

namespace fs = std::filesystem;

namespace {

/// Refuses a path that exists and is not a regular file (the rename at the end would replace it).
void check_not_special(const fs::path& p, const std::string& what) {
  std::error_code ec;
  const fs::file_status s = fs::status(p, ec);
  if (!fs::exists(s)) return;
  if (fs::is_directory(s)) throw InputError(p.string() + ": " + what + " is a directory; name a result file");
  if (!fs::is_regular_file(s))
    throw InputError(p.string() + ": " + what +
                     " is not a regular file (a device, pipe or socket); name a result file");
}

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

}  // namespace

void check_output_path(const fs::path& path) {
  if (path.empty()) throw InputError("-o: the result file name is empty");
  if (path.filename().empty() || path.filename() == "." || path.filename() == "..")
    throw InputError(path.string() + ": the result file name names a folder; name a file");
  check_not_special(path, "the result file");
  for (const char* suffix : {".partial", ".lock", ".partial.journal"})
    check_not_special(fs::path(path.string() + suffix), std::string("the ") + (suffix + 1) + " file");
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  if (!fs::exists(folder, ec))
    throw InputError(path.string() + ": the folder " + folder.string() + " does not exist; create it first");
  if (!fs::is_directory(folder, ec)) throw InputError(path.string() + ": " + folder.string() + " is not a folder");
  if (access(folder.c_str(), W_OK | X_OK) != 0)
    throw InputError(path.string() + ": cannot write in the folder " + folder.string() + " (" + std::strerror(errno) +
                     ")");
}

fs::path lock_path(const fs::path& path) { return fs::path(path.string() + ".lock"); }

namespace {

/// The "host pid" a lock file holds (empty host and pid 0 if unreadable).
std::pair<std::string, long long> read_lock(const fs::path& lock) {
  std::string host;
  long long pid = 0;
  std::ifstream(lock) >> host >> pid;
  return {host, pid};
}

}  // namespace

std::string lock_holder_note(const fs::path& path) {
  fs::path result = path;
  if (result.extension() == ".partial") result.replace_extension();
  const fs::path lock = lock_path(result);
  std::error_code ec;
  if (!fs::exists(lock, ec)) return "";
  const auto [host, pid] = read_lock(lock);
  return "a run is writing it (lock " + lock.string() + ": host " + (host.empty() ? std::string("?") : host) +
         ", pid " + std::to_string(pid) + "); read it once that run has finished or stopped (`smesim inspect " +
         result.string() + ".partial --partial` shows a stopped run's finished replications)";
}

OutputLock::OutputLock(const fs::path& path) : lock_(lock_path(path)) {
  const std::string me = host_name();
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int fd = ::open(lock_.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd >= 0) {
      const std::string text = me + " " + std::to_string(::getpid()) + "\n";
      const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
      ::close(fd);
      if (!written) throw InputError(lock_.string() + ": cannot write the lock file");
      return;
    }
    if (errno != EEXIST)
      throw InputError(lock_.string() + ": cannot create the lock file (" + std::strerror(errno) + ")");
    const auto [host, pid] = read_lock(lock_);
    // A pid on this host that no longer runs left a stale lock; anything else may be alive.
    const bool stale = host == me && pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
    if (!stale || attempt > 0)
      throw InputError("another smesim run (host " + (host.empty() ? std::string("?") : host) + ", pid " +
                       std::to_string(pid) + ") is writing " + path.string() + "; if it no longer runs, remove " +
                       lock_.string());
    std::fprintf(stderr, "smesim: %s: stale lock of pid %lld (no longer running on %s); taking it over\n",
                 lock_.c_str(), pid, host.c_str());
    std::error_code ec;
    fs::remove(lock_, ec);
  }
}

OutputLock::~OutputLock() {
  std::error_code ec;
  fs::remove(lock_, ec);
}

}  // namespace smesim
