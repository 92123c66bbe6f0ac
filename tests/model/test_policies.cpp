// Stimulus policies: which are in force in a city and month, and each kind's effect on a firm.
#include <catch2/catch.hpp>

#include "smesim/model/policies.hpp"
#include "smesim/scenario/loader.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

/// The small scenario (start 2020-01) with these [[policies]] tables.
Scenario with_policies(const std::string& policies) { return parse_scenario(test::small_scenario(policies), "s.toml"); }

const char* kPackage = R"(
[[policies]]
kind = "wage_subsidy"
start = "2020-04"
end = "2020-07"
rate = 0.6
threshold = 0.25
retention = true
cap_per_worker_usd = 100
[[policies]]
kind = "grant"
start = "2020-05"
threshold = 0.2
cities = ["beta"]
amount_micro_usd = 1000
amount_small_usd = 5000
amount_medium_usd = 20000
[[policies]]
kind = "loan_guarantee"
start = "2020-04"
credit_months = 3
guarantee_rate = 0.01
[[policies]]
kind = "debt_moratorium"
start = "2020-06"
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
  record_support(a, {5, 6});
  CHECK(a.wage_subsidy == 16);
  CHECK(a.grants == 28);
}
