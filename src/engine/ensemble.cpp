// Many replications of one scenario, in parallel with oneTBB, written to one result file.
#include "smesim/engine/ensemble.hpp"

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "smesim/core/error.hpp"
#include "smesim/engine/item_bytes.hpp"
#include "smesim/engine/journal.hpp"
#include "smesim/engine/progress.hpp"
#include "smesim/output/detail/hdf5_util.hpp"
#include "smesim/output/output_path.hpp"
#include "smesim/output/writer.hpp"

namespace smesim {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

std::size_t estimate_memory(const RunPlan& plan, int threads, OutputLevel level) {
  std::size_t worst = 0;
  for (const auto& point : plan.points) {
    const Scenario& sc = *point;
    const auto firms = static_cast<double>(sc.simulated_firms());
    const double cells = static_cast<double>(sc.sectors.size() * kSizeClasses);
    const double months = sc.simulation.months, cities = static_cast<double>(sc.cities.size());
    double bytes = firms * FirmTable::bytes_per_firm() * 1.5;  // entrants and dead firms before compaction
    bytes +=
        months * cities * (cells * sizeof(CellTotals) + 5 * sc.sectors.size() * sizeof(double) + sizeof(CityMonth));
    if (level >= OutputLevel::kFirms) {
      const double snapshots =
          sc.simulation.firm_snapshot_months.empty() ? 2.0 : sc.simulation.firm_snapshot_months.size();
      bytes += 2 * snapshots * firms * 1.3 * sizeof(FirmRecord);  // records, then their table
    }
    worst = std::max(worst, static_cast<std::size_t>(bytes));
  }
  const std::size_t items = plan.points.size() * static_cast<std::size_t>(plan.points.front()->simulation.replications);
  const std::size_t in_flight = std::min<std::size_t>(items, static_cast<std::size_t>(effective_concurrency(threads)));
  return in_flight * worst + (64u << 20);  // and the program, libraries and HDF5 caches
}

RunPlan single_run(std::shared_ptr<const Scenario> scenario) { return RunPlan{{std::move(scenario)}, {}}; }

void run_ensemble(const RunPlan& plan, const EnsembleOptions& options,
                  const std::function<void(const ReplicationResult&)>& sink) {
  const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  const std::size_t reps = static_cast<std::size_t>(plan.points.front()->simulation.replications);
  std::vector<std::size_t> todo;  // with next_item, the items come from it instead
  if (!options.next_item)
    for (std::size_t item = 0; item < plan.points.size() * reps; ++item)
      if (options.skip.empty() || !options.skip[item]) todo.push_back(item);
  Progress progress(static_cast<int>(todo.size()), options.progress && !options.next_item, options.progress_lines);
  std::mutex sink_mutex;
  int completed = 0;
  const auto run_item = [&](std::size_t item) {
    if (options.stop && options.stop->load()) return;
    const std::size_t point = item / reps;
    const auto t0 = std::chrono::steady_clock::now();
    Simulation sim(plan.points[point], static_cast<int>(item % reps), {options.snapshots, options.profile != nullptr});
    const double setup = seconds_since(t0);
    std::optional<ReplicationResult> result = sim.run(options.stop);
    if (!result) return;
    result->point = static_cast<int>(point);
    std::lock_guard<std::mutex> lock(sink_mutex);
    if (options.timings) options.timings->setup_seconds += setup;
    if (options.profile) *options.profile += sim.phase_seconds();
    sink(*result);
    progress.done(++completed);
  };
  tbb::task_arena arena(std::max(1, threads));
  arena.execute([&] {
    if (options.next_item) {  // one claimant per thread, each taking items until none is left
      tbb::parallel_for(
          tbb::blocked_range<int>(0, std::max(1, threads), 1),
          [&](const tbb::blocked_range<int>&) {
            // An item that throws cancels the loop: take no more (their nested loops would
            // not run), as the loop over a list of items starts none.
            while (!(options.stop && options.stop->load()) && !tbb::is_current_task_group_canceling())
              if (const std::optional<std::size_t> item = options.next_item())
                run_item(*item);
              else
                break;
          },
          tbb::simple_partitioner());
    } else {
      tbb::parallel_for(std::size_t{0}, todo.size(), std::size_t{1}, [&](std::size_t k) { run_item(todo[k]); });
    }
  });
  if (options.stop && options.stop->load())
    throw Interrupted("interrupted after " + std::to_string(completed) +
                      (options.next_item ? "" : " of " + std::to_string(todo.size())) + " work items");
}

namespace {

/// Writes one finished item into the partial file, marks it done and flushes.
void store_item(ResultWriter& writer, const ItemOutput& o) {
  detail::quiet_hdf5();  // this may be a worker thread, whose HDF5 error printing is still on
  for (const auto& [name, data] : o.slabs) writer.write_item(name, o.item, data);
  for (const Table& t : o.tables) writer.append_table(t);
  writer.write_item("replication_done", o.item, {1.0});
  writer.flush();
  writer.keep_partial();
}

/// The files a run writes (rank 0): the partial result file and its item journal.
struct OutputFiles {
  std::optional<ResultWriter> writer;
  std::optional<ItemJournal> journal;

  /// Journals one finished item (synced), then writes it: a run killed later keeps it.
  void write(const ItemOutput& o) {
    journal->append(o);
    store_item(*writer, o);
  }
};

/// Opens the partial file of an interrupted run and returns the items it has.
std::vector<bool> resume_state(ResultWriter& writer, const FileSchema& schema, const RunRequest& request) {
  for (const char* attr : {"smesim_version", "git_commit"}) {
    const auto it = std::find_if(schema.attributes.begin(), schema.attributes.end(),
                                 [&](const auto& a) { return a.first == attr; });
    const std::string theirs = writer.attribute(attr), ours = std::get<std::string>(it->second);
    if (theirs != ours && !request.overwrite)
      throw InputError(ResultWriter::partial_path(request.output).string() + ": cannot resume: it was written by " +
                       attr + " " + theirs + ", this is " + ours + "; add --force to --resume to continue it anyway");
  }
  for (const char* attr : {"scenario", "output_level"}) {
    const auto it = std::find_if(schema.attributes.begin(), schema.attributes.end(),
                                 [&](const auto& a) { return a.first == attr; });
    if (writer.attribute(attr) != std::get<std::string>(it->second))
      throw InputError(ResultWriter::partial_path(request.output).string() + ": cannot resume: it was written for a " +
                       "different " + (std::string(attr) == "scenario" ? "scenario" : "--output level"));
  }
  std::vector<bool> done;
  try {
    for (double d : writer.read("replication_done")) done.push_back(d == 1.0);
    writer.keep_table_rows(done);  // drop rows of an item cut short while being written
  } catch (const OutputError& e) {
    throw DamagedPartial(ResultWriter::partial_path(request.output).string() + ": the partial file is damaged (" +
                         e.what() + ")");
  }
  return done;
}

/// What identifies a run's items: its resolved scenario and output level.
std::string run_identity(const FileSchema& schema) {
  std::string id;
  for (const auto& [name, value] : schema.attributes)
    if (name == "scenario" || name == "output_level") id += name + "=" + std::get<std::string>(value) + "\n";
  return id;
}

/// Writes the slabs a fresh file starts with (the points' fixed inputs, the design).
void write_fixed(ResultWriter& writer, const RunPlan& plan) {
  std::map<std::string, std::vector<double>> fixed;
  for (const auto& point : plan.points)
    for (auto& [name, data] : fixed_slabs(*point)) fixed[name].insert(fixed[name].end(), data.begin(), data.end());
  for (const auto& [name, values] : plan.design) fixed["design_" + name] = values;
  for (const auto& [name, data] : fixed) writer.write(name, data);
}

/// Opens the result file and its journal (rank 0) and returns the items already done.
/// With --resume: those of the partial file plus any the journal holds beyond them; a
/// partial file torn by a kill mid-write (HDF5 cannot read it back) is set aside as
/// `<partial>.damaged` and rebuilt from the journal, so no finished item runs again.
std::vector<bool> open_result(OutputFiles& files, const RunPlan& plan, const FileSchema& schema,
                              const RunRequest& request, std::size_t items) {
  std::vector<bool> done(items, false);
  bool fresh = !request.resume;
  const std::filesystem::path partial = ResultWriter::partial_path(request.output);
  if (request.resume) {
    try {
      files.writer.emplace(request.output, schema, OpenMode::kResume);
      const std::vector<bool> had = resume_state(*files.writer, schema, request);
      for (std::size_t i = 0; i < had.size() && i < items; ++i) done[i] = had[i];
    } catch (const DamagedPartial& e) {
      // The partial's own checks cannot run: the journal must be this run's before it is set aside.
      files.journal.emplace(request.output, true, run_identity(schema));
      files.writer.reset();
      const std::filesystem::path aside(partial.string() + ".damaged");
      std::filesystem::rename(partial, aside);
      std::fprintf(stderr, "smesim: %s; kept as %s, rebuilding it from the item journal\n", e.what(), aside.c_str());
      fresh = true;
    }
  }
  if (fresh) {
    files.writer.emplace(request.output, schema, request.overwrite ? OpenMode::kOverwrite : OpenMode::kCreate);
    write_fixed(*files.writer, plan);
  }
  // After the checks above, so that no journal is left on a refusal.
  if (!files.journal) files.journal.emplace(request.output, request.resume, run_identity(schema));
  if (request.resume)
    files.journal->replay([&](const ItemOutput& o) {
      if (o.item < items && !done[o.item]) store_item(*files.writer, o), done[o.item] = true;
    });
  return done;
}

/// Runs the items of this rank: writes them (one process), sends them to rank 0, or
/// (rank 0) writes its own and everyone else's.
void run_items(const RunPlan& plan, const EnsembleOptions& options, const RunRequest& request, const Comm& comm,
               OutputFiles& files);
}  // namespace

void run_to_file(const RunPlan& plan, const RunRequest& request, const Comm& comm) {
  const Scenario& first = *plan.points.front();
  FileSchema schema = result_schema(first, request.level, request.provenance);
  if (plan.sweep()) add_sweep_dimension(schema, plan.points.size(), plan.design);
  EnsembleOptions options = request.ensemble;
  options.snapshots = request.level >= OutputLevel::kFirms;
  const std::size_t items = plan.points.size() * static_cast<std::size_t>(first.simulation.replications);

  // Rank 0 owns the file; every rank learns which items are already done.
  const auto t_open = std::chrono::steady_clock::now();
  std::optional<OutputLock> lock;  // rank 0 alone writes, so it alone locks
  OutputFiles files;
  std::vector<char> done(items, 0);
  if (comm.rank == 0) {
    check_output_path(request.output);
    lock.emplace(request.output);
    const std::vector<bool> had = open_result(files, plan, schema, request, items);
    for (std::size_t i = 0; i < items; ++i) done[i] = had[i];
  }
  if (request.ensemble.timings) request.ensemble.timings->output_seconds += seconds_since(t_open);
  if (comm.size > 1) mpi::broadcast(done);
  options.skip.assign(done.begin(), done.end());

  try {
    run_items(plan, options, request, comm, files);
  } catch (const Interrupted&) {
    if (files.writer) files.writer->keep_partial();  // resumable, even if nothing finished yet
    throw;
  }
  const auto t_commit = std::chrono::steady_clock::now();
  if (files.writer) files.writer->commit(), files.journal->remove();
  if (request.ensemble.timings) request.ensemble.timings->output_seconds += seconds_since(t_commit);
}

namespace {

using OutputOf = std::function<ItemOutput(const ReplicationResult&)>;

/// A rank other than 0: items asked of rank 0, each asked for as the one before starts
/// (rank 0 hands one out ahead only while every rank can still get one), so that the
/// answer is there when it is needed; each result sent to rank 0; always says when this
/// rank is done, even when stopped, after taking the last answer. One MPI call at a time
/// (MPI_THREAD_SERIALIZED).
void run_remote_items(const RunPlan& plan, const EnsembleOptions& options, const OutputOf& output_of) {
  std::mutex calls;
  bool asked = false;  // an answer is on its way
  EnsembleOptions mine = options;
  mine.progress = false;  // rank 0 reports the run's progress
  mine.next_item = [&]() -> std::optional<std::size_t> {
    std::lock_guard<std::mutex> lock(calls);
    if (!asked) mpi::ask_item(mpi::kRequestTag);
    mpi::ItemAnswer answer = mpi::answered_item();
    if (answer.later) {  // not ahead: ask again, now that it is needed
      mpi::ask_item(mpi::kRequestTag);
      answer = mpi::answered_item();
    }
    asked = answer.item.has_value();
    if (asked) mpi::ask_item(mpi::kAheadTag);
    return answer.item;
  };
  const auto send = [&](const ReplicationResult& r) {
    const std::vector<char> bytes = pack(output_of(r));
    std::lock_guard<std::mutex> lock(calls);
    mpi::send_to_root(bytes, mpi::kResultTag);
  };
  const auto end = [&] {
    if (asked) mpi::answered_item();  // an item handed out ahead and not run: rank 0 counts it missing
    mpi::send_to_root({}, mpi::kEndTag);
  };
  try {
    run_ensemble(plan, mine, send);
  } catch (...) {
    end();
    throw;
  }
  end();
}

/// Rank 0 of several: hands out the items not done, in order, to its own worker thread
/// and to the other ranks as they ask (so that all finish together), runs its own on
/// that thread, and receives and writes everyone's results on this one. The file is
/// complete only if every item was written.
void run_root_items(const RunPlan& plan, const EnsembleOptions& options, const Comm& comm, OutputFiles& files,
                    const OutputOf& output_of) {
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < options.skip.size(); ++i)
    if (!options.skip[i]) todo.push_back(i);
  std::atomic<std::size_t> handed{0};
  const auto next = [&]() -> std::optional<std::size_t> {
    if (options.stop && options.stop->load()) return std::nullopt;
    const std::size_t k = handed.fetch_add(1);
    return k < todo.size() ? std::optional<std::size_t>(todo[k]) : std::nullopt;
  };
  Progress progress(static_cast<int>(todo.size()), options.progress, options.progress_lines);
  std::mutex writing;
  int written = 0;
  const auto write = [&](const ItemOutput& o) {
    std::lock_guard<std::mutex> lock(writing);
    files.write(o);
    progress.done(++written);
  };
  EnsembleOptions mine = options;
  mine.progress = false;
  mine.next_item = next;
  std::exception_ptr local_error;
  std::thread local([&] {
    try {
      run_ensemble(plan, mine, [&](const ReplicationResult& r) { write(output_of(r)); });
    } catch (const Interrupted&) {  // counted below, over every rank's items
    } catch (...) {
      local_error = std::current_exception();
    }
  });
  std::vector<char> bytes;
  for (int ended = 0; ended < comm.size - 1;) {
    int source = 0;
    const int tag = mpi::receive(bytes, source);
    if (tag == mpi::kEndTag) {
      ++ended;
    } else if (tag == mpi::kRequestTag) {
      mpi::send_item(source, next());
    } else if (tag == mpi::kAheadTag) {  // ahead only while every rank can still get one
      if (handed.load() + static_cast<std::size_t>(comm.size) <= todo.size())
        mpi::send_item(source, next());
      else
        mpi::send_later(source);
    } else {
      write(unpack(bytes));
    }
  }
  local.join();
  if (local_error) std::rethrow_exception(local_error);
  if (static_cast<std::size_t>(written) < todo.size())
    throw Interrupted("interrupted after " + std::to_string(written) + " of " + std::to_string(todo.size()) +
                      " work items; finished work items are kept");
}

void run_items(const RunPlan& plan, const EnsembleOptions& options, const RunRequest& request, const Comm& comm,
               OutputFiles& files) {
  const OutputOf output_of = [&](const ReplicationResult& r) {
    return item_output(*plan.points[static_cast<std::size_t>(r.point)], request.level, r);
  };
  if (comm.size > 1) {
    if (comm.rank == 0)
      run_root_items(plan, options, comm, files, output_of);
    else
      run_remote_items(plan, options, output_of);
    return;
  }
  run_ensemble(plan, options, [&](const ReplicationResult& r) {
    const auto t0 = std::chrono::steady_clock::now();
    files.write(output_of(r));
    if (!request.ensemble.timings) return;
    request.ensemble.timings->output_seconds += seconds_since(t0);
    for (const auto& month : r.months)
      for (const CityMonth& city : month)
        for (const CellTotals& cell : city.cells) request.ensemble.timings->firm_months += cell.active;
  });
}

}  // namespace

}  // namespace smesim
