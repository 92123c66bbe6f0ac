// MODEL.md step 5: the stimulus policies in force in one city and month.
#include "smesim/model/policies.hpp"

#include <algorithm>

#include "smesim/scenario/scenario.hpp"

namespace smesim {

PolicyMonth policies_in(const Scenario& sc, int city, int month) {
  PolicyMonth m;
  if (month < 0) return m;
  const YearMonth now = sc.simulation.start.plus(month);
  for (const Policy& p : sc.policies)
    if (std::find(p.city_index.begin(), p.city_index.end(), city) != p.city_index.end()) m.add(p, now);
  return m;
}

}  // namespace smesim
