// How the analysis commands write numbers and tables: one rounding rule for the text
// tables (scripts/smesim_analysis/tables.py follows it), CSV and JSON for programs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "smesim/core/statistics.hpp"

namespace smesim {

/// `x` with `decimals` digits after the point, rounded half away from zero after
/// rounding to 12 significant digits (so 49.25 and 49.249999999999993 both give 49.3 at
/// one decimal); "n/a" for NaN or an infinity; "-" only before a non-zero result; with
/// `grouped`, the integer part in groups of three digits separated by commas.
std::string rounded(double x, int decimals, bool grouped = false);

/// True when `e` has a 95% interval: at least two replications and finite bounds.
bool has_interval(const Estimate& e);

/// A number for CSV: the shortest text that reads back as `x`, no thousands separators;
/// "" (an empty cell) for NaN or an infinity.
std::string csv_number(double x);
/// One CSV line (RFC 4180: a cell with a comma, quote or line break is quoted), ending in "\n".
std::string csv_line(const std::vector<std::string>& cells);

/// A JSON number (the shortest text that reads back as `x`), null for NaN or an infinity.
std::string json_number(double x);
/// A JSON string literal.
std::string json_string(const std::string& s);
/// {"mean": .., "lo": .., "hi": ..}: lo and hi null without an interval (has_interval).
std::string json_estimate(const Estimate& e);

/// Rows of cells as an aligned text table: the first `left` columns left-aligned, the
/// others right-aligned, two spaces between columns; widths count UTF-8 characters.
std::string aligned(const std::vector<std::vector<std::string>>& rows, std::size_t left);

/// Writes `text` to `path` through a temporary file renamed into place. An existing file
/// is an InputError unless `force`.
void write_text_file(const std::filesystem::path& path, const std::string& text, bool force);

}  // namespace smesim
