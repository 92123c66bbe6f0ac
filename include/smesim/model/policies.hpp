// MODEL.md step 5: the stimulus policies in force in one city and month.
#pragma once

#include <array>

#include "smesim/scenario/scenario.hpp"

namespace smesim {

/// The policies the firm kernel applies this month (at most one of each kind).
struct PolicyMonth {
  bool wage_subsidy = false;
  double subsidy_rate = 0;            ///< share of the wage bill
  double subsidy_threshold = 0;       ///< revenue drop that makes a firm eligible
  double subsidy_cap_per_worker = 0;  ///< USD per worker-month
  bool retention = false;             ///< recipients may not fire
  bool grant = false;
  double grant_threshold = 0;
  std::array<double, 3> grant_usd{};  ///< per firm, by size class
  bool guarantee = false;
  double guarantee_months = 0;        ///< extra credit, months of baseline revenue
  double guarantee_rate = 0;          ///< annual rate on guaranteed credit
  bool moratorium = false;            ///< interest accrues instead of being paid; no repayment
};

/// The policies of `scenario` in force in city `city` at month `month` (none in burn-in).
PolicyMonth policies_in(const Scenario& scenario, int city, int month);

}  // namespace smesim
