// The key reference of scenario files: a field visitor that describes instead of reading,
// plus the keys the loader reads itself (lists, share tables, sub-tables, arrays).
#include "smesim/scenario/reference.hpp"

#include <algorithm>

#include "section.hpp"
#include "sections.hpp"
#include "smesim/scenario/oxcgrt.hpp"
#include "smesim/scenario/scenario.hpp"
#include "smesim/scenario/sweep.hpp"

namespace smesim {
namespace {

using namespace detail;

/// A number as the reference prints it: "0.5", "60", "1e9", "1e-9".
std::string doc_number(double x) {
  std::string s = format_number(x);
  const auto e = s.find('e');
  if (e == std::string::npos) {
    const bool power_of_ten = s.size() > 6 && s[0] == '1' && s.find_first_not_of('0', 1) == std::string::npos;
    return power_of_ten ? "1e" + std::to_string(s.size() - 1) : s;
  }
  std::string exponent = s.substr(e + 1);
  const bool negative = exponent[0] == '-';
  exponent.erase(0, exponent.find_first_not_of("+-0"));
  return s.substr(0, e) + "e" + (negative ? "-" : "") + exponent;
}

std::string code(const std::string& text) { return "`" + text + "`"; }
std::string quoted_text(const std::string& text) { return code("\"" + text + "\""); }

constexpr const char* kRequired = "**required**";
constexpr const char* kMonths = "1900-01 to 2200-12";

/// Describes each field it visits as one KeyDoc, the member's value being the default.
class Describe {
 public:
  explicit Describe(std::vector<KeyDoc>& out) : out_(out) {}
  void number(std::string_view k, double& f, double lo, double hi, FieldDoc d) {
    add(k, "number", doc_number(f), range(doc_number(lo), doc_number(hi)), d);
  }
  void required_number(std::string_view k, double&, double lo, double hi, FieldDoc d) {
    add(k, "number", kRequired, range(doc_number(lo), doc_number(hi)), d);
  }
  template <class I>
  void integer(std::string_view k, I& f, long long lo, long long hi, FieldDoc d) {
    add(k, "integer", std::to_string(f), range(std::to_string(lo), std::to_string(hi)), d);
  }
  template <class I>
  void required_integer(std::string_view k, I&, long long lo, long long hi, FieldDoc d) {
    add(k, "integer", kRequired, range(std::to_string(lo), std::to_string(hi)), d);
  }
  void flag(std::string_view k, bool& f, FieldDoc d) {
    add(k, "boolean", code(f ? "true" : "false"), "`true`, `false`", d);
  }
  void text(std::string_view k, std::string& f, FieldDoc d) { add(k, "string", quoted_text(f), "any string", d); }
  void month(std::string_view k, YearMonth& f, FieldDoc d) { add(k, "month", quoted_text(f.str()), kMonths, d); }
  void required_month(std::string_view k, YearMonth&, FieldDoc d) { add(k, "month", kRequired, kMonths, d); }
  void optional_month(std::string_view k, std::optional<YearMonth>&, FieldDoc d) {
    add(k, "month", "none", kMonths, d);
  }
  void names(std::string_view k, std::vector<std::string>&, FieldDoc d) {
    add(k, "list of names", "`[]`", "names the scenario defines", d);
  }
  void months(std::string_view k, std::vector<YearMonth>&, FieldDoc d) {
    add(k, "list of months", "`[]`", "months " + std::string(kMonths), d);
  }
  template <class E, class Table>
  void choice(std::string_view k, E& f, const Table& table, FieldDoc d) {
    std::string fallback, allowed;
    for (const auto& [name, e] : table) {
      if (e == f) fallback = quoted_text(name);
      allowed += (allowed.empty() ? "" : ", ") + quoted_text(name);
    }
    add(k, "choice", fallback, allowed, d);
  }

 private:
  static std::string range(const std::string& lo, const std::string& hi) { return lo + " to " + hi; }
  void add(std::string_view k, std::string type, std::string fallback, std::string allowed, const FieldDoc& d) {
    out_.push_back({std::string(k), std::move(type), d.unit ? d.unit : "",
                    d.default_text ? d.default_text : std::move(fallback), std::move(allowed), d.text ? d.text : ""});
  }
  std::vector<KeyDoc>& out_;
};

template <class T>
std::vector<KeyDoc> describe(T value) {
  std::vector<KeyDoc> out;
  Describe d(out);
  value.fields(d);
  return out;
}

std::vector<KeyDoc> joined(std::vector<KeyDoc> a, const std::vector<KeyDoc>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// The accepted `stringency` values as the reference lists them.
std::string oxcgrt_choices_doc() {
  std::string out = quoted_text("");
  for (const OxcgrtSeries& s : oxcgrt_series())
    out += ", " + quoted_text(std::string(kOxcgrtPrefix) + std::string(s.id)) + " (" + std::string(s.name) + ")";
  return out;
}

// The keys the loader reads itself rather than through a fields() list (loader.cpp's
// resolve(), read_simulation(), read_sectors(), read_cities(); read_economy.cpp).
const std::vector<KeyDoc> kTopKeys = {
    {"title", "string", "", "`\"\"` (the file then says \"smesim results\")", "any string",
     "title of the run, written to the result file"},
    {"description", "string", "", "none", "any string",
     "free text for readers of the file; checked to be a string, otherwise unused (not part of the resolved "
     "scenario)"},
    {"base", "string", "", "none", "path to a readable file, relative to this file",
     "a scenario file this one inherits from (see [Inheritance](#inheritance-base))"},
    {"policies", "array of tables", "", "none", "any number, at most one of each kind in force per city at a time",
     "national stimulus policies (see [`[[policies]]`](#policies))"},
};
const std::vector<KeyDoc> kSimulationKeys = {
    {"cities", "list of names", "", kRequired,
     "1 to " + std::to_string(kMaxCities) + " distinct ids, each with a `[cities.ID]` table",
     "the ids of the cities to simulate, in output order (each id is a `[cities.ID]` table)"},
    {"sectors", "list of names", "",
     "the " + std::to_string(default_sector_names().size()) + " calibration sectors (below)",
     "1 to " + std::to_string(kMaxSectors) + " distinct names",
     "the sectors, in output order (each is a calibration sector or has a `[sectors.NAME]` table)"},
};
const std::vector<KeyDoc> kSectorKeys = {
    {"io_weights", "table of numbers", "",
     "calibration rows below; 0 for any supplier or buyer that is not a "
     "calibration sector",
     "each 0 to 1",
     "how this sector, as a buyer, splits its local inputs over supplier sectors: an inline table "
     "`{ supplier = weight }` keyed by listed sector names"},
};
const std::vector<KeyDoc> kCityKeys = {
    {"sector_shares", "table of numbers", "share", kRequired,
     "each 0 to 1, summing to 1 (within 1e-6); only names in `simulation.sectors`",
     "share of the city's SMEs in each sector: a table keyed by sector name; a name left out is 0"},
    {"size_shares", "table of numbers", "share", kRequired, "each 0 to 1, summing to 1 (within 1e-6)",
     "share of the city's SMEs in each size class: keys `micro`, `small`, `medium`; a class left out is 0"},
    {"waves", "array of tables", "", "none (`[]`)", "any number of waves",
     "lockdown waves (see [below](#citiesidwaves))"},
    {"stringency", "string", "", "`\"\"`: none (waves only)", oxcgrt_choices_doc(),
     "real stringency series (OxCGRT, by country or region code), mapped by "
     "[`[stringency_mapping]`](#stringency_mapping); combined with the waves by maximum"},
    {"procurement", "table", "", "the defaults below", "see [below](#citiesidprocurement)",
     "the city's procurement system"},
    {"programme", "table", "", "none: no programme", "see [below](#citiesidprogramme)",
     "the city's resilience programme"},
    {"hazard", "table", "", "none: no hazards", "see [below](#citiesidhazard)", "the city's natural-hazard process"},
    {"input_output", "table", "", "the default matrix (above)", "see [below](#citiesidinput_output)",
     "the city's own local input-output coefficients"},
};
const std::vector<KeyDoc> kProgrammeKeys = {
    {"projects", "array of tables", "", "none", "any number",
     "the procurement calls (see [below](#citiesidprogrammeprojects))"},
};
const std::vector<KeyDoc> kInputOutputKeys = {
    {"BUYER.SUPPLIER", "number", "USD per USD", "0 once the table is given", "0 to 1",
     "local purchases from SUPPLIER per dollar of BUYER output; both are names in `simulation.sectors`"},
};

// The keys of sweep files that load_sweep() reads itself (sweep.cpp).
const std::vector<KeyDoc> kSweepKeys = {
    {"base", "string", "", kRequired, "path to a scenario file, relative to the sweep file",
     "the scenario to vary (it may have a `base` of its own)"},
    {"set", "list of strings", "", "`[]`", "`key=value` as `--set` takes them",
     "overrides of the base at every point, before the command line's `--set` (e.g. "
     "`simulation.population_scale=0.01`)"},
};
const std::vector<KeyDoc> kSweepArrays = {
    {"parameters", "array of tables", "", kRequired, "at least one", "the swept parameters (next table)"},
};
const std::vector<KeyDoc> kParameterKeys = {
    {"key", "string", "", "`key` or `keys` **required**", "a number or integer key of a table (below)",
     "the scenario key to vary, a dotted path as in `--set`"},
    {"keys", "list of names", "", "`[]`", "key paths as for `key`",
     "several keys that all take the same value at a point"},
    {"values", "list of numbers", "", "`[]`", "numbers", "grid: the values, in this order"},
};

/// The policy keys of every kind (`kind` and the keys all kinds share), then one section
/// per kind with the keys the others lack.
void add_policies(std::vector<SectionDoc>& out) {
  std::vector<std::vector<KeyDoc>> kinds;
  std::string names;
  for (const auto& [name, kind] : kPolicyKinds) {
    Policy p;
    p.kind = kind;
    kinds.push_back(describe(p));
    names += (names.empty() ? "" : ", ") + quoted_text(name);
  }
  auto in_all = [&](const KeyDoc& k) {
    return std::all_of(kinds.begin(), kinds.end(), [&](const std::vector<KeyDoc>& keys) {
      return std::any_of(keys.begin(), keys.end(), [&](const KeyDoc& o) { return o.key == k.key; });
    });
  };
  SectionDoc common{"policies",
                    {{"kind", "choice", "", kRequired, names,
                      "the kind of policy; it decides which "
                      "other keys are allowed"}}};
  for (const KeyDoc& k : kinds.front())
    if (in_all(k)) common.keys.push_back(k);
  out.push_back(common);
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    SectionDoc kind{"policies." + std::string(kPolicyKinds[i].first), {}};
    for (const KeyDoc& k : kinds[i])
      if (!in_all(k)) kind.keys.push_back(k);
    out.push_back(kind);
  }
}

}  // namespace

std::string key_table(const SectionDoc& section) {
  std::string out = "| key | type | unit | default | allowed range | meaning |\n|---|---|---|---|---|---|\n";
  for (const KeyDoc& k : section.keys)
    out += "| `" + k.key + "` | " + k.type + " | " + k.unit + " | " + k.default_value + " | " + k.range + " | " +
           k.meaning + " |\n";
  return out;
}

std::vector<SectionDoc> scenario_reference() {
  Scenario sc;
  std::vector<SectionDoc> out{{"top", kTopKeys}, {"simulation", joined(describe(sc.simulation), kSimulationKeys)}};
  for_each_plain_section(sc, [&](std::string_view key, const auto& value) {
    out.push_back({std::string(key), describe(value)});
  });
  SectionDoc sectors{"sectors", joined(describe(Sector{}), kSectorKeys)};
  for (KeyDoc& k : sectors.keys)
    if (k.type == "number") k.default_value = "calibration table";
  out.push_back(sectors);
  out.push_back({"cities", joined(describe(City{}), kCityKeys)});
  out.push_back({"cities.waves", describe(Wave{})});
  out.push_back({"cities.procurement", describe(CityProcurement{})});
  out.push_back({"cities.programme", joined(describe(Programme{}), kProgrammeKeys)});
  out.push_back({"cities.programme.projects", describe(Project{})});
  out.push_back({"cities.hazard", describe(Hazard{})});
  out.push_back({"cities.input_output", kInputOutputKeys});
  add_policies(out);
  return out;
}

std::vector<SectionDoc> sweep_reference() {
  return {{"sweep", joined(joined(kSweepKeys, describe(Sweep{})), kSweepArrays)},
          {"sweep.parameters", joined(kParameterKeys, describe(SweepParameter{}))}};
}

}  // namespace smesim
