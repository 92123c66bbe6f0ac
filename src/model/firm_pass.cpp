// The firm kernel's per-firm pass (MODEL.md step 3, docs/ODD.md 7.5), eight firms at a
// time: GCC vector extensions over kLanes lanes, so the same source is built for AVX2
// (one 32-byte vector) and for x86-64 (two 16-byte halves), with the same bits: every
// operation is lane by lane IEEE single precision, and no multiply-add is fused
// (-ffp-contract=off). Money within the month is single precision; sums are double.
#include "firm_pass.hpp"

#include <algorithm>

#include "smesim/model/population.hpp"

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
    supported[l] = counted.firms_supported, not_reached[l] = counted.firms_not_reached;
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

/// Pass 3 for the group of lanes [0, m) at firms [i, i + m) (chunk position j).
SMESIM_LANES void step_group(FirmTable& t, const KernelInput& in, const PassSectors& st, std::size_t i, std::size_t j,
                             int m, const ChunkDraws& d, BlockLanes& sums) {
  const FirmBehaviour& f = in.scenario.firms;
  const FirmResponses& r = in.scenario.responses;
  const SizeClassBounds& bounds = in.scenario.size_classes;
  const PolicyMonth& policy = in.policy;

  // The group's state.
  const Ints flags0 = load(t.flags.data() + i, m);
  const Mask alive = (flags0 & FirmTable::kAlive) != 0;
  if (!any(alive)) return;
  const Ints sector = load(t.sector.data() + i, m);
  const bool same = !any(sector != sector[0]);  // one sector: its constants broadcast
  const Ints employees0 = load(t.employees.data() + i, m);
  const Ints n = max(employees0, splat_int(1));  // >= 1 while alive; 1 in unused lanes
  const Ints nstar = load(t.normal_size.data() + i, m);
  const Ints size_class = ones(nstar > bounds.micro_max) + ones(nstar > bounds.small_max);
  const Ints cm0 = load(t.closed_months.data() + i, m);
  const Ints cy0 = load(t.closed_months_ytd.data() + i, m);
  const Ints distress0 = load(t.distress.data() + i, m);
  const Ints sm0 = load(t.short_months.data() + i, m);
  const Ints age0 = load(t.age.data() + i, m);
  const Floats capacity0 = load(t.capacity.data() + i, m);
  const Floats theta = load(t.productivity.data() + i, m);
  const Floats wage = load(t.wage.data() + i, m);
  const Floats util0 = load(t.utilisation.data() + i, m);
  const Floats target = load(t.cash_target.data() + i, m);
  const Floats hours0 = load(t.hours.data() + i, m);
  const Floats owner0 = load(t.owner_funds.data() + i, m);
  const Floats cash0 = load(t.cash.data() + i, m);
  const Floats debt0 = load(t.debt.data() + i, m);
  const Floats arrears0 = load(t.arrears.data() + i, m);
  const Floats noise = load(d.demand_noise + j, m);
  const Floats nf = to_floats(n), nstarf = to_floats(nstar);

  GroupSink sink = group_sink(sector, size_class, m, sums);

  // Contracts (a few firms): the payment due and the staff needed.
  const Mask contract = (flags0 & FirmTable::kHasContract) != 0;
  Floats payment{};
  Ints contract_workers{};
  if (any(contract & alive)) {
    for (int l = 0; l < m; ++l) {
      if (!contract[l]) continue;
      const std::uint32_t uid = t.uid[i + l];
      const auto it = std::lower_bound(in.contracts.begin(), in.contracts.end(), uid,
                                       [](const ContractMonth& c, std::uint32_t u) { return c.uid < u; });
      if (it == in.contracts.end() || it->uid != uid) continue;
      payment[l] = static_cast<float>(it->payment), contract_workers[l] = it->workers;
    }
  }

  // Utilisation and opening (docs/ODD.md 7.5).
  const Floats supply = gather(st.supply.data(), sector, same), demand = gather(st.demand.data(), sector, same);
  const Floats a = demand * noise;
  const Mask restricted = when(r.hibernation) & (supply < 1.0f);
  const Floats u_restricted =
      select(supply > 0.0f, min(a / select(supply > 0.0f, supply, splat(1.0f)), splat(1.0f)), splat(0.0f));
  const Floats u = select(restricted, u_restricted, min(min(a, supply), splat(static_cast<float>(f.max_utilisation))));
  const Mask ordered = restricted & ~contract & (uniform<16>(load(d.order_word + j, m)) < 1.0f - supply);
  const Floats input_share = gather(st.input_share.data(), sector, same);
  const Floats fixed_share = gather(st.fixed_cost_share.data(), sector, same);
  const Floats rc = gather(st.revenue_per_worker.data(), sector, same) * theta;  // revenue per worker at u = 1
  const Floats normal_revenue = nstarf * rc;
  const Floats normal_bills = fixed_share * normal_revenue + input_share * normal_revenue;
  const Floats normal_profit = normal_revenue - normal_bills - nstarf * wage;
  const Floats fixed = fixed_share * capacity0 * rc;
  const Floats floor_h = splat(static_cast<float>(r.hours_floor));
  const Floats need_hours = r.hours ? min(max(nstarf * u / nf, floor_h), splat(1.0f)) : splat(1.0f);
  const Mask shuts = when(r.hibernation) & ~contract & (normal_profit > 0.0f) &
                     (nf * rc * u * (1.0f - input_share) < nf * wage * need_hours);
  const Mask closed = alive & (ordered | shuts);
  const Ints cm = select(closed, min(cm0 + 1, splat_int(255)), splat_int(0));
  const Ints cy = cy0 + ones(closed & (cy0 < 255));

  // The month's accounts.
  const Floats full_wages = nf * wage;
  const Floats revenue = select(closed, splat(0.0f), nf * rc * u + payment);
  const Floats wages = select(closed, static_cast<float>(r.furlough_pay_share) * full_wages, full_wages * hours0);
  const Floats inputs = select(closed, splat(0.0f), input_share * revenue);
  const Floats fixed_paid = select(closed, static_cast<float>(r.hibernation_fixed_share) * fixed, fixed);
  const Floats credit_months = select(size_class == 0, splat(static_cast<float>(f.credit_months[0])),
                                      select(size_class == 1, splat(static_cast<float>(f.credit_months[1])),
                                             splat(static_cast<float>(f.credit_months[2]))));
  const Floats normal_limit = credit_months * normal_revenue;
  GroupPolicies pol{.limit = normal_limit,
                    .interest_paid = debt0 * static_cast<float>(f.interest_rate / 12.0),
                    .may_repay = when(true),
                    .may_fire = when(true)};
  if (policy.any())
    apply_policies(policy, f.interest_rate, d, j, alive, revenue, normal_revenue, wages, n, size_class, debt0,
                   normal_limit, sink, pol);
  Floats debt = debt0 + pol.deferred;
  const Floats costs = wages - pol.subsidy + inputs + fixed_paid + pol.interest_paid;

  // Cash, credit and the last margins.
  Floats cash = cash0 + revenue - costs + pol.grant;
  const Mask negative = cash < 0.0f;
  const Floats draw = min(-cash, max(pol.limit - debt, splat(0.0f)));
  debt = select(negative, debt + draw, debt);
  cash = select(negative, cash + draw, cash);
  const Mask above = cash > target;
  const Floats settled = min(cash - target, arrears0);
  Floats arrears = select(above, arrears0 - settled, arrears0);
  Floats settled_cash = cash - settled;
  const Floats repay = select(pol.may_repay, min(settled_cash - target, debt), splat(0.0f));
  const Floats repaid_debt = debt - repay;
  settled_cash = settled_cash - repay;
  settled_cash = settled_cash - static_cast<float>(f.payout_rate) * (settled_cash - target);
  cash = select(above, settled_cash, cash);
  debt = select(above, repaid_debt, debt);
  const Mask short_of_cash = cash < 0.0f;
  const Mask defers = when(r.deferral) & short_of_cash;
  const Floats defer = min(-cash, max(static_cast<float>(r.arrears_months) * normal_bills - arrears, splat(0.0f)));
  arrears = select(defers, arrears + defer, arrears);
  cash = select(defers, cash + defer, cash);
  const Mask injects = when(r.owner_funds) & (cash < 0.0f);
  const Floats injection = select(injects, min(-cash, owner0), splat(0.0f));
  const Floats owner = owner0 - injection;
  cash = cash + injection;
  const Mask cannot_pay = cash < 0.0f;

  // Failure, closure for good, or exogenous exit.
  const Ints distress = select(short_of_cash, min(distress0 + 1, splat_int(255)), splat_int(0));
  const Floats exo = select(age0 < f.young_age_months, gather(st.exo_young.data(), sector, same),
                            gather(st.exo_old.data(), sector, same));
  const Mask closed_out =
      (cm > 0) & ((cm > r.max_closure_months) | (debt + arrears > static_cast<float>(r.repay_months) * normal_profit));
  const Mask fails = (cannot_pay & (distress >= f.months_to_fail)) | closed_out;
  const Mask exits = alive & (fails | (uniform<24>(load(d.exit_word + j, m)) < exo));
  const Mask stays = alive & ~exits;
  const Ints year_ago = any(exits) ? load(t.employees_year_ago.data() + i, m) : Ints{};  // few firms exit
  sink.count(kCountExitsIlliquid, exits & fails);
  sink.count(kCountExitsOther, exits & ~fails);
  sink.count(kCountExitsClosure, exits & fails & closed_out);
  sink.add(kCountYearAgoOfExits, exits & year_ago);

  // Labour (workers of a closed firm stay on furlough); a wage subsidy with a retention
  // condition forbids firing.
  const Mask adjusts = stays & ~closed;
  const float keep = static_cast<float>(f.utilisation_smoothing);
  const Floats ubar = keep * util0 + (1.0f - keep) * u;
  const Floats desired =
      max(splat(1.0f), nstarf * min(ubar, splat(static_cast<float>(f.max_utilisation)))) + to_floats(contract_workers);
  const Floats band = splat(static_cast<float>(f.labour_band));
  const Mask short_of_work = when(r.hours) & (desired < (1.0f - band) * nf);
  const Ints sm = select(short_of_work, min(sm0 + 1, splat_int(255)), splat_int(0));
  const Floats wanted =
      select(short_of_work & (sm <= r.max_short_hours_months), desired / max(floor_h, desired / nf), desired);
  const Floats round_u = uniform<16>(load(d.round_word + j, m));
  const Mask fires = (wanted < (1.0f - band) * nf) & pol.may_fire;
  const Mask hires = ~fires & (wanted > (1.0f + band) * nf) & (cash >= 0.0f);
  const Floats step = select(fires, min(static_cast<float>(f.max_fire) * nf, nf - wanted),
                             min(max(static_cast<float>(f.max_hire) * nf, splat(1.0f)), wanted - nf));
  const Ints whole = to_ints(step);  // step >= 0: toward zero is floor
  const Ints rounded = whole + ones(round_u < step - to_floats(whole));
  const Ints moved = n + select(fires, -rounded, select(hires, rounded, splat_int(0)));
  const Ints next = select(adjusts, min(max(moved, splat_int(1)), splat_int(65535)), n);
  const Floats nextf = to_floats(next);
  const Floats hours =
      select(adjusts, select(short_of_work, min(max(desired / nextf, floor_h), splat(1.0f)), splat(1.0f)), hours0);
  const Ints year_flags =
      adjusts & ((ones(hours < 1.0f) * FirmTable::kCutHoursYtd) | (ones(next < n) * FirmTable::kLaidOffYtd));
  const Ints flags = select(exits, flags0 & ~FirmTable::kAlive, flags0 | year_flags);
  sink.add(kCountJobsCreated, select(stays, max(next - n, splat_int(0)), splat_int(0)));
  sink.add(kCountJobsDestroyed, select(stays, max(n - next, splat_int(0)), select(exits, n, splat_int(0))));

  // Write back the live firms; every stock below is of the firms that stay.
  store(t.distress.data() + i, select(alive, distress, distress0), m);
  store(t.flags.data() + i, flags, m);
  store(t.closed_months.data() + i, select(alive, cm, cm0), m);
  store(t.closed_months_ytd.data() + i, select(alive, cy, cy0), m);
  store(t.cash.data() + i, select(alive, cash, cash0), m);
  store(t.debt.data() + i, select(alive, debt, debt0), m);
  if (any(alive & ((arrears != arrears0) | (injection != 0.0f)))) {  // few firms
    store(t.arrears.data() + i, select(alive, arrears, arrears0), m);
    store(t.owner_funds.data() + i, select(alive, owner, owner0), m);
  }
  store(t.utilisation.data() + i, select(adjusts, ubar, util0), m);
  store(t.short_months.data() + i, select(adjusts, sm, sm0), m);
  store(t.hours.data() + i, hours, m);
  store(t.employees.data() + i, select(alive, next, employees0), m);
  store(t.capacity.data() + i,
        select(adjusts, capacity0 + static_cast<float>(f.capacity_adjustment) * (nextf - capacity0), capacity0), m);
  const Ints age = select(stays, min(age0 + 1, splat_int(65535)), age0);
  store(t.age.data() + i, age, m);

  // The month's flows and month-end stocks of the firms that stay.
  const auto kept = [stays](Floats x) { return select(stays, x, splat(0.0f)); };
  sink.add(kAmountRevenue, select(alive, revenue, splat(0.0f)));
  sink.add(kAmountWageBill, select(alive, wages, splat(0.0f)));
  sink.add(kAmountContractRevenue, select(alive, payment, splat(0.0f)));
  if (policy.any()) {
    sink.add(kAmountWageSubsidy, select(alive, pol.subsidy, splat(0.0f)));
    sink.add(kAmountGrants, select(alive, pol.grant, splat(0.0f)));
    sink.add(kAmountInterestDeferred, select(alive, pol.deferred, splat(0.0f)));
    const Floats guaranteed = max(debt - normal_limit, splat(0.0f));
    sink.add(kAmountGuaranteed, kept(select(pol.guaranteed, guaranteed, splat(0.0f))));
  }
  sink.add(kAmountOwnerInjections, select(alive, injection, splat(0.0f)));
  sink.count(kCountDistressed, stays & short_of_cash);
  sink.add(kAmountRevenueDrop, kept(1.0f - revenue / normal_revenue));
  add_group_stocks(sink, stays, load(t.uid.data() + i, m) < in.cohort_end, age, next, cash, debt, arrears, cm, hours,
                   flags, cy);
}

SMESIM_LANES void pass_body(FirmTable& t, const KernelInput& in, const PassSectors& st, std::size_t first,
                            std::size_t n, const ChunkDraws& d, BlockLanes& sums) {
  for (std::size_t j = 0; j < n; j += kLanes)
    step_group(t, in, st, first + j, j, static_cast<int>(std::min<std::size_t>(kLanes, n - j)), d, sums);
}

void pass_x86_64(FirmTable& t, const KernelInput& in, const PassSectors& st, std::size_t first, std::size_t n,
                 const ChunkDraws& d, BlockLanes& sums) {
  pass_body(t, in, st, first, n, d, sums);
}

__attribute__((target("avx2"))) void pass_avx2(FirmTable& t, const KernelInput& in, const PassSectors& st,
                                               std::size_t first, std::size_t n, const ChunkDraws& d,
                                               BlockLanes& sums) {
  pass_body(t, in, st, first, n, d, sums);
}

}  // namespace

PassSectors::PassSectors(const KernelInput& in) {
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

void BlockLanes::add_to(CityTotals& out) const {
  for (std::size_t k = 0; k < slots_.size(); ++k) {
    CellTotals& cell = out[cells_[k]];
    const CellLanes& s = slots_[k];
    for (int l = 0; l < kLanes; ++l) {
      cell.active += s.count[kCountActive][l];
      cell.initial_alive += s.count[kCountInitialAlive][l];
      for (int y = 0; y < kSurvivalYears; ++y) cell.aged_years[y] += s.count[kCountAged + y][l];
      cell.employment += s.count[kCountEmployment][l];
      cell.closed += s.count[kCountClosed][l];
      cell.short_hours += s.count[kCountShortHours][l];
      cell.cut_hours_ytd += s.count[kCountCutHoursYtd][l];
      cell.laid_off_ytd += s.count[kCountLaidOffYtd][l];
      cell.closed_ytd += s.count[kCountClosedYtd][l];
      cell.closed_long_ytd += s.count[kCountClosedLongYtd][l];
      cell.adjusted_ytd += s.count[kCountAdjustedYtd][l];
      cell.distressed += s.count[kCountDistressed][l];
      cell.exits_illiquid += s.count[kCountExitsIlliquid][l];
      cell.exits_other += s.count[kCountExitsOther][l];
      cell.exits_closure += s.count[kCountExitsClosure][l];
      cell.jobs_created += s.count[kCountJobsCreated][l];
      cell.jobs_destroyed += s.count[kCountJobsDestroyed][l];
      cell.year_ago_of_exits += s.count[kCountYearAgoOfExits][l];
      cell.employment_fte += s.amount[kAmountFte][l];
      cell.revenue += s.amount[kAmountRevenue][l];
      cell.wage_bill += s.amount[kAmountWageBill][l];
      cell.cash += s.amount[kAmountCash][l];
      cell.debt += s.amount[kAmountDebt][l];
      cell.arrears += s.amount[kAmountArrears][l];
      cell.owner_injections += s.amount[kAmountOwnerInjections][l];
      cell.revenue_drop += s.amount[kAmountRevenueDrop][l];
      cell.contract_revenue += s.amount[kAmountContractRevenue][l];
      cell.policy.wage_subsidy += s.amount[kAmountWageSubsidy][l];
      cell.policy.grants += s.amount[kAmountGrants][l];
      cell.policy.guaranteed_credit += s.amount[kAmountGuaranteed][l];
      cell.policy.interest_deferred += s.amount[kAmountInterestDeferred][l];
      cell.policy.firms_supported += s.amount[kAmountFirmsSupported][l];
      cell.policy.firms_not_reached += s.amount[kAmountFirmsNotReached][l];
    }
  }
}

void add_stocks(const FirmTable& t, const SizeClassBounds& bounds, std::uint32_t initial_firms, std::size_t begin,
                std::size_t end, CityTotals& totals) {
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

void pass_chunk(FirmTable& t, const KernelInput& in, const PassSectors& sectors, std::size_t first, std::size_t n,
                const ChunkDraws& d, BlockLanes& sums) {
  if (kernel_has_avx2() && !in.portable_draws)
    pass_avx2(t, in, sectors, first, n, d, sums);
  else
    pass_x86_64(t, in, sectors, first, n, d, sums);
}

}  // namespace smesim
