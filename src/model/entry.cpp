// MODEL.md step 4: births per city and sector.
#include "smesim/model/entry.hpp"

#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

#include "smesim/model/firm_kernel.hpp"
#include "smesim/model/population.hpp"

namespace smesim {

Entry::Entry(const Scenario& sc, const CityEconomy& city)
    : scenario_(sc),
      city_(city),
      base_(sc.sectors.size()),
      incumbents_(sc.sectors.size()),
      window_(sc.sectors.size()),
      births_end_(sc.sectors.size()) {
  // Without a burn-in, the base is the target exit hazard times the initial firms, and
  // the incumbents their expected number.
  const City& c = sc.cities[city.index];
  for (std::size_t s = 0; s < base_.size(); ++s) {
    incumbents_[s] = city.initial_firms * c.sector_shares[s];
    base_[s] = city.sectors[s].exit_hazard * incumbents_[s];
  }
}

namespace {

/// Sums `field` over the size classes of sector `s`.
template <class Field>
std::int64_t sector_sum(const CityTotals& totals, std::size_t s, Field field) {
  std::int64_t n = 0;
  for (int k = 0; k < kSizeClasses; ++k) n += field(totals[s * kSizeClasses + k]);
  return n;
}

std::int64_t sector_exits(const CityTotals& totals, std::size_t s) {
  return sector_sum(totals, s, [](const CellTotals& c) { return c.exits_illiquid + c.exits_other; });
}

std::int64_t sector_active(const CityTotals& totals, std::size_t s) {
  return sector_sum(totals, s, [](const CellTotals& c) { return c.active; });
}

}  // namespace

void Entry::enter(FirmTable& table, const RandomKey& key, int month, const SectorConditions& conditions,
                  std::uint32_t cohort_end, std::uint32_t& next_uid, CityTotals& totals) {
  if (month < 0 && month >= -kWindowMonths) measure_base(month, totals);
  const std::size_t first_new = table.size();
  const std::size_t births = count_births(key, month, conditions, totals);
  table.resize(first_new + births);
  draw_entrants(table, first_new, scenario_, city_, key, next_uid, month, births_end_);
  next_uid += static_cast<std::uint32_t>(births);
  for (std::size_t i = first_new; i < table.size(); ++i) {
    CellTotals& cell =
        totals[table.sector[i] * kSizeClasses + size_class_of(scenario_.size_classes, table.normal_size[i])];
    cell.entered += 1;
    cell.jobs_created += table.employees[i];
  }
  add_stocks(table, scenario_.size_classes, cohort_end, first_new, table.size(), totals);
}

void Entry::measure_base(int month, const CityTotals& totals) {
  for (std::size_t s = 0; s < base_.size(); ++s) window_[s] += static_cast<double>(sector_exits(totals, s));
  ++window_months_;
  if (month != -1) return;
  for (std::size_t s = 0; s < base_.size(); ++s) {
    base_[s] = window_[s] / window_months_;
    incumbents_[s] = static_cast<double>(sector_active(totals, s));
  }
}

std::size_t Entry::count_births(const RandomKey& key, int month, const SectorConditions& conditions,
                                const CityTotals& totals) {
  std::size_t births = 0;
  for (std::size_t s = 0; s < base_.size(); ++s) {
    std::int64_t n = sector_exits(totals, s);
    if (month >= 0) {
      const double per_firm = conditions.demand[s] * incumbents_[s] /
                              static_cast<double>(std::max<std::int64_t>(sector_active(totals, s), 1));
      const double mean = base_[s] * std::pow(std::max(per_firm, 0.0), scenario_.firms.entry_elasticity);
      n = 0;
      if (mean > 0) {
        Stream rng(key, {static_cast<std::uint32_t>(s), month, static_cast<std::uint32_t>(city_.index),
                         Purpose::kEntryCount, 0});
        n = boost::random::poisson_distribution<std::int64_t, double>(mean)(rng);
      }
    }
    births += static_cast<std::size_t>(n);
    births_end_[s] = births;
  }
  return births;
}

}  // namespace smesim
