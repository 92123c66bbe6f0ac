// One city's model: its state and the monthly step, phase by phase.
#include "smesim/model/city_model.hpp"

#include <algorithm>

#include "smesim/model/environment.hpp"
#include "smesim/model/firm_kernel.hpp"
#include "smesim/model/population.hpp"

namespace smesim {

CityModel::CityModel(const Scenario& sc, int city, const RandomKey& key, CityModelOptions options)
    : scenario_(sc),
      key_(key),
      economy_(sc, city),
      entry_(sc, economy_),
      hazards_(sc, city),
      programme_(sc, city),
      local_economy_(sc, city),
      resilience_(sc.cities[city].resilience),
      keep_cohort_(options.keep_cohort),
      clock_(options.profile) {
  books_.year_exits.assign(sc.sectors.size() * kSizeClasses, 0);
  clock_.run(Phase::kPopulation, [&] {
    // Room for entrants and for dead firms not yet compacted (at most an eighth), so the
    // arrays rarely grow (a vector grows by doubling).
    firms_.reserve(economy_.initial_firms + economy_.initial_firms / 4);
    synthesise_population(firms_, sc, economy_, key_);
  });
  next_uid_ = economy_.initial_firms;
}

// The phases in the order they run; docs/ODD.md section 3 lists the same order, and
// every phase that draws random numbers, moves firms or sums floating point must keep it.
void CityModel::step(int month, CityMonth& record) {
  SectorConditions conditions;
  PolicyMonth policy;
  ProgrammeMonth& programme = record.programme;
  clock_.new_month();
  if (month == 0) clock_.run(Phase::kOpenReporting, [&] { open_reporting(); });
  clock_.run(Phase::kEnvironment, [&] { conditions = environment(month); });
  clock_.run(Phase::kHazards, [&] { strike_hazards(month, conditions, record); });
  clock_.run(Phase::kLocalDemand, [&] { local_demand(month, conditions, record); });
  clock_.run(Phase::kPolicies, [&] { policy = policies_in(scenario_, economy_.index, month); });
  clock_.run(Phase::kFirms, [&] { advance_firms(month, conditions, policy, record); });
  clock_.run(Phase::kCompaction, [&] { compact(); });
  clock_.run(Phase::kEntry,
             [&] { entry_.enter(firms_, key_, month, conditions, books_.cohort_end, next_uid_, record.cells); });
  clock_.run(Phase::kContracts, [&] {
    programme = programme_.open_month();
    programme_.pay_and_deliver(month, firms_, programme);
  });
  clock_.run(Phase::kAssistance, [&] { programme_.give_assistance(month, firms_, key_, programme); });
  clock_.run(Phase::kCalls, [&] { programme_.run_calls(month, firms_, economy_, key_, record.cells, programme); });
  clock_.run(Phase::kProgrammeTotals, [&] { programme_.close_month(programme); });
  clock_.run(Phase::kResilience, [&] { update_resilience(month, record); });
  clock_.run(Phase::kDemandFeedback,
             [&] { local_economy_.remember(month, record.cells, programme.payments_by_sector); });
  clock_.run(Phase::kYearEnd, [&] { close_year_if_due(month, record); });
}

/// Month 0, before anything else: the stocks at the end of burn-in (the baseline every
/// reported change is measured against), the initial cohort, and the first
/// Davis-Haltiwanger year, which starts here whatever the burn-in length.
void CityModel::open_reporting() {
  books_.cohort_end = next_uid_;
  if (keep_cohort_)
    for (std::size_t i = 0; i < firms_.size(); ++i)
      if (firms_.alive(i)) books_.cohort_uids.push_back(firms_.uid[i]);
  std::sort(books_.cohort_uids.begin(), books_.cohort_uids.end());  // positions are in cell-major order
  books_.baseline.assign(scenario_.sectors.size() * kSizeClasses, CellTotals{});
  CityTotals scratch(books_.baseline.size());
  close_year(firms_, scenario_.size_classes, scratch);
  std::fill(books_.year_exits.begin(), books_.year_exits.end(), 0);
  add_stocks(firms_, scenario_.size_classes, books_.cohort_end, 0, firms_.size(), books_.baseline);
}

/// Stringency from the waves and the real series, then the pandemic shocks, damped by last month's R.
SectorConditions CityModel::environment(int month) const {
  const double s = stringency(scenario_, economy_.index, month);
  return sector_conditions(scenario_, s, resilience_);
}

/// Whether a hazard strikes (drawn per city and month); a strike destroys cash at once,
/// and while the hazard lasts its demand shock adds to g. R protects against both.
void CityModel::strike_hazards(int month, SectorConditions& conditions, CityMonth& record) {
  const double protection = 1.0 - scenario_.resilience.hazard_protection * resilience_;
  record.hazard_hit = hazards_.advance(key_, month);
  if (record.hazard_hit) record.cash_destroyed = hazards_.damage_cash(firms_, key_, month, protection);
  record.hazard_active = hazards_.active();
  hazards_.add_demand_shock(conditions.demand_shock, protection);
}

/// At month 0 the input-output model is built from the baseline; from then on it sets D.
void CityModel::local_demand(int month, SectorConditions& conditions, CityMonth& record) {
  if (month == 0) local_economy_.build(firms_, economy_);
  record.demand = local_economy_.demand(conditions);
}

/// The contract payments and staff due this month, then the firm kernel; its exits go
/// to the Davis-Haltiwanger record and the count of dead rows.
void CityModel::advance_firms(int month, const SectorConditions& conditions, const PolicyMonth& policy,
                              CityMonth& record) {
  const std::vector<ContractMonth>& plan = programme_.month_plan(month);
  record.cells = step_firms(firms_, {scenario_, economy_, conditions, key_, month, books_.cohort_end, policy, plan},
                            books_.block_totals);
  for (std::size_t i = 0; i < record.cells.size(); ++i) {
    books_.year_exits[i] += record.cells[i].year_ago_of_exits;
    books_.dead += record.cells[i].exits_illiquid + record.cells[i].exits_other;
  }
}

/// Drops dead firms and sorts the tail of entrants into their cells once either is an
/// eighth of the table. Positions change, and with them the order of the kernel's sums:
/// a deterministic function of the run, like every other step.
void CityModel::compact() {
  if (books_.dead * 8 <= firms_.size() && firms_.tail() * 8 <= firms_.size()) return;
  firms_.compact(scenario_.size_classes);
  books_.dead = 0;
}

/// R decays and gains from the contracts that ended; R0 holds through burn-in and is the
/// value at the start of month 0.
void CityModel::update_resilience(int month, CityMonth& record) {
  if (month >= 0)
    resilience_ =
        std::clamp(resilience_ * (1.0 - scenario_.resilience.decay) + record.programme.resilience_gain, 0.0, 1.0);
  record.resilience = resilience_;
}

/// A Davis-Haltiwanger year closes at the end of every 12th reported month.
void CityModel::close_year_if_due(int month, CityMonth& record) {
  if (month < 0 || (month + 1) % 12 != 0) return;
  close_year(firms_, scenario_.size_classes, record.cells);
  for (std::size_t i = 0; i < record.cells.size(); ++i) {
    record.cells[i].annual_destroyed += books_.year_exits[i];
    books_.year_exits[i] = 0;
  }
  record.year_end = true;
}

}  // namespace smesim
