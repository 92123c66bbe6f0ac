// Scenario parameters of national stimulus policies (MODEL.md step 5).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "smesim/core/calendar.hpp"

namespace smesim {

/// The kinds of stimulus policy.
enum class PolicyKind { kWageSubsidy, kGrant, kLoanGuarantee, kDebtMoratorium };

/// Scenario names of the policy kinds.
inline constexpr std::pair<const char*, PolicyKind> kPolicyKinds[] = {{"wage_subsidy", PolicyKind::kWageSubsidy},
                                                                      {"grant", PolicyKind::kGrant},
                                                                      {"loan_guarantee", PolicyKind::kLoanGuarantee},
                                                                      {"debt_moratorium", PolicyKind::kDebtMoratorium}};

/// One policy. Array [[policies]]; the keys allowed depend on `kind`.
struct Policy {
  PolicyKind kind = PolicyKind::kWageSubsidy;  ///< Key `kind`, required.
  YearMonth start{2020, 4};                    ///< first month (the month of a grant), required.
  std::optional<YearMonth> end;                ///< first month without it; default: never.
  std::vector<std::string> cities;             ///< city ids; default all.
  double rate = 0.5;                           ///< wage subsidy: share of the wage bill. Default 0.5.
  double threshold = 0.3;            ///< revenue drop against baseline that makes a firm eligible. Default 0.3.
  bool retention = false;            ///< wage subsidy: recipients fire nobody. Default false.
  double cap_per_worker_usd = 1e12;  ///< wage subsidy cap per worker-month. Default none.
  std::array<double, 3> amount_usd{2000, 10000, 30000};  ///< grant per firm by size class.
  double credit_months = 2.0;    ///< loan guarantee: extra credit, months of baseline revenue. Default 2.
  double guarantee_rate = 0.02;  ///< loan guarantee: annual interest on guaranteed credit. Default 0.02.
  /// Share of eligible firms reached, by size class. Default 0.15, 0.30, 0.45 (assumed).
  std::array<double, 3> take_up{0.15, 0.30, 0.45};
  int application_delay_months = 1;  ///< months from `start` before it pays anyone. Default 1 (assumed).
  std::vector<int> city_index;       ///< resolved `cities`

  template <class V>
  void fields(V& v) {
    v.required_month("start", start,
                     {"first month (for a grant: the month it is paid, after `application_delay_months`)"});
    if (kind != PolicyKind::kGrant)
      v.optional_month(
          "end", end,
          {"first month without the policy; a month after `start`", nullptr, "none: to the end of the run"});
    v.names("cities", cities,
            {"ids of the cities it applies in", nullptr, "all cities in `simulation.cities` (also for `[]`)"});
    take_up_fields(v);
    switch (kind) {
      case PolicyKind::kWageSubsidy:
        v.number("rate", rate, 0, 1, {"share of the wage bill paid", "share"});
        v.number("threshold", threshold, 0, 1,
                 {"eligible if revenue this month (contract payments included) is at least this share below the "
                  "firm's baseline revenue",
                  "share"});
        v.flag("retention", retention, {"recipients may not fire in a month they receive the subsidy"});
        v.number("cap_per_worker_usd", cap_per_worker_usd, 0, 1e12,
                 {"largest subsidy per worker-month", "USD", "1e12 (no cap)"});
        break;
      case PolicyKind::kGrant:
        v.number("threshold", threshold, 0, 1,
                 {"eligible if revenue in the grant month (contract payments included) is at least this share "
                  "below the firm's baseline revenue",
                  "share"});
        v.number("amount_micro_usd", amount_usd[0], 0, 1e9, {"grant to a micro firm", "USD per firm"});
        v.number("amount_small_usd", amount_usd[1], 0, 1e9, {"grant to a small firm", "USD per firm"});
        v.number("amount_medium_usd", amount_usd[2], 0, 1e9, {"grant to a medium firm", "USD per firm"});
        break;
      case PolicyKind::kLoanGuarantee:
        v.number("credit_months", credit_months, 0, 60,
                 {"extra credit limit above the normal one", "months of baseline revenue"});
        v.number("guarantee_rate", guarantee_rate, 0, 1,
                 {"interest on debt above the normal limit while the guarantee is in force", "per year"});
        break;
      case PolicyKind::kDebtMoratorium:
        break;
    }
  }
  /// Take-up and delay, the same keys for every kind.
  template <class V>
  void take_up_fields(V& v) {
    v.number("take_up_micro", take_up[0], 0, 1,
             {"share of eligible micro firms the policy reaches; the same firms every month", "share",
              "0.15 (**assumed**: support reached 7% to 23% of firms in 2020, micro firms least; docs/ODD.md)"});
    v.number("take_up_small", take_up[1], 0, 1,
             {"share of eligible small firms the policy reaches; the same firms every month", "share",
              "0.30 (**assumed**, as `take_up_micro`)"});
    v.number("take_up_medium", take_up[2], 0, 1,
             {"share of eligible medium firms the policy reaches; the same firms every month", "share",
              "0.45 (**assumed**, as `take_up_micro`)"});
    v.integer("application_delay_months", application_delay_months, 0, 24,
              {"months after `start` before the policy pays anyone (application, checks, disbursement); a grant is "
               "paid this many months after `start`, a policy with an `end` stops at its end",
               "months", "1 (**assumed**)"});
  }
  /// True in months [start + application_delay_months, end): when it pays.
  bool active(const YearMonth& now) const {
    return months_between(start, now) >= application_delay_months && (!end || months_between(now, *end) > 0);
  }
  /// The month a grant is paid: its start plus the application delay.
  YearMonth paid_month() const { return start.plus(application_delay_months); }
};

}  // namespace smesim
