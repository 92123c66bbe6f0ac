// libFuzzer target: reading a result file (inspect, compare, resume checks) must turn any
// bytes into results or an InputError/OutputError, never a crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "smesim/analysis/compare.hpp"
#include "smesim/analysis/headline.hpp"
#include "smesim/analysis/reader.hpp"
#include "smesim/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/smesim-fuzz-" + std::to_string(::getpid()) + ".h5";
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  try {
    const smesim::ResultReader file(path, true);
    smesim::headline(file);
    smesim::format_spending(file);
    smesim::compare(file, file, {});
  } catch (const smesim::Error&) {
  }
  return 0;
}
