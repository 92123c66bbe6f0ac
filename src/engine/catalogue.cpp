// The spending variables and money rows of a result file: the programme's here, the
// stimulus policies' from their catalogue (model/policies.hpp).
#include "smesim/engine/catalogue.hpp"

#include "smesim/model/policies.hpp"

namespace smesim {

const std::vector<SpendingVariable>& spending_variables() {
  static const std::vector<SpendingVariable> out = [] {
    std::vector<SpendingVariable> v = {{"programme_value_paid_usd", "Programme contracts paid"},
                                       {"programme_in_kind_value_used_usd", "Programme in-kind assistance"}};
    for (const PolicyOutput& p : kPolicyOutputs)
      if (p.spending_label) v.push_back({p.name, p.spending_label});
    return v;
  }();
  return out;
}

const std::vector<MoneyRow>& money_rows() {
  static const std::vector<MoneyRow> out = [] {
    std::vector<MoneyRow> v = {
        {"programme_budget_usd", "programme budget (USD)", "first"},
        {"programme_value_awarded_usd", "contracts awarded (USD)", "sum"},
        {"programme_value_paid_usd", "contracts paid (USD)", "sum"},
        {"programme_value_defaulted_usd", "contracts defaulted (USD)", "sum"},
        {"programme_grant_spent_usd", "grant spent (USD)", "sum"},
        {"programme_city_cash_spent_usd", "city cash spent (USD)", "sum"},
        {"programme_in_kind_value_used_usd", "in-kind match used (USD)", "sum"},
        {"programme_smes_contracted", "SMEs contracted", "last"},
        {"programme_smes_assisted", "SMEs assisted", "last"},
        {"resilience_index", "resilience index at end (x100)", "last_index"},
    };
    for (const PolicyOutput& p : kPolicyOutputs)
      if (p.money_label) v.push_back({p.name, p.money_label, p.money_reduction});
    return v;
  }();
  return out;
}

}  // namespace smesim
