// The memory check: which limits it reads and how many replications it counts in flight.
#include <tbb/info.h>

#include <catch2/catch.hpp>
#include <cstdint>

#include "smesim/engine/ensemble.hpp"
#include "support/engine_helpers.hpp"

using namespace smesim;

namespace {

constexpr std::uint64_t kNone = ~std::uint64_t{0};
constexpr std::uint64_t kMiB = 1 << 20;

/// A fake root with /proc/meminfo (MemAvailable 8 GiB), /proc/self/status (VmSize 100 MiB) and `cgroup` as
/// /proc/self/cgroup.
void write_proc(const test::TempDir& dir, const std::string& cgroup) {
  std::filesystem::create_directories(dir.path() / "proc/self");
  dir.write("proc/meminfo", "MemTotal:       16777216 kB\nMemAvailable:    8388608 kB\n");
  dir.write("proc/self/status", "Name:\tsmesim\nVmSize:\t  102400 kB\n");
  dir.write("proc/self/cgroup", cgroup);
}

}  // namespace

TEST_CASE("MemAvailable is the limit when there is no other") {
  test::TempDir dir;
  write_proc(dir, "0::/\n");
  std::filesystem::create_directories(dir.path() / "sys/fs/cgroup");
  dir.write("sys/fs/cgroup/memory.max", "max\n");
  const MemoryLimit m = available_memory(dir.path(), kNone);
  CHECK(m.bytes == 8192 * kMiB);
  CHECK(m.source == "MemAvailable");
}

TEST_CASE("ulimit -v less the address space in use is the limit when smaller") {
  test::TempDir dir;
  write_proc(dir, "");
  const MemoryLimit m = available_memory(dir.path(), 1024 * kMiB);
  CHECK(m.bytes == 924 * kMiB);
  CHECK(m.source == "ulimit -v");
}

TEST_CASE("a cgroup v2 limit on the process's cgroup or an ancestor, less its usage without cache") {
  test::TempDir dir;
  write_proc(dir, "0::/job_7/step_0\n");
  std::filesystem::create_directories(dir.path() / "sys/fs/cgroup/job_7/step_0");
  dir.write("sys/fs/cgroup/job_7/step_0/memory.max", "max\n");
  dir.write("sys/fs/cgroup/job_7/memory.max", std::to_string(2048 * kMiB) + "\n");
  dir.write("sys/fs/cgroup/job_7/memory.current", std::to_string(1536 * kMiB) + "\n");
  dir.write("sys/fs/cgroup/job_7/memory.stat", "anon 1\ninactive_file " + std::to_string(512 * kMiB) + "\n");
  const MemoryLimit m = available_memory(dir.path(), kNone);
  CHECK(m.bytes == 1024 * kMiB);
  CHECK(m.source == "cgroup limit");
}

TEST_CASE("a cgroup v1 memory limit counts, but not the v1 value for no limit") {
  test::TempDir dir;
  write_proc(dir, "12:cpu,cpuacct:/slurm\n4:memory:/slurm/uid_1/job_9\n");
  const auto job = dir.path() / "sys/fs/cgroup/memory/slurm/uid_1/job_9";
  std::filesystem::create_directories(job);
  dir.write("sys/fs/cgroup/memory/slurm/uid_1/job_9/memory.limit_in_bytes", std::to_string(800 * kMiB));
  dir.write("sys/fs/cgroup/memory/slurm/uid_1/job_9/memory.usage_in_bytes", std::to_string(100 * kMiB));
  dir.write("sys/fs/cgroup/memory/slurm/memory.limit_in_bytes", "9223372036854771712\n");
  const MemoryLimit m = available_memory(dir.path(), kNone);
  CHECK(m.bytes == 700 * kMiB);
  CHECK(m.source == "cgroup limit");
}

TEST_CASE("the estimate counts only the replications oneTBB runs at once") {
  const int cores = tbb::info::default_concurrency();
  CHECK(effective_concurrency(10000) == cores);
  CHECK(effective_concurrency(0) == 1);
  const RunPlan plan =
      single_run(test::scenario(test::small_scenario(), {"simulation.replications=" + std::to_string(cores + 8)}));
  CHECK(estimate_memory(plan, 10000, OutputLevel::kSummary) == estimate_memory(plan, cores, OutputLevel::kSummary));
  CHECK(estimate_memory(plan, cores, OutputLevel::kSummary) > estimate_memory(plan, 1, OutputLevel::kSummary));
}
