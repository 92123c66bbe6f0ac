// One replication: synthesise the population, burn in, then step month by month.
#include "smesim/engine/simulation.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>

#include "smesim/model/environment.hpp"
#include "smesim/model/firm_kernel.hpp"
#include "smesim/model/population.hpp"

namespace smesim {

/// The mutable state of one city.
struct Simulation::CityState {
  CityState(const Scenario& sc, int index)
      : economy(sc, index), entry(sc, economy), year_exits(sc.sectors.size() * kSizeClasses) {}
  CityEconomy economy;
  Entry entry;
  FirmTable firms;
  std::uint32_t next_uid = 0;
  std::uint32_t cohort_end = 0;           // uids below were alive at month 0
  std::size_t dead = 0;                   // dead firms not yet compacted away
  std::vector<std::int64_t> year_exits;   // year-ago staff of this year's exits, per cell
};

Simulation::Simulation(std::shared_ptr<const Scenario> scenario, int replication)
    : scenario_(std::move(scenario)),
      replication_(replication),
      key_(static_cast<std::uint32_t>(scenario_->simulation.seed), static_cast<std::uint32_t>(replication)) {
  for (std::size_t c = 0; c < scenario_->cities.size(); ++c) {
    auto city = std::make_unique<CityState>(*scenario_, static_cast<int>(c));
    city->firms.uid.reserve(city->economy.initial_firms + city->economy.initial_firms / 4);
    synthesise_population(city->firms, *scenario_, city->economy, key_);
    city->next_uid = city->economy.initial_firms;
    cities_.push_back(std::move(city));
  }
}

Simulation::~Simulation() = default;

const FirmTable& Simulation::firms(int c) const { return cities_[c]->firms; }

ReplicationResult Simulation::run(const std::function<void(int)>& on_month) {
  ReplicationResult out;
  out.replication = replication_;
  const Scenario& sc = *scenario_;
  for (int t = -sc.simulation.burn_in_months; t < sc.simulation.months; ++t) {
    step(t, out);
    if (t >= 0 && on_month) on_month(t);
  }
  return out;
}

void Simulation::step(int month, ReplicationResult& out) {
  if (month == 0) {
    // The state at the end of burn-in: the baseline every reported change is measured against.
    out.baseline.assign(cities_.size(), CityTotals(scenario_->sectors.size() * kSizeClasses));
    for (std::size_t c = 0; c < cities_.size(); ++c) {
      CityState& city = *cities_[c];
      city.cohort_end = city.next_uid;
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
}

void Simulation::step_city(CityState& city, int month, CityMonth& record) {
  const Scenario& sc = *scenario_;
  // 1. Environment and 2. demand.
  record.stringency = stringency(sc.cities[city.economy.index], sc.simulation.start, month);
  const SectorConditions conditions = sector_conditions(sc, record.stringency);
  record.demand = conditions.demand;
  // 3. Firms.
  record.cells = step_firms(city.firms, {sc, city.economy, conditions, key_, month, city.cohort_end});
  for (std::size_t i = 0; i < record.cells.size(); ++i) {
    city.year_exits[i] += record.cells[i].year_ago_of_exits;
    city.dead += record.cells[i].exits_illiquid + record.cells[i].exits_other;
  }
  // 4. Entry, after dropping dead firms once they are an eighth of the table.
  if (city.dead * 8 > city.firms.size()) {
    city.firms.compact();
    city.dead = 0;
  }
  city.entry.enter(city.firms, key_, month, conditions, city.cohort_end, city.next_uid, record.cells);
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

}  // namespace smesim
