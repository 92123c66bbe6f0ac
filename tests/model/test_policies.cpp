// Stimulus policies: which are in force in a city and month, and each kind's effect on a firm.
#include <catch2/catch.hpp>

#include "smesim/core/error.hpp"
#include "smesim/model/policies.hpp"
#include "smesim/scenario/loader.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

/// The small scenario (start 2020-01) with these [[policies]] tables.
Scenario with_policies(const std::string& policies) { return parse_scenario(test::small_scenario(policies), "s.toml"); }

// Every eligible firm, at once: these tests are about the windows and the effects.
const char* kPackage = R"(
[[policies]]
kind = "wage_subsidy"
start = "2020-04"
take_up_micro = 1
take_up_small = 1
take_up_medium = 1
application_delay_months = 0
end = "2020-07"
rate = 0.6
threshold = 0.25
retention = true
cap_per_worker_usd = 100
[[policies]]
kind = "grant"
start = "2020-05"
take_up_micro = 1
take_up_small = 1
take_up_medium = 1
application_delay_months = 0
threshold = 0.2
cities = ["beta"]
amount_micro_usd = 1000
amount_small_usd = 5000
amount_medium_usd = 20000
[[policies]]
kind = "loan_guarantee"
start = "2020-04"
take_up_micro = 1
take_up_small = 1
take_up_medium = 1
application_delay_months = 0
credit_months = 3
guarantee_rate = 0.01
[[policies]]
kind = "debt_moratorium"
start = "2020-06"
take_up_micro = 1
take_up_small = 1
take_up_medium = 1
application_delay_months = 0
end = "2020-08"
)";

}  // namespace

TEST_CASE("policies_in: a policy is in force from its start to the month before its end") {
  const Scenario sc = with_policies(kPackage);
  CHECK_FALSE(policies_in(sc, 0, 2).wage_subsidy.on);  // 2020-03
  for (int month : {3, 4, 5}) CHECK(policies_in(sc, 0, month).wage_subsidy.on);
  CHECK_FALSE(policies_in(sc, 0, 6).wage_subsidy.on);  // 2020-07: the end month is without it
  const PolicyMonth m = policies_in(sc, 0, 3);
  CHECK(m.wage_subsidy.rate == 0.6);
  CHECK(m.wage_subsidy.threshold == 0.25);
  CHECK(m.wage_subsidy.retention);
  CHECK(m.guarantee.on);
  CHECK(m.guarantee.months == 3);
  CHECK_FALSE(m.moratorium.on);
  CHECK(policies_in(sc, 0, 5).moratorium.on);
  CHECK(policies_in(sc, 0, 59).guarantee.on);  // no end: to the end of the run
}

TEST_CASE("policies_in: a grant is paid in its start month only, and only in its cities") {
  const Scenario sc = with_policies(kPackage);
  const int beta = 1;
  CHECK(policies_in(sc, beta, 4).grant.on);
  CHECK_FALSE(policies_in(sc, beta, 3).grant.on);
  CHECK_FALSE(policies_in(sc, beta, 5).grant.on);
  CHECK_FALSE(policies_in(sc, 0, 4).grant.on);  // alpha is not among its cities
}

TEST_CASE("policies_in: nothing is in force during burn-in") {
  const Scenario sc = with_policies(kPackage);
  for (int month : {-12, -1}) {
    const PolicyMonth m = policies_in(sc, 0, month);
    CHECK_FALSE(m.wage_subsidy.on);
    CHECK_FALSE(m.grant.on);
    CHECK_FALSE(m.guarantee.on);
    CHECK_FALSE(m.moratorium.on);
  }
}

TEST_CASE("Wage subsidy: a share of the wage bill above the threshold, capped per worker") {
  WageSubsidyMonth w;
  w.on = true, w.rate = 0.5, w.threshold = 0.3, w.cap_per_worker = 100, w.retention = true;
  CHECK(w.paid(0.29, 1000, 4) == 0.0);   // revenue fell too little
  CHECK(w.paid(0.3, 600, 4) == 300.0);   // half the wage bill, under the cap of 400
  CHECK(w.paid(0.5, 1000, 4) == 400.0);  // capped: 100 per worker
  CHECK(w.forbids_firing(300.0));
  CHECK_FALSE(w.forbids_firing(0.0));  // no subsidy this month, no condition
  w.on = false;
  CHECK(w.paid(0.9, 1000, 4) == 0.0);
}

TEST_CASE("Grant: the size class's amount to firms whose revenue fell enough") {
  GrantMonth g;
  g.on = true, g.threshold = 0.2, g.usd = {1000, 5000, 20000};
  CHECK(g.paid(0.19, 0) == 0.0);
  CHECK(g.paid(0.2, 0) == 1000.0);
  CHECK(g.paid(0.5, 2) == 20000.0);
}

TEST_CASE("Credit: guaranteed debt bears the guarantee's rate; a moratorium defers all interest") {
  PolicyMonth p;
  const double annual = 0.12, normal_limit = 1000, baseline_revenue = 500;
  const Credit plain = credit_under(p, 600, normal_limit, baseline_revenue, annual);
  CHECK(plain.limit == normal_limit);
  CHECK(plain.interest_paid == Approx(6.0));  // 600 at 1% a month
  CHECK(plain.deferred == 0.0);

  p.guarantee.on = true, p.guarantee.months = 2, p.guarantee.rate = 0.012;
  const Credit guaranteed = credit_under(p, 1600, normal_limit, baseline_revenue, annual);
  CHECK(guaranteed.limit == normal_limit + 2 * baseline_revenue);
  CHECK(guaranteed.interest_paid == Approx(1000 * 0.01 + 600 * 0.001));

  p.moratorium.on = true;
  const Credit deferred = credit_under(p, 1600, normal_limit, baseline_revenue, annual);
  CHECK(deferred.interest_paid == 0.0);
  CHECK(deferred.deferred == Approx(guaranteed.interest_paid));
  CHECK(repayment(p, 300, 200) == 0.0);  // no repayment under a moratorium
  p.moratorium.on = false;
  CHECK(repayment(p, 300, 200) == 200.0);
  CHECK(repayment(p, 150, 200) == 150.0);
}

TEST_CASE("Policy totals: adding sums every total that has a result variable") {
  PolicyTotals a, b;
  a.wage_subsidy = 1, a.grants = 2, a.guaranteed_credit = 3, a.interest_deferred = 4;
  b.wage_subsidy = 10, b.grants = 20, b.guaranteed_credit = 30, b.interest_deferred = 40;
  a += b;
  CHECK(a.wage_subsidy == 11);
  CHECK(a.grants == 22);
  CHECK(a.guaranteed_credit == 33);
  CHECK(a.interest_deferred == 44);
  // Every total is written to the file: one kPolicyOutputs row per field.
  CHECK(std::size(kPolicyOutputs) * sizeof(double) == sizeof(PolicyTotals));
  a.firms_supported = 7, b.firms_supported = 70, a.firms_not_reached = 8, b.firms_not_reached = 80;
  a += b;
  CHECK(a.firms_supported == 77);
  CHECK(a.firms_not_reached == 88);
  CHECK(a.wage_subsidy == 21);
  record_support(a, {5, 6});
  CHECK(a.wage_subsidy == 26);
  CHECK(a.grants == 48);
}

namespace {

/// The message of the ScenarioError parsing `policies` throws; fails the test if none.
std::string policy_error(const std::string& policies) {
  try {
    with_policies(policies);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  FAIL("no ScenarioError thrown");
  return "";
}

/// A month with every kind of policy in force, each with take-up `micro` for micro firms
/// and 1 for the others; eligibility at a revenue drop of 0.3.
PolicyMonth all_in_force(double micro) {
  PolicyMonth p;
  p.wage_subsidy.on = p.grant.on = p.guarantee.on = p.moratorium.on = true;
  p.wage_subsidy.threshold = p.grant.threshold = 0.3;
  p.wage_subsidy.rate = 0.5, p.wage_subsidy.cap_per_worker = 1e12, p.grant.usd = {1000, 5000, 20000};
  for (auto* t : {&p.wage_subsidy.take_up, &p.grant.take_up, &p.guarantee.take_up, &p.moratorium.take_up})
    *t = {micro, 1, 1};
  return p;
}

}  // namespace

TEST_CASE("Take-up keys: every kind reads them; the delay moves the months a policy pays") {
  const Scenario sc = with_policies(R"(
[[policies]]
kind = "wage_subsidy"
start = "2020-04"
end = "2020-07"
take_up_micro = 0.1
take_up_small = 0.2
take_up_medium = 0.3
application_delay_months = 2
[[policies]]
kind = "grant"
start = "2020-05"
application_delay_months = 1
take_up_small = 0.5
[[policies]]
kind = "debt_moratorium"
start = "2020-04"
take_up_medium = 0.25
)");
  CHECK_FALSE(policies_in(sc, 0, 4).wage_subsidy.on);  // 2020-05: applications still in process
  CHECK(policies_in(sc, 0, 5).wage_subsidy.on);        // 2020-06: start + 2 months
  CHECK_FALSE(policies_in(sc, 0, 6).wage_subsidy.on);  // 2020-07: the end does not move
  CHECK(policies_in(sc, 0, 5).wage_subsidy.take_up == std::array<double, 3>{0.1, 0.2, 0.3});
  CHECK_FALSE(policies_in(sc, 0, 4).grant.on);  // 2020-05: the start month
  CHECK(policies_in(sc, 0, 5).grant.on);        // 2020-06: paid a month later
  CHECK_FALSE(policies_in(sc, 0, 6).grant.on);
  CHECK(policies_in(sc, 0, 5).grant.take_up == std::array<double, 3>{0.15, 0.5, 0.45});
  CHECK_FALSE(policies_in(sc, 0, 3).moratorium.on);  // the default delay: a month
  CHECK(policies_in(sc, 0, 4).moratorium.take_up == std::array<double, 3>{0.15, 0.30, 0.25});
  // Defaults (assumed): micro firms reached least, paid a month after the start.
  const Policy defaults;
  CHECK(defaults.take_up == std::array<double, 3>{0.15, 0.30, 0.45});
  CHECK(defaults.application_delay_months == 1);
}

TEST_CASE("Take-up keys: out-of-range values name file, line and key") {
  const std::string grant = "[[policies]]\nkind = \"grant\"\nstart = \"2020-04\"\n";
  const std::string high = policy_error(grant + "take_up_micro = 1.5\n");
  CHECK_THAT(high, Catch::Contains("s.toml:") && Catch::Contains("policies[0].take_up_micro") &&
                       Catch::Contains("out of range; expected 0 to 1"));
  CHECK_THAT(policy_error(grant + "take_up_medium = -0.1\n"), Catch::Contains("policies[0].take_up_medium"));
  CHECK_THAT(policy_error(grant + "application_delay_months = 1.5\n"),
             Catch::Contains("policies[0].application_delay_months") && Catch::Contains("expected an integer"));
  CHECK_THAT(policy_error(grant + "application_delay_months = 25\n"),
             Catch::Contains("application_delay_months") && Catch::Contains("out of range"));
  CHECK_THAT(policy_error(grant + "take_up = 0.5\n"), Catch::Contains("unknown key"));
}

/// True if every field of `r` is `on`.
bool all_are(const Reach& r, bool on) {
  return r.wage_subsidy == on && r.grant == on && r.guarantee == on && r.moratorium == on;
}

TEST_CASE("reaching: with complete take-up or nothing in force, every policy reaches the firm") {
  const RandomKey key(1, 0);
  PolicyTotals totals;
  CHECK(all_are(reaching(PolicyMonth{}, {key, 7, 0}, 50, 100, 10, 0, totals), true));
  CHECK(totals.firms_supported + totals.firms_not_reached == 0);  // nothing in force: nobody eligible
  CHECK(all_are(reaching(all_in_force(1.0), {key, 7, 0}, 50, 100, 10, 0, totals), true));
  CHECK(totals.firms_supported == 1);
  CHECK(totals.firms_not_reached == 0);
}

TEST_CASE("reaching: a firm not reached gets no subsidy, grant, extra credit or deferral, and repays") {
  const PolicyMonth p = all_in_force(0.5);
  const Reach none{false, false, false, false};
  CHECK(support_for(p, 50, 100, 1000, 2, 0).subsidy > 0);
  CHECK(support_for(p, 50, 100, 1000, 2, 0, none).subsidy == 0.0);
  CHECK(support_for(p, 50, 100, 1000, 2, 0, none).grant == 0.0);
  const Credit plain = credit_under(p, 100, 50, 100, 0.12, none);
  CHECK(plain.limit == 50.0);
  CHECK(plain.deferred == 0.0);
  CHECK(plain.interest_paid == Approx(1.0));
  CHECK(repayment(p, 300, 200, none) == 200.0);
  CHECK(repayment(p, 300, 200) == 0.0);
  CHECK(guaranteed_credit(p, 100, 50, none) == 0.0);
}

TEST_CASE("reaching: the share of eligible firms reached converges to the take-up of their size class") {
  const RandomKey key(42, 3);
  const PolicyMonth p = all_in_force(0.15);
  const int firms = 20000;
  for (int size_class : {0, 1}) {
    PolicyTotals totals;
    int paid = 0;
    for (int uid = 0; uid < firms; ++uid) {
      const Reach r = reaching(p, {key, static_cast<std::uint32_t>(uid), 2}, 50, 100, 10, size_class, totals);
      paid += support_for(p, 50, 100, 1000, 2, size_class, r).grant > 0;
      CHECK((all_are(r, true) || all_are(r, false)));  // one draw, the same take-up: all or none
    }
    const double take_up = size_class == 0 ? 0.15 : 1.0;
    CHECK(totals.firms_supported + totals.firms_not_reached == firms);
    CHECK(paid == totals.firms_supported);
    const double tol = test::tolerance(std::sqrt(take_up * (1 - take_up)), firms);
    CHECK(totals.firms_supported / firms == Approx(take_up).margin(std::max(tol, 1e-12)));
  }
}

TEST_CASE("reaching: a firm's draw depends on its uid and city only, not on its month") {
  const RandomKey key(5, 0);
  const PolicyMonth p = all_in_force(0.5);
  int differ_by_city = 0, reached = 0;
  for (std::uint32_t uid = 0; uid < 200; ++uid) {
    PolicyTotals totals;
    const Reach first = reaching(p, {key, uid, 1}, 50, 100, 10, 0, totals);
    const Reach again = reaching(p, {key, uid, 1}, 10, 100, 99, 0, totals);  // another month's state
    const Reach other_city = reaching(p, {key, uid, 2}, 50, 100, 10, 0, totals);
    CHECK(first.grant == again.grant);
    differ_by_city += first.grant != other_city.grant;
    reached += first.grant;
  }
  CHECK(differ_by_city > 50);  // independent draws per city: about half differ
  CHECK(reached > 50);
  CHECK(reached < 150);
}

TEST_CASE("reaching: eligibility; firms not eligible are not counted, take-up 0 reaches nobody") {
  const RandomKey key(9, 0);
  PolicyMonth p;
  p.wage_subsidy.on = true, p.wage_subsidy.threshold = 0.3, p.wage_subsidy.take_up = {0, 0, 0};
  p.moratorium.on = true, p.moratorium.take_up = {0, 0, 0};
  PolicyTotals totals;
  reaching(p, {key, 1, 0}, 80, 100, 0, 0, totals);  // drop 0.2 and no debt: eligible for nothing
  CHECK(totals.firms_supported + totals.firms_not_reached == 0);
  const Reach r = reaching(p, {key, 1, 0}, 80, 100, 500, 0, totals);  // indebted
  CHECK(totals.firms_not_reached == 1);
  CHECK_FALSE(r.moratorium);
  CHECK_FALSE(r.wage_subsidy);
  reaching(p, {key, 1, 0}, 60, 100, 0, 0, totals);  // drop 0.4: eligible for the subsidy
  CHECK(totals.firms_not_reached == 2);
  CHECK(totals.firms_supported == 0);
}
