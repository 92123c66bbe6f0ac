// Month arithmetic: "YYYY-MM" strings, month indices and CF day offsets.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smesim {

/// A calendar month; months since year 0 make comparisons and differences trivial.
struct YearMonth {
  int year = 2020;  ///< Gregorian year, 1900..2200.
  int month = 1;    ///< 1..12.

  /// Months since January of year 0.
  int serial() const { return year * 12 + (month - 1); }
  /// The month `n` months later (negative: earlier).
  YearMonth plus(int n) const;
  /// "YYYY-MM".
  std::string str() const;
  friend bool operator==(const YearMonth&, const YearMonth&) = default;
};

/// Parses "YYYY-MM" (year 1900..2200); nullopt on anything else.
std::optional<YearMonth> parse_year_month(std::string_view text);

/// Months from `from` to `to` (positive when `to` is later).
inline int months_between(const YearMonth& from, const YearMonth& to) { return to.serial() - from.serial(); }

/// Days from 1970-01-01 to the first day of the given month (proleptic Gregorian).
long days_since_epoch(const YearMonth& ym);

/// The CF reference date of every time axis smesim writes.
inline constexpr const char* kTimeUnits = "days since 2020-01-01";

/// Days from 2020-01-01 to the first day of the given month: the CF time coordinate.
inline double cf_days(const YearMonth& ym) {
  return static_cast<double>(days_since_epoch(ym) - days_since_epoch({2020, 1}));
}

}  // namespace smesim
