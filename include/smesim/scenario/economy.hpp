// Scenario parameters of the local economy: input-output demand, resilience, hazards.
#pragma once

#include <string>
#include <vector>

#include "smesim/core/calendar.hpp"

namespace smesim {

/// Local demand with input-output spillovers (MODEL.md step 2). Section [demand].
struct DemandSettings {
  double household_mpc = 0.5;           ///< mpc: local spending per dollar of lost wages. Default 0.5.
  double max_intermediate_share = 0.6;  ///< cap on a sector's sales to local SMEs, share of its output. Default 0.6.
  double local_input_share = 0.35;      ///< share of a buyer's inputs bought locally (default matrix). Default 0.35.

  template <class V>
  void fields(V& v) {
    v.number("household_mpc", household_mpc, 0, 1,
             {"mpc: local spending lost per dollar of SME wage bill lost (induced demand)", "share"});
    v.number("max_intermediate_share", max_intermediate_share, 0, 0.95,
             {"largest share of a sector's baseline output that it sells to other local SMEs; rows of the "
              "coefficient matrix are scaled down at month 0 where needed",
              "share of output"});
    v.number("local_input_share", local_input_share, 0, 1,
             {"share of a buyer's intermediate inputs bought from local SMEs, used only to build the "
              "default coefficient matrix",
              "share"});
  }
};

/// How resilience works (MODEL.md step 7). Section [resilience].
struct ResilienceSettings {
  double decay = 0.005;            ///< monthly relative decay of R. Default 0.005.
  double demand_protection = 0.5;  ///< rho_d: pandemic demand shock scaled by 1 - rho_d R. Default 0.5.
  double hazard_protection = 0.8;  ///< rho_h: hazard shocks scaled by 1 - rho_h R. Default 0.8.

  template <class V>
  void fields(V& v) {
    v.number("decay", decay, 0, 1, {"relative decay of R each month: R <- R (1 - decay) + gains", "per month"});
    v.number("demand_protection", demand_protection, 0, 1,
             {"rho_d: the pandemic demand shock is scaled by 1 - rho_d R", "share"});
    v.number("hazard_protection", hazard_protection, 0, 1,
             {"rho_h: a hazard's demand shock and cash damage are scaled by 1 - rho_h R", "share"});
  }
};

/// A city's natural-hazard process. Table [cities.ID.hazard].
struct Hazard {
  double annual_probability = 0;     ///< chance of a hazard in a year (drawn monthly). Default 0.
  double severity = 0.3;             ///< demand share lost in the hit sectors. Default 0.3.
  int duration_months = 3;           ///< months the demand shock lasts. Default 3.
  double cash_damage = 0.2;          ///< share of cash destroyed in a touched firm. Default 0.2.
  double firm_share = 0.3;           ///< share of firms a hazard touches. Default 0.3.
  std::vector<std::string> sectors;  ///< sectors hit; default all.
  std::vector<YearMonth> events;     ///< months with a hazard for certain (besides the random ones).
  std::vector<int> sector_index;     ///< resolved `sectors`

  template <class V>
  void fields(V& v) {
    v.number("annual_probability", annual_probability, 0, 1,
             {"chance of a hazard in a year, drawn every reported month with probability 1 - (1 - "
              "p)^(1/12)",
              "per year"});
    v.number("severity", severity, 0, 1,
             {"share of final demand lost in the hit sectors while the hazard lasts, times 1 - rho_h R", "share"});
    v.integer("duration_months", duration_months, 1, 120,
              {"months the demand shock lasts, the strike month included; a new strike restarts the count", "months"});
    v.number("cash_damage", cash_damage, 0, 1,
             {"share of cash destroyed in each touched firm, times 1 - rho_h R", "share"});
    v.number("firm_share", firm_share, 0, 1,
             {"chance that a strike touches a live firm (drawn per firm; only positive cash is destroyed)", "share"});
    v.names("sectors", sectors, {"sectors whose demand is hit; names in `simulation.sectors`", nullptr, "all sectors"});
    v.months("events", events, {"months with a hazard for certain, besides the random ones"});
  }
};

}  // namespace smesim
