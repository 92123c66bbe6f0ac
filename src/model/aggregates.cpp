// Monthly totals per (sector, size class) cell of a city.
#include "smesim/model/aggregates.hpp"

namespace smesim {

CellTotals& CellTotals::operator+=(const CellTotals& o) {
  active += o.active, entered += o.entered, exits_illiquid += o.exits_illiquid;
  exits_other += o.exits_other, distressed += o.distressed, initial_alive += o.initial_alive;
  employment += o.employment, jobs_created += o.jobs_created, jobs_destroyed += o.jobs_destroyed;
  year_ago_of_exits += o.year_ago_of_exits, annual_created += o.annual_created;
  annual_destroyed += o.annual_destroyed;
  exits_closure += o.exits_closure, closed += o.closed, short_hours += o.short_hours;
  cut_hours_ytd += o.cut_hours_ytd, laid_off_ytd += o.laid_off_ytd, closed_ytd += o.closed_ytd;
  closed_long_ytd += o.closed_long_ytd;
  adjusted_ytd += o.adjusted_ytd;
  employment_fte += o.employment_fte, arrears += o.arrears, owner_injections += o.owner_injections;
  revenue_drop += o.revenue_drop;
  for (int y = 0; y < kSurvivalYears; ++y) aged_years[y] += o.aged_years[y];
  revenue += o.revenue, wage_bill += o.wage_bill, cash += o.cash, debt += o.debt;
  contract_revenue += o.contract_revenue;
  policy += o.policy;
  return *this;
}

void accumulate(CityTotals& into, const CityTotals& from) {
  for (std::size_t i = 0; i < into.size(); ++i) into[i] += from[i];
}

}  // namespace smesim
