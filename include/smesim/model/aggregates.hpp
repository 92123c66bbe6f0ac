// Monthly totals per (sector, size class) cell of a city, summed over firms.
#pragma once

#include <cstdint>
#include <vector>

#include "smesim/model/policies.hpp"

namespace smesim {

/// Ages, in whole years, at which entrants' survival is counted.
constexpr int kSurvivalYears = 4;

/// Totals of one (sector, size class) cell in one month. Counts are exact integers so
/// the accounting identities hold exactly; money is USD per month (stocks at month end).
struct CellTotals {
  std::int64_t active = 0;           ///< firms alive at month end
  std::int64_t entered = 0;          ///< births this month
  std::int64_t exits_illiquid = 0;   ///< failures: cannot pay, or closed beyond the owner's horizon or debts
  std::int64_t exits_closure = 0;    ///< of which temporarily closed firms closing for good
  std::int64_t exits_other = 0;      ///< exogenous exits
  std::int64_t distressed = 0;       ///< live firms short of cash after credit this month
  std::int64_t closed = 0;           ///< live firms temporarily closed at month end
  std::int64_t short_hours = 0;      ///< live open firms on short hours at month end
  std::int64_t cut_hours_ytd = 0;    ///< live firms that cut hours since the last year end
  std::int64_t laid_off_ytd = 0;     ///< live firms that laid workers off since the last year end
  std::int64_t closed_ytd = 0;       ///< live firms closed temporarily since the last year end
  std::int64_t closed_long_ytd = 0;  ///< of which closed in more than three months of it
  std::int64_t adjusted_ytd = 0;     ///< live firms that cut hours or closed temporarily since the last year end
  std::int64_t initial_alive = 0;    ///< live firms of the initial cohort
  /// Live firms whose age is exactly 12, 24, 36 and 48 months at month end: after a
  /// burn-in of 48 months or more, the survivors of the entrants of 1-4 years before.
  std::int64_t aged_years[kSurvivalYears] = {};
  std::int64_t employment = 0;         ///< workers at month end (furloughed included)
  double employment_fte = 0;           ///< hours worked at month end, full-time equivalents
  std::int64_t jobs_created = 0;       ///< hires, and the staff of entrants
  std::int64_t jobs_destroyed = 0;     ///< separations, and the staff of exiting firms
  std::int64_t year_ago_of_exits = 0;  ///< staff at the last year end of firms that exited
  std::int64_t annual_created = 0;     ///< Davis-Haltiwanger creation, set at year ends
  std::int64_t annual_destroyed = 0;   ///< Davis-Haltiwanger destruction (continuers), at year ends
  double revenue = 0;                  ///< USD this month
  double wage_bill = 0;                ///< USD this month
  double cash = 0;                     ///< USD at month end, live firms
  double debt = 0;                     ///< USD at month end, live firms
  double arrears = 0;                  ///< unpaid rent and supplier bills, USD at month end, live firms
  double owner_injections = 0;         ///< owners' own money put into firms, USD this month
  double revenue_drop = 0;             ///< sum over live firms of 1 - revenue / normal revenue, this month
  double contract_revenue = 0;         ///< programme contract payments received, USD
  PolicyTotals policy;                 ///< stimulus policy money (model/policies.hpp)

  CellTotals& operator+=(const CellTotals& o);
};

/// The cells of one city, indexed sector * kSizeClasses + size class.
using CityTotals = std::vector<CellTotals>;

/// Adds `from` into `into` cell by cell (same layout).
void accumulate(CityTotals& into, const CityTotals& from);

}  // namespace smesim
