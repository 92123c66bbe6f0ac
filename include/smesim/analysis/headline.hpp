// The headline table of a result file: per city, with 95% intervals over replications.
#pragma once

#include <string>
#include <vector>

#include "smesim/analysis/reader.hpp"
#include "smesim/core/statistics.hpp"

namespace smesim {

/// Headline measures of one city (or of all cities together) over the reported period.
struct Headline {
  std::string city;
  Estimate firms_start;           ///< SMEs active at month 0
  Estimate firms_end;             ///< SMEs active in the last month
  Estimate failures;              ///< liquidity failures over the period
  Estimate closed_peak;           ///< highest month-end share of SMEs temporarily closed (0 in older files)
  Estimate survival;              ///< share of the month-0 SMEs still active at the end
  Estimate employment_change;     ///< employment, last month vs month 0, relative
  Estimate job_creation_rate;     ///< Davis-Haltiwanger annual gross creation rate, mean over years
  Estimate job_destruction_rate;  ///< Davis-Haltiwanger annual gross destruction rate, mean over years
};

/// One row per city, then the total over cities ("All cities").
std::vector<Headline> headline(const ResultReader& file);

/// The table as aligned text: value and 95% half-width per cell.
std::string format_headline(const std::vector<Headline>& rows, int replications);

/// One line of the money table: a variable reduced over the period, per city.
struct MoneyLine {
  std::string variable;  ///< e.g. "programme_value_paid_usd"
  std::string label;     ///< e.g. "programme paid (USD)"
  std::string units;     ///< what the variable is counted in (e.g. "USD"), else its units ("1" for an index x 100)
  std::vector<Estimate> cities;  ///< per city, then All cities
};

/// The money lines of a file that are not zero everywhere, in the catalogue's order.
std::vector<MoneyLine> money_lines(const ResultReader& file);

/// Programme and policy money per city over the period (means with 95% half-widths), as
/// aligned text; empty when the file has neither.
std::string format_spending(const ResultReader& file);

/// The headline and money tables as one long CSV table (scenario, file, city, measure,
/// mean, lo, hi, units; shares in %).
std::string headline_csv(const ResultReader& file, const std::vector<Headline>& rows);
/// The same rows as JSON.
std::string headline_json(const ResultReader& file, const std::vector<Headline>& rows);

}  // namespace smesim
