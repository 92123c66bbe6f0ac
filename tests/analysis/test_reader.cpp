// Reading result files whose shapes disagree with their dimensions.
#include <H5Cpp.h>
#include <H5DSpublic.h>

#include <catch2/catch.hpp>
#include <functional>

#include "smesim/analysis/reader.hpp"
#include "smesim/core/error.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

H5::DataSet vector_dataset(H5::H5File& f, const std::string& name, std::size_t n) {
  const hsize_t dims[1] = {n};
  H5::DataSet ds = f.createDataSet(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, dims));
  const std::vector<double> ones(n, 1.0);
  ds.write(ones.data(), H5::PredType::NATIVE_DOUBLE);
  return ds;
}

/// A result file with a replication dimension of 3 and a replication_done of `done` values;
/// `x` (2 values) is attached to the replication dimension when `attach`.
std::filesystem::path write_file(const test::TempDir& dir, std::size_t done, bool attach) {
  const auto path = dir.path() / ("file-" + std::to_string(done) + (attach ? "-attached.h5" : ".h5"));
  H5::H5File f(path.string(), H5F_ACC_TRUNC);
  const H5::StrType text(H5::PredType::C_S1, H5T_VARIABLE);
  for (const auto& [name, value] :
       {std::pair<const char*, const char*>{"smesim_version", "0"}, {"status", "complete"}}) {
    const char* v = value;
    f.openGroup("/").createAttribute(name, text, H5::DataSpace(H5S_SCALAR)).write(text, &v);
  }
  H5::DataSet rep = vector_dataset(f, "replication", 3);
  H5DSset_scale(rep.getId(), "replication");
  vector_dataset(f, "replication_done", done);
  H5::DataSet x = vector_dataset(f, "x", 2);
  if (attach) H5DSattach_scale(x.getId(), rep.getId(), 0);
  return path;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("replication_done shorter than the replication dimension is an input error, not a crash") {
  test::TempDir dir;
  const auto path = write_file(dir, 2, false);
  const ResultReader r(path);
  CHECK_THAT(error_of([&] { r.finished_replications(); }), Catch::Contains(path.string()) &&
                                                               Catch::Contains("'replication_done' has 2 values") &&
                                                               Catch::Contains("'replication' has length 3"));
  CHECK(ResultReader(write_file(dir, 3, false)).finished_replications().size() == 3);
}

TEST_CASE("a variable whose extent disagrees with its attached dimension is an input error") {
  test::TempDir dir;
  const auto path = write_file(dir, 3, true);
  const ResultReader r(path);
  CHECK_THAT(error_of([&] { r.values("x"); }), Catch::Contains(path.string()) && Catch::Contains("variable 'x'") &&
                                                   Catch::Contains("dimension 'replication' has length 3"));
  CHECK_THAT(error_of([&] { CityCube(r, "x"); }), Catch::Contains("variable 'x'"));
}
