// The firm kernel's per-firm pass (MODEL.md step 3, docs/ODD.md 7.5): the month's
// constants, the builds of the stages of firm_month.inc over eight lanes (GCC vector
// extensions, lanes.hpp: AVX2, one 32-byte vector, and x86-64, two 16-byte halves), the
// choice among them and the sixteen-lane AVX-512 build (firm_pass_avx512.cpp), and the
// month-end stocks of a range of firms in the same lanes (month 0's baseline, entrants).
// Money within the month is single precision (no multiply-add fused: -ffp-contract=off);
// sums are double.
#include "firm_pass.hpp"

#include <algorithm>

// The lane helpers pass vectors by value, but all are inlined: no call crosses the ABI.
#pragma GCC diagnostic ignored "-Wpsabi"

#include "lanes.hpp"

namespace smesim {
namespace {

using namespace lanes;

#include "firm_month.inc"

void pass_x86_64(FirmTable& t, const KernelInput& in, const PassConstants& k, std::size_t first, std::size_t n,
                 const ChunkDraws& d, BlockLanes& sums) {
  pass_body(t, in, k, first, n, d, sums);
}

__attribute__((target("avx2"))) void pass_avx2(FirmTable& t, const KernelInput& in, const PassConstants& k,
                                               std::size_t first, std::size_t n, const ChunkDraws& d,
                                               BlockLanes& sums) {
  pass_body(t, in, k, first, n, d, sums);
}

SMESIM_LANES void add_stocks_body(const FirmTable& t, const SizeClassBounds& bounds, std::uint32_t initial_firms,
                                  std::size_t begin, std::size_t end, CityTotals& totals) {
  for (std::size_t block = begin; block < end; block += kBlockSize) {  // int32 lanes: as many firms as the kernel's
    BlockLanes sums(totals.size());
    for (std::size_t i = block; i < std::min(end, block + kBlockSize); i += kLanes) {
      const int m = static_cast<int>(std::min<std::size_t>(kLanes, end - i));
      const Ints flags = load(t.flags.data() + i, m);
      const Ints nstar = load(t.normal_size.data() + i, m);
      const Ints size_class = ones(nstar > bounds.micro_max) + ones(nstar > bounds.small_max);
      GroupSink sink = group_sink(load(t.sector.data() + i, m), size_class, m, sums);
      add_group_stocks(sink, (flags & FirmTable::kAlive) != 0, load(t.uid.data() + i, m) < initial_firms,
                       load(t.age.data() + i, m), load(t.employees.data() + i, m), load(t.cash.data() + i, m),
                       load(t.debt.data() + i, m), load(t.arrears.data() + i, m), load(t.closed_months.data() + i, m),
                       load(t.hours.data() + i, m), flags, load(t.closed_months_ytd.data() + i, m));
    }
    sums.add_to(totals);
  }
}

void add_stocks_x86_64(const FirmTable& t, const SizeClassBounds& bounds, std::uint32_t initial_firms,
                       std::size_t begin, std::size_t end, CityTotals& totals) {
  add_stocks_body(t, bounds, initial_firms, begin, end, totals);
}

__attribute__((target("avx2"))) void add_stocks_avx2(const FirmTable& t, const SizeClassBounds& bounds,
                                                     std::uint32_t initial_firms, std::size_t begin, std::size_t end,
                                                     CityTotals& totals) {
  add_stocks_body(t, bounds, initial_firms, begin, end, totals);
}

}  // namespace

PassConstants::PassConstants(const KernelInput& in) {
  const FirmBehaviour& f = in.scenario.firms;
  const FirmResponses& r = in.scenario.responses;
  max_utilisation = static_cast<float>(f.max_utilisation);
  utilisation_smoothing = static_cast<float>(f.utilisation_smoothing);
  labour_band = static_cast<float>(f.labour_band);
  max_fire = static_cast<float>(f.max_fire);
  max_hire = static_cast<float>(f.max_hire);
  capacity_adjustment = static_cast<float>(f.capacity_adjustment);
  for (int c = 0; c < kSizeClasses; ++c) credit_months[c] = static_cast<float>(f.credit_months[c]);
  monthly_interest = static_cast<float>(f.interest_rate / 12.0);
  payout_rate = static_cast<float>(f.payout_rate);
  hours_floor = static_cast<float>(r.hours_floor);
  furlough_pay_share = static_cast<float>(r.furlough_pay_share);
  hibernation_fixed_share = static_cast<float>(r.hibernation_fixed_share);
  arrears_months = static_cast<float>(r.arrears_months);
  repay_months = static_cast<float>(r.repay_months);
  for (std::size_t s = 0; s < in.city.sectors.size(); ++s) {
    const SectorConstants& k = in.city.sectors[s];
    revenue_per_worker.push_back(static_cast<float>(k.revenue_per_worker));
    input_share.push_back(static_cast<float>(k.input_share));
    fixed_cost_share.push_back(static_cast<float>(k.fixed_cost_share));
    exo_young.push_back(static_cast<float>(k.exo_hazard_young));
    exo_old.push_back(static_cast<float>(k.exo_hazard_old));
    supply.push_back(static_cast<float>(in.conditions.supply[s]));
    demand.push_back(static_cast<float>(in.conditions.demand[s]));
  }
}

void pass_chunk(FirmTable& t, const KernelInput& in, const PassConstants& constants, std::size_t first, std::size_t n,
                const ChunkDraws& d, BlockLanes& sums) {
  const Isa isa = std::min(cpu_isa(), in.isa);
  if (isa >= Isa::kAvx512)
    pass_avx512(t, in, constants, first, n, d, sums);
  else if (isa >= Isa::kAvx2)
    pass_avx2(t, in, constants, first, n, d, sums);
  else
    pass_x86_64(t, in, constants, first, n, d, sums);
}

// The AVX2 build where the CPU has it: the same bits (sums in the same lane order).
void add_stocks(const FirmTable& t, const SizeClassBounds& bounds, std::uint32_t initial_firms, std::size_t begin,
                std::size_t end, CityTotals& totals) {
  if (cpu_isa() >= Isa::kAvx2)
    add_stocks_avx2(t, bounds, initial_firms, begin, end, totals);
  else
    add_stocks_x86_64(t, bounds, initial_firms, begin, end, totals);
}

}  // namespace smesim
