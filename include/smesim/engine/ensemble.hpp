// Many replications of one scenario, in parallel with oneTBB, written to one result file.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "smesim/engine/results.hpp"
#include "smesim/engine/simulation.hpp"

namespace smesim {

/// How to run an ensemble.
struct EnsembleOptions {
  int threads = 0;            ///< worker threads; 0 = all cores
  bool progress = false;      ///< report replications done and ETA on stderr
  bool snapshots = false;     ///< record firm snapshots (--output firms)
  std::vector<bool> skip;     ///< replications already done (resume); empty: none
  const std::atomic<bool>* stop = nullptr;  ///< set (e.g. by a signal) to stop early
};

/// Runs every replication of `scenario` not in `options.skip`; `sink` receives each
/// result as it completes, one call at a time (in completion order, which varies:
/// results carry their index). When `options.stop` is set, replications in flight are
/// dropped, none is started, and Interrupted is thrown after the sink calls finish.
void run_ensemble(std::shared_ptr<const Scenario> scenario, const EnsembleOptions& options,
                  const std::function<void(const ReplicationResult&)>& sink);

/// What `smesim run` does: runs the ensemble and writes the result file atomically.
struct RunRequest {
  std::filesystem::path output;
  OutputLevel level = OutputLevel::kSummary;
  bool overwrite = false;
  bool resume = false;        ///< continue the partial file of an interrupted run
  Provenance provenance;
  EnsembleOptions ensemble;
};
void run_to_file(std::shared_ptr<const Scenario> scenario, const RunRequest& request);

}  // namespace smesim
