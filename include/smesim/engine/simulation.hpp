// One replication: the cities' models stepped month by month, and what they report.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "smesim/core/rng.hpp"
#include "smesim/model/city_model.hpp"

namespace smesim {

/// One firm at a snapshot month (--output firms). Firms that exited since month 0 are
/// listed with alive = false and only their ids.
struct FirmRecord {
  int month = 0;
  int city = 0;
  std::uint32_t uid = 0;
  bool alive = false;
  int sector = -1, size_class = -1, employees = 0;
  double cash = 0, debt = 0;
  bool contract = false, assisted = false;
};

/// The outcome of one replication: months x cities, plus the state at month 0.
struct ReplicationResult {
  int point = 0;  ///< sweep point (0 for a plain run)
  int replication = 0;
  std::vector<std::vector<CityMonth>> months;    ///< [month][city], reported months only
  std::vector<CityTotals> baseline;              ///< [city]: stocks at the end of burn-in
  std::vector<std::vector<Contract>> contracts;  ///< [city]: every award, in award order
  std::vector<FirmRecord> firms;                 ///< firm snapshots, if asked for
};

/// What a Simulation records besides the results.
struct SimulationOptions {
  bool snapshots = false;  ///< record every firm at the scenario's firm_snapshot_months
  bool profile = false;    ///< time every phase of every city (phase_seconds)
};

/// One work item: a (scenario, replication). Owns the cities' models and the clock;
/// the model of a month is CityModel::step, run for the cities side by side.
class Simulation {
 public:
  Simulation(std::shared_ptr<const Scenario> scenario, int replication, SimulationOptions options = {});
  ~Simulation();

  /// Runs burn-in and the reported months. Returns nullopt if `stop` is set before the
  /// end (checked every month).
  std::optional<ReplicationResult> run(const std::atomic<bool>* stop = nullptr);

  /// The firms of city `c` (for tests and benchmarks).
  const FirmTable& firms(int c) const;
  /// Seconds per phase, summed over the cities (all zero unless options.profile).
  PhaseSeconds phase_seconds() const;

 private:
  void step(int month, ReplicationResult& out);
  void snapshot(int month, ReplicationResult& out) const;

  std::shared_ptr<const Scenario> scenario_;
  int replication_;
  SimulationOptions options_;
  std::vector<std::unique_ptr<CityModel>> cities_;
};

}  // namespace smesim
