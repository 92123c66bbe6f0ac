// Many replications of one scenario, in parallel with oneTBB, written to one result file.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smesim/engine/distributed.hpp"
#include "smesim/engine/results.hpp"
#include "smesim/engine/simulation.hpp"

namespace smesim {

/// Where the time of a run went (for `smesim bench`), filled when EnsembleOptions::timings
/// is set. Seconds are summed over work items (wall time when there is one item).
struct RunTimings {
  double setup_seconds = 0;      ///< synthesising the populations
  double output_seconds = 0;     ///< creating the file, turning results into its variables, writing, finalising
  std::int64_t firm_months = 0;  ///< live firms at month end, summed over reported months, cities and items
};

/// How to run an ensemble.
struct EnsembleOptions {
  int threads = 0;                          ///< worker threads; 0 = all cores
  bool progress = false;                    ///< report replications done and ETA on stderr
  bool snapshots = false;                   ///< record firm snapshots (--output firms)
  std::vector<bool> skip;                   ///< replications already done (resume); empty: none
  const std::atomic<bool>* stop = nullptr;  ///< set (e.g. by a signal) to stop early
  RunTimings* timings = nullptr;            ///< if set, filled with where the time went (one process only)
  PhaseSeconds* profile = nullptr;          ///< if set, each phase's seconds are added to it (this process's items)
  bool progress_lines = false;  ///< with progress: plain lines at most every 10 s (stderr not a terminal), no \r
  /// If set, the items to run come from it until it returns none (it is called from
  /// several threads at once, so it must be thread-safe): MPI ranks share a run's items
  /// this way, so that no rank waits while another still has several. Else every item
  /// not in `skip` runs.
  std::function<std::optional<std::size_t>()> next_item;
};

/// What a run covers: one scenario, or the points of a sweep (each with the same
/// replications, calendar and cities), with the design as named columns.
struct RunPlan {
  std::vector<std::shared_ptr<const Scenario>> points;
  std::vector<std::pair<std::string, std::vector<double>>> design;  ///< empty for a plain run
  bool sweep() const { return !design.empty(); }
};

/// A plan with one scenario.
RunPlan single_run(std::shared_ptr<const Scenario> scenario);

/// Runs every work item (point, replication) of `plan` not in `options.skip` (indexed
/// point x replications + replication), or those `options.next_item` gives; `sink` receives each result as it
/// completes, one call at a time (in completion order, which varies: results carry their point and replication). When
/// `options.stop` is set, items in flight are dropped, none is started, and Interrupted is thrown after the sink calls
/// finish.
void run_ensemble(const RunPlan& plan, const EnsembleOptions& options,
                  const std::function<void(const ReplicationResult&)>& sink);

/// Bytes a run of `plan` is expected to hold at once with `threads` work items in
/// flight: firm tables (with room for entrants), monthly records, firm snapshots.
std::size_t estimate_memory(const RunPlan& plan, int threads, OutputLevel level);

/// Work items oneTBB really runs at once when `threads` are asked for: no more than the
/// workers it has (so `--threads 10000` on 2 cores counts 2 in the memory estimate).
int effective_concurrency(int threads);

/// A bound on the memory a run may use now, and which limit set it.
struct MemoryLimit {
  std::size_t bytes = 0;  ///< bytes available; 0 = unknown
  std::string source;     ///< "MemAvailable", "ulimit -v" or "cgroup limit"
};

/// The smallest memory bound this process has now: MemAvailable, RLIMIT_AS (ulimit -v)
/// less the address space in use, and its cgroup's limit (v2 or v1) less the cgroup's usage.
MemoryLimit available_memory();

/// available_memory() reading /proc and /sys/fs/cgroup under `root` and taking
/// `address_space_limit` (bytes; RLIM_INFINITY = none) as RLIMIT_AS; for tests.
MemoryLimit available_memory(const std::filesystem::path& root, std::uint64_t address_space_limit);

/// What `smesim run` does: runs the ensemble and writes the result file atomically.
struct RunRequest {
  std::filesystem::path output;
  OutputLevel level = OutputLevel::kSummary;
  bool overwrite = false;
  bool resume = false;  ///< continue the partial file of an interrupted run
  Provenance provenance;
  EnsembleOptions ensemble;
};
/// Over MPI (comm.size > 1) every rank calls it: each computes its share of the work
/// items and rank 0 writes them all; the file is the same at any rank count.
void run_to_file(const RunPlan& plan, const RunRequest& request, const Comm& comm = {});

}  // namespace smesim
