// Option parsing and file reading shared by the subcommands of src/cli.
#include "smesim/cli/detail/options.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "smesim/core/error.hpp"

namespace smesim::cli {
namespace po = boost::program_options;

namespace {

/// A --set argument without '=' would otherwise leave its value to be taken as a
/// positional argument ("too many positional options").
void check_set_arguments(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string value;
    if (args[i] == "--set" && i + 1 < args.size())
      value = args[i + 1];
    else if (args[i].rfind("--set=", 0) == 0)
      value = args[i].substr(6);
    else
      continue;
    if (value.find('=') == std::string::npos)
      throw InputError("--set " + value +
                       ": no '='; expected KEY=VALUE in one argument (e.g. --set simulation.months=12)");
  }
}

}  // namespace

bool parse(const Invocation& inv, po::options_description& options, po::variables_map& vm,
           std::initializer_list<const char*> positional, const char* usage) {
  options.add_options()("help,h", "show this help");
  po::positional_options_description pos;
  // A name ending in "..." takes every remaining plain argument.
  for (std::string name : positional)
    if (name.size() > 3 && name.compare(name.size() - 3, 3, "...") == 0)
      pos.add(name.substr(0, name.size() - 3).c_str(), -1);
    else
      pos.add(name.c_str(), 1);
  check_set_arguments(inv.args);
  const std::string see = std::string("\n") + usage + " (--help lists the options)";
  try {
    po::store(po::command_line_parser(inv.args).options(options).positional(pos).run(), vm);
    if (vm.count("help")) {
      std::cout << usage << "\n" << options << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::too_many_positional_options_error&) {
    throw InputError("too many arguments: expected " + std::to_string(positional.size()) + see);
  } catch (const po::required_option& e) {
    for (std::string name : positional) {
      if (name.size() > 3 && name.compare(name.size() - 3, 3, "...") == 0) name.resize(name.size() - 3);
      if (e.get_option_name() == "--" + name) throw InputError("missing argument" + see);
    }
    throw InputError(std::string(e.what()) + see);
  } catch (const po::error& e) {
    throw InputError(std::string(e.what()) + see);
  }
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
