// The subcommands of the smesim command line; each returns the process exit code.
#pragma once

#include <string>
#include <vector>

#include "smesim/engine/distributed.hpp"

namespace smesim::cli {

/// Arguments after the subcommand name, and the whole command line for provenance.
struct Invocation {
  std::vector<std::string> args;
  std::string command_line;
  Comm comm;  ///< MPI ranks (one process without mpirun)
};

int run(const Invocation& inv);
int sweep(const Invocation& inv);
int validate(const Invocation& inv);
int inspect(const Invocation& inv);
int compare(const Invocation& inv);
int bench(const Invocation& inv);
/// Searches the design (budget shares, decision variables) that best serves an objective.
int optimise(const Invocation& inv);
/// Prints or rewrites the generated reference tables of docs/SCENARIOS.md and docs/OUTPUT.md.
int reference(const Invocation& inv);

}  // namespace smesim::cli
