// One replication: the cities' models stepped month by month, and what they report.
#include "smesim/engine/simulation.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>

#include "smesim/model/population.hpp"

namespace smesim {

Simulation::Simulation(std::shared_ptr<const Scenario> scenario, int replication, SimulationOptions options)
    : scenario_(std::move(scenario)), replication_(replication), options_(options) {
  const RandomKey key(static_cast<std::uint32_t>(scenario_->simulation.seed), static_cast<std::uint32_t>(replication));
  // Side by side, as in a month: a city's synthesis has serial parts (the counting sort
  // by cell, growing the table) that would leave the other threads idle. In a context
  // of its own, so that a replication cancelled around it (another one threw) still
  // builds every city: none is left missing for the run to trip over.
  cities_.resize(scenario_->cities.size());
  tbb::task_group_context own(tbb::task_group_context::isolated);
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(
        std::size_t{0}, cities_.size(),
        [&](std::size_t c) {
          cities_[c] = std::make_unique<CityModel>(*scenario_, static_cast<int>(c), key,
                                                   CityModelOptions{options_.snapshots, options_.profile});
        },
        own);
  });
}

Simulation::~Simulation() = default;

const FirmTable& Simulation::firms(int c) const { return cities_[c]->firms(); }

PhaseSeconds Simulation::phase_seconds() const {
  PhaseSeconds sum;
  for (const auto& city : cities_) sum += city->clock().seconds();
  return sum;
}

std::optional<ReplicationResult> Simulation::run(const std::atomic<bool>* stop) {
  ReplicationResult out;
  out.replication = replication_;
  const Scenario& sc = *scenario_;
  for (int t = -sc.simulation.burn_in_months; t < sc.simulation.months; ++t) {
    if (stop && stop->load(std::memory_order_relaxed)) return std::nullopt;
    step(t, out);
  }
  for (const auto& city : cities_) out.contracts.push_back(city->contracts());
  return out;
}

void Simulation::step(int month, ReplicationResult& out) {
  std::vector<CityMonth> records(cities_.size());
  // Cities are independent economies within a month: run them side by side.
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(std::size_t{0}, cities_.size(), [&](std::size_t c) { cities_[c]->step(month, records[c]); });
  });
  if (month == 0)
    for (const auto& city : cities_) out.baseline.push_back(city->books().baseline);
  if (month < 0) return;
  out.months.push_back(std::move(records));
  if (options_.snapshots) snapshot(month, out);
}

void Simulation::snapshot(int month, ReplicationResult& out) const {
  const Scenario& sc = *scenario_;
  std::vector<YearMonth> months = sc.simulation.firm_snapshot_months;
  if (months.empty()) months = {sc.simulation.start, sc.simulation.start.plus(sc.simulation.months - 1)};
  if (std::find(months.begin(), months.end(), sc.simulation.start.plus(month)) == months.end()) return;
  for (std::size_t c = 0; c < cities_.size(); ++c) {
    const CityModel& city = *cities_[c];
    const FirmTable& t = city.firms();
    // Every firm alive at month 0 or born since, in uid order; exits are listed as dead.
    std::vector<std::uint32_t> uids = city.books().cohort_uids;
    for (std::uint32_t uid = city.books().cohort_end; uid < city.next_uid(); ++uid) uids.push_back(uid);
    for (std::uint32_t uid : uids) {
      FirmRecord r{month, static_cast<int>(c), uid};
      const std::size_t i = t.find(uid);
      if (i < t.size() && t.alive(i)) {
        r.alive = true, r.sector = t.sector[i], r.size_class = size_class_of(sc.size_classes, t.normal_size[i]);
        r.employees = t.employees[i], r.cash = t.cash[i], r.debt = t.debt[i];
        r.contract = t.flags[i] & FirmTable::kHasContract, r.assisted = t.flags[i] & FirmTable::kAssisted;
      }
      out.firms.push_back(r);
    }
  }
}

}  // namespace smesim
