// Many replications of one scenario, in parallel with oneTBB, written to one result file.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "smesim/engine/results.hpp"
#include "smesim/engine/simulation.hpp"

namespace smesim {

/// How to run an ensemble.
struct EnsembleOptions {
  int threads = 0;            ///< worker threads; 0 = all cores
  bool progress = false;      ///< report replications done and ETA on stderr
  bool snapshots = false;     ///< record firm snapshots (--output firms)
};

/// Runs every replication of `scenario`; `sink` receives each result as it completes,
/// one call at a time (in completion order, which varies: results carry their index).
void run_ensemble(std::shared_ptr<const Scenario> scenario, const EnsembleOptions& options,
                  const std::function<void(const ReplicationResult&)>& sink);

/// What `smesim run` does: runs the ensemble and writes the result file atomically.
struct RunRequest {
  std::filesystem::path output;
  OutputLevel level = OutputLevel::kSummary;
  bool overwrite = false;
  Provenance provenance;
  EnsembleOptions ensemble;
};
void run_to_file(std::shared_ptr<const Scenario> scenario, const RunRequest& request);

}  // namespace smesim
