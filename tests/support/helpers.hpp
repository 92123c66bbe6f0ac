// Shared test helpers: tolerances, scenario fragments, running the CLI.
#pragma once

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "smesim/scenario/loader.hpp"

namespace smesim::test {

/// True in a sanitizer build (ASan, TSan): their runtimes reserve terabytes of address
/// space at start, so such a binary cannot run under `ulimit -v`.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif
#else
inline constexpr bool kSanitizedBuild = false;
#endif

/// A statistical tolerance: k standard errors of a mean of n samples with sd `sd`.
inline double tolerance(double sd, double n, double k = 4.0) { return k * sd / std::sqrt(n); }

/// A small valid two-city scenario; `extra` is appended (later keys must not repeat).
inline std::string small_scenario(const std::string& extra = "") {
  return R"(
[simulation]
cities = ["alpha", "beta"]
months = 24
burn_in_months = 12
replications = 2
population_scale = 0.01
seed = 7

[cities.alpha]
smes = 200000
wage_usd = 300
size_shares = { micro = 0.85, small = 0.14, medium = 0.01 }
sector_shares = { manufacturing = 0.15, construction = 0.05, trade = 0.35, transport = 0.05, accommodation_food = 0.2, information_communication = 0.05, professional_services = 0.05, other_services = 0.1 }
[[cities.alpha.waves]]
start = "2020-04"
peak = 0.75
floor = 0.3
end = "2021-06"

[cities.beta]
smes = 100000
wage_usd = 180
size_shares = { micro = 0.9, small = 0.09, medium = 0.01 }
sector_shares = { manufacturing = 0.2, construction = 0.05, trade = 0.4, transport = 0.05, accommodation_food = 0.1, information_communication = 0.05, professional_services = 0.05, other_services = 0.1 }
)" + extra;
}

/// Path of a file under the source tree.
inline std::filesystem::path source_path(const std::string& rel) {
  return std::filesystem::path(SMESIM_SOURCE_DIR) / rel;
}

/// A fresh, empty temporary directory removed at scope exit.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("smesim-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    const auto p = path_ / name;
    std::ofstream(p) << text;
    return p;
  }

 private:
  std::filesystem::path path_;
};

/// Result of running a command: exit code and captured stdout/stderr.
struct CommandResult {
  int exit_code;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs the smesim binary with `args` (a shell-quoted string) in directory `dir`, after the
/// shell commands `before` (e.g. "ulimit -v 1000000;").
inline CommandResult run_smesim(const std::string& args, const TempDir& dir, const std::string& before = "") {
  const auto out = dir.path() / "stdout.txt", err = dir.path() / "stderr.txt";
  const std::string cmd = "cd '" + dir.path().string() + "' && " + before + " '" + SMESIM_BINARY + "' " + args + " >'" +
                          out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

}  // namespace smesim::test
