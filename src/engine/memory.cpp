// How much memory a run may use: the smallest of the machine's, the process's and its cgroup's limits.
#include <sys/resource.h>
#include <tbb/info.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include "smesim/engine/ensemble.hpp"

namespace smesim {
namespace {

namespace fs = std::filesystem;

// Limits at or above this mean "none" (cgroup v1 writes 2^63 rounded down to a page).
constexpr std::uint64_t kNoLimit = std::uint64_t{1} << 60;

/// The number a one-value file holds, or nothing when it is missing, "max" or no limit.
std::optional<std::uint64_t> read_number(const fs::path& file) {
  std::ifstream in(file);
  std::uint64_t value = 0;
  if (!(in >> value) || value >= kNoLimit) return std::nullopt;
  return value;
}

/// The value of `key` in a "key value [unit]" file (meminfo, status, memory.stat), or nothing.
std::optional<std::uint64_t> read_key(const fs::path& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string name;
    std::uint64_t value = 0;
    if (fields >> name >> value && name == key) return value;
  }
  return std::nullopt;
}

/// The cgroup path of this process in the v2 hierarchy ("0::/path") or the v1 memory
/// controller ("N:memory:/path" or "N:cpu,memory:/path"), or nothing.
std::optional<std::string> cgroup_path(const fs::path& root, bool v2) {
  std::ifstream in(root / "proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    const auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string controllers = line.substr(a + 1, b - a - 1);
    const bool match = v2 ? line.compare(0, a, "0") == 0 && controllers.empty()
                          : ("," + controllers + ",").find(",memory,") != std::string::npos;
    if (match) return line.substr(b + 1);
  }
  return std::nullopt;
}

/// Memory left under the tightest limit of the cgroup at `path` and its ancestors (a Slurm
/// job's limit sits on the job, its steps below it); cache that can be dropped counts as free.
std::optional<std::uint64_t> cgroup_room(const fs::path& mount, std::string path, bool v2) {
  const char* limit_file = v2 ? "memory.max" : "memory.limit_in_bytes";
  const char* usage_file = v2 ? "memory.current" : "memory.usage_in_bytes";
  const char* cache_key = v2 ? "inactive_file" : "total_inactive_file";
  std::optional<std::uint64_t> room;
  while (true) {
    const fs::path dir = mount / fs::path(path).relative_path();
    const auto limit = read_number(dir / limit_file);
    if (limit) {
      const std::uint64_t usage = read_number(dir / usage_file).value_or(0);
      const std::uint64_t used = usage - std::min(usage, read_key(dir / "memory.stat", cache_key).value_or(0));
      const std::uint64_t left = *limit > used ? *limit - used : 0;
      room = std::min(room.value_or(left), left);
    }
    if (path.empty() || path == "/") return room;
    const auto slash = path.find_last_of('/');
    path = slash == std::string::npos ? std::string{} : path.substr(0, slash);
  }
}

}  // namespace

int effective_concurrency(int threads) { return std::max(1, std::min(threads, tbb::info::default_concurrency())); }

MemoryLimit available_memory(const fs::path& root, std::uint64_t address_space_limit) {
  MemoryLimit best;
  auto consider = [&](std::optional<std::uint64_t> bytes, const char* source) {
    if (!bytes) return;
    const auto b = static_cast<std::size_t>(std::max<std::uint64_t>(*bytes, 1));  // 0 means unknown
    if (best.bytes == 0 || b < best.bytes) best = {b, source};
  };
  const auto kb = read_key(root / "proc/meminfo", "MemAvailable:");
  consider(kb ? std::optional(*kb * 1024) : std::nullopt, "MemAvailable");
  if (address_space_limit < kNoLimit) {
    const std::uint64_t used = read_key(root / "proc/self/status", "VmSize:").value_or(0) * 1024;
    consider(address_space_limit > used ? address_space_limit - used : 0, "ulimit -v");
  }
  if (const auto path = cgroup_path(root, true))
    consider(cgroup_room(root / "sys/fs/cgroup", *path, true), "cgroup limit");
  if (const auto path = cgroup_path(root, false))
    consider(cgroup_room(root / "sys/fs/cgroup/memory", *path, false), "cgroup limit");
  return best;
}

MemoryLimit available_memory() {
  rlimit as{};
  const std::uint64_t limit = getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY ? as.rlim_cur : kNoLimit;
  return available_memory("/", limit);
}

}  // namespace smesim
