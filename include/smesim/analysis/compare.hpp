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
  Estimate a;         ///< mean of A over replications (NaN for the ratios, which have none)
  Estimate b;         ///< mean of B (NaN for the ratios)
  Estimate paired;    ///< mean of B - A replication by replication, 95% t-interval (NaN when not paired)
  Estimate unpaired;  ///< difference of means with a 95% Welch interval
};

/// Everything `smesim compare` reports for one variant (or one design point of a sweep).
struct Comparison {
  std::string a_path, b_path;
  std::string scenario;  ///< B's title attribute
  YearMonth first, last;
  int replications = 0;         ///< of A
  std::string unpaired_reason;  ///< why B is not paired with A ("" when it is)
  /// In a sweep: the design point and the swept parameters' values there.
  std::optional<std::size_t> point;
  std::vector<std::pair<std::string, double>> design;
  std::vector<Difference> rows;
};

/// Compares B (design point `point` of a sweep file) against A. Both must be complete
/// smesim files with the same cities and calendar (start and months; InputError
/// otherwise). Paired replication by replication when they also agree in seed,
/// replications, population scale and burn-in (else `unpaired_reason` says why and the
/// paired estimates are NaN). `measures` selects measures by name (empty: all).
Comparison compare(const ResultReader& a, const ResultReader& b, const Window& window,
                   const std::vector<std::string>& measures = {}, std::size_t point = 0);

/// Every variant against the base: one Comparison per single-run file and one per
/// design point of a sweep file, in order.
std::vector<Comparison> compare_all(const ResultReader& base, const std::vector<const ResultReader*>& variants,
                                    const Window& window, const std::vector<std::string>& measures = {});

/// Names of all measures, in report order.
const std::vector<std::string>& comparison_measures();

/// The comparisons as aligned text tables, one block per comparison.
std::string format_comparison(const std::vector<Comparison>& c);
/// One comparison as a JSON object; several as an array of such objects.
std::string comparison_json(const std::vector<Comparison>& c);
/// The comparisons as one long CSV table (docs/ANALYSIS.md, "Tables out").
std::string comparison_csv(const std::vector<Comparison>& c);

}  // namespace smesim
