// From simulation results to the variables of a result file (docs/OUTPUT.md).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "smesim/engine/simulation.hpp"
#include "smesim/output/schema.hpp"

namespace smesim {

/// How much a run writes: city totals; also the (sector, size class) breakdown; also
/// firm snapshots. Each level includes the ones before it.
enum class OutputLevel { kSummary, kSectors, kFirms };

/// Parses "summary", "sectors" or "firms"; throws InputError otherwise.
OutputLevel parse_output_level(const std::string& text);

/// Where a run came from, recorded as root attributes.
struct Provenance {
  std::string command_line;
  std::string scenario_text;  ///< the fully resolved scenario (TOML); for a sweep, the sweep too
  std::vector<std::pair<std::string, AttributeValue>> extra;  ///< more root attributes
};

/// Named slabs of data: one replication of each replication variable, or a whole variable.
using Slabs = std::vector<std::pair<std::string, std::vector<double>>>;

/// The file layout of a run of `scenario`.
FileSchema result_schema(const Scenario& scenario, OutputLevel level, const Provenance& provenance);

/// Turns a run's layout into a sweep's: a leading `point` dimension on every per-item
/// variable and on stringency, and the design as variables over `point`.
void add_sweep_dimension(FileSchema& schema, std::size_t points,
                         const std::vector<std::pair<std::string, std::vector<double>>>& design);

/// Everything the writer takes from one work item; it can be packed into bytes to be
/// sent between MPI ranks.
struct ItemOutput {
  std::size_t item = 0;
  Slabs slabs;
  std::vector<Table> tables;
};

/// The output of one finished work item.
ItemOutput item_output(const Scenario& scenario, OutputLevel level, const ReplicationResult& result);

/// The work item of a result: point x replications + replication.
inline std::size_t item_of(const Scenario& scenario, const ReplicationResult& r) {
  return static_cast<std::size_t>(r.point) * static_cast<std::size_t>(scenario.simulation.replications) +
         static_cast<std::size_t>(r.replication);
}

/// The variables without a replication dimension (e.g. stringency), whole.
Slabs fixed_slabs(const Scenario& scenario);

/// One replication of every replication variable, scaled to whole-city values.
Slabs replication_slabs(const Scenario& scenario, OutputLevel level, const ReplicationResult& result);

/// The record tables of one replication: `contracts` (every award) and, at the firms
/// level, `firms` (the snapshots).
std::vector<Table> record_tables(const Scenario& scenario, OutputLevel level, const ReplicationResult& result);

}  // namespace smesim
