// MODEL.md step 6: a city's resilience programme: funding, technical assistance,
// procurement calls, contracts, payments, defaults and resilience gains.
#pragma once

#include <cstdint>
#include <vector>

#include "smesim/core/rng.hpp"
#include "smesim/model/aggregates.hpp"
#include "smesim/model/city_economy.hpp"
#include "smesim/model/firm_kernel.hpp"
#include "smesim/model/firm_table.hpp"

namespace smesim {

/// One award and what became of it. Money in simulated USD (scaled city totals).
struct Contract {
  int project = 0;
  std::uint32_t uid = 0;
  int sector = 0;
  int size_class = 0;
  double value = 0;     ///< USD awarded
  int duration = 1;     ///< months of delivery
  int award_month = 0;  ///< month index of the call
  int delay = 0;        ///< months from delivery to payment
  int workers = 0;      ///< staff hired for it
  int months_delivered = 0;
  int months_distressed = 0;  ///< months the contractor was illiquid while the contract ran
  int payments_made = 0;
  double paid = 0;       ///< USD paid so far
  double defaulted = 0;  ///< USD undelivered because the firm failed
  bool ended = false;

  double monthly() const { return value / duration; }
  /// True in the months the work is done: award + 1 .. award + duration.
  bool delivering(int month) const { return month > award_month && month <= award_month + duration; }
  /// True in the months a payment falls due.
  bool payment_due(int month) const { return month > award_month + delay && payments_made < duration; }
};

/// The programme's outcome in one month, in simulated units (counts, USD).
struct ProgrammeMonth {
  double budget = 0, value_awarded = 0, value_paid = 0, value_defaulted = 0;
  double grant_spent = 0, city_cash_spent = 0, in_kind_value_used = 0;
  std::int64_t bids = 0, awards = 0, contracts_active = 0, smes_contracted = 0, smes_assisted = 0;
  double resilience_gain = 0;              ///< R added by contracts that ended
  std::vector<double> payments_by_sector;  ///< USD paid to contractors, per supplier sector
};

/// The programme of one city. Budgets and amounts given as city totals are multiplied
/// by population_scale, so a scaled run spends the same per SME.
class ProgrammeState {
 public:
  ProgrammeState(const Scenario& scenario, int city);

  /// The payments due and staff needed this month, per contractor, sorted by uid.
  const std::vector<ContractMonth>& month_plan(int month);
  /// A month's record with the budget set and no spending yet (zero payments per sector).
  ProgrammeMonth open_month() const;
  /// After the firm kernel and entry: records this month's payments and delivery, settles
  /// the contracts of failed firms (delivered work paid, the rest defaulted) and ends the
  /// contracts whose last payment was made, adding their resilience gains.
  void pay_and_deliver(int month, FirmTable& table, ProgrammeMonth& out);
  /// In an in-kind city, in the programme's start month: raises the capability of
  /// floor(in-kind value / cost per SME) eligible SMEs, drawn by a keyed rank.
  void give_assistance(int month, FirmTable& table, const RandomKey& key, ProgrammeMonth& out);
  /// Runs the calls of the projects whose call is this month: bids, scores, awards; the
  /// hires for new contracts are added to `cells`.
  void run_calls(int month, FirmTable& table, const CityEconomy& economy, const RandomKey& key, CityTotals& cells,
                 ProgrammeMonth& out);
  /// Month-end stocks (contracts open, SMEs contracted and assisted) and the split of the
  /// month's payments between grant and city cash.
  void close_month(ProgrammeMonth& out) const;

  const std::vector<Contract>& contracts() const { return contracts_; }

 private:
  void settle_contracts(int month, const FirmTable& table, FirmTable& writable, ProgrammeMonth& out);
  void assist(int month, FirmTable& table, const RandomKey& key, ProgrammeMonth& out);
  void run_call(int month, int project, FirmTable& table, const CityEconomy& economy, const RandomKey& key,
                CityTotals& cells, ProgrammeMonth& out);

  const Scenario& scenario_;
  int city_;
  const Programme* programme_;  // nullptr: no programme in this city
  double scale_;
  double budget_ = 0;       // simulated USD
  double grant_share_ = 1;  // share of each payment that is foundation grant
  std::vector<Contract> contracts_;
  std::vector<ContractMonth> plan_;
  std::vector<std::uint32_t> contracted_;  // uids ever contracted, sorted
  std::int64_t assisted_ = 0;
  std::vector<double> project_budget_;
};

}  // namespace smesim
