// The units attributes of a result file.
#include "smesim/output/units.hpp"

#include <array>

namespace smesim {

UnitAttributes unit_attributes(const std::string& unit, const std::string& long_name) {
  static constexpr std::array<const char*, 4> kCounts = {"firms", "workers", "bids", "contracts"};
  for (const char* count : kCounts)
    if (unit == count) return {"1", long_name + " (number of " + unit + ")", unit};
  if (unit == "USD") return {"1", long_name + " (USD)", unit};
  return {unit, long_name, ""};
}

}  // namespace smesim
