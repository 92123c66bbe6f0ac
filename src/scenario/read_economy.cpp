// Readers of the economy sections of a scenario: programme, procurement, hazards,
// input-output coefficients and stimulus policies.
#include <algorithm>
#include <cmath>

#include "readers.hpp"
#include "sections.hpp"

namespace smesim::detail {
namespace {

std::vector<std::string> sector_names(const Scenario& sc) {
  std::vector<std::string> out;
  for (const auto& s : sc.sectors) out.push_back(s.name);
  return out;
}

/// Indices of `names` in `known`; an unknown name is an error at `key`.
std::vector<int> resolve_names(Section& s, std::string_view key, const std::vector<std::string>& names,
                               const std::vector<std::string>& known, const char* what) {
  std::set<std::string, std::less<>> known_set(known.begin(), known.end());
  std::vector<int> out;
  for (const auto& n : names) {
    const auto it = std::find(known.begin(), known.end(), n);
    if (it == known.end()) {
      const toml::node* node = s.find(key);
      s.fail_at(node ? node->source() : s.anchor(), key,
                "unknown " + std::string(what) + " '" + n + "'" + suggest(n, known_set));
    }
    out.push_back(static_cast<int>(it - known.begin()));
  }
  return out;
}

/// Each element of the array of tables `key`, as its own section.
std::vector<Section> table_array(Section& parent, std::string_view key) {
  std::vector<Section> out;
  const toml::node* n = parent.find(key);
  if (!n) return out;
  if (!n->is_array()) parent.fail_at(n->source(), key, "expected an array of tables ([[...]]), found " + type_name(*n));
  int i = 0;
  for (const toml::node& e : *n->as_array()) {
    const std::string path = parent.full(key) + "[" + std::to_string(i++) + "]";
    if (!e.is_table()) parent.fail_at(e.source(), key, "expected a table, found " + type_name(e));
    out.emplace_back(path, std::vector<const toml::table*>{e.as_table()}, e.source());
  }
  return out;
}

/// A month that acts only in the reported period may not lie before it. (After it is
/// allowed: a shortened run simply ends before the call.)
void check_not_before_start(Section& s, std::string_view key, const YearMonth& m, const Scenario& sc) {
  if (months_between(sc.simulation.start, m) < 0) {
    const toml::node* n = s.find(key);
    s.fail_at(n ? n->source() : s.anchor(), key,
              m.str() + " is before the first reported month " + sc.simulation.start.str());
  }
}

void read_programme(Section& city, City& c, const Scenario& sc) {
  if (!city.find("programme")) return;
  Section s = city.child("programme");
  Programme p;
  p.fields(s);
  if (p.enabled && p.match_mode == MatchMode::kInKind) check_not_before_start(s, "start", p.start, sc);
  double shares = 0;
  for (Section& ps : table_array(s, "projects")) {
    Project project;
    project.fields(ps);
    if (p.enabled) check_not_before_start(ps, "call", project.call, sc);
    if (project.sectors.empty()) ps.fail("missing required key 'sectors' (eligible supplier sectors)");
    project.sector_index = resolve_names(ps, "sectors", project.sectors, sector_names(sc), "sector");
    ps.check_unknown();
    shares += project.budget_share;
    p.projects.push_back(project);
  }
  if (shares > 1 + 1e-9) s.fail("project budget shares sum to " + format_number(shares) + "; expected at most 1");
  s.check_unknown();
  if (p.enabled) c.programme = p;  // a disabled programme is checked, then left out
}

void read_hazard(Section& city, City& c, const Scenario& sc) {
  if (!city.find("hazard")) return;
  Section s = city.child("hazard");
  Hazard h;
  h.fields(s);
  const auto names = sector_names(sc);
  h.sector_index = h.sectors.empty() ? resolve_names(s, "sectors", names, names, "sector")
                                     : resolve_names(s, "sectors", h.sectors, names, "sector");
  s.check_unknown();
  c.hazard = h;
}

/// A[supplier][buyer]: from the city's `input_output` table (buyer = { supplier = a }),
/// or the default matrix (default_input_output()).
void read_input_output(Section& city, City& c, const Scenario& sc) {
  c.own_input_output = city.find("input_output") != nullptr;
  if (!c.own_input_output) return default_input_output(sc, c);
  const std::size_t S = sc.sectors.size();
  c.input_output.assign(S, std::vector<double>(S, 0.0));
  Section table = city.child("input_output");
  const auto names = sector_names(sc);
  for (std::size_t buyer = 0; buyer < S; ++buyer) {
    if (!table.find(names[buyer])) continue;
    Section row = table.child(names[buyer]);
    for (std::size_t supplier = 0; supplier < S; ++supplier)
      row.number(names[supplier], c.input_output[supplier][buyer], 0, 1, nullptr);
    row.check_unknown();
  }
  table.check_unknown();
}

}  // namespace

void read_city_economy(Section& city, City& c, const Scenario& sc) {
  Section procurement = city.child("procurement");
  c.procurement.fields(procurement);
  procurement.check_unknown();
  read_programme(city, c, sc);
  read_hazard(city, c, sc);
  read_input_output(city, c, sc);
}

void read_policies(Section& root, Scenario& sc) {
  std::vector<std::string> city_ids;
  for (const auto& c : sc.cities) city_ids.push_back(c.id);
  for (Section& s : table_array(root, "policies")) {
    Policy p;
    if (!s.find("kind")) s.fail("missing required key 'kind'");
    s.choice("kind", p.kind, kPolicyKinds, nullptr);
    p.fields(s);
    s.check_unknown();
    if (p.end && months_between(p.start, *p.end) <= 0)
      s.fail("end " + p.end->str() + " must be after start " + p.start.str());
    p.city_index = p.cities.empty() ? resolve_names(s, "cities", city_ids, city_ids, "city")
                                    : resolve_names(s, "cities", p.cities, city_ids, "city");
    // Two policies of one kind may not overlap in a city: their rules would conflict.
    for (const Policy& q : sc.policies) {
      if (q.kind != p.kind) continue;
      const bool overlap = p.kind == PolicyKind::kGrant ? p.start == q.start
                                                        : (!q.end || months_between(p.start, *q.end) > 0) &&
                                                              (!p.end || months_between(q.start, *p.end) > 0);
      for (int c : p.city_index)
        if (overlap && std::count(q.city_index.begin(), q.city_index.end(), c))
          s.fail("overlaps an earlier policy of the same kind in city '" + city_ids[c] + "'");
    }
    sc.policies.push_back(p);
  }
}

}  // namespace smesim::detail
