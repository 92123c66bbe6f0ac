// The phases of a city's month and their timing.
#include "smesim/model/phase_clock.hpp"

#include <cstdio>

namespace smesim {

const char* phase_name(Phase phase) {
  static constexpr std::array<const char*, kPhases> kNames = {
      "population", "open reporting", "environment",      "hazards",    "local demand",
      "policies",   "firms",          "compaction",       "entry",      "contracts",
      "assistance", "calls",          "programme totals", "resilience", "demand feedback",
      "year end"};
  return kNames[static_cast<std::size_t>(phase)];
}

PhaseSeconds& PhaseSeconds::operator+=(const PhaseSeconds& o) {
  for (std::size_t p = 0; p < kPhases; ++p) seconds[p] += o.seconds[p];
  return *this;
}

std::string format_phase_seconds(const PhaseSeconds& s) {
  std::string out = "seconds per phase, summed over cities and this process's work items:\n";
  char line[96];
  double total = 0;
  for (std::size_t p = 0; p < kPhases; ++p) {
    total += s.seconds[p];
    std::snprintf(line, sizeof line, "  %-18s %10.3f\n", phase_name(static_cast<Phase>(p)), s.seconds[p]);
    out += line;
  }
  std::snprintf(line, sizeof line, "  %-18s %10.3f\n", "total", total);
  return out + line;
}

}  // namespace smesim
