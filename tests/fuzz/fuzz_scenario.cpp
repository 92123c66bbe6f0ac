// libFuzzer target: the scenario loader must turn any text into a scenario or a
// ScenarioError, never a crash, a hang or another exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "smesim/core/error.hpp"
#include "smesim/scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const smesim::Scenario sc = smesim::parse_scenario(text, "fuzz.toml");
    // What loads must print and load back the same.
    const std::string resolved = smesim::to_toml(sc);
    if (smesim::to_toml(smesim::parse_scenario(resolved, "resolved.toml")) != resolved) __builtin_trap();
  } catch (const smesim::ScenarioError&) {
  }
  return 0;
}
