// Test helpers for whole runs: scenarios from text or the shipped files, ensembles in memory.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "smesim/engine/ensemble.hpp"
#include "support/helpers.hpp"

namespace smesim::test {

/// A scenario from text (file name "s.toml"), with overrides.
inline std::shared_ptr<const Scenario> scenario(const std::string& text, const std::vector<std::string>& set = {}) {
  return std::make_shared<const Scenario>(parse_scenario(text, "s.toml", set));
}

/// A shipped scenario (path relative to the source tree), with overrides.
inline std::shared_ptr<const Scenario> shipped(const char* name, const std::vector<std::string>& set = {}) {
  return std::make_shared<const Scenario>(load_scenario(source_path(name), set));
}

/// Every replication of `sc`, in replication order (threads 0: all cores).
inline std::vector<ReplicationResult> run_all(std::shared_ptr<const Scenario> sc, int threads = 0) {
  std::vector<ReplicationResult> out(static_cast<std::size_t>(sc->simulation.replications));
  run_ensemble(single_run(sc), {threads, false, false, {}, nullptr},
               [&](const ReplicationResult& r) { out[static_cast<std::size_t>(r.replication)] = r; });
  return out;
}

/// The sum over a city's cells.
inline CellTotals sum(const CityTotals& cells) {
  CellTotals t;
  for (const auto& c : cells) t += c;
  return t;
}

}  // namespace smesim::test
