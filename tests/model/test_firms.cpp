// Population synthesis, the firm kernel and the firm table.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <map>
#include <random>

#include "smesim/model/firm_kernel.hpp"
#include "smesim/model/population.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

struct Fixture {
  Scenario sc = parse_scenario(test::small_scenario(), "s.toml");
  CityEconomy city{sc, 0};
  RandomKey key{7, 0};
  FirmTable table;
  PolicyMonth policy;
  std::vector<ContractMonth> contracts;
  Fixture() { synthesise_population(table, sc, city, key); }
  CellTotals total(const CityTotals& cells) const {
    CellTotals t;
    for (const auto& c : cells) t += c;
    return t;
  }
};

}  // namespace

TEST_CASE("the x86-64, AVX2 and AVX-512 builds of synthesis and entry give the same firms") {
  const Isa isa = GENERATE(Isa::kAvx2, Isa::kAvx512);
  if (cpu_isa() < isa) {
    WARN("this CPU lacks the instruction set of this build: nothing to compare");
    return;
  }
  Fixture f;
  FirmTable a, b;
  synthesise_population(a, f.sc, f.city, f.key, Isa::kX86_64);
  synthesise_population(b, f.sc, f.city, f.key, isa);
  const std::vector<std::size_t> births_end(f.sc.sectors.size(), 700);  // 700 entrants, all of sector 0
  for (FirmTable* t : {&a, &b}) t->resize(t->size() + 700);
  draw_entrants(a, a.size() - 700, f.sc, f.city, f.key, 5000, 4, births_end, Isa::kX86_64);
  draw_entrants(b, b.size() - 700, f.sc, f.city, f.key, 5000, 4, births_end, isa);
  CHECK(a.uid == b.uid);
  CHECK(a.sector == b.sector);
  CHECK(a.normal_size == b.normal_size);
  CHECK(a.employees == b.employees);
  CHECK(a.productivity == b.productivity);
  CHECK(a.wage == b.wage);
  CHECK(a.cash_target == b.cash_target);
  CHECK(a.cash == b.cash);
  CHECK(a.owner_funds == b.owner_funds);
  CHECK(a.demand_state == b.demand_state);
  CHECK(a.age == b.age);
  CHECK(a.capability == b.capability);
}

TEST_CASE("pick finds what std::lower_bound finds, clamped to the last entry") {
  std::mt19937_64 gen(3);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (std::size_t n = 1; n <= 40; ++n) {
    std::vector<double> cdf(n);
    for (double& c : cdf) c = std::round(unit(gen) * 8) / 8;  // ties too
    std::sort(cdf.begin(), cdf.end());
    for (int k = 0; k < 200; ++k) {
      const double u = k < 2 ? (k == 0 ? 0.0 : 1.5) : std::round(unit(gen) * 16) / 16;  // hits entries exactly
      const auto expected = std::min<std::ptrdiff_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin(),
                                                     static_cast<std::ptrdiff_t>(n) - 1);
      REQUIRE(pick(cdf, u) == expected);
    }
  }
}

TEST_CASE("state per firm fits in 64 bytes") { CHECK(FirmTable::bytes_per_firm() <= 64); }

TEST_CASE("the initial population follows the city's shares and size classes") {
  Fixture f;
  REQUIRE(f.table.size() == 2000);
  std::map<int, int> classes;
  for (std::size_t i = 0; i < f.table.size(); ++i) {
    const int n = f.table.employees[i];
    CHECK(n == f.table.normal_size[i]);
    CHECK(n >= 1);
    CHECK(n <= 249);
    CHECK(f.table.find(f.table.uid[i]) == i);
    CHECK(f.table.capability_of(i) >= 0.0f);
    CHECK(f.table.capability_of(i) <= 1.0f);
    CHECK(f.table.cash[i] > 0.0f);
    ++classes[size_class_of(f.sc.size_classes, n)];
  }
  const double n = static_cast<double>(f.table.size());
  const double micro = 0.85;
  CHECK(std::abs(classes[0] / n - micro) < test::tolerance(std::sqrt(micro * (1 - micro)), n));
  double theta = 0;
  for (float t : f.table.productivity) theta += t;
  // E[theta] = 1; sd of a lognormal with s = 0.5 is about 0.53.
  CHECK(std::abs(theta / n - 1.0) < test::tolerance(0.53, n));
}

TEST_CASE("same seed, same firms; another replication, other firms") {
  Fixture a, b;
  CHECK(a.table.productivity == b.table.productivity);
  CHECK(a.table.cash == b.table.cash);
  FirmTable other;
  synthesise_population(other, a.sc, a.city, RandomKey(7, 1));
  CHECK(other.productivity != a.table.productivity);
}

TEST_CASE("each purpose has its own stream: capability parameters shift no other draw") {
  Fixture a;
  Scenario other = a.sc;
  other.firms.capability_beta_a = 4.0;
  const CityEconomy city(other, 0);
  FirmTable b;
  synthesise_population(b, other, city, a.key);
  CHECK(b.capability != a.table.capability);
  CHECK(b.productivity == a.table.productivity);
  CHECK(b.demand_state == a.table.demand_state);
  CHECK(b.age == a.table.age);
  CHECK(b.sector == a.table.sector);
  CHECK(b.normal_size == a.table.normal_size);
}

TEST_CASE("the size sampler stays in its class and follows the power law") {
  const SizeClassBounds bounds;
  const SizeSampler sampler(bounds, 1.06);
  int small_at_10 = 0, small_at_20 = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = (i + 0.5) / n;
    for (int c = 0; c < kSizeClasses; ++c) {
      const int s = sampler.draw(c, u);
      REQUIRE(s >= bounds.lower(c));
      REQUIRE(s <= bounds.upper(c));
    }
    const int s = sampler.draw(1, u);
    small_at_10 += s == 10;
    small_at_20 += s == 20;
  }
  // P(10) / P(20) = 2^(1 + alpha)
  CHECK(static_cast<double>(small_at_10) / small_at_20 == Approx(std::pow(2.0, 2.06)).epsilon(0.03));
}

TEST_CASE("zero demand gives zero revenue") {
  Fixture f;
  f.sc.responses.hibernation = false;  // else the firms close and pay no wages
  SectorConditions none = sector_conditions(f.sc, 0.0);
  std::fill(none.demand.begin(), none.demand.end(), 0.0);
  const CityTotals cells = step_firms(f.table, {f.sc, f.city, none, f.key, 0, 0, f.policy, f.contracts});
  CHECK(f.total(cells).revenue == 0.0);
  CHECK(f.total(cells).wage_bill > 0.0);
}

TEST_CASE("one kernel step keeps the books: employment and firm counts") {
  Fixture f;
  std::int64_t before = 0;
  for (auto n : f.table.employees) before += n;
  const SectorConditions cond = sector_conditions(f.sc, 0.6);
  for (int month = 0; month < 6; ++month) {
    const CellTotals t = f.total(step_firms(f.table, {f.sc, f.city, cond, f.key, month, 0, f.policy, f.contracts}));
    std::int64_t after = 0, alive = 0;
    for (std::size_t i = 0; i < f.table.size(); ++i)
      if (f.table.alive(i)) after += f.table.employees[i], ++alive;
    CHECK(after == before + t.jobs_created - t.jobs_destroyed);
    CHECK(t.employment == after);
    CHECK(t.active == alive);
    before = after;
  }
}

TEST_CASE("the x86-64, AVX2 and AVX-512 builds of the kernel give the same bits") {
  // Results must not depend on the CPU: the kernel's passes run the widest build the CPU
  // has. Eighteen months from the same state through each build must leave every firm
  // array and every cell's totals identical to the x86-64 build's, with every path of
  // the pass taken: contracts, every kind of policy (partial take-up, retention),
  // lockdown orders, and a tail of entrants of mixed cells ending in a partial group;
  // then compaction (which has an AVX-512 build: the AVX2 case compacts as x86-64
  // does) and six more months.
  const Isa isa = GENERATE(Isa::kAvx2, Isa::kAvx512);
  if (cpu_isa() < isa) {
    WARN("this CPU lacks the instruction set of this build: nothing to compare");
    return;
  }
  Fixture a, b;
  a.sc.responses.order_turnover = b.sc.responses.order_turnover = 0.3;  // lockdown orders drawn in the pass
  std::vector<std::size_t> births_end;  // cumulative: 301 entrants, about 40 of each sector
  for (std::size_t s = 1; s <= a.sc.sectors.size(); ++s) births_end.push_back(std::min<std::size_t>(40 * s, 301));
  births_end.back() = 301;
  for (Fixture* f : {&a, &b}) {
    const std::size_t first_new = f->table.size();
    f->table.resize(first_new + 301);  // entrants of every sector: cells mixed within groups
    draw_entrants(f->table, first_new, f->sc, f->city, f->key, 1'000'000, 2, births_end, Isa::kX86_64);
    for (std::size_t i = 0; i < f->table.size(); i += 29) {  // contracts: payment and staff
      f->table.flags[i] |= FirmTable::kHasContract;
      f->contracts.push_back({f->table.uid[i], 2500.0 + static_cast<double>(i % 7) * 900.0, static_cast<int>(i % 5)});
    }
    std::sort(f->contracts.begin(), f->contracts.end(), [](auto& x, auto& y) { return x.uid < y.uid; });
  }
  REQUIRE(a.table.size() % 16 != 0);
  PolicyMonth policies;
  policies.wage_subsidy.on = policies.grant.on = policies.guarantee.on = policies.moratorium.on = true;
  policies.wage_subsidy.threshold = policies.grant.threshold = 0.2;
  policies.wage_subsidy.rate = 0.5, policies.wage_subsidy.cap_per_worker = 300, policies.wage_subsidy.retention = true;
  policies.grant.usd = {1000, 5000, 20000};
  for (auto* t : {&policies.wage_subsidy.take_up, &policies.grant.take_up, &policies.guarantee.take_up,
                  &policies.moratorium.take_up})
    *t = {0.5, 0.7, 1};
  const SectorConditions cond = sector_conditions(a.sc, 0.6);
  double supported = 0, contract_revenue = 0;  // the paths were taken
  for (int month = 0; month < 18; ++month) {
    a.policy = b.policy = month >= 4 && month < 8 ? policies : PolicyMonth{};
    KernelInput portable{a.sc, a.city, cond, a.key, month, 0, a.policy, a.contracts};
    portable.isa = Isa::kX86_64;
    const CityTotals ta = step_firms(a.table, portable);
    KernelInput wide{b.sc, b.city, cond, b.key, month, 0, b.policy, b.contracts};
    wide.isa = isa;
    const CityTotals tb = step_firms(b.table, wide);
    REQUIRE(ta.size() == tb.size());
    for (std::size_t c = 0; c < ta.size(); ++c)  // bit for bit: every member is 8 bytes, no padding
      CHECK(std::memcmp(&ta[c], &tb[c], sizeof(CellTotals)) == 0);
    supported += a.total(ta).policy.firms_supported, contract_revenue += a.total(ta).contract_revenue;
    if (month == 11) {
      const std::size_t before = a.table.size();
      a.table.compact(a.sc.size_classes, Isa::kX86_64);
      b.table.compact(b.sc.size_classes, isa);
      CHECK(a.table.size() < before);  // the dead are gone
      CHECK(a.table.tail() == 0);
    }
  }
  CHECK(supported > 0);
  CHECK(contract_revenue > 0);
  const auto same = [](const auto& x, const auto& y) {
    return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof x[0]) == 0;
  };
  CHECK(same(a.table.uid, b.table.uid));
  CHECK(same(a.table.sector, b.table.sector));
  CHECK(same(a.table.employees, b.table.employees));
  CHECK(same(a.table.normal_size, b.table.normal_size));
  CHECK(same(a.table.employees_year_ago, b.table.employees_year_ago));
  CHECK(same(a.table.productivity, b.table.productivity));
  CHECK(same(a.table.wage, b.table.wage));
  CHECK(same(a.table.capability, b.table.capability));
  CHECK(same(a.table.cash_target, b.table.cash_target));
  CHECK(same(a.table.hours, b.table.hours));
  CHECK(same(a.table.demand_state, b.table.demand_state));
  CHECK(same(a.table.utilisation, b.table.utilisation));
  CHECK(same(a.table.capacity, b.table.capacity));
  CHECK(same(a.table.age, b.table.age));
  CHECK(same(a.table.cash, b.table.cash));
  CHECK(same(a.table.debt, b.table.debt));
  CHECK(same(a.table.arrears, b.table.arrears));
  CHECK(same(a.table.owner_funds, b.table.owner_funds));
  CHECK(same(a.table.flags, b.table.flags));
  CHECK(same(a.table.distress, b.table.distress));
  CHECK(same(a.table.closed_months, b.table.closed_months));
  CHECK(same(a.table.closed_months_ytd, b.table.closed_months_ytd));
  CHECK(same(a.table.short_months, b.table.short_months));
}

TEST_CASE("compaction drops the dead and sorts the living and the entrants into cell-major order") {
  Fixture f;
  for (std::size_t i = 0; i < f.table.size(); i += 3) f.table.flags[i] &= static_cast<std::uint8_t>(~FirmTable::kAlive);
  const std::uint32_t dead = f.table.uid[0];
  const std::size_t old = f.table.size();
  f.table.resize(old + 100);  // entrants: the tail, uids above every other
  for (std::size_t i = old; i < f.table.size(); ++i) {
    f.table.uid[i] = static_cast<std::uint32_t>(i + 1000);
    f.table.sector[i] = static_cast<std::uint8_t>(i % f.sc.sectors.size());
    f.table.normal_size[i] = static_cast<std::uint16_t>(1 + i % 60);
    f.table.flags[i] = FirmTable::kAlive;
    f.table.cash[i] = static_cast<float>(i);
  }
  CHECK(f.table.tail() == 100);
  CHECK(f.table.find(static_cast<std::uint32_t>(old + 1000 + 50)) == old + 50);
  std::map<std::uint32_t, float> living;
  for (std::size_t i = 0; i < f.table.size(); ++i)
    if (f.table.alive(i)) living[f.table.uid[i]] = f.table.cash[i];
  f.table.compact(f.sc.size_classes);
  REQUIRE(f.table.size() == living.size());
  CHECK(f.table.tail() == 0);
  int previous_cell = -1;
  std::uint32_t previous_uid = 0;
  for (std::size_t i = 0; i < f.table.size(); ++i) {
    const int cell = f.table.sector[i] * kSizeClasses + size_class_of(f.sc.size_classes, f.table.normal_size[i]);
    REQUIRE(cell >= previous_cell);
    if (cell == previous_cell) REQUIRE(f.table.uid[i] > previous_uid);
    previous_cell = cell, previous_uid = f.table.uid[i];
    REQUIRE(living.count(f.table.uid[i]) == 1);
    CHECK(f.table.cash[i] == living[f.table.uid[i]]);
    CHECK(f.table.find(f.table.uid[i]) == i);
  }
  CHECK(f.table.find(dead) == f.table.size());  // compacted away
}
