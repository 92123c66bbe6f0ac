// Scenario parameters of the local economy: input-output demand, resilience, hazards.
#pragma once

#include <string>
#include <vector>

#include "smesim/core/calendar.hpp"

namespace smesim {

/// Local demand with input-output spillovers (MODEL.md step 2). Section [demand].
struct DemandSettings {
  double household_mpc = 0.5;            ///< mpc: local spending per dollar of lost wages. Default 0.5.
  double max_intermediate_share = 0.6;   ///< cap on a sector's sales to local SMEs, share of its output. Default 0.6.
  double local_input_share = 0.35;       ///< share of a buyer's inputs bought locally (default matrix). Default 0.35.

  template <class V>
  void fields(V& v) {
    v.number("household_mpc", household_mpc, 0, 1, "local spending per dollar of wage income lost (induced demand)");
    v.number("max_intermediate_share", max_intermediate_share, 0, 0.95,
             "largest share of a sector's baseline output sold to other local SMEs");
    v.number("local_input_share", local_input_share, 0, 1,
             "share of a buyer's intermediate inputs bought from local SMEs (default matrix)");
  }
};

/// How resilience works (MODEL.md step 7). Section [resilience].
struct ResilienceSettings {
  double decay = 0.005;              ///< monthly relative decay of R. Default 0.005.
  double demand_protection = 0.5;    ///< rho_d: pandemic demand shock scaled by 1 - rho_d R. Default 0.5.
  double hazard_protection = 0.8;    ///< rho_h: hazard shocks scaled by 1 - rho_h R. Default 0.8.

  template <class V>
  void fields(V& v) {
    v.number("decay", decay, 0, 1, "monthly relative decay of the resilience index R");
    v.number("demand_protection", demand_protection, 0, 1, "rho_d: pandemic demand shocks scale with 1 - rho_d R");
    v.number("hazard_protection", hazard_protection, 0, 1, "rho_h: hazard shocks and damage scale with 1 - rho_h R");
  }
};

/// A city's natural-hazard process. Table [cities.ID.hazard].
struct Hazard {
  double annual_probability = 0;        ///< chance of a hazard in a year (drawn monthly). Default 0.
  double severity = 0.3;                ///< demand share lost in the hit sectors. Default 0.3.
  int duration_months = 3;              ///< months the demand shock lasts. Default 3.
  double cash_damage = 0.2;             ///< share of cash destroyed in a touched firm. Default 0.2.
  double firm_share = 0.3;              ///< share of firms a hazard touches. Default 0.3.
  std::vector<std::string> sectors;     ///< sectors hit; default all.
  std::vector<YearMonth> events;        ///< months with a hazard for certain (besides the random ones).
  std::vector<int> sector_index;        ///< resolved `sectors`

  template <class V>
  void fields(V& v) {
    v.number("annual_probability", annual_probability, 0, 1, "chance of a hazard in a year, drawn monthly");
    v.number("severity", severity, 0, 1, "demand share lost in the hit sectors while the hazard lasts");
    v.integer("duration_months", duration_months, 1, 120, "months the demand shock lasts");
    v.number("cash_damage", cash_damage, 0, 1, "share of cash destroyed in each touched firm");
    v.number("firm_share", firm_share, 0, 1, "share of firms a hazard touches");
    v.names("sectors", sectors, "sectors whose demand is hit (default: all)");
    v.months("events", events, "months with a hazard for certain, e.g. [\"2022-10\"]");
  }
};

}  // namespace smesim
