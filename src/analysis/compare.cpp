// Paired comparison of two result files run with the same seed (common random numbers).
#include "smesim/analysis/compare.hpp"

#include <toml++/toml.h>

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

#include "smesim/analysis/format.hpp"
#include "smesim/analysis/measures.hpp"
#include "smesim/core/error.hpp"

namespace smesim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The mean of B - A replication by replication with its 95% t-interval.
Estimate paired_difference(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size(); ++i) d.push_back(b[i] - a[i]);
  return estimate_mean(d);
}

/// The difference of the means of B and A with a 95% Welch interval (any two sizes).
Estimate welch_difference(const std::vector<double>& a, const std::vector<double>& b) {
  const Estimate ea = estimate_mean(a), eb = estimate_mean(b);
  Estimate e;
  e.n = static_cast<int>(std::min(a.size(), b.size()));
  e.mean = eb.mean - ea.mean;
  e.lo = e.hi = e.mean;
  if (a.size() < 2 || b.size() < 2) return e;
  auto var_of_mean = [](const std::vector<double>& x, double mean) {
    double ss = 0;
    for (double v : x) ss += (v - mean) * (v - mean);
    const double n = static_cast<double>(x.size());
    return ss / (n - 1) / n;
  };
  const double va = var_of_mean(a, ea.mean), vb = var_of_mean(b, eb.mean);
  const double se = std::sqrt(va + vb);
  if (se == 0) return e;
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  const double df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
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
    for (const auto& m : ratio_measures()) n.emplace_back(m.name);
    return n;
  }();
  return names;
}

namespace {

/// Paired and unpaired values of each measure for one city: (A, B) per replication.
using CityValues = std::map<std::string, std::pair<std::vector<double>, std::vector<double>>>;

/// A swept parameter of a sweep file and the scenario keys it sets.
struct SweptParameter {
  std::string name;
  std::vector<std::string> keys;
};

/// The parameters of a sweep file, from the sweep file's text at the head of its
/// `scenario` attribute (docs/OUTPUT.md, "Sweeps").
std::vector<SweptParameter> swept_parameters(const ResultReader& f) {
  std::string text = f.attribute("scenario");
  const auto cut = text.find("# base scenario at point 0, resolved:");
  if (cut != std::string::npos) text.resize(cut);
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    throw InputError(f.path().string() + ": the sweep file held in the 'scenario' attribute does not parse: " +
                     std::string(e.description()));
  }
  std::vector<SweptParameter> out;
  if (const toml::array* parameters = table["parameters"].as_array())
    for (const toml::node& node : *parameters) {
      const toml::table* p = node.as_table();
      if (!p) continue;
      SweptParameter sp{(*p)["name"].value_or(std::string()), {}};
      if (auto key = (*p)["key"].value<std::string>()) sp.keys.push_back(*key);
      if (const toml::array* keys = (*p)["keys"].as_array())
        for (const toml::node& k : *keys)
          if (auto v = k.value<std::string>()) sp.keys.push_back(*v);
      out.push_back(std::move(sp));
    }
  return out;
}

/// Refuses files whose calendars or cities differ (no comparison is possible), and
/// unknown measures.
void check_comparable(const ResultReader& fa, const ResultReader& fb, Series& a, Series& b,
                      const std::vector<std::string>& wanted) {
  if (fa.has("point"))
    throw InputError(fa.path().string() +
                     ": a sweep file (with a point dimension); the base of a comparison is a single run");
  for (const auto& [f, s] : {std::pair<const ResultReader*, Series*>{&fa, &a}, {&fb, &b}})
    if (s->reps() == 0) throw InputError(f->path().string() + ": the file holds no replications");
  check_same(fa, fb, "start", fa.attribute("start"), fb.attribute("start"));
  check_same(fa, fb, "cities", join(a.cities()), join(b.cities()));
  check_same(fa, fb, "months", std::to_string(a.months()), std::to_string(b.months()));
  for (const auto& w : wanted)
    if (std::find(comparison_measures().begin(), comparison_measures().end(), w) == comparison_measures().end())
      throw InputError("--metric: unknown measure '" + w + "'; expected one of " + join(comparison_measures()));
}

/// Why B (at design point `point`) cannot be paired with A replication by replication,
/// or "". burn_in_months too: with different burn-ins the months no longer share random
/// numbers. A sweep may set the seed or the population scale per point.
std::string pairing_problem(const ResultReader& fa, const ResultReader& fb, std::size_t point,
                            const std::vector<SweptParameter>& swept) {
  for (const char* attr : {"seed", "replications", "population_scale", "burn_in_months"})
    if (fa.attribute(attr) != fb.attribute(attr))
      return std::string("they differ in ") + attr + " (" + fa.attribute(attr) + " vs " + fb.attribute(attr) + ")";
  // The attribute can disagree with the dimension in a damaged file.
  if (fa.length("replication") != fb.length("replication"))
    return "they differ in the length of the replication dimension (" + std::to_string(fa.length("replication")) +
           " vs " + std::to_string(fb.length("replication")) + ")";
  for (const SweptParameter& p : swept)
    for (const std::string& key : p.keys) {
      if (key != "simulation.seed" && key != "simulation.population_scale") continue;
      const std::string attr = key.substr(key.find('.') + 1);
      const double here = fb.values("design_" + p.name).at(point), base = std::stod(fa.attribute(attr));
      if (here != base)
        return "point " + std::to_string(point) + " has " + attr + " " + json_number(here) + " (parameter '" + p.name +
               "'), the base " + fa.attribute(attr);
    }
  return "";
}

const Estimate kNone{kNaN, kNaN, kNaN, 0};

std::string ratio_unit(const std::string& name) {
  for (const RatioMeasure& m : ratio_measures())
    if (name == m.name) return m.unit;
  return "";
}

/// Per dollar: the difference in job-years over the difference in public spending, when
/// spending rose. Unpaired files use the difference of the mean spending.
void add_per_dollar_rows(const std::string& city, CityValues& values, bool paired,
                         const std::function<bool(const std::string&)>& want, std::vector<Difference>& rows) {
  const auto& [sa, sb] = values["spending"];
  const double cost = paired ? paired_difference(sa, sb).mean : welch_difference(sa, sb).mean;
  if (!(cost > 0)) return;
  const auto& [ja, jb] = values["job_years"];
  const Estimate jobs_paired = paired ? paired_difference(ja, jb) : kNone, jobs_unpaired = welch_difference(ja, jb);
  auto scaled = [&](const Estimate& e, double k) { return Estimate{e.mean * k, e.lo * k, e.hi * k, e.n}; };
  if (want("jobs_per_usd_million")) {
    const double k = 1e6 / cost;
    rows.push_back({"jobs_per_usd_million", ratio_unit("jobs_per_usd_million"), city, kNone, kNone,
                    scaled(jobs_paired, k), scaled(jobs_unpaired, k)});
  }
  if (want("cost_per_job_year")) {
    auto inverse = [&](const Estimate& e) {
      // Cost per job-year saved: defined only when the job-years interval excludes 0.
      if (!(e.lo > 0) || e.n < 2) return Estimate{e.mean > 0 ? cost / e.mean : kNaN, kNaN, kNaN, e.n};
      return Estimate{cost / e.mean, cost / e.hi, cost / e.lo, e.n};
    };
    rows.push_back({"cost_per_job_year", ratio_unit("cost_per_job_year"), city, kNone, kNone, inverse(jobs_paired),
                    inverse(jobs_unpaired)});
  }
}

/// The rows of one city: every wanted measure, then the ratios.
void add_city_rows(Series& a, Series& b, std::size_t c, std::size_t first, std::size_t last, bool paired,
                   const std::function<bool(const std::string&)>& want, std::vector<Difference>& rows) {
  const std::string city = c < a.cities().size() ? a.cities()[c] : "All cities";
  CityValues values;
  for (const Measure& m : measures()) {
    auto& [va, vb] = values[m.name];
    for (std::size_t r = 0; r < a.reps(); ++r) va.push_back(m.value(a, r, first, last, c));
    for (std::size_t r = 0; r < b.reps(); ++r) vb.push_back(m.value(b, r, first, last, c));
    if (!want(m.name)) continue;
    rows.push_back({m.name, m.unit, city, estimate_mean(va), estimate_mean(vb),
                    paired ? paired_difference(va, vb) : kNone, welch_difference(va, vb)});
  }
  add_per_dollar_rows(city, values, paired, want, rows);
}

}  // namespace

Comparison compare(const ResultReader& fa, const ResultReader& fb, const Window& window,
                   const std::vector<std::string>& wanted, std::size_t point) {
  Series a(fa, true), b(fb, true, point);
  check_comparable(fa, fb, a, b, wanted);
  auto want = [&](const std::string& m) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), m) != wanted.end();
  };
  Comparison out;
  out.a_path = fa.path().string(), out.b_path = fb.path().string();
  out.scenario = fb.attribute("title");
  out.replications = static_cast<int>(a.reps());
  if (fb.has("point")) {
    out.point = point;
    const std::vector<SweptParameter> swept = swept_parameters(fb);
    for (const SweptParameter& p : swept) out.design.emplace_back(p.name, fb.values("design_" + p.name).at(point));
    out.unpaired_reason = pairing_problem(fa, fb, point, swept);
  } else {
    out.unpaired_reason = pairing_problem(fa, fb, point, {});
  }
  const YearMonth start = *parse_year_month(fa.attribute("start"));
  const std::size_t first = window.first ? month_index(fa, *window.first, a.months()) : 0;
  const std::size_t last = window.last ? month_index(fa, *window.last, a.months()) : a.months() - 1;
  if (last < first) throw InputError("compare: --at " + window.last->str() + " is before the window's start");
  out.first = start.plus(static_cast<int>(first)), out.last = start.plus(static_cast<int>(last));
  for (std::size_t c = 0; c <= a.cities().size(); ++c)
    add_city_rows(a, b, c, first, last, out.unpaired_reason.empty(), want, out.rows);
  return out;
}

std::vector<Comparison> compare_all(const ResultReader& base, const std::vector<const ResultReader*>& variants,
                                    const Window& window, const std::vector<std::string>& measures) {
  std::vector<Comparison> out;
  for (const ResultReader* v : variants) {
    const std::size_t points = v->has("point") ? v->length("point") : 1;
    for (std::size_t p = 0; p < points; ++p) out.push_back(compare(base, *v, window, measures, p));
  }
  return out;
}

}  // namespace smesim
