// Month arithmetic: "YYYY-MM" strings, month indices and CF day offsets.
#include "smesim/core/calendar.hpp"

#include <charconv>
#include <cstdio>

namespace smesim {

YearMonth YearMonth::plus(int n) const {
  const int s = serial() + n;
  const int y = s >= 0 ? s / 12 : (s - 11) / 12;
  return {y, s - y * 12 + 1};
}

std::string YearMonth::str() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

std::optional<YearMonth> parse_year_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  YearMonth ym;
  auto year = std::from_chars(text.data(), text.data() + 4, ym.year);
  auto month = std::from_chars(text.data() + 5, text.data() + 7, ym.month);
  if (year.ec != std::errc{} || year.ptr != text.data() + 4) return std::nullopt;
  if (month.ec != std::errc{} || month.ptr != text.data() + 7) return std::nullopt;
  if (ym.year < 1900 || ym.year > 2200 || ym.month < 1 || ym.month > 12) return std::nullopt;
  return ym;
}

long days_since_epoch(const YearMonth& ym) {
  // Howard Hinnant's days_from_civil, for day 1 of the month.
  const long y = ym.year - (ym.month <= 2 ? 1 : 0);
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long mp = (ym.month + 9) % 12;
  const long doy = (153 * mp + 2) / 5;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace smesim
