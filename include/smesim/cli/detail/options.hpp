// Option parsing and file reading shared by the subcommands of src/cli.
#pragma once

#include <boost/program_options.hpp>
#include <filesystem>
#include <initializer_list>
#include <string>

#include "smesim/cli/commands.hpp"

namespace smesim::cli {

/// Parses `inv.args` against `options`, the plain arguments filling the options named in
/// `positional` in order (a last name ending in "..." takes all that remain). Returns false when --help was asked for
/// (and printed with `usage`). A missing or extra plain argument, an unknown option or a bad value throws InputError
/// (exit 2) whose message ends with `usage`.
bool parse(const Invocation& inv, boost::program_options::options_description& options,
           boost::program_options::variables_map& vm, std::initializer_list<const char*> positional, const char* usage);

/// The whole file at `path`; throws InputError naming it when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace smesim::cli
