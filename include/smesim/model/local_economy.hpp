// MODEL.md step 2 over a run: the baseline economy measured in burn-in, and the
// feedback of last month's wage bill and programme payments into this month's demand.
#pragma once

#include <optional>
#include <vector>

#include "smesim/model/aggregates.hpp"
#include "smesim/model/city_economy.hpp"
#include "smesim/model/environment.hpp"
#include "smesim/model/firm_table.hpp"
#include "smesim/model/local_demand.hpp"

namespace smesim {

/// The demand side of one city. The baseline economy (revenue per sector, SME wage bill)
/// is the mean over the last `kWindowMonths` burn-in months; at month 0 the input-output
/// model (LocalDemand) is built from it, and from then on each month's demand takes last
/// month's programme payments and fall of the wage bill against the baseline.
class LocalEconomy {
 public:
  /// Burn-in months over which the baseline is measured.
  static constexpr int kWindowMonths = 12;

  LocalEconomy(const Scenario& scenario, int city);

  /// Month 0: builds the input-output model from the baseline window, or from the live
  /// firms' normal revenue and wage bill when there was no burn-in.
  void build(const FirmTable& firms, const CityEconomy& economy);
  /// This month's demand and its parts. From month 0 (once built) the demand index of
  /// `conditions` is replaced by the input-output one; before, D = max(0, 1 - g) stands.
  DemandParts demand(SectorConditions& conditions) const;
  /// After a month: keeps its programme payments per sector and SME wage bill for the
  /// next month's demand and, in the baseline window, adds revenue and wage bill to it.
  void remember(int month, const CityTotals& cells, const std::vector<double>& payments);

 private:
  const Scenario& scenario_;
  int city_;
  std::optional<LocalDemand> local_demand_;  // built at month 0
  std::vector<double> baseline_output_;      // revenue per sector, summed over the window, then its mean
  double baseline_wage_bill_ = 0;            // summed over the window, then its mean
  int baseline_months_ = 0;
  std::vector<double> last_payments_;  // programme payments last month, per sector
  double last_wage_bill_ = 0;
};

}  // namespace smesim
