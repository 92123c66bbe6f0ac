// Scenario parameters of the city resilience programme and its procurement (MODEL.md step 6).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "smesim/core/calendar.hpp"

namespace smesim {

/// How the city matches the foundation's grant.
enum class MatchMode { kCash, kInKind };

/// Scenario names of the match modes.
inline constexpr std::pair<const char*, MatchMode> kMatchModes[] = {{"cash", MatchMode::kCash},
                                                                    {"in_kind", MatchMode::kInKind}};

/// The bid model and reform effects, shared by all cities. Section [procurement].
struct ProcurementSettings {
  double bid_intercept = -1.0;        ///< b0 of the bid logistic. Default -1.
  double bid_capability = 3.0;        ///< b_k: weight of capability. Default 3.
  double bid_size = 0.4;              ///< b_n: weight of ln(employees). Default 0.4.
  double capacity_cap = 0.5;          ///< award <= cap x baseline monthly revenue x duration. Default 0.5.
  double reform_barrier_cut = 1.0;    ///< barrier reduction under reform. Default 1.
  int reform_payment_delay_months = 1;  ///< payment delay under reform. Default 1.
  double reform_max_award_share = 0.02;  ///< max award share under reform (smaller lots). Default 0.02.
  double ta_capability_gain = 0.15;   ///< capability added by technical assistance. Default 0.15.
  double ta_barrier_cut = 0.5;        ///< bid barrier reduction for assisted SMEs. Default 0.5.

  template <class V>
  void fields(V& v) {
    v.number("bid_intercept", bid_intercept, -20, 20, "b0: intercept of the bid probability logistic");
    v.number("bid_capability", bid_capability, 0, 20, "b_k: weight of capability in the bid logistic");
    v.number("bid_size", bid_size, 0, 20, "b_n: weight of ln(employees) in the bid logistic");
    v.number("capacity_cap", capacity_cap, 0.01, 100,
             "an award is at most this many months of baseline revenue per month of the contract");
    v.number("reform_barrier_cut", reform_barrier_cut, 0, 20, "bid barrier reduction where reform is on");
    v.integer("reform_payment_delay_months", reform_payment_delay_months, 0, 24, "payment delay where reform is on");
    v.number("reform_max_award_share", reform_max_award_share, 0.0001, 1,
             "largest award as a share of the project budget where reform is on (smaller lots)");
    v.number("ta_capability_gain", ta_capability_gain, 0, 1, "capability added by technical assistance");
    v.number("ta_barrier_cut", ta_barrier_cut, 0, 20, "bid barrier reduction for SMEs given technical assistance");
  }
};

/// A city's procurement system. Table [cities.ID.procurement].
struct CityProcurement {
  double barrier = 1.0;               ///< bid barrier in the logistic. Default 1.
  double evaluation_noise = 0.1;      ///< sd of the score noise. Default 0.1.
  int payment_delay_months = 2;       ///< months from delivery to payment. Default 2.
  bool reform = false;                ///< procurement reform switch. Default false.

  template <class V>
  void fields(V& v) {
    v.number("barrier", barrier, 0, 20, "bid barrier subtracted in the bid logistic");
    v.number("evaluation_noise", evaluation_noise, 0, 10, "sd of the noise added to capability in bid scores");
    v.integer("payment_delay_months", payment_delay_months, 0, 24, "months between delivery and payment");
    v.flag("reform", reform, "procurement reform: lower barrier, shorter delay, smaller lots");
  }
};

/// One resilience project: a procurement call. Array [[cities.ID.programme.projects]].
struct Project {
  std::string name;                   ///< Key `name`, default "".
  std::vector<std::string> sectors;   ///< eligible supplier sectors, required.
  double budget_share = 0;            ///< share of the city's programme budget, required.
  YearMonth call{2021, 6};            ///< month of the call, required.
  int duration_months = 6;            ///< contract duration. Default 6.
  double max_award_share = 0.1;       ///< largest award, share of the project budget. Default 0.1.
  double resilience_gain = 0.05;      ///< R gained if fully delivered. Default 0.05.
  int min_employees = 1;              ///< smallest eligible firm. Default 1.
  std::vector<int> sector_index;      ///< resolved `sectors`

  template <class V>
  void fields(V& v) {
    v.text("name", name, "project name");
    v.names("sectors", sectors, "eligible supplier sectors");
    v.required_number("budget_share", budget_share, 0, 1, "share of the city's programme budget");
    v.required_month("call", call, "month of the procurement call");
    v.integer("duration_months", duration_months, 1, 120, "contract duration, months");
    v.number("max_award_share", max_award_share, 0.0001, 1, "largest award as a share of the project budget");
    v.number("resilience_gain", resilience_gain, 0, 1, "resilience index gained if the project is fully delivered");
    v.integer("min_employees", min_employees, 1, 100000, "smallest eligible firm, employees");
  }
};

/// A city's programme funding. Table [cities.ID.programme].
struct Programme {
  bool enabled = true;                ///< false: the city runs without the programme. Default true.
  double grant_usd = 0;               ///< foundation grant (city total), required.
  double match_ratio = 1.0;           ///< city match per dollar of grant. Default 1.
  MatchMode match_mode = MatchMode::kCash;  ///< "cash" or "in_kind". Default "cash".
  double ta_cost_per_sme = 2000;      ///< cost of technical assistance per SME, USD. Default 2000.
  YearMonth start{2021, 3};           ///< month in-kind assistance is given. Default 2021-03.
  std::vector<Project> projects;

  /// Procurement budget: grant x (1 + ratio) in cash mode, the grant in kind.
  double budget_usd() const { return match_mode == MatchMode::kCash ? grant_usd * (1 + match_ratio) : grant_usd; }

  template <class V>
  void fields(V& v) {
    v.flag("enabled", enabled, "false runs the city without the programme (the counterfactual)");
    v.required_number("grant_usd", grant_usd, 0, 1e12, "foundation grant to the city, USD (city total)");
    v.number("match_ratio", match_ratio, 0, 100, "city match per dollar of grant");
    v.choice("match_mode", match_mode, kMatchModes,
             "\"cash\" (adds to the budget) or \"in_kind\" (buys technical assistance)");
    v.number("ta_cost_per_sme", ta_cost_per_sme, 1, 1e9, "cost of technical assistance per SME, USD");
    v.month("start", start, "month the in-kind technical assistance is given");
  }
};

}  // namespace smesim
