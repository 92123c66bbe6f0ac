// From simulation results to the variables of a result file (docs/OUTPUT.md).
#include "smesim/engine/results.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <utility>

#include "smesim/core/error.hpp"
#include "smesim/core/version.hpp"
#include "smesim/engine/catalogue.hpp"
#include "smesim/model/environment.hpp"
#include "smesim/model/programme.hpp"
#include "smesim/scenario/oxcgrt.hpp"

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
  {"firms_exited_illiquid", "firms", "SMEs failing during the month: unable to pay after credit, arrears and owner's funds, or temporarily closed beyond the owner's horizon or with debts reopening cannot repay", [](const CellTotals& c) { return double(c.exits_illiquid); }, false},
  {"firms_exited_closure", "firms", "of the failing SMEs, those temporarily closed that closed for good during the month", [](const CellTotals& c) { return double(c.exits_closure); }, false},
  {"firms_exited_other", "firms", "SMEs exiting for other reasons during the month", [](const CellTotals& c) { return double(c.exits_other); }, false},
  {"firms_distressed", "firms", "live SMEs whose cash and credit fell short during the month (in arrears, drawing on owner's funds, or unable to pay)", [](const CellTotals& c) { return double(c.distressed); }, false},
  {"firms_closed", "firms", "live SMEs temporarily closed at month end (counted in firms_active)", [](const CellTotals& c) { return double(c.closed); }, false},
  {"firms_short_hours", "firms", "open SMEs working short hours at month end", [](const CellTotals& c) { return double(c.short_hours); }, false},
  {"firms_cut_hours_ytd", "firms", "live SMEs that cut hours at some month end since the last year end", [](const CellTotals& c) { return double(c.cut_hours_ytd); }, false},
  {"firms_laid_off_ytd", "firms", "live SMEs that laid workers off since the last year end", [](const CellTotals& c) { return double(c.laid_off_ytd); }, false},
  {"firms_closed_ytd", "firms", "live SMEs that were temporarily closed in some month since the last year end", [](const CellTotals& c) { return double(c.closed_ytd); }, false},
  {"firms_closed_long_ytd", "firms", "of those, live SMEs temporarily closed in more than three months since the last year end", [](const CellTotals& c) { return double(c.closed_long_ytd); }, false},
  {"firms_cut_hours_or_closed_ytd", "firms", "live SMEs that cut hours or closed temporarily since the last year end", [](const CellTotals& c) { return double(c.adjusted_ytd); }, false},
  {"initial_cohort_alive", "firms", "SMEs active at month 0 that are still active", [](const CellTotals& c) { return double(c.initial_alive); }, false},
  {"firms_aged_12m", "firms", "SMEs active at month end aged exactly 12 months", [](const CellTotals& c) { return double(c.aged_years[0]); }, false},
  {"firms_aged_24m", "firms", "SMEs active at month end aged exactly 24 months", [](const CellTotals& c) { return double(c.aged_years[1]); }, false},
  {"firms_aged_36m", "firms", "SMEs active at month end aged exactly 36 months", [](const CellTotals& c) { return double(c.aged_years[2]); }, false},
  {"firms_aged_48m", "firms", "SMEs active at month end aged exactly 48 months", [](const CellTotals& c) { return double(c.aged_years[3]); }, false},
  {"employment", "workers", "workers employed by SMEs at month end (headcount, furloughed workers included)", [](const CellTotals& c) { return double(c.employment); }, false},
  {"employment_fte", "workers", "hours worked in SMEs at month end, full-time equivalents (closed SMEs none)", [](const CellTotals& c) { return c.employment_fte; }, false},
  {"jobs_created", "workers", "jobs created during the month (hires and entrants' staff)", [](const CellTotals& c) { return double(c.jobs_created); }, false},
  {"jobs_destroyed", "workers", "jobs destroyed during the month (separations and exiting SMEs' staff)", [](const CellTotals& c) { return double(c.jobs_destroyed); }, false},
  {"job_creation_annual", "workers", "gross job creation over the 12 months to this month (Davis-Haltiwanger)", [](const CellTotals& c) { return double(c.annual_created); }, true},
  {"job_destruction_annual", "workers", "gross job destruction over the 12 months to this month (Davis-Haltiwanger)", [](const CellTotals& c) { return double(c.annual_destroyed); }, true},
  {"revenue_usd", "USD", "SME revenue during the month", [](const CellTotals& c) { return c.revenue; }, false},
  {"revenue_drop_sum", "firms", "sum over live SMEs of their relative revenue drop against normal revenue (1 - revenue / normal revenue); divided by firms_active, the mean drop firm surveys report", [](const CellTotals& c) { return c.revenue_drop; }, false},
  {"wage_bill_usd", "USD", "SME wage bill during the month", [](const CellTotals& c) { return c.wage_bill; }, false},
  {"cash_usd", "USD", "SME cash at month end", [](const CellTotals& c) { return c.cash; }, false},
  {"debt_usd", "USD", "SME debt at month end", [](const CellTotals& c) { return c.debt; }, false},
  {"arrears_usd", "USD", "SME rent and supplier bills in arrears at month end", [](const CellTotals& c) { return c.arrears; }, false},
  {"owner_injections_usd", "USD", "owners' own money put into SMEs during the month", [](const CellTotals& c) { return c.owner_injections; }, false},
  {"contract_revenue_usd", "USD", "programme contract payments received by SMEs during the month", [](const CellTotals& c) { return c.contract_revenue; }, false},
};

/// The stimulus policies' totals as metrics, after kMetrics (model/policies.hpp).
template <std::size_t I>
double policy_total(const CellTotals& c) {
  return c.policy.*kPolicyOutputs[I].total;
}

template <std::size_t... I>
std::vector<Metric> all_cell_metrics(std::index_sequence<I...>) {
  std::vector<Metric> out(std::begin(kMetrics), std::end(kMetrics));
  (out.push_back({kPolicyOutputs[I].name, kPolicyOutputs[I].units, kPolicyOutputs[I].long_name, &policy_total<I>,
                  false}),
   ...);
  return out;
}

/// Every per-cell metric, in file order.
const std::vector<Metric>& cell_metrics() {
  static const std::vector<Metric> m = all_cell_metrics(std::make_index_sequence<std::size(kPolicyOutputs)>{});
  return m;
}

/// A per-city metric that is not a sum over firms (programme, hazards, resilience).
struct CityMetric {
  const char* name;
  const char* units;
  const char* long_name;
  double (*value)(const CityMonth&);
  bool scaled;  ///< a count or amount: divided by population_scale
};

const CityMetric kCityMetrics[] = {
  {"resilience_index", "1", "city resilience index R in [0, 1], month end", [](const CityMonth& m) { return m.resilience; }, false},
  {"hazard_active", "1", "1 while a hazard's demand shock is in force", [](const CityMonth& m) { return double(m.hazard_active); }, false},
  {"hazard_hit", "1", "1 in a month a hazard strikes", [](const CityMonth& m) { return double(m.hazard_hit); }, false},
  {"hazard_cash_destroyed_usd", "USD", "SME cash destroyed by a hazard during the month", [](const CityMonth& m) { return m.cash_destroyed; }, true},
  {"programme_budget_usd", "USD", "programme procurement budget", [](const CityMonth& m) { return m.programme.budget; }, true},
  {"programme_bids", "bids", "bids received in calls during the month", [](const CityMonth& m) { return double(m.programme.bids); }, true},
  {"programme_awards", "contracts", "contracts awarded during the month", [](const CityMonth& m) { return double(m.programme.awards); }, true},
  {"programme_value_awarded_usd", "USD", "value of contracts awarded during the month", [](const CityMonth& m) { return m.programme.value_awarded; }, true},
  {"programme_value_paid_usd", "USD", "contract value paid during the month", [](const CityMonth& m) { return m.programme.value_paid; }, true},
  {"programme_value_defaulted_usd", "USD", "contract value left undelivered by failed contractors during the month", [](const CityMonth& m) { return m.programme.value_defaulted; }, true},
  {"programme_contracts_active", "contracts", "contracts being delivered or awaiting payment, month end", [](const CityMonth& m) { return double(m.programme.contracts_active); }, true},
  {"programme_smes_contracted", "firms", "SMEs awarded at least one contract so far", [](const CityMonth& m) { return double(m.programme.smes_contracted); }, true},
  {"programme_grant_spent_usd", "USD", "foundation grant spent on contract payments during the month", [](const CityMonth& m) { return m.programme.grant_spent; }, true},
  {"programme_city_cash_spent_usd", "USD", "city cash match spent on contract payments during the month", [](const CityMonth& m) { return m.programme.city_cash_spent; }, true},
  {"programme_in_kind_value_used_usd", "USD", "in-kind match used as technical assistance during the month", [](const CityMonth& m) { return m.programme.in_kind_value_used; }, true},
  {"programme_smes_assisted", "firms", "SMEs given technical assistance so far", [](const CityMonth& m) { return double(m.programme.smes_assisted); }, true},
};

/// A per-sector demand series.
struct DemandMetric {
  const char* name;
  const char* long_name;
  const std::vector<double> DemandParts::*part;
};

const DemandMetric kDemandMetrics[] = {
  {"demand_index", "demand index D (1 = baseline)", &DemandParts::index},
  {"demand_direct", "direct part of D - 1: the sector's own final demand shock", &DemandParts::direct},
  {"demand_indirect", "indirect part of D - 1: through local supply chains", &DemandParts::indirect},
  {"demand_induced", "induced part of D - 1: through lost local wages", &DemandParts::induced},
  {"demand_programme", "programme part of D - 1: contractors' purchases from local SMEs", &DemandParts::programme},
};
// clang-format on

std::vector<std::string> sector_names(const Scenario& sc) {
  std::vector<std::string> out;
  for (const auto& s : sc.sectors) out.push_back(s.name);
  return out;
}

/// The time the file is created, or SOURCE_DATE_EPOCH (seconds since 1970, the
/// reproducible-builds convention) when set, so that a run can be repeated to the byte.
std::string utc_now() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    const long long seconds = std::strtoll(epoch, &end, 10);
    if (!std::isdigit(static_cast<unsigned char>(*epoch)) || *end != '\0' || seconds > 253402300799)  // 9999-12-31
      throw InputError(std::string("SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01, found '") + epoch +
                       "'");
    now = static_cast<std::time_t>(seconds);
  }
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buf;
}

const std::vector<std::string> kSummaryDims = {"replication", "time", "city"};
const std::vector<std::string> kCellDims = {"replication", "time", "city", "sector", "size_class"};

/// Marks the spending variables and the money rows (engine/catalogue.hpp) with variable
/// attributes, and gives their order in root attributes (docs/OUTPUT.md).
void add_reading_attributes(FileSchema& f) {
  auto var = [&](const std::string& name) -> Variable& {
    for (Variable& v : f.vars)
      if (v.name == name) return v;
    throw Error("result schema: the catalogue names variable '" + name + "', which the file does not have");
  };
  std::string spending, money;
  for (const SpendingVariable& s : spending_variables()) {
    var(s.name).attributes.emplace_back("spending_label", s.label);
    spending += (spending.empty() ? "" : " ") + s.name;
  }
  for (const MoneyRow& m : money_rows()) {
    var(m.variable).attributes.emplace_back("money_label", m.label);
    var(m.variable).attributes.emplace_back("money_reduction", m.reduction);
    money += (money.empty() ? "" : " ") + m.variable;
  }
  f.attributes.emplace_back("spending_variables", spending);
  f.attributes.emplace_back("money_rows", money);
}

}  // namespace

OutputLevel parse_output_level(const std::string& text) {
  if (text == "summary") return OutputLevel::kSummary;
  if (text == "sectors") return OutputLevel::kSectors;
  if (text == "firms") return OutputLevel::kFirms;
  throw InputError("--output: expected summary, sectors or firms, found '" + text + "'");
}

namespace {

/// The dimensions (replication, time, city, sector, size class) and the city labels.
void add_dimensions(FileSchema& f, const Scenario& sc) {
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
    illustrative.labels.emplace_back(c.illustrative ? "illustrative" : "programme");
  }
  Dimension sector{"sector", "economic sector", "", {}, sector_names(sc), {}};
  Dimension size{"size_class", "firm size class (by normal employment)", "", {}, {}, {}};
  size.labels.assign(kSizeClassNames.begin(), kSizeClassNames.end());
  f.dims = {rep, time, city, sector, size};
  f.label_vars = {city_id, country, illustrative};
}

/// Every result variable of a run at `level`, in file order.
void add_variables(FileSchema& f, OutputLevel level) {
  for (const Metric& m : cell_metrics()) f.vars.push_back({m.name, m.long_name, m.units, kSummaryDims});
  for (const CityMetric& m : kCityMetrics) f.vars.push_back({m.name, m.long_name, m.units, kSummaryDims});
  for (const DemandMetric& m : kDemandMetrics)
    f.vars.push_back({m.name, m.long_name, "1", {"replication", "time", "city", "sector"}});
  f.vars.push_back({"stringency", "lockdown stringency S in [0, 1]", "1", {"time", "city"}});
  f.vars.push_back({"replication_done",
                    "1 once the work item is written (NaN until then, in a partial file)",
                    "1",
                    {"replication"}});
  f.vars.push_back({"firms_baseline", "SMEs active at the end of burn-in (month 0)", "firms", {"replication", "city"}});
  f.vars.push_back(
      {"employment_baseline", "SME employment at the end of burn-in (month 0)", "workers", {"replication", "city"}});
  if (level >= OutputLevel::kSectors)
    for (const Metric& m : cell_metrics())
      f.vars.push_back({std::string("sectors/") + m.name, m.long_name, m.units, kCellDims});
}

/// `x` as its shortest round-trip text ("0.3", "1").
std::string shortest(double x) {
  char buf[32];
  return {buf, std::to_chars(buf, buf + sizeof buf, x).ptr};
}

/// Where each city's stringency comes from, for the `source` attribute of `stringency`.
std::string stringency_source(const Scenario& sc) {
  std::string out;
  for (const City& c : sc.cities) {
    const OxcgrtSeries* series = oxcgrt_series_of(c.stringency);
    std::string from = c.waves.empty() ? "" : "waves";
    if (series)
      from += std::string(from.empty() ? "" : " and ") + "OxCGRT " + std::string(series->id) + " (" +
              std::string(series->name) + ")";
    out += (out.empty() ? "" : "; ") + c.id + ": " + (from.empty() ? "none" : from);
  }
  return out;
}

/// Attributes of `stringency`: per-city sources, the mapping and, if used, the OxCGRT credit.
void add_stringency_attributes(FileSchema& f, const Scenario& sc) {
  const bool real = std::any_of(sc.cities.begin(), sc.cities.end(),
                                [](const City& c) { return oxcgrt_series_of(c.stringency) != nullptr; });
  for (Variable& v : f.vars) {
    if (v.name != "stringency") continue;
    v.attributes.emplace_back("source", stringency_source(sc));
    if (!real) continue;
    v.attributes.emplace_back("stringency_mapping",
                              "S = min(1, scale * max(0, (index/100 - threshold) / (1 - "
                              "threshold))), threshold " +
                                  shortest(sc.stringency_mapping.threshold) + ", scale " +
                                  shortest(sc.stringency_mapping.scale));
    v.attributes.emplace_back("references", kOxcgrtCredit);
  }
}

const char* level_name(OutputLevel level) {
  return level == OutputLevel::kFirms ? "firms" : level == OutputLevel::kSectors ? "sectors" : "summary";
}

}  // namespace

FileSchema result_schema(const Scenario& sc, OutputLevel level, const Provenance& prov) {
  FileSchema f;
  add_dimensions(f, sc);
  add_variables(f, level);
  add_stringency_attributes(f, sc);
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
      {"output_level", std::string(level_name(level))},
  };
  f.attributes.insert(f.attributes.end(), prov.extra.begin(), prov.extra.end());
  add_reading_attributes(f);
  return f;
}

void add_sweep_dimension(FileSchema& f, std::size_t points,
                         const std::vector<std::pair<std::string, std::vector<double>>>& design) {
  Dimension point{"point", "sweep design point", "", {}, {}, {}};
  for (std::size_t p = 0; p < points; ++p) point.values.push_back(static_cast<double>(p));
  point.integer = true;
  f.dims.insert(f.dims.begin(), point);
  for (Variable& v : f.vars)
    if (f.per_item(v) || v.name == "stringency") v.dims.insert(v.dims.begin(), "point");
  f.item_dims = {"point", "replication"};
  for (const auto& [name, values] : design)
    f.vars.push_back({"design_" + name, "swept value of " + name + " at each point", "", {"point"}});
}

Slabs fixed_slabs(const Scenario& sc) {
  std::vector<double> s;
  for (int t = 0; t < sc.simulation.months; ++t)
    for (std::size_t c = 0; c < sc.cities.size(); ++c) s.push_back(stringency(sc, c, t));
  return {{"stringency", std::move(s)}};
}

Slabs replication_slabs(const Scenario& sc, OutputLevel level, const ReplicationResult& r) {
  const double scale = 1.0 / sc.simulation.population_scale;
  const double nan = std::nan("");
  Slabs out;
  for (const Metric& m : cell_metrics()) {
    std::vector<double> city_values, cell_values;
    for (const auto& month : r.months)
      for (const CityMonth& cm : month) {
        const bool missing = m.annual && !cm.year_end;
        double sum = 0;
        for (const CellTotals& cell : cm.cells) {
          sum += m.value(cell);
          if (level >= OutputLevel::kSectors) cell_values.push_back(missing ? nan : m.value(cell) * scale);
        }
        city_values.push_back(missing ? nan : sum * scale);
      }
    out.emplace_back(m.name, std::move(city_values));
    if (level >= OutputLevel::kSectors) out.emplace_back(std::string("sectors/") + m.name, std::move(cell_values));
  }
  for (const CityMetric& m : kCityMetrics) {
    std::vector<double> values;
    for (const auto& month : r.months)
      for (const CityMonth& cm : month) values.push_back(m.value(cm) * (m.scaled ? scale : 1.0));
    out.emplace_back(m.name, std::move(values));
  }
  for (const DemandMetric& m : kDemandMetrics) {
    std::vector<double> values;
    for (const auto& month : r.months)
      for (const CityMonth& cm : month)
        values.insert(values.end(), (cm.demand.*m.part).begin(), (cm.demand.*m.part).end());
    out.emplace_back(m.name, std::move(values));
  }
  std::vector<double> firms, employment;
  for (const CityTotals& city : r.baseline) {
    CellTotals total;
    for (const CellTotals& cell : city) total += cell;
    firms.push_back(double(total.active) * scale);
    employment.push_back(double(total.employment) * scale);
  }
  out.emplace_back("firms_baseline", std::move(firms));
  out.emplace_back("employment_baseline", std::move(employment));
  return out;
}

namespace {

/// Builds a table column by column from one row function per record.
template <class Record>
struct Column {
  const char* name;
  const char* units;
  const char* long_name;
  double (*value)(const Record&, double scale, const Scenario&);
};

template <class Record>
Table make_table(const char* group, const char* dim, const char* long_name, const Scenario& sc,
                 const std::vector<const Record*>& rows, const std::vector<Column<Record>>& columns) {
  Table t{group, dim, long_name, rows.size(), {}, {}};
  const double scale = 1.0 / sc.simulation.population_scale;
  for (const auto& c : columns) {
    t.columns.push_back({c.name, c.long_name, c.units, {dim}});
    std::vector<double> values;
    for (const Record* r : rows) values.push_back(c.value(*r, scale, sc));
    t.data.push_back(std::move(values));
  }
  return t;
}

/// A contract with the replication and city it belongs to.
struct ContractRow {
  std::size_t item;
  int point;
  int replication;
  int city;
  const Contract* contract;
};

}  // namespace

static Table contracts_table(const Scenario& sc, const std::vector<const ReplicationResult*>& results) {
  std::vector<ContractRow> rows;
  for (const ReplicationResult* r : results)
    for (std::size_t c = 0; c < r->contracts.size(); ++c)
      for (const Contract& k : r->contracts[c])
        rows.push_back({item_of(sc, *r), r->point, r->replication, static_cast<int>(c), &k});
  std::vector<const ContractRow*> ptrs;
  for (const auto& r : rows) ptrs.push_back(&r);
  using C = Column<ContractRow>;
  // clang-format off
  const std::vector<C> columns = {
    {"item", "", "work item (point x replications + replication)", [](const ContractRow& r, double, const Scenario&) { return double(r.item); }},
    {"point", "", "sweep point (0 in a plain run)", [](const ContractRow& r, double, const Scenario&) { return double(r.point); }},
    {"replication", "", "replication", [](const ContractRow& r, double, const Scenario&) { return double(r.replication); }},
    {"city", "", "city index (position in the city dimension)", [](const ContractRow& r, double, const Scenario&) { return double(r.city); }},
    {"project", "", "project index within the city's programme", [](const ContractRow& r, double, const Scenario&) { return double(r.contract->project); }},
    {"firm_uid", "", "firm id within the city", [](const ContractRow& r, double, const Scenario&) { return double(r.contract->uid); }},
    {"sector", "", "sector index (position in the sector dimension)", [](const ContractRow& r, double, const Scenario&) { return double(r.contract->sector); }},
    {"size_class", "", "size class index (0 micro, 1 small, 2 medium)", [](const ContractRow& r, double, const Scenario&) { return double(r.contract->size_class); }},
    {"value_usd", "USD", "contract value awarded (whole-city scale)", [](const ContractRow& r, double s, const Scenario&) { return r.contract->value * s; }},
    {"award_time", kTimeUnits, "month of the award (first day)", [](const ContractRow& r, double, const Scenario& sc) { return cf_days(sc.simulation.start.plus(r.contract->award_month)); }},
    {"duration_months", "months", "months of delivery", [](const ContractRow& r, double, const Scenario&) { return double(r.contract->duration); }},
    {"months_delivered", "months", "months of work delivered", [](const ContractRow& r, double, const Scenario&) { return double(r.contract->months_delivered); }},
    {"months_distressed", "months", "months the contractor was illiquid while the contract ran", [](const ContractRow& r, double, const Scenario&) { return double(r.contract->months_distressed); }},
    {"paid_usd", "USD", "value paid (whole-city scale)", [](const ContractRow& r, double s, const Scenario&) { return r.contract->paid * s; }},
    {"defaulted_usd", "USD", "value left undelivered because the contractor failed (whole-city scale)", [](const ContractRow& r, double s, const Scenario&) { return r.contract->defaulted * s; }},
  };
  // clang-format on
  return make_table("contracts", "contract", "contract award", sc, ptrs, columns);
}

static Table firms_table(const Scenario& sc, const std::vector<const ReplicationResult*>& results) {
  struct Row {
    std::size_t item;
    int point;
    int replication;
    const FirmRecord* firm;
  };
  std::vector<Row> rows;
  for (const ReplicationResult* r : results)
    for (const FirmRecord& f : r->firms) rows.push_back({item_of(sc, *r), r->point, r->replication, &f});
  std::vector<const Row*> ptrs;
  for (const auto& r : rows) ptrs.push_back(&r);
  using C = Column<Row>;
  // clang-format off
  const std::vector<C> columns = {
    {"item", "", "work item (point x replications + replication)", [](const Row& r, double, const Scenario&) { return double(r.item); }},
    {"point", "", "sweep point (0 in a plain run)", [](const Row& r, double, const Scenario&) { return double(r.point); }},
    {"replication", "", "replication", [](const Row& r, double, const Scenario&) { return double(r.replication); }},
    {"snapshot_time", kTimeUnits, "snapshot month (first day)", [](const Row& r, double, const Scenario& sc) { return cf_days(sc.simulation.start.plus(r.firm->month)); }},
    {"city", "", "city index (position in the city dimension)", [](const Row& r, double, const Scenario&) { return double(r.firm->city); }},
    {"firm_uid", "", "firm id within the city", [](const Row& r, double, const Scenario&) { return double(r.firm->uid); }},
    {"alive", "", "1 if the firm is active, 0 if it exited since month 0", [](const Row& r, double, const Scenario&) { return double(r.firm->alive); }},
    {"sector", "", "sector index (NaN for exited firms)", [](const Row& r, double, const Scenario&) { return r.firm->alive ? double(r.firm->sector) : std::nan(""); }},
    {"size_class", "", "size class index (NaN for exited firms)", [](const Row& r, double, const Scenario&) { return r.firm->alive ? double(r.firm->size_class) : std::nan(""); }},
    {"employees", "workers", "employees (0 for exited firms)", [](const Row& r, double, const Scenario&) { return double(r.firm->employees); }},
    {"cash_usd", "USD", "cash (NaN for exited firms)", [](const Row& r, double, const Scenario&) { return r.firm->alive ? r.firm->cash : std::nan(""); }},
    {"debt_usd", "USD", "debt (NaN for exited firms)", [](const Row& r, double, const Scenario&) { return r.firm->alive ? r.firm->debt : std::nan(""); }},
    {"contract", "", "1 if delivering or awaiting payment on a programme contract", [](const Row& r, double, const Scenario&) { return double(r.firm->contract); }},
    {"assisted", "", "1 if the firm received technical assistance", [](const Row& r, double, const Scenario&) { return double(r.firm->assisted); }},
  };
  // clang-format on
  return make_table("firms", "record", "firm snapshot record", sc, ptrs, columns);
}

std::vector<Table> record_tables(const Scenario& sc, OutputLevel level, const ReplicationResult& result) {
  std::vector<Table> out{contracts_table(sc, {&result})};
  if (level >= OutputLevel::kFirms) out.push_back(firms_table(sc, {&result}));
  return out;
}

ItemOutput item_output(const Scenario& sc, OutputLevel level, const ReplicationResult& r) {
  return {item_of(sc, r), replication_slabs(sc, level, r), record_tables(sc, level, r)};
}

}  // namespace smesim
