// Optimisation files: a base scenario, decision variables (a total budget shared by
// cities on a simplex, continuous, integer and choice variables), an objective from the
// catalogue of measures, and how to search and validate.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "smesim/core/calendar.hpp"

namespace smesim {

/// What a decision variable may take.
enum class VariableKind { kContinuous, kInteger, kChoice };

/// The kinds' names as written in optimisation files.
inline constexpr std::pair<const char*, VariableKind> kVariableKinds[] = {
    {"continuous", VariableKind::kContinuous}, {"integer", VariableKind::kInteger}, {"choice", VariableKind::kChoice}};

/// The search algorithms (NLopt's, for the continuous part).
enum class Algorithm { kCobyla, kBobyqa, kSbplx, kDirect };

/// The algorithms' names as written in optimisation files.
inline constexpr std::pair<const char*, Algorithm> kAlgorithms[] = {{"cobyla", Algorithm::kCobyla},
                                                                    {"bobyqa", Algorithm::kBobyqa},
                                                                    {"sbplx", Algorithm::kSbplx},
                                                                    {"direct", Algorithm::kDirect}};

/// Maximise or minimise the objective.
enum class Goal { kMaximise, kMinimise };
inline constexpr std::pair<const char*, Goal> kGoals[] = {{"maximise", Goal::kMaximise}, {"minimise", Goal::kMinimise}};

/// One decision variable. Array [[variables]].
struct DecisionVariable {
  std::string name;               ///< label in the output (default: the first key)
  std::vector<std::string> keys;  ///< scenario keys that all take the value
  VariableKind kind = VariableKind::kContinuous;
  double min = 0;                   ///< continuous, integer: low end
  double max = 0;                   ///< continuous, integer: high end
  std::vector<std::string> values;  ///< choice: the values as TOML literals ("\"cash\"", "2")
  std::vector<std::string> labels;  ///< choice: the values as text (cash, 2)
  double start = 0;                 ///< continuous, integer: the base design's value; choice: its index
};

/// The objective: a measure of the catalogue (src/analysis/measures.cpp) summed over
/// cities, over a window of months. Table [objective].
struct Objective {
  std::string measure;              ///< a name of measures(), or jobs_per_usd_million
  Goal goal = Goal::kMaximise;      ///< maximise or minimise
  std::vector<std::string> cities;  ///< cities summed (empty: all, the file's total)
  std::optional<YearMonth> first;   ///< window start (default: the first reported month)
  std::optional<YearMonth> last;    ///< window end (default: the last)
};

/// The ratio measure an objective may be (with a counterfactual): job-years gained per
/// USD 1 million of spending, against the counterfactual, as `smesim compare` has it.
inline constexpr const char* kJobsPerUsdMillion = "jobs_per_usd_million";

/// The unit of an objective's measure (a measure of the catalogue or the ratio).
std::string objective_unit(const std::string& measure);

/// A total budget shared by cities: shares on the simplex. Table [budget].
struct Budget {
  double total_usd = 0;             ///< the total set across the cities, USD
  std::string key;                  ///< the key under cities.NAME. that takes each city's part
  std::vector<std::string> cities;  ///< the cities sharing it (at least two)
};

/// A parsed optimisation file.
struct Problem {
  std::string title;
  std::filesystem::path file;
  std::string text;                      ///< the file's text, for the result's provenance
  std::filesystem::path base;            ///< base scenario (relative to the file)
  std::filesystem::path counterfactual;  ///< empty: none
  std::vector<std::string> set;          ///< overrides applied to base and counterfactual
  int replications = 8;                  ///< replications per evaluation
  int evaluations = 40;                  ///< most evaluations of the search
  int validation_replications = 20;      ///< fresh replications of the best and base designs
  std::int64_t validation_seed = 0;      ///< their seed; 0: the base seed + 1
  Algorithm algorithm = Algorithm::kCobyla;
  Objective objective;
  std::optional<Budget> budget;
  std::vector<DecisionVariable> variables;
  std::int64_t seed = 0;  ///< the base scenario's seed (every evaluation's)
};

/// Loads and checks an optimisation file: unknown keys, types and ranges, the measure,
/// the cities and window against the base scenario, and every variable's extremes and
/// choices applied to it. Throws ScenarioError naming file, line and key.
Problem load_problem(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

/// The name of an enum value from its table.
template <class E, std::size_t N>
const char* name_of(const std::pair<const char*, E> (&table)[N], E e) {
  for (const auto& [name, value] : table)
    if (value == e) return name;
  return "?";
}

}  // namespace smesim
