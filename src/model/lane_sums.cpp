// The lane sums of the firm kernel (firm_pass.hpp): a block's lanes added to a city's
// totals, and the month-end stocks of a range of firms in the same lanes (month 0's
// baseline, the entrants).
#include <algorithm>

#include "firm_pass.hpp"

// The lane helpers pass vectors by value, but all are inlined: no call crosses the ABI.
#pragma GCC diagnostic ignored "-Wpsabi"

#include "lanes.hpp"

namespace smesim {

using namespace lanes;

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

namespace {

SMESIM_LANES void add_stocks_body(const FirmTable& t, const SizeClassBounds& bounds, std::uint32_t initial_firms,
                                  std::size_t begin, std::size_t end, CityTotals& totals) {
  for (std::size_t block = begin; block < end; block += kBlockSize) {  // int32 lanes: as many firms as the kernel's
    BlockLanes sums(totals.size());
    for (std::size_t i = block; i < std::min(end, block + kBlockSize); i += kLanes) {
      const int m = static_cast<int>(std::min<std::size_t>(kLanes, end - i));
      const Ints flags = load(t.flags.data() + i, m);
      const Ints nstar = load(t.normal_size.data() + i, m);
      const Ints size_class = ones(nstar > bounds.micro_max) + ones(nstar > bounds.small_max);
      GroupSink sink = group_sink(load(t.sector.data() + i, m), size_class, m, sums);
      add_group_stocks(sink, (flags & FirmTable::kAlive) != 0, load(t.uid.data() + i, m) < initial_firms,
                       load(t.age.data() + i, m), load(t.employees.data() + i, m), load(t.cash.data() + i, m),
                       load(t.debt.data() + i, m), load(t.arrears.data() + i, m), load(t.closed_months.data() + i, m),
                       load(t.hours.data() + i, m), flags, load(t.closed_months_ytd.data() + i, m));
    }
    sums.add_to(totals);
  }
}

void add_stocks_x86_64(const FirmTable& t, const SizeClassBounds& bounds, std::uint32_t initial_firms,
                       std::size_t begin, std::size_t end, CityTotals& totals) {
  add_stocks_body(t, bounds, initial_firms, begin, end, totals);
}

__attribute__((target("avx2"))) void add_stocks_avx2(const FirmTable& t, const SizeClassBounds& bounds,
                                                     std::uint32_t initial_firms, std::size_t begin, std::size_t end,
                                                     CityTotals& totals) {
  add_stocks_body(t, bounds, initial_firms, begin, end, totals);
}

}  // namespace

// The AVX2 build where the CPU has it: the same bits (sums in the same lane order).
void add_stocks(const FirmTable& t, const SizeClassBounds& bounds, std::uint32_t initial_firms, std::size_t begin,
                std::size_t end, CityTotals& totals) {
  if (cpu_isa() >= Isa::kAvx2)
    add_stocks_avx2(t, bounds, initial_firms, begin, end, totals);
  else
    add_stocks_x86_64(t, bounds, initial_firms, begin, end, totals);
}

}  // namespace smesim
