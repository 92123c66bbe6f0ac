// Test helpers for whole runs: scenarios from text or the shipped files, ensembles in memory.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "smesim/engine/ensemble.hpp"
#include "support/helpers.hpp"

namespace smesim::test {

/// A programme for city alpha of small_scenario(): one call in 2020-09.
inline const std::string kAlphaProgramme = R"(
[cities.alpha.programme]
grant_usd = 20000000
match_ratio = 1.0
[[cities.alpha.programme.projects]]
name = "test project"
sectors = ["trade", "other_services", "construction"]
budget_share = 0.8
call = "2020-09"
duration_months = 6
)";

/// A scenario from text (file name "s.toml"), with overrides.
inline std::shared_ptr<const Scenario> scenario(const std::string& text, const std::vector<std::string>& set = {}) {
  return std::make_shared<const Scenario>(parse_scenario(text, "s.toml", set));
}

/// A shipped scenario (path relative to the source tree) at 1% of each city's SMEs (the
/// shipped default is 10%), with overrides (which may set another scale).
inline std::shared_ptr<const Scenario> shipped(const char* name, const std::vector<std::string>& set = {}) {
  std::vector<std::string> all = {"simulation.population_scale=0.01"};
  all.insert(all.end(), set.begin(), set.end());
  return std::make_shared<const Scenario>(load_scenario(source_path(name), all));
}

/// Every replication of `sc`, in replication order (threads 0: all cores).
inline std::vector<ReplicationResult> run_all(std::shared_ptr<const Scenario> sc, int threads = 0) {
  std::vector<ReplicationResult> out(static_cast<std::size_t>(sc->simulation.replications));
  EnsembleOptions options;
  options.threads = threads;
  run_ensemble(single_run(sc), options,
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
