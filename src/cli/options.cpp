// Option parsing and file reading shared by the subcommands of src/cli.
#include "smesim/cli/detail/options.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "smesim/core/error.hpp"

namespace smesim::cli {
namespace po = boost::program_options;

bool parse(const Invocation& inv, po::options_description& options, po::variables_map& vm, const char* positional,
           const char* usage) {
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

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace smesim::cli
