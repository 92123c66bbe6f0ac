// Entry: births replace exits in burn-in and follow demand afterwards.
#include <catch2/catch.hpp>
#include <map>

#include "smesim/model/entry.hpp"
#include "smesim/model/firm_kernel.hpp"
#include "smesim/model/population.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

struct Fixture {
  Scenario sc = parse_scenario(test::small_scenario(), "s.toml", {"simulation.burn_in_months=0"});
  CityEconomy city{sc, 0};
  RandomKey key{7, 0};
  FirmTable table;
  Fixture() { synthesise_population(table, sc, city, key); }

  /// Stocks of the live firms, as the kernel leaves them before entry.
  CityTotals stocks(const FirmTable& t) const {
    CityTotals totals(sc.sectors.size() * kSizeClasses);
    add_stocks(t, sc.size_classes, city.initial_firms, 0, t.size(), totals);
    return totals;
  }
  /// Births over months 0-11 with the demand index `d` in every sector.
  std::size_t births(double d) const {
    FirmTable t = table;
    Entry entry(sc, city);
    SectorConditions conditions = sector_conditions(sc, 0.0);
    std::fill(conditions.demand.begin(), conditions.demand.end(), d);
    std::uint32_t next_uid = city.initial_firms;
    for (int month = 0; month < 12; ++month) {
      CityTotals totals = stocks(t);
      entry.enter(t, key, month, conditions, city.initial_firms, next_uid, totals);
    }
    return t.size() - table.size();
  }
};

}  // namespace

TEST_CASE("births grow with demand and are zero at zero demand") {
  const Fixture f;
  const std::size_t none = f.births(0.0), low = f.births(0.5), normal = f.births(1.0), high = f.births(2.0);
  INFO("births over 12 months at D = 0, 0.5, 1, 2: " << none << ", " << low << ", " << normal << ", " << high);
  CHECK(none == 0);
  CHECK(low > 0);
  CHECK(low < normal);
  CHECK(normal < high);
  // At D = 1 with the firm count of month 0 the mean is the steady-state rate, the
  // exit hazard times the firms: about 2000 x 0.8% a month.
  double expected = 0;
  for (std::size_t s = 0; s < f.sc.sectors.size(); ++s)
    expected += 12 * f.city.sectors[s].exit_hazard * f.city.initial_firms * f.sc.cities[0].sector_shares[s];
  CHECK(std::abs(static_cast<double>(normal) - expected) < 5 * std::sqrt(expected));
}

TEST_CASE("in burn-in every exit is replaced by an entrant of its sector, with consecutive uids") {
  Fixture f;
  Entry entry(f.sc, f.city);
  CityTotals totals = f.stocks(f.table);
  for (std::size_t s = 0; s < f.sc.sectors.size(); ++s)
    totals[s * kSizeClasses].exits_other = static_cast<std::int64_t>(s);
  std::uint32_t next_uid = f.city.initial_firms;
  const std::size_t before = f.table.size();
  entry.enter(f.table, f.key, -3, sector_conditions(f.sc, 0.0), f.city.initial_firms, next_uid, totals);
  std::map<int, int> by_sector;
  for (std::size_t i = before; i < f.table.size(); ++i) {
    ++by_sector[f.table.sector[i]];
    CHECK(f.table.uid[i] == f.city.initial_firms + (i - before));
    CHECK(f.table.age[i] == 0);
  }
  for (std::size_t s = 0; s < f.sc.sectors.size(); ++s) CHECK(by_sector[static_cast<int>(s)] == static_cast<int>(s));
  CHECK(next_uid == f.city.initial_firms + f.table.size() - before);
  std::int64_t entered = 0;
  for (const CellTotals& c : totals) entered += c.entered;
  CHECK(entered == static_cast<std::int64_t>(f.table.size() - before));
}
