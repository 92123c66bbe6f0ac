// Reading a result file back: datasets, labels and attributes, with clear errors for
// files that are missing, truncated, incomplete or not smesim's.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace smesim {

/// An open result file. Every failure is an InputError naming the file and the item.
class ResultReader {
 public:
  /// Opens `path`; refuses files that are not smesim results, or that are incomplete
  /// unless `allow_incomplete`.
  explicit ResultReader(const std::filesystem::path& path, bool allow_incomplete = false);
  ~ResultReader();

  bool has(const std::string& dataset) const;
  /// A float64 dataset, row-major.
  std::vector<double> values(const std::string& dataset) const;
  /// The slab of a float64 dataset at index `point` of its first dimension (a sweep
  /// file's point), row-major.
  std::vector<double> values(const std::string& dataset, std::size_t point) const;
  /// The extent of each dimension of a dataset.
  std::vector<std::size_t> shape(const std::string& dataset) const;
  /// A dataset of strings (e.g. the city dimension).
  std::vector<std::string> labels(const std::string& dataset) const;
  /// A root attribute as text (numbers are formatted).
  std::string attribute(const std::string& name) const;
  /// Attribute `name` of a dataset as text; "" if the dataset has no such attribute.
  std::string attribute(const std::string& dataset, const std::string& name) const;
  /// The length of a dimension (a one-dimensional dataset); InputError if it is not one.
  std::size_t length(const std::string& dimension) const;
  const std::filesystem::path& path() const { return path_; }
  /// The replications that finished (all of them in a complete file).
  std::vector<std::size_t> finished_replications() const;

 private:
  /// The whole dataset (point < 0) or its slab at `point`.
  std::vector<double> read_numbers(const std::string& dataset, long long point) const;
  struct Impl;
  std::filesystem::path path_;
  std::unique_ptr<Impl> impl_;
};

/// A per-city dataset of a result file: (replication, time, city), or (replication,
/// city) for the month-0 baselines (one time step). Reads city totals too.
class CityCube {
 public:
  /// Reads `name`; InputError if it is missing or not shaped by the file's dimensions.
  /// In a sweep file (with a point dimension), reads design point `point` (default 0).
  CityCube(const ResultReader& file, const std::string& name, std::size_t point = 0);
  /// The value at (replication r, month t, city c); c == cities() gives the sum over cities.
  double at(std::size_t r, std::size_t t, std::size_t c) const;
  std::size_t reps() const { return reps_; }
  std::size_t months() const { return months_; }
  std::size_t cities() const { return cities_; }
  /// True when no value is NaN or infinite.
  bool finite() const;

 private:
  std::vector<double> values_;
  std::size_t reps_, months_, cities_;
};

}  // namespace smesim
