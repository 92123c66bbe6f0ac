// MODEL.md step 1: stringency from lockdown waves and real series, direct demand shocks and supply capacity.
#pragma once

#include <cstddef>
#include <vector>

#include "smesim/scenario/scenario.hpp"

namespace smesim {

/// Stringency S(c, t) in [0, 1] of city `city` at month `t` (0 = scenario start; negative
/// months are burn-in and have none): the larger of its waves and its real series.
double stringency(const Scenario& scenario, std::size_t city, int t);

/// Stringency in [0, 1] from the city's waves alone, at month `t` (0 = `start`; negative
/// months have none). Overlapping waves combine by maximum.
double wave_stringency(const City& city, const YearMonth& start, int t);

/// Stringency in [0, 1] from the city's real series (`stringency = "oxcgrt:ID"`) through
/// `mapping`, at month `t` (0 = `start`); 0 without a series and in negative months.
double series_stringency(const City& city, const StringencyMapping& mapping, const YearMonth& start, int t);

/// A city's sector conditions in one month, one entry per sector.
struct SectorConditions {
  std::vector<double> demand_shock;  ///< g(c,s,t): share of final demand lost
  std::vector<double> demand;        ///< D(c,s,t): demand index, 1 = baseline, >= 0
  std::vector<double> supply;        ///< q(c,s,t): supply capacity, share of normal
};

/// Direct pandemic shocks g = delta_s S (1 - rho_d R) and capacity q = 1 - sigma_s S, for
/// stringency S and resilience R. The demand index is set to D = max(0, 1 - g); the
/// input-output step (LocalDemand) replaces it once the baseline economy is known.
SectorConditions sector_conditions(const Scenario& scenario, double stringency, double resilience = 0.0);

/// Sets D = max(0, 1 - g) from the shocks in `c`.
void direct_demand(SectorConditions& c);

}  // namespace smesim
