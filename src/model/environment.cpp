// MODEL.md step 1: stringency from lockdown waves and real series, direct demand shocks and supply capacity.
#include "smesim/model/environment.hpp"

#include <algorithm>
#include <cmath>

#include "smesim/scenario/oxcgrt.hpp"

namespace smesim {
namespace {

double wave_level(const Wave& w, int since_start, int months_to_end) {
  if (since_start < 0 || months_to_end <= 0) return 0.0;
  if (since_start < w.peak_months) return w.peak;
  const int into_decay = since_start - w.peak_months + 1;
  if (into_decay <= w.decay_months) {
    const double f = static_cast<double>(into_decay) / (w.decay_months + 1);
    return w.peak + (w.floor - w.peak) * f;
  }
  return w.floor;
}

}  // namespace

double stringency(const Scenario& scenario, std::size_t city, int t) {
  const City& c = scenario.cities[city];
  const double waves = wave_stringency(c, scenario.simulation.start, t);
  if (c.stringency.empty()) return waves;
  return std::max(waves, series_stringency(c, scenario.stringency_mapping, scenario.simulation.start, t));
}

double series_stringency(const City& city, const StringencyMapping& mapping, const YearMonth& start, int t) {
  const OxcgrtSeries* series = oxcgrt_series_of(city.stringency);
  if (t < 0 || !series) return 0.0;
  const YearMonth now = start.plus(t);
  const double level = mapping.apply(oxcgrt_index(*series, now));
  if (level == 0.0 || mapping.adaptation == 0.0) return level;
  // Adaptation counts from the first month the series crossed the threshold.
  YearMonth first = oxcgrt_first_month();
  while (mapping.apply(oxcgrt_index(*series, first)) == 0.0) first = first.plus(1);
  return level * std::pow(1.0 - mapping.adaptation, months_between(first, now));
}

double wave_stringency(const City& city, const YearMonth& start, int t) {
  if (t < 0) return 0.0;
  const YearMonth now = start.plus(t);
  double s = 0.0;
  for (const Wave& w : city.waves) {
    const int to_end = w.end ? months_between(now, *w.end) : 1;
    s = std::max(s, wave_level(w, months_between(w.start, now), to_end));
  }
  return s;
}

SectorConditions sector_conditions(const Scenario& scenario, double s, double resilience) {
  SectorConditions out;
  const double protection = 1.0 - scenario.resilience.demand_protection * resilience;
  for (const Sector& sec : scenario.sectors) {
    out.demand_shock.push_back(sec.demand_exposure * s * protection);
    out.supply.push_back(1.0 - sec.supply_exposure * s);
  }
  direct_demand(out);
  return out;
}

void direct_demand(SectorConditions& c) {
  c.demand.resize(c.demand_shock.size());
  for (std::size_t i = 0; i < c.demand_shock.size(); ++i) c.demand[i] = std::max(0.0, 1.0 - c.demand_shock[i]);
}

}  // namespace smesim
