// MODEL.md step 6: a city's resilience programme: funding, technical assistance,
// procurement calls, contracts, payments, defaults and resilience gains.
#include "smesim/model/programme.hpp"

#include <algorithm>
#include <cmath>

#include "smesim/model/population.hpp"

namespace smesim {
namespace {

struct Bid {
  double score;
  std::uint32_t uid;
  std::size_t position;
};

bool eligible_sector(const Project& p, int sector) {
  return std::find(p.sector_index.begin(), p.sector_index.end(), sector) != p.sector_index.end();
}

}  // namespace

ProgrammeState::ProgrammeState(const Scenario& sc, int city)
    : scenario_(sc),
      city_(city),
      programme_(sc.cities[city].programme ? &*sc.cities[city].programme : nullptr),
      scale_(sc.simulation.population_scale) {
  if (!programme_) return;
  budget_ = programme_->budget_usd() * scale_;
  grant_share_ = budget_ > 0 ? programme_->grant_usd * scale_ / budget_ : 1.0;
  for (const Project& p : programme_->projects) project_budget_.push_back(budget_ * p.budget_share);
}

const std::vector<ContractMonth>& ProgrammeState::month_plan(int month) {
  plan_.clear();
  for (const Contract& c : contracts_) {
    if (c.ended) continue;
    plan_.push_back({c.uid, c.payment_due(month) ? c.monthly() : 0.0, c.delivering(month) ? c.workers : 0});
  }
  std::sort(plan_.begin(), plan_.end(), [](const ContractMonth& a, const ContractMonth& b) { return a.uid < b.uid; });
  return plan_;
}

ProgrammeMonth ProgrammeState::open_month() const {
  ProgrammeMonth out;
  out.payments_by_sector.assign(scenario_.sectors.size(), 0.0);
  if (programme_) out.budget = budget_;
  return out;
}

void ProgrammeState::pay_and_deliver(int month, FirmTable& table, ProgrammeMonth& out) {
  if (programme_) settle_contracts(month, table, table, out);
}

void ProgrammeState::give_assistance(int month, FirmTable& table, const RandomKey& key, ProgrammeMonth& out) {
  if (!programme_ || month < 0 || programme_->match_mode != MatchMode::kInKind ||
      months_between(scenario_.simulation.start, programme_->start) != month)
    return;
  assist(month, table, key, out);
}

void ProgrammeState::run_calls(int month, FirmTable& table, const CityEconomy& economy, const RandomKey& key,
                               CityTotals& cells, ProgrammeMonth& out) {
  if (!programme_ || month < 0) return;
  for (std::size_t p = 0; p < programme_->projects.size(); ++p)
    if (months_between(scenario_.simulation.start, programme_->projects[p].call) == month)
      run_call(month, static_cast<int>(p), table, economy, key, cells, out);
}

void ProgrammeState::close_month(ProgrammeMonth& out) const {
  if (!programme_) return;
  for (const Contract& c : contracts_) out.contracts_active += !c.ended;
  out.smes_contracted = static_cast<std::int64_t>(contracted_.size());
  out.smes_assisted = assisted_;
  out.grant_spent = out.value_paid * grant_share_;
  out.city_cash_spent = out.value_paid - out.grant_spent;
}

void ProgrammeState::settle_contracts(int month, const FirmTable& table, FirmTable& writable, ProgrammeMonth& out) {
  for (Contract& c : contracts_) {
    if (c.ended) continue;
    const std::size_t i = table.find(c.uid);
    const bool alive = i < table.size() && table.alive(i);
    double paid = 0;
    if (c.payment_due(month)) {  // the kernel paid it this month, before any exit
      ++c.payments_made;
      paid += c.monthly();
    }
    if (alive && c.delivering(month)) ++c.months_delivered;
    if (alive && table.distress[i] > 0) ++c.months_distressed;
    const double delivered = static_cast<double>(c.months_delivered) / c.duration;
    if (!alive) {
      // The work delivered is paid for (to the estate); the rest is defaulted.
      paid += std::max(0.0, c.value * delivered - (c.paid + paid));
      c.defaulted = c.value * (1.0 - delivered);
      out.value_defaulted += c.defaulted;
      c.ended = true;
    } else if (c.payments_made == c.duration) {
      c.ended = true;
    }
    c.paid += paid;
    out.value_paid += paid;
    out.payments_by_sector[c.sector] += paid;
    if (c.ended) {
      out.resilience_gain +=
          programme_->projects[c.project].resilience_gain * c.value * delivered / project_budget_[c.project];
      if (i < table.size()) writable.flags[i] &= static_cast<std::uint8_t>(~FirmTable::kHasContract);
    }
  }
}

void ProgrammeState::assist(int month, FirmTable& table, const RandomKey& key, ProgrammeMonth& out) {
  const double value = programme_->match_ratio * programme_->grant_usd * scale_;
  const auto places = static_cast<std::size_t>(std::floor(value / programme_->ta_cost_per_sme));
  // Eligible: live SMEs in a sector some project buys from. Ranked by a keyed draw.
  std::vector<std::pair<std::uint32_t, std::size_t>> ranked;  // (draw, position)
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (!table.alive(i)) continue;
    bool eligible = false;
    for (const Project& p : programme_->projects) eligible = eligible || eligible_sector(p, table.sector[i]);
    if (!eligible) continue;
    const Words w =
        key.words({table.uid[i], month, static_cast<std::uint32_t>(city_), Purpose::kTechnicalAssistance, 0});
    ranked.emplace_back(w[0], i);
  }
  const std::size_t given = std::min(places, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(given), ranked.end(),
                    [&](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first < b.first : table.uid[a.second] < table.uid[b.second];
                    });
  for (std::size_t r = 0; r < given; ++r) {
    const std::size_t i = ranked[r].second;
    table.set_capability(i, table.capability_of(i) + scenario_.procurement.ta_capability_gain);
    table.flags[i] |= FirmTable::kAssisted;
  }
  assisted_ += static_cast<std::int64_t>(given);
  out.in_kind_value_used += static_cast<double>(given) * programme_->ta_cost_per_sme;
}

void ProgrammeState::run_call(int month, int project, FirmTable& t, const CityEconomy& economy, const RandomKey& key,
                              CityTotals& cells, ProgrammeMonth& out) {
  const Project& p = programme_->projects[project];
  const ProcurementSettings& rules = scenario_.procurement;
  const CityProcurement& local = scenario_.cities[city_].procurement;
  const double barrier = local.barrier - (local.reform ? rules.reform_barrier_cut : 0.0);
  // Lots are real contract sizes: a share of the unscaled budget. A scaled run then
  // awards fewer contracts of the real size, not the same number of tiny ones.
  const double lot = project_budget_[project] / scale_ *
                     (local.reform ? std::min(p.max_award_share, rules.reform_max_award_share) : p.max_award_share);
  const int delay = local.reform ? std::min(local.payment_delay_months, rules.reform_payment_delay_months)
                                 : local.payment_delay_months;
  // Bids: every eligible SME decides by a keyed draw; scores are capability plus noise.
  std::vector<Bid> bids;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!t.alive(i) || t.closed_months[i] > 0 || (t.flags[i] & FirmTable::kHasContract) ||
        t.employees[i] < p.min_employees || !eligible_sector(p, t.sector[i]))
      continue;
    Stream draws(key, {t.uid[i], month, static_cast<std::uint32_t>(city_), Purpose::kBid,
                       static_cast<std::uint32_t>(project) << 16});
    const double cut = t.flags[i] & FirmTable::kAssisted ? rules.ta_barrier_cut : 0.0;
    const double x = rules.bid_intercept + rules.bid_capability * t.capability_of(i) +
                     rules.bid_size * std::log(static_cast<double>(t.employees[i])) - (barrier - cut);
    const double u = draws.uniform();
    const double noise = draws.normal();
    if (u < 1.0 / (1.0 + std::exp(-x)))
      bids.push_back({t.capability_of(i) + local.evaluation_noise * noise, t.uid[i], i});
  }
  out.bids += static_cast<std::int64_t>(bids.size());
  std::sort(bids.begin(), bids.end(),
            [](const Bid& a, const Bid& b) { return a.score != b.score ? a.score > b.score : a.uid < b.uid; });
  double remaining = project_budget_[project];
  for (const Bid& b : bids) {
    if (remaining <= 0) break;
    const std::size_t i = b.position;
    const double revenue_capacity = economy.sectors[t.sector[i]].revenue_capacity(t.productivity[i]);
    const double capacity = rules.capacity_cap * t.normal_size[i] * revenue_capacity * p.duration_months;
    const double value = std::min({lot, capacity, remaining});
    Contract c;
    c.project = project, c.uid = b.uid, c.sector = t.sector[i];
    c.size_class = size_class_of(scenario_.size_classes, t.normal_size[i]);
    c.value = value, c.duration = p.duration_months, c.award_month = month, c.delay = delay;
    c.workers = static_cast<int>(std::lround(c.monthly() / revenue_capacity));
    const int hired = std::min(c.workers, 65535 - static_cast<int>(t.employees[i]));
    t.employees[i] = static_cast<std::uint16_t>(t.employees[i] + hired);
    CellTotals& cell = cells[c.sector * kSizeClasses + c.size_class];
    cell.jobs_created += hired;
    cell.employment += hired;
    t.flags[i] |= FirmTable::kHasContract;
    contracts_.push_back(c);
    const auto at = std::lower_bound(contracted_.begin(), contracted_.end(), b.uid);
    if (at == contracted_.end() || *at != b.uid) contracted_.insert(at, b.uid);
    remaining -= value;
    out.awards += 1;
    out.value_awarded += value;
  }
}

}  // namespace smesim
