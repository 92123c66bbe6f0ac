// Paired comparison of two result files run with the same seed (common random numbers).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "smesim/analysis/reader.hpp"
#include "smesim/core/calendar.hpp"
#include "smesim/core/statistics.hpp"

namespace smesim {

/// The months a comparison looks at: flows are summed over [first, last]; stocks are
/// read at `last`.
struct Window {
  std::optional<YearMonth> first;  ///< default: the first month of the files
  std::optional<YearMonth> last;   ///< default: the last month of the files
};

/// Parses "YYYY-MM:YYYY-MM" (--over) or "YYYY-MM" (--at); throws InputError.
Window parse_window(const std::string& over, const std::string& at);

/// One measure's difference B - A for one city (or all cities together).
struct Difference {
  std::string measure;  ///< e.g. "failures"
  std::string unit;     ///< e.g. "firms"
  std::string city;
  Estimate a;         ///< mean of A over replications
  Estimate b;         ///< mean of B
  Estimate paired;    ///< mean of B - A replication by replication, 95% t-interval
  Estimate unpaired;  ///< difference of means with a 95% Welch interval
};

/// Everything `smesim compare` reports.
struct Comparison {
  std::string a_path, b_path;
  YearMonth first, last;
  int replications = 0;
  std::vector<Difference> rows;
};

/// Compares B against A. Both must be complete smesim files with the same seed,
/// replications, cities and calendar (InputError otherwise). `measures` selects
/// measures by name (empty: all that apply).
Comparison compare(const ResultReader& a, const ResultReader& b, const Window& window,
                   const std::vector<std::string>& measures = {});

/// Names of all measures, in report order.
const std::vector<std::string>& comparison_measures();

/// The comparison as an aligned text table.
std::string format_comparison(const Comparison& c);
/// The comparison as JSON.
std::string comparison_json(const Comparison& c);

}  // namespace smesim
