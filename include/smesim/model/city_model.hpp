// One city's model: its state and the monthly step, phase by phase (MODEL.md steps 1-8).
#pragma once

#include <cstdint>
#include <vector>

#include "smesim/core/rng.hpp"
#include "smesim/model/aggregates.hpp"
#include "smesim/model/city_economy.hpp"
#include "smesim/model/entry.hpp"
#include "smesim/model/firm_table.hpp"
#include "smesim/model/hazards.hpp"
#include "smesim/model/local_demand.hpp"
#include "smesim/model/local_economy.hpp"
#include "smesim/model/phase_clock.hpp"
#include "smesim/model/policies.hpp"
#include "smesim/model/programme.hpp"

namespace smesim {

/// What one city reports for one month.
struct CityMonth {
  DemandParts demand;          ///< D(c, s, t) and its parts, per sector
  CityTotals cells;            ///< per (sector, size class)
  ProgrammeMonth programme;    ///< the resilience programme this month
  double resilience = 0;       ///< R(c, t) at month end
  bool hazard_hit = false;     ///< a hazard struck this month
  bool hazard_active = false;  ///< a hazard's demand shock is in force
  double cash_destroyed = 0;   ///< USD of SME cash destroyed by a hazard
  bool year_end = false;       ///< annual (Davis-Haltiwanger) totals are set this month
};

/// A city's bookkeeping for output, kept apart from the model state: which firms form the
/// initial cohort, the Davis-Haltiwanger exits record, and counters and scratch that
/// change no result.
struct CityBooks {
  std::uint32_t cohort_end = 0;            ///< uids below this were alive at month 0 (the initial cohort)
  std::vector<std::uint32_t> cohort_uids;  ///< uids alive at month 0 (kept only for firm snapshots)
  CityTotals baseline;                     ///< stocks at the end of burn-in (set at month 0)
  std::vector<std::int64_t> year_exits;    ///< year-ago staff of this year's exits, per cell
  std::size_t dead = 0;                    ///< dead firms not yet compacted away
  std::vector<CityTotals> block_totals;    ///< the kernel's per-block partial sums, reused
};

/// What a CityModel does besides the model.
struct CityModelOptions {
  bool keep_cohort = false;  ///< record the uids alive at month 0 (for firm snapshots)
  bool profile = false;      ///< time every phase (PhaseClock)
};

/// One city of one replication: its firms and everything a month changes. Cities do
/// not interact, so several CityModels may step at once. Not copyable (its parts refer
/// to each other).
class CityModel {
 public:
  /// Derives the city's constants and synthesises its initial firms.
  CityModel(const Scenario& scenario, int city, const RandomKey& key, CityModelOptions options = {});
  CityModel(const CityModel&) = delete;
  CityModel& operator=(const CityModel&) = delete;

  /// Advances the city through month `month` (negative in burn-in) and fills `record`.
  void step(int month, CityMonth& record);

  const FirmTable& firms() const { return firms_; }
  const CityBooks& books() const { return books_; }
  /// The uid the next entrant will get: every uid below it has been used.
  std::uint32_t next_uid() const { return next_uid_; }
  /// Every award so far, in award order.
  const std::vector<Contract>& contracts() const { return programme_.contracts(); }
  /// The phase clock: seconds per phase, and the phases of the last month when profiling.
  const PhaseClock& clock() const { return clock_; }

 private:
  void open_reporting();
  SectorConditions environment(int month) const;
  void strike_hazards(int month, SectorConditions& conditions, CityMonth& record);
  void local_demand(int month, SectorConditions& conditions, CityMonth& record);
  void advance_firms(int month, const SectorConditions& conditions, const PolicyMonth& policy, CityMonth& record);
  void compact();
  void update_resilience(int month, CityMonth& record);
  void close_year_if_due(int month, CityMonth& record);

  const Scenario& scenario_;
  RandomKey key_;
  CityEconomy economy_;
  Entry entry_;  // refers to economy_
  HazardProcess hazards_;
  ProgrammeState programme_;
  LocalEconomy local_economy_;
  FirmTable firms_;
  std::uint32_t next_uid_ = 0;
  double resilience_;  // R in [0, 1], last month's until update_resilience
  CityBooks books_;
  bool keep_cohort_;
  PhaseClock clock_;
};

}  // namespace smesim
