// MODEL.md step 3: the monthly firm kernel, run in parallel over fixed blocks of firms,
// each in chunks: passes 1 and 2 (the draws) are in firm_draws.cpp, pass 3 (each firm's
// month, eight or sixteen firms at a time) in firm_month.inc, built by firm_pass.cpp.
#include "smesim/model/firm_kernel.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <type_traits>

#include "firm_pass.hpp"
#include "smesim/model/population.hpp"

namespace smesim {
namespace {

/// Cell index of the firm at position i.
inline std::size_t cell_of(const FirmTable& t, std::size_t i, const SizeClassBounds& b) {
  return t.sector[i] * kSizeClasses + size_class_of(b, t.normal_size[i]);
}

void step_block(FirmTable& table, const KernelInput& in, const PassConstants& constants, std::size_t begin,
                std::size_t end, CityTotals& out) {
  const SectorConditions& c = in.conditions;
  const bool lockdown = std::any_of(c.supply.begin(), c.supply.end(), [](double q) { return q < 1.0; });
  const ChunkNeeds needs{in.scenario.responses.hibernation && lockdown, in.policy.partial_take_up()};
  ChunkDraws d{};  // an order or take-up word is read only in a month that needs it
  BlockLanes sums(out.size());
  for (std::size_t first = begin; first < end; first += kChunk) {
    const std::size_t n = std::min(kChunk, end - first);
    draw_chunk(table, in, first, n, d, needs);
    pass_chunk(table, in, constants, first, n, d, sums);
  }
  sums.add_to(out);
}

}  // namespace

CityTotals step_firms(FirmTable& table, const KernelInput& in) {
  std::vector<CityTotals> partial;
  return step_firms(table, in, partial);
}

CityTotals step_firms(FirmTable& table, const KernelInput& in, std::vector<CityTotals>& partial) {
  const std::size_t cells = in.scenario.sectors.size() * kSizeClasses;
  const std::size_t blocks = (table.size() + kBlockSize - 1) / kBlockSize;
  partial.resize(blocks);
  const PassConstants constants(in);
  for (auto& p : partial) p.assign(cells, CellTotals{});  // keeps capacity: no allocation after the first month
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, blocks, 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t b = r.begin(); b != r.end(); ++b)
          step_block(table, in, constants, b * kBlockSize, std::min(table.size(), (b + 1) * kBlockSize), partial[b]);
      },
      tbb::simple_partitioner());
  CityTotals total(cells);
  for (const auto& p : partial) accumulate(total, p);  // block order: deterministic
  return total;
}

std::size_t kernel_bytes_per_firm_month() {
  const FirmTable t;
  auto bytes = [](const auto&... v) { return (sizeof(typename std::decay_t<decltype(v)>::value_type) + ...); };
  // Read for every live firm (draw_chunk and pass_chunk); capability is never read, and
  // employees_year_ago is read only for groups with an exit; arrears and owner's
  // funds are written back only for the groups where one changed (few firms).
  const std::size_t read =
      bytes(t.uid, t.sector, t.normal_size, t.productivity, t.wage, t.cash_target, t.owner_funds, t.arrears);
  const std::size_t read_written =
      bytes(t.demand_state, t.employees, t.distress, t.flags, t.closed_months, t.short_months, t.closed_months_ytd,
            t.age, t.utilisation, t.hours, t.capacity, t.cash, t.debt);
  return read + 2 * read_written;
}

void close_year(FirmTable& t, const SizeClassBounds& bounds, CityTotals& totals) {
  // A run of one cell at a time: its sums in registers, and its firms in a loop without
  // branches, which vectorises.
  const std::size_t n = t.size();
  for (std::size_t i = 0; i < n;) {
    const std::size_t cell = cell_of(t, i, bounds);
    std::size_t end = i + 1;
    while (end < n && cell_of(t, end, bounds) == cell) ++end;
    std::int64_t created = 0, destroyed = 0;
    std::uint16_t* employees_year_ago = t.employees_year_ago.data();
    const std::uint16_t* employees = t.employees.data();
    std::uint8_t* flags = t.flags.data();
    std::uint8_t* closed_months_ytd = t.closed_months_ytd.data();
    for (std::size_t k = i; k < end; ++k) {  // arithmetic, not branches: 0 or 1 for the living
      const int live = (flags[k] & FirmTable::kAlive) != 0 ? 1 : 0;
      const int change = (employees[k] - employees_year_ago[k]) * live;
      created += std::max(change, 0);
      destroyed += std::max(-change, 0);
      employees_year_ago[k] = static_cast<std::uint16_t>(employees_year_ago[k] + change);
      flags[k] = static_cast<std::uint8_t>(flags[k] & ~(FirmTable::kYearFlags * live));
      closed_months_ytd[k] = static_cast<std::uint8_t>(closed_months_ytd[k] * (1 - live));
    }
    totals[cell].annual_created += created;
    totals[cell].annual_destroyed += destroyed;
    i = end;
  }
}

}  // namespace smesim
