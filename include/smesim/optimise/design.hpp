// A design of an optimisation: the budget's shares and every decision variable's value,
// turned into scenario overrides; and the unit cube the continuous search moves in.
#pragma once

#include <string>
#include <vector>

#include "smesim/optimise/problem.hpp"
#include "smesim/scenario/scenario.hpp"

namespace smesim {

/// One point of the decision space.
struct DesignPoint {
  std::vector<double> shares;  ///< the budget's share per budget city (sums to 1); empty without a budget
  std::vector<double> values;  ///< per variable: its value (continuous, integer) or the index of its choice
};

/// The base design: the equal split and every variable at its start.
DesignPoint base_design(const Problem& p);

/// The overrides ("key=value", as --set takes them) that make the base scenario `d`.
std::vector<std::string> design_overrides(const Problem& p, const DesignPoint& d);

/// The scenario of design `d` (the base with the problem's `set` and the design's
/// overrides), with `replications` and `seed` set. ScenarioError from the loader.
Scenario design_scenario(const Problem& p, const DesignPoint& d, int replications, std::int64_t seed);

/// The counterfactual scenario with `replications` and `seed` set.
Scenario counterfactual_scenario(const Problem& p, int replications, std::int64_t seed);

/// Dimensions of the continuous search: budget cities - 1, then continuous and integer variables.
std::size_t search_dimensions(const Problem& p);

/// Shares on the simplex from z in [0, 1]^(n-1) by stick breaking: share_i = z_i x what
/// earlier cities left; the last city takes the rest. Every z gives a valid split.
std::vector<double> shares_from_unit(const std::vector<double>& z);
/// The inverse: z for given shares (z_i = share_i / what is left; 0 when nothing is).
std::vector<double> unit_from_shares(const std::vector<double>& shares);

/// The design at unit point `x` of the continuous search, choices taken from `choices`.
DesignPoint design_from_unit(const Problem& p, const std::vector<double>& x, const DesignPoint& choices);
/// The unit point of design `d`.
std::vector<double> unit_from_design(const Problem& p, const DesignPoint& d);

/// A text that identifies a design (equal designs, equal text): the cache key of evaluations.
std::string design_key(const Problem& p, const DesignPoint& d);

}  // namespace smesim
