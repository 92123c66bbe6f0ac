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
inline constexpr std::pair<const char*, PolicyKind> kPolicyKinds[] = {
    {"wage_subsidy", PolicyKind::kWageSubsidy},
    {"grant", PolicyKind::kGrant},
    {"loan_guarantee", PolicyKind::kLoanGuarantee},
    {"debt_moratorium", PolicyKind::kDebtMoratorium}};

/// One policy. Array [[policies]]; the keys allowed depend on `kind`.
struct Policy {
  PolicyKind kind = PolicyKind::kWageSubsidy;  ///< Key `kind`, required.
  YearMonth start{2020, 4};                    ///< first month (the month of a grant), required.
  std::optional<YearMonth> end;                ///< first month without it; default: never.
  std::vector<std::string> cities;             ///< city ids; default all.
  double rate = 0.5;                  ///< wage subsidy: share of the wage bill. Default 0.5.
  double threshold = 0.3;             ///< revenue drop against baseline that makes a firm eligible. Default 0.3.
  bool retention = false;             ///< wage subsidy: recipients fire nobody. Default false.
  double cap_per_worker_usd = 1e12;   ///< wage subsidy cap per worker-month. Default none.
  std::array<double, 3> amount_usd{2000, 10000, 30000};  ///< grant per firm by size class.
  double credit_months = 2.0;         ///< loan guarantee: extra credit, months of baseline revenue. Default 2.
  double guarantee_rate = 0.02;       ///< loan guarantee: annual interest on guaranteed credit. Default 0.02.
  std::vector<int> city_index;        ///< resolved `cities`

  template <class V>
  void fields(V& v) {
    v.required_month("start", start, "first month (for a grant: the month it is paid)");
    if (kind != PolicyKind::kGrant) v.optional_month("end", end, "first month without the policy");
    v.names("cities", cities, "ids of the cities it applies in (default: all)");
    switch (kind) {
      case PolicyKind::kWageSubsidy:
        v.number("rate", rate, 0, 1, "share of the wage bill paid");
        v.number("threshold", threshold, 0, 1, "revenue drop against baseline that makes a firm eligible");
        v.flag("retention", retention, "recipients may not fire");
        v.number("cap_per_worker_usd", cap_per_worker_usd, 0, 1e12, "largest subsidy per worker-month, USD");
        break;
      case PolicyKind::kGrant:
        v.number("threshold", threshold, 0, 1, "revenue drop against baseline that makes a firm eligible");
        v.number("amount_micro_usd", amount_usd[0], 0, 1e9, "grant to a micro firm, USD");
        v.number("amount_small_usd", amount_usd[1], 0, 1e9, "grant to a small firm, USD");
        v.number("amount_medium_usd", amount_usd[2], 0, 1e9, "grant to a medium firm, USD");
        break;
      case PolicyKind::kLoanGuarantee:
        v.number("credit_months", credit_months, 0, 60, "extra credit limit, months of baseline revenue");
        v.number("guarantee_rate", guarantee_rate, 0, 1, "annual interest rate on guaranteed credit");
        break;
      case PolicyKind::kDebtMoratorium:
        break;
    }
  }
  /// True in months [start, end).
  bool active(const YearMonth& now) const {
    return months_between(start, now) >= 0 && (!end || months_between(now, *end) > 0);
  }
};

}  // namespace smesim
