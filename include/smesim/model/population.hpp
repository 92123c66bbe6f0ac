// MODEL.md "Initialisation" and the entrants of step 4: drawing new firms.
#pragma once

#include <cstdint>
#include <vector>

#include "smesim/core/rng.hpp"
#include "smesim/model/city_economy.hpp"
#include "smesim/model/firm_table.hpp"

namespace smesim {

/// Fills `table` with the city's initial firms, uids 0 to initial_firms - 1, drawn in
/// parallel straight into cell-major order; every draw is keyed by the uid, so the
/// same seed gives the same firms in every scenario with the same city.
/// `isa` caps the build of the vectorised draws (tests compare them; all give the same
/// bits).
void synthesise_population(FirmTable& table, const Scenario& scenario, const CityEconomy& city, const RandomKey& key,
                           Isa isa = cpu_isa());

/// Draws this month's entrants into positions first .. of a table already sized for
/// them: entrant b has uid first_uid + b and the sector s with births_end[s - 1] <= b <
/// births_end[s] (births_end: the running total of births by sector).
void draw_entrants(FirmTable& table, std::size_t first, const Scenario& scenario, const CityEconomy& city,
                   const RandomKey& key, std::uint32_t first_uid, int month, const std::vector<std::size_t>& births_end,
                   Isa isa = cpu_isa());

/// Size class of a firm of normal size `n`.
inline int size_class_of(const SizeClassBounds& b, int n) { return (n > b.micro_max) + (n > b.small_max); }

}  // namespace smesim
