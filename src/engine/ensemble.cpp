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
#include <map>
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

RunPlan single_run(std::shared_ptr<const Scenario> scenario) { return RunPlan{{std::move(scenario)}, {}}; }

void run_ensemble(const RunPlan& plan, const EnsembleOptions& options,
                  const std::function<void(const ReplicationResult&)>& sink) {
  const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  const std::size_t reps = static_cast<std::size_t>(plan.points.front()->simulation.replications);
  std::vector<std::size_t> todo;
  for (std::size_t item = 0; item < plan.points.size() * reps; ++item)
    if (options.skip.empty() || !options.skip[item]) todo.push_back(item);
  Progress progress(static_cast<int>(todo.size()), options.progress);
  std::mutex sink_mutex;
  int completed = 0;
  tbb::task_arena arena(std::max(1, threads));
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, todo.size(), std::size_t{1}, [&](std::size_t k) {
      if (options.stop && options.stop->load()) return;
      const std::size_t point = todo[k] / reps;
      Simulation sim(plan.points[point], static_cast<int>(todo[k] % reps), options.snapshots);
      std::optional<ReplicationResult> result = sim.run(options.stop);
      if (!result) return;
      result->point = static_cast<int>(point);
      std::lock_guard<std::mutex> lock(sink_mutex);
      sink(*result);
      progress.done(++completed);
    });
  });
  if (options.stop && options.stop->load())
    throw Interrupted("interrupted after " + std::to_string(completed) + " of " + std::to_string(todo.size()) +
                      " work items");
}

void run_to_file(const RunPlan& plan, const RunRequest& request) {
  const Scenario& first = *plan.points.front();
  FileSchema schema = result_schema(first, request.level, request.provenance);
  if (plan.sweep()) add_sweep_dimension(schema, plan.points.size(), plan.design);
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
    try {
      for (double d : writer.read("replication_done")) options.skip.push_back(d == 1.0);
      writer.keep_table_rows(options.skip);  // drop rows of an item cut short while being written
    } catch (const OutputError& e) {
      throw InputError(ResultWriter::partial_path(request.output).string() +
                       ": cannot resume: the partial file is damaged (" + e.what() + "); remove it and run again");
    }
  } else {
    std::map<std::string, std::vector<double>> fixed;
    for (const auto& point : plan.points)
      for (auto& [name, data] : fixed_slabs(*point)) fixed[name].insert(fixed[name].end(), data.begin(), data.end());
    for (const auto& [name, values] : plan.design) fixed["design_" + name] = values;
    for (const auto& [name, data] : fixed) writer.write(name, data);
  }
  // Each finished item is written whole, marked done and flushed: a run killed later
  // keeps it. Records are appended and put in item order at commit.
  run_ensemble(plan, options, [&](const ReplicationResult& r) {
    const Scenario& sc = *plan.points[static_cast<std::size_t>(r.point)];
    const std::size_t item = item_of(sc, r);
    for (const auto& [name, data] : replication_slabs(sc, request.level, r)) writer.write_item(name, item, data);
    for (const Table& t : record_tables(sc, request.level, r)) writer.append_table(t);
    writer.write_item("replication_done", item, {1.0});
    writer.flush();
    writer.keep_partial();
  });
  writer.commit();
}

}  // namespace smesim
