// Firm state as a structure of arrays.
#include "smesim/model/firm_table.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace smesim {
namespace {

/// Calls f on every array of the table.
template <class Table, class F>
void for_each_array(Table& t, F&& f) {
  f(t.uid), f(t.sector), f(t.distress), f(t.flags), f(t.closed_months), f(t.short_months);
  f(t.closed_months_ytd), f(t.age);
  f(t.employees), f(t.normal_size), f(t.employees_year_ago), f(t.capacity), f(t.productivity), f(t.wage);
  f(t.demand_state), f(t.utilisation), f(t.capability), f(t.cash_target), f(t.hours), f(t.owner_funds);
  f(t.cash), f(t.debt), f(t.arrears);
}

}  // namespace

void FirmTable::resize(std::size_t n) {
  for_each_array(*this, [n](auto& v) { v.resize(n); });
}

std::size_t FirmTable::bytes_per_firm() {
  FirmTable t;
  std::size_t bytes = 0;
  for_each_array(t, [&bytes](auto& v) { bytes += sizeof(typename std::decay_t<decltype(v)>::value_type); });
  return bytes;
}

void FirmTable::set_capability(std::size_t i, double k) {
  capability[i] = static_cast<std::uint16_t>(std::lround(std::clamp(k, 0.0, 1.0) * kCapabilityUnit));
}

std::size_t FirmTable::find(std::uint32_t id) const {
  const auto it = std::lower_bound(uid.begin(), uid.end(), id);
  return it != uid.end() && *it == id ? static_cast<std::size_t>(it - uid.begin()) : size();
}

void FirmTable::reserve(std::size_t n) {
  for_each_array(*this, [n](auto& v) { v.reserve(n); });
}

void FirmTable::compact() {
  std::size_t out = 0;
  const std::size_t n = size();
  for (std::size_t i = 0; i < n; ++i) {
    if (!alive(i)) continue;
    if (out != i) for_each_array(*this, [i, out](auto& v) { v[out] = v[i]; });
    ++out;
  }
  resize(out);
}

}  // namespace smesim
