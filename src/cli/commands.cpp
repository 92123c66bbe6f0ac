// The subcommands of the smesim command line.
#include "smesim/cli/commands.hpp"

#include <sys/resource.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "smesim/core/error.hpp"
#include "smesim/engine/bandwidth.hpp"
#include "smesim/engine/compare.hpp"
#include "smesim/engine/ensemble.hpp"
#include "smesim/engine/headline.hpp"
#include "smesim/model/firm_kernel.hpp"
#include "smesim/model/population.hpp"
#include "smesim/output/reader.hpp"
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

/// Parses `inv.args` against `options` with one positional argument `positional` (if
/// not empty). Returns false when --help was asked for (and printed).
bool parse(const Invocation& inv, po::options_description& options, po::variables_map& vm,
           const char* positional, const char* usage) {
  options.add_options()("help,h", "show this help");
  po::positional_options_description pos;
  if (positional) pos.add(positional, 1);
  po::store(po::command_line_parser(inv.args).options(options).positional(pos).run(), vm);
  if (vm.count("help")) {
    std::cout << usage << "\n" << options << "\n";
    return false;
  }
  po::notify(vm);
  return true;
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
      "set", po::value<std::vector<std::string>>()->composing(), "override a scenario key: path.to.key=value (repeatable)")(
      "replications,r", po::value<long long>(), "replications (simulation.replications; wins over --set)")(
      "seed", po::value<long long>(), "seed (simulation.seed; wins over --set)");
}

std::size_t simulated_firms(const Scenario& sc) {
  std::size_t n = 0;
  for (const auto& c : sc.cities) n += static_cast<std::size_t>(std::llround(c.smes * sc.simulation.population_scale));
  return n;
}

}  // namespace

namespace {

void add_output_options(po::options_description& o) {
  o.add_options()("output-file,o", po::value<std::string>(), "result file (default: NAME.h5 here)")(
      "threads", po::value<int>()->default_value(0), "worker threads (0 = all cores)")(
      "output", po::value<std::string>()->default_value("summary"), "summary | sectors | firms")(
      "force", "overwrite an existing result file, and run even if the memory estimate exceeds what is available")(
      "resume", "continue the partial file (FILE.partial) an interrupted run left")(
      "quiet,q", "no progress or summary on stderr");
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
  if (req.resume && req.overwrite) throw InputError("--resume and --force do not go together");
  provenance.command_line = inv.command_line;
  req.provenance = std::move(provenance);
  req.ensemble.threads = vm["threads"].as<int>();
  req.ensemble.stop = &g_stop;
  stop_on_signals();
  const bool quiet = vm.count("quiet") > 0 || inv.comm.rank != 0;
  req.ensemble.progress = !quiet && isatty(STDERR_FILENO);
  const Scenario& sc = *plan.points.front();
  // Refuse before allocating anything when the run cannot fit.
  const int threads = req.ensemble.threads > 0 ? req.ensemble.threads : static_cast<int>(std::thread::hardware_concurrency());
  const std::size_t need = estimate_memory(plan, threads, req.level), have = available_memory();
  if (have > 0 && need > have && !req.overwrite)
    throw InputError(input.string() + ": the run needs about " + std::to_string(need >> 20) + " MiB with " +
                     std::to_string(threads) + " replication(s) in flight, but " + std::to_string(have >> 20) +
                     " MiB are available; lower simulation.population_scale or --threads, or use --force to try anyway");
  if (!quiet)
    std::fprintf(stderr, "smesim: %s: %zu point(s) x %d replications, %zu cities, %zu firms simulated, %d months (+%d burn-in)%s\n",
                 input.string().c_str(), plan.points.size(), sc.simulation.replications, sc.cities.size(),
                 simulated_firms(sc), sc.simulation.months, sc.simulation.burn_in_months,
                 inv.comm.size > 1 ? (", " + std::to_string(inv.comm.size) + " MPI ranks").c_str() : "");
  const auto t0 = std::chrono::steady_clock::now();
  run_to_file(plan, req, inv.comm);
  if (!quiet)
    std::fprintf(stderr, "smesim: wrote %s in %.1f s\n", req.output.string().c_str(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int run(const Invocation& inv) {
  po::options_description o("smesim run options");
  add_scenario_options(o);
  add_output_options(o);
  po::variables_map vm;
  if (!parse(inv, o, vm, "scenario", "usage: smesim run SCENARIO.toml [options]")) return 0;
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
  if (!parse(inv, o, vm, "sweep", "usage: smesim sweep SWEEP.toml [options]")) return 0;
  const std::filesystem::path path = vm["sweep"].as<std::string>();
  const Sweep sweep = load_sweep(path, overrides(vm));
  RunPlan plan;
  for (std::size_t p = 0; p < sweep.values.size(); ++p) {
    Scenario point = sweep_point(sweep, p);
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
  const std::string text = "# sweep file " + path.string() + "\n" + read_text(path) +
                           "\n# base scenario at point 0, resolved:\n" + to_toml(*plan.points.front());
  Provenance provenance{"", text, {{"sweep_design", std::string(design_name(sweep.design))},
                                   {"sweep_file", path.string()}}};
  if (sweep.design == Design::kMorris) {
    provenance.extra.push_back({"morris_delta", sweep.morris_delta()});
    provenance.extra.push_back({"morris_trajectories", static_cast<long long>(sweep.trajectories)});
  }
  return run_plan(plan, vm, path, inv, provenance);
}

int validate(const Invocation& inv) {
  po::options_description o("smesim validate options");
  add_scenario_options(o);
  po::variables_map vm;
  if (!parse(inv, o, vm, "scenario", "usage: smesim validate SCENARIO.toml [--set key=value ...]")) return 0;
  const Scenario sc = load_with_options(vm);
  std::cout << to_toml(sc);
  std::fprintf(stderr, "smesim validate: %s is valid: %zu cities, %zu sectors, %zu firms simulated per replication\n",
               vm["scenario"].as<std::string>().c_str(), sc.cities.size(), sc.sectors.size(), simulated_firms(sc));
  return 0;
}

int inspect(const Invocation& inv) {
  po::options_description o("smesim inspect options");
  o.add_options()("file", po::value<std::string>()->required(), "result file (HDF5)")(
      "partial", "summarise the finished replications of an incomplete file (FILE.partial)");
  po::variables_map vm;
  if (!parse(inv, o, vm, "file", "usage: smesim inspect FILE.h5 [--partial]")) return 0;
  const ResultReader file(vm["file"].as<std::string>(), vm.count("partial") > 0);
  const auto rows = headline(file);
  const int reps = static_cast<int>(file.finished_replications().size());
  const auto time = file.shape("time").at(0);
  std::printf("%s\n%s: seed %s, %d replications, %zu months from %s, population scale %s\n\n",
              file.attribute("title").c_str(), file.path().string().c_str(), file.attribute("seed").c_str(), reps,
              static_cast<std::size_t>(time), file.attribute("start").c_str(),
              file.attribute("population_scale").c_str());
  std::fputs(format_headline(rows, reps).c_str(), stdout);
  const std::string spending = format_spending(file);
  if (!spending.empty()) std::printf("\n%s", spending.c_str());
  return 0;
}

int compare(const Invocation& inv) {
  po::options_description o("smesim compare options");
  o.add_options()("a", po::value<std::string>()->required(), "baseline result file (A)")(
      "b", po::value<std::string>()->required(), "variant result file (B)")(
      "metric", po::value<std::vector<std::string>>()->composing(),
      "measure to report (repeatable): failures, firms_active, survival, employment, job_years, spending, "
      "jobs_per_usd_million, cost_per_job_year; default all")(
      "over", po::value<std::string>()->default_value(""), "window YYYY-MM:YYYY-MM for flows; stocks at its end")(
      "at", po::value<std::string>()->default_value(""), "month YYYY-MM for stocks (flows from the first month)")(
      "json", "print JSON instead of a table");
  po::options_description all = o;
  po::positional_options_description pos;
  pos.add("a", 1).add("b", 1);
  o.add_options()("help,h", "show this help");
  po::variables_map vm;
  po::store(po::command_line_parser(inv.args).options(o).positional(pos).run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: smesim compare A.h5 B.h5 [--metric M ...] [--over YYYY-MM:YYYY-MM | --at YYYY-MM] [--json]\n\n"
              << o << "\n";
    return 0;
  }
  po::notify(vm);
  const ResultReader a(vm["a"].as<std::string>()), b(vm["b"].as<std::string>());
  std::vector<std::string> metrics;
  if (vm.count("metric")) metrics = vm["metric"].as<std::vector<std::string>>();
  const Comparison c = smesim::compare(a, b, parse_window(vm["over"].as<std::string>(), vm["at"].as<std::string>()), metrics);
  std::fputs((vm.count("json") ? comparison_json(c) : format_comparison(c)).c_str(), stdout);
  return 0;
}

namespace {

/// The largest resident set this process has had so far, MiB.
long peak_resident_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;  // KiB on Linux
}

/// Processor time of this process so far (user + system, all threads), seconds. Against
/// wall time it shows how many cores a run really had on a shared machine.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

/// The kernel alone on one synthetic city: the `--firms` mode of `smesim bench`.
/// Returns the firm-months per second at each thread count.
std::vector<double> bench_kernel(long long firms, int months, long long seed, const std::vector<int>& thread_counts) {
  // A synthetic city with the calibration sectors and an even sector mix.
  std::string text = "[simulation]\ncities = [\"bench\"]\nburn_in_months = 0\nmonths = " + std::to_string(months) +
                     "\nseed = " + std::to_string(seed) + "\n[cities.bench]\nsmes = " + std::to_string(firms) +
                     "\nwage_usd = 300\nsize_shares = {micro = 0.9, small = 0.09, medium = 0.01}\nsector_shares = {";
  const auto& names = default_sector_names();
  for (std::size_t s = 0; s < names.size(); ++s) text += (s ? ", " : "") + names[s] + " = 0.125";
  text += "}\n";
  const Scenario sc = parse_scenario(text, "<bench>");
  const CityEconomy city(sc, 0);
  const RandomKey key(static_cast<std::uint32_t>(sc.simulation.seed), 0);
  const SectorConditions conditions = sector_conditions(sc, 0.0);
  const PolicyMonth no_policy;
  const std::vector<ContractMonth> no_contracts;

  std::printf("smesim bench: firm kernel, %lld firms, %d months, %zu bytes of state per firm\n", firms, months,
              FirmTable::bytes_per_firm());
  std::printf("%8s  %10s  %22s  %10s\n", "threads", "seconds", "firm-months per second", "cpu s");
  std::vector<double> rates;
  for (int threads : thread_counts) {
    FirmTable table;
    synthesise_population(table, sc, city, key);
    tbb::task_arena arena(threads);
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    std::int64_t stepped = 0;
    arena.execute([&] {
      for (int t = 0; t < months; ++t) {
        stepped += static_cast<std::int64_t>(table.size());
        step_firms(table, {sc, city, conditions, key, t, 0, no_policy, no_contracts});
      }
    });
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rates.push_back(static_cast<double>(stepped) / secs);
    std::printf("%8d  %10.3f  %22.3e  %10.3f", threads, secs, rates.back(), cpu_seconds() - cpu0);
    if (rates.size() > 1) std::printf("  (x%.2f of %d thread(s))", rates.back() / rates.front(), thread_counts.front());
    std::printf("\n");
  }
  return rates;
}

/// The whole model on a scenario, every city resized to `firms_per_city` firms at
/// population scale 1: population synthesis, the monthly steps and the result file at
/// the default (summary) level, one replication. Returns firm-months per second.
std::vector<double> bench_full(const std::filesystem::path& path, long long firms_per_city, int months,
                               std::vector<std::string> sets, const std::vector<int>& thread_counts) {
  std::vector<std::string> resize = {"simulation.population_scale=1", "simulation.replications=1",
                                     "simulation.months=" + std::to_string(months), "simulation.burn_in_months=0"};
  for (const City& c : load_scenario(path, sets).cities)
    resize.push_back("cities." + c.id + ".smes=" + std::to_string(firms_per_city));
  sets.insert(sets.begin(), resize.begin(), resize.end());  // the user's --set come last and win
  auto scenario = std::make_shared<const Scenario>(load_scenario(path, sets));
  const Scenario& sc = *scenario;
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("smesim-bench-" + std::to_string(getpid()) + ".h5");
  std::printf("smesim bench: full model, %s, %zu cities x %lld firms = %zu firms, %d months + %d burn-in, "
              "1 replication, summary output to %s\n",
              path.string().c_str(), sc.cities.size(), firms_per_city, simulated_firms(sc), sc.simulation.months,
              sc.simulation.burn_in_months, out.string().c_str());
  std::printf("%8s  %9s  %9s  %9s  %14s  %14s  %12s  %9s\n", "threads", "seconds", "setup s", "output s", "firm-months",
              "firm-months/s", "output share", "cpu s");
  std::vector<double> rates;
  for (int threads : thread_counts) {
    RunTimings timings;
    RunRequest req;
    req.output = out;
    req.overwrite = true;
    req.provenance = {"smesim bench", to_toml(sc), {}};
    req.ensemble.threads = threads;
    req.ensemble.timings = &timings;
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    run_to_file(single_run(scenario), req);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::filesystem::remove(out);
    // Firm-months are counted over the reported months; the time covers burn-in too.
    rates.push_back(static_cast<double>(timings.firm_months) / secs);
    std::printf("%8d  %9.3f  %9.3f  %9.3f  %14lld  %14.3e  %11.2f%%  %9.3f\n", threads, secs, timings.setup_seconds,
                timings.output_seconds, static_cast<long long>(timings.firm_months), rates.back(),
                100.0 * timings.output_seconds / secs, cpu_seconds() - cpu0);
  }
  if (sc.simulation.burn_in_months > 0)
    std::printf("note: burn-in months are timed but not counted as firm-months\n");
  return rates;
}

/// The memory-bound limit of the firm kernel here: triad bandwidth over the bytes the
/// kernel moves per firm-month; and how close the best measured rate comes to it.
void print_memory_bound(double bandwidth, int threads, std::size_t array_mib, double best_rate) {
  const std::size_t bytes = kernel_bytes_per_firm_month();
  const double limit = bandwidth / static_cast<double>(bytes);
  std::printf("memory bandwidth: %.2f GB/s (STREAM triad, %d threads, 3 arrays x %zu MiB, best of 5)\n",
              bandwidth / 1e9, threads, array_mib);
  std::printf("bytes moved per firm-month: %zu (firm kernel: arrays read + arrays written)\n", bytes);
  std::printf("memory-bound limit: %.3e firm-months per second; best measured %.3e = %.1f%% of it\n", limit, best_rate,
              100.0 * best_rate / limit);
}

}  // namespace

int bench(const Invocation& inv) {
  po::options_description o("smesim bench options");
  o.add_options()("firms", po::value<long long>()->default_value(2000000), "firms in the synthetic city (kernel mode)")(
      "months", po::value<int>()->default_value(24), "months to step")(
      "seed", po::value<long long>()->default_value(1), "seed (kernel mode)")(
      "full", po::value<std::string>(), "time the whole model on this scenario instead of the kernel alone")(
      "firms-per-city", po::value<long long>()->default_value(1250000), "firms in every city of the --full scenario")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a key of the --full scenario (repeatable)")(
      "threads", po::value<int>()->default_value(0), "time at this many threads only (0: at 1 and at all cores)")(
      "triad-mib", po::value<int>()->default_value(256), "MiB per array of the bandwidth triad (0: skip it)");
  po::variables_map vm;
  if (!parse(inv, o, vm, nullptr,
             "usage: smesim bench [--firms N] [--months T]                 firm kernel alone\n"
             "       smesim bench --full SCENARIO.toml [--firms-per-city N] [--months T] [--set key=value ...]\n"
             "                                                              whole model and its result file\n"
             "Both also measure memory bandwidth (STREAM triad) and print the kernel's bytes moved per\n"
             "firm-month, the memory-bound limit they imply, and the peak resident set."))
    return 0;
  const long long firms = vm["firms"].as<long long>(), per_city = vm["firms-per-city"].as<long long>();
  const int months = vm["months"].as<int>(), fixed_threads = vm["threads"].as<int>(), triad_mib = vm["triad-mib"].as<int>();
  if (firms < 1 || firms > 100000000) throw InputError("--firms: expected 1 to 100000000");
  if (per_city < 1 || per_city > 100000000) throw InputError("--firms-per-city: expected 1 to 100000000");
  if (months < 1 || months > 1200) throw InputError("--months: expected 1 to 1200");
  if (fixed_threads < 0) throw InputError("--threads: expected 0 or more");
  if (triad_mib < 0 || triad_mib > 16384) throw InputError("--triad-mib: expected 0 to 16384");
  const int all = static_cast<int>(std::thread::hardware_concurrency());
  const std::vector<int> thread_counts = fixed_threads > 0 ? std::vector<int>{fixed_threads} : std::vector<int>{1, all};

  const std::vector<double> rates =
      vm.count("full") ? bench_full(vm["full"].as<std::string>(), per_city, months,
                                    vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{},
                                    thread_counts)
                       : bench_kernel(firms, months, vm["seed"].as<long long>(), thread_counts);
  const long peak_mib = peak_resident_mib();  // before the triad's arrays
  if (triad_mib > 0) {
    const double bandwidth = triad_bandwidth(static_cast<std::size_t>(triad_mib) << 20, all);
    print_memory_bound(bandwidth, all, static_cast<std::size_t>(triad_mib), *std::max_element(rates.begin(), rates.end()));
  } else {
    std::printf("bytes moved per firm-month: %zu (firm kernel: arrays read + arrays written)\n",
                kernel_bytes_per_firm_month());
  }
  std::printf("state: %zu bytes per firm; peak resident set: %ld MiB (before the triad)\n", FirmTable::bytes_per_firm(),
              peak_mib);
  return 0;
}

}  // namespace smesim::cli
