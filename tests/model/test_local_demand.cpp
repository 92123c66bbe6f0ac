// The local input-output demand model against hand-computed cases.
#include <catch2/catch.hpp>

#include "smesim/core/error.hpp"
#include "smesim/model/local_demand.hpp"

using namespace smesim;

TEST_CASE("two sectors: final demand, Leontief inverse and the demand index by hand") {
  // A[supplier][buyer]: sector 0 buys 0.2 of its output from 1; sector 1 buys 0.1 from 0.
  const std::vector<std::vector<double>> a = {{0.0, 0.1}, {0.2, 0.0}};
  const LocalDemand d("test", {100.0, 50.0}, a, 0.6, {0.5, 0.5}, 0.5);
  // F = (I - A) X = (100 - 0.1*50, 50 - 0.2*100) = (95, 30)
  CHECK(d.final_demand()(0) == Approx(95.0));
  CHECK(d.final_demand()(1) == Approx(30.0));
  // L = (I - A)^-1 = 1/(1 - 0.02) [[1, 0.1], [0.2, 1]]
  CHECK(d.leontief()(0, 0) == Approx(1 / 0.98));
  CHECK(d.leontief()(0, 1) == Approx(0.1 / 0.98));
  CHECK(d.leontief()(1, 0) == Approx(0.2 / 0.98));
  // Shock sector 0's final demand by 10%: dF = (-9.5, 0); L dF = (-9.5/0.98, -1.9/0.98)
  const DemandParts p = d.demand({0.1, 0.0}, {0.0, 0.0}, 0.0);
  CHECK(p.direct[0] == Approx(-0.095));
  CHECK(p.direct[1] == 0.0);
  CHECK(p.index[0] == Approx(1 - 9.5 / 0.98 / 100));
  CHECK(p.index[1] == Approx(1 - 1.9 / 0.98 / 50));
  CHECK(p.indirect[1] == Approx(-1.9 / 0.98 / 50));
}

TEST_CASE("no shock, no spending, no wage loss: D = 1 everywhere") {
  const std::vector<std::vector<double>> a = {{0.1, 0.2, 0.0}, {0.05, 0.1, 0.3}, {0.0, 0.1, 0.1}};
  const LocalDemand d("test", {80.0, 120.0, 40.0}, a, 0.6, {0.3, 0.3, 0.4}, 0.5);
  const DemandParts p = d.demand({0, 0, 0}, {0, 0, 0}, 0.0);
  for (double x : p.index) CHECK(x == Approx(1.0).margin(1e-12));
}

TEST_CASE("induced demand falls with the wage bill; programme purchases spill over") {
  const std::vector<std::vector<double>> a = {{0.0, 0.1}, {0.2, 0.0}};
  const LocalDemand d("test", {100.0, 50.0}, a, 0.6, {0.5, 0.5}, 0.5);
  const DemandParts lost = d.demand({0, 0}, {0, 0}, 10.0);
  CHECK(lost.induced[0] < 0);
  CHECK(lost.induced[1] < 0);
  const DemandParts spend = d.demand({0, 0}, {10.0, 0.0}, 0.0);
  CHECK(spend.programme[0] > 0);  // the contractors' own purchases from their sector
  CHECK(spend.programme[1] > 0);  // and from their suppliers
  // The direct part of programme spending goes to the contractors, not to the index.
  CHECK(spend.programme[1] == Approx((0.2 / 0.98 * 10.0) / 50));
}

TEST_CASE("sales to local SMEs are capped at a share of output") {
  // Sector 1 would sell 0.9 x 100 = 90 > 0.6 x 50 to sector 0: its row is scaled to 30.
  const std::vector<std::vector<double>> a = {{0.0, 0.0}, {0.9, 0.0}};
  const LocalDemand d("test", {100.0, 50.0}, a, 0.6, {0.5, 0.5}, 0.5);
  CHECK(d.coefficients()(1, 0) * 100.0 == Approx(30.0));
  CHECK(d.final_demand()(1) == Approx(20.0));
}

TEST_CASE("a matrix that is not a productive economy is an error naming the city") {
  // Each sector needs more than a dollar of the other's output per dollar: L < 0.
  const std::vector<std::vector<double>> a = {{0.0, 1.5}, {1.5, 0.0}};
  try {
    LocalDemand("bangkok", {100.0, 100.0}, a, 10.0, {0.5, 0.5}, 0.5);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK_THAT(e.what(), Catch::Contains("cities.bangkok.input_output"));
  }
}
