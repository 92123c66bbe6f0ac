// The units attributes of a result file: units UDUNITS-2 and CF readers accept
// (docs/OUTPUT.md, "Units"), the counted entity kept beside them.
#pragma once

#include <string>

namespace smesim {

/// What a variable's catalogue unit and description become in the file.
struct UnitAttributes {
  std::string units;       ///< UDUNITS-2: "1" for counts and money, otherwise the catalogue's unit
  std::string long_name;   ///< the description, with " (number of firms)" or " (USD)" for counts and money
  std::string counted_in;  ///< "firms", "workers", "bids", "contracts" or "USD"; "" for any other unit
};

/// The attributes for catalogue unit `unit` and description `long_name`: counts of firms,
/// workers, bids and contracts and amounts in USD, which UDUNITS-2 does not know, get
/// units "1", the entity in `long_name` and in `counted_in`; other units stay.
UnitAttributes unit_attributes(const std::string& unit, const std::string& long_name);

}  // namespace smesim
