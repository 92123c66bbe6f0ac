// Internal to the scenario loader: readers of the economy sections (programme,
// procurement, hazards, input-output, policies).
#pragma once

#include "section.hpp"
#include "smesim/scenario/scenario.hpp"

namespace smesim::detail {

/// Reads a city's procurement, programme, hazard and input-output tables from `city`
/// (the [cities.ID] section) into `c`; needs the scenario's sectors and demand settings.
void read_city_economy(Section& city, City& c, const Scenario& sc);

/// Reads [[policies]] into sc.policies; needs the scenario's cities.
void read_policies(Section& root, Scenario& sc);

}  // namespace smesim::detail
