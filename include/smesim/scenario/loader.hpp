// Reading scenario files: TOML with `base =` inheritance and --set overrides, strict
// checking (unknown keys, types, ranges, sums) and the resolved text of a scenario.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "smesim/scenario/scenario.hpp"

namespace smesim {

/// Loads `file` (and the files it inherits from through `base =`), applies the
/// overrides ("path.to.key=value", TOML syntax for the value; a bare word is a string)
/// and validates the result. Throws ScenarioError naming file, line, column and key.
Scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

/// As load_scenario, from text; `name` labels messages and resolves a relative `base`
/// against the current directory.
Scenario parse_scenario(std::string_view text, const std::string& name, const std::vector<std::string>& overrides = {});

/// Largest scenario or sweep file read, in bytes.
inline constexpr std::uintmax_t kMaxScenarioBytes = 16u << 20;

/// The text of a scenario file: a regular file of at most kMaxScenarioBytes (so a
/// `base` naming a device or a huge file is refused, not read forever).
std::string read_scenario_file(const std::filesystem::path& file);

/// Sets the number key `key` (a dotted path as in --set, e.g. "firms.payout_rate") of a
/// loaded scenario, with the loader's checks and wording: the key must be a number or
/// integer key of its section (an integer key takes only the integer overload), within
/// its range, and the cross-field rules must still hold; the cities' default
/// input-output matrices follow. Throws ScenarioError "KEY: ...".
void set_key(Scenario& scenario, const std::string& key, long long value);
/// As above, for a decimal value.
void set_key(Scenario& scenario, const std::string& key, double value);

/// The fully resolved scenario as TOML: every key with its value, defaults included.
/// Loading this text gives the same scenario.
std::string to_toml(const Scenario& scenario);

}  // namespace smesim
