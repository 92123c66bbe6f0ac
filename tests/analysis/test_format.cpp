// How the analysis commands write numbers: the rounding rule, CSV and JSON cells.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "smesim/analysis/format.hpp"
#include "smesim/core/error.hpp"
#include "support/helpers.hpp"

using namespace smesim;

TEST_CASE("numbers round half away from zero at the digits shown, whatever the last bits") {
  // The cases tests/python/test_tables_format.py checks the Python tables against.
  std::istringstream lines(test::slurp(test::source_path("tests/analysis/rounding_cases.txt")));
  int cases = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream in(line);
    std::string value, expected;
    int decimals = 0, grouped = 0;
    in >> value >> decimals >> grouped >> expected;
    INFO(line);
    CHECK(rounded(std::strtod(value.c_str(), nullptr), decimals, grouped != 0) == expected);
    ++cases;
  }
  CHECK(cases > 20);
}

TEST_CASE("an estimate of one replication has no interval") {
  CHECK_FALSE(has_interval(estimate_mean({4.0})));
  CHECK(has_interval(estimate_mean({4.0, 5.0})));
  CHECK_FALSE(has_interval(Estimate{1, std::nan(""), std::nan(""), 5}));
  CHECK(json_estimate(estimate_mean({4.0})) == "{\"mean\": 4, \"lo\": null, \"hi\": null}");
}

TEST_CASE("CSV cells: plain numbers that read back, empty for n/a, quoted text") {
  CHECK(csv_number(1234567.0) == "1234567");
  CHECK(csv_number(0.1) == "0.1");
  CHECK(std::stod(csv_number(1.0 / 3.0)) == 1.0 / 3.0);
  CHECK(csv_number(std::nan("")).empty());
  CHECK(csv_number(-HUGE_VAL).empty());
  CHECK(csv_line({"a", "b,c", "say \"x\"", ""}) == "a,\"b,c\",\"say \"\"x\"\"\",\n");
  CHECK(json_string("a\"b\\c\n") == "\"a\\\"b\\\\c\\u000a\"");
}

TEST_CASE("a text file is written whole and an existing one is kept without force") {
  test::TempDir dir;
  const auto path = dir.path() / "t.csv";
  write_text_file(path, "one\n", false);
  CHECK_THROWS_WITH(write_text_file(path, "two\n", false), Catch::Contains("exists; use --force"));
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  CHECK(line == "one");
  write_text_file(path, "two\n", true);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "t.csv.partial"));
  CHECK_THROWS_AS(write_text_file(dir.path() / "no-such-dir" / "t.csv", "x", false), OutputError);
}
