// smesim: the command line. The only place that turns exceptions into messages and exit codes.
#include <boost/program_options/errors.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <string>

#include "smesim/cli/commands.hpp"
#include "smesim/core/error.hpp"
#include "smesim/core/version.hpp"
#include "smesim/engine/distributed.hpp"

namespace {

const char* kUsage =
    "usage: smesim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.toml      run an ensemble and write an HDF5 result file\n"
    "  sweep SWEEP.toml       run every point of a parameter sweep into one file\n"
    "  validate SCENARIO.toml check a scenario and print it fully resolved\n"
    "  inspect FILE.h5        headline table per city with 95% intervals\n"
    "  compare A.h5 B.h5 ...  each variant B against the base A, paired where possible (table, CSV, JSON)\n"
    "  optimise FILE.toml     the budget split and design that best serve an objective, validated\n"
    "  bench                  model throughput (firm-months per second)\n"
    "  reference scenarios|output|measures  the generated tables of docs/*.md\n"
    "  version                print the version\n"
    "\n"
    "Run 'smesim help <command>' (or 'smesim <command> --help') for the usage and options of a command.\n";

/// Runs `command` (help and version here, the rest in smesim::cli); its exit code.
int dispatch(const std::string& command, const smesim::cli::Invocation& inv) {
  using namespace smesim;
  const std::map<std::string, int (*)(const cli::Invocation&)> commands = {
      {"run", cli::run},         {"sweep", cli::sweep}, {"validate", cli::validate},   {"inspect", cli::inspect},
      {"compare", cli::compare}, {"bench", cli::bench}, {"reference", cli::reference}, {"optimise", cli::optimise}};
  if (command == "help" && !inv.args.empty() && commands.count(inv.args.front())) {
    // smesim help COMMAND: the command's own usage and options, as COMMAND --help.
    cli::Invocation help = inv;
    help.args = {"--help"};
    return commands.at(inv.args.front())(help);
  }
  if (command == "help" && !inv.args.empty() && inv.args.front() != "version" && inv.args.front() != "help") {
    std::fprintf(stderr, "smesim help: unknown command '%s'\n\n%s", inv.args.front().c_str(), kUsage);
    return 2;
  }
  if (command == "-h" || command == "--help" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "version" || command == "--version") {
    std::printf("smesim %s (%s)%s\n", version(), git_commit(), built_with_mpi() ? " with MPI" : "");
    return 0;
  }
  const auto it = commands.find(command);
  if (it == commands.end()) {
    std::fprintf(stderr, "smesim: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
  }
  return it->second(inv);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace smesim;
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string command = argv[1];
  // Past a file size limit (ulimit -f), let writes fail with an error we report rather
  // than have the process killed by SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  const MpiSession mpi(argc, argv);
  cli::Invocation inv;
  inv.comm = mpi.comm();
  for (int i = 0; i < argc; ++i) {
    if (i) inv.command_line += ' ';
    inv.command_line += argv[i];
  }
  for (int i = 2; i < argc; ++i) inv.args.emplace_back(argv[i]);
  try {
    return dispatch(command, inv);
  } catch (const Interrupted& e) {
    std::fprintf(stderr, "smesim %s: %s\n", command.c_str(), e.what());
    return e.exit_code();
  } catch (const OutputError& e) {
    std::fprintf(stderr, "smesim %s: error: %s\n", command.c_str(), e.what());
    mpi.abort(e.exit_code());
    // After a failed write the HDF5 library may crash in its exit-time cleanup: leave
    // without it (the partial file keeps what was flushed).
    std::fflush(nullptr);
    std::_Exit(e.exit_code());
  } catch (const Error& e) {
    std::fprintf(stderr, "smesim %s: error: %s\n", command.c_str(), e.what());
    mpi.abort(e.exit_code());  // one rank's error ends every rank
    return e.exit_code();
  } catch (const boost::program_options::error& e) {
    std::fprintf(stderr, "smesim %s: error: %s\n", command.c_str(), e.what());
    return 2;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "smesim %s: error: out of memory\n", command.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "smesim %s: error: %s\n", command.c_str(), e.what());
    mpi.abort(1);
    return 1;
  }
}
