// MODEL.md step 3: the monthly firm kernel, run in parallel over fixed blocks of firms.
#pragma once

#include <cstdint>

#include "smesim/core/isa.hpp"
#include "smesim/core/rng.hpp"
#include "smesim/model/aggregates.hpp"
#include "smesim/model/city_economy.hpp"
#include "smesim/model/environment.hpp"
#include "smesim/model/firm_table.hpp"
#include "smesim/model/policies.hpp"

namespace smesim {

/// Firms per block: the unit of parallel work and of partial sums. Fixed, so the
/// summation order (and hence every bit of the output) never depends on threads.
inline constexpr std::size_t kBlockSize = 8192;

/// A contract's part in one month, for the kernel: the payment the firm receives and
/// the workers the contract needs while it is delivered.
struct ContractMonth {
  std::uint32_t uid;
  double payment = 0;  ///< USD
  int workers = 0;
};

/// What the kernel needs for one city and month.
struct KernelInput {
  const Scenario& scenario;
  const CityEconomy& city;
  const SectorConditions& conditions;
  const RandomKey& key;
  int month;                 ///< month index, negative in burn-in
  std::uint32_t cohort_end;  ///< uids below this were alive at month 0 (the initial cohort)
  const PolicyMonth& policy;
  const std::vector<ContractMonth>& contracts;  ///< sorted by uid; only firms flagged kHasContract
  /// The widest build of the draw and per-firm passes to run where the CPU has it (tests
  /// run the narrower ones too, to check that all give the same bits).
  Isa isa = Isa::kAvx512;
};

/// Advances every live firm of the table by one month (demand state, utilisation,
/// revenue, costs, cash and credit, failure, exogenous exit, labour) and returns the
/// city's totals per (sector, size class) cell. Entry is not part of it.
CityTotals step_firms(FirmTable& table, const KernelInput& in);
/// The same, with the per-block partial totals kept in `partial` between calls, so the
/// monthly loop does not allocate them again.
CityTotals step_firms(FirmTable& table, const KernelInput& in, std::vector<CityTotals>& partial);

/// Bytes the kernel moves between memory and the core per live firm and month: every
/// array it reads counted once, every array it also writes back counted again (as
/// STREAM counts). Computed from the element types of the FirmTable arrays it touches.
std::size_t kernel_bytes_per_firm_month();

/// At a year end: records each live firm's Davis-Haltiwanger creation or destruction
/// against its employment a year ago into `totals`, then resets the year-ago snapshot.
void close_year(FirmTable& table, const SizeClassBounds& bounds, CityTotals& totals);

/// Adds the month-end stocks (firms, initial cohort, employment, cash, debt) of the live
/// firms in [begin, end) to `totals`; uids below `initial_firms` are the initial cohort.
void add_stocks(const FirmTable& table, const SizeClassBounds& bounds, std::uint32_t initial_firms, std::size_t begin,
                std::size_t end, CityTotals& totals);

}  // namespace smesim
