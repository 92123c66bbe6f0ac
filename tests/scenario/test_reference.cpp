// The key reference: every key a resolved scenario holds is documented, with a meaning.
#include <toml++/toml.h>

#include <catch2/catch.hpp>
#include <set>

#include "smesim/scenario/loader.hpp"
#include "smesim/scenario/reference.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

/// "section key" for every documented key, the policy kinds folded into "policies".
std::set<std::string> documented() {
  std::set<std::string> out;
  for (const SectionDoc& s : scenario_reference())
    for (const KeyDoc& k : s.keys)
      out.insert(s.id.substr(0, s.id.rfind("policies", 0) == 0 ? 8 : s.id.size()) + " " + k.key);
  return out;
}

/// The reference section of a table path: city ids and sector names dropped.
std::string section_of(const std::vector<std::string>& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (i == 1 && (path[0] == "cities" || path[0] == "sectors")) continue;
    out += (out.empty() ? "" : ".") + path[i];
  }
  return out.empty() ? "top" : out;
}

/// Every (section, key) of a resolved scenario's text, sub-tables followed where the
/// reference has a section for them.
void collect(const toml::table& t, std::vector<std::string> path, const std::set<std::string>& sections,
             std::vector<std::string>& out) {
  for (const auto& [k, node] : t) {
    std::vector<std::string> sub = path;
    sub.emplace_back(k.str());
    const toml::table* table = node.as_table();
    const toml::array* array = node.as_array();
    if (array && array->is_array_of_tables() && sections.count(section_of(sub))) {
      for (const auto& e : *array) collect(*e.as_table(), sub, sections, out);
    } else if (table && (sections.count(section_of(sub)) || path.empty())) {
      collect(*table, sub, sections, out);
    } else if (section_of(path) == "cities.input_output") {
      out.push_back("cities.input_output BUYER.SUPPLIER");
    } else {
      out.push_back(section_of(path) + " " + std::string(k.str()));
    }
  }
}

}  // namespace

TEST_CASE("the key reference documents every key of a resolved scenario, each with a meaning") {
  const Scenario sc = load_scenario(test::source_path("scenarios/covid-stimulus.toml"));
  const Scenario programme = load_scenario(test::source_path("scenarios/ccrs-hazard.toml"));
  std::set<std::string> sections;
  for (const SectionDoc& s : scenario_reference()) {
    sections.insert(s.id);
    for (const KeyDoc& k : s.keys) {
      INFO(s.id + " " + k.key);
      CHECK(k.meaning.size() > 8);
      CHECK_FALSE(k.type.empty());
      CHECK_FALSE(k.default_value.empty());
      CHECK_FALSE(k.range.empty());
    }
  }
  const auto keys = documented();
  std::vector<std::string> used;
  collect(toml::parse(to_toml(sc)), {}, sections, used);
  collect(toml::parse(to_toml(programme)), {}, sections, used);
  CHECK(used.size() > 100);
  for (const auto& k : used) {
    INFO(k);
    CHECK(keys.count(k));
  }
}

TEST_CASE("a key table lists every key of its section with type, default, range and meaning") {
  for (const SectionDoc& s : scenario_reference()) {
    const std::string table = key_table(s);
    CHECK_THAT(table, Catch::StartsWith("| key | type | unit | default | allowed range | meaning |\n"));
    for (const KeyDoc& k : s.keys)
      CHECK_THAT(table, Catch::Contains("| `" + k.key + "` |") && Catch::Contains(k.meaning));
  }
  const auto sections = scenario_reference();
  const auto firms =
      std::find_if(sections.begin(), sections.end(), [](const SectionDoc& s) { return s.id == "firms"; });
  REQUIRE(firms != sections.end());
  CHECK_THAT(key_table(*firms),
             Catch::Contains("| `months_to_fail` | integer | months | 1 | 1 to 24 | a firm fails when it cannot pay "
                             "even after arrears and owner's funds, in this or a later month of an unbroken run"));
}

TEST_CASE("the sweep reference documents every key a sweep file may hold") {
  std::vector<std::string> keys;
  for (const SectionDoc& s : sweep_reference())
    for (const KeyDoc& k : s.keys) {
      keys.push_back(s.id + " " + k.key);
      CHECK(k.meaning.size() > 8);
    }
  const std::vector<std::string> expected = {"sweep base",
                                             "sweep set",
                                             "sweep title",
                                             "sweep design",
                                             "sweep replications",
                                             "sweep seed",
                                             "sweep points",
                                             "sweep trajectories",
                                             "sweep levels",
                                             "sweep parameters",
                                             "sweep.parameters key",
                                             "sweep.parameters keys",
                                             "sweep.parameters values",
                                             "sweep.parameters name",
                                             "sweep.parameters min",
                                             "sweep.parameters max",
                                             "sweep.parameters steps",
                                             "sweep.parameters integer"};
  CHECK(keys == expected);
}
