// Many replications of one scenario, in parallel with oneTBB, written to one result file.
#include "smesim/engine/ensemble.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "smesim/output/writer.hpp"

namespace smesim {
namespace {

/// One line on stderr, rewritten in place: replications done and the time left.
class Progress {
 public:
  Progress(int total, bool enabled) : total_(total), enabled_(enabled), start_(Clock::now()) {}
  void done(int count) {
    if (!enabled_) return;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const double eta = count > 0 ? elapsed * (total_ - count) / count : 0.0;
    std::fprintf(stderr, "\rreplications %d/%d, %.0f s elapsed, ETA %.0f s   ", count, total_, elapsed, eta);
    if (count == total_) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;
  int total_;
  bool enabled_;
  Clock::time_point start_;
};

}  // namespace

void run_ensemble(std::shared_ptr<const Scenario> scenario, const EnsembleOptions& options,
                  const std::function<void(const ReplicationResult&)>& sink) {
  const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  const int reps = scenario->simulation.replications;
  Progress progress(reps, options.progress);
  std::mutex sink_mutex;
  int completed = 0;
  tbb::task_arena arena(std::max(1, threads));
  arena.execute([&] {
    tbb::parallel_for(0, reps, 1, [&](int r) {
      Simulation sim(scenario, r, options.snapshots);
      const ReplicationResult result = sim.run();
      std::lock_guard<std::mutex> lock(sink_mutex);
      sink(result);
      progress.done(++completed);
    });
  });
}

void run_to_file(std::shared_ptr<const Scenario> scenario, const RunRequest& request) {
  const Scenario& sc = *scenario;
  ResultWriter writer(request.output, result_schema(sc, request.level, request.provenance), request.overwrite);
  for (const auto& [name, data] : fixed_slabs(sc)) writer.write(name, data);
  // Records (contracts, firm snapshots) are kept until the end and written in
  // replication order, so the file does not depend on the order replications finish.
  std::vector<ReplicationResult> records(static_cast<std::size_t>(sc.simulation.replications));
  EnsembleOptions options = request.ensemble;
  options.snapshots = request.level >= OutputLevel::kFirms;
  run_ensemble(scenario, options, [&](const ReplicationResult& r) {
    for (const auto& [name, data] : replication_slabs(sc, request.level, r))
      writer.write_replication(name, r.replication, data);
    ReplicationResult& kept = records[static_cast<std::size_t>(r.replication)];
    kept.replication = r.replication;
    kept.contracts = r.contracts;
    kept.firms = r.firms;
  });
  writer.write_table(contracts_table(sc, records));
  if (options.snapshots) writer.write_table(firms_table(sc, records));
  writer.commit();
}

}  // namespace smesim
