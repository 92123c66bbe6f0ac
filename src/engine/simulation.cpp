// One replication: synthesise the population, burn in, then step month by month.
#include "smesim/engine/simulation.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <optional>

#include "smesim/model/environment.hpp"
#include "smesim/model/hazards.hpp"
#include "smesim/model/policies.hpp"
#include "smesim/model/firm_kernel.hpp"
#include "smesim/model/population.hpp"

namespace smesim {

/// The mutable state of one city.
struct Simulation::CityState {
  CityState(const Scenario& sc, int index)
      : economy(sc, index),
        entry(sc, economy),
        hazards(sc, index),
        programme(sc, index),
        year_exits(sc.sectors.size() * kSizeClasses),
        baseline_output(sc.sectors.size(), 0.0),
        last_payments(sc.sectors.size(), 0.0),
        resilience(sc.cities[index].resilience) {}
  CityEconomy economy;
  Entry entry;
  HazardProcess hazards;
  ProgrammeState programme;
  std::optional<LocalDemand> local_demand;  // built at month 0 from the burn-in baseline
  FirmTable firms;
  std::uint32_t next_uid = 0;
  std::uint32_t cohort_end = 0;           // uids below were alive at month 0
  std::vector<std::uint32_t> cohort_uids; // uids alive at month 0 (only for snapshots)
  std::size_t dead = 0;                   // dead firms not yet compacted away
  std::vector<std::int64_t> year_exits;   // year-ago staff of this year's exits, per cell
  std::vector<CityTotals> block_totals;   // the kernel's per-block partial sums, reused
  std::vector<double> baseline_output;    // revenue per sector, summed over the baseline window
  double baseline_wage_bill = 0;          // summed over the baseline window
  int baseline_months = 0;
  std::vector<double> last_payments;      // programme payments last month, per sector
  double last_wage_bill = 0;
  double resilience;                      // R in [0, 1]
};

Simulation::Simulation(std::shared_ptr<const Scenario> scenario, int replication, bool snapshots)
    : scenario_(std::move(scenario)),
      replication_(replication),
      snapshots_(snapshots),
      key_(static_cast<std::uint32_t>(scenario_->simulation.seed), static_cast<std::uint32_t>(replication)) {
  for (std::size_t c = 0; c < scenario_->cities.size(); ++c) {
    auto city = std::make_unique<CityState>(*scenario_, static_cast<int>(c));
    // Room for entrants and for dead firms not yet compacted (at most an eighth), so the
    // arrays rarely grow (a vector grows by doubling).
    city->firms.reserve(city->economy.initial_firms + city->economy.initial_firms / 4);
    synthesise_population(city->firms, *scenario_, city->economy, key_);
    city->next_uid = city->economy.initial_firms;
    cities_.push_back(std::move(city));
  }
}

Simulation::~Simulation() = default;

const FirmTable& Simulation::firms(int c) const { return cities_[c]->firms; }

std::optional<ReplicationResult> Simulation::run(const std::atomic<bool>* stop) {
  ReplicationResult out;
  out.replication = replication_;
  const Scenario& sc = *scenario_;
  for (int t = -sc.simulation.burn_in_months; t < sc.simulation.months; ++t) {
    if (stop && stop->load(std::memory_order_relaxed)) return std::nullopt;
    step(t, out);
  }
  for (const auto& city : cities_) out.contracts.push_back(city->programme.contracts());
  return out;
}

void Simulation::step(int month, ReplicationResult& out) {
  if (month == 0) {
    // The state at the end of burn-in: the baseline every reported change is measured against.
    out.baseline.assign(cities_.size(), CityTotals(scenario_->sectors.size() * kSizeClasses));
    for (std::size_t c = 0; c < cities_.size(); ++c) {
      CityState& city = *cities_[c];
      city.cohort_end = city.next_uid;
      if (snapshots_)
        for (std::size_t i = 0; i < city.firms.size(); ++i)
          if (city.firms.alive[i]) city.cohort_uids.push_back(city.firms.uid[i]);
      // The first Davis-Haltiwanger year starts here, whatever the burn-in length.
      CityTotals scratch(out.baseline[c].size());
      close_year(city.firms, scenario_->size_classes, scratch);
      std::fill(city.year_exits.begin(), city.year_exits.end(), 0);
      add_stocks(city.firms, scenario_->size_classes, city.cohort_end, 0, city.firms.size(), out.baseline[c]);
    }
  }
  std::vector<CityMonth> records(cities_.size());
  // Cities are independent economies within a month: run them side by side.
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(std::size_t{0}, cities_.size(), [&](std::size_t c) { step_city(*cities_[c], month, records[c]); });
  });
  if (month >= 0) out.months.push_back(std::move(records));
  if (snapshots_ && month >= 0) snapshot(month, out);
}

void Simulation::snapshot(int month, ReplicationResult& out) const {
  const Scenario& sc = *scenario_;
  std::vector<YearMonth> months = sc.simulation.firm_snapshot_months;
  if (months.empty()) months = {sc.simulation.start, sc.simulation.start.plus(sc.simulation.months - 1)};
  if (std::find(months.begin(), months.end(), sc.simulation.start.plus(month)) == months.end()) return;
  for (std::size_t c = 0; c < cities_.size(); ++c) {
    const CityState& city = *cities_[c];
    const FirmTable& t = city.firms;
    // Every firm alive at month 0 or born since, in uid order; exits are listed as dead.
    std::vector<std::uint32_t> uids = city.cohort_uids;
    for (std::uint32_t uid = city.cohort_end; uid < city.next_uid; ++uid) uids.push_back(uid);
    for (std::uint32_t uid : uids) {
      FirmRecord r{month, static_cast<int>(c), uid};
      const std::size_t i = t.find(uid);
      if (i < t.size() && t.alive[i]) {
        r.alive = true, r.sector = t.sector[i], r.size_class = size_class_of(sc.size_classes, t.normal_size[i]);
        r.employees = t.employees[i], r.cash = t.cash[i], r.debt = t.debt[i];
        r.contract = t.flags[i] & FirmTable::kHasContract, r.assisted = t.flags[i] & FirmTable::kAssisted;
      }
      out.firms.push_back(r);
    }
  }
}

void Simulation::step_city(CityState& city, int month, CityMonth& record) {
  const Scenario& sc = *scenario_;
  const int c = city.economy.index;
  SectorConditions conditions;
  environment(city, month, record, conditions);                        // 1. environment and hazards
  demand(city, month, conditions, record);                             // 2. local demand
  const PolicyMonth policy = policies_in(sc, c, month);                // 5. policies in force
  const auto& plan = city.programme.month_plan(month);
  record.cells = step_firms(city.firms, {sc, city.economy, conditions, key_, month, city.cohort_end, policy, plan},
                            city.block_totals);  // 3.
  for (std::size_t i = 0; i < record.cells.size(); ++i) {
    city.year_exits[i] += record.cells[i].year_ago_of_exits;
    city.dead += record.cells[i].exits_illiquid + record.cells[i].exits_other;
  }
  if (city.dead * 8 > city.firms.size()) {  // 4. entry, after dropping dead firms once they are an eighth
    city.firms.compact();
    city.dead = 0;
  }
  city.entry.enter(city.firms, key_, month, conditions, city.cohort_end, city.next_uid, record.cells);
  record.programme = city.programme.settle(month, city.firms, city.economy, key_, record.cells);  // 6.
  if (month >= 0)  // R0 holds through burn-in and is the value at month 0
    city.resilience = std::clamp(city.resilience * (1.0 - sc.resilience.decay) + record.programme.resilience_gain, 0.0, 1.0);
  record.resilience = city.resilience;
  city.last_payments = record.programme.payments_by_sector;
  city.last_wage_bill = 0;
  for (const CellTotals& cell : record.cells) city.last_wage_bill += cell.wage_bill;
  record_baseline(city, month, record);
  // 8. Aggregates: a Davis-Haltiwanger year closes at the end of every 12th reported month.
  if (month >= 0 && (month + 1) % 12 == 0) {
    close_year(city.firms, sc.size_classes, record.cells);
    for (std::size_t i = 0; i < record.cells.size(); ++i) {
      record.cells[i].annual_destroyed += city.year_exits[i];
      city.year_exits[i] = 0;
    }
    record.year_end = true;
  }
}

void Simulation::environment(CityState& city, int month, CityMonth& record, SectorConditions& conditions) {
  const Scenario& sc = *scenario_;
  record.stringency = stringency(sc.cities[city.economy.index], sc.simulation.start, month);
  conditions = sector_conditions(sc, record.stringency, city.resilience);
  const double protection = 1.0 - sc.resilience.hazard_protection * city.resilience;
  record.hazard_hit = city.hazards.advance(key_, month);
  if (record.hazard_hit) record.cash_destroyed = city.hazards.damage_cash(city.firms, key_, month, protection);
  record.hazard_active = city.hazards.active();
  city.hazards.add_demand_shock(conditions.demand_shock, protection);
}

void Simulation::demand(CityState& city, int month, SectorConditions& conditions, CityMonth& record) {
  const Scenario& sc = *scenario_;
  if (month == 0) {
    // The baseline economy: mean monthly revenue and wage bill over the last burn-in
    // months (or the firms' normal revenue and wages without a burn-in).
    std::vector<double> output = city.baseline_output;
    double wages = city.baseline_wage_bill;
    if (city.baseline_months == 0) {
      const FirmTable& t = city.firms;
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (!t.alive[i]) continue;
        output[t.sector[i]] += t.normal_size[i] * city.economy.sectors[t.sector[i]].revenue_per_worker * t.productivity[i];
        wages += t.employees[i] * static_cast<double>(t.wage[i]);
      }
      city.baseline_months = 1;
    }
    for (double& x : output) x /= city.baseline_months;
    city.baseline_wage_bill = wages / city.baseline_months;
    std::vector<double> consumption;
    for (const Sector& s : sc.sectors) consumption.push_back(s.consumption_share);
    const City& c = sc.cities[city.economy.index];
    city.local_demand.emplace(c.id, output, c.input_output, sc.demand.max_intermediate_share, consumption,
                              sc.demand.household_mpc);
    city.last_wage_bill = city.baseline_wage_bill;
  }
  if (city.local_demand) {
    record.demand = city.local_demand->demand(conditions.demand_shock, city.last_payments,
                                              city.baseline_wage_bill - city.last_wage_bill);
    conditions.demand = record.demand.index;
  } else {
    record.demand.index = conditions.demand;
  }
}

void Simulation::record_baseline(CityState& city, int month, const CityMonth& record) {
  if (month < -12 || month >= 0) return;
  for (std::size_t s = 0; s < city.baseline_output.size(); ++s)
    for (int k = 0; k < kSizeClasses; ++k) city.baseline_output[s] += record.cells[s * kSizeClasses + k].revenue;
  city.baseline_wage_bill += city.last_wage_bill;
  ++city.baseline_months;
}

}  // namespace smesim
