// MODEL.md step 2 over a run: the baseline economy and last month's feedback into demand.
#include "smesim/model/local_economy.hpp"

namespace smesim {

LocalEconomy::LocalEconomy(const Scenario& sc, int city)
    : scenario_(sc), city_(city), baseline_output_(sc.sectors.size(), 0.0), last_payments_(sc.sectors.size(), 0.0) {}

void LocalEconomy::build(const FirmTable& t, const CityEconomy& economy) {
  std::vector<double> output = baseline_output_;
  double wages = baseline_wage_bill_;
  if (baseline_months_ == 0) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!t.alive(i)) continue;
      // Not n x revenue_capacity(theta): (n x a) x theta rounds differently, and the
      // baseline of a run without burn-in must keep its bits.
      output[t.sector[i]] += t.normal_size[i] * economy.sectors[t.sector[i]].revenue_per_worker * t.productivity[i];
      wages += t.employees[i] * static_cast<double>(t.wage[i]);
    }
    baseline_months_ = 1;
  }
  for (double& x : output) x /= baseline_months_;
  baseline_wage_bill_ = wages / baseline_months_;
  std::vector<double> consumption;
  for (const Sector& s : scenario_.sectors) consumption.push_back(s.consumption_share);
  const City& c = scenario_.cities[city_];
  local_demand_.emplace(c.id, output, c.input_output, scenario_.demand.max_intermediate_share, consumption,
                        scenario_.demand.household_mpc);
  last_wage_bill_ = baseline_wage_bill_;
}

DemandParts LocalEconomy::demand(SectorConditions& conditions) const {
  DemandParts out;
  if (local_demand_) {
    out = local_demand_->demand(conditions.demand_shock, last_payments_, baseline_wage_bill_ - last_wage_bill_);
    conditions.demand = out.index;
  } else {
    out.index = conditions.demand;
  }
  return out;
}

void LocalEconomy::remember(int month, const CityTotals& cells, const std::vector<double>& payments) {
  last_payments_ = payments;
  last_wage_bill_ = 0;
  for (const CellTotals& cell : cells) last_wage_bill_ += cell.wage_bill;
  if (month < -kWindowMonths || month >= 0) return;
  for (std::size_t s = 0; s < baseline_output_.size(); ++s)
    for (int k = 0; k < kSizeClasses; ++k) baseline_output_[s] += cells[s * kSizeClasses + k].revenue;
  baseline_wage_bill_ += last_wage_bill_;
  ++baseline_months_;
}

}  // namespace smesim
