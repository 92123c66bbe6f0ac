// MODEL.md step 5: the stimulus policies in force in one city and month.
#include "smesim/model/policies.hpp"

#include <algorithm>

namespace smesim {

PolicyMonth policies_in(const Scenario& sc, int city, int month) {
  PolicyMonth m;
  if (month < 0) return m;
  const YearMonth now = sc.simulation.start.plus(month);
  for (const Policy& p : sc.policies) {
    if (std::find(p.city_index.begin(), p.city_index.end(), city) == p.city_index.end()) continue;
    switch (p.kind) {
      case PolicyKind::kWageSubsidy:
        if (!p.active(now)) break;
        m.wage_subsidy = true;
        m.subsidy_rate = p.rate, m.subsidy_threshold = p.threshold;
        m.subsidy_cap_per_worker = p.cap_per_worker_usd, m.retention = p.retention;
        break;
      case PolicyKind::kGrant:
        if (!(p.start == now)) break;
        m.grant = true;
        m.grant_threshold = p.threshold, m.grant_usd = p.amount_usd;
        break;
      case PolicyKind::kLoanGuarantee:
        if (!p.active(now)) break;
        m.guarantee = true;
        m.guarantee_months = p.credit_months, m.guarantee_rate = p.guarantee_rate;
        break;
      case PolicyKind::kDebtMoratorium:
        m.moratorium = m.moratorium || p.active(now);
        break;
    }
  }
  return m;
}

}  // namespace smesim
