// From simulation results to the variables of a result file (docs/OUTPUT.md).
#include "smesim/engine/results.hpp"

#include <chrono>
#include <cmath>
#include <ctime>

#include "smesim/core/error.hpp"
#include "smesim/core/version.hpp"
#include "smesim/model/environment.hpp"

namespace smesim {
namespace {

/// A per-cell metric: reported per city (summed over cells) and, at the sectors level,
/// per (city, sector, size class). Counts and amounts are divided by population_scale.
struct Metric {
  const char* name;
  const char* units;
  const char* long_name;
  double (*value)(const CellTotals&);
  bool annual;  ///< only set at year ends; NaN in other months
};

// clang-format off
const Metric kMetrics[] = {
  {"firms_active", "firms", "SMEs active at month end", [](const CellTotals& c) { return double(c.active); }, false},
  {"firms_entered", "firms", "SMEs entering during the month", [](const CellTotals& c) { return double(c.entered); }, false},
  {"firms_exited_illiquid", "firms", "SMEs failing by the liquidity rule during the month", [](const CellTotals& c) { return double(c.exits_illiquid); }, false},
  {"firms_exited_other", "firms", "SMEs exiting for other reasons during the month", [](const CellTotals& c) { return double(c.exits_other); }, false},
  {"firms_distressed", "firms", "live SMEs illiquid at month end", [](const CellTotals& c) { return double(c.distressed); }, false},
  {"initial_cohort_alive", "firms", "SMEs active at month 0 that are still active", [](const CellTotals& c) { return double(c.initial_alive); }, false},
  {"employment", "workers", "workers employed by SMEs at month end", [](const CellTotals& c) { return double(c.employment); }, false},
  {"jobs_created", "workers", "jobs created during the month (hires and entrants' staff)", [](const CellTotals& c) { return double(c.jobs_created); }, false},
  {"jobs_destroyed", "workers", "jobs destroyed during the month (separations and exiting SMEs' staff)", [](const CellTotals& c) { return double(c.jobs_destroyed); }, false},
  {"job_creation_annual", "workers", "gross job creation over the 12 months to this month (Davis-Haltiwanger)", [](const CellTotals& c) { return double(c.annual_created); }, true},
  {"job_destruction_annual", "workers", "gross job destruction over the 12 months to this month (Davis-Haltiwanger)", [](const CellTotals& c) { return double(c.annual_destroyed); }, true},
  {"revenue_usd", "USD", "SME revenue during the month", [](const CellTotals& c) { return c.revenue; }, false},
  {"wage_bill_usd", "USD", "SME wage bill during the month", [](const CellTotals& c) { return c.wage_bill; }, false},
  {"cash_usd", "USD", "SME cash at month end", [](const CellTotals& c) { return c.cash; }, false},
  {"debt_usd", "USD", "SME debt at month end", [](const CellTotals& c) { return c.debt; }, false},
};
// clang-format on

std::vector<std::string> sector_names(const Scenario& sc) {
  std::vector<std::string> out;
  for (const auto& s : sc.sectors) out.push_back(s.name);
  return out;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buf;
}

const std::vector<std::string> kSummaryDims = {"replication", "time", "city"};
const std::vector<std::string> kCellDims = {"replication", "time", "city", "sector", "size_class"};

}  // namespace

OutputLevel parse_output_level(const std::string& text) {
  if (text == "summary") return OutputLevel::kSummary;
  if (text == "sectors") return OutputLevel::kSectors;
  throw InputError("--output: expected summary or sectors, found '" + text + "'");
}

FileSchema result_schema(const Scenario& sc, OutputLevel level, const Provenance& prov) {
  FileSchema f;
  Dimension rep{"replication", "Monte Carlo replication", "", {}, {}, {}};
  for (int r = 0; r < sc.simulation.replications; ++r) rep.values.push_back(r);
  rep.integer = true;
  Dimension time{"time", "first day of the month", kTimeUnits, {}, {}, {{"calendar", "standard"}, {"axis", "T"}}};
  for (int t = 0; t < sc.simulation.months; ++t) time.values.push_back(cf_days(sc.simulation.start.plus(t)));
  Dimension city{"city", "city", "", {}, {}, {}};
  LabelVariable city_id{"city_id", "city id in the scenario", "city", {}};
  LabelVariable country{"city_country", "country", "city", {}};
  LabelVariable illustrative{"city_status", "programme or illustrative city", "city", {}};
  for (const auto& c : sc.cities) {
    city.labels.push_back(c.name);
    city_id.labels.push_back(c.id);
    country.labels.push_back(c.country);
    illustrative.labels.push_back(c.illustrative ? "illustrative" : "programme");
  }
  Dimension sector{"sector", "economic sector", "", {}, sector_names(sc), {}};
  Dimension size{"size_class", "firm size class (by normal employment)", "", {},
                 {kSizeClassNames.begin(), kSizeClassNames.end()}, {}};
  f.dims = {rep, time, city, sector, size};
  f.label_vars = {city_id, country, illustrative};

  for (const Metric& m : kMetrics) f.vars.push_back({m.name, m.long_name, m.units, kSummaryDims});
  f.vars.push_back({"demand_index", "demand index D (1 = baseline)", "1", {"replication", "time", "city", "sector"}});
  f.vars.push_back({"stringency", "lockdown stringency S in [0, 1]", "1", {"time", "city"}});
  f.vars.push_back({"firms_baseline", "SMEs active at the end of burn-in (month 0)", "firms", {"replication", "city"}});
  f.vars.push_back({"employment_baseline", "SME employment at the end of burn-in (month 0)", "workers", {"replication", "city"}});
  if (level == OutputLevel::kSectors)
    for (const Metric& m : kMetrics) f.vars.push_back({std::string("sectors/") + m.name, m.long_name, m.units, kCellDims});

  f.attributes = {
      {"Conventions", std::string("CF-1.8")},
      {"title", sc.title.empty() ? std::string("smesim results") : sc.title},
      {"source", std::string("smesim ") + version()},
      {"smesim_version", std::string(version())},
      {"git_commit", std::string(git_commit())},
      {"command_line", prov.command_line},
      {"created", utc_now()},
      {"scenario_file", sc.source_file},
      {"scenario", prov.scenario_text},
      {"seed", static_cast<long long>(sc.simulation.seed)},
      {"replications", static_cast<long long>(sc.simulation.replications)},
      {"population_scale", sc.simulation.population_scale},
      {"burn_in_months", static_cast<long long>(sc.simulation.burn_in_months)},
      {"start", sc.simulation.start.str()},
      {"output_level", std::string(level == OutputLevel::kSectors ? "sectors" : "summary")},
  };
  return f;
}

Slabs fixed_slabs(const Scenario& sc) {
  std::vector<double> s;
  for (int t = 0; t < sc.simulation.months; ++t)
    for (const auto& c : sc.cities) s.push_back(stringency(c, sc.simulation.start, t));
  return {{"stringency", std::move(s)}};
}

Slabs replication_slabs(const Scenario& sc, OutputLevel level, const ReplicationResult& r) {
  const double scale = 1.0 / sc.simulation.population_scale;
  const double nan = std::nan("");
  Slabs out;
  for (const Metric& m : kMetrics) {
    std::vector<double> city_values, cell_values;
    for (const auto& month : r.months)
      for (const CityMonth& cm : month) {
        const bool missing = m.annual && !cm.year_end;
        double sum = 0;
        for (const CellTotals& cell : cm.cells) {
          sum += m.value(cell);
          if (level == OutputLevel::kSectors) cell_values.push_back(missing ? nan : m.value(cell) * scale);
        }
        city_values.push_back(missing ? nan : sum * scale);
      }
    out.emplace_back(m.name, std::move(city_values));
    if (level == OutputLevel::kSectors) out.emplace_back(std::string("sectors/") + m.name, std::move(cell_values));
  }
  std::vector<double> demand, firms, employment;
  for (const auto& month : r.months)
    for (const CityMonth& cm : month) demand.insert(demand.end(), cm.demand.begin(), cm.demand.end());
  for (const CityTotals& city : r.baseline) {
    CellTotals total;
    for (const CellTotals& cell : city) total += cell;
    firms.push_back(double(total.active) * scale);
    employment.push_back(double(total.employment) * scale);
  }
  out.emplace_back("demand_index", std::move(demand));
  out.emplace_back("firms_baseline", std::move(firms));
  out.emplace_back("employment_baseline", std::move(employment));
  return out;
}

}  // namespace smesim
