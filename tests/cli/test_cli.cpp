// The command line end to end: exit codes, messages, files left behind.
#include <catch2/catch.hpp>
#include <sstream>

#include "smesim/model/firm_kernel.hpp"
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

TEST_CASE("a --set without '=' or with a line break exits 2 and says KEY=VALUE") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  const auto no_eq = run_smesim("validate s.toml --set simulation.months 12", dir);
  CHECK(no_eq.exit_code == 2);
  CHECK_THAT(no_eq.err, Catch::Contains("--set simulation.months: no '='") && Catch::Contains("KEY=VALUE") &&
                            !Catch::Contains("positional"));
  const auto two =
      run_smesim("run s.toml -o out.h5 --set \"$(printf 'simulation.months=12\\nsimulation.seed=5')\"", dir);
  CHECK(two.exit_code == 2);
  CHECK_THAT(two.err, Catch::Contains("line break") && Catch::Contains("expected KEY=VALUE"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "out.h5"));
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

TEST_CASE("usage errors say what is wrong in words and show the command's usage") {
  test::TempDir dir;
  const auto says = [&](const std::string& args, const std::string& what, const std::string& usage) {
    const auto r = run_smesim(args, dir);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(what) && Catch::Contains(usage) && Catch::Contains("--help lists the options"));
    CHECK_THAT(r.err, !Catch::Contains("positional"));
  };
  says("inspect a.h5 b.h5", "too many arguments: expected 1", "usage: smesim inspect FILE.h5");
  says("compare a.h5", "missing argument", "usage: smesim compare A.h5 B.h5");
  says("inspect", "missing argument", "usage: smesim inspect FILE.h5");
  says("run a.toml b.toml", "too many arguments: expected 1", "usage: smesim run SCENARIO.toml");
  says("run a.toml --frob", "unrecognised option '--frob'", "usage: smesim run SCENARIO.toml");
  says("sweep", "missing argument", "usage: smesim sweep SWEEP.toml");
}

TEST_CASE("bench reports throughput and state per firm") {
  test::TempDir dir;
  const auto r = run_smesim("bench --firms 20000 --months 3 --triad-mib 4", dir);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("one synthetic city through the monthly step") &&
                        Catch::Contains("firm-months per second") && Catch::Contains("kernel firm-months/s") &&
                        Catch::Contains("bytes of state per firm"));
}

TEST_CASE("run --profile prints the seconds of every model phase on stderr, even when quiet") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  const auto r = run_smesim("run s.toml -o out.h5 -q -r 1 --profile", dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("seconds per phase") && Catch::Contains("  population ") &&
                        Catch::Contains("  local demand ") && Catch::Contains("  firms ") &&
                        Catch::Contains("  year end ") && Catch::Contains("  total "));
  CHECK(run_smesim("run s.toml -o out2.h5 -q -r 1", dir).err.find("seconds per phase") == std::string::npos);
}

TEST_CASE("bench --full times the whole model and prints the memory-bound limit") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  const auto r = run_smesim("bench --full s.toml --firms-per-city 3000 --months 3 --triad-mib 4", dir);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("2 cities x 3000 firms = 6000 firms, 3 months + 0 burn-in") &&
                        Catch::Contains("output share") && Catch::Contains("peak resident set"));
  // docs/PERFORMANCE.md: 27 bytes of arrays only read, 33 read and written back.
  CHECK(kernel_bytes_per_firm_month() == 27 + 2 * 33);
  CHECK_THAT(r.out, Catch::Contains("bytes moved per firm-month: 93 "));
  std::istringstream lines(r.out);
  int rows = 0;
  double bandwidth = 0;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream in(line);
    int threads = 0;
    double seconds, setup, output, share;
    long long firm_months;
    double rate;
    if (in >> threads >> seconds >> setup >> output >> firm_months >> rate >> share) {
      ++rows;
      CHECK(rate > 0);
      CHECK(firm_months > 3 * 6000 * 9 / 10);  // live firms at month end over 3 months
      CHECK(firm_months < 3 * 6000 * 11 / 10);
      CHECK(output > 0);
      CHECK(output < seconds);
    }
    if (line.rfind("memory bandwidth: ", 0) == 0) bandwidth = std::stod(line.substr(18));
  }
  CHECK(rows == 2);  // 1 thread and all cores
  CHECK(bandwidth > 0);
}

TEST_CASE("compare prints paired differences, as a table or JSON") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  REQUIRE(run_smesim("run s.toml -o a.h5 -q -r 3", dir).exit_code == 0);
  REQUIRE(run_smesim("run s.toml -o b.h5 -q -r 3 --set firms.payout_rate=0.4", dir).exit_code == 0);
  const auto table = run_smesim("compare a.h5 b.h5 --metric failures", dir);
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out,
             Catch::Contains("95% paired") && Catch::Contains("failures (firms)") && Catch::Contains("All cities"));
  const auto json = run_smesim("compare a.h5 b.h5 --json --over 2020-01:2020-12", dir);
  CHECK(json.exit_code == 0);
  CHECK_THAT(json.out, Catch::Contains("\"measure\": \"job_years\"") && Catch::Contains("\"last\": \"2020-12\""));
  CHECK(run_smesim("compare a.h5 missing.h5", dir).exit_code == 2);
  CHECK(run_smesim("compare a.h5 b.h5 --metric wealth", dir).exit_code == 2);
}

TEST_CASE("a run that cannot fit in memory is refused before it starts") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  const auto r =
      run_smesim("run s.toml -o out.h5 --set cities.alpha.smes=1000000000 --set simulation.population_scale=1", dir);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("MiB are available") && Catch::Contains("--force"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "out.h5.partial"));
}

TEST_CASE("the memory refusal names the limit that applied: ulimit -v") {
  if (test::kSanitizedBuild) {
    WARN("not run in a sanitizer build: its runtime cannot start under ulimit -v");
    return;
  }
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  const auto r = run_smesim(
      "run s.toml -o out.h5 --threads 10000 --set cities.alpha.smes=1000000000 --set simulation.population_scale=1",
      dir, "ulimit -v 2000000;");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("MiB are available (ulimit -v)") && Catch::Contains("--force"));
  // --threads 10000 counts only the workers oneTBB has, never more than there are replications.
  CHECK_THAT(r.err, !Catch::Contains("10000 replication(s) in flight"));
}

TEST_CASE("inspect of a file a run is writing names the run's lock") {
  test::TempDir dir;
  dir.write("out.h5.lock", "somehost 4242\n");
  dir.write("out.h5.partial", "being written");
  for (const char* args : {"inspect out.h5.partial --partial", "inspect out.h5"}) {
    const auto r = run_smesim(args, dir);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err,
               Catch::Contains("a run is writing it (lock") && Catch::Contains("out.h5.lock: host somehost, pid 4242"));
  }
}

TEST_CASE("smesim help COMMAND prints that command's usage and options, as COMMAND --help does") {
  test::TempDir dir;
  for (const char* command : {"run", "sweep", "validate", "inspect", "compare", "bench", "reference"}) {
    const auto help = run_smesim(std::string("help ") + command, dir);
    INFO(command << ": " << help.err);
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::StartsWith(std::string("usage: smesim ") + command));
    CHECK(help.out == run_smesim(std::string(command) + " --help", dir).out);
  }
  const auto general = run_smesim("help", dir);
  CHECK(general.exit_code == 0);
  CHECK_THAT(general.out, Catch::Contains("smesim help <command>"));
  const auto unknown = run_smesim("help frobnicate", dir);
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("unknown command 'frobnicate'"));
}
