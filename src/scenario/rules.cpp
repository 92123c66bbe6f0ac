// Cross-field rules of a scenario, shared by the loader and set_key().

#include "section.hpp"
#include "sections.hpp"

namespace smesim::detail {

std::string size_class_problem(const SizeClassBounds& b) {
  if (b.micro_max < b.small_max && b.small_max < b.medium_max) return "";
  return "expected micro_max < small_max < medium_max";
}

std::string margin_problem(const Sector& s) {
  const double margin = 1 - s.input_share - s.labour_share - s.fixed_cost_share;
  if (margin > 0) return "";
  return "input_share + labour_share + fixed_cost_share = " + format_number(1 - margin) +
         "; expected less than 1 (a positive baseline margin)";
}

std::string consumption_problem(const Scenario& sc) {
  double consumption = 0;
  for (const auto& sec : sc.sectors) consumption += sec.consumption_share;
  if (consumption <= 1 + 1e-6) return "";
  return "consumption_share sums to " + format_number(consumption) + " over sectors; expected at most 1";
}

std::string firm_count_problem(const Scenario& sc, std::size_t city) {
  if (sc.simulated_firms(city) >= 1) return "";
  return "smes x population_scale rounds to 0 firms; raise simulation.population_scale";
}

void default_input_output(const Scenario& sc, City& c) {
  const std::size_t S = sc.sectors.size();
  c.input_output.assign(S, std::vector<double>(S, 0.0));
  for (std::size_t buyer = 0; buyer < S; ++buyer)
    for (std::size_t supplier = 0; supplier < S; ++supplier)
      c.input_output[supplier][buyer] =
          sc.demand.local_input_share * sc.sectors[buyer].input_share * sc.sectors[buyer].io_weights[supplier];
}

}  // namespace smesim::detail
