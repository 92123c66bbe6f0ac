// Paired comparison of two result files run with the same seed (common random numbers).
#include "smesim/analysis/compare.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

#include "smesim/analysis/measures.hpp"
#include "smesim/core/error.hpp"

namespace smesim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Estimate difference(const std::vector<double>& a, const std::vector<double>& b, bool paired) {
  if (paired) {
    std::vector<double> d;
    for (std::size_t i = 0; i < a.size(); ++i) d.push_back(b[i] - a[i]);
    return estimate_mean(d);
  }
  const Estimate ea = estimate_mean(a), eb = estimate_mean(b);
  const double n = static_cast<double>(a.size());
  Estimate e;
  e.n = static_cast<int>(a.size());
  e.mean = eb.mean - ea.mean;
  e.lo = e.hi = e.mean;
  if (a.size() < 2) return e;
  auto var = [](const std::vector<double>& x, double mean) {
    double ss = 0;
    for (double v : x) ss += (v - mean) * (v - mean);
    return ss / static_cast<double>(x.size() - 1);
  };
  const double va = var(a, ea.mean) / n, vb = var(b, eb.mean) / n;
  const double se = std::sqrt(va + vb);
  if (se == 0) return e;
  const double df = (va + vb) * (va + vb) / (va * va / (n - 1) + vb * vb / (n - 1));
  const double t = boost::math::quantile(boost::math::students_t(df), 0.975);
  e.lo = e.mean - t * se, e.hi = e.mean + t * se;
  return e;
}

void check_same(const ResultReader& a, const ResultReader& b, const std::string& what, const std::string& va,
                const std::string& vb) {
  if (va != vb)
    throw InputError("compare: " + a.path().string() + " and " + b.path().string() + " differ in " + what + " (" + va +
                     " vs " + vb + "); paired comparison needs the same " + what);
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

std::size_t month_index(const ResultReader& f, const YearMonth& m, std::size_t months) {
  const auto start = parse_year_month(f.attribute("start"));
  if (!start) throw InputError(f.path().string() + ": the start attribute is not a month");
  const int t = months_between(*start, m);
  if (t < 0 || t >= static_cast<int>(months))
    throw InputError("compare: month " + m.str() + " is outside the files' period (" + start->str() + " to " +
                     start->plus(static_cast<int>(months) - 1).str() + ")");
  return static_cast<std::size_t>(t);
}

}  // namespace

Window parse_window(const std::string& over, const std::string& at) {
  Window w;
  if (!over.empty() && !at.empty()) throw InputError("compare: give --over or --at, not both");
  if (!over.empty()) {
    const auto colon = over.find(':');
    const auto a = colon == std::string::npos ? std::nullopt : parse_year_month(over.substr(0, colon));
    const auto b = colon == std::string::npos ? std::nullopt : parse_year_month(over.substr(colon + 1));
    if (!a || !b) throw InputError("--over: expected YYYY-MM:YYYY-MM, found '" + over + "'");
    if (months_between(*a, *b) < 0)
      throw InputError("--over: the end " + b->str() + " is before the start " + a->str());
    w.first = a, w.last = b;
  }
  if (!at.empty()) {
    const auto m = parse_year_month(at);
    if (!m) throw InputError("--at: expected YYYY-MM, found '" + at + "'");
    w.last = m;
  }
  return w;
}

const std::vector<std::string>& comparison_measures() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& m : measures()) n.emplace_back(m.name);
    n.emplace_back("jobs_per_usd_million");
    n.emplace_back("cost_per_job_year");
    return n;
  }();
  return names;
}

namespace {

/// Paired and unpaired values of each measure for one city: (A, B) per replication.
using CityValues = std::map<std::string, std::pair<std::vector<double>, std::vector<double>>>;

/// Refuses files that cannot be paired replication by replication, and unknown measures.
void check_comparable(const ResultReader& fa, const ResultReader& fb, Series& a, Series& b,
                      const std::vector<std::string>& wanted) {
  for (const ResultReader* f : {&fa, &fb})
    if (f->has("point"))
      throw InputError(f->path().string() + ": a sweep file (with a point dimension); compare takes single runs");
  // burn_in_months too: with different burn-ins the months no longer share random numbers.
  for (const char* attr : {"seed", "replications", "start", "population_scale", "burn_in_months"})
    check_same(fa, fb, attr, fa.attribute(attr), fb.attribute(attr));
  check_same(fa, fb, "cities", join(a.cities()), join(b.cities()));
  check_same(fa, fb, "months", std::to_string(a.months()), std::to_string(b.months()));
  for (const auto& w : wanted)
    if (std::find(comparison_measures().begin(), comparison_measures().end(), w) == comparison_measures().end())
      throw InputError("--metric: unknown measure '" + w + "'; expected one of " + join(comparison_measures()));
}

/// Per dollar: the difference in job-years over the difference in public spending, when
/// spending rose.
void add_per_dollar_rows(const std::string& city, CityValues& values,
                         const std::function<bool(const std::string&)>& want, std::vector<Difference>& rows) {
  const Estimate cost = difference(values["spending"].first, values["spending"].second, true);
  if (cost.mean <= 0) return;
  const auto& [ja, jb] = values["job_years"];
  const Estimate jobs_paired = difference(ja, jb, true), jobs_unpaired = difference(ja, jb, false);
  auto scaled = [&](const Estimate& e, double k) { return Estimate{e.mean * k, e.lo * k, e.hi * k, e.n}; };
  if (want("jobs_per_usd_million")) {
    const double k = 1e6 / cost.mean;
    rows.push_back({"jobs_per_usd_million",
                    "job-years per USD 1M",
                    city,
                    {},
                    {},
                    scaled(jobs_paired, k),
                    scaled(jobs_unpaired, k)});
  }
  if (want("cost_per_job_year")) {
    auto inverse = [&](const Estimate& e) {
      // Cost per job-year saved: defined only when the job-years interval excludes 0.
      if (e.lo <= 0) return Estimate{e.mean > 0 ? cost.mean / e.mean : kNaN, kNaN, kNaN, e.n};
      return Estimate{cost.mean / e.mean, cost.mean / e.hi, cost.mean / e.lo, e.n};
    };
    rows.push_back(
        {"cost_per_job_year", "USD per job-year", city, {}, {}, inverse(jobs_paired), inverse(jobs_unpaired)});
  }
}

}  // namespace

Comparison compare(const ResultReader& fa, const ResultReader& fb, const Window& window,
                   const std::vector<std::string>& wanted) {
  Series a(fa, true), b(fb, true);
  check_comparable(fa, fb, a, b, wanted);
  auto want = [&](const std::string& m) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), m) != wanted.end();
  };
  Comparison out;
  out.a_path = fa.path().string(), out.b_path = fb.path().string();
  out.replications = static_cast<int>(a.reps());
  const YearMonth start = *parse_year_month(fa.attribute("start"));
  const std::size_t first = window.first ? month_index(fa, *window.first, a.months()) : 0;
  const std::size_t last = window.last ? month_index(fa, *window.last, a.months()) : a.months() - 1;
  if (last < first) throw InputError("compare: --at " + window.last->str() + " is before the window's start");
  out.first = start.plus(static_cast<int>(first)), out.last = start.plus(static_cast<int>(last));

  for (std::size_t c = 0; c <= a.cities().size(); ++c) {
    const std::string city = c < a.cities().size() ? a.cities()[c] : "All cities";
    CityValues values;
    for (const Measure& m : measures()) {
      auto& [va, vb] = values[m.name];
      for (std::size_t r = 0; r < a.reps(); ++r)
        va.push_back(m.value(a, r, first, last, c)), vb.push_back(m.value(b, r, first, last, c));
      if (!want(m.name)) continue;
      out.rows.push_back({m.name, m.unit, city, estimate_mean(va), estimate_mean(vb), difference(va, vb, true),
                          difference(va, vb, false)});
    }
    add_per_dollar_rows(city, values, want, out.rows);
  }
  return out;
}

namespace {

std::string number(double x) {
  if (std::isnan(x)) return "n/a";
  char buf[64];
  if (std::fabs(x) >= 100)
    std::snprintf(buf, sizeof buf, "%.0f", x);
  else
    std::snprintf(buf, sizeof buf, "%.2f", x);
  std::string s = buf;
  // Thousands separators for the integer part.
  const auto dot = s.find('.');
  std::string integer = s.substr(0, dot), rest = dot == std::string::npos ? "" : s.substr(dot);
  const bool negative = !integer.empty() && integer[0] == '-';
  if (negative) integer.erase(0, 1);
  std::string grouped;
  for (std::size_t i = 0; i < integer.size(); ++i) {
    if (i > 0 && (integer.size() - i) % 3 == 0) grouped += ',';
    grouped += integer[i];
  }
  std::string out = negative ? "-" : "";
  out += grouped;
  out += rest;
  return out;
}

std::string interval(const Estimate& e) {
  std::string out = "[";
  out += number(e.lo);
  out += ", ";
  out += number(e.hi);
  out += "]";
  return out;
}

std::string json_number(double x) {
  if (!std::isfinite(x)) return "null";
  std::ostringstream s;
  s.precision(17);
  s << x;
  return s.str();
}

std::string json_estimate(const Estimate& e) {
  return "{\"mean\": " + json_number(e.mean) + ", \"lo\": " + json_number(e.lo) + ", \"hi\": " + json_number(e.hi) +
         "}";
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

std::string format_comparison(const Comparison& c) {
  std::string out = "B - A, replication by replication (paired: common random numbers)\n  A: " + c.a_path +
                    "\n  B: " + c.b_path + "\n  " + std::to_string(c.replications) + " replications; flows over " +
                    c.first.str() + " to " + c.last.str() + ", stocks at " + c.last.str() + "\n\n";
  std::vector<std::vector<std::string>> table = {{"measure", "city", "A", "B", "B - A", "95% paired", "95% unpaired"}};
  for (const Difference& d : c.rows) {
    const bool ratio = d.measure == "jobs_per_usd_million" || d.measure == "cost_per_job_year";
    table.push_back({d.measure + " (" + d.unit + ")", d.city, ratio ? "" : number(d.a.mean),
                     ratio ? "" : number(d.b.mean), number(d.paired.mean), interval(d.paired), interval(d.unpaired)});
  }
  std::vector<std::size_t> width(table[0].size(), 0);
  for (const auto& row : table)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  for (std::size_t r = 0; r < table.size(); ++r) {
    for (std::size_t i = 0; i < table[r].size(); ++i) {
      const std::string pad(width[i] - table[r][i].size(), ' ');
      out += i < 2 ? table[r][i] + pad + "  " : pad + table[r][i] + "  ";
    }
    out += '\n';
  }
  out +=
      "\nspending: programme payments, in-kind assistance, wage subsidies and grants. jobs_per_usd_million and\n"
      "cost_per_job_year divide the job-years difference (and its interval) by the mean spending difference.\n";
  return out;
}

std::string comparison_json(const Comparison& c) {
  std::string out = "{\n  \"a\": " + json_string(c.a_path) + ",\n  \"b\": " + json_string(c.b_path) +
                    ",\n  \"first\": \"" + c.first.str() + "\",\n  \"last\": \"" + c.last.str() +
                    "\",\n  \"replications\": " + std::to_string(c.replications) + ",\n  \"rows\": [";
  for (std::size_t i = 0; i < c.rows.size(); ++i) {
    const Difference& d = c.rows[i];
    if (i) out += ",";
    out += "\n    {\"measure\": " + json_string(d.measure) + ", \"unit\": " + json_string(d.unit) +
           ", \"city\": " + json_string(d.city) + ", \"a\": " + json_estimate(d.a) + ", \"b\": " + json_estimate(d.b) +
           ", \"paired\": " + json_estimate(d.paired) + ", \"unpaired\": " + json_estimate(d.unpaired) + "}";
  }
  return out + "\n  ]\n}\n";
}

}  // namespace smesim
