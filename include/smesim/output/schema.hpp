// What a result file holds, described without any economics: dimensions, variables,
// attributes. The engine fills it in; the writer and reader only follow it.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace smesim {

/// A dimension and its coordinate variable (numbers or string labels).
struct Dimension {
  std::string name;
  std::string long_name;
  std::string units;                                                  ///< "" for none
  std::vector<double> values;                                         ///< numeric coordinates, or empty
  std::vector<std::string> labels;                                    ///< string coordinates, or empty
  std::vector<std::pair<std::string, std::string>> extra_attributes;  ///< e.g. calendar
  bool integer = false;                                               ///< store numeric coordinates as int32
  std::size_t size() const { return labels.empty() ? values.size() : labels.size(); }
};

/// A float64 variable. Those whose leading dimensions are the schema's item dimensions
/// (replication, or point and replication in a sweep) are written one work item at a
/// time; the others are written once, whole.
struct Variable {
  std::string name;  ///< may contain a group, e.g. "sectors/employment"
  std::string long_name;
  std::string units;
  std::vector<std::string> dims;
  std::vector<std::pair<std::string, std::string>> attributes = {};  ///< more text attributes (spending_label, ...)
};

/// A variable of string labels over one dimension (e.g. city_id over city).
struct LabelVariable {
  std::string name;
  std::string long_name;
  std::string dim;
  std::vector<std::string> labels;
};

/// An attribute value: text, integer or number.
using AttributeValue = std::variant<std::string, long long, double>;

/// A table of records (e.g. every contract award): one dimension `dim` of length
/// `rows`, one float64 column per variable, all in group `group`. One column must be
/// `item`, the work item a row belongs to: rows are kept in item order.
struct Table {
  std::string group;
  std::string dim;
  std::string long_name;
  std::size_t rows = 0;
  std::vector<Variable> columns;          ///< dims are ignored: each is (dim)
  std::vector<std::vector<double>> data;  ///< one vector of `rows` values per column
};

/// Everything the writer needs to create a file.
struct FileSchema {
  std::vector<std::string> item_dims{"replication"};  ///< leading dims of one work item
  std::vector<Dimension> dims;
  std::vector<Variable> vars;
  std::vector<LabelVariable> label_vars;
  std::vector<std::pair<std::string, AttributeValue>> attributes;  ///< root attributes

  const Dimension& dim(const std::string& name) const;
  /// True if `v` is written one work item at a time.
  bool per_item(const Variable& v) const;
};

}  // namespace smesim
