// The lane sums of the firm kernel (firm_pass.hpp): a block's lanes added to a city's
// totals.
#include "firm_pass.hpp"

namespace smesim {

void BlockLanes::add_to(CityTotals& out) const {
  for (std::size_t k = 0; k < slots_.size(); ++k) {
    CellTotals& cell = out[cells_[k]];
    const CellLanes& s = slots_[k];
    for (int l = 0; l < kLanes; ++l) {
      cell.active += s.count[kCountActive][l];
      cell.initial_alive += s.count[kCountInitialAlive][l];
      for (int y = 0; y < kSurvivalYears; ++y) cell.aged_years[y] += s.count[kCountAged + y][l];
      cell.employment += s.count[kCountEmployment][l];
      cell.closed += s.count[kCountClosed][l];
      cell.short_hours += s.count[kCountShortHours][l];
      cell.cut_hours_ytd += s.count[kCountCutHoursYtd][l];
      cell.laid_off_ytd += s.count[kCountLaidOffYtd][l];
      cell.closed_ytd += s.count[kCountClosedYtd][l];
      cell.closed_long_ytd += s.count[kCountClosedLongYtd][l];
      cell.adjusted_ytd += s.count[kCountAdjustedYtd][l];
      cell.distressed += s.count[kCountDistressed][l];
      cell.exits_illiquid += s.count[kCountExitsIlliquid][l];
      cell.exits_other += s.count[kCountExitsOther][l];
      cell.exits_closure += s.count[kCountExitsClosure][l];
      cell.jobs_created += s.count[kCountJobsCreated][l];
      cell.jobs_destroyed += s.count[kCountJobsDestroyed][l];
      cell.year_ago_of_exits += s.count[kCountYearAgoOfExits][l];
      cell.employment_fte += s.amount[kAmountFte][l];
      cell.revenue += s.amount[kAmountRevenue][l];
      cell.wage_bill += s.amount[kAmountWageBill][l];
      cell.cash += s.amount[kAmountCash][l];
      cell.debt += s.amount[kAmountDebt][l];
      cell.arrears += s.amount[kAmountArrears][l];
      cell.owner_injections += s.amount[kAmountOwnerInjections][l];
      cell.revenue_drop += s.amount[kAmountRevenueDrop][l];
      cell.contract_revenue += s.amount[kAmountContractRevenue][l];
      cell.policy.wage_subsidy += s.amount[kAmountWageSubsidy][l];
      cell.policy.grants += s.amount[kAmountGrants][l];
      cell.policy.guaranteed_credit += s.amount[kAmountGuaranteed][l];
      cell.policy.interest_deferred += s.amount[kAmountInterestDeferred][l];
      cell.policy.firms_supported += s.amount[kAmountFirmsSupported][l];
      cell.policy.firms_not_reached += s.amount[kAmountFirmsNotReached][l];
    }
  }
}

}  // namespace smesim
