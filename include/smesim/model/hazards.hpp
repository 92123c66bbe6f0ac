// MODEL.md step 7: natural hazards per city: demand shocks and cash damage.
#pragma once

#include <vector>

#include "smesim/core/rng.hpp"
#include "smesim/model/firm_table.hpp"
#include "smesim/scenario/scenario.hpp"

namespace smesim {

/// The hazard process of one city. Whether a hazard hits is drawn per (city, month)
/// only, so every scenario with the same seed sees the same hazards.
class HazardProcess {
 public:
  HazardProcess(const Scenario& scenario, int city);

  /// Moves to month `month` (>= 0): returns true if a hazard hits this month.
  bool advance(const RandomKey& key, int month);
  /// True while a hazard's demand shock lasts.
  bool active() const { return months_left_ > 0; }
  /// Adds the demand shock (severity x protection, in the hit sectors) to `shock`.
  void add_demand_shock(std::vector<double>& shock, double protection) const;
  /// Destroys a share (damage x protection) of the cash of the firms the hazard touches
  /// (drawn per firm) and returns the USD destroyed.
  double damage_cash(FirmTable& table, const RandomKey& key, int month, double protection) const;

 private:
  const Scenario& scenario_;
  int city_;
  const Hazard* hazard_;  // nullptr: the city has no hazard process
  int months_left_ = 0;
};

}  // namespace smesim
