// Firm state as a structure of arrays.
#include "smesim/model/firm_table.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <type_traits>

#include "smesim/model/population.hpp"

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
  if (n < runs_.back()) {  // shrunk into the sorted runs: what is left of them stays sorted
    std::erase_if(runs_, [n](std::size_t r) { return r >= n; });
    runs_.push_back(n);
  }
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
  for (std::size_t r = 0; r < runs_.size(); ++r) {
    const auto begin = uid.begin() + static_cast<std::ptrdiff_t>(runs_[r]);
    const auto end = r + 1 < runs_.size() ? uid.begin() + static_cast<std::ptrdiff_t>(runs_[r + 1]) : uid.end();
    const auto it = std::lower_bound(begin, end, id);
    if (it != end && *it == id) return static_cast<std::size_t>(it - uid.begin());
  }
  return size();
}

void FirmTable::reserve(std::size_t n) {
  for_each_array(*this, [n](auto& v) { v.reserve(n); });
}

void FirmTable::compact(const SizeClassBounds& bounds) {
  // A stable counting sort of the living by cell. Within a cell the old runs come first
  // and the tail last, and every tail uid is above every uid before it: uid order.
  const std::size_t n = size();
  std::vector<std::uint16_t> cell(n);
  std::size_t cells = 0;
  for (std::size_t i = 0; i < n; ++i) {
    cell[i] = static_cast<std::uint16_t>(sector[i] * kSizeClasses + size_class_of(bounds, normal_size[i]));
    cells = std::max<std::size_t>(cells, cell[i] + 1u);
  }
  // Counted a run of one cell at a time: a count per firm in memory would make each
  // firm wait for the last one's store.
  std::vector<std::size_t> start(cells + 1, 0);
  for (std::size_t i = 0; i < n;) {
    const std::uint16_t c = cell[i];
    std::size_t live = 0;
    for (; i < n && cell[i] == c; ++i) live += alive(i);
    start[c + 1u] += live;
  }
  for (std::size_t c = 0; c < cells; ++c) start[c + 1] += start[c];
  const auto mark_runs = [&] {
    runs_.clear();
    for (std::size_t c = 0; c < cells; ++c)
      if (start[c + 1] > start[c]) runs_.push_back(start[c]);
    runs_.push_back(size());  // an empty tail
  };
  if (start[cells] == n && std::is_sorted(cell.begin(), cell.end())) {
    mark_runs();  // every firm alive and already in cell-major order: nothing to move
    return;
  }
  std::vector<std::uint32_t> order(start[cells]);
  std::vector<std::size_t> next(start.begin(), start.end() - 1);
  for (std::size_t i = 0; i < n;) {  // a run of one cell at a time, as above
    const std::uint16_t c = cell[i];
    std::size_t to = next[c];
    for (; i < n && cell[i] == c; ++i)
      if (alive(i)) order[to++] = static_cast<std::uint32_t>(i);
    next[c] = to;
  }
  // Each array gathered into a scratch array (default-initialised: not zeroed), then
  // copied back.
  for_each_array(*this, [&order](auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    const std::unique_ptr<T[]> sorted(new T[order.size()]);
    for (std::size_t k = 0; k < order.size(); ++k) sorted[k] = v[order[k]];
    std::copy(sorted.get(), sorted.get() + order.size(), v.begin());
    v.resize(order.size());  // keeps the room reserved for entrants
  });
  mark_runs();
}

}  // namespace smesim
