// Sweep files: a base scenario, parameters and a design that turns them into points.
#include "smesim/scenario/sweep.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>

#include "section.hpp"
#include "smesim/core/rng.hpp"
#include "smesim/scenario/loader.hpp"

namespace smesim {
namespace {

using namespace detail;

/// Draws for the design, keyed by (seed, what, index): reproducible, independent of
/// anything in the simulation.
double design_uniform(const Sweep& s, std::uint32_t what, std::uint32_t index, std::uint32_t k) {
  const RandomKey key(static_cast<std::uint32_t>(s.seed), 0);
  return to_unit(key.words({index, static_cast<std::int32_t>(k), what, Purpose::kDesign, 0})[0]);
}

/// A random permutation of 0..n-1 (Fisher-Yates with keyed draws).
std::vector<int> permutation(const Sweep& s, std::uint32_t what, int n) {
  std::vector<int> p(static_cast<std::size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  for (int i = n - 1; i > 0; --i) {
    const int j = std::min(i, static_cast<int>(design_uniform(s, what, static_cast<std::uint32_t>(i), 1) * (i + 1)));
    std::swap(p[static_cast<std::size_t>(i)], p[static_cast<std::size_t>(j)]);
  }
  return p;
}

/// Refuses a design of more than kMaxSweepPoints points before any is built.
void check_design_size(const Sweep& s, double points, const std::string& how) {
  if (points <= kMaxSweepPoints) return;
  throw ScenarioError(s.file.string() + ": the " + std::string(design_name(s.design)) + " design has " +
                      std::to_string(static_cast<long long>(std::min(points, 1e18))) + " points (" + how +
                      "); at most " + std::to_string(kMaxSweepPoints) + " are allowed");
}

void grid_design(Sweep& s) {
  std::vector<std::vector<double>> axes;
  double points = 1;
  std::string how;
  for (const auto& p : s.parameters) {
    const double n = p.values.empty() ? p.steps : static_cast<double>(p.values.size());
    points *= n;
    how += (how.empty() ? "" : " x ") + std::to_string(static_cast<long long>(n));
  }
  check_design_size(s, points, how);
  for (const auto& p : s.parameters) {
    std::vector<double> v = p.values;
    if (v.empty())
      for (int i = 0; i < p.steps; ++i) v.push_back(p.min + (p.max - p.min) * i / std::max(1, p.steps - 1));
    if (p.integer)
      for (double& x : v) x = std::round(x);  // record what runs
    axes.push_back(v);
  }
  std::vector<std::size_t> at(axes.size(), 0);
  while (true) {
    std::vector<double> point, unit;
    for (std::size_t k = 0; k < axes.size(); ++k) {
      point.push_back(axes[k][at[k]]);
      unit.push_back(axes[k].size() > 1 ? static_cast<double>(at[k]) / (axes[k].size() - 1) : 0.0);
    }
    s.values.push_back(point);
    s.unit_points.push_back(unit);
    std::size_t k = axes.size();  // odometer, last parameter fastest
    while (k > 0 && ++at[k - 1] == axes[k - 1].size()) at[--k] = 0;
    if (k == 0) break;
  }
}

void latin_hypercube_design(Sweep& s) {
  s.unit_points.assign(static_cast<std::size_t>(s.points), std::vector<double>(s.parameters.size()));
  for (std::size_t k = 0; k < s.parameters.size(); ++k) {
    const std::vector<int> strata = permutation(s, static_cast<std::uint32_t>(k), s.points);
    for (int i = 0; i < s.points; ++i)
      s.unit_points[static_cast<std::size_t>(i)][k] =
          (strata[static_cast<std::size_t>(i)] +
           design_uniform(s, static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(i), 2)) /
          s.points;
  }
}

void morris_design(Sweep& s) {
  const std::size_t K = s.parameters.size();
  const double delta = s.morris_delta();
  const int starts = s.levels / 2;  // levels 0 .. starts-1 leave room for +delta
  check_design_size(s, static_cast<double>(s.trajectories) * static_cast<double>(K + 1),
                    std::to_string(s.trajectories) + " trajectories x " + std::to_string(K + 1) + " points");
  for (int r = 0; r < s.trajectories; ++r) {
    std::vector<double> x(K);
    for (std::size_t k = 0; k < K; ++k) {
      const double u = design_uniform(s, 1000 + static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(k), 3);
      x[k] = std::min(starts - 1, static_cast<int>(u * starts)) / static_cast<double>(s.levels - 1);
    }
    s.unit_points.push_back(x);
    for (int k : permutation(s, 2000 + static_cast<std::uint32_t>(r), static_cast<int>(K))) {
      x[static_cast<std::size_t>(k)] += delta;  // one parameter at a time, by delta
      s.unit_points.push_back(x);
    }
  }
}

/// Saltelli's scheme for Sobol indices: two independent samples A and B of `points` rows
/// (each a Latin hypercube), then per row j the points A_j, B_j and, for every parameter
/// i, AB_j^i (A_j with parameter i taken from B_j): points x (K + 2) points in all.
void sobol_design(Sweep& s) {
  const std::size_t K = s.parameters.size();
  check_design_size(s, static_cast<double>(s.points) * static_cast<double>(K + 2),
                    std::to_string(s.points) + " samples x " + std::to_string(K + 2) + " points");
  std::vector<std::vector<double>> ab[2];
  for (std::uint32_t m = 0; m < 2; ++m) {
    ab[m].assign(static_cast<std::size_t>(s.points), std::vector<double>(K));
    for (std::size_t k = 0; k < K; ++k) {
      const std::uint32_t what = 3000 + m * 1000 + static_cast<std::uint32_t>(k);
      const std::vector<int> strata = permutation(s, what, s.points);
      for (int j = 0; j < s.points; ++j)
        ab[m][static_cast<std::size_t>(j)][k] =
            (strata[static_cast<std::size_t>(j)] + design_uniform(s, what, static_cast<std::uint32_t>(j), 4)) /
            s.points;
    }
  }
  for (std::size_t j = 0; j < static_cast<std::size_t>(s.points); ++j) {
    s.unit_points.push_back(ab[0][j]);
    s.unit_points.push_back(ab[1][j]);
    for (std::size_t i = 0; i < K; ++i) {
      std::vector<double> x = ab[0][j];
      x[i] = ab[1][j][i];
      s.unit_points.push_back(x);
    }
  }
}

double to_value(const SweepParameter& p, double unit) {
  const double v = p.min + unit * (p.max - p.min);
  return p.integer ? std::round(v) : v;
}

SweepParameter read_parameter(Section& s) {
  SweepParameter p;
  if (const toml::node* n = s.find("key")) p.keys = {s.string_at("key", *n)};
  if (const toml::node* n = s.find("keys")) p.keys = s.string_list("keys", *n);
  if (p.keys.empty()) s.fail("missing required key 'key' (the scenario key to vary) or 'keys'");
  p.name = p.keys.front();
  p.fields(s);
  // A variable name in the output: anything but letters, digits and _ becomes _.
  for (char& c : p.name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  if (const toml::node* n = s.find("values")) {
    if (!n->is_array()) s.fail_at(n->source(), "values", "expected an array of numbers");
    for (const toml::node& e : *n->as_array()) {
      if (!e.is_number()) s.fail_at(e.source(), "values", "expected an array of numbers");
      p.values.push_back(e.is_integer() ? static_cast<double>(e.as_integer()->get()) : e.as_floating_point()->get());
    }
  }
  s.check_unknown();
  return p;
}

toml::table parse_sweep(const std::filesystem::path& file) {
  const std::string text = read_scenario_file(file);
  try {
    return toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    throw ScenarioError(where(e.source()) + ": syntax error: " + std::string(e.description()));
  }
}

/// The keys of the sweep file's top level other than [[parameters]].
void read_settings(Section& root, Sweep& s) {
  std::string base;
  if (const toml::node* n = root.find("base"))
    base = root.string_at("base", *n);
  else
    root.fail("missing required key 'base' (the scenario file to sweep)");
  s.base = s.file.parent_path() / base;
  root.names("set", s.set, "");
  if (!root.find("design"))
    root.fail("missing required key 'design' (\"grid\", \"latin_hypercube\", \"morris\" or \"sobol\")");
  s.fields(root);
  if (s.design == Design::kMorris && s.levels % 2) root.fail("levels must be even for a Morris design");
}

/// [[parameters]], each checked against the design.
void read_parameters(Section& root, Sweep& s) {
  const toml::node* params = root.find("parameters");
  if (!params || !params->is_array() || params->as_array()->empty())
    root.fail("missing required array [[parameters]] (at least one parameter)");
  int i = 0;
  for (const toml::node& e : *params->as_array()) {
    if (!e.is_table()) root.fail_at(e.source(), "parameters", "expected a table");
    Section ps("parameters[" + std::to_string(i++) + "]", {e.as_table()}, e.source());
    SweepParameter p = read_parameter(ps);
    const bool ranged = p.max > p.min;
    const std::string design = design_name(s.design);
    if (s.design == Design::kGrid && p.values.empty() && !(ranged && p.steps >= 2))
      ps.fail("a grid parameter needs 'values' or 'min' < 'max' with 'steps' >= 2");
    if (s.design != Design::kGrid && !ranged) ps.fail("needs 'min' < 'max' for a " + design + " design");
    if (s.design != Design::kGrid && !p.values.empty())
      ps.fail("'values' is for grid designs; a " + design + " design samples [min, max]");
    for (const SweepParameter& q : s.parameters) {
      if (q.name == p.name) ps.fail("a second parameter named '" + p.name + "'; give each a distinct name");
      for (const std::string& key : p.keys)
        if (std::find(q.keys.begin(), q.keys.end(), key) != q.keys.end())
          ps.fail("key '" + key + "' is also varied by parameter '" + q.name +
                  "'; a key may be varied by one parameter only");
    }
    for (std::size_t k = 0; k < p.keys.size(); ++k)
      if (std::find(p.keys.begin(), p.keys.begin() + static_cast<std::ptrdiff_t>(k), p.keys[k]) !=
          p.keys.begin() + static_cast<std::ptrdiff_t>(k))
        ps.fail("key '" + p.keys[k] + "' is listed twice");
    s.parameters.push_back(p);
  }
}

/// The design's points, in [0, 1] and in parameter units.
void build_design(Sweep& s) {
  if (s.design == Design::kGrid) grid_design(s);
  if (s.design == Design::kLatinHypercube) latin_hypercube_design(s);
  if (s.design == Design::kMorris) morris_design(s);
  if (s.design == Design::kSobol) sobol_design(s);
  if (s.design == Design::kGrid) return;
  s.values.clear();
  for (const auto& u : s.unit_points) {
    std::vector<double> v;
    for (std::size_t k = 0; k < u.size(); ++k) v.push_back(to_value(s.parameters[k], u[k]));
    s.values.push_back(v);
  }
}

/// The scenario of point `p`: the base with the point's values set.
Scenario build_point(const Sweep& s, const Scenario& base, std::size_t p) {
  Scenario sc = base;
  try {
    for (std::size_t k = 0; k < s.parameters.size(); ++k)
      for (const auto& key : s.parameters[k].keys) {
        if (s.parameters[k].integer)
          set_key(sc, key, static_cast<long long>(std::llround(s.values[p][k])));
        else
          set_key(sc, key, s.values[p][k]);
      }
  } catch (const ScenarioError& e) {
    throw ScenarioError(s.file.string() + ": point " + std::to_string(p) + ": " + e.what());
  }
  return sc;
}

/// What the points of one result file share: one calendar (months after burn-in), one
/// replication count and one list of cities. set_key can change the first three.
struct Shared {
  const char* key;
  const char* hint;
  long long (*of)(const Scenario&);
};
constexpr Shared kShared[] = {
    {"simulation.months", "", [](const Scenario& sc) -> long long { return sc.simulation.months; }},
    {"simulation.burn_in_months", "", [](const Scenario& sc) -> long long { return sc.simulation.burn_in_months; }},
    {"simulation.replications", " (set the sweep's `replications` instead)",
     [](const Scenario& sc) -> long long { return sc.simulation.replications; }},
    {"cities (count)", "", [](const Scenario& sc) -> long long { return static_cast<long long>(sc.cities.size()); }},
};

/// " (parameter 'NAME')" for the parameter that sets `key`, or "".
std::string set_by(const Sweep& s, const std::string& key) {
  for (const SweepParameter& p : s.parameters)
    if (std::find(p.keys.begin(), p.keys.end(), key) != p.keys.end()) return " (parameter '" + p.name + "')";
  return "";
}

/// Fails now, not when the run is planned, on points that cannot share one result file.
void check_points(const Sweep& s) {
  const Scenario& first = s.scenarios.front();
  for (std::size_t p = 1; p < s.scenarios.size(); ++p)
    for (const Shared& shared : kShared) {
      const long long value = shared.of(s.scenarios[p]), expected = shared.of(first);
      if (value == expected) continue;
      throw ScenarioError(s.file.string() + ": point " + std::to_string(p) + " has " + shared.key + " = " +
                          std::to_string(value) + set_by(s, shared.key) + "; expected point 0's " +
                          std::to_string(expected) + ": the points of a sweep share one result file, so a sweep may " +
                          "not vary " + shared.key + shared.hint);
    }
}

/// The base scenario with the file's `set`, then the command line's --set (which wins).
/// An error that only the file's own overrides cause names the sweep file.
Scenario load_base(const Sweep& s, const std::vector<std::string>& overrides) {
  std::vector<std::string> all = s.set;
  all.insert(all.end(), overrides.begin(), overrides.end());
  try {
    return load_scenario(s.base, all);
  } catch (const ScenarioError& e) {
    if (s.set.empty()) throw;
    try {
      load_scenario(s.base, overrides);
    } catch (const ScenarioError&) {
      throw e;  // the base or the command line is at fault
    }
    throw ScenarioError(s.file.string() + ": set: " + e.what());
  }
}

}  // namespace

const char* design_name(Design d) {
  for (const auto& [name, value] : kDesigns)
    if (value == d) return name;
  return "?";
}

Sweep load_sweep(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  const toml::table table = parse_sweep(file);
  Section root("", {&table}, table.source());
  Sweep s;
  s.file = file;
  read_settings(root, s);
  read_parameters(root, s);
  root.check_unknown();
  build_design(s);
  Scenario base = load_base(s, overrides);
  set_key(base, "simulation.replications", static_cast<long long>(s.replications));  // same range: cannot fail
  s.scenarios.reserve(s.values.size());
  for (std::size_t p = 0; p < s.values.size(); ++p) s.scenarios.push_back(build_point(s, base, p));
  check_points(s);
  return s;
}

}  // namespace smesim
