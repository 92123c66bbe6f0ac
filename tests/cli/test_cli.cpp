// The command line end to end: exit codes, messages, files left behind.
#include <catch2/catch.hpp>

#include "support/helpers.hpp"

using namespace smesim;
using test::run_smesim;

TEST_CASE("run writes a result that inspect summarises per city") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  const auto run = run_smesim("run s.toml -o out.h5 -q", dir);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(std::filesystem::exists(dir.path() / "out.h5"));
  const auto inspect = run_smesim("inspect out.h5", dir);
  CHECK(inspect.exit_code == 0);
  CHECK_THAT(inspect.out, Catch::Contains("alpha") && Catch::Contains("beta") && Catch::Contains("All cities") &&
                              Catch::Contains("survival %") && Catch::Contains("2 replications"));
}

TEST_CASE("an existing result is refused without --force and replaced with it") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  REQUIRE(run_smesim("run s.toml -o out.h5 -q -r 1", dir).exit_code == 0);
  const auto again = run_smesim("run s.toml -o out.h5 -q -r 1", dir);
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("out.h5") && Catch::Contains("--force"));
  CHECK(run_smesim("run s.toml -o out.h5 -q -r 1 --force", dir).exit_code == 0);
}

TEST_CASE("a bad scenario exits 2, names file, line and key, and writes nothing") {
  test::TempDir dir;
  dir.write("bad.toml", test::small_scenario("\n[firms]\nmonths_to_fial = 3\n"));
  const auto r = run_smesim("run bad.toml -o out.h5", dir);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad.toml:28:1") && Catch::Contains("firms.months_to_fial") &&
                        Catch::Contains("did you mean 'months_to_fail'"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "out.h5"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "out.h5.partial"));
  const auto v = run_smesim("validate bad.toml", dir);
  CHECK(v.exit_code == 2);
}

TEST_CASE("validate prints the resolved scenario with --set applied") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  const auto r = run_smesim("validate s.toml --set firms.payout_rate=0.25 -r 5", dir);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("payout_rate = 0.25") && Catch::Contains("replications = 5") &&
                        Catch::Contains("[cities.beta]"));
  CHECK_THAT(r.err, Catch::Contains("is valid"));
}

TEST_CASE("usage errors exit 2") {
  test::TempDir dir;
  CHECK(run_smesim("", dir).exit_code == 2);
  CHECK(run_smesim("frobnicate", dir).exit_code == 2);
  CHECK(run_smesim("run", dir).exit_code == 2);
  CHECK(run_smesim("run s.toml --no-such-option", dir).exit_code == 2);
  CHECK(run_smesim("run missing.toml", dir).exit_code == 2);
  CHECK(run_smesim("inspect missing.h5", dir).exit_code == 2);
  dir.write("s.toml", test::small_scenario());
  CHECK(run_smesim("run s.toml --output everything", dir).exit_code == 2);
  CHECK(run_smesim("run s.toml --threads -1", dir).exit_code == 2);
  CHECK(run_smesim("--help", dir).exit_code == 0);
  CHECK(run_smesim("version", dir).exit_code == 0);
}

TEST_CASE("bench reports throughput and state per firm") {
  test::TempDir dir;
  const auto r = run_smesim("bench --firms 20000 --months 3", dir);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("firm-months per second") && Catch::Contains("bytes of state per firm"));
}

TEST_CASE("compare prints paired differences, as a table or JSON") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  REQUIRE(run_smesim("run s.toml -o a.h5 -q -r 3", dir).exit_code == 0);
  REQUIRE(run_smesim("run s.toml -o b.h5 -q -r 3 --set firms.payout_rate=0.4", dir).exit_code == 0);
  const auto table = run_smesim("compare a.h5 b.h5 --metric failures", dir);
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("95% paired") && Catch::Contains("failures (firms)") && Catch::Contains("All cities"));
  const auto json = run_smesim("compare a.h5 b.h5 --json --over 2020-01:2020-12", dir);
  CHECK(json.exit_code == 0);
  CHECK_THAT(json.out, Catch::Contains("\"measure\": \"job_years\"") && Catch::Contains("\"last\": \"2020-12\""));
  CHECK(run_smesim("compare a.h5 missing.h5", dir).exit_code == 2);
  CHECK(run_smesim("compare a.h5 b.h5 --metric wealth", dir).exit_code == 2);
}

TEST_CASE("a run that cannot fit in memory is refused before it starts") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  const auto r = run_smesim("run s.toml -o out.h5 --set cities.alpha.smes=1000000000 --set simulation.population_scale=1", dir);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("MiB are available") && Catch::Contains("--force"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "out.h5.partial"));
}
