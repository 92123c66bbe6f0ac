// One replication: synthesise the population, burn in, then step month by month.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "smesim/core/rng.hpp"
#include "smesim/model/aggregates.hpp"
#include "smesim/model/city_economy.hpp"
#include "smesim/model/entry.hpp"
#include "smesim/model/firm_table.hpp"

namespace smesim {

/// What one city reports for one month.
struct CityMonth {
  double stringency = 0;        ///< S(c, t)
  std::vector<double> demand;   ///< D(c, s, t) per sector
  CityTotals cells;             ///< per (sector, size class)
  bool year_end = false;        ///< annual (Davis-Haltiwanger) totals are set this month
};

/// The outcome of one replication: months x cities, plus the state at month 0.
struct ReplicationResult {
  int replication = 0;
  std::vector<std::vector<CityMonth>> months;  ///< [month][city], reported months only
  std::vector<CityTotals> baseline;            ///< [city]: stocks at the end of burn-in
};

/// One work item: a (scenario, replication). Owns all mutable state and the clock.
class Simulation {
 public:
  Simulation(std::shared_ptr<const Scenario> scenario, int replication);
  ~Simulation();

  /// Runs burn-in and the reported months. `on_month` (optional) is called after each
  /// reported month with the month index.
  ReplicationResult run(const std::function<void(int)>& on_month = {});

  /// The firms of city `c` (for tests and benchmarks).
  const FirmTable& firms(int c) const;

 private:
  struct CityState;
  void step(int month, ReplicationResult& out);
  void step_city(CityState& city, int month, CityMonth& record);

  std::shared_ptr<const Scenario> scenario_;
  int replication_;
  RandomKey key_;
  std::vector<std::unique_ptr<CityState>> cities_;
};

}  // namespace smesim
