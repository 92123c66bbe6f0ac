// The measures of a result file, each defined once.
#include "smesim/analysis/measures.hpp"

#include <cmath>
#include <limits>

#include "smesim/core/error.hpp"
#include "smesim/engine/catalogue.hpp"

namespace smesim {

Series::Series(const ResultReader& f, bool finite_only, std::size_t point)
    : f_(f),
      cities_(f.labels("city")),
      reps_(f.length("replication")),
      months_(f.length("time")),
      finite_only_(finite_only),
      point_(point) {}

double Series::at(const std::string& name, std::size_t r, std::size_t t, std::size_t c) {
  auto it = cache_.find(name);
  if (it == cache_.end()) {
    it = cache_.emplace(name, f_.has(name) ? std::optional<CityCube>(CityCube(f_, name, point_)) : std::nullopt).first;
    if (finite_only_ && it->second && !it->second->finite())
      throw InputError(f_.path().string() + ": variable '" + name + "'" +
                       (f_.has("point") ? " at point " + std::to_string(point_) : std::string()) +
                       " holds NaN or infinite values; a comparison needs finite values");
  }
  return it->second ? it->second->at(r, t, c) : 0.0;
}

namespace {

/// Liquidity failures over the window, firms.
double failures(Series& s, std::size_t r, std::size_t first, std::size_t last, std::size_t c) {
  double x = 0;
  for (std::size_t t = first; t <= last; ++t) x += s.at("firms_exited_illiquid", r, t, c);
  return x;
}

/// SMEs active at the window's end, firms.
double firms_active(Series& s, std::size_t r, std::size_t, std::size_t last, std::size_t c) {
  return s.at("firms_active", r, last, c);
}

/// Share of the month-0 SMEs still active at the window's end, %.
double survival(Series& s, std::size_t r, std::size_t, std::size_t last, std::size_t c) {
  return 100 * s.at("initial_cohort_alive", r, last, c) / s.at("firms_baseline", r, 0, c);
}

/// Employment at the window's end, workers.
double employment(Series& s, std::size_t r, std::size_t, std::size_t last, std::size_t c) {
  return s.at("employment", r, last, c);
}

/// Employment summed over the window / 12, job-years.
double job_years(Series& s, std::size_t r, std::size_t first, std::size_t last, std::size_t c) {
  double total = 0;
  for (std::size_t t = first; t <= last; ++t) total += s.at("employment", r, t, c);
  return total / 12.0;
}

/// Public money spent on SMEs over the window: the catalogue's spending variables
/// (programme payments and in-kind assistance, wage subsidies, grants), USD.
double spending(Series& s, std::size_t r, std::size_t first, std::size_t last, std::size_t c) {
  double total = 0;
  for (const SpendingVariable& v : spending_variables())
    for (std::size_t t = first; t <= last; ++t) total += s.at(v.name, r, t, c);
  return total;
}

/// Employment at the window's end minus just before it (employment_baseline when the
/// window starts at month 0), workers.
double net_jobs(Series& s, std::size_t r, std::size_t first, std::size_t last, std::size_t c) {
  const double before = first == 0 ? s.at("employment_baseline", r, 0, c) : s.at("employment", r, first - 1, c);
  return s.at("employment", r, last, c) - before;
}

/// Employment summed over the window, job-months.
double job_months(Series& s, std::size_t r, std::size_t first, std::size_t last, std::size_t c) {
  double total = 0;
  for (std::size_t t = first; t <= last; ++t) total += s.at("employment", r, t, c);
  return total;
}

/// Exits per 100 SME-years at risk: 100 x 12 x the exits over the window (liquidity
/// failures, and other exits with `all_exits`) / the SMEs active at the start of each
/// of its months (firms_baseline for month 0).
double per_sme_year(Series& s, std::size_t r, std::size_t first, std::size_t last, std::size_t c, bool all_exits) {
  double exits = 0, at_risk = 0;
  for (std::size_t t = first; t <= last; ++t) {
    exits += s.at("firms_exited_illiquid", r, t, c);
    if (all_exits) exits += s.at("firms_exited_other", r, t, c);
    at_risk += t == 0 ? s.at("firms_baseline", r, 0, c) : s.at("firms_active", r, t - 1, c);
  }
  return 100 * 12 * exits / at_risk;
}

double annual_failure_rate(Series& s, std::size_t r, std::size_t first, std::size_t last, std::size_t c) {
  return per_sme_year(s, r, first, last, c, false);
}

double annual_exit_rate(Series& s, std::size_t r, std::size_t first, std::size_t last, std::size_t c) {
  return per_sme_year(s, r, first, last, c, true);
}

}  // namespace

const std::vector<Measure>& measures() {
  static const std::vector<Measure> m = {
      {"failures", "firms", failures, "`firms_exited_illiquid` summed over W"},
      {"firms_active", "firms", firms_active, "`firms_active` at the end of W"},
      {"survival", "% of month-0 SMEs", survival, "100 x `initial_cohort_alive` at the end of W / `firms_baseline`"},
      {"employment", "workers", employment, "`employment` at the end of W"},
      {"job_years", "job-years", job_years, "`job_months` / 12"},
      {"spending", "USD", spending,
       "the variables the file marks as public money spent on SMEs (its `spending_variables` attribute: programme "
       "payments, in-kind assistance, wage subsidies and grants; docs/OUTPUT.md) summed over W"},
      {"net_jobs", "workers", net_jobs,
       "employment at the end of W minus employment just before it (`employment_baseline` when W starts at month "
       "0)"},
      {"job_months", "job-months", job_months, "`employment` summed over W"},
      {"annual_failure_rate", "% per year", annual_failure_rate,
       "100 x 12 x failures / SMEs at risk, where SMEs at risk sums over W the SMEs active at the start of each "
       "month (`firms_baseline` for month 0): failures per 100 SME-years"},
      {"annual_exit_rate", "% per year", annual_exit_rate,
       "the same with all exits, `firms_exited_illiquid` + `firms_exited_other` (the calibration's exit rate, "
       "scripts/smesim_analysis/patterns.py)"},
  };
  return m;
}

const std::vector<RatioMeasure>& ratio_measures() {
  static const std::vector<RatioMeasure> m = {
      {"jobs_per_usd_million", "job-years per USD 1M",
       "comparisons only: the paired `job_years` difference (and its interval) x 10^6 / the mean `spending` "
       "difference, when spending rose"},
      {"cost_per_job_year", "USD per job-year",
       "comparisons only: the mean `spending` difference / the paired `job_years` difference; its interval is "
       "[cost / hi, cost / lo] when the job-years interval excludes 0, otherwise none"},
  };
  return m;
}

std::string measure_table() {
  std::string out = "| measure | definition | unit |\n|---|---|---|\n";
  for (const Measure& m : measures())
    out += std::string("| `") + m.name + "` | " + m.definition + " | " + m.unit + " |\n";
  for (const RatioMeasure& m : ratio_measures())
    out += std::string("| `") + m.name + "` | " + m.definition + " | " + m.unit + " |\n";
  return out;
}

const Measure& measure(const std::string& name) {
  for (const Measure& m : measures())
    if (name == m.name) return m;
  throw InputError("unknown measure '" + name + "'");
}

double annual_rate(Series& s, const std::string& name, std::size_t r, std::size_t c) {
  double sum = 0;
  int years = 0;
  for (std::size_t t = 0; t < s.months(); ++t) {
    const double x = s.at(name, r, t, c);
    if (std::isnan(x)) continue;
    const double before = t >= 12 ? s.at("employment", r, t - 12, c) : s.at("employment_baseline", r, 0, c);
    sum += x / (0.5 * (s.at("employment", r, t, c) + before));
    ++years;
  }
  return years ? sum / years : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace smesim
