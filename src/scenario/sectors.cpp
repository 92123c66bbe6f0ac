// Calibration defaults of the eight sectors (shared/calibration/README.md, "Pandemic
// shocks by sector", "Liquidity" and "Firm dynamics").
#include <map>

#include "smesim/scenario/scenario.hpp"

namespace smesim {

const std::vector<std::string>& default_sector_names() {
  static const std::vector<std::string> names = {
      "manufacturing",  "construction",  "trade", "transport", "accommodation_food",
      "information_communication", "professional_services", "other_services"};
  return names;
}

std::optional<Sector> default_sector(const std::string& name) {
  // name: delta, sigma, wage multiplier, phi, lambda, kappa, buffer days, exit rate
  static const std::map<std::string, Sector> table = {
      {"manufacturing", {"manufacturing", 0.10, 0.40, 1.0, 0.62, 0.20, 0.11, 32, 0.07}},
      {"construction", {"construction", 0.10, 0.50, 1.0, 0.55, 0.28, 0.10, 25, 0.09}},
      {"trade", {"trade", 0.10, 0.30, 0.9, 0.70, 0.14, 0.09, 19, 0.10}},
      {"transport", {"transport", 0.67, 0.20, 1.0, 0.45, 0.30, 0.17, 22, 0.09}},
      {"accommodation_food", {"accommodation_food", 0.80, 0.60, 0.8, 0.40, 0.30, 0.22, 16, 0.12}},
      {"information_communication",
       {"information_communication", 0.00, 0.05, 1.6, 0.35, 0.38, 0.19, 35, 0.08}},
      {"professional_services", {"professional_services", 0.05, 0.15, 1.5, 0.30, 0.45, 0.17, 30, 0.08}},
      {"other_services", {"other_services", 0.50, 0.60, 0.8, 0.35, 0.35, 0.22, 18, 0.11}},
  };
  auto it = table.find(name);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

int Scenario::sector_index(const std::string& name) const {
  for (std::size_t i = 0; i < sectors.size(); ++i)
    if (sectors[i].name == name) return static_cast<int>(i);
  return -1;
}

}  // namespace smesim
