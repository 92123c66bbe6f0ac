// MODEL.md step 4: births per city and sector.
#include "smesim/model/entry.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

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

void Entry::enter(FirmTable& table, const RandomKey& key, int month, const SectorConditions& conditions,
                  std::uint32_t cohort_end, std::uint32_t& next_uid, CityTotals& totals) {
  const std::size_t sectors = base_.size();
  const std::size_t first_new = table.size();
  auto sum = [&](std::size_t s, auto field) {  // over the size classes of sector s
    std::int64_t n = 0;
    for (int k = 0; k < kSizeClasses; ++k) n += field(totals[s * kSizeClasses + k]);
    return n;
  };
  auto exits = [&](std::size_t s) {
    return sum(s, [](const CellTotals& c) { return c.exits_illiquid + c.exits_other; });
  };
  auto active = [&](std::size_t s) { return sum(s, [](const CellTotals& c) { return c.active; }); };

  const bool burn_in = month < 0;
  if (burn_in && month >= -kWindowMonths) {
    for (std::size_t s = 0; s < sectors; ++s) window_[s] += static_cast<double>(exits(s));
    ++window_months_;
    if (month == -1)
      for (std::size_t s = 0; s < sectors; ++s) {
        base_[s] = window_[s] / window_months_;
        incumbents_[s] = static_cast<double>(active(s));
      }
  }

  // Births per sector; entrants are appended sector by sector with consecutive ids.
  std::size_t births = 0;
  for (std::size_t s = 0; s < sectors; ++s) {
    std::int64_t n = exits(s);
    if (!burn_in) {
      const double per_firm =
          conditions.demand[s] * incumbents_[s] / static_cast<double>(std::max<std::int64_t>(active(s), 1));
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
  // Every entrant's draws are keyed by its own id: draw them in parallel, in place.
  table.resize(first_new + births);
  const std::uint32_t first_uid = next_uid;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, births, 256), [&](const tbb::blocked_range<std::size_t>& r) {
    std::size_t s = static_cast<std::size_t>(std::upper_bound(births_end_.begin(), births_end_.end(), r.begin()) -
                                             births_end_.begin());
    for (std::size_t b = r.begin(); b != r.end(); ++b) {
      while (b >= births_end_[s]) ++s;
      draw_entrant(table, first_new + b, scenario_, city_, key, first_uid + static_cast<std::uint32_t>(b),
                   static_cast<int>(s), month);
    }
  });
  next_uid += static_cast<std::uint32_t>(births);

  for (std::size_t i = first_new; i < table.size(); ++i) {
    CellTotals& cell =
        totals[table.sector[i] * kSizeClasses + size_class_of(scenario_.size_classes, table.normal_size[i])];
    cell.entered += 1;
    cell.jobs_created += table.employees[i];
  }
  add_stocks(table, scenario_.size_classes, cohort_end, first_new, table.size(), totals);
}

}  // namespace smesim
