// Reading scenario files: layered TOML (base files, the file, --set overrides), checked
// key by key against the fields each parameter struct declares.
#include "smesim/scenario/loader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <fstream>
#include <set>
#include <sstream>

#include "readers.hpp"
#include "section.hpp"
#include "sections.hpp"
#include "smesim/core/error.hpp"
#include "smesim/scenario/oxcgrt.hpp"

namespace smesim {
namespace {

namespace fs = std::filesystem;
using namespace detail;

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

void add_file_layers(std::string_view text, const std::string& name, const fs::path& dir, std::vector<fs::path>& chain,
                     Layers& layers);

void add_base(const toml::table& table, const fs::path& dir, std::vector<fs::path>& chain, Layers& layers) {
  const toml::node* base = table.get("base");
  if (!base) return;
  if (!base->is_string())
    throw ScenarioError(where(base->source()) + ": base: expected a file name string, found " + type_name(*base));
  const fs::path path = dir / base->as_string()->get();
  std::error_code ec;
  const fs::path canon = fs::weakly_canonical(path, ec);
  if (std::find(chain.begin(), chain.end(), canon) != chain.end()) {
    std::string cycle;
    for (const auto& p : chain) cycle += p.filename().string() + " -> ";
    throw ScenarioError(where(base->source()) + ": base: inheritance cycle: " + cycle + canon.filename().string());
  }
  std::string text;
  try {
    text = read_scenario_file(path);
  } catch (const ScenarioError& e) {
    throw ScenarioError(where(base->source()) + ": base: " + e.what());
  }
  chain.push_back(canon);
  add_file_layers(text, path.string(), path.parent_path(), chain, layers);
  chain.pop_back();
}

void add_file_layers(std::string_view text, const std::string& name, const fs::path& dir, std::vector<fs::path>& chain,
                     Layers& layers) {
  toml::table table = parse_text(text, name);
  add_base(table, dir, chain, layers);
  layers.tables.push_back(std::move(table));
}

/// `t` if it holds exactly one key path (a.b.c = value), else a ScenarioError.
toml::table one_key(toml::table t, const std::string& arg) {
  const toml::table* level = &t;
  while (level->size() == 1 && level->begin()->second.is_table() && !level->begin()->second.as_table()->is_inline())
    level = level->begin()->second.as_table();
  if (level->size() != 1)
    throw ScenarioError("--set " + arg + ": sets more than one key; expected KEY=VALUE, one key per --set");
  return t;
}

/// "a.b.c=value" as a one-line TOML document; a value that is not TOML is a string.
toml::table override_layer(const std::string& arg) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) throw ScenarioError("--set " + arg + ": expected path.to.key=value");
  const std::string key = arg.substr(0, eq), value = arg.substr(eq + 1);
  // One key per --set: a newline would let one argument set several keys.
  if (value.find_first_of("\r\n") != std::string::npos)
    throw ScenarioError("--set " + arg + ": the value holds a line break; expected KEY=VALUE, one key per --set");
  const bool bare_key = std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
  if (!bare_key) throw ScenarioError("--set " + arg + ": '" + key + "' is not a key path");
  const std::string name = "--set " + arg;
  try {
    return one_key(toml::parse(key + " = " + value, name), arg);
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
void read_shares(Section& parent, std::string_view key, const std::vector<std::string>& names, Out& out) {
  if (!parent.find(key)) parent.fail("missing required key '" + std::string(key) + "' (a table of shares)");
  Section s = parent.child(key);
  double sum = 0;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out[i] = 0;
    s.number(names[i], out[i], 0, 1, nullptr);
    sum += out[i];
  }
  s.check_unknown();
  if (std::abs(sum - 1.0) > 1e-6) s.fail("shares sum to " + format_number(sum) + "; expected 1 (within 1e-6)");
}

void read_waves(Section& city, City& c) {
  const toml::node* n = city.find("waves");
  if (!n) return;
  if (!n->is_array())
    city.fail_at(n->source(), "waves", "expected an array of tables ([[...waves]]), found " + type_name(*n));
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

/// The city's real stringency series, "oxcgrt:ID"; "" (a variant undoing its base's) is none.
void read_stringency_series(Section& city, City& c) {
  const toml::node* n = city.find("stringency");
  if (!n) return;
  c.stringency = city.string_at("stringency", *n);
  if (!c.stringency.empty() && !oxcgrt_series_of(c.stringency))
    city.fail_at(n->source(), "stringency",
                 "unknown stringency series \"" + c.stringency + "\"; expected \"\" (none) or one of " +
                     oxcgrt_choices() + " (OxCGRT, by country or region code)");
}

void read_sectors(Section& root, Scenario& sc) {
  Section all = root.child("sectors");
  for (const std::string& name : sc.simulation.sectors) {
    auto defaults = default_sector(name);
    Section s = all.child(name, !defaults.has_value());
    if (!defaults && !s.defined())
      root.fail("sector '" + name + "' is listed in simulation.sectors but has no [sectors." + name +
                "] table, and it is not a calibration sector");
    Sector sec = defaults.value_or(Sector{});
    sec.name = name;
    sec.fields(s);
    for (const std::string& supplier : sc.simulation.sectors)
      sec.io_weights.push_back(default_io_weight(name, supplier).value_or(0.0));
    if (s.find("io_weights")) {
      Section w = s.child("io_weights");
      for (std::size_t j = 0; j < sc.simulation.sectors.size(); ++j)
        w.number(sc.simulation.sectors[j], sec.io_weights[j], 0, 1, nullptr);
      w.check_unknown();
    }
    s.check_unknown();
    if (const std::string problem = margin_problem(sec); !problem.empty()) s.fail(problem);
    sc.sectors.push_back(sec);
  }
  for (const auto& [k, src] : all.keys())
    if (std::find(sc.simulation.sectors.begin(), sc.simulation.sectors.end(), k) == sc.simulation.sectors.end())
      all.fail_at(src, k, "sector is not listed in simulation.sectors");
  if (const std::string problem = consumption_problem(sc); !problem.empty()) all.fail(problem);
}

/// A [cities.ID] table for an id that no layer's simulation.cities lists is a typo: a
/// variant may select fewer cities than its base defines, but some layer must list each.
void check_city_tables(const Section& all, const Section& sim, const Scenario& sc) {
  std::set<std::string, std::less<>> listed(sc.simulation.cities.begin(), sc.simulation.cities.end());
  for (const toml::node* n : sim.each("cities"))
    if (const toml::array* a = n->as_array())
      for (const toml::node& e : *a)
        if (e.is_string()) listed.insert(e.as_string()->get());
  for (const auto& [k, src] : all.keys())
    if (!listed.count(k))
      all.fail_at(src, k,
                  "a city table, but no simulation.cities list (in this file, its base files or --set) names '" + k +
                      "'" + suggest(k, listed));
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
    read_stringency_series(s, c);
    read_city_economy(s, c, sc);
    s.check_unknown();
    sc.cities.push_back(std::move(c));
    if (const std::string problem = firm_count_problem(sc, sc.cities.size() - 1); !problem.empty()) s.fail(problem);
  }
  check_city_tables(all, sim, sc);
}

void read_simulation(Section& root, Scenario& sc) {
  Section sim = root.child("simulation");
  sc.simulation.fields(sim);
  if (const toml::node* n = sim.find("cities")) {
    sc.simulation.cities = sim.string_list("cities", *n);
    if (sc.simulation.cities.empty() || sc.simulation.cities.size() > kMaxCities)
      sim.fail_at(n->source(), "cities",
                  "expected 1 to " + std::to_string(kMaxCities) + " cities, found " +
                      std::to_string(sc.simulation.cities.size()));
    std::set<std::string> unique(sc.simulation.cities.begin(), sc.simulation.cities.end());
    if (unique.size() != sc.simulation.cities.size()) sim.fail_at(n->source(), "cities", "a city is listed twice");
  } else {
    sim.fail("missing required key 'cities' (the list of city ids to simulate)");
  }
  sc.simulation.sectors = default_sector_names();
  if (const toml::node* n = sim.find("sectors")) {
    sc.simulation.sectors = sim.string_list("sectors", *n);
    if (sc.simulation.sectors.empty() || sc.simulation.sectors.size() > kMaxSectors)
      sim.fail_at(n->source(), "sectors", "expected 1 to " + std::to_string(kMaxSectors) + " sectors");
    std::set<std::string> unique(sc.simulation.sectors.begin(), sc.simulation.sectors.end());
    if (unique.size() != sc.simulation.sectors.size()) sim.fail_at(n->source(), "sectors", "a sector is listed twice");
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
  // [demand] first: the cities' default input-output matrices need it.
  for_each_plain_section(sc, [&](std::string_view key, auto& value) {
    Section s = root.child(key);
    value.fields(s);
    s.check_unknown();
  });
  if (const std::string problem = size_class_problem(sc.size_classes); !problem.empty())
    root.child("size_classes").fail(problem);
  read_simulation(root, sc);
  read_policies(root, sc);
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

}  // namespace

std::string read_scenario_file(const fs::path& file) {
  std::error_code ec;
  const auto status = fs::status(file, ec);
  if (ec || !fs::exists(status)) throw ScenarioError(file.string() + ": cannot read scenario file (no such file)");
  if (!fs::is_regular_file(status))
    throw ScenarioError(file.string() + ": cannot read scenario file (not a regular file)");
  if (fs::file_size(file, ec) > kMaxScenarioBytes)
    throw ScenarioError(file.string() + ": scenario file larger than " + std::to_string(kMaxScenarioBytes >> 20) +
                        " MiB; is it a scenario?");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ScenarioError(file.string() + ": cannot read scenario file");
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

Scenario load_scenario(const fs::path& file, const std::vector<std::string>& overrides) {
  return load(read_scenario_file(file), file.string(), file.parent_path(), overrides);
}

Scenario parse_scenario(std::string_view text, const std::string& name, const std::vector<std::string>& overrides) {
  return load(text, name, fs::current_path(), overrides);
}

}  // namespace smesim
