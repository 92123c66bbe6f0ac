// The key reference of scenario files (docs/SCENARIOS.md), made from the structs'
// fields() lists and the keys the loader reads itself, so it cannot drift from the code.
#pragma once

#include <string>
#include <vector>

namespace smesim {

/// One scenario key as the reference documents it; every text is markdown.
struct KeyDoc {
  std::string key;
  std::string type;           ///< number, integer, boolean, string, month, choice, list, table, ...
  std::string unit;           ///< "" where the type or meaning says it
  std::string default_value;  ///< "**required**" for required keys
  std::string range;
  std::string meaning;
};

/// The keys of one table of a scenario file; `id` is e.g. "simulation", "cities.waves" or
/// "policies.grant" (the kind-specific keys of one policy kind).
struct SectionDoc {
  std::string id;
  std::vector<KeyDoc> keys;
};

/// Every key a scenario file may hold, section by section.
std::vector<SectionDoc> scenario_reference();

/// Every key a sweep file may hold: "sweep" (the top level) and "sweep.parameters".
std::vector<SectionDoc> sweep_reference();

/// A markdown table of a section's keys: key, type, unit, default, allowed range, meaning.
std::string key_table(const SectionDoc& section);

}  // namespace smesim
