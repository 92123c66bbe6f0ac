// What readers need beyond a result variable's values: which variables are public money
// spent on SMEs, and the rows of `smesim inspect`'s money table. result_schema() writes
// both into every file as attributes (docs/OUTPUT.md); the analysis layer reads them here.
#pragma once

#include <string>
#include <vector>

namespace smesim {

/// A per-city variable that is public money spent on SMEs.
struct SpendingVariable {
  std::string name;
  std::string label;  ///< short label for legends, e.g. "Wage subsidy"
};

/// A row of the "programme and policy money" table: a per-city variable reduced over time.
struct MoneyRow {
  std::string variable;
  std::string label;  ///< e.g. "wage subsidy paid (USD)"
  /// Over the months: "sum", "first", "last" or "max"; or "last_index": the last month
  /// x 100, and for all cities the mean over cities (an index, not a total).
  std::string reduction;
};

/// The variables compare's `spending` sums (and so cost_per_job_year and
/// jobs_per_usd_million divide by), in the order they are summed.
const std::vector<SpendingVariable>& spending_variables();

/// The rows of the money table, in order.
const std::vector<MoneyRow>& money_rows();

}  // namespace smesim
