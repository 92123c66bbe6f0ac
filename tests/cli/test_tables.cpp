// smesim inspect and compare as tables out: CSV (a file or stdout) and JSON, several
// variants against one base, and what happens to bad requests.
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/helpers.hpp"

using namespace smesim;
using test::run_smesim;

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// Cells of a CSV line without quoted cells that hold commas (the title is quoted).
std::vector<std::string> cells(std::string line) {
  line = std::regex_replace(line, std::regex("\"[^\"]*\""), "TEXT");
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Three runs: a base, a variant paired with it, one with another seed (not pairable).
struct Runs {
  test::TempDir dir;
  Runs() {
    dir.write("s.toml", "title = \"small, two cities\"\n" + test::small_scenario());
    REQUIRE(run_smesim("run s.toml -o a.h5 -q -r 3", dir).exit_code == 0);
    REQUIRE(run_smesim("run s.toml -o b.h5 -q -r 3 --set firms.payout_rate=0.4", dir).exit_code == 0);
    REQUIRE(run_smesim("run s.toml -o c.h5 -q -r 3 --seed 8", dir).exit_code == 0);
  }
};

}  // namespace

TEST_CASE("compare BASE V1 V2 writes one long CSV: a row per variant, city and measure, plain numbers") {
  Runs runs;
  const auto r = run_smesim("compare a.h5 b.h5 c.h5 --metric failures --metric job_years --format csv", runs.dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto rows = lines(r.out);
  REQUIRE(rows.size() == 1 + 2 * 2 * 3);  // header + variants x measures x (alpha, beta, All cities)
  CHECK(rows[0] ==
        "scenario,file,city,measure,window,base_mean,scenario_mean,mean,paired_lo,paired_hi,unpaired_lo,"
        "unpaired_hi,units");
  const std::regex number(R"(-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?)");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto c = cells(rows[i]);
    REQUIRE(c.size() == 13);
    CHECK(c[0] == "TEXT");  // the title, quoted for its comma
    CHECK(c[4] == "2020-01:2021-12");
    for (std::size_t k = 5; k <= 7; ++k) CHECK(std::regex_match(c[k], number));
    const bool paired = c[1] == "b.h5";
    CHECK(c[1] == (i <= 6 ? "b.h5" : "c.h5"));
    // Not pairable (another seed): empty paired cells, unpaired ones filled.
    for (std::size_t k = 8; k <= 9; ++k) CHECK(std::regex_match(c[k], number) == paired);
    for (std::size_t k = 10; k <= 11; ++k) CHECK(std::regex_match(c[k], number));
  }
  CHECK_THAT(r.out, Catch::Contains(",alpha,failures,") && Catch::Contains(",All cities,job_years,"));
}

TEST_CASE("compare as a table says which variant is not paired and why; JSON is an array for several") {
  Runs runs;
  const auto table = run_smesim("compare a.h5 b.h5 c.h5 --metric failures", runs.dir);
  REQUIRE(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("B: b.h5 (small, two cities)") &&
                            Catch::Contains("not paired (they differ in seed (7 vs 8)): unpaired intervals only"));
  const auto json = run_smesim("compare a.h5 b.h5 c.h5 --json", runs.dir);
  REQUIRE(json.exit_code == 0);
  CHECK(json.out.front() == '[');
  CHECK_THAT(json.out, Catch::Contains("\"paired\": true") && Catch::Contains("\"paired\": false") &&
                           Catch::Contains("\"unpaired_reason\": \"they differ in seed (7 vs 8)\""));
  const auto one = run_smesim("compare a.h5 b.h5 --format json", runs.dir);
  CHECK(one.out.front() == '{');
}

TEST_CASE("compare --csv FILE writes the table for a spreadsheet and keeps an existing file without --force") {
  Runs runs;
  const auto r = run_smesim("compare a.h5 b.h5 --csv out.csv", runs.dir);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("95% paired"));  // the table still printed
  const std::string csv = read(runs.dir.path() / "out.csv");
  CHECK(csv.rfind("\xEF\xBB\xBFscenario,file,", 0) == 0);  // UTF-8 byte-order mark, header
  CHECK(csv.substr(3) == run_smesim("compare a.h5 b.h5 --format csv", runs.dir).out);
  const auto again = run_smesim("compare a.h5 c.h5 --csv out.csv", runs.dir);
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("out.csv: exists; use --force"));
  CHECK(again.out.empty());
  CHECK(read(runs.dir.path() / "out.csv") == csv);
  CHECK(run_smesim("compare a.h5 c.h5 --csv out.csv --force", runs.dir).exit_code == 0);
  CHECK(read(runs.dir.path() / "out.csv") != csv);
  const auto bad = run_smesim("compare a.h5 b.h5 --format xlsx", runs.dir);
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--format: expected table, csv or json, found 'xlsx'"));
}

TEST_CASE("inspect writes its headline and money as a long CSV or JSON table") {
  Runs runs;
  const auto csv = run_smesim("inspect a.h5 --format csv", runs.dir);
  REQUIRE(csv.exit_code == 0);
  const auto rows = lines(csv.out);
  REQUIRE(rows.size() == 1 + 3 * 8);  // header + (alpha, beta, All cities) x headline measures
  CHECK(rows[0] == "scenario,file,city,measure,mean,lo,hi,units");
  CHECK_THAT(csv.out, Catch::Contains(",a.h5,All cities,survival,") && Catch::Contains(",% of month-0 SMEs"));
  const auto json = run_smesim("inspect a.h5 --format json", runs.dir);
  REQUIRE(json.exit_code == 0);
  CHECK_THAT(json.out, Catch::Contains("\"replications\": 3") && Catch::Contains("\"measure\": \"failures\""));
  REQUIRE(run_smesim("inspect a.h5 --csv h.csv", runs.dir).exit_code == 0);
  CHECK(read(runs.dir.path() / "h.csv").substr(3) == csv.out);
}

TEST_CASE("compare BASE SWEEP compares each design point with the same replications of the base") {
  Runs runs;
  runs.dir.write("sweep.toml", R"(
base = "s.toml"
design = "grid"
replications = 3
[[parameters]]
name = "payout_rate"
key = "firms.payout_rate"
values = [0.2, 0.4]
[[parameters]]
name = "seed"
key = "simulation.seed"
values = [7, 9]
integer = true
)");
  REQUIRE(run_smesim("sweep sweep.toml -o sweep.h5 -q", runs.dir).exit_code == 0);
  const auto csv = run_smesim("compare a.h5 sweep.h5 --metric failures --format csv", runs.dir);
  INFO(csv.err);
  REQUIRE(csv.exit_code == 0);
  const auto rows = lines(csv.out);
  REQUIRE(rows.size() == 1 + 4 * 3);  // header + 4 points x (alpha, beta, All cities)
  CHECK(rows[0].rfind("scenario,file,point,payout_rate,seed,city,measure,", 0) == 0);
  // The grid runs its last parameter fastest. Point 2 (payout 0.4, seed 7) is the single
  // run b.h5, number for number; point 1 has seed 9, so it is not paired with the base.
  const auto single = lines(run_smesim("compare a.h5 b.h5 --metric failures --format csv", runs.dir).out);
  for (std::size_t c = 0; c < 3; ++c) {
    const auto sweep_cells = cells(rows[7 + c]), single_cells = cells(single[1 + c]);
    CHECK(sweep_cells[2] == "2");
    CHECK(sweep_cells[3] == "0.4");
    CHECK(sweep_cells[4] == "7");
    CHECK(std::vector<std::string>(sweep_cells.begin() + 5, sweep_cells.end()) ==
          std::vector<std::string>(single_cells.begin() + 2, single_cells.end()));
    const auto unpaired = cells(rows[4 + c]);
    CHECK(unpaired[4] == "9");
    CHECK(unpaired[11].empty());        // paired_lo
    CHECK_FALSE(unpaired[13].empty());  // unpaired_lo
  }
  const auto table = run_smesim("compare a.h5 sweep.h5 --metric failures", runs.dir);
  CHECK_THAT(table.out, Catch::Contains("point 2: payout_rate = 0.4, seed = 7") &&
                            Catch::Contains("not paired (point 1 has seed 9 (parameter 'seed'), the base 7)"));
  const auto base_sweep = run_smesim("compare sweep.h5 a.h5", runs.dir);
  CHECK(base_sweep.exit_code == 2);
  CHECK_THAT(base_sweep.err, Catch::Contains("the base of a comparison is a single run"));
}
