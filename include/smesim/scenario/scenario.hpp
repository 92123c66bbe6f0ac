// The scenario: every model input, parsed and validated once, then immutable.
//
// Each parameter struct lists its fields once, in `fields(v)`: the TOML reader, the
// resolved-scenario writer, set_key() and the key reference (docs/SCENARIOS.md, made by
// `smesim reference scenarios`) all walk that list, so a key, its default (the member
// initialiser), its range, its meaning and its unit live in one place. The last argument
// of each call is the meaning, or {meaning, unit} or {meaning, unit, default in words}.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smesim/core/calendar.hpp"
#include "smesim/scenario/economy.hpp"
#include "smesim/scenario/policy.hpp"
#include "smesim/scenario/programme.hpp"
#include "smesim/scenario/responses.hpp"

namespace smesim {

/// Number of firm size classes (micro, small, medium).
inline constexpr int kSizeClasses = 3;
/// Names of the size classes, as used in scenario keys and output labels.
inline constexpr std::array<const char*, kSizeClasses> kSizeClassNames = {"micro", "small", "medium"};
/// Most cities one scenario may hold.
inline constexpr int kMaxCities = 8;
/// Most sectors one scenario may hold.
inline constexpr int kMaxSectors = 32;

/// Run settings: calendar, replications, seed and which cities take part. Section [simulation].
struct SimulationSettings {
  /// Month 0 of the reported period. Key `start`, "YYYY-MM", default "2020-01".
  YearMonth start{2020, 1};
  /// Months reported. Key `months`, 1..1200, default 60.
  int months = 60;
  /// Months simulated before month 0 without shocks or output. Key `burn_in_months`, 0..600, default 36.
  int burn_in_months = 36;
  /// Seed of every random stream. Key `seed`, 0..4294967295, default 1.
  std::int64_t seed = 1;
  /// Monte Carlo replications. Key `replications`, 1..1000000, default 10.
  int replications = 10;
  /// Share of each city's SMEs simulated; outputs are scaled back to the city. Key `population_scale`, (0, 1],
  /// default 1.
  double population_scale = 1.0;
  /// City ids (keys of [cities.*]) in output order. Key `cities`, 1 to 8 ids, required.
  std::vector<std::string> cities;
  /// Sector names (keys of [sectors.*]) in output order. Key `sectors`, default the 8 calibration sectors.
  std::vector<std::string> sectors;

  /// Months of the firm snapshots written with --output firms. Key `firm_snapshot_months`, default: the first and last
  /// month.
  std::vector<YearMonth> firm_snapshot_months;

  template <class V>
  void fields(V& v) {
    v.month("start", start, {"month 0, the first reported month"});
    v.integer("months", months, 1, 1200, {"months reported", "months"});
    v.integer("burn_in_months", burn_in_months, 0, 600,
              {"months simulated before `start` without shocks, policies, programme and output, so that "
               "entry, exit and selection settle",
               "months"});
    v.integer("seed", seed, 0, 4294967295LL, {"seed of every random stream"});
    v.integer("replications", replications, 1, 1000000, {"Monte Carlo replications"});
    v.number("population_scale", population_scale, 1e-9, 1.0,
             {"share of each city's SMEs that is simulated; every count and amount in the output is "
              "divided by it, so results describe whole cities. Programme amounts given as city totals "
              "are multiplied by it inside the run (lots are not: `max_award_share`)",
              "share"});
    v.months("firm_snapshot_months", firm_snapshot_months,
             {"months at whose end every firm is recorded when the run is written with `--output firms` "
              "(docs/OUTPUT.md, `firms/` group); order and repeats do not matter, and months outside the "
              "reported period give no records",
              nullptr, "the first and the last reported month"});
  }
};

/// Size-class thresholds in employees. Section [size_classes].
struct SizeClassBounds {
  /// Largest micro firm. Key `micro_max`, default 9.
  int micro_max = 9;
  /// Largest small firm. Key `small_max`, default 49.
  int small_max = 49;
  /// Largest medium firm. Key `medium_max`, default 249.
  int medium_max = 249;

  template <class V>
  void fields(V& v) {
    v.integer("micro_max", micro_max, 1, 10000, {"largest micro firm", "employees"});
    v.integer("small_max", small_max, 2, 10000, {"largest small firm", "employees"});
    v.integer("medium_max", medium_max, 3, 60000, {"largest medium firm (and largest normal size drawn)", "employees"});
  }
  /// Lowest employment of class `c`.
  int lower(int c) const { return c == 0 ? 1 : (c == 1 ? micro_max + 1 : small_max + 1); }
  /// Highest employment of class `c`.
  int upper(int c) const { return c == 0 ? micro_max : (c == 1 ? small_max : medium_max); }
};

/// Firm behaviour shared by all sectors and cities. Section [firms]. MODEL.md steps 3-4.
struct FirmBehaviour {
  double productivity_sd = 0.5;               ///< s_theta: sd of log productivity. Key `productivity_sd`, default 0.5.
  double wage_productivity_elasticity = 0.8;  ///< omega: wage = w_cs theta^omega. Default 0.8.
  double cash_buffer_sd = 0.9;                ///< s_m: sd of the log cash buffer. Default 0.9.
  double demand_persistence = 0.9;            ///< phi_z: monthly AR(1) coefficient of z. Default 0.9.
  double demand_volatility = 0.25;            ///< s_z: idiosyncratic demand volatility. Default 0.25.
  double max_utilisation = 1.3;               ///< u_max. Default 1.3.
  double utilisation_smoothing = 0.5;         ///< weight of the past in ubar. Default 0.5.
  double payout_rate = 0.5;                   ///< share of cash above target drawn monthly. Default 0.5.
  int months_to_fail = 1;                     ///< months of distress before a firm that cannot pay fails. Default 1.
  double exogenous_exit_share = 0.7;          ///< exo_share of the sector exit rate. Default 0.7.
  double young_exit_multiplier = 1.5;         ///< exogenous hazard multiplier for young firms. Default 1.5.
  int young_age_months = 24;                  ///< age below which a firm is young. Default 24.
  double capacity_adjustment = 0.1;           ///< monthly speed of ncap toward n. Default 0.1.
  double labour_band = 0.1;                   ///< inaction band around desired size. Default 0.1.
  double max_fire = 0.3;                      ///< largest monthly firing share. Default 0.3.
  double max_hire = 0.15;                     ///< largest monthly hiring share. Default 0.15.
  double entry_elasticity = 2.0;              ///< eta: births scale with D^eta. Default 2.
  double entrant_start = 0.5;                 ///< entrants start at this share of normal size. Default 0.5.
  double entrant_cash_months = 2.0;           ///< entrants' cash, months of costs. Default 2.
  double interest_rate = 0.08;                ///< annual interest on credit. Default 0.08.
  double size_tail_alpha = 1.06;              ///< Zipf exponent of normal size. Default 1.06.
  double capability_beta_a = 2.0;             ///< Beta(a, b) capability, a. Default 2.
  double capability_beta_b = 5.0;             ///< Beta(a, b) capability, b. Default 5.
  double capability_size_slope = 0.05;        ///< capability + slope ln n. Default 0.05.
  std::array<double, kSizeClasses> credit_months{0.5, 1.0, 2.0};  ///< credit limit, months of baseline revenue.

  template <class V>
  void fields(V& v) {
    v.number("productivity_sd", productivity_sd, 0, 3,
             {"s_theta: sd of log productivity theta (lognormal, mean 1)", "log points"});
    v.number("wage_productivity_elasticity", wage_productivity_elasticity, 0, 1,
             {"omega: a firm's wage is w(c,s) * theta^omega", "elasticity"});
    v.number("cash_buffer_sd", cash_buffer_sd, 0, 3,
             {"s_m: sd of the log initial cash buffer around the sector median", "log points"});
    v.number("demand_persistence", demand_persistence, 0, 0.999,
             {"phi_z: AR(1) coefficient of the firm demand state z", "per month"});
    v.number("demand_volatility", demand_volatility, 0, 2,
             {"s_z: idiosyncratic demand volatility, e = exp(s_z z - s_z^2/2)"
              " (the shipped scenarios: calibrated, `scenarios/calibrated.toml`)",
              "log points"});
    v.number("max_utilisation", max_utilisation, 1, 3,
             {"u_max: ceiling of utilisation and of desired size relative to normal size", "share of normal"});
    v.number("utilisation_smoothing", utilisation_smoothing, 0, 0.99,
             {"weight of last month in smoothed utilisation ubar", "share"});
    v.number("payout_rate", payout_rate, 0, 1,
             {"share of cash above the target buffer drawn by the owners", "per month"});
    v.integer("months_to_fail", months_to_fail, 1, 24,
              {"a firm fails when it cannot pay even after arrears and owner's funds, in this or a later month of an "
               "unbroken run of months in which its cash and credit fall short (docs/ODD.md 7.5)",
               "months"});
    v.number("exogenous_exit_share", exogenous_exit_share, 0, 1,
             {"share of the sector exit rate that is exogenous (retirement, moves, other closures)"
              " (the shipped scenarios: calibrated, `scenarios/calibrated.toml`)",
              "share"});
    v.number("young_exit_multiplier", young_exit_multiplier, 1, 10,
             {"exogenous exit hazard of young firms relative to older ones"
              " (the shipped scenarios: calibrated, `scenarios/calibrated.toml`)",
              "ratio"});
    v.integer("young_age_months", young_age_months, 0, 600,
              {"age below which a firm counts as young (the shipped scenarios: 48)", "months"});
    v.number("capacity_adjustment", capacity_adjustment, 0, 1,
             {"share of the gap n - ncap that capacity (and so fixed cost) closes each month", "per month"});
    v.number("labour_band", labour_band, 0, 0.99, {"inaction band around desired employment", "share of staff"});
    v.number("max_fire", max_fire, 0, 1, {"largest share of staff fired in a month", "share of staff"});
    v.number("max_hire", max_hire, 0, 1,
             {"largest share of staff hired in a month (one worker at least, if the gap allows)", "share of staff"});
    v.number(
        "entry_elasticity", entry_elasticity, 0, 10,
        {"eta: births scale with max(D N0 / N, 0)^eta, demand per incumbent firm (docs/ODD.md 7.6)", "elasticity"});
    v.number("entrant_start", entrant_start, 0.01, 1,
             {"entrants start at this share of their normal size (rounded up)", "share"});
    v.number("entrant_cash_months", entrant_cash_months, 0, 24, {"entrants' starting cash", "months of costs"});
    v.number("interest_rate", interest_rate, 0, 1, {"interest on credit, charged monthly at rate/12", "per year"});
    v.number("size_tail_alpha", size_tail_alpha, 0.1, 5,
             {"alpha of the normal-size power law P(n) ~ n^-(1+alpha) within each class"
              " (the shipped scenarios: calibrated, `scenarios/calibrated.toml`)",
              "exponent"});
    v.number("capability_beta_a", capability_beta_a, 0.01, 100, {"capability ~ Beta(a, b): a", "shape"});
    v.number("capability_beta_b", capability_beta_b, 0.01, 100, {"capability ~ Beta(a, b): b", "shape"});
    v.number("capability_size_slope", capability_size_slope, 0, 1,
             {"capability rises by slope * ln(employees)", "per log employee"});
    v.number("credit_months_micro", credit_months[0], 0, 60,
             {"credit limit of micro firms", "months of baseline revenue"});
    v.number("credit_months_small", credit_months[1], 0, 60,
             {"credit limit of small firms", "months of baseline revenue"});
    v.number("credit_months_medium", credit_months[2], 0, 60,
             {"credit limit of medium firms", "months of baseline revenue"});
  }
};

/// One sector's cost structure and exposures. Section [sectors.NAME]; defaults for the
/// eight calibration sectors come from shared/calibration (see default_sector()).
struct Sector {
  std::string name;                ///< the key under [sectors]
  double demand_exposure = 0;      ///< delta_s: demand share lost at stringency 1.
  double supply_exposure = 0;      ///< sigma_s: labour share unable to work at stringency 1.
  double wage_multiplier = 1;      ///< sector wage relative to the city base wage.
  double input_share = 0;          ///< phi_s: intermediate inputs per dollar of revenue.
  double labour_share = 0;         ///< lambda_s: wage bill per dollar of revenue at theta = 1.
  double fixed_cost_share = 0;     ///< kappa_s: fixed costs per dollar of capacity revenue.
  double buffer_days = 27;         ///< median cash buffer, days of costs.
  double exit_rate = 0.09;         ///< target annual exit rate, all causes.
  double consumption_share = 0;    ///< share of household spending on this sector's local SMEs.
  std::vector<double> io_weights;  ///< how this buyer splits its local inputs over suppliers (sector order).

  template <class V>
  void fields(V& v) {
    v.number("demand_exposure", demand_exposure, 0, 1, {"delta: share of final demand lost at stringency 1", "share"});
    v.number("supply_exposure", supply_exposure, 0, 1,
             {"sigma: share of labour unable to work at stringency 1", "share"});
    v.number("wage_multiplier", wage_multiplier, 0.01, 100, {"sector wage relative to the city's base wage", "ratio"});
    v.number("input_share", input_share, 0, 0.99,
             {"phi: intermediate inputs per dollar of revenue", "share of revenue"});
    v.number("labour_share", labour_share, 0.01, 0.99,
             {"lambda: wage bill per dollar of revenue at theta = 1; sets revenue per worker a = wage / "
              "lambda",
              "share of revenue"});
    v.number("fixed_cost_share", fixed_cost_share, 0, 0.99,
             {"kappa: fixed costs per dollar of capacity revenue", "share of revenue"});
    v.number("buffer_days", buffer_days, 0, 3650, {"median initial cash buffer", "days of costs"});
    v.number("exit_rate", exit_rate, 0, 1, {"target annual exit rate, all causes", "per year"});
    v.number("consumption_share", consumption_share, 0, 1,
             {"share of household spending that goes to this sector's local SMEs; induced demand falls in "
              "this proportion when the SME wage bill falls; the listed sectors' shares sum to at most 1",
              "share"});
  }
};

/// A lockdown wave: stringency at `peak` from `start` for `peak_months`, then a linear
/// decay over `decay_months` to `floor`, which lasts until `end`. Array [[cities.ID.waves]].
struct Wave {
  YearMonth start{2020, 4};      ///< first month of the wave. Key `start`, required.
  double peak = 0.75;            ///< stringency at the peak, [0, 1]. Key `peak`, required.
  int peak_months = 2;           ///< months at peak. Default 2.
  int decay_months = 8;          ///< months of linear decay. Default 8.
  double floor = 0.0;            ///< stringency after the decay. Default 0.
  std::optional<YearMonth> end;  ///< first month without the floor; default: never.

  template <class V>
  void fields(V& v) {
    v.required_month("start", start, {"first month of the wave"});
    v.required_number("peak", peak, 0, 1, {"stringency at the peak", "stringency"});
    v.integer("peak_months", peak_months, 0, 1200, {"months at the peak", "months"});
    v.integer("decay_months", decay_months, 0, 1200, {"months of linear decay from peak to floor", "months"});
    v.number("floor", floor, 0, 1, {"stringency after the decay", "stringency"});
    v.optional_month("end", end,
                     {"first month without the wave; a month after `start`", nullptr, "none: the floor never ends"});
  }
};

/// How a real stringency index (OxCGRT, 0-100) becomes model stringency: with I the index,
/// S = scale * max(0, (I/100 - threshold) / (1 - threshold)), clipped to [0, 1]. Waves do
/// not pass through it. Section [stringency_mapping].
struct StringencyMapping {
  double threshold = 0.3;  ///< index / 100 below which restrictions cost no activity. Assumed, default 0.3.
  double scale = 1.0;      ///< model stringency at index 100. Assumed, default 1.
  double adaptation = 0;   ///< monthly fall of the effect of a given index since restrictions began. Default 0.

  template <class V>
  void fields(V& v) {
    v.number("threshold", threshold, 0, 0.99,
             {"OxCGRT index / 100 below which restrictions cost no activity (default assumed; the shipped scenarios: "
              "calibrated, `scenarios/calibrated-shock.toml`)",
              "share"});
    v.number("scale", scale, 0, 10,
             {"model stringency at OxCGRT index 100; the mapped value is clipped to [0, 1] (default assumed; "
              "the shipped scenarios: calibrated, `scenarios/calibrated-shock.toml`)",
              "stringency"});
    v.number("adaptation", adaptation, 0, 0.5,
             {"share of the effect of a given index lost each month after the series first crosses the threshold, "
              "as firms and households learn to work under restrictions (the effect of a given stringency on "
              "mobility fell over 2020-21; calibrated: `scenarios/calibration/shock.toml`)",
              "per month"});
  }
  /// Model stringency in [0, 1] for an index `index` in 0-100.
  double apply(double index) const {
    const double over = std::max(0.0, (index / 100.0 - threshold) / (1.0 - threshold));
    return std::clamp(scale * over, 0.0, 1.0);
  }
};

/// One city's economy. Section [cities.ID].
struct City {
  std::string id;                                  ///< the key under [cities]
  std::string name;                                ///< display name. Key `name`, default the id.
  std::string country;                             ///< Key `country`, default "".
  bool illustrative = false;                       ///< not a programme city. Key `illustrative`, default false.
  std::int64_t smes = 0;                           ///< SMEs in the city. Key `smes`, required.
  double wage_usd = 0;                             ///< base wage, USD per worker-month. Key `wage_usd`, required.
  std::vector<double> sector_shares;               ///< share of SMEs per sector (sums to 1). Key `sector_shares`.
  std::array<double, kSizeClasses> size_shares{};  ///< share of SMEs per size class (sums to 1).
  std::vector<Wave> waves;                         ///< lockdown waves. Array `waves`, default none.
  /// Real stringency series, "oxcgrt:ID" (scenario/oxcgrt.hpp), or "" for none. Key `stringency`.
  std::string stringency;
  double resilience = 0;               ///< initial resilience index R0 in [0, 1]. Key `resilience`, default 0.
  CityProcurement procurement;         ///< Table `procurement`.
  std::optional<Programme> programme;  ///< Table `programme`; none by default.
  std::optional<Hazard> hazard;        ///< Table `hazard`; none by default.
  /// Local input-output coefficients A[supplier][buyer] (sector order); from the sectors'
  /// io_weights unless the city gives its own table `input_output`.
  std::vector<std::vector<double>> input_output;
  /// True if the city gives its own `input_output` table (else the default matrix is
  /// derived from the sectors and [demand], and follows them when set_key() changes one).
  bool own_input_output = false;

  template <class V>
  void fields(V& v) {
    v.text("name", name, {"display name; the `city` coordinate of the result file", nullptr, "the ID"});
    v.text("country", country, {"country, for labels (`city_country` in the output)"});
    v.flag("illustrative", illustrative,
           {"true for an illustrative city that is not a programme city (`city_status` in the output; "
            "it does not stop a programme table from being used)"});
    v.required_integer("smes", smes, 1, 1000000000LL, {"SMEs in the whole city", "firms"});
    v.required_number("wage_usd", wage_usd, 1, 1e6,
                      {"base wage; a sector's wage is `wage_usd * wage_multiplier`", "USD per worker-month"});
    v.number("resilience", resilience, 0, 1,
             {"initial resilience index R0, held through burn-in (R at the start of month 0)", "index"});
  }
};

/// The whole scenario, fully resolved.
struct Scenario {
  std::string title;        ///< Key `title`, default "".
  std::string source_file;  ///< path of the top scenario file (not a key)
  SimulationSettings simulation;
  SizeClassBounds size_classes;
  FirmBehaviour firms;
  FirmResponses responses;
  DemandSettings demand;
  ResilienceSettings resilience;
  ProcurementSettings procurement;
  StringencyMapping stringency_mapping;
  std::vector<Sector> sectors;   ///< in `simulation.sectors` order
  std::vector<City> cities;      ///< in `simulation.cities` order
  std::vector<Policy> policies;  ///< Array `policies`

  /// Index of the sector named `name`, or -1.
  int sector_index(const std::string& name) const;
  /// Months simulated in all, burn-in included.
  int total_months() const { return simulation.burn_in_months + simulation.months; }
  /// Firms simulated in city `c`: round(smes x population_scale), halves away from zero.
  std::int64_t simulated_firms(std::size_t c) const {
    return std::llround(static_cast<double>(cities[c].smes) * simulation.population_scale);
  }
  /// Firms simulated in all cities.
  std::int64_t simulated_firms() const {
    std::int64_t n = 0;
    for (std::size_t c = 0; c < cities.size(); ++c) n += simulated_firms(c);
    return n;
  }
};

/// The eight calibration sectors, in their canonical order.
const std::vector<std::string>& default_sector_names();
/// Calibration defaults of a known sector; nullopt for other names.
std::optional<Sector> default_sector(const std::string& name);
/// Calibration weight of `supplier` in `buyer`'s local inputs; nullopt unless both are
/// calibration sectors.
std::optional<double> default_io_weight(const std::string& buyer, const std::string& supplier);

}  // namespace smesim
