// Optimisation files: read strictly, like scenario and sweep files, and checked against
// the base scenario before any run.
#include "smesim/optimise/problem.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "../scenario/section.hpp"
#include "smesim/analysis/measures.hpp"
#include "smesim/optimise/design.hpp"
#include "smesim/scenario/loader.hpp"

namespace smesim {
namespace {

using namespace detail;

/// Measures that are rates or shares (their unit is a percentage): summing them over a
/// list of cities means nothing.
bool is_rate(const std::string& name) { return objective_unit(name).find('%') != std::string::npos; }

toml::table parse_file(const std::filesystem::path& file, const std::string& text) {
  try {
    return toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    throw ScenarioError(where(e.source()) + ": syntax error: " + std::string(e.description()));
  }
}

/// A choice value as a TOML literal (what --set takes) and as text.
std::pair<std::string, std::string> choice_value(Section& s, const toml::node& e) {
  if (e.is_string()) return {"\"" + e.as_string()->get() + "\"", e.as_string()->get()};
  if (e.is_integer()) return {std::to_string(e.as_integer()->get()), std::to_string(e.as_integer()->get())};
  if (e.is_floating_point()) {
    const std::string text = format_number(e.as_floating_point()->get());
    return {text, text};
  }
  if (e.is_boolean()) return {e.as_boolean()->get() ? "true" : "false", e.as_boolean()->get() ? "true" : "false"};
  s.fail_at(e.source(), "values", "expected strings, numbers or booleans, found " + type_name(e));
}

void read_choices(Section& s, DecisionVariable& v) {
  const toml::node* n = s.find("values");
  if (!n || !n->is_array() || n->as_array()->size() < 2)
    s.fail("a choice variable needs 'values', an array of at least two values");
  for (const toml::node& e : *n->as_array()) {
    auto [literal, label] = choice_value(s, e);
    if (std::find(v.labels.begin(), v.labels.end(), label) != v.labels.end())
      s.fail_at(e.source(), "values", "the value " + label + " is listed twice");
    v.values.push_back(literal), v.labels.push_back(label);
  }
  if (const toml::node* st = s.find("start")) {
    const std::string label = choice_value(s, *st).second;
    const auto it = std::find(v.labels.begin(), v.labels.end(), label);
    if (it == v.labels.end()) s.fail_at(st->source(), "start", "expected one of the variable's values");
    v.start = static_cast<double>(it - v.labels.begin());
  }
}

void read_range(Section& s, DecisionVariable& v) {
  if (s.find("values"))
    s.fail("'values' is for choice variables; a " + std::string(name_of(kVariableKinds, v.kind)) +
           " variable takes 'min' and 'max'");
  s.required_number("min", v.min, -1e12, 1e12, "");
  s.required_number("max", v.max, -1e12, 1e12, "");
  if (!(v.max > v.min)) s.fail("needs 'min' < 'max'");
  v.start = 0.5 * (v.min + v.max);
  s.number("start", v.start, v.min, v.max, "");
  if (v.kind == VariableKind::kInteger) {
    v.min = std::ceil(v.min), v.max = std::floor(v.max), v.start = std::round(v.start);
    if (!(v.max > v.min)) s.fail("an integer variable needs at least two whole numbers in [min, max]");
  }
}

DecisionVariable read_variable(Section& s) {
  DecisionVariable v;
  if (const toml::node* n = s.find("key")) v.keys = {s.string_at("key", *n)};
  if (const toml::node* n = s.find("keys")) v.keys = s.string_list("keys", *n);
  if (v.keys.empty()) s.fail("missing required key 'key' (the scenario key to decide) or 'keys'");
  v.name = v.keys.front();
  s.text("name", v.name, "");
  for (char& c : v.name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  if (!s.find("kind")) s.fail("missing required key 'kind' (\"continuous\", \"integer\" or \"choice\")");
  s.choice("kind", v.kind, kVariableKinds, "");
  if (v.kind == VariableKind::kChoice)
    read_choices(s, v);
  else
    read_range(s, v);
  s.check_unknown();
  return v;
}

void read_settings(Section& root, Problem& p) {
  if (const toml::node* n = root.find("base"))
    p.base = p.file.parent_path() / root.string_at("base", *n);
  else
    root.fail("missing required key 'base' (the scenario file to optimise)");
  if (const toml::node* n = root.find("counterfactual"))
    p.counterfactual = p.file.parent_path() / root.string_at("counterfactual", *n);
  root.names("set", p.set, "");
  root.text("title", p.title, "");
  root.integer("replications", p.replications, 1, 10000, "");
  root.integer("evaluations", p.evaluations, 1, 100000, "");
  root.integer("validation_replications", p.validation_replications, 2, 100000, "");
  root.integer("validation_seed", p.validation_seed, 0, 4294967295LL, "");
  root.choice("algorithm", p.algorithm, kAlgorithms, "");
}

void read_objective(Section& root, Problem& p) {
  Section o = root.child("objective");
  if (!o.defined()) root.fail("missing required table [objective]");
  if (const toml::node* n = o.find("measure")) {
    p.objective.measure = o.string_at("measure", *n);
    std::string known;
    for (const Measure& m : measures()) known += (known.empty() ? "" : ", ") + std::string(m.name);
    known += std::string(", ") + kJobsPerUsdMillion;
    if (p.objective.measure == "cost_per_job_year")
      o.fail_at(n->source(), "measure",
                "cost_per_job_year cannot be an objective (its interval is not a mean over replications); "
                "maximise its inverse, jobs_per_usd_million");
    if (p.objective.measure != kJobsPerUsdMillion &&
        std::none_of(measures().begin(), measures().end(),
                     [&](const Measure& m) { return p.objective.measure == m.name; }))
      o.fail_at(n->source(), "measure", "unknown measure '" + p.objective.measure + "'; expected one of " + known);
    if (p.objective.measure == kJobsPerUsdMillion && p.counterfactual.empty())
      o.fail_at(n->source(), "measure",
                "jobs_per_usd_million compares a design with the counterfactual: give the top-level key "
                "'counterfactual' (e.g. the scenario without the programme)");
  } else {
    o.fail("missing required key 'measure' (a measure of smesim compare)");
  }
  if (!o.find("goal")) o.fail("missing required key 'goal' (\"maximise\" or \"minimise\")");
  o.choice("goal", p.objective.goal, kGoals, "");
  o.names("cities", p.objective.cities, "");
  for (std::size_t i = 0; i < p.objective.cities.size(); ++i)
    if (std::count(p.objective.cities.begin(), p.objective.cities.end(), p.objective.cities[i]) > 1)
      o.fail("city '" + p.objective.cities[i] + "' is listed twice in 'cities' (it would count twice)");
  o.optional_month("first", p.objective.first, "");
  o.optional_month("last", p.objective.last, "");
  if (!p.objective.cities.empty() && is_rate(p.objective.measure))
    o.fail("'" + p.objective.measure + "' is a rate (" + objective_unit(p.objective.measure) +
           "): it cannot be summed over a list of cities; leave out 'cities' " +
           "(all cities together) or choose a measure that adds up (failures, job_years, ...)");
  o.check_unknown();
}

void read_budget(Section& root, Problem& p) {
  Section b = root.child("budget");
  if (!b.defined()) return;
  Budget budget;
  b.required_number("total_usd", budget.total_usd, 0, 1e12, "");
  if (const toml::node* n = b.find("key"))
    budget.key = b.string_at("key", *n);
  else
    b.fail("missing required key 'key' (the key under cities.NAME. that takes each city's part)");
  b.names("cities", budget.cities, "");
  if (budget.cities.size() < 2) b.fail("'cities' must name at least two cities to share the budget");
  for (std::size_t i = 0; i < budget.cities.size(); ++i)
    if (std::find(budget.cities.begin(), budget.cities.begin() + static_cast<std::ptrdiff_t>(i), budget.cities[i]) !=
        budget.cities.begin() + static_cast<std::ptrdiff_t>(i))
      b.fail("city '" + budget.cities[i] + "' is listed twice");
  b.check_unknown();
  p.budget = budget;
}

void read_variables(Section& root, Problem& p) {
  const toml::node* vars = root.find("variables");
  if (!vars) return;
  if (!vars->is_array()) root.fail_at(vars->source(), "variables", "expected an array of tables [[variables]]");
  int i = 0;
  for (const toml::node& e : *vars->as_array()) {
    if (!e.is_table()) root.fail_at(e.source(), "variables", "expected a table");
    Section vs("variables[" + std::to_string(i++) + "]", {e.as_table()}, e.source());
    DecisionVariable v = read_variable(vs);
    for (const DecisionVariable& q : p.variables)
      if (q.name == v.name) vs.fail("a second variable named '" + v.name + "'; give each a distinct name");
    p.variables.push_back(v);
  }
}

/// Where `path` ("objective.cities", "variables[2]") is in the file, for messages.
std::string at(const toml::table& table, const std::string& path) {
  const toml::node_view<const toml::node> n = table.at_path(path);
  return where(n ? n.node()->source() : table.source()) + ": " + path;
}

/// The cities of `names` that `sc` has, or an error naming the first that it has not.
void check_cities(const Scenario& sc, const std::vector<std::string>& names, const std::string& where_key) {
  for (const std::string& name : names)
    if (std::none_of(sc.cities.begin(), sc.cities.end(), [&](const City& c) { return c.id == name; }))
      throw ScenarioError(where_key + ": the base scenario has no city '" + name + "'");
}

void check_window(const Problem& p, const Scenario& sc, const toml::table& table) {
  const YearMonth start = sc.simulation.start, end = start.plus(sc.simulation.months - 1);
  for (const auto& [month, key] :
       {std::pair{p.objective.first, "objective.first"}, {p.objective.last, "objective.last"}})
    if (month && (months_between(start, *month) < 0 || months_between(*month, end) < 0))
      throw ScenarioError(at(table, key) + ": month " + month->str() + " is outside the scenario's period (" +
                          start.str() + " to " + end.str() + ")");
  if (p.objective.first && p.objective.last && months_between(*p.objective.first, *p.objective.last) < 0)
    throw ScenarioError(at(table, "objective.last") + ": the window ends before it starts");
}

void check_counterfactual(const Problem& p, const Scenario& base, const toml::table& table) {
  const Scenario cf = load_scenario(p.counterfactual, p.set);
  std::string ids_a, ids_b;
  for (const City& c : base.cities) ids_a += c.id + " ";
  for (const City& c : cf.cities) ids_b += c.id + " ";
  const bool same = ids_a == ids_b && cf.simulation.months == base.simulation.months &&
                    cf.simulation.start == base.simulation.start &&
                    cf.simulation.burn_in_months == base.simulation.burn_in_months;
  if (!same)
    throw ScenarioError(at(table, "counterfactual") +
                        ": the counterfactual must have the base scenario's cities (in order), start, months and " +
                        "burn-in, so that its replications pair with the designs'");
}

/// Tries design `d` of problem `q`; a ScenarioError is rethrown with the place in the file.
void attempt(const Problem& q, const DesignPoint& d, const std::string& where_key) {
  try {
    (void)design_scenario(q, d, 1, q.seed);
  } catch (const ScenarioError& e) {
    throw ScenarioError(where_key + ": " + e.what());
  }
}

/// Every variable's extremes (or choices) alone, each city's whole budget alone, then the
/// base design: a key that is not a scenario key, or a value out of its range, fails here.
void check_designs(const Problem& p, const toml::table& table) {
  for (std::size_t k = 0; k < p.variables.size(); ++k) {
    Problem q = p;
    q.budget.reset();
    q.variables = {p.variables[k]};
    const DecisionVariable& v = p.variables[k];
    std::vector<double> tries = {v.min, v.max};
    if (v.kind == VariableKind::kChoice) {
      tries.clear();
      for (std::size_t c = 0; c < v.values.size(); ++c) tries.push_back(static_cast<double>(c));
    }
    for (double x : tries)
      attempt(q, {{}, {x}}, at(table, "variables[" + std::to_string(k) + "]") + " (" + v.name + ")");
  }
  if (p.budget) {
    Problem q = p;
    q.variables.clear();
    for (std::size_t i = 0; i < p.budget->cities.size(); ++i) {
      DesignPoint d{std::vector<double>(p.budget->cities.size(), 0.0), {}};
      d.shares[i] = 1;
      attempt(q, d, at(table, "budget.key") + " (all of the budget in " + p.budget->cities[i] + ")");
    }
  }
  attempt(p, base_design(p), at(table, "base") + " (the base design)");
}

void check_against_scenarios(Problem& p, const toml::table& table) {
  const Scenario base = load_scenario(p.base, p.set);
  p.seed = base.simulation.seed;
  if (p.validation_seed == 0) p.validation_seed = p.seed == 4294967295LL ? 1 : p.seed + 1;
  if (p.validation_seed == p.seed)
    throw ScenarioError(at(table, "validation_seed") + ": must differ from the base scenario's seed (" +
                        std::to_string(p.seed) + "): the validation runs fresh replications");
  check_cities(base, p.objective.cities, at(table, "objective.cities"));
  check_window(p, base, table);
  if (p.budget) check_cities(base, p.budget->cities, at(table, "budget.cities"));
  if (!p.counterfactual.empty()) check_counterfactual(p, base, table);
  check_designs(p, table);
}

}  // namespace

std::string objective_unit(const std::string& name) {
  for (const RatioMeasure& m : ratio_measures())
    if (name == m.name) return m.unit;
  return measure(name).unit;
}

Problem load_problem(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  Problem p;
  p.file = file;
  p.text = read_scenario_file(file);
  const toml::table table = parse_file(file, p.text);
  Section root("", {&table}, table.source());
  read_settings(root, p);
  read_objective(root, p);
  read_budget(root, p);
  read_variables(root, p);
  root.check_unknown();
  if (!p.budget && p.variables.empty()) root.fail("nothing to decide: give a [budget] or [[variables]]");
  p.set.insert(p.set.end(), overrides.begin(), overrides.end());
  check_against_scenarios(p, table);
  return p;
}

}  // namespace smesim
