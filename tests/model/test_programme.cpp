// The resilience programme: procurement calls, technical assistance, payments and defaults.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "smesim/model/population.hpp"
#include "smesim/model/programme.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

/// City alpha of small_scenario() (2000 firms) with one project called in 2020-09
/// (month 8), bid scores without noise, and `extra` keys of the programme.
std::string programme_scenario(const std::string& extra = "") {
  return test::small_scenario(R"(
[cities.alpha.procurement]
evaluation_noise = 0.0
payment_delay_months = 2
[cities.alpha.programme]
grant_usd = 20000000
match_ratio = 1.0
)" + extra + R"(
[[cities.alpha.programme.projects]]
name = "test project"
sectors = ["trade", "other_services", "construction"]
budget_share = 0.8
call = "2020-09"
duration_months = 6
)");
}

constexpr int kCallMonth = 8;

struct Fixture {
  explicit Fixture(const std::string& text = programme_scenario())
      : sc(parse_scenario(text, "s.toml")), city(sc, 0), programme(sc, 0) {
    synthesise_population(table, sc, city, key);
  }
  Scenario sc;
  CityEconomy city;
  RandomKey key{7, 0};
  FirmTable table;
  ProgrammeState programme;
  CityTotals cells = CityTotals(sc.sectors.size() * kSizeClasses);

  ProgrammeMonth call(int month) {
    ProgrammeMonth out = programme.open_month();
    programme.run_calls(month, table, city, key, cells, out);
    return out;
  }
  bool eligible(int sector) const {
    const auto& p = sc.cities[0].programme->projects[0].sector_index;
    return std::find(p.begin(), p.end(), sector) != p.end();
  }
};

}  // namespace

TEST_CASE("awards never exceed the project's budget and go in descending score order") {
  // Awards held to 0.3 of a month's revenue, so the budget takes several of them whatever
  // the size of the best-scoring bidder.
  Fixture f(programme_scenario() + "\n[procurement]\ncapacity_cap = 0.05\n");
  CHECK(f.call(kCallMonth - 1).awards == 0);  // not the call month: no call
  const ProgrammeMonth out = f.call(kCallMonth);
  const auto& contracts = f.programme.contracts();
  REQUIRE(contracts.size() >= 3);
  CHECK(out.awards == static_cast<std::int64_t>(contracts.size()));
  CHECK(out.bids >= out.awards);
  // Budget in simulated USD: grant x (1 + match) x population scale x budget share.
  const double budget = 20e6 * 2 * 0.01 * 0.8;
  double awarded = 0;
  for (const Contract& c : contracts) awarded += c.value;
  CHECK(awarded <= budget * (1 + 1e-12));
  CHECK(out.value_awarded == Approx(awarded));
  // Without evaluation noise the score is the capability: awards go best first.
  float previous = 2.0f;
  for (const Contract& c : contracts) {
    const std::size_t i = f.table.find(c.uid);
    INFO("award to uid " << c.uid);
    CHECK(f.eligible(f.table.sector[i]));
    CHECK(f.table.capability_of(i) <= previous);
    CHECK((f.table.flags[i] & FirmTable::kHasContract) != 0);
    previous = f.table.capability_of(i);
  }
}

TEST_CASE("technical assistance goes to eligible sectors only, floor(value / cost) places") {
  // In-kind value: match 1 x grant 20e6 x scale 0.01 = 200,000; at 3,000 per SME, 66 places.
  Fixture f(programme_scenario("match_mode = \"in_kind\"\nta_cost_per_sme = 3000\nstart = \"2020-03\"\n"));
  const std::vector<std::uint16_t> before = f.table.capability;
  auto assist = [&](int month) {
    ProgrammeMonth out = f.programme.open_month();
    f.programme.give_assistance(month, f.table, f.key, out);
    return out;
  };
  CHECK(assist(1).in_kind_value_used == 0.0);  // not the programme's start month
  const ProgrammeMonth out = assist(2);
  int assisted = 0;
  for (std::size_t i = 0; i < f.table.size(); ++i) {
    if (!(f.table.flags[i] & FirmTable::kAssisted)) {
      CHECK(f.table.capability[i] == before[i]);
      continue;
    }
    ++assisted;
    INFO("firm " << i << " sector " << int(f.table.sector[i]));
    CHECK(f.eligible(f.table.sector[i]));
    const double gained = before[i] / FirmTable::kCapabilityUnit + f.sc.procurement.ta_capability_gain;
    CHECK(f.table.capability_of(i) == Approx(std::min(1.0, gained)).margin(0.5 / FirmTable::kCapabilityUnit));
  }
  CHECK(assisted == 66);
  CHECK(out.in_kind_value_used == 66 * 3000.0);
}

TEST_CASE("with more places than eligible SMEs every eligible SME is assisted, and no other") {
  Fixture f(programme_scenario("match_mode = \"in_kind\"\nta_cost_per_sme = 1\nstart = \"2020-03\"\n"));
  ProgrammeMonth out = f.programme.open_month();
  f.programme.give_assistance(2, f.table, f.key, out);
  for (std::size_t i = 0; i < f.table.size(); ++i)
    CHECK(((f.table.flags[i] & FirmTable::kAssisted) != 0) == f.eligible(f.table.sector[i]));
}

TEST_CASE("a contract whose firm fails is paid for the work delivered and defaults the rest") {
  Fixture f;
  f.call(kCallMonth);
  REQUIRE(!f.programme.contracts().empty());
  const Contract awarded = f.programme.contracts().front();
  const std::size_t i = f.table.find(awarded.uid);
  // Two months delivered (payments fall due 2 months later), then the firm fails.
  for (int month = kCallMonth + 1; month <= kCallMonth + 2; ++month) {
    ProgrammeMonth out = f.programme.open_month();
    f.programme.pay_and_deliver(month, f.table, out);
    CHECK(out.value_paid == 0.0);
  }
  f.table.flags[i] &= static_cast<std::uint8_t>(~FirmTable::kAlive);
  ProgrammeMonth out = f.programme.open_month();
  f.programme.pay_and_deliver(kCallMonth + 3, f.table, out);
  const Contract& c = f.programme.contracts().front();
  CHECK(c.ended);
  CHECK(c.months_delivered == 2);
  CHECK(c.defaulted == Approx(c.value * 4 / 6));
  CHECK(c.paid == Approx(c.value * 2 / 6));
  CHECK(out.value_defaulted == c.defaulted);
  double paid = 0;  // every contract's first payment falls in this month
  for (const Contract& other : f.programme.contracts()) paid += other.paid;
  CHECK(out.value_paid == Approx(paid));
  CHECK((f.table.flags[i] & FirmTable::kHasContract) == 0);
  f.programme.close_month(out);
  CHECK(out.grant_spent + out.city_cash_spent == Approx(out.value_paid));
  CHECK(out.grant_spent == Approx(out.value_paid / 2));  // cash match 1: half grant, half city cash
}
