// How firms respond to a revenue shortfall (docs/ODD.md 7.3): temporary closure, hours
// before headcount, arrears, owners' funds and failure by solvency.
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <set>

#include "smesim/model/firm_kernel.hpp"
#include "smesim/model/population.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

/// One city of the small test scenario, with every response off unless a test turns it on.
struct Firms {
  Scenario sc = parse_scenario(test::small_scenario(), "s.toml");
  RandomKey key{7, 0};
  FirmTable table;
  PolicyMonth policy;
  std::vector<ContractMonth> contracts;
  int month = 0;

  explicit Firms(void (*setup)(FirmResponses&) = nullptr) {
    FirmResponses& r = sc.responses;
    r.hibernation = r.hours = r.deferral = r.owner_funds = false;
    if (setup) setup(r);
    synthesise_population(table, sc, CityEconomy(sc, 0), key);
  }
  /// One month at demand index `demand` in every sector (supply normal); the totals.
  CellTotals step(double demand) {
    SectorConditions c = sector_conditions(sc, 0.0);
    std::fill(c.demand.begin(), c.demand.end(), demand);
    const CityEconomy city(sc, 0);
    const CityTotals cells = step_firms(table, {sc, city, c, key, month++, 0, policy, contracts});
    CellTotals t;
    for (const auto& cell : cells) t += cell;
    return t;
  }
  /// One month of a lockdown order holding every sector to supply capacity `supply`
  /// (demand normal); the uids of the firms closed after it.
  std::set<std::uint32_t> ordered(double supply) {
    SectorConditions c = sector_conditions(sc, 0.0);
    std::fill(c.supply.begin(), c.supply.end(), supply);
    const CityEconomy city(sc, 0);
    step_firms(table, {sc, city, c, key, month++, 0, policy, contracts});
    std::set<std::uint32_t> out;
    for (std::size_t i = 0; i < table.size(); ++i)
      if (table.alive(i) && table.closed_months[i] > 0) out.insert(table.uid[i]);
    return out;
  }
  std::size_t closed() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < table.size(); ++i) n += table.alive(i) && table.closed_months[i] > 0;
    return n;
  }
};

}  // namespace

TEST_CASE("without demand, firms close temporarily, pay furlough and part of fixed costs, and reopen") {
  Firms f([](FirmResponses& r) { r.hibernation = true, r.furlough_pay_share = 0.25; });
  std::vector<double> full_wages(f.table.size());
  for (std::size_t i = 0; i < f.table.size(); ++i) full_wages[i] = f.table.employees[i] * double(f.table.wage[i]);
  const CellTotals shut = f.step(0.0);
  CHECK(shut.closed > 0.7 * shut.active);
  CHECK(shut.revenue == 0.0);
  double wages = 0;  // closed firms pay a quarter of their full wage bill, open ones all of it
  for (std::size_t i = 0; i < f.table.size(); ++i) wages += (f.table.closed_months[i] > 0 ? 0.25 : 1.0) * full_wages[i];
  CHECK(shut.wage_bill == Approx(wages).epsilon(1e-6));  // each firm's month in single precision
  CHECK(shut.employment_fte < 0.3 * shut.employment);    // furloughed workers count in headcount, not hours
  CHECK(shut.closed_ytd == shut.closed);
  for (int m = 0; m < 3; ++m) f.step(1.0);
  CHECK(f.closed() < 0.1 * f.table.size());  // demand is back: most reopen
}

TEST_CASE("a closure longer than the owner's horizon ends in exit") {
  Firms f([](FirmResponses& r) { r.hibernation = true, r.max_closure_months = 2, r.repay_months = 1e6; });
  std::int64_t closure_exits = 0;
  for (int m = 0; m < 4; ++m) closure_exits += f.step(0.0).exits_closure;
  CHECK(closure_exits > 0);
  for (std::size_t i = 0; i < f.table.size(); ++i)
    if (f.table.alive(i)) CHECK(f.table.closed_months[i] <= 2);
}

TEST_CASE("a lockdown order closes the share 1 - q; with turnover, not always the same firms") {
  const auto overlap = [](const std::set<std::uint32_t>& a, const std::set<std::uint32_t>& b) {
    std::size_t n = 0;
    for (auto uid : a) n += b.count(uid);
    return double(n) / double(a.size());
  };
  for (const double turnover : {0.0, 0.5}) {
    Firms f([](FirmResponses& r) { r.hibernation = true, r.max_closure_months = 100, r.repay_months = 1e6; });
    f.sc.responses.order_turnover = turnover;
    const auto first = f.ordered(0.4);
    const auto second = f.ordered(0.4);
    CAPTURE(turnover);
    CHECK(double(first.size()) / double(f.table.size()) == Approx(0.6).margin(0.06));
    CHECK(double(second.size()) / double(f.table.size()) == Approx(0.6).margin(0.06));
    if (turnover == 0.0) CHECK(overlap(first, second) > 0.99);  // the same firms, but for exits
    // Half redrawn: a redrawn firm is closed again with chance 0.6, so 0.5 + 0.5 * 0.6 stay.
    if (turnover == 0.5) CHECK(overlap(first, second) == Approx(0.8).margin(0.05));
  }
}

TEST_CASE("a firm's place in the lockdown order is its latest redraw within 36 months, else its fixed draw") {
  // The rule of docs/ODD.md 7.5, written out firm by firm; the kernel computes it for a
  // chunk of firms at once. With turnover 0.1, about 2% of firms fall back to their fixed
  // draw (0.9^36), so both paths are checked, over chunks of firms in several states.
  // The redraw and the new place are 16-bit uniforms from the month's firm-month call
  // (docs/ODD.md, section 4): the low 16 bits of word 3, the low bytes of words 1 and 0.
  const auto place = [](const RandomKey& key, std::uint32_t uid, int month, double turnover) {
    for (int back = 0; back < 36; ++back) {
      const Words w = key.words({uid, month - back, 0, Purpose::kFirmMonth, 0});
      if (((w[3] & 0xffffu) + 0.5 / 65536.0) / 65536.0 < turnover)
        return (((w[1] & 0xffu) << 8 | (w[0] & 0xffu)) + 0.5 / 65536.0) / 65536.0;
    }
    return to_unit(key.words({uid, 0, 0, Purpose::kLockdownOrder, 0})[0]);
  };
  Firms f([](FirmResponses& r) { r.hibernation = true, r.order_turnover = 0.1, r.max_closure_months = 100; });
  f.month = 40;
  for (int m = 0; m < 3; ++m) {
    const int month = f.month;
    const std::set<std::uint32_t> closed = f.ordered(0.4);  // demand normal: only the order closes firms
    std::set<std::uint32_t> expected;
    for (std::size_t i = 0; i < f.table.size(); ++i)
      if (f.table.alive(i) && place(f.key, f.table.uid[i], month, 0.1) < 0.6) expected.insert(f.table.uid[i]);
    CHECK(closed == expected);
    CHECK(closed.size() > 1000);
  }
}

TEST_CASE("with hibernation off no firm closes") {
  Firms f;
  CHECK(f.step(0.0).closed == 0);
  CHECK(f.closed() == 0);
}

TEST_CASE("firms short of work cut hours down to the floor before they lay off") {
  Firms hours([](FirmResponses& r) { r.hours = true, r.hours_floor = 0.5, r.max_short_hours_months = 3; });
  Firms heads;
  const CellTotals h = hours.step(0.6);
  const CellTotals n = heads.step(0.6);
  CHECK(h.employment_fte < 0.95 * h.employment);  // hours fell
  CHECK(h.short_hours > 0);
  CHECK(h.laid_off_ytd < n.laid_off_ytd / 4);               // far fewer layoffs
  CHECK(n.employment_fte == Approx(double(n.employment)));  // without hours, FTE is headcount
  for (std::size_t i = 0; i < hours.table.size(); ++i) {
    if (!hours.table.alive(i)) continue;
    CHECK(hours.table.hours[i] >= 0.5f);
    CHECK(hours.table.hours[i] <= 1.0f);
  }
  // After the short-hours months, headcount follows the need for labour.
  std::int64_t later = 0;
  for (int m = 0; m < 5; ++m) later = hours.step(0.6).laid_off_ytd;
  CHECK(later > 4 * h.laid_off_ytd);
}

TEST_CASE("bills fall into arrears up to the limit and are repaid when cash returns") {
  Firms f([](FirmResponses& r) { r.deferral = true, r.arrears_months = 1.0; });
  for (int m = 0; m < 3; ++m) f.step(0.2);
  double arrears = 0;
  const CityEconomy city(f.sc, 0);
  for (std::size_t i = 0; i < f.table.size(); ++i) {
    if (!f.table.alive(i)) continue;
    const SectorConstants& k = city.sectors[f.table.sector[i]];
    const double revenue = f.table.normal_size[i] * k.revenue_capacity(f.table.productivity[i]);
    CHECK(f.table.arrears[i] <=
          1.0 * (k.fixed_cost_share + k.input_share) * revenue * (1 + 1e-6));  // arrears kept as float
    arrears += f.table.arrears[i];
  }
  REQUIRE(arrears > 0);
  double later = 0;
  for (int m = 0; m < 24; ++m) later = f.step(1.0).arrears;
  CHECK(later < 0.9 * arrears);  // repaid from cash above the target buffer
}

TEST_CASE("owners put in their own funds, never more than they have") {
  Firms f([](FirmResponses& r) { r.owner_funds = true; });
  const auto funds = [&f] {
    double s = 0;
    for (std::size_t i = 0; i < f.table.size(); ++i) s += f.table.owner_funds[i];
    return s;
  };
  REQUIRE(funds() > 0);
  double injected = 0, drawn = 0;
  for (int m = 0; m < 3; ++m) {
    const double before = funds();
    injected += f.step(0.2).owner_injections;  // dead firms stay in the table (no compaction here)
    drawn += before - funds();
  }
  CHECK(injected > 0);
  CHECK(drawn == Approx(injected).epsilon(1e-4));
  for (float v : f.table.owner_funds) CHECK(v >= 0.0f);
}

TEST_CASE("failure follows solvency: the margins keep firms that cannot pay from failing") {
  Firms none;
  Firms all([](FirmResponses& r) { r.hibernation = r.hours = r.deferral = r.owner_funds = true; });
  std::int64_t failed_none = 0, failed_all = 0;
  for (int m = 0; m < 3; ++m) failed_none += none.step(0.3).exits_illiquid, failed_all += all.step(0.3).exits_illiquid;
  CHECK(failed_none > 0);
  CHECK(failed_all < failed_none / 2);
  // A firm that cannot pay after every margin fails at once (months_to_fail = 1).
  CHECK(none.sc.firms.months_to_fail == 1);
  for (std::size_t i = 0; i < none.table.size(); ++i)
    if (none.table.alive(i)) CHECK(none.table.cash[i] >= 0.0);
}
