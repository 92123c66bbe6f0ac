// Designs of an optimisation: shares and variable values, as scenario overrides.
#include "smesim/optimise/design.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "smesim/scenario/loader.hpp"

namespace smesim {
namespace {

/// The shortest text that reads back as the same double.
std::string exact(double x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  std::string s(buf, r.ptr);
  // TOML needs a float to look like one (1e+06 and 2 are fine as floats for number keys).
  return s;
}

double clamp01(double x) { return std::isfinite(x) ? std::clamp(x, 0.0, 1.0) : 0.0; }

bool searched(const DecisionVariable& v) { return v.kind != VariableKind::kChoice; }

Scenario with_runs(Scenario sc, int replications, std::int64_t seed) {
  set_key(sc, "simulation.replications", static_cast<long long>(replications));
  set_key(sc, "simulation.seed", static_cast<long long>(seed));
  return sc;
}

}  // namespace

DesignPoint base_design(const Problem& p) {
  DesignPoint d;
  if (p.budget) d.shares.assign(p.budget->cities.size(), 1.0 / static_cast<double>(p.budget->cities.size()));
  for (const DecisionVariable& v : p.variables) d.values.push_back(v.start);
  return d;
}

std::vector<std::string> design_overrides(const Problem& p, const DesignPoint& d) {
  std::vector<std::string> out;
  if (p.budget)
    for (std::size_t i = 0; i < p.budget->cities.size(); ++i)
      out.push_back("cities." + p.budget->cities[i] + "." + p.budget->key + "=" +
                    exact(p.budget->total_usd * d.shares[i]));
  for (std::size_t k = 0; k < p.variables.size(); ++k) {
    const DecisionVariable& v = p.variables[k];
    std::string value;
    if (v.kind == VariableKind::kChoice)
      value = v.values[static_cast<std::size_t>(d.values[k])];
    else if (v.kind == VariableKind::kInteger)
      value = std::to_string(std::llround(d.values[k]));
    else
      value = exact(d.values[k]);
    for (const std::string& key : v.keys) out.push_back(key + "=" + value);
  }
  return out;
}

Scenario design_scenario(const Problem& p, const DesignPoint& d, int replications, std::int64_t seed) {
  std::vector<std::string> set = p.set;
  const std::vector<std::string> design = design_overrides(p, d);
  set.insert(set.end(), design.begin(), design.end());
  return with_runs(load_scenario(p.base, set), replications, seed);
}

Scenario counterfactual_scenario(const Problem& p, int replications, std::int64_t seed) {
  return with_runs(load_scenario(p.counterfactual, p.set), replications, seed);
}

std::size_t search_dimensions(const Problem& p) {
  std::size_t n = p.budget ? p.budget->cities.size() - 1 : 0;
  for (const DecisionVariable& v : p.variables) n += searched(v) ? 1 : 0;
  return n;
}

std::vector<double> shares_from_unit(const std::vector<double>& z) {
  std::vector<double> shares;
  double left = 1;
  for (double zi : z) {
    const double s = clamp01(zi) * left;
    shares.push_back(s);
    left -= s;
  }
  shares.push_back(std::max(0.0, left));
  return shares;
}

std::vector<double> unit_from_shares(const std::vector<double>& shares) {
  std::vector<double> z;
  double left = 1;
  for (std::size_t i = 0; i + 1 < shares.size(); ++i) {
    z.push_back(left > 1e-12 ? clamp01(shares[i] / left) : 0.0);
    left -= shares[i];
  }
  return z;
}

DesignPoint design_from_unit(const Problem& p, const std::vector<double>& x, const DesignPoint& choices) {
  DesignPoint d = choices;
  std::size_t at = 0;
  if (p.budget) {
    const std::size_t n = p.budget->cities.size() - 1;
    d.shares = shares_from_unit(std::vector<double>(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n)));
    at = n;
  }
  for (std::size_t k = 0; k < p.variables.size(); ++k) {
    const DecisionVariable& v = p.variables[k];
    if (!searched(v)) continue;
    const double value = v.min + clamp01(x[at++]) * (v.max - v.min);
    d.values[k] = v.kind == VariableKind::kInteger ? std::round(value) : value;
  }
  return d;
}

std::vector<double> unit_from_design(const Problem& p, const DesignPoint& d) {
  std::vector<double> x;
  if (p.budget) x = unit_from_shares(d.shares);
  for (std::size_t k = 0; k < p.variables.size(); ++k) {
    const DecisionVariable& v = p.variables[k];
    if (searched(v)) x.push_back(clamp01((d.values[k] - v.min) / (v.max - v.min)));
  }
  return x;
}

std::string design_key(const Problem& p, const DesignPoint& d) {
  std::string key;
  for (const std::string& o : design_overrides(p, d)) key += o + "\n";
  return key;
}

}  // namespace smesim
