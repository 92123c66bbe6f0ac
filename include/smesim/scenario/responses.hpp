// How firms respond to a revenue shortfall before they fail (docs/ODD.md 7.5): temporary
// closure, shorter hours, deferred bills and owners' funds. Section [responses].
#pragma once

namespace smesim {

/// The margins a firm uses, in order, when its revenue falls. Each has a switch; with all
/// four off a firm behaves as in smesim 0.1 (it keeps every worker at full hours and its
/// full fixed costs, and fails after `firms.months_to_fail` months it cannot pay).
/// Defaults are assumed near the survey evidence in shared/calibration/README.md ("How
/// SMEs in the region actually responded in 2020"); the shock-side calibration fits some.
struct FirmResponses {
  bool hibernation = true;               ///< firms may close temporarily. Default true.
  double hibernation_fixed_share = 0.3;  ///< share of fixed costs a closed firm still pays. Default 0.3.
  double furlough_pay_share = 0.0;       ///< share of wages paid to furloughed workers. Default 0.
  int max_closure_months = 12;           ///< months of closure after which the owner gives up. Default 12.
  double order_turnover = 0.0;           ///< monthly chance a firm's place in the lockdown order is redrawn.
  double repay_months = 24;              ///< a closed firm exits if debts exceed this many months of normal profit.
  bool hours = true;                     ///< firms cut hours before headcount. Default true.
  double hours_floor = 0.5;              ///< lowest hours, share of full time. Default 0.5.
  int max_short_hours_months = 3;        ///< months on short hours before headcount follows need. Default 3.
  bool deferral = true;                  ///< rent and supplier bills may fall into arrears. Default true.
  double arrears_months = 1.0;           ///< arrears limit, months of normal fixed and input bills. Default 1.
  bool owner_funds = true;               ///< owners put in their own money before a firm fails. Default true.
  double owner_funds_months = 1.0;       ///< median owner's funds, months of normal costs. Default 1.
  double owner_funds_sd = 1.0;           ///< sd of log owner's funds. Default 1.

  template <class V>
  void fields(V& v) {
    v.flag("hibernation", hibernation,
           {"firms may close temporarily when their sales would not cover inputs and wages (docs/ODD.md 7.5)", nullptr,
            "true"});
    v.number("hibernation_fixed_share", hibernation_fixed_share, 0, 1,
             {"share of its fixed costs (rent, utilities) a temporarily closed firm still pays (assumed; Didier et "
              "al. 2021 on hibernation)",
              "share"});
    v.number("furlough_pay_share", furlough_pay_share, 0, 1,
             {"share of the full wage bill a temporarily closed firm pays its furloughed workers (assumed: ADB 2020, "
              "more than half of Indonesian MSMEs suspended wage payments)",
              "share"});
    v.number("order_turnover", order_turnover, 0, 1,
             {"chance each month that a firm's place in the lockdown order (which firms an order closes) is drawn "
              "anew: containment zones and lists of permitted activities were revised while restrictions lasted. 0: "
              "the same firms stay closed for as long as the order does (default; the shipped scenarios: "
              "calibrated, `scenarios/calibrated-shock.toml`, to closure lengths)",
              "per month"});
    v.integer("max_closure_months", max_closure_months, 1, 120,
              {"months of temporary closure after which the owner closes the firm for good (assumed)", "months"});
    v.number("repay_months", repay_months, 0, 600,
             {"a closed firm closes for good when its debt and arrears exceed this many months of its normal "
              "operating profit, which reopening would have to repay them from (assumed)",
              "months"});
    v.flag("hours", hours,
           {"firms cut hours (and so the wage bill) before headcount (World Bank Business Pulse 2020: 64% of firms "
            "cut hours or wages, fewer than 20% laid off)",
            nullptr, "true"});
    v.number("hours_floor", hours_floor, 0.05, 1,
             {"lowest hours a firm cuts to before it lays workers off (assumed)", "share of full time"});
    v.integer("max_short_hours_months", max_short_hours_months, 0, 120,
              {"months a firm keeps its staff on short hours before headcount follows its need for labour "
               "(assumed)",
               "months"});
    v.flag("deferral", deferral,
           {"rent and supplier bills a firm cannot pay fall into arrears, repaid when cash returns", nullptr, "true"});
    v.number("arrears_months", arrears_months, 0, 24,
             {"most arrears a firm can run up (assumed)", "months of normal fixed and input bills"});
    v.flag(
        "owner_funds", owner_funds,
        {"owners put in their own money (household savings) when credit and arrears are exhausted", nullptr, "true"});
    v.number("owner_funds_months", owner_funds_months, 0, 60,
             {"median owner's funds available to a firm over its life, drawn per firm, lognormal (assumed)",
              "months of normal costs"});
    v.number("owner_funds_sd", owner_funds_sd, 0, 3, {"sd of the log owner's funds (assumed)", "log points"});
  }
};

}  // namespace smesim
