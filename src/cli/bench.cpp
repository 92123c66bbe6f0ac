// smesim bench: the model's throughput on a synthetic city or a scenario, against memory bandwidth.
#include <sys/resource.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>
#include <utility>

#include "smesim/cli/bandwidth.hpp"
#include "smesim/cli/commands.hpp"
#include "smesim/cli/detail/options.hpp"
#include "smesim/core/error.hpp"
#include "smesim/engine/ensemble.hpp"
#include "smesim/model/city_model.hpp"
#include "smesim/model/firm_kernel.hpp"
#include "smesim/scenario/loader.hpp"

namespace smesim::cli {
namespace po = boost::program_options;
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

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// One synthetic city of `firms` firms with the calibration sectors in even shares, no
/// shocks, policies or programme, and no burn-in: a one-city scenario like any other.
Scenario synthetic_city(long long firms, int months, long long seed) {
  std::string text = "[simulation]\ncities = [\"bench\"]\nburn_in_months = 0\nmonths = " + std::to_string(months) +
                     "\nseed = " + std::to_string(seed) + "\n[cities.bench]\nsmes = " + std::to_string(firms) +
                     "\nwage_usd = 300\nsize_shares = {micro = 0.9, small = 0.09, medium = 0.01}\nsector_shares = {";
  const auto& names = default_sector_names();
  for (std::size_t s = 0; s < names.size(); ++s) text += (s ? ", " : "") + names[s] + " = 0.125";
  return parse_scenario(text + "}\n", "<bench>");
}

/// The `--firms` mode of `smesim bench`: one synthetic city stepped month by month
/// through CityModel::step, as `smesim run` steps every city; population synthesis is
/// not timed. Prints the firm-months per second of the whole step and of its firm kernel
/// (the `firms` phase) at each thread count; returns the kernel's, the rate the
/// memory-bound limit is about (comparable with the kernel-only figures of PERFORMANCE.md).
std::vector<double> bench_city(long long firms, int months, long long seed, const std::vector<int>& thread_counts) {
  const Scenario sc = synthetic_city(firms, months, seed);
  const RandomKey key(static_cast<std::uint32_t>(sc.simulation.seed), 0);
  std::printf(
      "smesim bench: one synthetic city through the monthly step, %lld firms, %d months, "
      "%zu bytes of state per firm\n",
      firms, months, FirmTable::bytes_per_firm());
  std::printf("%8s  %10s  %22s  %10s  %22s  %10s\n", "threads", "seconds", "firm-months per second", "kernel s",
              "kernel firm-months/s", "cpu s");
  std::vector<double> rates, kernel_rates;
  for (int threads : thread_counts) {
    tbb::task_arena arena(threads);
    std::unique_ptr<CityModel> city;
    arena.execute([&] { city = std::make_unique<CityModel>(sc, 0, key, CityModelOptions{false, true}); });
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    std::int64_t stepped = 0;  // rows the kernel went through, dead ones not yet compacted included
    arena.execute([&] {
      for (int t = 0; t < months; ++t) {
        stepped += static_cast<std::int64_t>(city->firms().size());
        CityMonth record;
        city->step(t, record);
      }
    });
    const double secs = seconds_since(t0), kernel = city->clock().seconds()[Phase::kFirms];
    rates.push_back(static_cast<double>(stepped) / secs);
    kernel_rates.push_back(static_cast<double>(stepped) / kernel);
    std::printf("%8d  %10.3f  %22.3e  %10.3f  %22.3e  %10.3f", threads, secs, rates.back(), kernel, kernel_rates.back(),
                cpu_seconds() - cpu0);
    if (rates.size() > 1) std::printf("  (x%.2f of %d thread(s))", rates.back() / rates.front(), thread_counts.front());
    std::printf("\n");
  }
  return kernel_rates;
}

/// Whether one of the user's --set arguments names `key`.
bool user_sets(const std::vector<std::string>& sets, const std::string& key) {
  return std::any_of(sets.begin(), sets.end(), [&](const std::string& s) { return s.rfind(key + "=", 0) == 0; });
}

/// The `--full` scenario: every city resized to `firms_per_city` firms at population
/// scale 1, one replication, no burn-in; a key the user's --set names keeps the user's
/// value. Scale first: at scale 1 any smes gives at least one firm.
std::shared_ptr<const Scenario> full_scenario(const std::filesystem::path& path, long long firms_per_city, int months,
                                              const std::vector<std::string>& sets) {
  Scenario sc = load_scenario(path, sets);
  if (!user_sets(sets, "simulation.population_scale")) set_key(sc, "simulation.population_scale", 1.0);
  std::vector<std::pair<std::string, long long>> counts = {
      {"simulation.replications", 1}, {"simulation.months", months}, {"simulation.burn_in_months", 0}};
  for (const City& c : sc.cities) counts.emplace_back("cities." + c.id + ".smes", firms_per_city);
  for (const auto& [key, value] : counts)
    if (!user_sets(sets, key)) set_key(sc, key, value);
  return std::make_shared<const Scenario>(std::move(sc));
}

/// The whole model on a scenario, the way `smesim run` runs it: population synthesis,
/// the monthly steps and the result file at the default (summary) level. Returns
/// firm-months per second at each thread count.
std::vector<double> bench_full(const std::filesystem::path& path, long long firms_per_city, int months,
                               const std::vector<std::string>& sets, const std::vector<int>& thread_counts) {
  const auto scenario = full_scenario(path, firms_per_city, months, sets);
  const Scenario& sc = *scenario;
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("smesim-bench-" + std::to_string(getpid()) + ".h5");
  std::printf(
      "smesim bench: full model, %s, %zu cities x %lld firms = %lld firms, %d months + %d burn-in, "
      "1 replication, summary output to %s\n",
      path.string().c_str(), sc.cities.size(), firms_per_city, static_cast<long long>(sc.simulated_firms()),
      sc.simulation.months, sc.simulation.burn_in_months, out.string().c_str());
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
    const double secs = seconds_since(t0);
    std::filesystem::remove(out);
    // Firm-months are counted over the reported months; the time covers burn-in too.
    rates.push_back(static_cast<double>(timings.firm_months) / secs);
    std::printf("%8d  %9.3f  %9.3f  %9.3f  %14lld  %14.3e  %11.2f%%  %9.3f\n", threads, secs, timings.setup_seconds,
                timings.output_seconds, static_cast<long long>(timings.firm_months), rates.back(),
                100.0 * timings.output_seconds / secs, cpu_seconds() - cpu0);
  }
  if (sc.simulation.burn_in_months > 0) std::printf("note: burn-in months are timed but not counted as firm-months\n");
  return rates;
}

/// The memory-bound limit of the firm kernel here: triad bandwidth over the bytes the
/// kernel moves per firm-month; and how close the best measured rate (of `what`: the
/// kernel phase, or the whole model with --full) comes to it.
void print_memory_bound(double bandwidth, int threads, std::size_t array_mib, double best_rate, const char* what) {
  const std::size_t bytes = kernel_bytes_per_firm_month();
  const double limit = bandwidth / static_cast<double>(bytes);
  std::printf("memory bandwidth: %.2f GB/s (STREAM triad, %d threads, 3 arrays x %zu MiB, best of 5)\n",
              bandwidth / 1e9, threads, array_mib);
  std::printf("bytes moved per firm-month: %zu (firm kernel: arrays read + arrays written)\n", bytes);
  std::printf("memory-bound limit: %.3e firm-months per second; best measured (%s) %.3e = %.1f%% of it\n", limit, what,
              best_rate, 100.0 * best_rate / limit);
}

const char* kBenchUsage =
    "usage: smesim bench [--firms N] [--months T]                 one synthetic city, monthly step\n"
    "       smesim bench --full SCENARIO.toml [--firms-per-city N] [--months T] [--set key=value ...]\n"
    "                                                              whole model and its result file\n"
    "Both also measure memory bandwidth (STREAM triad) and print the kernel's bytes moved per\n"
    "firm-month, the memory-bound limit they imply, and the peak resident set.";

void add_bench_options(po::options_description& o) {
  o.add_options()("firms", po::value<long long>()->default_value(2000000), "firms in the synthetic city")(
      "months", po::value<int>()->default_value(24), "months to step")("seed", po::value<long long>()->default_value(1),
                                                                       "seed (synthetic city)")(
      "full", po::value<std::string>(), "time the whole model on this scenario instead of one synthetic city")(
      "firms-per-city", po::value<long long>()->default_value(1250000), "firms in every city of the --full scenario")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a key of the --full scenario (repeatable)")(
      "threads", po::value<int>()->default_value(0), "time at this many threads only (0: at 1 and at all cores)")(
      "triad-mib", po::value<int>()->default_value(256), "MiB per array of the bandwidth triad (0: skip it)");
}

/// Throws InputError for an option out of its range.
void check_bench_options(const po::variables_map& vm) {
  const long long firms = vm["firms"].as<long long>(), per_city = vm["firms-per-city"].as<long long>();
  const int months = vm["months"].as<int>(), triad_mib = vm["triad-mib"].as<int>();
  if (firms < 1 || firms > 100000000) throw InputError("--firms: expected 1 to 100000000");
  if (per_city < 1 || per_city > 100000000) throw InputError("--firms-per-city: expected 1 to 100000000");
  if (months < 1 || months > 1200) throw InputError("--months: expected 1 to 1200");
  if (vm["threads"].as<int>() < 0) throw InputError("--threads: expected 0 or more");
  if (triad_mib < 0 || triad_mib > 16384) throw InputError("--triad-mib: expected 0 to 16384");
}

}  // namespace

int bench(const Invocation& inv) {
  po::options_description o("smesim bench options");
  add_bench_options(o);
  po::variables_map vm;
  if (!parse(inv, o, vm, {}, kBenchUsage)) return 0;
  check_bench_options(vm);
  const int months = vm["months"].as<int>(), fixed_threads = vm["threads"].as<int>();
  const int triad_mib = vm["triad-mib"].as<int>(), all = static_cast<int>(std::thread::hardware_concurrency());
  const std::vector<int> thread_counts = fixed_threads > 0 ? std::vector<int>{fixed_threads} : std::vector<int>{1, all};
  const std::vector<std::string> sets =
      vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
  // Firm-months per second of the whole model (--full), or of the synthetic city's kernel phase.
  const std::vector<double> rates =
      vm.count("full")
          ? bench_full(vm["full"].as<std::string>(), vm["firms-per-city"].as<long long>(), months, sets, thread_counts)
          : bench_city(vm["firms"].as<long long>(), months, vm["seed"].as<long long>(), thread_counts);
  const long peak_mib = peak_resident_mib();  // before the triad's arrays
  if (triad_mib > 0) {
    const double bandwidth = triad_bandwidth(static_cast<std::size_t>(triad_mib) << 20, all);
    print_memory_bound(bandwidth, all, static_cast<std::size_t>(triad_mib),
                       *std::max_element(rates.begin(), rates.end()),
                       vm.count("full") ? "whole model" : "firm kernel phase");
  } else {
    std::printf("bytes moved per firm-month: %zu (firm kernel: arrays read + arrays written)\n",
                kernel_bytes_per_firm_month());
  }
  std::printf("state: %zu bytes per firm; peak resident set: %ld MiB (before the triad)\n", FirmTable::bytes_per_firm(),
              peak_mib);
  return 0;
}

}  // namespace smesim::cli
