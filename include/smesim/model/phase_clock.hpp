// The phases of a city's month, and an optional clock that times them (smesim run --profile).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace smesim {

/// The phases of CityModel, in the order they run: population synthesis once, then each
/// month opening the reported period (month 0 only) through the year end.
enum class Phase : std::size_t {
  kPopulation,       ///< synthesising the initial firms (once, before burn-in)
  kOpenReporting,    ///< month 0: baseline stocks, initial cohort, first Davis-Haltiwanger year
  kEnvironment,      ///< stringency, pandemic demand shocks, supply capacity
  kHazards,          ///< hazard strike, cash destroyed, hazard demand shock
  kLocalDemand,      ///< the input-output demand index
  kPolicies,         ///< the stimulus policies in force
  kFirms,            ///< contract payments and staff due, then the firm kernel
  kCompaction,       ///< dead firms removed once they are an eighth of the table
  kEntry,            ///< births
  kContracts,        ///< programme: payments, deliveries, defaults, contracts ended
  kAssistance,       ///< programme: technical assistance (in-kind match)
  kCalls,            ///< programme: procurement calls, bids, awards, hires
  kProgrammeTotals,  ///< programme: month-end stocks and grant / city-cash split
  kResilience,       ///< the resilience index R
  kDemandFeedback,   ///< payments and wage bill kept for next month; baseline window
  kYearEnd,          ///< Davis-Haltiwanger year close every 12th reported month
  kCount
};

/// Number of phases.
inline constexpr std::size_t kPhases = static_cast<std::size_t>(Phase::kCount);

/// The phase's name as `smesim run --profile` prints it, e.g. "local demand".
const char* phase_name(Phase phase);

/// Seconds spent in each phase, summed over months (and over cities and work items when
/// added up).
struct PhaseSeconds {
  std::array<double, kPhases> seconds{};
  double& operator[](Phase p) { return seconds[static_cast<std::size_t>(p)]; }
  double operator[](Phase p) const { return seconds[static_cast<std::size_t>(p)]; }
  PhaseSeconds& operator+=(const PhaseSeconds& o);
};

/// One line per phase and the total, for stderr.
std::string format_phase_seconds(const PhaseSeconds& s);

/// Runs phases, timing each when switched on. Off, it only calls them: no clock is read,
/// and nothing it does can change a result.
class PhaseClock {
 public:
  explicit PhaseClock(bool on) : on_(on) {}

  /// Runs `body` as phase `p`.
  template <class Body>
  void run(Phase p, Body&& body) {
    if (!on_) {
      body();
      return;
    }
    const auto t0 = std::chrono::steady_clock::now();
    body();
    seconds_[p] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ran_.push_back(p);
  }
  /// When on: forgets which phases ran (called at the start of every month).
  void new_month() {
    if (on_) ran_.clear();
  }

  /// Seconds per phase so far (all zero when off).
  const PhaseSeconds& seconds() const { return seconds_; }
  /// When on: the phases run since the start of the current month, in order (what the
  /// phase-order test reads).
  const std::vector<Phase>& ran() const { return ran_; }

 private:
  bool on_;
  PhaseSeconds seconds_;
  std::vector<Phase> ran_;
};

}  // namespace smesim
