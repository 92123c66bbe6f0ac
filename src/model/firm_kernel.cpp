// MODEL.md step 3: the monthly firm kernel, run in parallel over fixed blocks of firms.
// Passes 1 and 2 of each chunk (the draws) are in firm_draws.cpp; pass 3 (each firm's
// month) is here.
#include "smesim/model/firm_kernel.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "firm_draws.hpp"
#include "smesim/model/population.hpp"

namespace smesim {
namespace {

/// x rounded down or up at random, up with probability frac(x); `w` is a random word.
int stochastic_round(double x, std::uint32_t w) {
  const double whole = std::floor(x);
  return static_cast<int>(whole) + (to_unit(w) < x - whole ? 1 : 0);
}

template <class Table>
inline void add_firm_stocks(const Table& t, std::size_t i, std::uint32_t initial_firms, CellTotals& cell) {
  cell.active += 1;
  cell.initial_alive += t.uid[i] < initial_firms;
  if (const unsigned age = t.age[i]; age % 12 == 0 && age - 12 < 12 * kSurvivalYears) ++cell.aged_years[age / 12 - 1];
  cell.employment += t.employees[i];
  cell.cash += t.cash[i];
  cell.debt += t.debt[i];
  cell.arrears += t.arrears[i];
  const bool closed = t.closed_months[i] > 0;
  cell.closed += closed;
  cell.short_hours += !closed && t.hours[i] < 1.0f;
  cell.employment_fte += closed ? 0.0 : t.employees[i] * static_cast<double>(t.hours[i]);
  const std::uint8_t flags = t.flags[i];
  cell.cut_hours_ytd += (flags & FirmTable::kCutHoursYtd) != 0;
  cell.laid_off_ytd += (flags & FirmTable::kLaidOffYtd) != 0;
  const int closed_ytd = t.closed_months_ytd[i];
  cell.closed_ytd += closed_ytd > 0;
  cell.closed_long_ytd += closed_ytd > 3;
  cell.adjusted_ytd += closed_ytd > 0 || (flags & FirmTable::kCutHoursYtd) != 0;
}

/// Cell index of the firm at position i.
inline std::size_t cell_of(const FirmTable& t, std::size_t i, const SizeClassBounds& b) {
  return t.sector[i] * kSizeClasses + size_class_of(b, t.normal_size[i]);
}

/// Pointers to a table's arrays, copied into each block's pass: held in registers or on
/// the stack, they need no reload after a store to a byte array (which may alias
/// anything, the vectors' own pointers included).
struct Rows {
  explicit Rows(FirmTable& t)
      : uid(t.uid.data()),
        sector(t.sector.data()),
        distress(t.distress.data()),
        flags(t.flags.data()),
        closed_months(t.closed_months.data()),
        short_months(t.short_months.data()),
        closed_months_ytd(t.closed_months_ytd.data()),
        age(t.age.data()),
        employees(t.employees.data()),
        normal_size(t.normal_size.data()),
        employees_year_ago(t.employees_year_ago.data()),
        capacity(t.capacity.data()),
        productivity(t.productivity.data()),
        wage(t.wage.data()),
        utilisation(t.utilisation.data()),
        cash_target(t.cash_target.data()),
        hours(t.hours.data()),
        owner_funds(t.owner_funds.data()),
        cash(t.cash.data()),
        debt(t.debt.data()),
        arrears(t.arrears.data()) {}
  bool alive(std::size_t i) const { return (flags[i] & FirmTable::kAlive) != 0; }

  const std::uint32_t* uid;
  const std::uint8_t* sector;
  std::uint8_t* distress;
  std::uint8_t* flags;
  std::uint8_t* closed_months;
  std::uint8_t* short_months;
  std::uint8_t* closed_months_ytd;
  std::uint16_t* age;
  std::uint16_t* employees;
  const std::uint16_t* normal_size;
  const std::uint16_t* employees_year_ago;
  float* capacity;
  const float* productivity;
  const float* wage;
  float* utilisation;
  const float* cash_target;
  float* hours;
  float* owner_funds;
  float* cash;
  float* debt;
  float* arrears;
};

/// The contract part of firm `uid` this month (zero if none is due).
ContractMonth contract_of(const std::vector<ContractMonth>& contracts, std::uint32_t uid) {
  const auto it = std::lower_bound(contracts.begin(), contracts.end(), uid,
                                   [](const ContractMonth& c, std::uint32_t u) { return c.uid < u; });
  return it != contracts.end() && it->uid == uid ? *it : ContractMonth{uid};
}

/// The parameters the per-firm pass reads, copied into one local object per block: the
/// compiler then knows that stores to the firm arrays cannot change them.
struct BlockParameters {
  FirmBehaviour firms;
  FirmResponses responses;
  PolicyMonth policy;
  SizeClassBounds sizes;
};

/// A firm's month at its normal size and full demand (USD): what reopening is for.
struct NormalMonth {
  double revenue;  ///< baseline revenue
  double bills;    ///< fixed and input bills, the base of the arrears limit
  double profit;   ///< operating profit: revenue less inputs, wages and fixed costs
};

inline NormalMonth normal_month(const Rows& t, std::size_t i, const SectorConstants& k, double revenue_capacity) {
  const double revenue = t.normal_size[i] * revenue_capacity;
  const double bills = k.fixed_cost_share * revenue + k.input_share * revenue;
  return {revenue, bills, revenue - bills - t.normal_size[i] * static_cast<double>(t.wage[i])};
}

/// Temporary closure (docs/ODD.md 7.5): a firm that would make a profit at normal demand
/// is closed this month if, open at utilisation `u` with hours cut to need (down to the
/// floor), its sales would not cover its variable costs (inputs and wages): the textbook
/// shutdown rule. Firms delivering a contract stay open.
inline bool closes(const Rows& t, std::size_t i, const FirmResponses& r, const SectorConstants& k, double u,
                   double revenue_capacity, double normal_profit) {
  if (!r.hibernation || (t.flags[i] & FirmTable::kHasContract) || normal_profit <= 0) return false;
  const int n = t.employees[i];
  const double hours = r.hours ? std::clamp(t.normal_size[i] * u / n, r.hours_floor, 1.0) : 1.0;
  return n * revenue_capacity * u * (1.0 - k.input_share) < n * static_cast<double>(t.wage[i]) * hours;
}

/// Lockdown orders (docs/ODD.md 7.5): with hibernation on, the share 1 - q of a sector's
/// firms lowest in the order (`order_word`) is closed while its supply capacity q is below
/// 1, instead of every firm working at capacity q.
inline bool lockdown_closes(const Rows& t, std::size_t i, const FirmResponses& r, double supply,
                            std::uint32_t order_word) {
  if (!r.hibernation || supply >= 1.0 || (t.flags[i] & FirmTable::kHasContract)) return false;
  return to_unit(order_word) < 1.0 - supply;
}

/// Utilisation of an open firm of sector `s` with demand noise `noise`. With hibernation,
/// the sector's open firms share its demand (D / q), at most at normal capacity while
/// restrictions last, so the sector sells min(D, q) as when every firm is held to q.
inline double open_utilisation(const SectorConditions& c, int s, double noise, const BlockParameters& bp) {
  if (bp.responses.hibernation && c.supply[s] < 1.0)
    return c.supply[s] > 0.0 ? std::min(c.demand[s] * noise / c.supply[s], 1.0) : 0.0;
  return std::min({c.demand[s] * noise, c.supply[s], bp.firms.max_utilisation});
}

/// Cash, credit and arrears: a shortfall draws on credit up to `limit`; above target, cash
/// repays arrears, then debt (not under a moratorium), and is then partly paid out.
inline void settle_cash(const Rows& t, std::size_t i, const BlockParameters& bp, const Reach& reach, double limit,
                        double& cash, double& debt) {
  if (cash < 0) {
    const double draw = std::min(-cash, std::max(limit - debt, 0.0));
    debt += draw, cash += draw;
  }
  const double target = t.cash_target[i];
  if (cash > target) {
    const double arrears = t.arrears[i];
    const double settled = std::min(cash - target, arrears);
    if (settled > 0) t.arrears[i] = static_cast<float>(arrears - settled);  // most firms have none
    cash -= settled;
    const double repay = repayment(bp.policy, cash - target, debt, reach);
    debt -= repay, cash -= repay;
    cash -= bp.firms.payout_rate * (cash - target);
  }
}

/// The last margins of a firm that still cannot pay: bills fall into arrears up to the
/// limit, then the owner puts in what is left of their funds.
inline void cover_shortfall(const Rows& t, std::size_t i, const FirmResponses& r, double normal_bills, double& cash,
                            CellTotals& cell) {
  if (cash >= 0) return;
  if (r.deferral) {
    const double arrears = t.arrears[i];
    const double defer = std::min(-cash, std::max(r.arrears_months * normal_bills - arrears, 0.0));
    t.arrears[i] = static_cast<float>(arrears + defer), cash += defer;
  }
  if (r.owner_funds && cash < 0) {
    const double injection = std::min(-cash, static_cast<double>(t.owner_funds[i]));
    t.owner_funds[i] -= static_cast<float>(injection), cash += injection;
    cell.owner_injections += injection;
  }
}

/// Failure, closure for good, or exogenous exit: true if the firm exits (recorded in
/// `cell`). A firm is in distress in a month its cash and credit fall short; it fails
/// when it cannot pay even after arrears and owner's funds, in its `months_to_fail`-th
/// month of distress or later. A closed firm closes for good beyond its owner's horizon
/// or when its debts exceed what reopening could repay.
inline bool exits(const Rows& t, std::size_t i, const BlockParameters& bp, const SectorConstants& k,
                  double normal_profit, bool short_of_cash, bool cannot_pay, std::uint32_t exit_word,
                  CellTotals& cell) {
  const FirmBehaviour& f = bp.firms;
  const FirmResponses& r = bp.responses;
  const int distress = short_of_cash ? std::min(t.distress[i] + 1, 255) : 0;
  t.distress[i] = static_cast<std::uint8_t>(distress);
  const double exo = t.age[i] < f.young_age_months ? k.exo_hazard_young : k.exo_hazard_old;
  const bool closed_out =
      t.closed_months[i] > 0 && (t.closed_months[i] > r.max_closure_months ||
                                 static_cast<double>(t.debt[i]) + t.arrears[i] > r.repay_months * normal_profit);
  const bool fails = (cannot_pay && distress >= f.months_to_fail) || closed_out;
  if (!(fails || to_unit(exit_word) < exo)) return false;
  t.flags[i] &= static_cast<std::uint8_t>(~FirmTable::kAlive);
  ++(fails ? cell.exits_illiquid : cell.exits_other);
  cell.exits_closure += fails && closed_out;
  cell.jobs_destroyed += t.employees[i];
  cell.year_ago_of_exits += t.employees_year_ago[i];
  return true;
}

/// Labour: move toward the normal size scaled by smoothed utilisation `u`, plus the staff
/// a contract needs. A firm short of work first cuts hours, down to the floor, for up to
/// `max_short_hours_months`, and only then lays workers off; firing only if `may_fire`,
/// hiring only while liquid. Records the flows.
inline void adjust_labour(const Rows& t, std::size_t i, const BlockParameters& bp, double u, int contract_workers,
                          bool may_fire, double cash, std::uint32_t round_word, CellTotals& cell) {
  const FirmBehaviour& f = bp.firms;
  const FirmResponses& r = bp.responses;
  const int n = t.employees[i];
  const double keep = f.utilisation_smoothing;
  const double ubar = keep * t.utilisation[i] + (1.0 - keep) * u;
  t.utilisation[i] = static_cast<float>(ubar);
  const double desired = std::max(1.0, t.normal_size[i] * std::min(ubar, f.max_utilisation)) + contract_workers;
  const bool short_of_work = r.hours && desired < (1.0 - f.labour_band) * n;
  t.short_months[i] = short_of_work ? static_cast<std::uint8_t>(std::min(t.short_months[i] + 1, 255)) : 0;
  // Staff wanted: while hours absorb the shortfall, all of it down to the hours floor.
  const double wanted = short_of_work && t.short_months[i] <= r.max_short_hours_months
                            ? desired / std::max(r.hours_floor, desired / n)
                            : desired;
  int next = n;
  if (wanted < (1.0 - f.labour_band) * n && may_fire) {
    next = n - stochastic_round(std::min(f.max_fire * n, n - wanted), round_word);
  } else if (wanted > (1.0 + f.labour_band) * n && cash >= 0) {
    next = n + stochastic_round(std::min(std::max(f.max_hire * n, 1.0), wanted - n), round_word);
  }
  next = std::clamp(next, 1, 65535);
  cell.jobs_created += std::max(next - n, 0);
  cell.jobs_destroyed += std::max(n - next, 0);
  const float hours = short_of_work ? static_cast<float>(std::clamp(desired / next, r.hours_floor, 1.0)) : 1.0f;
  t.flags[i] |= (hours < 1.0f ? FirmTable::kCutHoursYtd : 0) | (next < n ? FirmTable::kLaidOffYtd : 0);
  t.hours[i] = hours;
  t.employees[i] = static_cast<std::uint16_t>(next);
  t.capacity[i] += static_cast<float>(f.capacity_adjustment * (next - t.capacity[i]));
}

/// What a firm earns and pays in one month before credit (USD).
struct MonthAccounts {
  double revenue = 0;  ///< sales and contract payments
  double wages = 0;    ///< wage bill paid (furlough pay while closed)
  double inputs = 0;   ///< intermediate inputs bought
  double fixed = 0;    ///< fixed costs paid
};

/// The month's accounts of an open firm at utilisation `u`, or of a closed one.
inline MonthAccounts accounts(const Rows& t, std::size_t i, const FirmResponses& r, const SectorConstants& k,
                              bool closed, double u, double revenue_capacity, double fixed, double payment) {
  const double full_wages = t.employees[i] * static_cast<double>(t.wage[i]);
  if (closed) return {0.0, r.furlough_pay_share * full_wages, 0.0, r.hibernation_fixed_share * fixed};
  const double revenue = t.employees[i] * revenue_capacity * u + payment;
  return {revenue, full_wages * t.hours[i], k.input_share * revenue, fixed};
}

/// Pass 3 for one firm: opening, revenue, policies, costs, cash and credit, shortfall,
/// exit, labour.
inline void step_firm(const Rows& t, const KernelInput& in, const BlockParameters& bp, std::size_t i,
                      const ChunkDraws& d, std::size_t j, CityTotals& out) {
  const double noise = d.demand_noise[j];
  const PolicyMonth& policy = bp.policy;
  const int s = t.sector[i];
  const SectorConstants& k = in.city.sectors[s];
  const int size_class = size_class_of(bp.sizes, t.normal_size[i]);
  CellTotals& cell = out[s * kSizeClasses + size_class];
  const ContractMonth contract =
      t.flags[i] & FirmTable::kHasContract ? contract_of(in.contracts, t.uid[i]) : ContractMonth{t.uid[i]};

  // Utilisation, opening and the month's accounts; eligibility for support is a revenue
  // drop against baseline.
  const bool ordered_shut = lockdown_closes(t, i, bp.responses, in.conditions.supply[s], d.order_word[j]);
  const double u = open_utilisation(in.conditions, s, noise, bp);
  const double revenue_capacity = k.revenue_capacity(t.productivity[i]);  // per worker at u = 1
  const NormalMonth normal = normal_month(t, i, k, revenue_capacity);
  const double fixed = k.fixed_cost_share * t.capacity[i] * revenue_capacity;
  const bool closed = ordered_shut || closes(t, i, bp.responses, k, u, revenue_capacity, normal.profit);
  t.closed_months[i] = closed ? static_cast<std::uint8_t>(std::min(t.closed_months[i] + 1, 255)) : 0;
  if (closed) t.closed_months_ytd[i] = static_cast<std::uint8_t>(std::min(t.closed_months_ytd[i] + 1, 255));
  const MonthAccounts month = accounts(t, i, bp.responses, k, closed, u, revenue_capacity, fixed, contract.payment);
  const auto take_up_draw = [&d, j] { return to_unit(d.take_up_word[j]); };  // TakeUpDraw, drawn in the draw pass
  const Reach reach = reaching(policy, take_up_draw, month.revenue, normal.revenue, t.debt[i], size_class, cell.policy);
  const Support support =
      support_for(policy, month.revenue, normal.revenue, month.wages, t.employees[i], size_class, reach);

  // Interest on the debt at the start of the month; the policies set the limit and who pays.
  const double normal_limit = bp.firms.credit_months[size_class] * normal.revenue;
  double debt = t.debt[i];
  const Credit credit = credit_under(policy, debt, normal_limit, normal.revenue, bp.firms.interest_rate, reach);
  if (policy.moratorium.on) debt += credit.deferred, cell.policy.interest_deferred += credit.deferred;
  const double costs = month.wages - support.subsidy + month.inputs + month.fixed + credit.interest_paid;
  cell.revenue += month.revenue;
  cell.wage_bill += month.wages;
  cell.contract_revenue += contract.payment;
  record_support(cell.policy, support);

  // Cash, credit and the last margins, then failure, closure for good or exogenous exit.
  double cash = t.cash[i] + month.revenue - costs + support.grant;
  settle_cash(t, i, bp, reach, credit.limit, cash, debt);
  const bool short_of_cash = cash < 0;
  cover_shortfall(t, i, bp.responses, normal.bills, cash, cell);
  t.cash[i] = static_cast<float>(cash);
  t.debt[i] = static_cast<float>(debt);
  if (exits(t, i, bp, k, normal.profit, short_of_cash, cash < 0, d.exit_word[j], cell)) return;

  // Labour (workers of a closed firm stay on furlough); a wage subsidy with a retention
  // condition forbids firing.
  if (!closed) {
    const bool may_fire = !policy.wage_subsidy.forbids_firing(support.subsidy);
    adjust_labour(t, i, bp, u, contract.workers, may_fire, cash, d.round_word[j], cell);
  }
  if (t.age[i] < 65535) ++t.age[i];
  cell.distressed += short_of_cash;
  cell.revenue_drop += 1.0 - month.revenue / normal.revenue;
  cell.policy.guaranteed_credit += guaranteed_credit(policy, debt, normal_limit, reach);
  add_firm_stocks(t, i, in.cohort_end, cell);
}

void step_block(FirmTable& table, const KernelInput& in, std::size_t begin, std::size_t end, CityTotals& out) {
  const Rows t(table);
  const BlockParameters bp{in.scenario.firms, in.scenario.responses, in.policy, in.scenario.size_classes};
  const SectorConditions& c = in.conditions;
  const bool lockdown = std::any_of(c.supply.begin(), c.supply.end(), [](double q) { return q < 1.0; });
  const ChunkNeeds needs{bp.responses.hibernation && lockdown, bp.policy.partial_take_up()};
  ChunkDraws d;  // an order or take-up word is read only in a month that needs it
  for (std::size_t first = begin; first < end; first += kChunk) {
    const std::size_t n = std::min(kChunk, end - first);
    draw_chunk(table, in, first, n, d, needs);
    for (std::size_t j = 0; j < n; ++j)
      if (t.alive(first + j)) step_firm(t, in, bp, first + j, d, j, out);
  }
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
  for (auto& p : partial) p.assign(cells, CellTotals{});  // keeps capacity: no allocation after the first month
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, blocks, 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t b = r.begin(); b != r.end(); ++b)
          step_block(table, in, b * kBlockSize, std::min(table.size(), (b + 1) * kBlockSize), partial[b]);
      },
      tbb::simple_partitioner());
  CityTotals total(cells);
  for (const auto& p : partial) accumulate(total, p);  // block order: deterministic
  return total;
}

std::size_t kernel_bytes_per_firm_month() {
  const FirmTable t;
  auto bytes = [](const auto&... v) { return (sizeof(typename std::decay_t<decltype(v)>::value_type) + ...); };
  // Read for every live firm (draw_chunk and step_firm); capability is never read, and
  // employees_year_ago is read only by the few firms that exit; arrears and owner's
  // funds change only in a firm that cannot pay.
  const std::size_t read =
      bytes(t.uid, t.sector, t.normal_size, t.productivity, t.wage, t.cash_target, t.owner_funds, t.arrears);
  const std::size_t read_written =
      bytes(t.demand_state, t.employees, t.distress, t.flags, t.closed_months, t.short_months, t.closed_months_ytd,
            t.age, t.utilisation, t.hours, t.capacity, t.cash, t.debt);
  return read + 2 * read_written;
}

void add_stocks(const FirmTable& t, const SizeClassBounds& bounds, std::uint32_t initial_firms, std::size_t begin,
                std::size_t end, CityTotals& totals) {
  for (std::size_t i = begin; i < end; ++i) {
    if (!t.alive(i)) continue;
    add_firm_stocks(t, i, initial_firms, totals[cell_of(t, i, bounds)]);
  }
}

void close_year(FirmTable& t, const SizeClassBounds& bounds, CityTotals& totals) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!t.alive(i)) continue;
    const int change = t.employees[i] - t.employees_year_ago[i];
    CellTotals& cell = totals[cell_of(t, i, bounds)];
    cell.annual_created += std::max(change, 0);
    cell.annual_destroyed += std::max(-change, 0);
    t.employees_year_ago[i] = t.employees[i];
    t.flags[i] &= static_cast<std::uint8_t>(~FirmTable::kYearFlags);
    t.closed_months_ytd[i] = 0;
  }
}

}  // namespace smesim
