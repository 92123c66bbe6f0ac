// `smesim compare` written out: aligned text, JSON and one long CSV table.
#include <algorithm>
#include <cmath>

#include "smesim/analysis/compare.hpp"
#include "smesim/analysis/format.hpp"

namespace smesim {
namespace {

/// A table cell: no decimals from 100 on, two below, thousands separated.
std::string number(double x) { return rounded(x, std::fabs(x) >= 100 ? 0 : 2, true); }

std::string interval(const Estimate& e) {
  if (!has_interval(e)) return "n/a";
  // Appended piece by piece: GCC 12 warns (-Wrestrict, wrongly) on "[" + std::string.
  std::string out = "[";
  out += number(e.lo);
  out += ", ";
  out += number(e.hi);
  out += "]";
  return out;
}

bool is_ratio(const std::string& measure) {
  return measure == "jobs_per_usd_million" || measure == "cost_per_job_year";
}

/// "point 4: match_ratio = 1, payment_delay_months = 3", or "" outside a sweep.
std::string design_text(const Comparison& c, const std::string& separator = ", ") {
  if (!c.point) return "";
  std::string out = "point " + std::to_string(*c.point) + ":";
  for (std::size_t i = 0; i < c.design.size(); ++i)
    out += (i ? separator : std::string(" ")) + c.design[i].first + " = " + json_number(c.design[i].second);
  return out;
}

std::string format_one(const Comparison& c) {
  const std::string paired = c.unpaired_reason.empty()
                                 ? "replication by replication (paired: common random numbers)"
                                 : "not paired (" + c.unpaired_reason + "): unpaired intervals only";
  std::string out = "B - A, " + paired + "\n  A: " + c.a_path + "\n  B: " + c.b_path +
                    (c.scenario.empty() ? "" : " (" + c.scenario + ")") + "\n";
  if (c.point) out += "  " + design_text(c) + "\n";
  out += "  " + std::to_string(c.replications) + " replications; flows over " + c.first.str() + " to " + c.last.str() +
         ", stocks at " + c.last.str() + "\n\n";
  std::vector<std::vector<std::string>> table = {{"measure", "city", "A", "B", "B - A", "95% paired", "95% unpaired"}};
  for (const Difference& d : c.rows) {
    const bool ratio = is_ratio(d.measure);
    const double mean = c.unpaired_reason.empty() ? d.paired.mean : d.unpaired.mean;
    table.push_back({d.measure + " (" + d.unit + ")", d.city, ratio ? "" : number(d.a.mean),
                     ratio ? "" : number(d.b.mean), number(mean), interval(d.paired), interval(d.unpaired)});
  }
  return out + aligned(table, 2);
}

std::string json_one(const Comparison& c, const std::string& indent) {
  std::string out =
      indent + "{\n" + indent + "  \"a\": " + json_string(c.a_path) + ",\n" + indent +
      "  \"b\": " + json_string(c.b_path) + ",\n" + indent + "  \"scenario\": " + json_string(c.scenario) + ",\n" +
      indent + "  \"first\": \"" + c.first.str() + "\",\n" + indent + "  \"last\": \"" + c.last.str() + "\",\n" +
      indent + "  \"replications\": " + std::to_string(c.replications) + ",\n" + indent +
      "  \"paired\": " + (c.unpaired_reason.empty() ? "true" : "false") + ",\n" + indent +
      "  \"unpaired_reason\": " + (c.unpaired_reason.empty() ? "null" : json_string(c.unpaired_reason)) + ",\n";
  if (c.point) {
    out += indent + "  \"point\": " + std::to_string(*c.point) + ",\n" + indent + "  \"design\": {";
    for (std::size_t i = 0; i < c.design.size(); ++i)
      out += (i ? ", " : "") + json_string(c.design[i].first) + ": " + json_number(c.design[i].second);
    out += "},\n";
  }
  out += indent + "  \"rows\": [";
  for (std::size_t i = 0; i < c.rows.size(); ++i) {
    const Difference& d = c.rows[i];
    out += std::string(i ? "," : "") + "\n" + indent + "    {\"measure\": " + json_string(d.measure) +
           ", \"unit\": " + json_string(d.unit) + ", \"city\": " + json_string(d.city) +
           ", \"a\": " + json_estimate(d.a) + ", \"b\": " + json_estimate(d.b) +
           ", \"paired\": " + json_estimate(d.paired) + ", \"unpaired\": " + json_estimate(d.unpaired) + "}";
  }
  return out + "\n" + indent + "  ]\n" + indent + "}";
}

}  // namespace

std::string format_comparison(const std::vector<Comparison>& cs) {
  std::string out;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (i) out += "\n";
    out += format_one(cs[i]);
  }
  out +=
      "\nspending: programme payments, in-kind assistance, wage subsidies and grants. jobs_per_usd_million and\n"
      "cost_per_job_year divide the job-years difference (and its interval) by the mean spending difference.\n"
      "n/a: no interval (fewer than two replications, files that cannot be paired, or a cost per job-year\n"
      "whose job-years interval includes 0).\n";
  return out;
}

std::string comparison_json(const std::vector<Comparison>& cs) {
  if (cs.size() == 1) return json_one(cs.front(), "") + "\n";
  std::string out = "[";
  for (std::size_t i = 0; i < cs.size(); ++i) out += std::string(i ? "," : "") + "\n" + json_one(cs[i], "  ");
  return out + "\n]\n";
}

std::string comparison_csv(const std::vector<Comparison>& cs) {
  bool sweep = false;
  std::vector<std::string> parameters;  // every swept parameter, in order of appearance
  for (const Comparison& c : cs) {
    sweep = sweep || c.point.has_value();
    for (const auto& [name, value] : c.design)
      if (std::find(parameters.begin(), parameters.end(), name) == parameters.end()) parameters.push_back(name);
  }
  std::vector<std::string> head = {"scenario", "file"};
  if (sweep) head.emplace_back("point");
  head.insert(head.end(), parameters.begin(), parameters.end());
  for (const char* h : {"city", "measure", "window", "base_mean", "scenario_mean", "mean", "paired_lo", "paired_hi",
                        "unpaired_lo", "unpaired_hi", "units"})
    head.emplace_back(h);
  std::string out = csv_line(head);
  for (const Comparison& c : cs)
    for (const Difference& d : c.rows) {
      std::vector<std::string> row = {c.scenario, c.b_path};
      if (sweep) row.push_back(c.point ? std::to_string(*c.point) : "");
      for (const std::string& p : parameters) {
        std::string cell;
        for (const auto& [name, value] : c.design)
          if (name == p) cell = csv_number(value);
        row.push_back(cell);
      }
      const bool paired = c.unpaired_reason.empty();
      const auto lo = [](const Estimate& e) { return csv_number(has_interval(e) ? e.lo : NAN); };
      const auto hi = [](const Estimate& e) { return csv_number(has_interval(e) ? e.hi : NAN); };
      const std::vector<std::string> rest = {d.city,
                                             d.measure,
                                             c.first.str() + ":" + c.last.str(),
                                             csv_number(d.a.mean),
                                             csv_number(d.b.mean),
                                             csv_number(paired ? d.paired.mean : d.unpaired.mean),
                                             lo(d.paired),
                                             hi(d.paired),
                                             lo(d.unpaired),
                                             hi(d.unpaired),
                                             d.unit};
      row.insert(row.end(), rest.begin(), rest.end());
      out += csv_line(row);
    }
  return out;
}

}  // namespace smesim
