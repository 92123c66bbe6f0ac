// The key reference of optimisation files, for docs/SCENARIOS.md's generated tables.
#pragma once

#include <vector>

#include "smesim/scenario/reference.hpp"

namespace smesim {

/// Every key an optimisation file may hold: "optimisation" (the top level),
/// "optimisation.objective", "optimisation.budget" and "optimisation.variables".
std::vector<SectionDoc> optimisation_reference();

}  // namespace smesim
