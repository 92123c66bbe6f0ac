// Reading scenario files: layered TOML (base files, the file, --set overrides), checked
// key by key against the fields each parameter struct declares.
#include "smesim/scenario/loader.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <deque>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "smesim/core/error.hpp"

namespace smesim {
namespace {

namespace fs = std::filesystem;

/// "file:line:column" of a node, or the --set argument it came from.
std::string where(const toml::source_region& r) {
  const std::string file = r.path ? *r.path : std::string("<input>");
  if (file.rfind("--set", 0) == 0) return file;
  return file + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
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
std::string suggest(std::string_view key, const std::set<std::string, std::less<>>& known) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(3, key.size() / 3) + 1;
  for (const auto& k : known) {
    const std::size_t d = edit_distance(key, k);
    if (d < best_d) best_d = d, best = k;
  }
  return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date or time";
  }
}

std::string format_number(double x) {
  std::ostringstream s;
  s.precision(10);
  s << x;
  return s.str();
}

/// One table path (e.g. "cities.bangkok") seen through every layer that defines it; the
/// last layer wins key by key. It also implements the field visitor the structs call.
class Section {
 public:
  Section(std::string path, std::vector<const toml::table*> layers, toml::source_region anchor,
          bool all_required = false)
      : path_(std::move(path)), layers_(std::move(layers)), anchor_(std::move(anchor)),
        all_required_(all_required) {}

  std::string full(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  [[noreturn]] void fail_at(const toml::source_region& r, std::string_view key,
                            const std::string& msg) const {
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
        if (!known_.count(k.str()))
          fail_at(k.source(), k.str(), "unknown key" + suggest(k.str(), known_));
  }

  // ---- the field visitor ----
  void number(std::string_view key, double& field, double lo, double hi, const char*) {
    read_number(key, field, lo, hi, all_required_);
  }
  void required_number(std::string_view key, double& field, double lo, double hi, const char*) {
    read_number(key, field, lo, hi, true);
  }
  template <class I>
  void integer(std::string_view key, I& field, long long lo, long long hi, const char*) {
    read_integer(key, field, lo, hi, all_required_);
  }
  template <class I>
  void required_integer(std::string_view key, I& field, long long lo, long long hi, const char*) {
    read_integer(key, field, lo, hi, true);
  }
  void flag(std::string_view key, bool& field, const char*) {
    if (const toml::node* n = find(key)) {
      if (!n->is_boolean()) fail_at(n->source(), key, "expected true or false, found " + type_name(*n));
      field = n->as_boolean()->get();
    }
  }
  void text(std::string_view key, std::string& field, const char*) {
    if (const toml::node* n = find(key)) field = string_at(key, *n);
  }
  void month(std::string_view key, YearMonth& field, const char*) {
    if (const toml::node* n = find(key)) field = month_at(key, *n);
  }
  void required_month(std::string_view key, YearMonth& field, const char*) {
    if (const toml::node* n = find(key)) field = month_at(key, *n);
    else fail("missing required key '" + std::string(key) + "' (a month, \"YYYY-MM\")");
  }
  void optional_month(std::string_view key, std::optional<YearMonth>& field, const char*) {
    if (const toml::node* n = find(key)) field = month_at(key, *n);
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
    if (n->is_floating_point()) x = n->as_floating_point()->get();
    else if (n->is_integer()) x = static_cast<double>(n->as_integer()->get());
    else fail_at(n->source(), key, "expected a number, found " + type_name(*n));
    if (!(x >= lo && x <= hi))  // also rejects NaN
      fail_at(n->source(), key, "value " + format_number(x) + " is out of range; expected " +
                                    format_number(lo) + " to " + format_number(hi));
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
    if (x < lo || x > hi)
      fail_at(n->source(), key, "value " + std::to_string(x) + " is out of range; expected " +
                                    std::to_string(lo) + " to " + std::to_string(hi));
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

/// Parsed files, base first. Tables are kept in a deque so pointers stay valid.
struct Layers {
  std::deque<toml::table> tables;
  std::vector<const toml::table*> pointers() const {
    std::vector<const toml::table*> out;
    for (const auto& t : tables) out.push_back(&t);
    return out;
  }
};

toml::table parse_text(std::string_view text, const std::string& name) {
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw ScenarioError(where(e.source()) + ": syntax error: " + std::string(e.description()));
  }
}

void add_file_layers(std::string_view text, const std::string& name, const fs::path& dir,
                     std::vector<fs::path>& chain, Layers& layers);

void add_base(const toml::table& table, const fs::path& dir, std::vector<fs::path>& chain,
              Layers& layers) {
  const toml::node* base = table.get("base");
  if (!base) return;
  if (!base->is_string())
    throw ScenarioError(where(base->source()) + ": base: expected a file name string, found " +
                        type_name(*base));
  const fs::path path = dir / base->as_string()->get();
  std::error_code ec;
  const fs::path canon = fs::weakly_canonical(path, ec);
  if (std::find(chain.begin(), chain.end(), canon) != chain.end()) {
    std::string cycle;
    for (const auto& p : chain) cycle += p.filename().string() + " -> ";
    throw ScenarioError(where(base->source()) + ": base: inheritance cycle: " + cycle +
                        canon.filename().string());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path, ec))
    throw ScenarioError(where(base->source()) + ": base: cannot read base file '" +
                        path.string() + "'");
  std::stringstream buf;
  buf << in.rdbuf();
  chain.push_back(canon);
  add_file_layers(buf.str(), path.string(), path.parent_path(), chain, layers);
  chain.pop_back();
}

void add_file_layers(std::string_view text, const std::string& name, const fs::path& dir,
                     std::vector<fs::path>& chain, Layers& layers) {
  toml::table table = parse_text(text, name);
  add_base(table, dir, chain, layers);
  layers.tables.push_back(std::move(table));
}

/// "a.b.c=value" as a one-line TOML document; a value that is not TOML is a string.
toml::table override_layer(const std::string& arg) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ScenarioError("--set " + arg + ": expected path.to.key=value");
  const std::string key = arg.substr(0, eq), value = arg.substr(eq + 1);
  const bool bare_key = std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
  if (!bare_key) throw ScenarioError("--set " + arg + ": '" + key + "' is not a key path");
  const std::string name = "--set " + arg;
  try {
    return toml::parse(key + " = " + value, name);
  } catch (const toml::parse_error&) {
  }
  std::string quoted;
  for (char c : value) quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  try {
    return toml::parse(key + " = \"" + quoted + "\"", name);
  } catch (const toml::parse_error& e) {
    throw ScenarioError(name + ": " + std::string(e.description()));
  }
}

/// A table of shares keyed by names; absent names are 0. Checks the sum is 1.
template <class Out>
void read_shares(Section& parent, std::string_view key, const std::vector<std::string>& names,
                 Out& out) {
  if (!parent.find(key)) parent.fail("missing required key '" + std::string(key) + "' (a table of shares)");
  Section s = parent.child(key);
  double sum = 0;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out[i] = 0;
    s.number(names[i], out[i], 0, 1, nullptr);
    sum += out[i];
  }
  s.check_unknown();
  if (std::abs(sum - 1.0) > 1e-6)
    s.fail("shares sum to " + format_number(sum) + "; expected 1 (within 1e-6)");
}

void read_waves(Section& city, City& c) {
  const toml::node* n = city.find("waves");
  if (!n) return;
  if (!n->is_array()) city.fail_at(n->source(), "waves", "expected an array of tables ([[...waves]]), found " + type_name(*n));
  int i = 0;
  for (const toml::node& e : *n->as_array()) {
    const std::string path = city.full("waves") + "[" + std::to_string(i++) + "]";
    if (!e.is_table()) city.fail_at(e.source(), "waves", "expected a table for each wave, found " + type_name(e));
    Section s(path, {e.as_table()}, e.source());
    Wave w;
    w.fields(s);
    s.check_unknown();
    if (w.end && months_between(w.start, *w.end) <= 0)
      s.fail("end " + w.end->str() + " must be after start " + w.start.str());
    c.waves.push_back(w);
  }
}

void read_sectors(Section& root, Scenario& sc) {
  Section all = root.child("sectors");
  for (const std::string& name : sc.simulation.sectors) {
    auto defaults = default_sector(name);
    Section s = all.child(name, !defaults.has_value());
    if (!defaults && !s.defined())
      root.fail("sector '" + name + "' is listed in simulation.sectors but has no [sectors." +
                name + "] table, and it is not a calibration sector");
    Sector sec = defaults.value_or(Sector{});
    sec.name = name;
    sec.fields(s);
    s.check_unknown();
    const double margin = 1 - sec.input_share - sec.labour_share - sec.fixed_cost_share;
    if (margin <= 0)
      s.fail("input_share + labour_share + fixed_cost_share = " + format_number(1 - margin) +
             "; expected less than 1 (a positive baseline margin)");
    sc.sectors.push_back(sec);
  }
  for (const auto& [k, src] : all.keys())
    if (std::find(sc.simulation.sectors.begin(), sc.simulation.sectors.end(), k) ==
        sc.simulation.sectors.end())
      all.fail_at(src, k, "sector is not listed in simulation.sectors");
}

void read_cities(Section& root, Section& sim, Scenario& sc) {
  Section all = root.child("cities");
  std::set<std::string, std::less<>> defined;
  for (const auto& [k, src] : all.keys()) defined.insert(k);
  std::vector<std::string> sector_names;
  for (const auto& s : sc.sectors) sector_names.push_back(s.name);
  for (const std::string& id : sc.simulation.cities) {
    if (!defined.count(id))
      sim.fail("cities lists '" + id + "' but there is no [cities." + id + "] table" + suggest(id, defined));
    Section s = all.child(id);
    City c;
    c.id = c.name = id;
    c.fields(s);
    c.sector_shares.resize(sc.sectors.size());
    read_shares(s, "sector_shares", sector_names, c.sector_shares);
    const std::vector<std::string> size_names(kSizeClassNames.begin(), kSizeClassNames.end());
    read_shares(s, "size_shares", size_names, c.size_shares);
    read_waves(s, c);
    s.check_unknown();
    const double firms = std::round(static_cast<double>(c.smes) * sc.simulation.population_scale);
    if (firms < 1)
      s.fail("smes x population_scale rounds to 0 firms; raise simulation.population_scale");
    sc.cities.push_back(std::move(c));
  }
}

void read_simulation(Section& root, Scenario& sc) {
  Section sim = root.child("simulation");
  sc.simulation.fields(sim);
  if (const toml::node* n = sim.find("cities")) {
    sc.simulation.cities = sim.string_list("cities", *n);
    if (sc.simulation.cities.empty() || sc.simulation.cities.size() > kMaxCities)
      sim.fail_at(n->source(), "cities", "expected 1 to " + std::to_string(kMaxCities) +
                                             " cities, found " + std::to_string(sc.simulation.cities.size()));
    std::set<std::string> unique(sc.simulation.cities.begin(), sc.simulation.cities.end());
    if (unique.size() != sc.simulation.cities.size())
      sim.fail_at(n->source(), "cities", "a city is listed twice");
  } else {
    sim.fail("missing required key 'cities' (the list of city ids to simulate)");
  }
  sc.simulation.sectors = default_sector_names();
  if (const toml::node* n = sim.find("sectors")) {
    sc.simulation.sectors = sim.string_list("sectors", *n);
    if (sc.simulation.sectors.empty() || sc.simulation.sectors.size() > kMaxSectors)
      sim.fail_at(n->source(), "sectors", "expected 1 to " + std::to_string(kMaxSectors) + " sectors");
    std::set<std::string> unique(sc.simulation.sectors.begin(), sc.simulation.sectors.end());
    if (unique.size() != sc.simulation.sectors.size())
      sim.fail_at(n->source(), "sectors", "a sector is listed twice");
  }
  sim.check_unknown();
  read_sectors(root, sc);
  read_cities(root, sim, sc);
}

Scenario resolve(const Layers& layers, const std::string& name, std::size_t file_layers) {
  // Errors about the scenario as a whole point at the top file, not at a --set layer.
  Section root("", layers.pointers(), layers.tables[file_layers - 1].source());
  Scenario sc;
  sc.source_file = name;
  root.allow("base");
  root.allow("description");
  root.text("title", sc.title, nullptr);
  if (const toml::node* d = root.find("description")) root.string_at("description", *d);
  read_simulation(root, sc);
  Section size = root.child("size_classes");
  sc.size_classes.fields(size);
  size.check_unknown();
  if (!(sc.size_classes.micro_max < sc.size_classes.small_max &&
        sc.size_classes.small_max < sc.size_classes.medium_max))
    size.fail("expected micro_max < small_max < medium_max");
  Section firms = root.child("firms");
  sc.firms.fields(firms);
  firms.check_unknown();
  root.check_unknown();
  return sc;
}

Scenario load(std::string_view text, const std::string& name, const fs::path& dir,
              const std::vector<std::string>& overrides) {
  Layers layers;
  std::error_code ec;
  std::vector<fs::path> chain{fs::weakly_canonical(fs::path(name), ec)};
  add_file_layers(text, name, dir, chain, layers);
  const std::size_t file_layers = layers.tables.size();
  for (const auto& o : overrides) layers.tables.push_back(override_layer(o));
  return resolve(layers, name, file_layers);
}

// ---- writing the resolved scenario ----

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c == '\n') out += "\\n";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

/// Shortest text that reads back as the same double.
std::string number_text(double x) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

/// Emits "key = value" lines in field order.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void number(std::string_view k, double& f, double, double, const char*) { line(k, number_text(f)); }
  void required_number(std::string_view k, double& f, double, double, const char*) { line(k, number_text(f)); }
  template <class I>
  void integer(std::string_view k, I& f, long long, long long, const char*) { line(k, std::to_string(f)); }
  template <class I>
  void required_integer(std::string_view k, I& f, long long, long long, const char*) { line(k, std::to_string(f)); }
  void flag(std::string_view k, bool& f, const char*) { line(k, f ? "true" : "false"); }
  void text(std::string_view k, std::string& f, const char*) { line(k, quote(f)); }
  void month(std::string_view k, YearMonth& f, const char*) { line(k, quote(f.str())); }
  void required_month(std::string_view k, YearMonth& f, const char*) { line(k, quote(f.str())); }
  void optional_month(std::string_view k, std::optional<YearMonth>& f, const char*) {
    if (f) line(k, quote(f->str()));
  }
  void line(std::string_view k, const std::string& v) { out_ += std::string(k) + " = " + v + "\n"; }

 private:
  std::string& out_;
};

template <class T>
void emit(std::string& out, const std::string& header, T value) {
  out += "\n" + header + "\n";
  Writer w(out);
  value.fields(w);
}

std::string string_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quote(v[i]);
  return out + "]";
}

template <class Names, class Values>
std::string inline_table(const Names& names, const Values& values) {
  std::string out = "{ ";
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i ? ", " : "") + std::string(names[i]) + " = " + number_text(values[i]);
  return out + " }";
}

}  // namespace

Scenario load_scenario(const fs::path& file, const std::vector<std::string>& overrides) {
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (!in || fs::is_directory(file, ec))
    throw ScenarioError(file.string() + ": cannot read scenario file");
  std::stringstream buf;
  buf << in.rdbuf();
  return load(buf.str(), file.string(), file.parent_path(), overrides);
}

Scenario parse_scenario(std::string_view text, const std::string& name,
                        const std::vector<std::string>& overrides) {
  return load(text, name, fs::current_path(), overrides);
}

std::string to_toml(const Scenario& sc) {
  std::string out = "# Fully resolved scenario: every key, defaults included.\n";
  Writer top(out);
  top.line("title", quote(sc.title));
  emit(out, "[simulation]", sc.simulation);
  top.line("cities", string_list(sc.simulation.cities));
  top.line("sectors", string_list(sc.simulation.sectors));
  emit(out, "[size_classes]", sc.size_classes);
  emit(out, "[firms]", sc.firms);
  for (const auto& s : sc.sectors) emit(out, "[sectors." + s.name + "]", s);
  for (const auto& c : sc.cities) {
    emit(out, "[cities." + c.id + "]", c);
    top.line("sector_shares", inline_table(sc.simulation.sectors, c.sector_shares));
    top.line("size_shares", inline_table(kSizeClassNames, c.size_shares));
    if (c.waves.empty()) top.line("waves", "[]");
    for (const auto& w : c.waves) emit(out, "[[cities." + c.id + ".waves]]", w);
  }
  return out;
}

}  // namespace smesim
