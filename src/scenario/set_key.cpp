// Setting one number key of a loaded scenario (--seed, --replications, sweep points)
// with the loader's checks, without writing the value out and reading it back.

#include "section.hpp"
#include "sections.hpp"
#include "smesim/scenario/loader.hpp"

namespace smesim {
namespace {

using namespace detail;

/// A number as a TOML file would hold it: an integer or a decimal.
struct Number {
  long long whole;
  double decimal;
  bool integer;
  double as_double() const { return integer ? static_cast<double>(whole) : decimal; }
  const char* type() const { return integer ? "an integer" : "a number"; }
};

/// A field visitor that sets the field named `key` and checks it as Section would.
class Assign {
 public:
  Assign(std::string path, std::string key, Number value)
      : path_(std::move(path)), key_(std::move(key)), value_(value) {}
  bool found() const { return found_; }
  const std::set<std::string, std::less<>>& known() const { return known_; }

  void number(std::string_view k, double& f, double lo, double hi, FieldDoc) {
    if (!match(k)) return;
    const double x = value_.as_double();
    if (const std::string problem = number_range_problem(x, lo, hi); !problem.empty()) fail(problem);
    f = x;
  }
  void required_number(std::string_view k, double& f, double lo, double hi, FieldDoc d) { number(k, f, lo, hi, d); }
  template <class I>
  void integer(std::string_view k, I& f, long long lo, long long hi, FieldDoc) {
    if (!match(k)) return;
    if (!value_.integer) fail("expected an integer, found a number");
    if (const std::string problem = integer_range_problem(value_.whole, lo, hi); !problem.empty()) fail(problem);
    f = static_cast<I>(value_.whole);
  }
  template <class I>
  void required_integer(std::string_view k, I& f, long long lo, long long hi, FieldDoc d) {
    integer(k, f, lo, hi, d);
  }
  void flag(std::string_view k, bool&, FieldDoc) { wrong_type(k, "true or false"); }
  void text(std::string_view k, std::string&, FieldDoc) { wrong_type(k, "a string"); }
  void month(std::string_view k, YearMonth&, FieldDoc) { wrong_type(k, "a string"); }
  void required_month(std::string_view k, YearMonth&, FieldDoc) { wrong_type(k, "a string"); }
  void optional_month(std::string_view k, std::optional<YearMonth>&, FieldDoc) { wrong_type(k, "a string"); }
  void names(std::string_view k, std::vector<std::string>&, FieldDoc) { wrong_type(k, "an array of strings"); }
  void months(std::string_view k, std::vector<YearMonth>&, FieldDoc) { wrong_type(k, "an array of months"); }
  template <class E, class Table>
  void choice(std::string_view k, E&, const Table&, FieldDoc) {
    wrong_type(k, "a string");
  }

 private:
  bool match(std::string_view k) {
    known_.emplace(k);
    if (k != key_) return false;
    found_ = true;
    return true;
  }
  void wrong_type(std::string_view k, const char* expected) {
    if (match(k)) fail(std::string("expected ") + expected + ", found " + value_.type());
  }
  [[noreturn]] void fail(const std::string& msg) const { throw ScenarioError(path_ + "." + key_ + ": " + msg); }

  std::string path_, key_;
  Number value_;
  bool found_ = false;
  std::set<std::string, std::less<>> known_;
};

[[noreturn]] void unknown(const std::string& what, const std::string& name,
                          const std::set<std::string, std::less<>>& known) {
  throw ScenarioError(what + ": unknown key" + suggest(name, known));
}

/// Calls f(struct) with the struct whose fields() hold the keys of section `path`.
template <class F>
void with_section(Scenario& sc, const std::string& path, F&& f) {
  bool done = false;
  if (path == "simulation") f(sc.simulation), done = true;
  for_each_plain_section(sc, [&](std::string_view key, auto& value) {
    if (path == key) f(value), done = true;
  });
  for (Sector& s : sc.sectors)
    if (path == "sectors." + s.name) f(s), done = true;
  for (City& c : sc.cities) {
    const std::string city = "cities." + c.id;
    if (path == city) f(c), done = true;
    if (path == city + ".procurement") f(c.procurement), done = true;
    if (path == city + ".programme" && c.programme) f(*c.programme), done = true;
    if (path == city + ".hazard" && c.hazard) f(*c.hazard), done = true;
  }
  if (!done)
    throw ScenarioError(path +
                        ": no such section in this scenario, or not one whose numbers can be set (a city's "
                        "programme or hazard must be in the scenario file, and enabled)");
}

/// The cross-field rules the loader checks, and the default input-output matrices.
void recheck(Scenario& sc) {
  if (const std::string problem = size_class_problem(sc.size_classes); !problem.empty())
    throw ScenarioError("size_classes: " + problem);
  for (const Sector& s : sc.sectors)
    if (const std::string problem = margin_problem(s); !problem.empty())
      throw ScenarioError("sectors." + s.name + ": " + problem);
  if (const std::string problem = consumption_problem(sc); !problem.empty()) throw ScenarioError("sectors: " + problem);
  for (std::size_t i = 0; i < sc.cities.size(); ++i) {
    City& c = sc.cities[i];
    if (const std::string problem = firm_count_problem(sc, i); !problem.empty())
      throw ScenarioError("cities." + c.id + ": " + problem);
    if (!c.own_input_output) default_input_output(sc, c);
  }
}

void set(Scenario& sc, const std::string& key, Number value) {
  const auto dot = key.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == key.size())
    throw ScenarioError(key + ": expected a key path such as firms.payout_rate");
  const std::string path = key.substr(0, dot), name = key.substr(dot + 1);
  with_section(sc, path, [&](auto& section) {
    Assign assign(path, name, value);
    section.fields(assign);
    if (!assign.found()) unknown(key, name, assign.known());
  });
  recheck(sc);
}

}  // namespace

void set_key(Scenario& scenario, const std::string& key, long long value) { set(scenario, key, {value, 0.0, true}); }

void set_key(Scenario& scenario, const std::string& key, double value) { set(scenario, key, {0, value, false}); }

}  // namespace smesim
