// Real pandemic timelines: the compiled-in OxCGRT series, the `stringency` city key and the
// [stringency_mapping] section (parsing, messages, round trip, set_key).
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>

#include "smesim/core/error.hpp"
#include "smesim/scenario/loader.hpp"
#include "smesim/scenario/oxcgrt.hpp"
#include "support/helpers.hpp"

using namespace smesim;
using test::small_scenario;

namespace {

/// The small scenario with `line` added to city beta's table.
std::string with_beta(const std::string& line) {
  std::string text = small_scenario();
  const std::string anchor = "wage_usd = 180\n";
  const auto at = text.find(anchor);
  REQUIRE(at != std::string::npos);
  return text.insert(at + anchor.size(), line + "\n");
}

std::string load_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    parse_scenario(text, "bad.toml", overrides);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  FAIL("no ScenarioError thrown");
  return "";
}

double index_at(std::string_view id, YearMonth ym) {
  const OxcgrtSeries* s = find_oxcgrt_series(id);
  REQUIRE(s != nullptr);
  return oxcgrt_index(*s, ym);
}

}  // namespace

TEST_CASE("the compiled-in table holds the shipped CSV, cell for cell") {
  std::ifstream in(test::source_path("data/oxcgrt/stringency_monthly.csv"));
  REQUIRE(in);
  std::string line;
  std::getline(in, line);
  CHECK(line.rfind("country_code,region_code,name,2020-01,", 0) == 0);
  std::size_t rows = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // the tracker's files end lines with CRLF
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    if (line.back() == ',') cells.emplace_back();
    const std::string id = cells[1].empty() ? cells[0] : cells[1];
    const OxcgrtSeries* s = find_oxcgrt_series(id);
    REQUIRE(s != nullptr);
    CHECK(s->name == cells[2]);
    REQUIRE(s->index.size() == cells.size() - 3);
    for (std::size_t k = 0; k < s->index.size(); ++k) {
      const std::string& cell = cells[k + 3];
      if (cell.empty())
        CHECK(std::isnan(s->index[k]));
      else
        CHECK(s->index[k] == std::stod(cell));
    }
    ++rows;
  }
  CHECK(rows == oxcgrt_series().size());
  CHECK(oxcgrt_first_month() == YearMonth{2020, 1});
}

TEST_CASE("series values for known months; 0 outside the data") {
  CHECK(index_at("IDN", {2020, 4}) == 68.4);
  CHECK(index_at("THA", {2020, 4}) == 76.3);
  CHECK(index_at("IND_TN", {2020, 4}) == 100.0);
  CHECK(index_at("IND_MH", {2021, 5}) == 91.8);
  CHECK(index_at("MYS", {2021, 7}) == 89.2);
  CHECK(index_at("VNM", {2022, 12}) == 23.1);
  CHECK(index_at("IDN", {2019, 12}) == 0.0);  // before the tracker started
  CHECK(index_at("IDN", {2022, 12}) == 31.0);
  CHECK(index_at("IDN", {2023, 1}) == 0.0);  // not recorded after the series ends
  CHECK(index_at("IND_MH", {2022, 12}) == 13.9);
  CHECK(index_at("IND_MH", {2023, 2}) == 0.0);  // the last column, not recorded
  CHECK(index_at("IND_MH", {2023, 3}) == 0.0);  // after the last column
  CHECK(find_oxcgrt_series("XYZ") == nullptr);
  CHECK(oxcgrt_series_of("oxcgrt:PHL") == find_oxcgrt_series("PHL"));
  CHECK(oxcgrt_series_of("PHL") == nullptr);
}

TEST_CASE("a month not recorded inside a series takes the previous month's value") {
  const std::array<double, 5> values{10, std::nan(""), std::nan(""), 40, std::nan("")};
  const OxcgrtSeries s{"T", "test", values};
  const YearMonth first = oxcgrt_first_month();
  CHECK(oxcgrt_index(s, first) == 10);
  CHECK(oxcgrt_index(s, first.plus(1)) == 10);
  CHECK(oxcgrt_index(s, first.plus(2)) == 10);
  CHECK(oxcgrt_index(s, first.plus(3)) == 40);
  CHECK(oxcgrt_index(s, first.plus(4)) == 0);  // after the last recorded month
  const std::array<double, 2> late{std::nan(""), 50};
  CHECK(oxcgrt_index({"L", "late", late}, first) == 0);  // before the first recorded month
}

TEST_CASE("a city names a series with stringency = \"oxcgrt:ID\"; unknown ids list the choices") {
  const Scenario sc = parse_scenario(with_beta("stringency = \"oxcgrt:IND_TN\""), "ok.toml");
  CHECK(sc.cities[0].stringency.empty());
  CHECK(sc.cities[1].stringency == "oxcgrt:IND_TN");
  const std::string msg = load_error(with_beta("stringency = \"oxcgrt:IDX\""));
  CHECK_THAT(msg, Catch::StartsWith("bad.toml:24:14: cities.beta.stringency: unknown stringency series "
                                    "\"oxcgrt:IDX\"; expected \"\" (none) or one of \"oxcgrt:IDN\""));
  CHECK_THAT(msg, Catch::Contains("\"oxcgrt:IND_TN\"") && Catch::Contains("\"oxcgrt:VNM\""));
  CHECK_THAT(load_error(with_beta("stringency = \"IDN\"")), Catch::Contains("unknown stringency series \"IDN\""));
  CHECK_THAT(load_error(with_beta("stringency = 0.5")),
             Catch::Contains("cities.beta.stringency: expected a string, found a number"));
  CHECK_THAT(load_error(small_scenario(), {"cities.alpha.stringency=oxcgrt:idn"}),
             Catch::Contains("unknown stringency series \"oxcgrt:idn\""));
  // --set with a bare string, and "" to drop a base file's series.
  const Scenario set = parse_scenario(small_scenario(), "ok.toml", {"cities.alpha.stringency=oxcgrt:THA"});
  CHECK(set.cities[0].stringency == "oxcgrt:THA");
  const Scenario none =
      parse_scenario(with_beta("stringency = \"oxcgrt:THA\""), "ok.toml", {"cities.beta.stringency=\"\""});
  CHECK(none.cities[1].stringency.empty());
}

TEST_CASE("[stringency_mapping]: defaults, ranges, round trip and set_key") {
  const Scenario def = parse_scenario(small_scenario(), "ok.toml");
  CHECK(def.stringency_mapping.threshold == 0.3);
  CHECK(def.stringency_mapping.scale == 1.0);
  const std::string text = small_scenario("\n[stringency_mapping]\nthreshold = 0.2\nscale = 1.5\n");
  const Scenario sc = parse_scenario(with_beta("stringency = \"oxcgrt:MYS\""), "ok.toml",
                                     {"stringency_mapping.threshold=0.2", "stringency_mapping.scale=1.5"});
  CHECK(sc.stringency_mapping.threshold == 0.2);
  CHECK(sc.stringency_mapping.scale == 1.5);
  CHECK(parse_scenario(text, "ok.toml").stringency_mapping.scale == 1.5);
  const std::string resolved = to_toml(sc);
  CHECK(resolved.find("[stringency_mapping]\nthreshold = 0.2\nscale = 1.5\n") != std::string::npos);
  CHECK(resolved.find("stringency = \"oxcgrt:MYS\"") != std::string::npos);
  CHECK(to_toml(parse_scenario(resolved, "resolved.toml")) == resolved);
  CHECK_THAT(load_error(small_scenario("\n[stringency_mapping]\nthreshold = 1\n")),
             Catch::Contains("stringency_mapping.threshold") && Catch::Contains("out of range; expected 0 to 0.99"));
  CHECK_THAT(load_error(small_scenario("\n[stringency_mapping]\nslope = 1\n")),
             Catch::Contains("stringency_mapping.slope: unknown key"));

  Scenario keyed = def;
  set_key(keyed, "stringency_mapping.threshold", 0.45);
  set_key(keyed, "stringency_mapping.scale", 2LL);
  CHECK(keyed.stringency_mapping.threshold == 0.45);
  CHECK(keyed.stringency_mapping.scale == 2.0);
  CHECK_THROWS_WITH(set_key(keyed, "stringency_mapping.scale", -1.0),
                    Catch::Contains("stringency_mapping.scale: value -1 is out of range; expected 0 to 10"));
  CHECK_THROWS_WITH(set_key(keyed, "stringency_mapping.treshold", 0.1), Catch::Contains("did you mean 'threshold'"));
}
