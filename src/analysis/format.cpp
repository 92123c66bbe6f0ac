// How the analysis commands write numbers and tables.
#include "smesim/analysis/format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>

#include "smesim/core/error.hpp"

namespace smesim {
namespace {

/// 10^k for 0 <= k <= 18.
std::int64_t power10(int k) {
  std::int64_t p = 1;
  for (int i = 0; i < k; ++i) p *= 10;
  return p;
}

std::string group_thousands(const std::string& digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string rounded(double x, int decimals, bool grouped) {
  if (!std::isfinite(x)) return "n/a";
  // |x| = m x 10^(e - 11) with m a 12-digit integer: the decimal value the rule rounds.
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.11e", std::fabs(x));
  const int exponent = std::atoi(std::strchr(buf, 'e') + 1);
  const std::int64_t m = std::stoll(std::string(1, buf[0]) + std::string(buf + 2, 11));
  const int shift = exponent - 11 + decimals;  // |x| x 10^decimals = m x 10^shift
  // The digits of round(|x| x 10^decimals), half away from zero.
  std::string digits = "0";
  if (shift >= 0) {
    digits = std::to_string(m) + std::string(static_cast<std::size_t>(shift), '0');
  } else if (shift >= -12) {
    const std::int64_t q = power10(-shift);
    digits = std::to_string(m / q + (2 * (m % q) >= q ? 1 : 0));
  }
  const auto d = static_cast<std::size_t>(decimals);
  if (digits.size() <= d) digits.insert(0, d + 1 - digits.size(), '0');
  const std::string integer = digits.substr(0, digits.size() - d);
  std::string out = x < 0 && digits.find_first_not_of('0') != std::string::npos ? "-" : "";
  out += grouped ? group_thousands(integer) : integer;
  if (d > 0) {
    out += '.';
    out += digits.substr(digits.size() - d);
  }
  return out;
}

bool has_interval(const Estimate& e) { return e.n >= 2 && std::isfinite(e.lo) && std::isfinite(e.hi); }

std::string csv_number(double x) {
  if (!std::isfinite(x)) return "";
  char buf[40];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    const std::string& c = cells[i];
    if (c.find_first_of(",\"\r\n") == std::string::npos) {
      out += c;
      continue;
    }
    out += '"';
    for (char ch : c) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    out += '"';
  }
  return out + "\n";
}

std::string json_number(double x) { return std::isfinite(x) ? csv_number(x) : "null"; }

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", ch);
      out += buf;
      continue;
    }
    out += ch;
  }
  return out + "\"";
}

std::string json_estimate(const Estimate& e) {
  const bool interval = has_interval(e);
  return "{\"mean\": " + json_number(e.mean) + ", \"lo\": " + json_number(interval ? e.lo : NAN) +
         ", \"hi\": " + json_number(interval ? e.hi : NAN) + "}";
}

namespace {

/// Characters on screen: UTF-8 continuation bytes take no column.
std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string aligned(const std::vector<std::vector<std::string>>& rows, std::size_t left) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], display_width(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string pad(width[i] - display_width(row[i]), ' ');
      line += (i ? "  " : "") + (i < left ? row[i] + pad : pad + row[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  }
  return out;
}

void write_text_file(const std::filesystem::path& path, const std::string& text, bool force) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !force)
    throw InputError(path.string() + ": exists; use --force to replace it");
  const std::filesystem::path temporary = path.string() + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::filesystem::remove(temporary, ec);
      throw OutputError(path.string() + ": cannot write");
    }
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw OutputError(path.string() + ": cannot write: " + ec.message());
  }
}

}  // namespace smesim
