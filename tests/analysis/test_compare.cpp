// Paired comparison of two result files.
#include <H5Cpp.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "smesim/analysis/compare.hpp"
#include "smesim/core/error.hpp"
#include "smesim/engine/ensemble.hpp"
#include "support/engine_helpers.hpp"

using namespace smesim;

namespace {

std::filesystem::path run(const test::TempDir& dir, const std::string& name, const std::string& text,
                          std::vector<std::string> set = {}) {
  if (std::none_of(set.begin(), set.end(),
                   [](const std::string& s) { return s.rfind("simulation.replications", 0) == 0; }))
    set.push_back("simulation.replications=6");
  auto sc = std::make_shared<const Scenario>(parse_scenario(text, name, set));
  RunRequest req;
  req.output = dir.path() / (name + ".h5");
  run_to_file(single_run(sc), req);
  return req.output;
}

const Difference& row(const Comparison& c, const std::string& measure, const std::string& city) {
  for (const auto& d : c.rows)
    if (d.measure == measure && d.city == city) return d;
  FAIL("no row " << measure << " " << city);
  return c.rows.front();
}

}  // namespace

TEST_CASE("paired intervals are narrower than unpaired ones on a programme scenario") {
  test::TempDir dir;
  const auto a = run(dir, "without", test::small_scenario());
  const auto b = run(dir, "with", test::small_scenario(test::kAlphaProgramme));
  const Comparison c = compare(ResultReader(a), ResultReader(b), {});
  for (const char* m : {"failures", "employment", "job_years"}) {
    const Difference& d = row(c, m, "alpha");
    INFO(m << ": paired " << d.paired.half_width() << ", unpaired " << d.unpaired.half_width());
    CHECK(d.paired.half_width() < d.unpaired.half_width());
  }
  // The city without a programme is the same in both files, replication by replication.
  CHECK(row(c, "job_years", "beta").paired.mean == 0.0);
  CHECK(row(c, "job_years", "beta").paired.half_width() == 0.0);
  // Per dollar: spending only in B; the measures exist for alpha, not for beta.
  CHECK(row(c, "spending", "alpha").paired.mean > 0);
  const Difference& per_million = row(c, "jobs_per_usd_million", "alpha");
  const Difference& jobs = row(c, "job_years", "alpha");
  CHECK(per_million.paired.mean == Approx(jobs.paired.mean * 1e6 / row(c, "spending", "alpha").paired.mean));
  for (const auto& d : c.rows) CHECK_FALSE((d.city == "beta" && d.measure == "jobs_per_usd_million"));
}

TEST_CASE("files on other calendars are refused; files that cannot be paired are compared unpaired, with the reason") {
  test::TempDir dir;
  const auto a = run(dir, "a", test::small_scenario());
  const auto other_seed = run(dir, "b", test::small_scenario(), {"simulation.seed=8"});
  const auto other_months = run(dir, "c", test::small_scenario(), {"simulation.months=12"});
  auto error = [&](const std::filesystem::path& x) {
    try {
      compare(ResultReader(a), ResultReader(x), {});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK_THAT(error(other_months), Catch::Contains("differ in months"));
  const Comparison seed = compare(ResultReader(a), ResultReader(other_seed), {});
  CHECK(seed.unpaired_reason == "they differ in seed (7 vs 8)");
  for (const Difference& d : seed.rows) {
    CHECK(std::isnan(d.paired.mean));
    if (d.measure == "failures") CHECK(std::isfinite(d.unpaired.lo));
  }
  const auto other_burn_in = run(dir, "d", test::small_scenario(), {"simulation.burn_in_months=6"});
  CHECK(compare(ResultReader(a), ResultReader(other_burn_in), {}).unpaired_reason ==
        "they differ in burn_in_months (12 vs 6)");
  CHECK(compare(ResultReader(a), ResultReader(a), {}).unpaired_reason.empty());
  CHECK_THAT(std::string([&] {
               try {
                 compare(ResultReader(a), ResultReader(a), parse_window("2030-01:2030-02", ""));
               } catch (const InputError& e) {
                 return std::string(e.what());
               }
               return std::string();
             }()),
             Catch::Contains("outside the files' period"));
  CHECK_THROWS_AS(parse_window("2020-05", ""), InputError);
  CHECK_THROWS_AS(parse_window("", "May"), InputError);
}

TEST_CASE("unpaired: the Welch interval of files with different numbers of replications") {
  test::TempDir dir;
  const auto a = run(dir, "a", test::small_scenario());
  const auto b = run(dir, "b", test::small_scenario(), {"simulation.replications=3"});
  const ResultReader fa(a), fb(b);
  const Comparison c = compare(fa, fb, {}, {"employment"});
  CHECK(c.unpaired_reason == "they differ in replications (6 vs 3)");
  // By hand: Welch-Satterthwaite over the employment at the last month of alpha.
  const CityCube ea(fa, "employment"), eb(fb, "employment");
  std::vector<double> xa, xb;
  for (std::size_t r = 0; r < 6; ++r) xa.push_back(ea.at(r, ea.months() - 1, 0));
  for (std::size_t r = 0; r < 3; ++r) xb.push_back(eb.at(r, eb.months() - 1, 0));
  const Estimate ma = estimate_mean(xa), mb = estimate_mean(xb);
  auto var_of_mean = [](const std::vector<double>& x, double m) {
    double ss = 0;
    for (double v : x) ss += (v - m) * (v - m);
    return ss / double(x.size() - 1) / double(x.size());
  };
  const double va = var_of_mean(xa, ma.mean), vb = var_of_mean(xb, mb.mean);
  const double df = (va + vb) * (va + vb) / (va * va / 5 + vb * vb / 2);
  const double t = boost::math::quantile(boost::math::students_t(df), 0.975);
  const Difference& d = row(c, "employment", "alpha");
  CHECK(d.unpaired.mean == Approx(mb.mean - ma.mean).epsilon(1e-12));
  CHECK(d.unpaired.hi - d.unpaired.mean == Approx(t * std::sqrt(va + vb)).epsilon(1e-9));
  CHECK(std::isnan(d.paired.mean));
}

TEST_CASE("a window restricts flows and moves the stock month") {
  test::TempDir dir;
  const auto a = run(dir, "a", test::small_scenario());
  const Comparison whole = compare(ResultReader(a), ResultReader(a), {});
  const Comparison part = compare(ResultReader(a), ResultReader(a), parse_window("2020-01:2020-06", ""));
  CHECK(part.last == YearMonth{2020, 6});
  CHECK(row(part, "failures", "alpha").a.mean <= row(whole, "failures", "alpha").a.mean);
  CHECK(row(part, "job_years", "alpha").a.mean < row(whole, "job_years", "alpha").a.mean);
  CHECK(row(whole, "failures", "alpha").paired.mean == 0.0);
}

TEST_CASE("net jobs and the annual failure rate are measures of compare") {
  test::TempDir dir;
  const auto a = run(dir, "a", test::small_scenario());
  const ResultReader f(a);
  const Comparison c = compare(f, f, parse_window("2020-07:2021-06", ""), {"net_jobs", "annual_failure_rate"});
  REQUIRE(c.rows.size() == 2 * 3);  // two measures x (alpha, beta, All cities)
  // Net jobs: employment at the end of the window minus at the end of the month before it.
  const CityCube emp(f, "employment");
  double net = 0;
  for (std::size_t r = 0; r < emp.reps(); ++r) net += (emp.at(r, 17, 0) - emp.at(r, 5, 0)) / double(emp.reps());
  CHECK(row(c, "net_jobs", "alpha").a.mean == Approx(net).epsilon(1e-12));
  CHECK(row(c, "net_jobs", "alpha").paired.mean == 0.0);
  const Difference& rate = row(c, "annual_failure_rate", "All cities");
  CHECK(rate.unit == "% per year");
  CHECK(rate.a.mean > 0);
  CHECK(rate.a.mean < 100);
}

TEST_CASE("a NaN or infinity in a value compare reads is an input error naming the file and variable") {
  test::TempDir dir;
  const auto a = run(dir, "a", test::small_scenario());
  const auto b = run(dir, "b", test::small_scenario());
  for (const double bad : {std::nan(""), HUGE_VAL}) {
    {
      H5::H5File f(b.string(), H5F_ACC_RDWR);
      H5::DataSet ds = f.openDataSet("employment");
      std::vector<double> v(static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints()));
      ds.read(v.data(), H5::PredType::NATIVE_DOUBLE);
      v[1] = bad;
      ds.write(v.data(), H5::PredType::NATIVE_DOUBLE);
    }
    try {
      compare(ResultReader(a), ResultReader(b), {});
      FAIL("compare accepted a non-finite value");
    } catch (const InputError& e) {
      CHECK_THAT(e.what(), Catch::Contains(b.string()) && Catch::Contains("variable 'employment'") &&
                               Catch::Contains("NaN or infinite"));
    }
  }
}
