// Internal to the scenario layer: the sections read and written wholly by one struct's
// fields(), and the cross-field rules that both the loader and set_key() enforce.
#pragma once

#include <string>

#include "smesim/scenario/scenario.hpp"

namespace smesim::detail {

/// Calls f(key, member) for each section read and written wholly by its struct's
/// fields(), in the order the resolved scenario writes them. The loader, the writer,
/// set_key() and the key reference all walk this one list.
template <class S, class F>
void for_each_plain_section(S& sc, F&& f) {
  f("size_classes", sc.size_classes);
  f("firms", sc.firms);
  f("responses", sc.responses);
  f("demand", sc.demand);
  f("resilience", sc.resilience);
  f("procurement", sc.procurement);
  f("stringency_mapping", sc.stringency_mapping);
}

/// Each rule returns "" when it holds, else the message (without the section path).
std::string size_class_problem(const SizeClassBounds& b);
std::string margin_problem(const Sector& s);
std::string consumption_problem(const Scenario& sc);
std::string firm_count_problem(const Scenario& sc, std::size_t city);

/// A city's default local input-output coefficients A[supplier][buyer]:
/// local_input_share x input_share(buyer) x io_weight(buyer, supplier).
void default_input_output(const Scenario& sc, City& c);

}  // namespace smesim::detail
