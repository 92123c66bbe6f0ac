// The headline table of a result file: per city, with 95% intervals over replications.
#include "smesim/analysis/headline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include "smesim/analysis/format.hpp"
#include "smesim/analysis/measures.hpp"
#include "smesim/core/error.hpp"
#include "smesim/engine/catalogue.hpp"

namespace smesim {

std::vector<Headline> headline(const ResultReader& f) {
  const std::vector<std::string> cities = f.labels("city");
  const std::size_t C = cities.size();
  const std::size_t R = f.shape("replication").at(0);
  const std::size_t T = f.shape("time").at(0);
  if (f.has("point"))
    throw InputError(f.path().string() +
                     ": a sweep file (with a point dimension); inspect reads "
                     "single runs: open sweeps with xarray or scripts/morris.py");
  const std::vector<std::size_t> finished = f.finished_replications();
  if (R == 0 || T == 0 || C == 0 || finished.empty())
    throw InputError(f.path().string() + ": the file holds no finished replications");
  for (const char* v : {"firms_active", "initial_cohort_alive", "firms_exited_illiquid", "employment",
                        "job_creation_annual", "job_destruction_annual", "firms_baseline", "employment_baseline"})
    if (!f.has(v)) throw InputError(f.path().string() + ": missing dataset '" + v + "'");
  Series s(f);
  std::vector<Headline> rows;
  for (std::size_t c = 0; c <= C; ++c) {
    auto over_reps = [&](const std::function<double(std::size_t)>& g) {
      std::vector<double> x;
      for (std::size_t r : finished) x.push_back(g(r));
      return estimate_mean(x);
    };
    // The whole period, as compare's measures over the window [0, T - 1].
    auto whole = [&](const char* name) {
      return over_reps([&](std::size_t r) { return measure(name).value(s, r, 0, T - 1, c); });
    };
    Headline h;
    h.city = c < C ? cities[c] : "All cities";
    h.firms_start = over_reps([&](std::size_t r) { return s.at("firms_baseline", r, 0, c); });
    h.firms_end = whole("firms_active");
    h.failures = whole("failures");
    h.closed_peak = over_reps([&](std::size_t r) {
      double peak = 0;
      for (std::size_t t = 0; t < T; ++t)
        peak = std::max(peak, s.at("firms_closed", r, t, c) / s.at("firms_active", r, t, c));
      return peak;
    });
    // A share, not compare's %: (100 x a / b) / 100 can round differently in the table.
    h.survival = over_reps(
        [&](std::size_t r) { return s.at("initial_cohort_alive", r, T - 1, c) / s.at("firms_baseline", r, 0, c); });
    h.employment_change = over_reps([&](std::size_t r) {
      return measure("employment").value(s, r, 0, T - 1, c) / s.at("employment_baseline", r, 0, c) - 1.0;
    });
    h.job_creation_rate = over_reps([&](std::size_t r) { return annual_rate(s, "job_creation_annual", r, c); });
    h.job_destruction_rate = over_reps([&](std::size_t r) { return annual_rate(s, "job_destruction_annual", r, c); });
    rows.push_back(h);
  }
  return rows;
}

namespace {

std::string with_commas(double x) { return rounded(x, 0, true); }

/// "1,234 ±56"; "1,234 ±n/a" without an interval (fewer than two replications).
std::string count_cell(const Estimate& e) {
  return with_commas(e.mean) + " ±" + (has_interval(e) ? with_commas(e.half_width()) : "n/a");
}

std::string percent_cell(const Estimate& e) {
  if (std::isnan(e.mean)) return "n/a";
  return rounded(100 * e.mean, 1) + " ±" + (has_interval(e) ? rounded(100 * e.half_width(), 1) : "n/a");
}

/// Characters on screen: UTF-8 continuation bytes take no column.
std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string format_headline(const std::vector<Headline>& rows, int replications) {
  const std::vector<std::string> head = {"city",       "SMEs month 0", "SMEs end", "failures", "closed peak %",
                                         "survival %", "employment %", "JC %/yr",  "JD %/yr"};
  std::vector<std::vector<std::string>> table = {head};
  for (const Headline& h : rows)
    table.push_back({h.city, count_cell(h.firms_start), count_cell(h.firms_end), count_cell(h.failures),
                     percent_cell(h.closed_peak), percent_cell(h.survival), percent_cell(h.employment_change),
                     percent_cell(h.job_creation_rate), percent_cell(h.job_destruction_rate)});
  std::vector<std::size_t> width(head.size(), 0);
  for (const auto& row : table)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], display_width(row[i]));
  std::string out;
  for (std::size_t r = 0; r < table.size(); ++r) {
    for (std::size_t i = 0; i < table[r].size(); ++i) {
      const std::string& cell = table[r][i];
      const std::string pad(width[i] - display_width(cell), ' ');
      out += i == 0 ? cell + pad : "  " + pad + cell;
    }
    out += '\n';
    if (r == 0 || r + 2 == table.size()) {
      std::size_t total = 0;
      for (auto w : width) total += w + 2;
      out += std::string(total - 2, '-') + '\n';
    }
  }
  out += "Mean over " + std::to_string(replications) +
         " replications, ± the half-width of its 95% interval. Survival: SMEs active at month 0\n"
         "still active at the end. JC/JD: annual gross job creation/destruction (Davis-Haltiwanger).\n";
  return out;
}

namespace {

/// A money row's value in one replication and city: the series reduced over time.
double reduce(const CityCube& x, std::size_t r, std::size_t c, const std::string& how) {
  const bool last = how == "last" || how == "last_index";
  double v = how == "first" ? x.at(r, 0, c) : last ? x.at(r, x.months() - 1, c) : 0.0;
  if (how == "sum")
    for (std::size_t t = 0; t < x.months(); ++t) v += x.at(r, t, c);
  if (how == "max")
    for (std::size_t t = 0; t < x.months(); ++t) v = std::max(v, x.at(r, t, c));
  return v;
}

}  // namespace

std::vector<MoneyLine> money_lines(const ResultReader& f) {
  const std::size_t C = f.labels("city").size();
  std::vector<MoneyLine> out;
  for (const MoneyRow& line : money_rows()) {
    if (!f.has(line.variable)) continue;
    const CityCube x(f, line.variable);
    // Money is in units "1" counted in USD (docs/OUTPUT.md, "Units"); older files say "USD".
    const std::string counted_in = f.attribute(line.variable, "counted_in");
    MoneyLine m{line.variable, line.label, counted_in.empty() ? f.attribute(line.variable, "units") : counted_in, {}};
    bool any = false;
    for (std::size_t c = 0; c <= C; ++c) {
      std::vector<double> per_rep;
      for (std::size_t r : f.finished_replications()) {
        double v = reduce(x, r, c, line.reduction);
        if (line.reduction == "last_index") v = 100 * (c < C ? v : v / C);  // all cities: the mean
        per_rep.push_back(v);
      }
      m.cities.push_back(estimate_mean(per_rep));
      any = any || m.cities.back().mean != 0;
    }
    if (any) out.push_back(std::move(m));
  }
  return out;
}

std::string format_spending(const ResultReader& f) {
  const std::vector<std::string> cities = f.labels("city");
  std::vector<std::string> head = {""};
  for (const auto& c : cities) head.push_back(c);
  head.emplace_back("All cities");
  std::vector<std::vector<std::string>> table = {head};
  for (const MoneyLine& line : money_lines(f)) {
    std::vector<std::string> row = {line.label};
    for (const Estimate& e : line.cities)
      row.push_back(with_commas(e.mean) + (e.half_width() > 0 ? " ±" + with_commas(e.half_width()) : ""));
    table.push_back(row);
  }
  if (table.size() == 1) return "";
  std::vector<std::size_t> width(head.size(), 0);
  for (const auto& row : table)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], display_width(row[i]));
  std::string out = "Programme and policy money over the period (mean ± 95% half-width):\n";
  for (const auto& row : table) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string pad(width[i] - display_width(row[i]), ' ');
      out += i == 0 ? row[i] + pad : "  " + pad + row[i];
    }
    out += '\n';
  }
  return out;
}

namespace {

/// One value of the long inspect table.
struct Cell {
  std::string city, measure;
  Estimate value;
  std::string units;
};

/// The headline (shares as %) and money tables, one cell per city and measure.
std::vector<Cell> inspect_cells(const ResultReader& f, const std::vector<Headline>& rows) {
  struct Field {
    const char* name;
    Estimate Headline::*member;
    double scale;
    const char* units;
  };
  static const Field fields[] = {
      {"firms_start", &Headline::firms_start, 1, "firms"},
      {"firms_end", &Headline::firms_end, 1, "firms"},
      {"failures", &Headline::failures, 1, "firms"},
      {"closed_peak", &Headline::closed_peak, 100, "%"},
      {"survival", &Headline::survival, 100, "% of month-0 SMEs"},
      {"employment_change", &Headline::employment_change, 100, "%"},
      {"job_creation_rate", &Headline::job_creation_rate, 100, "% per year"},
      {"job_destruction_rate", &Headline::job_destruction_rate, 100, "% per year"},
  };
  std::vector<Cell> out;
  for (const Headline& h : rows)
    for (const Field& field : fields) {
      const Estimate& e = h.*field.member;
      out.push_back(
          {h.city, field.name, {e.mean * field.scale, e.lo * field.scale, e.hi * field.scale, e.n}, field.units});
    }
  std::vector<std::string> cities = f.labels("city");
  cities.emplace_back("All cities");
  for (const MoneyLine& line : money_lines(f))
    for (std::size_t c = 0; c < cities.size(); ++c)
      out.push_back({cities[c], line.variable, line.cities[c], line.units});
  return out;
}

double lo_of(const Estimate& e) { return has_interval(e) ? e.lo : std::nan(""); }
double hi_of(const Estimate& e) { return has_interval(e) ? e.hi : std::nan(""); }

}  // namespace

std::string headline_csv(const ResultReader& f, const std::vector<Headline>& rows) {
  std::string out = csv_line({"scenario", "file", "city", "measure", "mean", "lo", "hi", "units"});
  const std::string title = f.attribute("title"), path = f.path().string();
  for (const Cell& c : inspect_cells(f, rows))
    out += csv_line({title, path, c.city, c.measure, csv_number(c.value.mean), csv_number(lo_of(c.value)),
                     csv_number(hi_of(c.value)), c.units});
  return out;
}

std::string headline_json(const ResultReader& f, const std::vector<Headline>& rows) {
  std::string out = "{\n  \"file\": " + json_string(f.path().string()) +
                    ",\n  \"scenario\": " + json_string(f.attribute("title")) +
                    ",\n  \"replications\": " + std::to_string(f.finished_replications().size()) + ",\n  \"rows\": [";
  bool first = true;
  for (const Cell& c : inspect_cells(f, rows)) {
    out += std::string(first ? "" : ",") + "\n    {\"city\": " + json_string(c.city) +
           ", \"measure\": " + json_string(c.measure) + ", \"mean\": " + json_number(c.value.mean) +
           ", \"lo\": " + json_number(lo_of(c.value)) + ", \"hi\": " + json_number(hi_of(c.value)) +
           ", \"units\": " + json_string(c.units) + "}";
    first = false;
  }
  return out + "\n  ]\n}\n";
}

}  // namespace smesim
