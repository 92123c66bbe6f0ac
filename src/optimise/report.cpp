// An optimisation's result file and printed summary.
#include "smesim/optimise/report.hpp"

#include <cmath>
#include <cstdio>
#include <numeric>

#include "smesim/analysis/measures.hpp"
#include "smesim/core/version.hpp"
#include "smesim/output/writer.hpp"

namespace smesim {
namespace {

std::string fmt(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string interval(const Estimate& e) { return fmt(e.mean) + " [" + fmt(e.lo) + ", " + fmt(e.hi) + "]"; }

std::vector<double> counting(std::size_t n) {
  std::vector<double> v(n);
  std::iota(v.begin(), v.end(), 0.0);
  return v;
}

Dimension index_dim(const std::string& name, const std::string& long_name, std::size_t n) {
  Dimension d{name, long_name, "", counting(n), {}, {}, false};
  d.integer = true;
  return d;
}

/// The design's value of variable k as text (a choice's label).
std::string value_text(const DecisionVariable& v, double x) {
  return v.kind == VariableKind::kChoice ? v.labels[static_cast<std::size_t>(x)] : fmt(x);
}

/// Per-evaluation columns: objective, its interval, the effect, the running best, the stage.
void add_search_columns(const Problem& p, const OptimisationResult& r, FileSchema& s,
                        std::vector<std::pair<std::string, std::vector<double>>>& data) {
  const std::string unit = objective_unit(p.objective.measure);
  const std::size_t n = r.evaluations.size();
  auto column = [&](const std::string& name, const std::string& long_name, const std::string& units, auto get) {
    std::vector<double> v;
    for (const Evaluation& e : r.evaluations) v.push_back(get(e));
    s.vars.push_back({name, long_name, units, {"evaluation"}});
    data.emplace_back(name, v);
  };
  column("objective", "objective: " + p.objective.measure + ", mean over replications", unit,
         [](const Evaluation& e) { return e.objective.mean; });
  column("objective_lo", "objective: low end of its 95% interval", unit,
         [](const Evaluation& e) { return e.objective.lo; });
  column("objective_hi", "objective: high end of its 95% interval", unit,
         [](const Evaluation& e) { return e.objective.hi; });
  column("stage", "0 base design, 1 continuous search (NLopt), 2 choice search", "",
         [](const Evaluation& e) { return e.stage; });
  if (!r.counterfactual.empty()) {
    column("effect", "objective minus the counterfactual's, paired by replication", unit,
           [](const Evaluation& e) { return e.effect.mean; });
    column("effect_lo", "effect: low end of its paired 95% interval", unit,
           [](const Evaluation& e) { return e.effect.lo; });
    column("effect_hi", "effect: high end of its paired 95% interval", unit,
           [](const Evaluation& e) { return e.effect.hi; });
  }
  std::vector<double> best_so_far;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = r.evaluations[i].objective.mean;
    const bool better = i == 0 || goal_sign(p) * x > goal_sign(p) * best_so_far.back();
    best_so_far.push_back(better ? x : best_so_far.back());
  }
  s.vars.push_back(
      {"best_so_far", "best objective among evaluations 0..i (the convergence path)", unit, {"evaluation"}});
  data.emplace_back("best_so_far", best_so_far);
  std::vector<double> reps;
  for (const Evaluation& e : r.evaluations) reps.insert(reps.end(), e.values.begin(), e.values.end());
  s.vars.push_back({"objective_replicates", "objective in each replication", unit, {"evaluation", "replication"}});
  data.emplace_back("objective_replicates", reps);
}

/// Per-evaluation design columns: the budget per city and each decision variable.
void add_design_columns(const Problem& p, const OptimisationResult& r, FileSchema& s,
                        std::vector<std::pair<std::string, std::vector<double>>>& data) {
  if (p.budget) {
    std::vector<double> shares, usd;
    for (const Evaluation& e : r.evaluations)
      for (double x : e.design.shares) shares.push_back(x), usd.push_back(x * p.budget->total_usd);
    s.vars.push_back({"budget_share", "share of the total budget per city", "1", {"evaluation", "budget_city"}});
    s.vars.push_back({"budget_usd", "budget per city (" + p.budget->key + ")", "USD", {"evaluation", "budget_city"}});
    data.emplace_back("budget_share", shares);
    data.emplace_back("budget_usd", usd);
  }
  for (std::size_t k = 0; k < p.variables.size(); ++k) {
    const DecisionVariable& v = p.variables[k];
    std::vector<double> col;
    for (const Evaluation& e : r.evaluations) col.push_back(e.design.values[k]);
    std::string keys;
    for (const std::string& key : v.keys) keys += (keys.empty() ? "" : ", ") + key;
    Variable var{"design_" + v.name, "decision variable " + v.name + " (" + keys + ")", "", {"evaluation"}};
    if (v.kind == VariableKind::kChoice) {
      std::string meanings;
      for (const std::string& l : v.labels) meanings += (meanings.empty() ? "" : " ") + l;
      var.long_name += ": index into choices";
      var.attributes = {{"choices", meanings}};
    }
    s.vars.push_back(var);
    data.emplace_back(var.name, col);
  }
}

void add_validation(const Problem& p, const OptimisationResult& r, FileSchema& s,
                    std::vector<std::pair<std::string, std::vector<double>>>& data) {
  const Validation& v = r.validation;
  const std::string unit = objective_unit(p.objective.measure);
  auto add = [&](const std::string& name, const std::string& long_name, const std::vector<double>& x) {
    s.vars.push_back({"validation/" + name, long_name, unit, {"validation_replication"}});
    data.emplace_back("validation/" + name, x);
  };
  add("best", "objective of the best design on fresh replications", v.best);
  add("base", "objective of the base design on fresh replications", v.base);
  if (!v.counterfactual.empty())
    add("counterfactual", "objective of the counterfactual on fresh replications", v.counterfactual);
  auto estimate = [&](const std::string& name, const Estimate& e) {
    s.attributes.emplace_back(name, e.mean);
    s.attributes.emplace_back(name + "_lo", e.lo);
    s.attributes.emplace_back(name + "_hi", e.hi);
  };
  estimate("validation_best", v.best_objective);
  estimate("validation_base", v.base_objective);
  estimate("validation_best_minus_base", v.best_minus_base);
  if (!v.counterfactual.empty()) {
    estimate("validation_counterfactual", v.counterfactual_objective);
    estimate("validation_best_minus_counterfactual", v.best_minus_counterfactual);
    estimate("validation_base_minus_counterfactual", v.base_minus_counterfactual);
  }
  s.attributes.emplace_back("distinguishable_from_base", std::string(v.distinguishable ? "yes" : "no"));
}

std::string window_text(const Problem& p) {
  return (p.objective.first ? p.objective.first->str() : std::string("first month")) + " to " +
         (p.objective.last ? p.objective.last->str() : std::string("last month"));
}

void add_attributes(const Problem& p, const OptimisationResult& r, const std::string& command_line, FileSchema& s) {
  const Evaluation& best = r.evaluations[r.best];
  std::string design;
  for (const std::string& o : design_overrides(p, best.design)) design += o + "\n";
  s.attributes.insert(s.attributes.begin(),
                      {{"title", p.title},
                       {"smesim_version", std::string(version())},
                       {"git_commit", std::string(git_commit())},
                       {"command_line", command_line},
                       {"optimisation", p.text},
                       {"optimisation_file", p.file.string()},
                       {"measure", p.objective.measure},
                       {"goal", std::string(name_of(kGoals, p.objective.goal))},
                       {"window", window_text(p)},
                       {"algorithm", std::string(name_of(kAlgorithms, p.algorithm))},
                       {"seed", static_cast<long long>(p.seed)},
                       {"validation_seed", static_cast<long long>(p.validation_seed)},
                       {"replications", static_cast<long long>(p.replications)},
                       {"validation_replications", static_cast<long long>(p.validation_replications)},
                       {"best_evaluation", static_cast<long long>(r.best)},
                       {"best_design", design},
                       {"conclusion", conclusion(p, r)}});
}

}  // namespace

void write_optimisation(const std::filesystem::path& path, const Problem& p, const OptimisationResult& r,
                        const std::string& command_line, bool overwrite) {
  FileSchema s;
  s.item_dims = {};  // every variable is written whole, once
  s.dims.push_back(index_dim("evaluation", "evaluation of the search, in the order they ran", r.evaluations.size()));
  s.dims.push_back(
      index_dim("replication", "replication of every evaluation (the base seed)", r.evaluations[0].values.size()));
  s.dims.push_back(
      index_dim("validation_replication", "fresh replication (the validation seed)", r.validation.best.size()));
  if (p.budget) s.dims.push_back({"budget_city", "city sharing the budget", "", {}, p.budget->cities, {}, false});
  std::vector<std::pair<std::string, std::vector<double>>> data;
  add_search_columns(p, r, s, data);
  add_design_columns(p, r, s, data);
  if (!r.counterfactual.empty()) {
    s.vars.push_back({"counterfactual_objective",
                      "objective of the counterfactual in each replication",
                      objective_unit(p.objective.measure),
                      {"replication"}});
    data.emplace_back("counterfactual_objective", r.counterfactual);
  }
  add_validation(p, r, s, data);
  add_attributes(p, r, command_line, s);
  ResultWriter w(path, s, overwrite ? OpenMode::kOverwrite : OpenMode::kCreate);
  for (const auto& [name, values] : data) w.write(name, values);
  w.commit();
}

std::string conclusion(const Problem& p, const OptimisationResult& r) {
  const Validation& v = r.validation;
  const std::string what =
      p.objective.measure + " (" + objective_unit(p.objective.measure) + ", " + window_text(p) + ")";
  std::string text;
  if (r.best == 0)
    text = "The search found nothing better than the base design. ";
  else if (v.distinguishable)
    text = "On " + std::to_string(v.best.size()) +
           " fresh replications the best design beats the base design: " + what + " best minus base " +
           interval(v.best_minus_base) + " (paired 95% interval). ";
  else
    text = "On " + std::to_string(v.best.size()) + " fresh replications the best design cannot be told from the base " +
           "design at this precision: " + what + " best minus base " + interval(v.best_minus_base) +
           " (paired 95% interval); the base design is as good a choice. ";
  if (!v.counterfactual.empty())
    text += "Against the counterfactual: best " + interval(v.best_minus_counterfactual) + ", base " +
            interval(v.base_minus_counterfactual) + " (design minus counterfactual, paired).";
  return text;
}

std::string format_optimisation(const Problem& p, const OptimisationResult& r) {
  const Evaluation& best = r.evaluations[r.best];
  std::string out = p.title.empty() ? "" : p.title + "\n";
  out += std::to_string(r.evaluations.size()) + " evaluations x " + std::to_string(p.replications) +
         " replications (seed " + std::to_string(p.seed) + "); " + std::string(name_of(kGoals, p.objective.goal)) +
         " " + p.objective.measure + " over " + window_text(p) + "\n\n";
  out += "best design (evaluation " + std::to_string(r.best) + "): objective " + interval(best.objective) + "\n";
  const DesignPoint base = base_design(p);
  if (p.budget)
    for (std::size_t i = 0; i < p.budget->cities.size(); ++i) {
      char line[200];
      std::snprintf(line, sizeof line, "  %-24s share %6.3f  USD %14.0f  (base %.3f)\n", p.budget->cities[i].c_str(),
                    best.design.shares[i], best.design.shares[i] * p.budget->total_usd, base.shares[i]);
      out += line;
    }
  for (std::size_t k = 0; k < p.variables.size(); ++k)
    out += "  " + p.variables[k].name + " = " + value_text(p.variables[k], best.design.values[k]) + "  (base " +
           value_text(p.variables[k], base.values[k]) + ")\n";
  const Validation& v = r.validation;
  out += "\nvalidation on " + std::to_string(v.best.size()) + " fresh replications (seed " +
         std::to_string(p.validation_seed) + "):\n";
  out += "  best                       " + interval(v.best_objective) + "\n";
  out += "  base                       " + interval(v.base_objective) + "\n";
  out += "  best - base (paired)       " + interval(v.best_minus_base) + "\n";
  if (!v.counterfactual.empty()) {
    out += "  counterfactual             " + interval(v.counterfactual_objective) + "\n";
    out += "  best - counterfactual      " + interval(v.best_minus_counterfactual) + "\n";
    out += "  base - counterfactual      " + interval(v.base_minus_counterfactual) + "\n";
  }
  return out + "\n" + conclusion(p, r) + "\n";
}

}  // namespace smesim
