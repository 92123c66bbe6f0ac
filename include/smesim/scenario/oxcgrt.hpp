// Real pandemic timelines: the OxCGRT stringency index by month, compiled into the binary
// from data/oxcgrt/stringency_monthly.csv (Oxford COVID-19 Government Response Tracker,
// Hale et al. 2021, Nature Human Behaviour, doi 10.1038/s41562-021-01079-8; CC BY 4.0).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "smesim/core/calendar.hpp"

namespace smesim {

/// One jurisdiction's monthly mean stringency index, 0-100, from oxcgrt_first_month() on.
struct OxcgrtSeries {
  std::string_view id;            ///< country code ("IDN") or region code ("IND_TN")
  std::string_view name;          ///< jurisdiction as the tracker names it ("Tamil Nadu")
  std::span<const double> index;  ///< one value a month, 0-100; NaN = not recorded
};

/// Prefix of a city's `stringency` value that names an OxCGRT series: "oxcgrt:IDN".
inline constexpr std::string_view kOxcgrtPrefix = "oxcgrt:";

/// The credit the data's licence (CC BY 4.0) asks of anything that ships or derives from it.
inline constexpr const char* kOxcgrtCredit =
    "Oxford COVID-19 Government Response Tracker, stringency index (monthly means of the daily values, made by "
    "the smesim authors): Hale et al. (2021), A global panel database of pandemic policies (Oxford COVID-19 "
    "Government Response Tracker), Nature Human Behaviour, https://doi.org/10.1038/s41562-021-01079-8; CC BY 4.0";

/// The month of every series' first value (generated from the CSV header).
YearMonth oxcgrt_first_month();

/// Every compiled-in series, in the order of the CSV (generated).
std::span<const OxcgrtSeries> oxcgrt_series();

/// The series with id `id`, or nullptr.
const OxcgrtSeries* find_oxcgrt_series(std::string_view id);

/// The series a city's `stringency` value names ("oxcgrt:ID"), or nullptr.
const OxcgrtSeries* oxcgrt_series_of(std::string_view stringency_value);

/// The accepted `stringency` values, for messages: "\"oxcgrt:IDN\", \"oxcgrt:IND\", ...".
std::string oxcgrt_choices();

/// The index of `series` in month `ym`, 0-100: 0 before the first and after the last
/// recorded month; a month not recorded between two recorded ones takes the last
/// recorded value before it.
double oxcgrt_index(const OxcgrtSeries& series, const YearMonth& ym);

}  // namespace smesim
