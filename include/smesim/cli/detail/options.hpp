// Option parsing and file reading shared by the subcommands of src/cli.
#pragma once

#include <boost/program_options.hpp>
#include <filesystem>
#include <string>

#include "smesim/cli/commands.hpp"

namespace smesim::cli {

/// Parses `inv.args` against `options` with one positional argument `positional` (if
/// not null). Returns false when --help was asked for (and printed with `usage`).
bool parse(const Invocation& inv, boost::program_options::options_description& options,
           boost::program_options::variables_map& vm, const char* positional, const char* usage);

/// The whole file at `path`; throws InputError naming it when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace smesim::cli
