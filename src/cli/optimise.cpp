// smesim optimise: the budget allocation (and other decisions) that best serve an
// objective, found with common random numbers and validated on fresh replications.
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <cstdio>

#include "smesim/cli/commands.hpp"
#include "smesim/cli/detail/options.hpp"
#include "smesim/core/error.hpp"
#include "smesim/optimise/report.hpp"

namespace smesim::cli {
namespace po = boost::program_options;

namespace {

/// Set by SIGINT or SIGTERM: the evaluation in flight stops; finished ones stay in the
/// work directory for --resume.
std::atomic<bool> g_stop_optimise{false};

extern "C" void request_stop_optimise(int) { g_stop_optimise.store(true); }

/// The work directory: refused if an earlier optimisation left one, unless resuming
/// (--resume) or starting over (--force).
void prepare_work(const std::filesystem::path& work, bool resume, bool force) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(work, ec);
  if (exists && !resume && !force)
    throw InputError(work.string() + ": an earlier optimisation left its runs here; use --resume to continue it or " +
                     "--force to start over");
  if (exists && force && !resume) std::filesystem::remove_all(work, ec);
  std::filesystem::create_directories(work, ec);
  if (ec) throw InputError(work.string() + ": cannot create the work directory: " + ec.message());
}

}  // namespace

int optimise(const Invocation& inv) {
  po::options_description o("smesim optimise options");
  o.add_options()("file", po::value<std::string>()->required(), "optimisation file (TOML)")(
      "output-file,o", po::value<std::string>(), "result file (default: NAME.h5 here)")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a key of the base and counterfactual")(
      "threads", po::value<int>()->default_value(0), "worker threads per evaluation (0 = all cores)")(
      "force", "overwrite an existing result file; start over even if earlier runs are in the work directory")(
      "resume", "reuse the runs an interrupted optimisation left in the work directory (FILE.runs)")(
      "keep-runs", "keep the work directory (every evaluation's result file) after success")("quiet,q",
                                                                                             "no progress on stderr");
  po::variables_map vm;
  if (!parse(inv, o, vm, {"file"}, "usage: smesim optimise FILE.toml [-o RESULT.h5] [options]")) return 0;
  if (vm["threads"].as<int>() < 0) throw InputError("--threads: expected 0 or more");
  const std::filesystem::path path = vm["file"].as<std::string>();
  const std::filesystem::path output = vm.count("output-file")
                                           ? std::filesystem::path(vm["output-file"].as<std::string>())
                                           : std::filesystem::path(path.stem().string() + ".h5");
  std::vector<std::string> set;
  if (vm.count("set")) set = vm["set"].as<std::vector<std::string>>();
  const Problem problem = load_problem(path, set);
  const bool force = vm.count("force") > 0, resume = vm.count("resume") > 0;
  std::error_code ec;
  if (std::filesystem::exists(output, ec) && !force)
    throw InputError(output.string() + ": output file exists; use --force to overwrite it");
  OptimiseOptions options;
  options.work = std::filesystem::path(output.string() + ".runs");
  options.comm = inv.comm;
  const bool root = inv.comm.rank == 0;  // under MPI only rank 0 touches files and prints
  if (root) prepare_work(options.work, resume, force);
  options.threads = vm["threads"].as<int>();
  options.resume = resume;
  options.progress = vm.count("quiet") == 0 && root;
  options.stop = &g_stop_optimise;
  std::signal(SIGINT, request_stop_optimise);
  std::signal(SIGTERM, request_stop_optimise);
  OptimisationResult result;
  try {
    result = smesim::optimise(problem, options);
  } catch (const Interrupted& e) {
    throw Interrupted(std::string(e.what()) + "; the finished runs are kept in " + options.work.string() +
                      ": the same command with --resume continues the optimisation");
  }
  if (!root) return 0;
  write_optimisation(output, problem, result, inv.command_line, force);
  if (!vm.count("keep-runs")) std::filesystem::remove_all(options.work, ec);
  std::fputs(format_optimisation(problem, result).c_str(), stdout);
  if (options.progress)
    std::fprintf(stderr, "smesim optimise: wrote %s (%d run(s) reused from %s)\n", output.string().c_str(),
                 result.reused, options.work.string().c_str());
  return 0;
}

}  // namespace smesim::cli
