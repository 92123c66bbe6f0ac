// Firm state as a structure of arrays: one contiguous array per field, indexed by position.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "smesim/core/isa.hpp"

namespace smesim {

struct SizeClassBounds;

/// The firms of one city, in cell-major order: sorted by (sector, size class) cell and,
/// within a cell, by uid, then the entrants since the last compaction in uid order (the
/// tail). Positions change only when the table is compacted; `uid` is the firm's
/// identity for random draws and output.
struct FirmTable {
  static constexpr std::uint8_t kHasContract = 1;  ///< delivering or awaiting payment on a contract
  static constexpr std::uint8_t kAssisted = 2;     ///< received technical assistance
  static constexpr std::uint8_t kCutHoursYtd = 4;  ///< cut hours since the last year end
  static constexpr std::uint8_t kLaidOffYtd = 8;   ///< laid workers off since the last year end
  static constexpr std::uint8_t kAlive = 16;       ///< trades (cleared when the firm exits)
  /// The flags that close_year() clears.
  static constexpr std::uint8_t kYearFlags = kCutHoursYtd | kLaidOffYtd;

  std::vector<std::uint32_t> uid;                 ///< per-city id: initial firms 0..N-1, then entrants
  std::vector<std::uint8_t> sector;               ///< index into Scenario::sectors
  std::vector<std::uint8_t> distress;             ///< consecutive months short of cash after credit
  std::vector<std::uint8_t> flags;                ///< kAlive | kHasContract | kAssisted | the year's kYearFlags
  std::vector<std::uint8_t> closed_months;        ///< months temporarily closed so far; 0 while open
  std::vector<std::uint8_t> short_months;         ///< consecutive months on short hours
  std::vector<std::uint8_t> closed_months_ytd;    ///< months temporarily closed since the last year end
  std::vector<std::uint16_t> age;                 ///< months since entry (saturates)
  std::vector<std::uint16_t> employees;           ///< n, workers (>= 1 while alive)
  std::vector<std::uint16_t> normal_size;         ///< nstar, the size the firm returns to
  std::vector<std::uint16_t> employees_year_ago;  ///< n at the last year end (0 for entrants)
  std::vector<float> capacity;                    ///< ncap, workers its fixed costs are set for
  std::vector<float> productivity;                ///< theta, lognormal with mean 1
  std::vector<float> wage;                        ///< USD per worker-month
  std::vector<float> demand_state;                ///< z, AR(1) with unit variance
  std::vector<float> utilisation;                 ///< ubar, smoothed utilisation
  std::vector<std::uint16_t> capability;          ///< k in [0, 1] in steps of 1 / kCapabilityUnit
  std::vector<float> cash_target;                 ///< USD; cash above it repays arrears and debt, then is paid out
  std::vector<float> hours;                       ///< hours worked, share of full time (0 while closed)
  std::vector<float> owner_funds;                 ///< USD the owner can still put in
  std::vector<float> cash;                        ///< m, USD
  std::vector<float> debt;                        ///< d, USD
  std::vector<float> arrears;                     ///< unpaid rent and supplier bills, USD

  /// Capability is kept as a 16-bit fixed-point number: k = capability / kCapabilityUnit.
  static constexpr float kCapabilityUnit = 65535.0f;

  std::size_t size() const { return uid.size(); }
  bool alive(std::size_t i) const { return (flags[i] & kAlive) != 0; }
  float capability_of(std::size_t i) const { return capability[i] / kCapabilityUnit; }
  void set_capability(std::size_t i, double k);  ///< k clamped to [0, 1], rounded to the nearest step
  /// Resizes every array to `n` firms (new entries zeroed: the tail grows).
  void resize(std::size_t n);
  /// Makes room for `n` firms in every array without changing the size.
  void reserve(std::size_t n);
  /// Position of the live or dead firm with id `uid`, or size() if it was compacted away:
  /// a binary search in each run of increasing uids (a cell, or the tail).
  std::size_t find(std::uint32_t id) const;
  /// Removes dead firms and sorts the living into cell-major order (stable: each cell
  /// keeps its firms in uid order). No firm's state changes; the kernel's sums follow
  /// positions, so they change in their last bits, the same way at any thread count.
  /// `isa` (at most cpu_isa()) picks the build: AVX-512 moves long runs of a cell by
  /// compresses; every build puts the same firms in the same places.
  void compact(const SizeClassBounds& bounds, Isa isa = cpu_isa());
  /// Firms in the tail: entrants since the last compaction, not yet in their cell's run.
  std::size_t tail() const { return size() - runs_.back(); }
  /// Bytes of state per firm: the sum of the element sizes of all arrays.
  static std::size_t bytes_per_firm();

 private:
  /// Positions where a run of increasing uids starts: one per non-empty cell, then the
  /// tail (the last entry, size() when there is none).
  std::vector<std::size_t> runs_{0};
};

}  // namespace smesim
