// Reading result files whose shapes disagree with their dimensions.
#include <H5Cpp.h>
#include <H5DSpublic.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <iterator>

#include "smesim/analysis/detail/global_heap.hpp"
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

namespace {

/// A result file holding the labels `city` (variable-length strings, as smesim writes
/// them) and fixed-length attributes, so that its only global heap holds the labels.
std::filesystem::path write_labels(const test::TempDir& dir) {
  const auto path = dir.path() / "labels.h5";
  H5::H5File f(path.string(), H5F_ACC_TRUNC);
  for (const auto& [name, value] :
       {std::pair<std::string, std::string>{"smesim_version", "0"}, {"status", "complete"}}) {
    const H5::StrType text(H5::PredType::C_S1, value.size());
    f.openGroup("/").createAttribute(name, text, H5::DataSpace(H5S_SCALAR)).write(text, value.c_str());
  }
  H5::StrType vl(H5::PredType::C_S1, H5T_VARIABLE);
  vl.setCset(H5T_CSET_UTF8);
  const hsize_t n = 2;
  const std::vector<const char*> labels = {"melaka", "bangkok"};
  f.createDataSet("city", vl, H5::DataSpace(1, &n)).write(labels.data(), vl);
  return path;
}

/// Overwrites `width` little-endian bytes at `at` bytes after the file's first "GCOL".
void poke_heap(const std::filesystem::path& path, std::size_t at, std::uint64_t value, std::size_t width) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const std::size_t gcol = bytes.find("GCOL");
  REQUIRE(gcol != std::string::npos);
  f.seekp(static_cast<std::streamoff>(gcol + at));
  for (std::size_t i = 0; i < width; ++i) f.put(static_cast<char>((value >> (8 * i)) & 0xff));
}

}  // namespace

TEST_CASE("a damaged global heap is refused before HDF5 reads it") {
  test::TempDir dir;
  const auto path = write_labels(dir);
  CHECK(ResultReader(path).labels("city") == std::vector<std::string>{"melaka", "bangkok"});
  SECTION("a free-space object of size 0, on which HDF5 1.10 loops for ever") {
    poke_heap(path, 16, 0, 2);      // the first object's index: free space
    poke_heap(path, 16 + 8, 0, 8);  // its size
    CHECK_THAT(error_of([&] { ResultReader(path).labels("city"); }), Catch::Contains(path.string()) &&
                                                                         Catch::Contains("damaged at byte") &&
                                                                         Catch::Contains("loop for ever"));
  }
  SECTION("an object longer than its string, which HDF5 would copy past the string's buffer") {
    poke_heap(path, 16 + 8, 8, 8);  // 6 or 7 bytes before, the same 8 once aligned
    CHECK_THAT(error_of([&] { ResultReader(path).labels("city"); }), Catch::Contains("length disagrees"));
  }
  SECTION("a collection size beyond the file") {
    poke_heap(path, 8, std::uint64_t{1} << 40, 8);
    CHECK_THAT(error_of([&] { ResultReader(path).labels("city"); }), Catch::Contains("past the end of the file"));
  }
}

TEST_CASE("a global heap walk ends, whatever the bytes") {
  // "GCOL", version 1, size 48; object 1 (3 bytes of data) at byte 16 takes 16 + 8 bytes;
  // the 8-byte tail is too small for an object header, so it is free space.
  std::vector<std::uint8_t> heap(48, 0);
  const std::string sig = "GCOL";
  std::copy(sig.begin(), sig.end(), heap.begin());
  heap[4] = 1;
  heap[8] = 48;
  heap[16] = 1;
  heap[24] = 3;
  const detail::HeapReference ok{3, 100, 1};
  CHECK(detail::global_heap_problem(heap, 8, {ok}).empty());
  CHECK_THAT(detail::global_heap_problem(heap, 8, {{3, 100, 2}}), Catch::Contains("does not exist"));
  CHECK_THAT(detail::global_heap_problem(heap, 8, {{4, 100, 1}}), Catch::Contains("length disagrees"));
  heap[24] = 200;
  CHECK_THAT(detail::global_heap_problem(heap, 8, {ok}), Catch::Contains("runs past"));
  heap[16] = 0;
  heap[24] = 0;
  CHECK_THAT(detail::global_heap_problem(heap, 8, {ok}), Catch::Contains("loop for ever"));
  heap[0] = 'X';
  CHECK_THAT(detail::global_heap_problem(heap, 8, {ok}), Catch::Contains("no global heap collection"));
}
