// MODEL.md step 4: births per city and sector.
#pragma once

#include <cstdint>
#include <vector>

#include "smesim/core/rng.hpp"
#include "smesim/model/aggregates.hpp"
#include "smesim/model/city_economy.hpp"
#include "smesim/model/environment.hpp"
#include "smesim/model/firm_table.hpp"

namespace smesim {

/// Births of one city. "Entry rate = exit rate at steady state" (MODEL.md) is made
/// operational: during burn-in every exit is replaced by an entrant of the same sector
/// in the same month, so the firm count per sector holds still while the population
/// settles; the births base of each sector is then the mean monthly exits of the last
/// `kWindowMonths` burn-in months. From month 0, births ~ Poisson(base x max(D x N0 / N,
/// 0)^eta): entry follows demand per incumbent firm (N firms in the sector now, N0 at the
/// end of burn-in), so a sector that grows beyond its demand draws fewer entrants and
/// one thinned by failures draws more. Without the N0 / N term, induced demand makes
/// entry self-reinforcing (more firms, larger wage bill, higher D, more entry) and the
/// firm count of a small city can run away.
class Entry {
 public:
  /// Burn-in months over which the births base is measured.
  static constexpr int kWindowMonths = 24;

  Entry(const Scenario& scenario, const CityEconomy& city);

  /// Adds this month's entrants to `table` and their counts, jobs and stocks to
  /// `totals` (which already holds this month's exits). `next_uid` is the city's next id.
  void enter(FirmTable& table, const RandomKey& key, int month, const SectorConditions& conditions,
             std::uint32_t cohort_end, std::uint32_t& next_uid, CityTotals& totals);

 private:
  /// Burn-in: adds this month's exits to the measuring window; at month -1 sets the
  /// births base and the incumbents N0.
  void measure_base(int month, const CityTotals& totals);
  /// Births per sector this month (sets births_end_); returns their total.
  std::size_t count_births(const RandomKey& key, int month, const SectorConditions& conditions,
                           const CityTotals& totals);

  const Scenario& scenario_;
  const CityEconomy& city_;
  std::vector<double> base_;        // births per month at D = 1, per sector
  std::vector<double> incumbents_;  // N0: firms per sector after the exits of month -1
  std::vector<double> window_;      // exits summed over the measuring window, per sector
  int window_months_ = 0;
  std::vector<std::size_t> births_end_;  // this month's entrants of sectors 0..s, scratch
};

}  // namespace smesim
