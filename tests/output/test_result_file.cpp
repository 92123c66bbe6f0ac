// Result files: written atomically, read back exactly, bad files refused with clear errors.
#include <catch2/catch.hpp>
#include <fstream>

#include "smesim/analysis/reader.hpp"
#include "smesim/core/error.hpp"
#include "smesim/output/writer.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

FileSchema tiny_schema() {
  FileSchema f;
  Dimension rep{"replication", "replication", "", {0, 1}, {}, {}};
  rep.integer = true;
  f.dims = {rep,
            {"time", "month", "days since 2020-01-01", {0, 31, 60}, {}, {{"calendar", "standard"}}},
            {"city", "city", "", {}, {"Alpha", "Beta"}, {}}};
  f.label_vars = {{"city_id", "id", "city", {"alpha", "beta"}}};
  f.vars = {{"firms", "firms", "firms", {"replication", "time", "city"}}, {"level", "level", "1", {"time", "city"}}};
  f.attributes = {{"smesim_version", std::string("test")}, {"seed", 7LL}, {"population_scale", 0.5}};
  return f;
}

void write_tiny(const std::filesystem::path& p, bool commit = true) {
  ResultWriter w(p, tiny_schema(), OpenMode::kCreate);
  w.write("level", {1, 2, 3, 4, 5, 6});
  w.write_item("firms", 1, {10, 11, 12, 13, 14, 15});
  w.write_item("firms", 0, {0, 1, 2, 3, 4, 5});
  if (commit) w.commit();
}

template <class F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no InputError");
  return "";
}

}  // namespace

TEST_CASE("a result file reads back exactly, with labels and attributes") {
  test::TempDir dir;
  const auto p = dir.path() / "r.h5";
  write_tiny(p);
  CHECK_FALSE(std::filesystem::exists(ResultWriter::partial_path(p)));
  const ResultReader r(p);
  CHECK(r.values("firms") == std::vector<double>{0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15});
  CHECK(r.shape("firms") == std::vector<std::size_t>{2, 3, 2});
  CHECK(r.labels("city") == std::vector<std::string>{"Alpha", "Beta"});
  CHECK(r.labels("city_id") == std::vector<std::string>{"alpha", "beta"});
  CHECK(r.values("replication") == std::vector<double>{0, 1});
  CHECK(r.attribute("seed") == "7");
  CHECK(r.attribute("population_scale") == "0.5");
  CHECK(r.attribute("status") == "complete");
}

TEST_CASE("an existing file is refused unless overwriting is asked for") {
  test::TempDir dir;
  const auto p = dir.path() / "r.h5";
  write_tiny(p);
  CHECK_THAT(input_error([&] { ResultWriter(p, tiny_schema(), OpenMode::kCreate); }), Catch::Contains("use --force"));
  ResultWriter w(p, tiny_schema(), OpenMode::kOverwrite);
  w.commit();
}

TEST_CASE("an unfinished file never takes the final name and is removed") {
  test::TempDir dir;
  const auto p = dir.path() / "r.h5";
  write_tiny(p, false);
  CHECK_FALSE(std::filesystem::exists(p));
  CHECK_FALSE(std::filesystem::exists(ResultWriter::partial_path(p)));
}

TEST_CASE("missing, foreign, truncated and incomplete files give clear errors") {
  test::TempDir dir;
  CHECK_THAT(input_error([&] { ResultReader(dir.path() / "none.h5"); }), Catch::Contains("no such file"));
  const auto text = dir.write("text.h5", "not hdf5 at all\n");
  CHECK_THAT(input_error([&] { ResultReader{text}; }), Catch::Contains("not an HDF5 file"));

  const auto good = dir.path() / "good.h5";
  write_tiny(good);
  const std::string bytes = test::slurp(good);
  const auto cut = dir.write("cut.h5", bytes.substr(0, bytes.size() / 2));
  CHECK_THAT(input_error([&] { ResultReader{cut}.values("firms"); }), Catch::Contains("cut.h5"));

  // An HDF5 file from another tool.
  FileSchema foreign = tiny_schema();
  foreign.attributes = {{"creator", std::string("someone else")}};
  const auto other = dir.path() / "other.h5";
  {
    ResultWriter w(other, foreign, OpenMode::kCreate);
    w.commit();
  }
  CHECK_THAT(input_error([&] { ResultReader{other}; }), Catch::Contains("not an smesim result file"));

  // A run that never finished: the partial file is refused unless asked for.
  const auto partial = dir.path() / "partial.h5";
  {
    ResultWriter w(partial, tiny_schema(), OpenMode::kCreate);
    w.write("level", {1, 2, 3, 4, 5, 6});
    w.flush();
    std::filesystem::copy_file(ResultWriter::partial_path(partial), dir.path() / "copy.h5");
  }
  CHECK_THAT(input_error([&] { ResultReader(dir.path() / "copy.h5"); }), Catch::Contains("incomplete"));
  const ResultReader lenient(dir.path() / "copy.h5", true);
  CHECK_THAT(input_error([&] { lenient.values("nothing"); }), Catch::Contains("missing dataset 'nothing'"));
  CHECK_THAT(input_error([&] { lenient.values("city"); }), Catch::Contains("not numeric"));
}
