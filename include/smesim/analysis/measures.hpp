// The measures of a result file, each defined once (docs/ANALYSIS.md lists them; the
// Python package's measures.py mirrors them): a value per replication and city over a
// window of months, flows summed over it and stocks read at its end.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "smesim/analysis/reader.hpp"

namespace smesim {

/// The per-city series of one file, read on first use and kept.
class Series {
 public:
  /// With `finite_only`, a variable holding NaN or an infinity is an InputError naming it.
  /// In a sweep file, the series of design point `point`.
  explicit Series(const ResultReader& file, bool finite_only = false, std::size_t point = 0);
  /// Value at (replication r, month t, city c); c == cities().size() is the sum over
  /// cities. Variables the file does not have (e.g. no policy ran) read as 0.
  double at(const std::string& name, std::size_t r, std::size_t t, std::size_t c);
  const std::vector<std::string>& cities() const { return cities_; }
  std::size_t reps() const { return reps_; }
  std::size_t months() const { return months_; }

 private:
  const ResultReader& f_;
  std::vector<std::string> cities_;
  std::size_t reps_, months_;
  bool finite_only_;
  std::size_t point_;
  std::map<std::string, std::optional<CityCube>> cache_;
};

/// A measure: its value in replication r and city c over months [first, last].
struct Measure {
  const char* name;
  const char* unit;
  double (*value)(Series& s, std::size_t r, std::size_t first, std::size_t last, std::size_t c);
  const char* definition;  ///< for docs/ANALYSIS.md (markdown; W is the window)
};

/// The measures, each defined once, in report order: failures, firms_active, survival,
/// employment, job_years, spending, net_jobs, job_months, annual_failure_rate,
/// annual_exit_rate. The Python module (scripts/smesim_analysis/measures.py, MEASURES)
/// has the same names, units and order; tests/python/test_measures_catalogue.py checks it.
const std::vector<Measure>& measures();

/// A measure of a comparison B - A only (a ratio of two differences).
struct RatioMeasure {
  const char* name;
  const char* unit;
  const char* definition;
};

/// jobs_per_usd_million and cost_per_job_year (the Python module's RATIO_MEASURES).
const std::vector<RatioMeasure>& ratio_measures();

/// The table of docs/ANALYSIS.md: every measure, then the ratios (markdown).
std::string measure_table();

/// The measure called `name`; InputError if there is none.
const Measure& measure(const std::string& name);

/// The Davis-Haltiwanger annual rate of flow `name` (job_creation_annual or
/// job_destruction_annual) in replication r and city c, averaged over the year ends of
/// the file: the flow over the mean of employment then and 12 months before
/// (employment_baseline in the first year). NaN without year ends.
double annual_rate(Series& s, const std::string& name, std::size_t r, std::size_t c);

}  // namespace smesim
