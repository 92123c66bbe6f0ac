// An optimisation's result: its HDF5 file (docs/OUTPUT.md, "Optimisation files") and
// the summary `smesim optimise` prints.
#pragma once

#include <filesystem>
#include <string>

#include "smesim/optimise/search.hpp"

namespace smesim {

/// Writes the result file (atomically: FILE.partial renamed at the end); `overwrite`
/// replaces an existing one.
void write_optimisation(const std::filesystem::path& path, const Problem& p, const OptimisationResult& r,
                        const std::string& command_line, bool overwrite);

/// One paragraph: the best design's validated effect against the base design (or that
/// it cannot be told from it at this precision) and against the counterfactual.
std::string conclusion(const Problem& p, const OptimisationResult& r);

/// The summary table: search, best design, validation, conclusion.
std::string format_optimisation(const Problem& p, const OptimisationResult& r);

}  // namespace smesim
