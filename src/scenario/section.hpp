// Internal to the scenario loader: one table path seen through every layer (base files,
// the file, --set overrides), with the field visitor the parameter structs call.
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <initializer_list>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "smesim/core/calendar.hpp"
#include "smesim/core/error.hpp"

namespace smesim::detail {

/// "file:line:column" of a node, or the --set argument it came from.
inline std::string where(const toml::source_region& r) {
  const std::string file = r.path ? *r.path : std::string("<input>");
  if (file.rfind("--set", 0) == 0) return file;
  return file + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

/// "; did you mean 'x'?" for the closest known key, when it is close enough.
inline std::string suggest(std::string_view key, const std::set<std::string, std::less<>>& known) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(3, key.size() / 3) + 1;
  for (const auto& k : known) {
    const std::size_t d = edit_distance(key, k);
    if (d < best_d) best_d = d, best = k;
  }
  return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

inline std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date or time";
  }
}

inline std::string format_number(double x) {
  std::ostringstream s;
  s.precision(10);
  s << x;
  return s.str();
}

/// "value X is out of range; expected LO to HI", or "" when lo <= x <= hi (NaN is out).
inline std::string number_range_problem(double x, double lo, double hi) {
  if (x >= lo && x <= hi) return "";
  return "value " + format_number(x) + " is out of range; expected " + format_number(lo) + " to " + format_number(hi);
}
inline std::string integer_range_problem(long long x, long long lo, long long hi) {
  if (x >= lo && x <= hi) return "";
  return "value " + std::to_string(x) + " is out of range; expected " + std::to_string(lo) + " to " +
         std::to_string(hi);
}

/// What a field's fields() call says of it for the key reference, besides its key, type,
/// default and range: its meaning, its unit, and a default in words where the member's
/// value does not say it (e.g. "the id"). A plain string is the meaning alone.
struct FieldDoc {
  FieldDoc(const char* meaning, const char* unit_text = nullptr, const char* default_words = nullptr)
      : text(meaning), unit(unit_text), default_text(default_words) {}
  const char* text;
  const char* unit;
  const char* default_text;
};

/// One table path (e.g. "cities.bangkok") seen through every layer that defines it; the
/// last layer wins key by key. It also implements the field visitor the structs call.
class Section {
 public:
  Section(std::string path, std::vector<const toml::table*> layers, toml::source_region anchor,
          bool all_required = false)
      : path_(std::move(path)), layers_(std::move(layers)), anchor_(std::move(anchor)), all_required_(all_required) {}

  std::string full(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  [[noreturn]] void fail_at(const toml::source_region& r, std::string_view key, const std::string& msg) const {
    throw ScenarioError(where(r) + ": " + full(key) + ": " + msg);
  }
  [[noreturn]] void fail(const std::string& msg) const {
    throw ScenarioError(where(anchor_) + ": " + (path_.empty() ? "scenario" : path_) + ": " + msg);
  }
  const toml::source_region& anchor() const { return anchor_; }

  /// The winning node for `key`, or nullptr; marks the key as known.
  const toml::node* find(std::string_view key) {
    known_.emplace(key);
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it)
      if (const toml::node* n = (*it)->get(key)) return n;
    return nullptr;
  }
  void allow(std::string_view key) { known_.emplace(key); }
  /// `key`'s node in every layer that defines it, base first (overridden ones too).
  std::vector<const toml::node*> each(std::string_view key) const {
    std::vector<const toml::node*> out;
    for (const toml::table* layer : layers_)
      if (const toml::node* n = layer->get(key)) out.push_back(n);
    return out;
  }

  /// The sub-table `key` across layers. A missing table gives an empty section.
  Section child(std::string_view key, bool all_required = false) {
    known_.emplace(key);
    std::vector<const toml::table*> sub;
    toml::source_region anchor = anchor_;
    for (const toml::table* layer : layers_) {
      const toml::node* n = layer->get(key);
      if (!n) continue;
      if (!n->is_table()) fail_at(n->source(), key, "expected a table, found " + type_name(*n));
      sub.push_back(n->as_table());
      anchor = n->source();
    }
    return Section(full(key), std::move(sub), anchor, all_required);
  }
  bool defined() const { return !layers_.empty(); }

  /// Every key any layer defines, in first-seen order.
  std::vector<std::pair<std::string, toml::source_region>> keys() const {
    std::vector<std::pair<std::string, toml::source_region>> out;
    std::set<std::string, std::less<>> seen;
    for (const toml::table* layer : layers_)
      for (const auto& [k, v] : *layer)
        if (seen.emplace(k.str()).second) out.emplace_back(std::string(k.str()), k.source());
    return out;
  }

  /// Unknown keys are errors, with the closest known key suggested.
  void check_unknown() const {
    for (const toml::table* layer : layers_)
      for (const auto& [k, v] : *layer)
        if (!known_.count(k.str())) fail_at(k.source(), k.str(), "unknown key" + suggest(k.str(), known_));
  }

  // ---- the field visitor ----
  void number(std::string_view key, double& field, double lo, double hi, FieldDoc) {
    read_number(key, field, lo, hi, all_required_);
  }
  void required_number(std::string_view key, double& field, double lo, double hi, FieldDoc) {
    read_number(key, field, lo, hi, true);
  }
  template <class I>
  void integer(std::string_view key, I& field, long long lo, long long hi, FieldDoc) {
    read_integer(key, field, lo, hi, all_required_);
  }
  template <class I>
  void required_integer(std::string_view key, I& field, long long lo, long long hi, FieldDoc) {
    read_integer(key, field, lo, hi, true);
  }
  void flag(std::string_view key, bool& field, FieldDoc) {
    if (const toml::node* n = find(key)) {
      if (!n->is_boolean()) fail_at(n->source(), key, "expected true or false, found " + type_name(*n));
      field = n->as_boolean()->get();
    }
  }
  void text(std::string_view key, std::string& field, FieldDoc) {
    if (const toml::node* n = find(key)) field = string_at(key, *n);
  }
  void month(std::string_view key, YearMonth& field, FieldDoc) {
    if (const toml::node* n = find(key)) field = month_at(key, *n);
  }
  void required_month(std::string_view key, YearMonth& field, FieldDoc) {
    if (const toml::node* n = find(key))
      field = month_at(key, *n);
    else
      fail("missing required key '" + std::string(key) + "' (a month, \"YYYY-MM\")");
  }
  void optional_month(std::string_view key, std::optional<YearMonth>& field, FieldDoc) {
    if (const toml::node* n = find(key)) field = month_at(key, *n);
  }
  void names(std::string_view key, std::vector<std::string>& field, FieldDoc) {
    if (const toml::node* n = find(key)) field = string_list(key, *n);
  }
  void months(std::string_view key, std::vector<YearMonth>& field, FieldDoc) {
    const toml::node* n = find(key);
    if (!n) return;
    if (!n->is_array()) fail_at(n->source(), key, "expected an array of months, found " + type_name(*n));
    field.clear();
    for (const toml::node& e : *n->as_array()) field.push_back(month_at(key, e));
  }
  /// An enum from its name, through the table of allowed names.
  template <class E, class Table>
  void choice(std::string_view key, E& field, const Table& table, FieldDoc) {
    const toml::node* n = find(key);
    if (!n) return;
    const std::string value = string_at(key, *n);
    std::string allowed;
    for (const auto& [name, e] : table) {
      if (value == name) {
        field = e;
        return;
      }
      allowed += (allowed.empty() ? "\"" : ", \"") + std::string(name) + "\"";
    }
    fail_at(n->source(), key, "expected one of " + allowed + ", found \"" + value + "\"");
  }

  std::string string_at(std::string_view key, const toml::node& n) const {
    if (!n.is_string()) fail_at(n.source(), key, "expected a string, found " + type_name(n));
    return n.as_string()->get();
  }
  std::vector<std::string> string_list(std::string_view key, const toml::node& n) const {
    if (!n.is_array()) fail_at(n.source(), key, "expected an array of strings, found " + type_name(n));
    std::vector<std::string> out;
    for (const toml::node& e : *n.as_array()) out.push_back(string_at(key, e));
    return out;
  }

 private:
  void read_number(std::string_view key, double& field, double lo, double hi, bool required) {
    const toml::node* n = find(key);
    if (!n) {
      if (required) fail("missing required key '" + std::string(key) + "' (a number)");
      return;
    }
    double x;
    if (n->is_floating_point())
      x = n->as_floating_point()->get();
    else if (n->is_integer())
      x = static_cast<double>(n->as_integer()->get());
    else
      fail_at(n->source(), key, "expected a number, found " + type_name(*n));
    if (const std::string problem = number_range_problem(x, lo, hi); !problem.empty())
      fail_at(n->source(), key, problem);
    field = x;
  }
  template <class I>
  void read_integer(std::string_view key, I& field, long long lo, long long hi, bool required) {
    const toml::node* n = find(key);
    if (!n) {
      if (required) fail("missing required key '" + std::string(key) + "' (an integer)");
      return;
    }
    if (!n->is_integer()) fail_at(n->source(), key, "expected an integer, found " + type_name(*n));
    const long long x = n->as_integer()->get();
    if (const std::string problem = integer_range_problem(x, lo, hi); !problem.empty())
      fail_at(n->source(), key, problem);
    field = static_cast<I>(x);
  }
  YearMonth month_at(std::string_view key, const toml::node& n) const {
    const std::string s = string_at(key, n);
    auto ym = parse_year_month(s);
    if (!ym) fail_at(n.source(), key, "expected a month \"YYYY-MM\" (year 1900-2200), found \"" + s + "\"");
    return *ym;
  }

  std::string path_;
  std::vector<const toml::table*> layers_;
  toml::source_region anchor_;
  bool all_required_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace smesim::detail
