// The key reference of optimisation files (docs/SCENARIOS.md, "Optimisation files"),
// beside the reader in problem.cpp; tests/optimise checks that the reader takes every key.
#include "smesim/optimise/reference.hpp"

#include "smesim/analysis/measures.hpp"
#include "smesim/optimise/problem.hpp"

namespace smesim {
namespace {

constexpr const char* kRequired = "**required**";

template <class E, std::size_t N>
std::string choices(const std::pair<const char*, E> (&table)[N]) {
  std::string out;
  for (const auto& [name, value] : table) out += (out.empty() ? "`\"" : ", `\"") + std::string(name) + "\"`";
  return out;
}

std::string measure_names() {
  std::string out;
  for (const Measure& m : measures()) out += (out.empty() ? "`\"" : ", `\"") + std::string(m.name) + "\"`";
  return out + ", `\"" + kJobsPerUsdMillion + "\"` (with a counterfactual)";
}

std::vector<KeyDoc> top_level() {
  const Problem p;
  return {
      {"base", "string", "", kRequired, "path to a scenario file, relative to this file",
       "the scenario whose design is optimised"},
      {"counterfactual", "string", "", "none", "path to a scenario file with the base's cities, start, months, burn-in",
       "the scenario every design is compared with, replication by replication (e.g. no programme)"},
      {"title", "string", "", "`\"\"`", "any string", "title, for readers"},
      {"set", "list of strings", "", "`[]`", "`key=value` as `--set` takes them",
       "overrides of the base and the counterfactual (e.g. `simulation.population_scale=0.02`)"},
      {"replications", "integer", "", std::to_string(p.replications), "1 to 10000",
       "replications of every evaluation, all with the base scenario's seed (common random numbers)"},
      {"evaluations", "integer", "", std::to_string(p.evaluations), "1 to 100000",
       "most evaluations of the search (validation runs not counted)"},
      {"validation_replications", "integer", "", std::to_string(p.validation_replications), "2 to 100000",
       "fresh replications of the best design, the base design and the counterfactual"},
      {"validation_seed", "integer", "", "the base seed + 1", "0 to 4294967295, not the base seed",
       "seed of the fresh replications (0: the default)"},
      {"algorithm", "choice", "", "`\"cobyla\"`", choices(kAlgorithms),
       "NLopt's method for the budget shares and continuous variables (below)"},
      {"objective", "table", "", kRequired, "", "what to maximise or minimise (next table)"},
      {"budget", "table", "", "none", "", "a total shared by cities (below); `budget` or `variables` required"},
      {"variables", "array of tables", "", "none", "", "decision variables (below)"},
  };
}

std::vector<KeyDoc> objective() {
  return {
      {"measure", "choice", "", kRequired, measure_names(),
       "a measure of `smesim compare` (docs/ANALYSIS.md): flows summed over the window, stocks at its end"},
      {"goal", "choice", "", kRequired, choices(kGoals), "whether larger or smaller is better"},
      {"cities", "list of names", "", "all cities (the file's total)", "city ids of the base scenario",
       "the cities whose values are summed; not for rates (measures in %: `survival`, `annual_failure_rate`, "
       "`annual_exit_rate`)"},
      {"first", "month", "", "the first reported month", "within the base scenario's period", "window start"},
      {"last", "month", "", "the last reported month", "within the period, not before `first`", "window end"},
  };
}

std::vector<KeyDoc> budget() {
  return {
      {"total_usd", "number", "USD", kRequired, "0 to 1e12", "the total shared by the cities"},
      {"key", "string", "", kRequired, "a number key under `cities.ID.`, e.g. `\"programme.grant_usd\"`",
       "the key that takes each city's part: `cities.ID.KEY = share x total_usd`"},
      {"cities", "list of names", "", kRequired, "at least two distinct city ids of the base scenario",
       "the cities sharing the total; the base design splits it equally"},
  };
}

std::vector<KeyDoc> variables() {
  return {
      {"key", "string", "", "`key` or `keys` **required**", "a key as `--set` takes it", "the scenario key decided"},
      {"keys", "list of strings", "", "`[]`", "keys as for `key`", "several keys that take the same value"},
      {"name", "string", "", "the (first) key, characters other than letters, digits and `_` as `_`", "any string",
       "label: variable `design_NAME` in the result"},
      {"kind", "choice", "", kRequired, choices(kVariableKinds),
       "continuous and integer: searched by NLopt over [min, max] (integer rounded); choice: one of `values`"},
      {"min", "number", "", "continuous, integer: **required**", "-1e12 to 1e12", "low end"},
      {"max", "number", "", "continuous, integer: **required**", "above `min`", "high end"},
      {"values", "array", "", "choice: **required**", "at least two distinct strings, numbers or booleans",
       "the values a choice variable may take"},
      {"start", "as the values", "", "continuous, integer: the middle of [min, max]; choice: the first value",
       "within [min, max], or one of `values`", "the variable's value in the base design"},
  };
}

}  // namespace

std::vector<SectionDoc> optimisation_reference() {
  return {{"optimisation", top_level()},
          {"optimisation.objective", objective()},
          {"optimisation.budget", budget()},
          {"optimisation.variables", variables()}};
}

}  // namespace smesim
