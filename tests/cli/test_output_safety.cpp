// The result file's path, an earlier run's partial file, the lock beside it and resuming
// across versions: each refused (exit 2, nothing written) or handled with a clear message.
#include <H5Cpp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "support/helpers.hpp"

using namespace smesim;
using test::run_smesim;
namespace fs = std::filesystem;

namespace {

std::string this_host() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

/// A finished run's file renamed to the partial file of an interrupted one (2 items done).
void make_partial(const test::TempDir& dir) {
  REQUIRE(run_smesim("run s.toml -o out.h5 -q -r 2", dir).exit_code == 0);
  fs::rename(dir.path() / "out.h5", dir.path() / "out.h5.partial");
}

}  // namespace

TEST_CASE("every bad result path exits 2 with a message before the run and writes nothing") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  fs::create_directory(dir.path() / "folder");
  REQUIRE(mkfifo((dir.path() / "pipe.h5").c_str(), 0644) == 0);
  const std::pair<const char*, const char*> cases[] = {
      {"-o ''", "the result file name is empty"},     {"-o folder", "the result file is a directory"},
      {"-o pipe.h5 --force", "not a regular file"},   {"-o missing/out.h5", "the folder missing does not exist"},
      {"-o s.toml/out.h5", "s.toml is not a folder"},
  };
  for (const auto& [option, message] : cases) {
    const auto r = run_smesim(std::string("run s.toml -q -r 1 ") + option, dir);
    INFO(option << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(message));
  }
  CHECK_FALSE(fs::exists(dir.path() / ".partial"));
  CHECK(fs::is_empty(dir.path() / "folder"));
  CHECK(fs::is_fifo(dir.path() / "pipe.h5"));
  CHECK_FALSE(fs::exists(dir.path() / "pipe.h5.partial"));
  dir.write("sweep.toml",
            "base = \"s.toml\"\ndesign = \"grid\"\nreplications = 1\n[[parameters]]\n"
            "key = \"firms.payout_rate\"\nvalues = [0.1, 0.2]\n");
  const auto sweep = run_smesim("sweep sweep.toml -q -o folder", dir);
  INFO(sweep.err);
  CHECK(sweep.exit_code == 2);
  CHECK_THAT(sweep.err, Catch::Contains("is a directory"));
}

TEST_CASE("a partial file with finished items is not truncated without --resume or --force") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  make_partial(dir);
  const auto r = run_smesim("run s.toml -o out.h5 -q -r 2", dir);
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err,
             Catch::Contains("out.h5.partial: a partial file of an earlier run exists with 2 finished item(s)") &&
                 Catch::Contains("--resume to continue") && Catch::Contains("--force to start over"));
  CHECK(fs::exists(dir.path() / "out.h5.partial"));
  CHECK(run_smesim("run s.toml -o out.h5 -q -r 2 --force", dir).exit_code == 0);
  CHECK_FALSE(fs::exists(dir.path() / "out.h5.partial"));
}

TEST_CASE("a lock file of a live run is refused naming its holder; a dead one's is taken over") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  dir.write("out.h5.lock", this_host() + " 1\n");  // pid 1 always runs
  const auto busy = run_smesim("run s.toml -o out.h5 -q -r 1", dir);
  INFO(busy.err);
  CHECK(busy.exit_code == 2);
  CHECK_THAT(busy.err, Catch::Contains("another smesim run (host " + this_host() + ", pid 1) is writing out.h5"));
  CHECK_FALSE(fs::exists(dir.path() / "out.h5.partial"));
  dir.write("out.h5.lock", this_host() + " 4194303\n");  // above any pid in use
  const auto stale = run_smesim("run s.toml -o out.h5 -q -r 1", dir);
  INFO(stale.err);
  CHECK(stale.exit_code == 0);
  CHECK_THAT(stale.err, Catch::Contains("stale lock of pid 4194303"));
  CHECK(fs::exists(dir.path() / "out.h5"));
  CHECK_FALSE(fs::exists(dir.path() / "out.h5.lock"));  // removed at the end
}

TEST_CASE("resuming refuses a partial file of another commit, and --resume --force continues it") {
  test::TempDir dir;
  dir.write("s.toml", test::small_scenario());
  make_partial(dir);
  {
    H5::H5File file((dir.path() / "out.h5.partial").string(), H5F_ACC_RDWR);
    H5::Group root = file.openGroup("/");
    root.removeAttr("git_commit");
    H5::StrType type(H5::PredType::C_S1, 7);
    root.createAttribute("git_commit", type, H5::DataSpace(H5S_SCALAR)).write(type, std::string("0000000"));
  }
  const auto r = run_smesim("run s.toml -o out.h5 -q -r 2 --resume", dir);
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("cannot resume: it was written by git_commit 0000000") &&
                        Catch::Contains("add --force to --resume"));
  const auto forced = run_smesim("run s.toml -o out.h5 -q -r 2 --resume --force", dir);
  INFO(forced.err);
  CHECK(forced.exit_code == 0);
  CHECK(fs::exists(dir.path() / "out.h5"));
}
