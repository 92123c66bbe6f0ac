// Month arithmetic and CF day offsets.
#include <catch2/catch.hpp>

#include "smesim/core/calendar.hpp"

using namespace smesim;

TEST_CASE("parse_year_month accepts YYYY-MM and nothing else") {
  CHECK(parse_year_month("2020-04") == YearMonth{2020, 4});
  CHECK_FALSE(parse_year_month("2020-4"));
  CHECK_FALSE(parse_year_month("2020-13"));
  CHECK_FALSE(parse_year_month("2020-00"));
  CHECK_FALSE(parse_year_month("1899-12"));
  CHECK_FALSE(parse_year_month("2020/04"));
  CHECK_FALSE(parse_year_month("20x0-04"));
}

TEST_CASE("months add across year boundaries in both directions") {
  CHECK(YearMonth{2020, 11}.plus(3) == YearMonth{2021, 2});
  CHECK(YearMonth{2020, 1}.plus(-1) == YearMonth{2019, 12});
  CHECK(YearMonth{2020, 1}.plus(-36) == YearMonth{2017, 1});
  CHECK(months_between({2020, 4}, {2021, 7}) == 15);
  CHECK(YearMonth{2021, 7}.str() == "2021-07");
}

TEST_CASE("CF days count from 2020-01-01, leap years included") {
  CHECK(cf_days({2020, 1}) == 0);
  CHECK(cf_days({2020, 3}) == 31 + 29);
  CHECK(cf_days({2021, 1}) == 366);
  CHECK(cf_days({2019, 12}) == -31);
  CHECK(days_since_epoch({1970, 1}) == 0);
}
