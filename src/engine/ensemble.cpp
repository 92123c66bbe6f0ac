// Many replications of one scenario, in parallel with oneTBB, written to one result file.
#include "smesim/engine/ensemble.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "smesim/core/error.hpp"
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
  std::vector<int> todo;
  for (int r = 0; r < scenario->simulation.replications; ++r)
    if (options.skip.empty() || !options.skip[static_cast<std::size_t>(r)]) todo.push_back(r);
  Progress progress(static_cast<int>(todo.size()), options.progress);
  std::mutex sink_mutex;
  int completed = 0;
  tbb::task_arena arena(std::max(1, threads));
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, todo.size(), std::size_t{1}, [&](std::size_t k) {
      if (options.stop && options.stop->load()) return;
      Simulation sim(scenario, todo[k], options.snapshots);
      const std::optional<ReplicationResult> result = sim.run(options.stop);
      if (!result) return;
      std::lock_guard<std::mutex> lock(sink_mutex);
      sink(*result);
      progress.done(++completed);
    });
  });
  if (options.stop && options.stop->load())
    throw Interrupted("interrupted after " + std::to_string(completed) + " of " + std::to_string(todo.size()) +
                      " replications");
}

void run_to_file(std::shared_ptr<const Scenario> scenario, const RunRequest& request) {
  const Scenario& sc = *scenario;
  const FileSchema schema = result_schema(sc, request.level, request.provenance);
  const OpenMode mode = request.resume ? OpenMode::kResume : request.overwrite ? OpenMode::kOverwrite : OpenMode::kCreate;
  ResultWriter writer(request.output, schema, mode);
  EnsembleOptions options = request.ensemble;
  options.snapshots = request.level >= OutputLevel::kFirms;
  if (request.resume) {
    // The partial file must come from the same resolved scenario and output level.
    for (const char* attr : {"scenario", "output_level"})
      if (writer.attribute(attr) != std::get<std::string>(std::find_if(schema.attributes.begin(), schema.attributes.end(),
                                                                          [&](const auto& a) { return a.first == attr; })->second))
        throw InputError(ResultWriter::partial_path(request.output).string() + ": cannot resume: it was written for a " +
                         "different " + (std::string(attr) == "scenario" ? "scenario" : "--output level"));
    for (double d : writer.read("replication_done")) options.skip.push_back(d == 1.0);
    writer.keep_table_rows(options.skip);  // drop rows of a replication cut short while being written
  } else {
    for (const auto& [name, data] : fixed_slabs(sc)) writer.write(name, data);
  }
  // Each finished replication is written whole, marked done and flushed: a run killed
  // later keeps it. Records are appended and put in replication order at commit.
  run_ensemble(scenario, options, [&](const ReplicationResult& r) {
    for (const auto& [name, data] : replication_slabs(sc, request.level, r)) writer.write_replication(name, r.replication, data);
    for (const Table& t : record_tables(sc, request.level, r)) writer.append_table(t);
    writer.write_replication("replication_done", r.replication, {1.0});
    writer.flush();
    writer.keep_partial();
  });
  writer.commit();
}

}  // namespace smesim
