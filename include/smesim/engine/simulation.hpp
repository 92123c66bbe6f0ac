// One replication: synthesise the population, burn in, then step month by month.
#pragma once

#include <cstdint>
#include <atomic>
#include <optional>
#include <memory>
#include <vector>

#include "smesim/core/rng.hpp"
#include "smesim/model/aggregates.hpp"
#include "smesim/model/city_economy.hpp"
#include "smesim/model/entry.hpp"
#include "smesim/model/firm_table.hpp"
#include "smesim/model/local_demand.hpp"
#include "smesim/model/programme.hpp"

namespace smesim {

/// What one city reports for one month.
struct CityMonth {
  double stringency = 0;        ///< S(c, t)
  DemandParts demand;           ///< D(c, s, t) and its parts, per sector
  CityTotals cells;             ///< per (sector, size class)
  ProgrammeMonth programme;     ///< the resilience programme this month
  double resilience = 0;        ///< R(c, t) at month end
  bool hazard_hit = false;      ///< a hazard struck this month
  bool hazard_active = false;   ///< a hazard's demand shock is in force
  double cash_destroyed = 0;    ///< USD of SME cash destroyed by a hazard
  bool year_end = false;        ///< annual (Davis-Haltiwanger) totals are set this month
};

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
  int point = 0;        ///< sweep point (0 for a plain run)
  int replication = 0;
  std::vector<std::vector<CityMonth>> months;  ///< [month][city], reported months only
  std::vector<CityTotals> baseline;            ///< [city]: stocks at the end of burn-in
  std::vector<std::vector<Contract>> contracts; ///< [city]: every award, in award order
  std::vector<FirmRecord> firms;               ///< firm snapshots, if asked for
};

/// One work item: a (scenario, replication). Owns all mutable state and the clock.
class Simulation {
 public:
  /// `snapshots`: record every firm at the scenario's firm_snapshot_months.
  Simulation(std::shared_ptr<const Scenario> scenario, int replication, bool snapshots = false);
  ~Simulation();

  /// Runs burn-in and the reported months. Returns nullopt if `stop` is set before the
  /// end (checked every month).
  std::optional<ReplicationResult> run(const std::atomic<bool>* stop = nullptr);

  /// The firms of city `c` (for tests and benchmarks).
  const FirmTable& firms(int c) const;

 private:
  struct CityState;
  void step(int month, ReplicationResult& out);
  void step_city(CityState& city, int month, CityMonth& record);
  void environment(CityState& city, int month, CityMonth& record, SectorConditions& conditions);
  void demand(CityState& city, int month, SectorConditions& conditions, CityMonth& record);
  void record_baseline(CityState& city, int month, const CityMonth& record);
  void snapshot(int month, ReplicationResult& out) const;

  std::shared_ptr<const Scenario> scenario_;
  int replication_;
  bool snapshots_;
  RandomKey key_;
  std::vector<std::unique_ptr<CityState>> cities_;
};

}  // namespace smesim
