// MODEL.md "Initialisation" and the entrants of step 4: drawing new firms.
#include "smesim/model/population.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "smesim/core/fast_math.hpp"
#include "smesim/model/firm_kernel.hpp"

namespace smesim {
namespace {

int pick(const std::vector<double>& cdf, double u) {
  const auto it = std::lower_bound(cdf.begin(), cdf.end(), u);
  return static_cast<int>(std::min<std::ptrdiff_t>(it - cdf.begin(), cdf.size() - 1));
}

float clamp_u16(double x) { return static_cast<float>(std::clamp(x, 0.0, 65535.0)); }

/// The draws of firm `uid` born in `month` for one purpose, from the stream's first
/// block `first`. Each purpose has its own stream, so a distribution that consumes a
/// varying number of words (the Beta) never shifts another draw.
Stream stream(const RandomKey& key, const CityEconomy& city, std::uint32_t uid, int month, Purpose p,
              const Words& first) {
  return Stream(key, {uid, month, static_cast<std::uint32_t>(city.index), p, 0}, first);
}

/// The purposes of a new firm's streams, in the order of Blocks' entries.
constexpr Purpose kFirmPurposes[] = {Purpose::kInitSector,     Purpose::kInitSize,  Purpose::kInitProductivity,
                                     Purpose::kInitCapability, Purpose::kInitState, Purpose::kInitOwner};
enum Block { kSectorBlock, kSizeBlock, kProductivityBlock, kCapabilityBlock, kStateBlock, kOwnerBlock, kBlocks };

/// The first block of each of a new firm's streams.
using Blocks = std::array<Words, kBlocks>;

/// The first blocks of entrant `uid`, one Philox call each (no sector block: an
/// entrant's sector is given).
Blocks entrant_blocks(const RandomKey& key, const CityEconomy& city, std::uint32_t uid, int month) {
  Blocks b{};
  for (int k = kSizeBlock; k < kBlocks; ++k)
    b[k] = key.words({uid, month, static_cast<std::uint32_t>(city.index), kFirmPurposes[k], 0});
  return b;
}

/// Blocks [from, to) of the firms uid0 .. uid0 + n - 1 (n <= kSynthesisChunk): eight
/// counters at a time where the CPU has AVX2, with the same bits.
constexpr std::size_t kSynthesisChunk = 256;
void chunk_blocks(const RandomKey& key, const CityEconomy& city, std::uint32_t uid0, std::size_t n, int month,
                  Block from, Block to, Blocks* out) {
  const auto city_index = static_cast<std::uint32_t>(city.index);
  std::uint32_t uid[kSynthesisChunk], w[4][kSynthesisChunk];
  for (std::size_t j = 0; j < n; ++j) uid[j] = uid0 + static_cast<std::uint32_t>(j);
  for (int k = from; k < to; ++k) {
    const Counter c{0, month, city_index, kFirmPurposes[k], 0};
    if (kernel_has_avx2()) {
      key.words_avx2(c, uid, n, w[0], w[1], w[2], w[3]);
      for (std::size_t j = 0; j < n; ++j) out[j][k] = {w[0][j], w[1][j], w[2][j], w[3][j]};
    } else {
      for (std::size_t j = 0; j < n; ++j) out[j][k] = key.words({uid[j], month, city_index, c.purpose, 0});
    }
  }
}

/// Calls f(uid, blocks) for the initial firms 0 .. n - 1 in parallel, with their blocks
/// [from, to) drawn a chunk at a time.
template <class F>
void for_each_initial_firm(const RandomKey& key, const CityEconomy& city, std::uint32_t n, int month, Block from,
                           Block to, F&& f) {
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 4096), [&](const auto& r) {
    Blocks blocks[kSynthesisChunk];
    for (std::uint32_t first = r.begin(); first < r.end(); first += kSynthesisChunk) {
      const std::size_t m = std::min<std::size_t>(kSynthesisChunk, r.end() - first);
      chunk_blocks(key, city, first, m, month, from, to, blocks);
      for (std::size_t j = 0; j < m; ++j) f(first + static_cast<std::uint32_t>(j), blocks[j]);
    }
  });
}

/// Draws everything but sector and size for the firm at position i. `employees` is the
/// starting size; cash starts at `cash_months` of costs (at the drawn target if negative).
void draw_firm(FirmTable& t, std::size_t i, const Scenario& sc, const CityEconomy& city, const RandomKey& key,
               int month, const Blocks& blocks, int sector, int normal_size, int employees, double cash_months) {
  const FirmBehaviour& f = sc.firms;
  const SectorConstants& k = city.sectors[sector];
  const std::uint32_t uid = t.uid[i];
  Stream productivity = stream(key, city, uid, month, Purpose::kInitProductivity, blocks[kProductivityBlock]);
  const double s_theta = f.productivity_sd;
  const double log_theta = s_theta * productivity.normal() - 0.5 * s_theta * s_theta;
  const double theta = fast::exp(static_cast<float>(log_theta));
  const double wage = k.wage * fast::exp(static_cast<float>(f.wage_productivity_elasticity * log_theta));
  const double rev_cap = k.revenue_capacity(theta);
  const double monthly_costs = normal_size * (wage + rev_cap * (k.input_share + k.fixed_cost_share));
  const double target =
      k.buffer_months * monthly_costs * fast::exp(static_cast<float>(f.cash_buffer_sd * productivity.normal()));
  Stream capability_draws = stream(key, city, uid, month, Purpose::kInitCapability, blocks[kCapabilityBlock]);
  const double capability = beta_draw(capability_draws, f.capability_beta_a, f.capability_beta_b) +
                            f.capability_size_slope * fast::log(static_cast<float>(employees));
  Stream state = stream(key, city, uid, month, Purpose::kInitState, blocks[kStateBlock]);
  Stream owner = stream(key, city, uid, month, Purpose::kInitOwner, blocks[kOwnerBlock]);
  const double owner_funds =
      sc.responses.owner_funds_months * monthly_costs *
      fast::exp(static_cast<float>(sc.responses.owner_funds_sd * owner.normal()));  // median: owner_funds_months

  t.sector[i] = static_cast<std::uint8_t>(sector);
  t.distress[i] = 0;
  t.flags[i] = FirmTable::kAlive;
  t.closed_months[i] = 0;
  t.short_months[i] = 0;
  t.closed_months_ytd[i] = 0;
  t.normal_size[i] = static_cast<std::uint16_t>(normal_size);
  t.employees[i] = static_cast<std::uint16_t>(employees);
  t.employees_year_ago[i] = 0;
  t.capacity[i] = static_cast<float>(employees);
  t.productivity[i] = static_cast<float>(theta);
  t.wage[i] = static_cast<float>(wage);
  t.demand_state[i] = static_cast<float>(state.normal());
  t.utilisation[i] = 1.0f;
  t.set_capability(i, capability);
  t.cash_target[i] = static_cast<float>(target);
  t.hours[i] = 1.0f;
  t.owner_funds[i] = static_cast<float>(owner_funds);
  t.cash[i] = static_cast<float>(cash_months < 0 ? target : cash_months * employees / normal_size * monthly_costs);
  t.debt[i] = 0.0f;
  t.arrears[i] = 0.0f;
  if (cash_months < 0) {
    // Initial firms: age from the stationary distribution implied by the exit hazard.
    const double h = k.exit_hazard;
    t.age[i] = static_cast<std::uint16_t>(
        clamp_u16(std::floor(fast::log(static_cast<float>(state.uniform())) / std::log1p(-h))));
  } else {
    t.age[i] = 0;
  }
}

/// Sector (if `sector` < 0), then size class and normal size, from the firm's own streams.
std::pair<int, int> draw_sector_and_size(const CityEconomy& city, const RandomKey& key, std::uint32_t uid, int month,
                                         const Blocks& blocks, int sector) {
  Stream sector_draw = stream(key, city, uid, month, Purpose::kInitSector, blocks[kSectorBlock]);
  if (sector < 0) sector = pick(city.sector_cdf, sector_draw.uniform());
  Stream size_draw = stream(key, city, uid, month, Purpose::kInitSize, blocks[kSizeBlock]);
  const int size_class = pick(city.size_cdf, size_draw.uniform());
  return {sector, city.sizes.draw(size_class, size_draw.uniform())};
}

}  // namespace

void synthesise_population(FirmTable& table, const Scenario& sc, const CityEconomy& city, const RandomKey& key) {
  const std::uint32_t n = city.initial_firms;
  const int month = -sc.simulation.burn_in_months - 1;  // initial firms are "born" before burn-in
  // Every firm's sector and size first, so that the rest is drawn straight into the
  // firm's place in cell-major order (a stable counting sort by cell: uid order within
  // a cell), instead of sorting every array afterwards.
  std::vector<std::uint8_t> sector(n);
  std::vector<std::uint16_t> size(n);
  for_each_initial_firm(key, city, n, month, kSectorBlock, kProductivityBlock,
                        [&](std::uint32_t uid, const Blocks& blocks) {
                          const auto [s, z] = draw_sector_and_size(city, key, uid, month, blocks, -1);
                          sector[uid] = static_cast<std::uint8_t>(s), size[uid] = static_cast<std::uint16_t>(z);
                        });
  std::vector<std::size_t> next(sc.sectors.size() * kSizeClasses + 1, 0);
  const auto cell = [&](std::uint32_t uid) {
    return sector[uid] * kSizeClasses + size_class_of(sc.size_classes, size[uid]);
  };
  for (std::uint32_t uid = 0; uid < n; ++uid) ++next[cell(uid) + 1];
  for (std::size_t c = 1; c < next.size(); ++c) next[c] += next[c - 1];
  std::vector<std::uint32_t> position(n);
  for (std::uint32_t uid = 0; uid < n; ++uid) position[uid] = static_cast<std::uint32_t>(next[cell(uid)]++);
  table.resize(n);
  for_each_initial_firm(key, city, n, month, kProductivityBlock, kBlocks, [&](std::uint32_t uid, const Blocks& blocks) {
    const std::size_t i = position[uid];
    table.uid[i] = uid;
    draw_firm(table, i, sc, city, key, month, blocks, sector[uid], size[uid], size[uid], -1.0);
  });
  table.compact(sc.size_classes);  // nothing to move: marks the cells' runs
}

void draw_entrant(FirmTable& table, std::size_t i, const Scenario& sc, const CityEconomy& city, const RandomKey& key,
                  std::uint32_t uid, int sector, int month) {
  table.uid[i] = uid;
  const Blocks blocks = entrant_blocks(key, city, uid, month);
  const int size = draw_sector_and_size(city, key, uid, month, blocks, sector).second;
  const int start = std::max(1, static_cast<int>(std::ceil(sc.firms.entrant_start * size)));
  draw_firm(table, i, sc, city, key, month, blocks, sector, size, start, sc.firms.entrant_cash_months);
}

}  // namespace smesim
