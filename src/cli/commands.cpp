// The subcommands of the smesim command line.
#include "smesim/cli/commands.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "smesim/cli/detail/options.hpp"
#include "smesim/core/error.hpp"
#include "smesim/engine/ensemble.hpp"
#include "smesim/scenario/loader.hpp"
#include "smesim/scenario/sweep.hpp"

namespace smesim::cli {
namespace po = boost::program_options;

namespace {

/// Set by SIGINT or SIGTERM: the run stops starting replications, drops the ones in
/// flight, keeps the finished ones in the partial file and exits non-zero.
std::atomic<bool> g_stop{false};

extern "C" void request_stop(int) { g_stop.store(true); }

void stop_on_signals() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

std::vector<std::string> overrides(const po::variables_map& vm) {
  std::vector<std::string> out;
  if (vm.count("set")) out = vm["set"].as<std::vector<std::string>>();
  return out;
}

/// The scenario the options name: the file with --set applied, then -r and --seed
/// (which win over --set), each checked as its scenario key.
Scenario load_with_options(const po::variables_map& vm) {
  Scenario sc = load_scenario(vm["scenario"].as<std::string>(), overrides(vm));
  const std::pair<const char*, const char*> options[] = {{"replications", "simulation.replications"},
                                                         {"seed", "simulation.seed"}};
  for (const auto& [option, key] : options) {
    if (!vm.count(option)) continue;
    const long long value = vm[option].as<long long>();
    try {
      set_key(sc, key, value);
    } catch (const ScenarioError& e) {
      throw ScenarioError("--" + std::string(option) + " " + std::to_string(value) + ": " + e.what());
    }
  }
  return sc;
}

void add_scenario_options(po::options_description& o) {
  o.add_options()("scenario", po::value<std::string>()->required(), "scenario file (TOML)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a scenario key: path.to.key=value (repeatable)")(
      "replications,r", po::value<long long>(), "replications (simulation.replications; wins over --set)")(
      "seed", po::value<long long>(), "seed (simulation.seed; wins over --set)");
}

void add_output_options(po::options_description& o) {
  o.add_options()("output-file,o", po::value<std::string>(), "result file (default: NAME.h5 here)")(
      "threads", po::value<int>()->default_value(0), "worker threads (0 = all cores)")(
      "output", po::value<std::string>()->default_value("summary"), "summary | sectors | firms")(
      "force", "overwrite an existing result file, and run even if the memory estimate exceeds what is available")(
      "resume",
      "continue the partial file (FILE.partial) an interrupted run left (with --force: even one written by another "
      "smesim version or commit)")("quiet,q", "no progress or summary on stderr")(
      "profile", "time every model phase; print the seconds per phase on stderr at the end");
}

/// Runs `plan` into the file the options name; the shared part of run and sweep.
int run_plan(const RunPlan& plan, const po::variables_map& vm, const std::filesystem::path& input,
             const Invocation& inv, Provenance provenance) {
  if (vm["threads"].as<int>() < 0) throw InputError("--threads: expected 0 or more");
  RunRequest req;
  req.output = vm.count("output-file") ? std::filesystem::path(vm["output-file"].as<std::string>())
                                       : std::filesystem::path(input.stem().string() + ".h5");
  req.level = parse_output_level(vm["output"].as<std::string>());
  req.overwrite = vm.count("force") > 0;
  req.resume = vm.count("resume") > 0;
  // --resume --force: continue a partial even if another smesim version or commit wrote it.
  provenance.command_line = inv.command_line;
  req.provenance = std::move(provenance);
  req.ensemble.threads = vm["threads"].as<int>();
  req.ensemble.stop = &g_stop;
  stop_on_signals();
  const bool quiet = vm.count("quiet") > 0 || inv.comm.rank != 0;
  req.ensemble.progress = !quiet;
  req.ensemble.progress_lines = !isatty(STDERR_FILENO);  // a batch log: plain lines, not one rewritten in place
  const Scenario& sc = *plan.points.front();
  // Refuse before allocating anything when the run cannot fit.
  const int threads = effective_concurrency(
      req.ensemble.threads > 0 ? req.ensemble.threads : static_cast<int>(std::thread::hardware_concurrency()));
  const std::size_t need = estimate_memory(plan, threads, req.level);
  const MemoryLimit have = available_memory();
  if (have.bytes > 0 && need > have.bytes && !req.overwrite)
    throw InputError(input.string() + ": the run needs about " + std::to_string(need >> 20) + " MiB with " +
                     std::to_string(threads) + " replication(s) in flight, but " + std::to_string(have.bytes >> 20) +
                     " MiB are available (" + have.source +
                     "); lower simulation.population_scale or --threads, or use --force to try anyway");
  if (!quiet)
    std::fprintf(
        stderr,
        "smesim: %s: %zu point(s) x %d replications, %zu cities, %lld firms simulated, %d months (+%d burn-in)%s\n",
        input.string().c_str(), plan.points.size(), sc.simulation.replications, sc.cities.size(),
        static_cast<long long>(sc.simulated_firms()), sc.simulation.months, sc.simulation.burn_in_months,
        inv.comm.size > 1 ? (", " + std::to_string(inv.comm.size) + " MPI ranks").c_str() : "");
  PhaseSeconds profile;
  if (vm.count("profile")) req.ensemble.profile = &profile;
  const auto t0 = std::chrono::steady_clock::now();
  run_to_file(plan, req, inv.comm);
  if (req.ensemble.profile) std::fprintf(stderr, "smesim: %s", format_phase_seconds(profile).c_str());
  if (!quiet)
    std::fprintf(stderr, "smesim: wrote %s in %.1f s\n", req.output.string().c_str(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}

}  // namespace

int run(const Invocation& inv) {
  po::options_description o("smesim run options");
  add_scenario_options(o);
  add_output_options(o);
  po::variables_map vm;
  if (!parse(inv, o, vm, {"scenario"}, "usage: smesim run SCENARIO.toml [options]")) return 0;
  const std::filesystem::path path = vm["scenario"].as<std::string>();
  auto scenario = std::make_shared<const Scenario>(load_with_options(vm));
  return run_plan(single_run(scenario), vm, path, inv, {"", to_toml(*scenario), {}});
}

int sweep(const Invocation& inv) {
  po::options_description o("smesim sweep options");
  o.add_options()("sweep", po::value<std::string>()->required(), "sweep file (TOML)")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a key of the base scenario at every point");
  add_output_options(o);
  po::variables_map vm;
  if (!parse(inv, o, vm, {"sweep"}, "usage: smesim sweep SWEEP.toml [options]")) return 0;
  const std::filesystem::path path = vm["sweep"].as<std::string>();
  Sweep sweep = load_sweep(path, overrides(vm));  // every point built and checked against the plan
  RunPlan plan;
  for (Scenario& point : sweep.scenarios) {
    if (!sweep.title.empty()) point.title = sweep.title;  // the file's title is the sweep's
    plan.points.push_back(std::make_shared<const Scenario>(std::move(point)));
  }
  for (std::size_t k = 0; k < sweep.parameters.size(); ++k) {
    std::vector<double> column, unit;
    for (std::size_t p = 0; p < sweep.values.size(); ++p)
      column.push_back(sweep.values[p][k]), unit.push_back(sweep.unit_points[p][k]);
    plan.design.emplace_back(sweep.parameters[k].name, column);
    plan.design.emplace_back("unit_" + sweep.parameters[k].name, unit);
  }
  const std::string text = "# sweep file " + path.string() + "\n" + read_file(path) +
                           "\n# base scenario at point 0, resolved:\n" + to_toml(*plan.points.front());
  Provenance provenance{
      "", text, {{"sweep_design", std::string(design_name(sweep.design))}, {"sweep_file", path.string()}}};
  if (sweep.design == Design::kMorris) {
    provenance.extra.emplace_back("morris_delta", sweep.morris_delta());
    provenance.extra.emplace_back("morris_trajectories", static_cast<long long>(sweep.trajectories));
  }
  return run_plan(plan, vm, path, inv, provenance);
}

int validate(const Invocation& inv) {
  po::options_description o("smesim validate options");
  add_scenario_options(o);
  po::variables_map vm;
  if (!parse(inv, o, vm, {"scenario"}, "usage: smesim validate SCENARIO.toml [--set key=value ...]")) return 0;
  const Scenario sc = load_with_options(vm);
  std::cout << to_toml(sc);
  std::fprintf(stderr, "smesim validate: %s is valid: %zu cities, %zu sectors, %lld firms simulated per replication\n",
               vm["scenario"].as<std::string>().c_str(), sc.cities.size(), sc.sectors.size(),
               static_cast<long long>(sc.simulated_firms()));
  return 0;
}

}  // namespace smesim::cli
