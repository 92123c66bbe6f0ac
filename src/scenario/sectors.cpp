// Calibration defaults of the eight sectors (shared/calibration/README.md, "Pandemic
// shocks by sector", "Liquidity" and "Firm dynamics").
#include <algorithm>
#include <map>

#include "smesim/scenario/scenario.hpp"

namespace smesim {

const std::vector<std::string>& default_sector_names() {
  static const std::vector<std::string> names = {
      "manufacturing",         "construction",  "trade", "transport", "accommodation_food", "information_communication",
      "professional_services", "other_services"};
  return names;
}

std::optional<Sector> default_sector(const std::string& name) {
  // delta, sigma, wage multiplier, phi, lambda, kappa, buffer days, exit rate, consumption share
  static const std::map<std::string, Sector> table = {
      {"manufacturing", {"manufacturing", 0.10, 0.40, 1.0, 0.62, 0.20, 0.11, 32, 0.07, 0.05, {}}},
      {"construction", {"construction", 0.10, 0.50, 1.0, 0.55, 0.28, 0.10, 25, 0.09, 0.02, {}}},
      {"trade", {"trade", 0.10, 0.30, 0.9, 0.70, 0.14, 0.09, 19, 0.10, 0.35, {}}},
      {"transport", {"transport", 0.67, 0.20, 1.0, 0.45, 0.30, 0.17, 22, 0.09, 0.10, {}}},
      {"accommodation_food", {"accommodation_food", 0.80, 0.60, 0.8, 0.40, 0.30, 0.22, 16, 0.12, 0.25, {}}},
      {"information_communication",
       {"information_communication", 0.00, 0.05, 1.6, 0.35, 0.38, 0.19, 35, 0.08, 0.05, {}}},
      {"professional_services", {"professional_services", 0.05, 0.15, 1.5, 0.30, 0.45, 0.17, 30, 0.08, 0.03, {}}},
      {"other_services", {"other_services", 0.50, 0.60, 0.8, 0.35, 0.35, 0.22, 18, 0.11, 0.15, {}}},
  };
  auto it = table.find(name);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

std::optional<double> default_io_weight(const std::string& buyer, const std::string& supplier) {
  // Rows: buyer; columns: supplier, in default_sector_names() order (calibration README,
  // "Local input-output matrix", assumed).
  static const std::map<std::string, std::vector<double>> rows = {
      {"manufacturing", {0.50, 0.02, 0.20, 0.15, 0.00, 0.03, 0.08, 0.02}},
      {"construction", {0.55, 0.10, 0.15, 0.10, 0.00, 0.02, 0.06, 0.02}},
      {"trade", {0.10, 0.02, 0.30, 0.30, 0.02, 0.08, 0.12, 0.06}},
      {"transport", {0.25, 0.05, 0.30, 0.15, 0.03, 0.05, 0.10, 0.07}},
      {"accommodation_food", {0.35, 0.02, 0.35, 0.05, 0.02, 0.03, 0.08, 0.10}},
      {"information_communication", {0.10, 0.02, 0.10, 0.05, 0.03, 0.40, 0.25, 0.05}},
      {"professional_services", {0.05, 0.02, 0.10, 0.10, 0.08, 0.25, 0.30, 0.10}},
      {"other_services", {0.20, 0.05, 0.30, 0.05, 0.05, 0.05, 0.10, 0.20}},
  };
  const auto& names = default_sector_names();
  const auto row = rows.find(buyer);
  const auto col = std::find(names.begin(), names.end(), supplier);
  if (row == rows.end() || col == names.end()) return std::nullopt;
  return row->second[col - names.begin()];
}

int Scenario::sector_index(const std::string& name) const {
  for (std::size_t i = 0; i < sectors.size(); ++i)
    if (sectors[i].name == name) return static_cast<int>(i);
  return -1;
}

}  // namespace smesim
