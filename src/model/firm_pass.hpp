// The firm kernel's per-firm pass (MODEL.md step 3, docs/ODD.md 7.5): each firm's month
// in single precision, eight or sixteen firms at a time, and the month's cell sums in
// eight lanes.
// Private to src/model: firm_kernel.cpp runs it after the draw pass of each chunk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "firm_draws.hpp"

namespace smesim {

/// The lanes of the cell sums, and the firms the x86-64 and AVX2 builds handle at once
/// (the AVX-512 build handles two groups of them). The vector types are aligned
/// to their size explicitly: without AVX enabled, GCC would align them to 16 bytes only,
/// and the AVX2 build of the pass reads sums that the x86-64 code allocated.
constexpr int kLanes = 8;

static_assert(kChunk % kLanes == 0 && kBlockSize % kChunk == 0, "a lane is a position modulo kLanes in every block");

using LaneInts = std::int32_t __attribute__((vector_size(4 * kLanes), aligned(4 * kLanes)));
/// Half the lanes in double precision: a 32-byte vector. Eight doubles as one 64-byte
/// vector would be lowered for AVX2 through the stack, lane by lane.
using HalfDoubles = double __attribute__((vector_size(4 * kLanes), aligned(4 * kLanes)));

/// kLanes doubles as two halves: lanes [0, kLanes / 2) and [kLanes / 2, kLanes).
struct LaneDoubles {
  HalfDoubles half[2];
  double operator[](int l) const { return half[l / (kLanes / 2)][l % (kLanes / 2)]; }
  void add(int l, double x) { half[l / (kLanes / 2)][l % (kLanes / 2)] += x; }
};

/// The counts the pass adds up per cell, one LaneInts each.
enum LaneCount : int {
  kCountActive,
  kCountInitialAlive,
  kCountAged,  // kSurvivalYears of them
  kCountEmployment = kCountAged + kSurvivalYears,
  kCountClosed,
  kCountShortHours,
  kCountCutHoursYtd,
  kCountLaidOffYtd,
  kCountClosedYtd,
  kCountClosedLongYtd,
  kCountAdjustedYtd,
  kCountDistressed,
  kCountExitsIlliquid,
  kCountExitsOther,
  kCountExitsClosure,
  kCountJobsCreated,
  kCountJobsDestroyed,
  kCountYearAgoOfExits,
  kCounts
};

/// The amounts the pass adds up per cell, one LaneDoubles each.
enum LaneAmount : int {
  kAmountFte,
  kAmountRevenue,
  kAmountWageBill,
  kAmountCash,
  kAmountDebt,
  kAmountArrears,
  kAmountOwnerInjections,
  kAmountRevenueDrop,
  kAmountContractRevenue,
  kAmountWageSubsidy,
  kAmountGrants,
  kAmountGuaranteed,
  kAmountInterestDeferred,
  kAmountFirmsSupported,
  kAmountFirmsNotReached,
  kAmounts
};

/// One cell's sums over a block, lane by lane: lane l holds the firms at positions l
/// modulo kLanes, added in position order, so the sums do not depend on how firms group
/// into cells, on threads, or on the vector width the pass runs at.
struct CellLanes {
  LaneInts count[kCounts];
  LaneDoubles amount[kAmounts];
};

/// The lane sums of one block: a CellLanes for each cell it touches (in cell-major order,
/// one or two), made and zeroed when first touched.
class BlockLanes {
 public:
  explicit BlockLanes(std::size_t cells) : slot_(cells, -1) {}
  CellLanes& touch(std::size_t cell) {
    if (slot_[cell] < 0) {
      slot_[cell] = static_cast<int>(slots_.size());
      slots_.emplace_back();  // a deque: the lanes already handed out stay where they are
      cells_.push_back(cell);
    }
    return slots_[static_cast<std::size_t>(slot_[cell])];
  }
  /// Adds the lanes (in lane order) of every touched cell to `out`.
  void add_to(CityTotals& out) const;

 private:
  std::vector<int> slot_;  ///< by cell: its index in slots_, or -1
  std::deque<CellLanes> slots_;
  std::vector<std::size_t> cells_;  ///< by slot: its cell
};

/// The month's constants in single precision: the sector constants and conditions as
/// tables by sector (for the lanes' gathers), and the scenario's parameters, converted
/// once rather than for every group.
struct PassConstants {
  std::vector<float> revenue_per_worker, input_share, fixed_cost_share, exo_young, exo_old, supply, demand;
  float max_utilisation, utilisation_smoothing, labour_band, max_fire, max_hire, capacity_adjustment;
  float credit_months[kSizeClasses], monthly_interest, payout_rate;
  float hours_floor, furlough_pay_share, hibernation_fixed_share, arrears_months, repay_months;
  explicit PassConstants(const KernelInput& in);
};

/// Pass 3 over firms [first, first + n) of the table, first a multiple of kLanes: each
/// live firm's month, with the chunk's draws `d`, its sums added to `sums`. The widest
/// build that the CPU has and the input's `isa` allows: AVX-512 (sixteen firms at a
/// time), AVX2 or x86-64 (eight); all give the same bits.
void pass_chunk(FirmTable& t, const KernelInput& in, const PassConstants& constants, std::size_t first, std::size_t n,
                const ChunkDraws& d, BlockLanes& sums);
/// pass_chunk's AVX-512 build (firm_pass_avx512.cpp), for CPUs with AVX-512 F, VL, DQ, BW.
void pass_avx512(FirmTable& t, const KernelInput& in, const PassConstants& constants, std::size_t first, std::size_t n,
                 const ChunkDraws& d, BlockLanes& sums);

}  // namespace smesim
