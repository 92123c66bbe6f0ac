// Writing the resolved scenario: every key with its value, defaults included, as TOML
// that loads back to the same scenario.
#include <charconv>
#include <cstdio>

#include "section.hpp"
#include "sections.hpp"
#include "smesim/scenario/loader.hpp"

namespace smesim {
namespace {

using namespace detail;

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\')
      out += '\\', out += static_cast<char>(c);
    else if (c == '\n')
      out += "\\n";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else
      out += static_cast<char>(c);
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

std::string string_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quote(v[i]);
  return out + "]";
}

/// Emits "key = value" lines in field order.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void number(std::string_view k, double& f, double, double, FieldDoc) { line(k, number_text(f)); }
  void required_number(std::string_view k, double& f, double, double, FieldDoc) { line(k, number_text(f)); }
  template <class I>
  void integer(std::string_view k, I& f, long long, long long, FieldDoc) {
    line(k, std::to_string(f));
  }
  template <class I>
  void required_integer(std::string_view k, I& f, long long, long long, FieldDoc) {
    line(k, std::to_string(f));
  }
  void flag(std::string_view k, bool& f, FieldDoc) { line(k, f ? "true" : "false"); }
  void text(std::string_view k, std::string& f, FieldDoc) { line(k, quote(f)); }
  void month(std::string_view k, YearMonth& f, FieldDoc) { line(k, quote(f.str())); }
  void required_month(std::string_view k, YearMonth& f, FieldDoc) { line(k, quote(f.str())); }
  void optional_month(std::string_view k, std::optional<YearMonth>& f, FieldDoc) {
    if (f) line(k, quote(f->str()));
  }
  void names(std::string_view k, std::vector<std::string>& f, FieldDoc) {
    if (!f.empty()) line(k, string_list(f));
  }
  void months(std::string_view k, std::vector<YearMonth>& f, FieldDoc) {
    std::vector<std::string> text;
    for (const auto& m : f) text.push_back(m.str());
    if (!text.empty()) line(k, string_list(text));
  }
  template <class E, class Table>
  void choice(std::string_view k, E& f, const Table& table, FieldDoc) {
    for (const auto& [name, e] : table)
      if (e == f) line(k, quote(name));
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

template <class Names, class Values>
std::string inline_table(const Names& names, const Values& values) {
  std::string out = "{ ";
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i ? ", " : "") + std::string(names[i]) + " = " + number_text(values[i]);
  return out + " }";
}

}  // namespace

std::string to_toml(const Scenario& sc) {
  std::string out = "# Fully resolved scenario: every key, defaults included.\n";
  Writer top(out);
  top.line("title", quote(sc.title));
  emit(out, "[simulation]", sc.simulation);
  top.line("cities", string_list(sc.simulation.cities));
  top.line("sectors", string_list(sc.simulation.sectors));
  for_each_plain_section(sc, [&](std::string_view key, const auto& value) {
    std::string header(key);
    emit(out, header.insert(0, 1, '[').append(1, ']'), value);
  });
  for (const auto& s : sc.sectors) {
    emit(out, "[sectors." + s.name + "]", s);
    top.line("io_weights", inline_table(sc.simulation.sectors, s.io_weights));
  }
  for (const auto& c : sc.cities) {
    emit(out, "[cities." + c.id + "]", c);
    top.line("sector_shares", inline_table(sc.simulation.sectors, c.sector_shares));
    top.line("size_shares", inline_table(kSizeClassNames, c.size_shares));
    if (c.waves.empty()) top.line("waves", "[]");
    if (!c.stringency.empty()) top.line("stringency", quote(c.stringency));
    emit(out, "[cities." + c.id + ".procurement]", c.procurement);
    out += "\n[cities." + c.id + ".input_output]  # buyer = { supplier = local purchases per dollar of output }\n";
    for (std::size_t b = 0; b < sc.sectors.size(); ++b) {
      std::vector<double> row;
      for (std::size_t s = 0; s < sc.sectors.size(); ++s) row.push_back(c.input_output[s][b]);
      top.line(sc.sectors[b].name, inline_table(sc.simulation.sectors, row));
    }
    if (c.hazard) emit(out, "[cities." + c.id + ".hazard]", *c.hazard);
    if (c.programme) {
      emit(out, "[cities." + c.id + ".programme]", *c.programme);
      for (const auto& p : c.programme->projects) emit(out, "[[cities." + c.id + ".programme.projects]]", p);
    }
    for (const auto& w : c.waves) emit(out, "[[cities." + c.id + ".waves]]", w);
  }
  for (const auto& p : sc.policies) {
    out += "\n[[policies]]\n";
    Writer w(out);
    PolicyKind kind = p.kind;
    w.choice("kind", kind, kPolicyKinds, nullptr);
    Policy copy = p;
    copy.fields(w);
  }
  return out;
}

}  // namespace smesim
