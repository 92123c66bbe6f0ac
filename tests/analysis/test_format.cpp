// How the analysis commands write numbers: the rounding rule, CSV and JSON cells.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "smesim/analysis/format.hpp"
#include "smesim/core/error.hpp"
#include "support/helpers.hpp"

using namespace smesim;

TEST_CASE("numbers round half away from zero at the digits shown, whatever the last bits") {
  CHECK(rounded(49.25, 1) == "49.3");
  CHECK(rounded(49.249999999999993, 1) == "49.3");  // the same value computed in another order
  CHECK(rounded(49.2499, 1) == "49.2");
  CHECK(rounded(-49.25, 1) == "-49.3");
  CHECK(rounded(0.125, 2) == "0.13");
  CHECK(rounded(2.675, 2) == "2.68");  // 2.67499999999999982... in binary
  CHECK(rounded(0.5, 0) == "1");
  CHECK(rounded(-0.5, 0) == "-1");
  CHECK(rounded(-0.04, 1) == "0.0");  // no "-0.0"
  CHECK(rounded(999.96, 1) == "1000.0");
  CHECK(rounded(1234567.5, 0, true) == "1,234,568");
  CHECK(rounded(-1234.5, 2, true) == "-1,234.50");
  CHECK(rounded(0.000001, 2) == "0.00");
  CHECK(rounded(1e-300, 1) == "0.0");
  CHECK(rounded(std::nan(""), 1) == "n/a");
  CHECK(rounded(HUGE_VAL, 0) == "n/a");
  CHECK(rounded(3e20, 0) == "300000000000000000000");
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
