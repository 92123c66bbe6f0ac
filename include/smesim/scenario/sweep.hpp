// Sweep files: a base scenario, parameters with ranges or values, and a design (full
// grid, Latin hypercube, Morris trajectories or Saltelli's Sobol samples) that turns them
// into scenario points.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "smesim/scenario/scenario.hpp"

namespace smesim {

/// Most points one sweep may have: each point is a scenario held in memory and a slab of
/// every result variable.
inline constexpr long long kMaxSweepPoints = 100000;

/// How the points of a sweep are chosen.
enum class Design { kGrid, kLatinHypercube, kMorris, kSobol };

/// The designs' names as written in sweep files.
inline constexpr std::pair<const char*, Design> kDesigns[] = {{"grid", Design::kGrid},
                                                              {"latin_hypercube", Design::kLatinHypercube},
                                                              {"morris", Design::kMorris},
                                                              {"sobol", Design::kSobol}};

/// One swept parameter. Array [[parameters]].
struct SweepParameter {
  std::string name;               ///< label in the output (default: the first key)
  std::vector<std::string> keys;  ///< scenario keys that all take the value (key or keys)
  std::vector<double> values;     ///< grid: the values (or use min, max, steps)
  double min = 0;                 ///< range low end (Latin hypercube, Morris, grid with steps)
  double max = 0;                 ///< range high end
  int steps = 0;                  ///< grid: evenly spaced values over [min, max]
  bool integer = false;           ///< round values to whole numbers (integer keys)

  /// The keys read as plain fields; `key`, `keys` and `values` are read by load_sweep().
  template <class V>
  void fields(V& v) {
    v.text("name", name,
           {"label of the parameter: variables `design_NAME` and `design_unit_NAME` in the output; characters "
            "other than letters, digits and `_` become `_`",
            nullptr, "the (first) key with dots replaced by underscores"});
    v.number("min", min, -1e12, 1e12, "low end of the range (Latin hypercube, Morris and Sobol; grid with `steps`)");
    v.number("max", max, -1e12, 1e12, "high end of the range; `min` < `max` where a range is needed");
    v.integer("steps", steps, 0, 1000,
              "grid without `values`: `steps` (at least 2) evenly spaced values from `min` to `max`");
    v.flag("integer", integer, "round the values to whole numbers (for keys of type integer)");
  }
};

/// A parsed sweep with its design.
struct Sweep {
  std::string title;
  std::filesystem::path file;    ///< the sweep file
  std::filesystem::path base;    ///< the base scenario (relative paths: to the sweep file)
  std::vector<std::string> set;  ///< the file's overrides of the base ("key=value"), before --set
  Design design = Design::kGrid;
  int replications = 10;  ///< replications per point
  std::int64_t seed = 1;  ///< seed of the design's own draws (LHS strata, Morris starts)
  int points = 10;        ///< Latin hypercube: number of points; Sobol: base samples N
  int trajectories = 10;  ///< Morris: number of trajectories
  int levels = 4;         ///< Morris: levels of the grid (even)
  std::vector<SweepParameter> parameters;
  /// The design: [point][parameter], in [0, 1] (for grid: the value's position).
  std::vector<std::vector<double>> unit_points;
  /// The design in parameter units: [point][parameter].
  std::vector<std::vector<double>> values;
  /// The scenario of each point, built once by load_sweep(): the base scenario (loaded
  /// once, with the file's `set`, --set and the sweep's replications) with the point's values set.
  std::vector<Scenario> scenarios;

  /// Morris step in unit terms: levels / (2 (levels - 1)).
  double morris_delta() const { return levels / (2.0 * (levels - 1)); }

  /// The top-level keys read as plain fields; `base` and `parameters` are read by load_sweep().
  template <class V>
  void fields(V& v) {
    v.text("title", title, "title of the sweep, for readers (the result file's `title` is the base scenario's)");
    v.choice("design", design, kDesigns, {"how points are chosen (below)", nullptr, "**required**"});
    v.integer("replications", replications, 1, 1000000,
              "replications at every point; replaces the base's `simulation.replications`");
    v.integer("seed", seed, 0, 4294967295LL,
              "seed of the design's own draws (Latin hypercube strata and positions, Morris starts and orders). "
              "The simulation seed is the base scenario's at every point, so all points share their random "
              "numbers (common random numbers, as in [Counterfactual pairs](#counterfactual-pairs))");
    v.integer("points", points, 2, 100000,
              "Latin hypercube: number of points; Sobol: number N of base samples (the design has N (K + 2) "
              "points for K parameters)");
    v.integer("trajectories", trajectories, 1, 10000, "Morris: number of trajectories");
    v.integer("levels", levels, 2, 100, "Morris: number of levels p of each range; even");
  }
};

/// Loads a sweep file, builds its design and every point's scenario (Sweep::scenarios);
/// throws ScenarioError naming file, line and key. A bad value fails here, before any
/// run, as does a point whose months, burn-in, replications or cities differ from point
/// 0's (one result file holds them all).
Sweep load_sweep(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

/// The design's name as written in sweep files.
const char* design_name(Design d);

}  // namespace smesim
