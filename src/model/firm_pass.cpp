// The firm kernel's per-firm pass (MODEL.md step 3, docs/ODD.md 7.5), eight firms at a
// time: GCC vector extensions over kLanes lanes, so the same source is built for AVX2
// (one 32-byte vector) and for x86-64 (two 16-byte halves), with the same bits: every
// operation is lane by lane IEEE single precision, and no multiply-add is fused
// (-ffp-contract=off). Money within the month is single precision; sums are double.
#include "firm_pass.hpp"

#include <algorithm>

// The lane helpers pass vectors by value, but all are inlined: no call crosses the ABI.
#pragma GCC diagnostic ignored "-Wpsabi"

#include "lanes.hpp"

namespace smesim {
namespace {

using namespace lanes;

/// What the policies in force give the firms of a group, and their credit.
struct GroupPolicies {
  Floats subsidy{}, grant{};  ///< wage subsidy and grant paid, USD
  Floats limit;               ///< credit limit, with a guarantee's extra credit
  Floats interest_paid;       ///< interest paid from cash
  Floats deferred{};          ///< interest accrued to the debt under a moratorium
  Mask may_repay;             ///< -1 where no moratorium holds repayment
  Mask may_fire;              ///< -1 where no retention condition binds
  Mask guaranteed{};          ///< -1 where a guarantee in force reaches the firm
};

/// The policies of the month for each live lane, by the scalar rules of policies.hpp (in
/// double precision), with take-up counted in the lanes' sums.
SMESIM_LANES void apply_policies(const PolicyMonth& p, double annual_rate, const ChunkDraws& d, std::size_t j,
                                 Mask live, Floats revenue, Floats normal_revenue, Floats wages, Ints n,
                                 Ints size_class, Floats debt, Floats normal_limit, GroupSink& sink, GroupPolicies& g) {
  LaneDoubles supported{}, not_reached{};
  for (int l = 0; l < kLanes; ++l) {
    if (!live[l]) continue;
    PolicyTotals counted;
    const auto take_up_draw = [&d, j, l] { return to_unit(d.take_up_word[j + l]); };
    const Reach reach = reaching(p, take_up_draw, revenue[l], normal_revenue[l], debt[l], size_class[l], counted);
    supported.add(l, counted.firms_supported), not_reached.add(l, counted.firms_not_reached);  // onto zero
    const Support s = support_for(p, revenue[l], normal_revenue[l], wages[l], n[l], size_class[l], reach);
    const Credit c = credit_under(p, debt[l], normal_limit[l], normal_revenue[l], annual_rate, reach);
    g.subsidy[l] = static_cast<float>(s.subsidy), g.grant[l] = static_cast<float>(s.grant);
    g.limit[l] = static_cast<float>(c.limit);
    // The interest as the lanes compute it unless a policy changes it (guaranteed debt,
    // or a moratorium), so that a policy that does not reach a firm changes no bit of it.
    const bool deferred = c.deferred != 0.0, guaranteed = guaranteed_credit(p, debt[l], normal_limit[l], reach) > 0;
    if (deferred || guaranteed)
      g.interest_paid[l] = static_cast<float>(c.interest_paid), g.deferred[l] = static_cast<float>(c.deferred);
    g.may_repay[l] = repayment(p, 1.0, 1.0, reach) > 0 ? -1 : 0;  // not held by a moratorium
    g.may_fire[l] = p.wage_subsidy.forbids_firing(s.subsidy) ? 0 : -1;
    g.guaranteed[l] = p.guarantee.on && reach.guarantee ? -1 : 0;
  }
  sink.add(kAmountFirmsSupported, supported);
  sink.add(kAmountFirmsNotReached, not_reached);
}

/// One group of lanes [0, m) at firms [i, i + m) (chunk position j) through pass 3: its
/// state as loaded, then what each stage of the month computes from it.
struct Group {
  Group(FirmTable& table, const KernelInput& input, const PassConstants& constants, const ChunkDraws& draws,
        std::size_t first, std::size_t chunk_position, int lanes)
      : t(table), in(input), k(constants), d(draws), i(first), j(chunk_position), m(lanes) {}

  FirmTable& t;
  const KernelInput& in;
  const PassConstants& k;
  const ChunkDraws& d;
  std::size_t i, j;
  int m;
  // The state at the start of the month.
  Ints flags0, sector, employees0, n, nstar, size_class, cm0, cy0, distress0, sm0, age0;
  Floats capacity0, theta, wage, util0, target, hours0, owner0, cash0, debt0, arrears0, noise, nf, nstarf;
  Mask alive;
  bool same = false;  ///< one sector: its constants broadcast
  // Opening (contracts, utilisation, temporary closure).
  Mask contract, closed;
  Floats payment{}, u, normal_revenue, normal_bills, normal_profit, fixed, input_share;
  Ints contract_workers{}, cm, cy;
  // The month's accounts, cash and credit.
  Floats revenue, wages, normal_limit, cash, debt, arrears, owner, injection;
  GroupPolicies pol;
  Mask short_of_cash, cannot_pay;
  // Exit, then labour.
  Ints distress, sm, next, flags, age;
  Mask exits, stays, adjusts;
  Floats ubar, nextf, hours;
};

/// Loads the group's state.
SMESIM_LANES void load_state(Group& g) {
  const FirmTable& t = g.t;
  const std::size_t i = g.i;
  const int m = g.m;
  const SizeClassBounds& bounds = g.in.scenario.size_classes;
  g.sector = load(t.sector.data() + i, m);
  g.same = !any(g.sector != g.sector[0]);
  g.employees0 = load(t.employees.data() + i, m);
  g.n = max(g.employees0, splat_int(1));  // >= 1 while alive; 1 in unused lanes
  g.nstar = load(t.normal_size.data() + i, m);
  g.size_class = ones(g.nstar > bounds.micro_max) + ones(g.nstar > bounds.small_max);
  g.cm0 = load(t.closed_months.data() + i, m);
  g.cy0 = load(t.closed_months_ytd.data() + i, m);
  g.distress0 = load(t.distress.data() + i, m);
  g.sm0 = load(t.short_months.data() + i, m);
  g.age0 = load(t.age.data() + i, m);
  g.capacity0 = load(t.capacity.data() + i, m);
  g.theta = load(t.productivity.data() + i, m);
  g.wage = load(t.wage.data() + i, m);
  g.util0 = load(t.utilisation.data() + i, m);
  g.target = load(t.cash_target.data() + i, m);
  g.hours0 = load(t.hours.data() + i, m);
  g.owner0 = load(t.owner_funds.data() + i, m);
  g.cash0 = load(t.cash.data() + i, m);
  g.debt0 = load(t.debt.data() + i, m);
  g.arrears0 = load(t.arrears.data() + i, m);
  g.noise = load(g.d.demand_noise + g.j, m);
  g.nf = to_floats(g.n), g.nstarf = to_floats(g.nstar);
}

/// Contracts (a few firms): the payment due and the staff needed.
SMESIM_LANES void find_contracts(Group& g) {
  g.contract = (g.flags0 & FirmTable::kHasContract) != 0;
  if (!any(g.contract & g.alive)) return;
  for (int l = 0; l < g.m; ++l) {
    if (!g.contract[l]) continue;
    const std::uint32_t uid = g.t.uid[g.i + l];
    const auto it = std::lower_bound(g.in.contracts.begin(), g.in.contracts.end(), uid,
                                     [](const ContractMonth& c, std::uint32_t u) { return c.uid < u; });
    if (it == g.in.contracts.end() || it->uid != uid) continue;
    g.payment[l] = static_cast<float>(it->payment), g.contract_workers[l] = it->workers;
  }
}

/// Utilisation and opening (docs/ODD.md 7.5).
SMESIM_LANES void open(Group& g) {
  const FirmResponses& r = g.in.scenario.responses;
  const Floats supply = gather(g.k.supply.data(), g.sector, g.same);
  const Floats a = gather(g.k.demand.data(), g.sector, g.same) * g.noise;
  const Mask restricted = when(r.hibernation) & (supply < 1.0f);
  const Floats u_restricted =
      select(supply > 0.0f, min(a / select(supply > 0.0f, supply, splat(1.0f)), splat(1.0f)), splat(0.0f));
  g.u = select(restricted, u_restricted, min(min(a, supply), splat(g.k.max_utilisation)));
  const Mask ordered = restricted & ~g.contract & (uniform<16>(load(g.d.order_word + g.j, g.m)) < 1.0f - supply);
  g.input_share = gather(g.k.input_share.data(), g.sector, g.same);
  const Floats fixed_share = gather(g.k.fixed_cost_share.data(), g.sector, g.same);
  const Floats rc = gather(g.k.revenue_per_worker.data(), g.sector, g.same) * g.theta;  // revenue per worker at u = 1
  g.normal_revenue = g.nstarf * rc;
  g.normal_bills = fixed_share * g.normal_revenue + g.input_share * g.normal_revenue;
  g.normal_profit = g.normal_revenue - g.normal_bills - g.nstarf * g.wage;
  g.fixed = fixed_share * g.capacity0 * rc;
  const Floats floor_h = splat(g.k.hours_floor);
  const Floats need_hours = r.hours ? min(max(g.nstarf * g.u / g.nf, floor_h), splat(1.0f)) : splat(1.0f);
  const Mask shuts = when(r.hibernation) & ~g.contract & (g.normal_profit > 0.0f) &
                     (g.nf * rc * g.u * (1.0f - g.input_share) < g.nf * g.wage * need_hours);
  g.closed = g.alive & (ordered | shuts);
  g.cm = select(g.closed, min(g.cm0 + 1, splat_int(255)), splat_int(0));
  g.cy = g.cy0 + ones(g.closed & (g.cy0 < 255));
  g.revenue = select(g.closed, splat(0.0f), g.nf * rc * g.u + g.payment);
}

/// The month's accounts under the policies, then cash, credit and the last margins.
SMESIM_LANES void settle(Group& g, GroupSink& sink) {
  const FirmBehaviour& f = g.in.scenario.firms;
  const FirmResponses& r = g.in.scenario.responses;
  const Floats full_wages = g.nf * g.wage;
  g.wages = select(g.closed, g.k.furlough_pay_share * full_wages, full_wages * g.hours0);
  const Floats inputs = select(g.closed, splat(0.0f), g.input_share * g.revenue);
  const Floats fixed_paid = select(g.closed, g.k.hibernation_fixed_share * g.fixed, g.fixed);
  const Floats credit_months =
      select(g.size_class == 0, splat(g.k.credit_months[0]),
             select(g.size_class == 1, splat(g.k.credit_months[1]), splat(g.k.credit_months[2])));
  g.normal_limit = credit_months * g.normal_revenue;
  g.pol = {.limit = g.normal_limit,
           .interest_paid = g.debt0 * g.k.monthly_interest,
           .may_repay = when(true),
           .may_fire = when(true)};
  if (g.in.policy.any())
    apply_policies(g.in.policy, f.interest_rate, g.d, g.j, g.alive, g.revenue, g.normal_revenue, g.wages, g.n,
                   g.size_class, g.debt0, g.normal_limit, sink, g.pol);
  Floats debt = g.debt0 + g.pol.deferred;
  const Floats costs = g.wages - g.pol.subsidy + inputs + fixed_paid + g.pol.interest_paid;
  Floats cash = g.cash0 + g.revenue - costs + g.pol.grant;
  const Mask negative = cash < 0.0f;
  const Floats draw = min(-cash, max(g.pol.limit - debt, splat(0.0f)));
  debt = select(negative, debt + draw, debt);
  cash = select(negative, cash + draw, cash);
  const Mask above = cash > g.target;
  const Floats settled = min(cash - g.target, g.arrears0);
  Floats arrears = select(above, g.arrears0 - settled, g.arrears0);
  Floats settled_cash = cash - settled;
  const Floats repay = select(g.pol.may_repay, min(settled_cash - g.target, debt), splat(0.0f));
  const Floats repaid_debt = debt - repay;
  settled_cash = settled_cash - repay;
  settled_cash = settled_cash - g.k.payout_rate * (settled_cash - g.target);
  cash = select(above, settled_cash, cash);
  g.debt = select(above, repaid_debt, debt);
  g.short_of_cash = cash < 0.0f;
  const Mask defers = when(r.deferral) & g.short_of_cash;
  const Floats defer = min(-cash, max(g.k.arrears_months * g.normal_bills - arrears, splat(0.0f)));
  g.arrears = select(defers, arrears + defer, arrears);
  cash = select(defers, cash + defer, cash);
  const Mask injects = when(r.owner_funds) & (cash < 0.0f);
  g.injection = select(injects, min(-cash, g.owner0), splat(0.0f));
  g.owner = g.owner0 - g.injection;
  g.cash = cash + g.injection;
  g.cannot_pay = g.cash < 0.0f;
}

/// Failure, closure for good, or exogenous exit.
SMESIM_LANES void exit_or_stay(Group& g, GroupSink& sink) {
  const FirmBehaviour& f = g.in.scenario.firms;
  const FirmResponses& r = g.in.scenario.responses;
  g.distress = select(g.short_of_cash, min(g.distress0 + 1, splat_int(255)), splat_int(0));
  const Floats exo = select(g.age0 < f.young_age_months, gather(g.k.exo_young.data(), g.sector, g.same),
                            gather(g.k.exo_old.data(), g.sector, g.same));
  const Mask closed_out =
      (g.cm > 0) & ((g.cm > r.max_closure_months) | (g.debt + g.arrears > g.k.repay_months * g.normal_profit));
  const Mask fails = (g.cannot_pay & (g.distress >= f.months_to_fail)) | closed_out;
  g.exits = g.alive & (fails | (uniform<24>(load(g.d.exit_word + g.j, g.m)) < exo));
  g.stays = g.alive & ~g.exits;
  const Ints year_ago = any(g.exits) ? load(g.t.employees_year_ago.data() + g.i, g.m) : Ints{};  // few firms exit
  sink.count(kCountExitsIlliquid, g.exits & fails);
  sink.count(kCountExitsOther, g.exits & ~fails);
  sink.count(kCountExitsClosure, g.exits & fails & closed_out);
  sink.add(kCountYearAgoOfExits, g.exits & year_ago);
}

/// Labour (workers of a closed firm stay on furlough); a wage subsidy with a retention
/// condition forbids firing.
SMESIM_LANES void adjust_labour(Group& g, GroupSink& sink) {
  const FirmResponses& r = g.in.scenario.responses;
  const Floats nf = g.nf;
  const Floats floor_h = splat(g.k.hours_floor);
  g.adjusts = g.stays & ~g.closed;
  const float keep = g.k.utilisation_smoothing;
  g.ubar = keep * g.util0 + (1.0f - keep) * g.u;
  const Floats desired =
      max(splat(1.0f), g.nstarf * min(g.ubar, splat(g.k.max_utilisation))) + to_floats(g.contract_workers);
  const Floats band = splat(g.k.labour_band);
  const Mask short_of_work = when(r.hours) & (desired < (1.0f - band) * nf);
  g.sm = select(short_of_work, min(g.sm0 + 1, splat_int(255)), splat_int(0));
  const Floats wanted =
      select(short_of_work & (g.sm <= r.max_short_hours_months), desired / max(floor_h, desired / nf), desired);
  const Floats round_u = uniform<16>(load(g.d.round_word + g.j, g.m));
  const Mask fires = (wanted < (1.0f - band) * nf) & g.pol.may_fire;
  const Mask hires = ~fires & (wanted > (1.0f + band) * nf) & (g.cash >= 0.0f);
  const Floats step =
      select(fires, min(g.k.max_fire * nf, nf - wanted), min(max(g.k.max_hire * nf, splat(1.0f)), wanted - nf));
  const Ints whole = to_ints(step);  // step >= 0: toward zero is floor
  const Ints rounded = whole + ones(round_u < step - to_floats(whole));
  const Ints moved = g.n + select(fires, -rounded, select(hires, rounded, splat_int(0)));
  g.next = select(g.adjusts, min(max(moved, splat_int(1)), splat_int(65535)), g.n);
  g.nextf = to_floats(g.next);
  g.hours = select(g.adjusts, select(short_of_work, min(max(desired / g.nextf, floor_h), splat(1.0f)), splat(1.0f)),
                   g.hours0);
  const Ints year_flags =
      g.adjusts & ((ones(g.hours < 1.0f) * FirmTable::kCutHoursYtd) | (ones(g.next < g.n) * FirmTable::kLaidOffYtd));
  g.flags = select(g.exits, g.flags0 & ~FirmTable::kAlive, g.flags0 | year_flags);
  g.age = select(g.stays, min(g.age0 + 1, splat_int(65535)), g.age0);
  sink.add(kCountJobsCreated, select(g.stays, max(g.next - g.n, splat_int(0)), splat_int(0)));
  sink.add(kCountJobsDestroyed, select(g.stays, max(g.n - g.next, splat_int(0)), select(g.exits, g.n, splat_int(0))));
}

/// Writes back the live firms.
SMESIM_LANES void store_state(const Group& g) {
  FirmTable& t = g.t;
  const std::size_t i = g.i;
  const int m = g.m;
  const Mask alive = g.alive;
  store(t.distress.data() + i, select(alive, g.distress, g.distress0), m);
  store(t.flags.data() + i, g.flags, m);
  store(t.closed_months.data() + i, select(alive, g.cm, g.cm0), m);
  store(t.closed_months_ytd.data() + i, select(alive, g.cy, g.cy0), m);
  store(t.cash.data() + i, select(alive, g.cash, g.cash0), m);
  store(t.debt.data() + i, select(alive, g.debt, g.debt0), m);
  if (any(alive & ((g.arrears != g.arrears0) | (g.injection != 0.0f)))) {  // few firms
    store(t.arrears.data() + i, select(alive, g.arrears, g.arrears0), m);
    store(t.owner_funds.data() + i, select(alive, g.owner, g.owner0), m);
  }
  store(t.utilisation.data() + i, select(g.adjusts, g.ubar, g.util0), m);
  store(t.short_months.data() + i, select(g.adjusts, g.sm, g.sm0), m);
  store(t.hours.data() + i, g.hours, m);
  store(t.employees.data() + i, select(alive, g.next, g.employees0), m);
  const float adjustment = g.k.capacity_adjustment;
  store(t.capacity.data() + i, select(g.adjusts, g.capacity0 + adjustment * (g.nextf - g.capacity0), g.capacity0), m);
  store(t.age.data() + i, g.age, m);
}

/// The month's flows of the live firms, and the month-end stocks of the firms that stay.
SMESIM_LANES void add_sums(const Group& g, GroupSink& sink) {
  const Mask alive = g.alive, stays = g.stays;
  const auto kept = [stays](Floats x) { return select(stays, x, splat(0.0f)); };
  sink.add(kAmountRevenue, select(alive, g.revenue, splat(0.0f)));
  sink.add(kAmountWageBill, select(alive, g.wages, splat(0.0f)));
  sink.add(kAmountContractRevenue, select(alive, g.payment, splat(0.0f)));
  if (g.in.policy.any()) {
    sink.add(kAmountWageSubsidy, select(alive, g.pol.subsidy, splat(0.0f)));
    sink.add(kAmountGrants, select(alive, g.pol.grant, splat(0.0f)));
    sink.add(kAmountInterestDeferred, select(alive, g.pol.deferred, splat(0.0f)));
    const Floats guaranteed = max(g.debt - g.normal_limit, splat(0.0f));
    sink.add(kAmountGuaranteed, kept(select(g.pol.guaranteed, guaranteed, splat(0.0f))));
  }
  sink.add(kAmountOwnerInjections, select(alive, g.injection, splat(0.0f)));
  sink.count(kCountDistressed, stays & g.short_of_cash);
  sink.add(kAmountRevenueDrop, kept(1.0f - g.revenue / g.normal_revenue));
  add_group_stocks(sink, stays, load(g.t.uid.data() + g.i, g.m) < g.in.cohort_end, g.age, g.next, g.cash, g.debt,
                   g.arrears, g.cm, g.hours, g.flags, g.cy);
}

/// Pass 3 for the group of lanes [0, m) at firms [i, i + m) (chunk position j).
SMESIM_LANES void step_group(FirmTable& t, const KernelInput& in, const PassConstants& k, std::size_t i, std::size_t j,
                             int m, const ChunkDraws& d, BlockLanes& sums) {
  Group g(t, in, k, d, i, j, m);
  g.flags0 = load(t.flags.data() + i, m);
  g.alive = (g.flags0 & FirmTable::kAlive) != 0;
  if (!any(g.alive)) return;
  load_state(g);
  GroupSink sink = group_sink(g.sector, g.size_class, m, sums);
  find_contracts(g);
  open(g);
  settle(g, sink);
  exit_or_stay(g, sink);
  adjust_labour(g, sink);
  store_state(g);
  add_sums(g, sink);
}

/// Pass 3 for two whole groups at firms [i, i + 2 kLanes), stage by stage: a firm's
/// month is a long chain of dependent operations, and the two groups' chains side by
/// side keep the processor busy. Every sum takes the first group's lanes before the
/// second's (each quantity is added in one stage), so the bits are step_group's.
SMESIM_LANES void step_pair(FirmTable& t, const KernelInput& in, const PassConstants& k, std::size_t i, std::size_t j,
                            const ChunkDraws& d, BlockLanes& sums) {
  Group a(t, in, k, d, i, j, kLanes), b(t, in, k, d, i + kLanes, j + kLanes, kLanes);
  a.flags0 = load(t.flags.data() + i, kLanes);
  b.flags0 = load(t.flags.data() + i + kLanes, kLanes);
  a.alive = (a.flags0 & FirmTable::kAlive) != 0;
  b.alive = (b.flags0 & FirmTable::kAlive) != 0;
  if (!any(a.alive | b.alive)) return;
  load_state(a), load_state(b);
  GroupSink sa = group_sink(a.sector, a.size_class, kLanes, sums),
            sb = group_sink(b.sector, b.size_class, kLanes, sums);
  find_contracts(a), find_contracts(b);
  open(a), open(b);
  settle(a, sa), settle(b, sb);
  exit_or_stay(a, sa), exit_or_stay(b, sb);
  adjust_labour(a, sa), adjust_labour(b, sb);
  store_state(a), store_state(b);
  add_sums(a, sa), add_sums(b, sb);
}

SMESIM_LANES void pass_body(FirmTable& t, const KernelInput& in, const PassConstants& k, std::size_t first,
                            std::size_t n, const ChunkDraws& d, BlockLanes& sums) {
  constexpr std::size_t kPair = std::size_t{2} * kLanes;
  std::size_t j = 0;
  for (; j + kPair <= n; j += kPair) step_pair(t, in, k, first + j, j, d, sums);
  for (; j < n; j += kLanes)
    step_group(t, in, k, first + j, j, static_cast<int>(std::min<std::size_t>(kLanes, n - j)), d, sums);
}

void pass_x86_64(FirmTable& t, const KernelInput& in, const PassConstants& k, std::size_t first, std::size_t n,
                 const ChunkDraws& d, BlockLanes& sums) {
  pass_body(t, in, k, first, n, d, sums);
}

__attribute__((target("avx2"))) void pass_avx2(FirmTable& t, const KernelInput& in, const PassConstants& k,
                                               std::size_t first, std::size_t n, const ChunkDraws& d,
                                               BlockLanes& sums) {
  pass_body(t, in, k, first, n, d, sums);
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
  // AVX-512 runs the AVX2 build: its 32 registers and mask registers for the same
  // 32-byte vectors measured no faster.
  if (std::min(cpu_isa(), in.isa) >= Isa::kAvx2)
    pass_avx2(t, in, constants, first, n, d, sums);
  else
    pass_x86_64(t, in, constants, first, n, d, sums);
}

}  // namespace smesim
