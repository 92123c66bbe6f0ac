// The search over designs and the validation of the best one.
#include "smesim/optimise/search.hpp"

#include <cstdio>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <nlopt.hpp>

#include "smesim/analysis/measures.hpp"
#include "smesim/analysis/reader.hpp"
#include "smesim/core/error.hpp"
#include "smesim/core/version.hpp"
#include "smesim/engine/ensemble.hpp"
#include "smesim/scenario/loader.hpp"

namespace smesim {
namespace {

/// Runs scenarios into result files of the work directory (or reads back those a
/// resumed optimisation finds there) and computes the objective per replication.
class Runner {
 public:
  Runner(const Problem& p, const OptimiseOptions& o) : p_(p), o_(o) {}

  /// Under MPI, rank 0 decides whether a run is reused and reads the objective values,
  /// and every rank gets them (so every rank takes the same path through the search).
  std::vector<double> values(const Scenario& sc, const std::string& name, bool counterfactual = false) {
    const std::filesystem::path file = o_.work / (name + ".h5");
    const std::string text = to_toml(sc);
    std::vector<char> reuse(1, o_.comm.rank == 0 && o_.resume && matches(file, text));
    if (o_.comm.size > 1) mpi::broadcast(reuse);
    if (!reuse[0])
      run(sc, file, text);
    else
      ++reused_;
    std::vector<double> out;
    if (o_.comm.rank == 0) out = objective_values(sc, ResultReader(file), counterfactual);
    if (o_.comm.size == 1) return out;
    std::vector<char> bytes(out.size() * sizeof(double));
    if (!out.empty()) std::memcpy(bytes.data(), out.data(), bytes.size());
    mpi::broadcast(bytes);
    out.resize(bytes.size() / sizeof(double));
    if (!out.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
    return out;
  }
  int reused() const { return reused_; }

 private:
  /// True if `file` is a complete run of the scenario `text` by this build of smesim.
  static bool matches(const std::filesystem::path& file, const std::string& text) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return false;
    try {
      // The same scenario run by the same model: another version or commit runs again.
      const ResultReader f(file);
      return f.attribute("scenario") == text && f.attribute("smesim_version") == version() &&
             f.attribute("git_commit") == git_commit();
    } catch (const Error&) {
      return false;  // damaged or foreign: run again
    }
  }

  void run(const Scenario& sc, const std::filesystem::path& file, const std::string& text) const {
    RunRequest req;
    req.output = file;
    req.overwrite = true;
    req.provenance = {"smesim optimise " + p_.file.string(), text, {}};
    req.ensemble.threads = o_.threads;
    req.ensemble.stop = o_.stop;
    run_to_file(single_run(std::make_shared<const Scenario>(sc)), req, o_.comm);
  }

  /// The objective in each replication: the measure summed over the objective's cities
  /// (or the file's total over all cities), over the window. For jobs_per_usd_million,
  /// each replication's job-years gained over the counterfactual run with the same seed
  /// (run first), divided by the design's mean spending gain: their mean is the ratio of
  /// `smesim compare`, and its interval compare's; the counterfactual itself scores 0.
  std::vector<double> objective_values(const Scenario& sc, const ResultReader& f, bool counterfactual) {
    if (p_.objective.measure != kJobsPerUsdMillion) return sums(sc, f, measure(p_.objective.measure));
    const std::vector<double> jobs = sums(sc, f, measure("job_years")), money = sums(sc, f, measure("spending"));
    if (counterfactual) {
      counterfactual_[sc.simulation.seed] = {jobs, money};
      return std::vector<double>(jobs.size(), 0.0);
    }
    const auto& [cf_jobs, cf_money] = counterfactual_.at(sc.simulation.seed);
    double spent = 0;
    for (std::size_t r = 0; r < money.size(); ++r)
      spent += (money[r] - cf_money[r]) / static_cast<double>(money.size());
    std::vector<double> out;
    for (std::size_t r = 0; r < jobs.size(); ++r) out.push_back(spent > 0 ? (jobs[r] - cf_jobs[r]) * 1e6 / spent : 0.0);
    return out;
  }

  /// A measure in each replication, summed over the objective's cities, over the window.
  std::vector<double> sums(const Scenario& sc, const ResultReader& f, const Measure& m) const {
    Series s(f, true);
    const YearMonth start = sc.simulation.start;
    const std::size_t first =
        p_.objective.first ? static_cast<std::size_t>(months_between(start, *p_.objective.first)) : 0;
    const std::size_t last =
        p_.objective.last ? static_cast<std::size_t>(months_between(start, *p_.objective.last)) : s.months() - 1;
    std::vector<std::size_t> cities;
    for (const std::string& id : p_.objective.cities)
      for (std::size_t c = 0; c < sc.cities.size(); ++c)
        if (sc.cities[c].id == id) cities.push_back(c);
    if (cities.empty()) cities.push_back(s.cities().size());  // the total over all cities
    std::vector<double> out;
    for (std::size_t r = 0; r < s.reps(); ++r) {
      double x = 0;
      for (std::size_t c : cities) x += m.value(s, r, first, last, c);
      out.push_back(x);
    }
    return out;
  }

  const Problem& p_;
  const OptimiseOptions& o_;
  int reused_ = 0;
  /// Job-years and spending of the counterfactual per replication, by seed (ratio objective).
  std::map<std::int64_t, std::pair<std::vector<double>, std::vector<double>>> counterfactual_;
};

std::vector<double> minus(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size(); ++i) d.push_back(a[i] - b[i]);
  return d;
}

nlopt::algorithm nlopt_algorithm(Algorithm a, std::size_t n) {
  switch (a) {
    case Algorithm::kBobyqa:
      return n >= 2 ? nlopt::LN_BOBYQA : nlopt::LN_COBYLA;  // BOBYQA needs two dimensions
    case Algorithm::kSbplx:
      return nlopt::LN_SBPLX;
    case Algorithm::kDirect:
      return nlopt::GN_DIRECT_L;
    case Algorithm::kCobyla:
    default:
      return nlopt::LN_COBYLA;
  }
}

/// The search's state: the evaluations so far, cached by design, and what is left of
/// the evaluation budget.
class Search {
 public:
  Search(const Problem& p, const OptimiseOptions& o, OptimisationResult& out)
      : p_(p), o_(o), runner_(p, o), out_(out), left_(p.evaluations) {}

  void run() {
    if (!p_.counterfactual.empty())
      out_.counterfactual =
          runner_.values(counterfactual_scenario(p_, p_.replications, p_.seed), "counterfactual", true);
    evaluate(base_design(p_), 0);
    const std::size_t n = search_dimensions(p_);
    const bool choices = n < dimensions_all();
    // Rounds of a continuous search (half of what is left while choices remain open)
    // and a pass over the choices; once a pass changes nothing, a last continuous search
    // takes the rest of the budget.
    for (bool last = false; left_ > 0;) {
      const int before = left_;
      if (n > 0) continuous(choices && !last ? std::max(1, left_ / 2) : left_);
      if (!choices || last) break;
      DesignPoint current = out_.evaluations[out_.best].design;
      const bool changed = choice_pass(current);
      if (left_ == before || (!changed && n == 0)) break;
      last = !changed;
    }
    validate();
    out_.reused = runner_.reused();
  }

 private:
  std::size_t dimensions_all() const { return (p_.budget ? p_.budget->cities.size() - 1 : 0) + p_.variables.size(); }

  /// Larger is better, whatever the goal.
  double score(std::size_t i) const { return goal_sign(p_) * out_.evaluations[i].objective.mean; }

  std::size_t evaluate(const DesignPoint& d, int stage) {
    const std::string key = design_key(p_, d);
    if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
    Evaluation e;
    e.design = d;
    e.stage = stage;
    const std::size_t index = out_.evaluations.size();
    const int reused = runner_.reused();
    char name[32];
    std::snprintf(name, sizeof name, "evaluation-%04zu", index);
    e.values = runner_.values(design_scenario(p_, d, p_.replications, p_.seed), name);
    e.reused = runner_.reused() > reused;
    e.objective = estimate_mean(e.values);
    if (!out_.counterfactual.empty()) e.effect = estimate_mean(minus(e.values, out_.counterfactual));
    out_.evaluations.push_back(e);
    cache_.emplace(key, index);
    --left_;
    if (score(index) > score(out_.best)) out_.best = index;
    if (o_.progress)
      std::fprintf(stderr, "smesim optimise: evaluation %zu: %s %.6g [%.6g, %.6g]%s; best %.6g (evaluation %zu)\n",
                   index, p_.objective.measure.c_str(), e.objective.mean, e.objective.lo, e.objective.hi,
                   e.reused ? " (reused)" : "", out_.evaluations[out_.best].objective.mean, out_.best);
    return index;
  }

  void continuous(int budget) {
    const std::size_t n = search_dimensions(p_);
    nlopt::opt opt(nlopt_algorithm(p_.algorithm, n), static_cast<unsigned>(n));
    opt.set_lower_bounds(0.0);
    opt.set_upper_bounds(1.0);
    opt.set_maxeval(budget);
    opt.set_xtol_abs(1e-3);  // shares and scaled variables to 0.1% of their range
    if (p_.algorithm != Algorithm::kDirect) opt.set_initial_step(0.25);
    const DesignPoint start = out_.evaluations[out_.best].design;
    opt.set_max_objective(
        [](const std::vector<double>& x, std::vector<double>&, void* data) {
          auto* self = static_cast<Search*>(data);
          return self->objective_at(x);
        },
        this);
    std::vector<double> x = unit_from_design(p_, start);
    choices_ = start;
    start_x_ = x;
    double f = 0;
    try {
      opt.optimize(x, f);
    } catch (const nlopt::roundoff_limited&) {  // no further progress possible: the search is done
    } catch (const nlopt::forced_stop&) {       // the budget, or a failure rethrown below
    } catch (const std::exception& e) {
      if (!failure_) throw InputError(std::string("NLopt (") + opt.get_algorithm_name() + "): " + e.what());
    }
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  }

  /// NLopt's callback: the score at unit point x; an exception stops the search and is
  /// rethrown after NLopt returns (exceptions must not cross its C code).
  double objective_at(const std::vector<double>& x) {
    if (left_ <= 0) throw nlopt::forced_stop();  // the evaluation budget is spent
    try {
      // The start point as it was (stick breaking and back may move a share by 1e-17).
      return score(evaluate(x == start_x_ ? choices_ : design_from_unit(p_, x, choices_), 1));
    } catch (...) {
      failure_ = std::current_exception();
      throw nlopt::forced_stop();
    }
  }

  /// One pass over the choice variables: each takes its best value, the others fixed.
  bool choice_pass(DesignPoint& current) {
    bool changed = false;
    for (std::size_t k = 0; k < p_.variables.size() && left_ > 0; ++k) {
      if (p_.variables[k].kind != VariableKind::kChoice) continue;
      std::size_t best = evaluate(current, 2);
      for (std::size_t c = 0; c < p_.variables[k].values.size() && left_ > 0; ++c) {
        DesignPoint d = current;
        d.values[k] = static_cast<double>(c);
        const std::size_t i = evaluate(d, 2);
        if (score(i) > score(best)) best = i;
      }
      changed |= out_.evaluations[best].design.values[k] != current.values[k];
      current = out_.evaluations[best].design;
    }
    return changed;
  }

  void validate() {
    Validation& v = out_.validation;
    const int reps = p_.validation_replications;
    const std::int64_t seed = p_.validation_seed;
    const bool counterfactual = !p_.counterfactual.empty();
    if (counterfactual)  // first: a ratio objective needs it
      v.counterfactual = runner_.values(counterfactual_scenario(p_, reps, seed), "validation-counterfactual", true);
    v.best = runner_.values(design_scenario(p_, out_.evaluations[out_.best].design, reps, seed), "validation-best");
    v.base = runner_.values(design_scenario(p_, base_design(p_), reps, seed), "validation-base");
    v.best_objective = estimate_mean(v.best);
    v.base_objective = estimate_mean(v.base);
    v.best_minus_base = estimate_mean(minus(v.best, v.base));
    v.distinguishable = goal_sign(p_) > 0 ? v.best_minus_base.lo > 0 : v.best_minus_base.hi < 0;
    if (!counterfactual) return;
    v.counterfactual_objective = estimate_mean(v.counterfactual);
    v.best_minus_counterfactual = estimate_mean(minus(v.best, v.counterfactual));
    v.base_minus_counterfactual = estimate_mean(minus(v.base, v.counterfactual));
  }

  const Problem& p_;
  const OptimiseOptions& o_;
  Runner runner_;
  OptimisationResult& out_;
  int left_;
  std::map<std::string, std::size_t> cache_;
  DesignPoint choices_;  ///< the continuous search's start: its choices, and its design at start_x_
  std::vector<double> start_x_;
  std::exception_ptr failure_;
};

}  // namespace

OptimisationResult optimise(const Problem& problem, const OptimiseOptions& options) {
  OptimisationResult out;
  Search(problem, options, out).run();
  return out;
}

}  // namespace smesim
