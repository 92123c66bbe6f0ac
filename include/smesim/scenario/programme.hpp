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
  double bid_intercept = -1.0;           ///< b0 of the bid logistic. Default -1.
  double bid_capability = 3.0;           ///< b_k: weight of capability. Default 3.
  double bid_size = 0.4;                 ///< b_n: weight of ln(employees). Default 0.4.
  double capacity_cap = 0.5;             ///< award <= cap x baseline monthly revenue x duration. Default 0.5.
  double reform_barrier_cut = 1.0;       ///< barrier reduction under reform. Default 1.
  int reform_payment_delay_months = 1;   ///< payment delay under reform. Default 1.
  double reform_max_award_share = 0.02;  ///< max award share under reform (smaller lots). Default 0.02.
  double ta_capability_gain = 0.15;      ///< capability added by technical assistance. Default 0.15.
  double ta_barrier_cut = 0.5;           ///< bid barrier reduction for assisted SMEs. Default 0.5.

  template <class V>
  void fields(V& v) {
    v.number("bid_intercept", bid_intercept, -20, 20, {"b0 of the bid logistic", "log-odds"});
    v.number("bid_capability", bid_capability, 0, 20, {"b_k: weight of capability k", "log-odds per unit"});
    v.number("bid_size", bid_size, 0, 20, {"b_n: weight of ln(current employees)", "log-odds per log employee"});
    v.number("capacity_cap", capacity_cap, 0.01, 100,
             {"an award is at most `capacity_cap` x the firm's baseline monthly revenue x the contract's "
              "months",
              "months of revenue per contract month"});
    v.number("reform_barrier_cut", reform_barrier_cut, 0, 20,
             {"barrier reduction where the city's `reform = true`", "log-odds"});
    v.integer("reform_payment_delay_months", reform_payment_delay_months, 0, 24,
              {"payment delay where reform is on (the shorter of this and the city's delay)", "months"});
    v.number("reform_max_award_share", reform_max_award_share, 0.0001, 1,
             {"largest award as a share of the project budget (city total, like `max_award_share`) where "
              "reform is on (the smaller of this and the project's `max_award_share`)",
              "share"});
    v.number("ta_capability_gain", ta_capability_gain, 0, 1,
             {"capability added by technical assistance (capped at 1)", "capability"});
    v.number("ta_barrier_cut", ta_barrier_cut, 0, 20,
             {"bid barrier reduction for SMEs that received technical assistance", "log-odds"});
  }
};

/// A city's procurement system. Table [cities.ID.procurement].
struct CityProcurement {
  double barrier = 1.0;           ///< bid barrier in the logistic. Default 1.
  double evaluation_noise = 0.1;  ///< sd of the score noise. Default 0.1.
  int payment_delay_months = 2;   ///< months from delivery to payment. Default 2.
  bool reform = false;            ///< procurement reform switch. Default false.

  template <class V>
  void fields(V& v) {
    v.number("barrier", barrier, 0, 20, {"bid barrier subtracted in the bid logistic", "log-odds"});
    v.number("evaluation_noise", evaluation_noise, 0, 10,
             {"sd of the normal noise added to capability in bid scores", "capability"});
    v.integer("payment_delay_months", payment_delay_months, 0, 24,
              {"months between the first month of delivery and the first payment (see docs/ODD.md 7.7)", "months"});
    v.flag("reform", reform,
           {"procurement reform: the barrier falls by `reform_barrier_cut`, the delay becomes the "
            "shorter of this city's delay and `reform_payment_delay_months`, and awards are capped at "
            "`reform_max_award_share` of a project budget if that is smaller than the project's "
            "`max_award_share`"});
  }
};

/// One resilience project: a procurement call. Array [[cities.ID.programme.projects]].
struct Project {
  std::string name;                  ///< Key `name`, default "".
  std::vector<std::string> sectors;  ///< eligible supplier sectors, required.
  double budget_share = 0;           ///< share of the city's programme budget, required.
  YearMonth call{2021, 6};           ///< month of the call, required.
  int duration_months = 6;           ///< contract duration. Default 6.
  double max_award_share = 0.1;      ///< largest award, share of the project budget. Default 0.1.
  double resilience_gain = 0.05;     ///< R gained if fully delivered. Default 0.05.
  int min_employees = 1;             ///< smallest eligible firm. Default 1.
  std::vector<int> sector_index;     ///< resolved `sectors`

  template <class V>
  void fields(V& v) {
    v.text("name", name, {"project name (for readers; the output identifies projects by index)"});
    v.names("sectors", sectors,
            {"eligible supplier sectors: a non-empty list of names in `simulation.sectors`", nullptr, "**required**"});
    v.required_number(
        "budget_share", budget_share, 0, 1,
        {"share of the city's programme budget; the shares of a city's projects sum to at most 1", "share"});
    v.required_month("call", call,
                     {"month of the call; contracts are awarded at the end of this month (no call runs if it "
                      "falls after the last reported month); not before `simulation.start`, also in a disabled "
                      "programme"});
    v.integer("duration_months", duration_months, 1, 120, {"months of delivery of each contract", "months"});
    v.number("max_award_share", max_award_share, 0.0001, 1,
             {"largest award (the lot) as a share of the project's city-total budget (`budget_share` x "
              "the programme budget before `population_scale`), so lots have real size at any scale",
              "share"});
    v.number("resilience_gain", resilience_gain, 0, 1,
             {"R gained if the whole project budget is delivered; partly delivered or unawarded budget "
              "gives a proportional part",
              "index"});
    v.integer("min_employees", min_employees, 1, 100000,
              {"smallest eligible firm, by current employment", "employees"});
  }
};

/// A city's programme funding. Table [cities.ID.programme].
struct Programme {
  bool enabled = true;                      ///< false: the city runs without the programme. Default true.
  double grant_usd = 0;                     ///< foundation grant (city total), required.
  double match_ratio = 1.0;                 ///< city match per dollar of grant. Default 1.
  MatchMode match_mode = MatchMode::kCash;  ///< "cash" or "in_kind". Default "cash".
  double ta_cost_per_sme = 2000;            ///< cost of technical assistance per SME, USD. Default 2000.
  YearMonth start{2021, 3};                 ///< month in-kind assistance is given. Default 2021-03.
  std::vector<Project> projects;

  /// Procurement budget: grant x (1 + ratio) in cash mode, the grant in kind.
  double budget_usd() const { return match_mode == MatchMode::kCash ? grant_usd * (1 + match_ratio) : grant_usd; }

  template <class V>
  void fields(V& v) {
    v.flag("enabled", enabled,
           {"`false` runs the city without the programme (the counterfactual). The table is still "
            "checked in full (so `grant_usd` is still required), then left out: results are bitwise "
            "those of a city without the table"});
    v.required_number("grant_usd", grant_usd, 0, 1e12, {"foundation grant to the city", "USD, city total"});
    v.number("match_ratio", match_ratio, 0, 100, {"city match per dollar of grant", "ratio"});
    v.choice("match_mode", match_mode, kMatchModes,
             {"`\"cash\"`: the procurement budget is `grant_usd x (1 + match_ratio)`; `\"in_kind\"`: the "
              "budget is `grant_usd`, and the match `match_ratio x grant_usd` buys technical assistance"});
    v.number("ta_cost_per_sme", ta_cost_per_sme, 1, 1e9,
             {"cost of technical assistance per SME (in-kind mode): up to `floor(match / cost)` SMEs are "
              "assisted",
              "USD per SME"});
    v.month("start", start,
            {"month the technical assistance is given (in-kind mode only; none is given if it falls "
             "after the last reported month); in in-kind mode not before `simulation.start`"});
  }
};

}  // namespace smesim
