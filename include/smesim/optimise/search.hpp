// The search: every evaluation an ensemble with the same seed (common random numbers,
// so the objective is a deterministic function of the design), NLopt over the budget
// shares and continuous variables, choice variables one at a time; then the best design
// validated on fresh replications against the base design and the counterfactual.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "smesim/core/statistics.hpp"
#include "smesim/engine/distributed.hpp"
#include "smesim/optimise/design.hpp"
#include "smesim/optimise/problem.hpp"

namespace smesim {

/// One evaluated design.
struct Evaluation {
  DesignPoint design;
  std::vector<double> values;  ///< the objective in each replication
  Estimate objective;          ///< its mean with a 95% interval
  Estimate effect;             ///< paired design - counterfactual (n == 0 without a counterfactual)
  int stage = 0;               ///< 0: base design, 1: continuous search, 2: choice search
  bool reused = false;         ///< read back from the work directory (resume)
};

/// The best and base designs and the counterfactual on fresh replications.
struct Validation {
  std::vector<double> best, base, counterfactual;  ///< objective per fresh replication
  Estimate best_objective, base_objective, counterfactual_objective;
  Estimate best_minus_base;            ///< paired, replication by replication
  Estimate best_minus_counterfactual;  ///< paired (n == 0 without a counterfactual)
  Estimate base_minus_counterfactual;  ///< paired (n == 0 without a counterfactual)
  bool distinguishable = false;        ///< the best-minus-base interval excludes 0 on the goal's side
};

/// How to run an optimisation.
struct OptimiseOptions {
  std::filesystem::path work;               ///< directory of the evaluations' result files
  int threads = 0;                          ///< worker threads per evaluation; 0 = all cores
  bool resume = false;                      ///< reuse result files in `work` whose scenario matches
  bool progress = false;                    ///< a line per evaluation on stderr
  const std::atomic<bool>* stop = nullptr;  ///< set (e.g. by a signal) to stop early
  /// Under MPI every rank runs the same search: each evaluation's replications are spread
  /// over the ranks, rank 0 writes its file and gives every rank the objective values.
  Comm comm;
};

/// Everything an optimisation found.
struct OptimisationResult {
  std::vector<Evaluation> evaluations;  ///< in the order they ran
  std::size_t best = 0;                 ///< index of the best evaluation
  std::vector<double> counterfactual;   ///< the counterfactual's objective per search replication
  Validation validation;
  int reused = 0;  ///< evaluations and runs read back from the work directory
};

/// Runs the search and the validation. Throws ScenarioError, InputError, Interrupted.
OptimisationResult optimise(const Problem& problem, const OptimiseOptions& options);

/// The objective's sign for comparisons: +1 when larger is better.
inline double goal_sign(const Problem& p) { return p.objective.goal == Goal::kMaximise ? 1.0 : -1.0; }

}  // namespace smesim
