// MODEL.md step 5: the catalogue of stimulus policies. Each kind is declared here once:
// its parameters in a month, when it is in force, its effect on a firm (inline functions
// the firm kernel calls, no virtual call per firm), its totals and its result variables.
// docs/DEVELOPING.md lists the steps to add a kind.
#pragma once

#include <algorithm>
#include <array>

#include "smesim/core/calendar.hpp"
#include "smesim/core/rng.hpp"
#include "smesim/scenario/policy.hpp"

namespace smesim {

struct Scenario;

/// Wage subsidy: a share of the wage bill of firms whose revenue dropped enough.
struct WageSubsidyMonth {
  bool on = false;                         ///< in force this month
  double rate = 0;                         ///< share of the wage bill
  double threshold = 0;                    ///< revenue drop that makes a firm eligible
  double cap_per_worker = 0;               ///< USD per worker-month
  bool retention = false;                  ///< recipients may not fire
  std::array<double, 3> take_up{1, 1, 1};  ///< share of eligible firms reached, by size class

  /// Takes policy `p` of this kind into account at month `now`: pays in [start + delay, end).
  void add(const Policy& p, const YearMonth& now) {
    if (!p.active(now)) return;
    on = true, rate = p.rate, threshold = p.threshold, cap_per_worker = p.cap_per_worker_usd, retention = p.retention;
    take_up = p.take_up;
  }
  /// True if a firm with revenue drop `drop` may get the subsidy this month.
  bool eligible(double drop) const { return on && drop >= threshold; }
  /// Subsidy paid to a firm with revenue drop `drop`, wage bill `wages` (USD) and `n` workers, USD.
  double paid(double drop, double wages, int n) const {
    return eligible(drop) ? std::min(rate * wages, cap_per_worker * n) : 0.0;
  }
  /// True if a firm paid `subsidy` (USD) may not fire this month.
  bool forbids_firing(double subsidy) const { return subsidy > 0 && retention; }
};

/// Grant: a one-off amount by size class, in the policy's start month, to firms whose
/// revenue dropped enough.
struct GrantMonth {
  bool on = false;                         ///< paid this month
  double threshold = 0;                    ///< revenue drop that makes a firm eligible
  std::array<double, 3> usd{};             ///< per firm, by size class
  std::array<double, 3> take_up{1, 1, 1};  ///< share of eligible firms reached, by size class

  /// Takes policy `p` of this kind into account at month `now`: paid in its start month
  /// plus the application delay.
  void add(const Policy& p, const YearMonth& now) {
    if (!(p.paid_month() == now)) return;
    on = true, threshold = p.threshold, usd = p.amount_usd, take_up = p.take_up;
  }
  /// True if a firm with revenue drop `drop` may get the grant this month.
  bool eligible(double drop) const { return on && drop >= threshold; }
  /// Grant paid to a firm of `size_class` with revenue drop `drop`, USD.
  double paid(double drop, int size_class) const { return eligible(drop) ? usd[size_class] : 0.0; }
};

/// Loan guarantee: extra credit above the normal limit, at the guarantee's rate.
struct LoanGuaranteeMonth {
  bool on = false;                         ///< in force this month
  double months = 0;                       ///< extra credit, months of baseline revenue
  double rate = 0;                         ///< annual rate on guaranteed credit
  std::array<double, 3> take_up{1, 1, 1};  ///< share of firms reached, by size class

  /// Takes policy `p` of this kind into account at month `now`: in force in [start + delay, end).
  void add(const Policy& p, const YearMonth& now) {
    if (!p.active(now)) return;
    on = true, months = p.credit_months, rate = p.guarantee_rate, take_up = p.take_up;
  }
  /// Extra credit limit of a firm with baseline revenue `baseline_revenue`, USD.
  double extra_limit(double baseline_revenue) const { return on ? months * baseline_revenue : 0.0; }
  /// Debt above the normal limit, which the guarantee covers, USD.
  double guaranteed(double debt, double normal_limit) const { return on ? std::max(debt - normal_limit, 0.0) : 0.0; }
};

/// Debt moratorium: interest accrues to the debt instead of being paid; no repayment.
struct DebtMoratoriumMonth {
  bool on = false;                         ///< in force this month
  std::array<double, 3> take_up{1, 1, 1};  ///< share of indebted firms reached, by size class

  /// Takes policy `p` of this kind into account at month `now`: in force in [start + delay, end).
  void add(const Policy& p, const YearMonth& now) {
    if (!p.active(now)) return;
    on = true, take_up = p.take_up;
  }
};

/// The policies the firm kernel applies this month (at most one of each kind).
struct PolicyMonth {
  WageSubsidyMonth wage_subsidy;
  GrantMonth grant;
  LoanGuaranteeMonth guarantee;
  DebtMoratoriumMonth moratorium;

  /// Takes `p` into account at month `now` (it may not be in force then).
  void add(const Policy& p, const YearMonth& now) {
    switch (p.kind) {
      case PolicyKind::kWageSubsidy:
        wage_subsidy.add(p, now);
        break;
      case PolicyKind::kGrant:
        grant.add(p, now);
        break;
      case PolicyKind::kLoanGuarantee:
        guarantee.add(p, now);
        break;
      case PolicyKind::kDebtMoratorium:
        moratorium.add(p, now);
        break;
    }
  }
  /// True if any policy pays this month.
  bool any() const { return wage_subsidy.on || grant.on || guarantee.on || moratorium.on; }
  /// True if a policy in force this month reaches only part of the firms of a size class:
  /// then firms' take-up draws are needed.
  bool partial_take_up() const {
    const auto partial = [](bool on, const std::array<double, 3>& take_up) {
      return on && *std::min_element(take_up.begin(), take_up.end()) < 1.0;
    };
    return partial(wage_subsidy.on, wage_subsidy.take_up) || partial(grant.on, grant.take_up) ||
           partial(guarantee.on, guarantee.take_up) || partial(moratorium.on, moratorium.take_up);
  }
};

/// Which policies in force reach one firm this month (all, when take-up is complete).
struct Reach {
  bool wage_subsidy = true;  ///< a wage subsidy may pay it
  bool grant = true;         ///< a grant may pay it
  bool guarantee = true;     ///< a loan guarantee extends its credit
  bool moratorium = true;    ///< a moratorium defers its interest and repayment
};

/// Support paid to one firm in one month, USD.
struct Support {
  double subsidy = 0.0;  ///< wage subsidy
  double grant = 0.0;    ///< stimulus grant
};

/// The support a firm that policies `r` reach receives: eligibility is a revenue drop
/// against baseline (USD).
inline Support support_for(const PolicyMonth& p, double revenue, double baseline_revenue, double wages, int n,
                           int size_class, const Reach& r = {}) {
  Support s;
  if (p.wage_subsidy.on || p.grant.on) {  // the division only in months with such a policy
    const double drop = 1.0 - revenue / baseline_revenue;
    s.subsidy = r.wage_subsidy ? p.wage_subsidy.paid(drop, wages, n) : 0.0;
    s.grant = r.grant ? p.grant.paid(drop, size_class) : 0.0;
  }
  return s;
}

/// A firm's credit in one month under the policies, USD.
struct Credit {
  double limit;          ///< credit limit, with a guarantee's extra credit
  double interest_paid;  ///< interest paid from cash this month
  double deferred;       ///< interest accrued to the debt under a moratorium
};

/// Interest and credit limit of a firm with debt `debt`, normal limit `normal_limit` and
/// baseline revenue `baseline_revenue` (USD), at `annual_rate` on ordinary debt:
/// guaranteed credit (above the normal limit) bears the guarantee's rate. Only the
/// policies `r` reach the firm.
inline Credit credit_under(const PolicyMonth& p, double debt, double normal_limit, double baseline_revenue,
                           double annual_rate, const Reach& r = {}) {
  const double guaranteed = r.guarantee ? p.guarantee.guaranteed(debt, normal_limit) : 0.0;
  const double interest = (debt - guaranteed) * (annual_rate / 12.0) + guaranteed * (p.guarantee.rate / 12.0);
  const bool deferred = p.moratorium.on && r.moratorium;
  return {normal_limit + (r.guarantee ? p.guarantee.extra_limit(baseline_revenue) : 0.0), deferred ? 0.0 : interest,
          deferred ? interest : 0.0};
}

/// Debt repaid from cash `excess` above the cash target (USD): none under a moratorium
/// that reaches the firm.
inline double repayment(const PolicyMonth& p, double excess, double debt, const Reach& r = {}) {
  return p.moratorium.on && r.moratorium ? 0.0 : std::min(excess, debt);
}

/// Debt above the normal limit that a guarantee reaching the firm covers, USD.
inline double guaranteed_credit(const PolicyMonth& p, double debt, double normal_limit, const Reach& r = {}) {
  return r.guarantee ? p.guarantee.guaranteed(debt, normal_limit) : 0.0;
}

/// Policy money of one (sector, size class) cell in one month, summed over firms; USD.
struct PolicyTotals {
  double wage_subsidy = 0;       ///< wage subsidy paid
  double grants = 0;             ///< stimulus grants paid
  double guaranteed_credit = 0;  ///< credit above the normal limit at month end
  double interest_deferred = 0;  ///< interest accrued under a moratorium
  double firms_supported = 0;    ///< firms reached by a policy they are eligible for
  double firms_not_reached = 0;  ///< firms eligible for a policy this month that none reached

  inline PolicyTotals& operator+=(const PolicyTotals& o);
};

/// A result variable of the policy totals (docs/OUTPUT.md): written per city and, at the
/// sectors level, per cell; its attributes tell readers how to use it.
struct PolicyOutput {
  const char* name;
  const char* units;
  const char* long_name;
  double PolicyTotals::*total;
  const char* spending_label;   ///< legend label if it is public money spent on SMEs, else nullptr
  const char* money_label;      ///< its row in `smesim inspect`'s money table
  const char* money_reduction;  ///< over time, for that row: "sum", "first", "last" or "max"
};

// clang-format off
inline constexpr PolicyOutput kPolicyOutputs[] = {
  {"wage_subsidy_paid_usd", "USD", "wage subsidy paid to SMEs during the month", &PolicyTotals::wage_subsidy,
   "Wage subsidy", "wage subsidy paid (USD)", "sum"},
  {"grants_paid_usd", "USD", "stimulus grants paid to SMEs during the month", &PolicyTotals::grants,
   "Stimulus grants", "stimulus grants paid (USD)", "sum"},
  {"guaranteed_credit_usd", "USD", "SME credit above the normal limit under a loan guarantee, month end",
   &PolicyTotals::guaranteed_credit, nullptr, "guaranteed credit, peak (USD)", "max"},
  {"interest_deferred_usd", "USD", "interest accrued to SME debt under a moratorium during the month",
   &PolicyTotals::interest_deferred, nullptr, "interest deferred (USD)", "sum"},
  {"firms_supported", "firms", "SMEs reached by a stimulus policy they were eligible for during the month",
   &PolicyTotals::firms_supported, nullptr, "SMEs supported, peak month", "max"},
  {"firms_not_reached", "firms", "SMEs eligible for a stimulus policy during the month that no such policy reached",
   &PolicyTotals::firms_not_reached, nullptr, "SMEs eligible, not reached, peak month", "max"},
};
// clang-format on

inline PolicyTotals& PolicyTotals::operator+=(const PolicyTotals& o) {
  for (const PolicyOutput& out : kPolicyOutputs) this->*out.total += o.*out.total;
  return *this;
}

/// Adds a firm's support this month to the totals.
inline void record_support(PolicyTotals& totals, const Support& s) {
  totals.wage_subsidy += s.subsidy;
  totals.grants += s.grant;
}

/// The counter of a firm's take-up draw: one uniform per firm (uid in city), the same in
/// every month and for every policy, so a firm reached stays reached and a firm that gets
/// one kind of support is the likeliest to get the others (applying takes the same
/// know-how). The uniform is to_unit of the first word.
inline Counter take_up_counter(std::uint32_t uid, std::uint32_t city) { return {uid, 0, city, Purpose::kTakeUp, 0}; }

/// A firm's take-up draw, made when called.
struct TakeUpDraw {
  const RandomKey& key;
  std::uint32_t uid;
  std::uint32_t city;

  /// The uniform in (0, 1): a policy reaches the firm if it is below the policy's take-up.
  double operator()() const { return to_unit(key.words(take_up_counter(uid, city))[0]); }
};

/// The policies that reach one firm this month, its take-up counted in `totals`. A firm is
/// eligible for a wage subsidy or grant by its revenue drop against baseline (USD), for a
/// moratorium if it has debt at the start of the month (USD), for a loan guarantee always.
/// The draw (a TakeUpDraw, or any callable that returns the same uniform) is made only
/// when a policy the firm is eligible for has take-up below 1.
template <class Draw = TakeUpDraw>
inline Reach reaching(const PolicyMonth& p, const Draw& draw, double revenue, double baseline_revenue, double debt,
                      int size_class, PolicyTotals& totals) {
  if (!p.any()) return {};  // months without policies cost one test
  const double drop = p.wage_subsidy.on || p.grant.on ? 1.0 - revenue / baseline_revenue : 0.0;
  const bool eligible[] = {p.wage_subsidy.eligible(drop), p.grant.eligible(drop), p.guarantee.on,
                           p.moratorium.on && debt > 0};
  const double take_up[] = {p.wage_subsidy.take_up[size_class], p.grant.take_up[size_class],
                            p.guarantee.take_up[size_class], p.moratorium.take_up[size_class]};
  bool any_eligible = false, partial = false;
  for (int k = 0; k < 4; ++k) any_eligible |= eligible[k], partial |= eligible[k] && take_up[k] < 1.0;
  if (!any_eligible) return {};
  const double u = partial ? draw() : 0.0;  // only drawn when it matters; a draw is below 1
  const bool reached[] = {u < take_up[0], u < take_up[1], u < take_up[2], u < take_up[3]};
  bool supported = false;
  for (int k = 0; k < 4; ++k) supported |= eligible[k] && reached[k];
  totals.firms_supported += supported;
  totals.firms_not_reached += !supported;
  return {reached[0], reached[1], reached[2], reached[3]};
}

/// The policies of `scenario` in force in city `city` at month `month` (none in burn-in).
PolicyMonth policies_in(const Scenario& scenario, int city, int month);

}  // namespace smesim
