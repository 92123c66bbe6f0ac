// MODEL.md "Initialisation" and the entrants of step 4: drawing new firms.
#include "smesim/model/population.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "smesim/core/fast_math.hpp"
#include "smesim/model/firm_kernel.hpp"

namespace smesim {
namespace {

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

/// Words of the first blocks of a chunk of new firms' streams: by block, word and firm;
/// and the capability stream's second block (its Beta's first tries take six words).
constexpr std::size_t kSynthesisChunk = 256;
struct ChunkWords {
  using BlockWords = std::uint32_t[4][kSynthesisChunk];
  BlockWords w[kBlocks];
  BlockWords capability_next;
};

/// The first block of each of a new firm's streams: firm j of a chunk's words, read a
/// block at a time where a stream starts (a copy of every block for every firm was
/// written word by word and read back whole, which stalls store forwarding).
struct Blocks {
  const ChunkWords& words;
  std::size_t j;
  Words operator[](int k) const { return {word(k, 0), word(k, 1), word(k, 2), word(k, 3)}; }
  std::uint32_t word(int k, int i) const { return words.w[k][i][j]; }
};

/// Blocks [from, to) of the firms uid[0 .. n) (n <= kSynthesisChunk), and the
/// capability's second block with its first, by the Philox build of `isa` (the same bits
/// in every build).
void chunk_blocks(const RandomKey& key, const CityEconomy& city, const std::uint32_t* uid, std::size_t n, int month,
                  Block from, Block to, Isa isa, ChunkWords& out) {
  const auto philox = [&](Purpose p, std::uint32_t index, ChunkWords::BlockWords& w) {
    key.words_batch(isa, {0, month, static_cast<std::uint32_t>(city.index), p, index}, uid, n, w[0], w[1], w[2], w[3]);
  };
  for (int k = from; k < to; ++k) philox(kFirmPurposes[k], 0, out.w[k]);
  if (from <= kCapabilityBlock && kCapabilityBlock < to) philox(Purpose::kInitCapability, 1, out.capability_next);
}

/// What a new firm draws from its streams' first blocks by continuous transforms (the
/// rest of draw_firm is arithmetic on them), computed for a chunk of firms in a loop that
/// vectorises.
struct FirmNoise {
  float theta;   ///< productivity
  float wage;    ///< the wage's productivity factor
  float buffer;  ///< the cash target's lognormal factor
  float owner;   ///< the owner's funds' lognormal factor
  float z;       ///< the demand state
  float log_u;   ///< log of the age uniform (initial firms)
  double beta;   ///< the capability's Beta where its gammas' first tries decide (beta_first_try), else NaN
};

__attribute__((always_inline)) inline FirmNoise firm_noise(const Scenario& sc, std::uint32_t p0, std::uint32_t p1,
                                                           std::uint32_t p2, std::uint32_t p3, std::uint32_t s0,
                                                           std::uint32_t s1, std::uint32_t s2, std::uint32_t o0,
                                                           std::uint32_t o1) {
  const FirmBehaviour& f = sc.firms;
  const double s_theta = f.productivity_sd;
  const double log_theta = s_theta * static_cast<double>(to_normal(p0, p1)) - 0.5 * s_theta * s_theta;
  FirmNoise x;
  x.theta = fast::exp(static_cast<float>(log_theta));
  x.wage = fast::exp(static_cast<float>(f.wage_productivity_elasticity * log_theta));
  x.buffer = fast::exp(static_cast<float>(f.cash_buffer_sd * static_cast<double>(to_normal(p2, p3))));
  x.z = to_normal(s0, s1);
  x.log_u = fast::log(static_cast<float>(to_unit(s2)));
  x.owner = fast::exp(static_cast<float>(sc.responses.owner_funds_sd * static_cast<double>(to_normal(o0, o1))));
  x.beta = std::numeric_limits<double>::quiet_NaN();
  return x;
}

/// firm_noise of the chunk's firms [0, n), with their Beta's first tries (where a and b
/// are at least 1), in loops that vectorise: compiled for x86-64, AVX2 and AVX-512, the
/// same bits (IEEE float and double, no contraction).
__attribute__((always_inline)) inline void chunk_noise_body(const Scenario& sc, const ChunkWords& c, std::size_t n,
                                                            FirmNoise* out) {
  const auto& p = c.w[kProductivityBlock];
  const auto& s = c.w[kStateBlock];
  const auto& o = c.w[kOwnerBlock];
  for (std::size_t j = 0; j < n; ++j)
    out[j] = firm_noise(sc, p[0][j], p[1][j], p[2][j], p[3][j], s[0][j], s[1][j], s[2][j], o[0][j], o[1][j]);
  const double a = sc.firms.capability_beta_a, b = sc.firms.capability_beta_b;
  if (a < 1.0 || b < 1.0) return;
  const GammaShape ga(a), gb(b);
  const auto& k = c.w[kCapabilityBlock];
  const auto& k1 = c.capability_next;
  double beta[kSynthesisChunk];
  for (std::size_t j = 0; j < n; ++j)
    beta[j] = beta_first_try(ga, gb, k[0][j], k[1][j], k[2][j], k[3][j], k1[0][j], k1[1][j]);
  for (std::size_t j = 0; j < n; ++j) out[j].beta = beta[j];
}
void chunk_noise_x86_64(const Scenario& sc, const ChunkWords& c, std::size_t n, FirmNoise* out) {
  chunk_noise_body(sc, c, n, out);
}
__attribute__((target("avx2"))) void chunk_noise_avx2(const Scenario& sc, const ChunkWords& c, std::size_t n,
                                                      FirmNoise* out) {
  chunk_noise_body(sc, c, n, out);
}
__attribute__((target(SMESIM_TARGET_AVX512_WIDE))) void chunk_noise_avx512(const Scenario& sc, const ChunkWords& c,
                                                                           std::size_t n, FirmNoise* out) {
  chunk_noise_body(sc, c, n, out);
}

/// Calls f(b, blocks, noise) for the new firms b = 0 .. n - 1, uid uid_of(b), born in
/// `month`, in parallel, with their blocks [from, to) drawn a chunk at a time, and their
/// noise when the blocks reach the last (else the noise is left zero). Every draw is
/// keyed by the uid: the same bits however firms are split into chunks and tasks, and in
/// every build up to `isa`.
template <class UidOf, class F>
void for_each_new_firm(const RandomKey& key, const Scenario& sc, const CityEconomy& city, UidOf uid_of, std::uint32_t n,
                       int month, Block from, Block to, Isa isa, F&& f) {
  const bool noise = from <= kProductivityBlock && to == kBlocks;
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 4 * kSynthesisChunk), [&](const auto& r) {
    ChunkWords words;
    FirmNoise noises[kSynthesisChunk]{};
    std::uint32_t uid[kSynthesisChunk];
    for (std::uint32_t first = r.begin(); first < r.end(); first += kSynthesisChunk) {
      const std::size_t m = std::min<std::size_t>(kSynthesisChunk, r.end() - first);
      for (std::size_t j = 0; j < m; ++j) uid[j] = uid_of(first + static_cast<std::uint32_t>(j));
      chunk_blocks(key, city, uid, m, month, from, to, isa, words);
      if (noise && isa >= Isa::kAvx512)
        chunk_noise_avx512(sc, words, m, noises);
      else if (noise && isa >= Isa::kAvx2)
        chunk_noise_avx2(sc, words, m, noises);
      else if (noise)
        chunk_noise_x86_64(sc, words, m, noises);
      for (std::size_t j = 0; j < m; ++j) f(first + static_cast<std::uint32_t>(j), Blocks{words, j}, noises[j]);
    }
  });
}

/// Draws everything but sector and size for the firm at position i, from its blocks and
/// their noise. `employees` is the starting size; cash starts at `cash_months` of costs
/// (at the drawn target if negative).
void draw_firm(FirmTable& t, std::size_t i, const Scenario& sc, const CityEconomy& city, const RandomKey& key,
               int month, const Blocks& blocks, const FirmNoise& x, int sector, int normal_size, int employees,
               double cash_months) {
  const FirmBehaviour& f = sc.firms;
  const SectorConstants& k = city.sectors[sector];
  const std::uint32_t uid = t.uid[i];
  const double theta = x.theta;
  const double wage = k.wage * x.wage;
  const double rev_cap = k.revenue_capacity(theta);
  const double monthly_costs = normal_size * (wage + rev_cap * (k.input_share + k.fixed_cost_share));
  const double target = k.buffer_months * monthly_costs * x.buffer;
  double beta = x.beta;
  if (std::isnan(beta)) {  // the first tries did not decide
    Stream capability_draws = stream(key, city, uid, month, Purpose::kInitCapability, blocks[kCapabilityBlock]);
    beta = beta_draw(capability_draws, f.capability_beta_a, f.capability_beta_b);
  }
  const double capability = beta + f.capability_size_slope * fast::log(static_cast<float>(employees));
  const double owner_funds = sc.responses.owner_funds_months * monthly_costs * x.owner;  // median: owner_funds_months

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
  t.demand_state[i] = x.z;
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
    t.age[i] = static_cast<std::uint16_t>(clamp_u16(std::floor(x.log_u / k.log_survival)));
  } else {
    t.age[i] = 0;
  }
}

/// Sector (if `sector` < 0), then size class and normal size, from the firm's own streams
/// (their first words: the sector stream's first, the size stream's first two).
std::pair<int, int> draw_sector_and_size(const CityEconomy& city, const Blocks& blocks, int sector) {
  if (sector < 0) sector = pick(city.sector_cdf, to_unit(blocks.word(kSectorBlock, 0)));
  const int size_class = pick(city.size_cdf, to_unit(blocks.word(kSizeBlock, 0)));
  return {sector, city.sizes.draw(size_class, to_unit(blocks.word(kSizeBlock, 1)))};
}

}  // namespace

void synthesise_population(FirmTable& table, const Scenario& sc, const CityEconomy& city, const RandomKey& key,
                           Isa isa) {
  const std::uint32_t n = city.initial_firms;
  const int month = -sc.simulation.burn_in_months - 1;  // initial firms are "born" before burn-in
  // Every firm's sector and size first, so that the rest is drawn straight into the
  // firm's place in cell-major order (a stable counting sort by cell: uid order within
  // a cell), instead of sorting every array afterwards.
  std::vector<std::uint8_t> sector(n);
  std::vector<std::uint16_t> size(n);
  const auto same = [](std::uint32_t uid) { return uid; };
  for_each_new_firm(key, sc, city, same, n, month, kSectorBlock, kProductivityBlock, isa,
                    [&](std::uint32_t uid, const Blocks& blocks, const FirmNoise&) {
                      const auto [s, z] = draw_sector_and_size(city, blocks, -1);
                      sector[uid] = static_cast<std::uint8_t>(s), size[uid] = static_cast<std::uint16_t>(z);
                    });
  std::vector<std::size_t> next(sc.sectors.size() * kSizeClasses + 1, 0);
  const auto cell = [&](std::uint32_t uid) {
    return sector[uid] * kSizeClasses + size_class_of(sc.size_classes, size[uid]);
  };
  for (std::uint32_t uid = 0; uid < n; ++uid) ++next[cell(uid) + 1];
  for (std::size_t c = 1; c < next.size(); ++c) next[c] += next[c - 1];
  table.resize(n);
  for (std::uint32_t uid = 0; uid < n; ++uid) table.uid[next[cell(uid)]++] = uid;
  // Drawn in position order, so that every array is written in order.
  const auto uid_at = [&table](std::uint32_t i) { return table.uid[i]; };
  for_each_new_firm(key, sc, city, uid_at, n, month, kProductivityBlock, kBlocks, isa,
                    [&](std::uint32_t i, const Blocks& blocks, const FirmNoise& noise) {
                      const std::uint32_t uid = table.uid[i];
                      draw_firm(table, i, sc, city, key, month, blocks, noise, sector[uid], size[uid], size[uid], -1.0);
                    });
  table.compact(sc.size_classes);  // nothing to move: marks the cells' runs
}

void draw_entrants(FirmTable& table, std::size_t first, const Scenario& sc, const CityEconomy& city,
                   const RandomKey& key, std::uint32_t first_uid, int month, const std::vector<std::size_t>& births_end,
                   Isa isa) {
  const auto n = static_cast<std::uint32_t>(births_end.empty() ? 0 : births_end.back());
  for_each_new_firm(
      key, sc, city, [first_uid](std::uint32_t b) { return first_uid + b; }, n, month, kSizeBlock, kBlocks, isa,
      [&](std::uint32_t b, const Blocks& blocks, const FirmNoise& noise) {
        const auto sector = static_cast<int>(std::upper_bound(births_end.begin(), births_end.end(), std::size_t{b}) -
                                             births_end.begin());
        const std::size_t i = first + b;
        const std::uint32_t uid = first_uid + b;
        table.uid[i] = uid;
        const int size = draw_sector_and_size(city, blocks, sector).second;
        const int start = std::max(1, static_cast<int>(std::ceil(sc.firms.entrant_start * size)));
        draw_firm(table, i, sc, city, key, month, blocks, noise, sector, size, start, sc.firms.entrant_cash_months);
      });
}

}  // namespace smesim
