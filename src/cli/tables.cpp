// smesim inspect and smesim compare: tables of result files, as text, CSV or JSON.
#include <boost/program_options.hpp>
#include <cstdio>
#include <memory>

#include "smesim/analysis/compare.hpp"
#include "smesim/analysis/format.hpp"
#include "smesim/analysis/headline.hpp"
#include "smesim/analysis/reader.hpp"
#include "smesim/cli/commands.hpp"
#include "smesim/cli/detail/options.hpp"
#include "smesim/core/error.hpp"

namespace smesim::cli {
namespace po = boost::program_options;
namespace {

void add_table_options(po::options_description& o) {
  o.add_options()("format", po::value<std::string>()->default_value("table"), "what to print: table | csv | json")(
      "csv", po::value<std::string>(), "also write the long table as CSV to this file")(
      "force", "replace an existing --csv file");
}

/// What --format asks for; InputError for anything else.
std::string output_format(const po::variables_map& vm) {
  std::string format = vm["format"].as<std::string>();
  if (vm.count("json")) format = "json";
  if (format != "table" && format != "csv" && format != "json")
    throw InputError("--format: expected table, csv or json, found '" + format + "'");
  return format;
}

/// Writes --csv (when given) first, so a file that cannot be written prints nothing, then
/// prints the table in the format asked for. Each text is made only when needed.
template <class Table, class Csv, class Json>
void emit(const po::variables_map& vm, const std::string& format, Table table, Csv csv, Json json) {
  if (vm.count("csv")) {
    // A byte-order mark, so that a spreadsheet opening the file reads it as UTF-8.
    write_text_file(vm["csv"].as<std::string>(), "\xEF\xBB\xBF" + csv(), vm.count("force") > 0);
  }
  const std::string text = format == "csv" ? csv() : format == "json" ? json() : table();
  std::fputs(text.c_str(), stdout);
}

}  // namespace

int inspect(const Invocation& inv) {
  po::options_description o("smesim inspect options");
  o.add_options()("file", po::value<std::string>()->required(), "result file (HDF5)")(
      "partial", "summarise the finished replications of an incomplete file (FILE.partial)");
  add_table_options(o);
  po::variables_map vm;
  if (!parse(inv, o, vm, {"file"},
             "usage: smesim inspect FILE.h5 [--partial] [--format table|csv|json] [--csv FILE.csv [--force]]"))
    return 0;
  const std::string format = output_format(vm);
  const ResultReader file(vm["file"].as<std::string>(), vm.count("partial") > 0);
  const auto rows = headline(file);
  auto table = [&] {
    const int reps = static_cast<int>(file.finished_replications().size());
    std::string out = file.attribute("title") + "\n" + file.path().string() + ": seed " + file.attribute("seed") +
                      ", " + std::to_string(reps) + " replications, " + std::to_string(file.length("time")) +
                      " months from " + file.attribute("start") + ", population scale " +
                      file.attribute("population_scale") + "\n\n" + format_headline(rows, reps);
    const std::string spending = format_spending(file);
    return spending.empty() ? out : out + "\n" + spending;
  };
  emit(
      vm, format, table, [&] { return headline_csv(file, rows); }, [&] { return headline_json(file, rows); });
  return 0;
}

int compare(const Invocation& inv) {
  std::string measure_help = "measure to report (repeatable): ";
  for (const std::string& m : comparison_measures())
    measure_help += m + (&m == &comparison_measures().back() ? "; default all" : ", ");
  po::options_description o("smesim compare options");
  o.add_options()("a", po::value<std::string>()->required(), "base result file (A), e.g. the counterfactual")(
      "b", po::value<std::vector<std::string>>()->required(),
      "variant result files (B ...), single runs or sweeps, each compared with A")(
      "metric", po::value<std::vector<std::string>>()->composing(), measure_help.c_str())(
      "over", po::value<std::string>()->default_value(""), "window YYYY-MM:YYYY-MM for flows; stocks at its end")(
      "at", po::value<std::string>()->default_value(""), "month YYYY-MM for stocks (flows from the first month)")(
      "json", "the same as --format json");
  add_table_options(o);
  po::variables_map vm;
  if (!parse(inv, o, vm, {"a", "b..."},
             "usage: smesim compare A.h5 B.h5 [B2.h5 ...] [--metric M ...] [--over YYYY-MM:YYYY-MM | --at YYYY-MM] "
             "[--format table|csv|json] [--csv FILE.csv [--force]]"))
    return 0;
  const std::string format = output_format(vm);
  const ResultReader a(vm["a"].as<std::string>());
  std::vector<std::unique_ptr<ResultReader>> files;
  std::vector<const ResultReader*> variants;
  for (const std::string& path : vm["b"].as<std::vector<std::string>>())
    variants.push_back(files.emplace_back(std::make_unique<ResultReader>(path)).get());
  std::vector<std::string> metrics;
  if (vm.count("metric")) metrics = vm["metric"].as<std::vector<std::string>>();
  const auto c =
      compare_all(a, variants, parse_window(vm["over"].as<std::string>(), vm["at"].as<std::string>()), metrics);
  emit(
      vm, format, [&] { return format_comparison(c); }, [&] { return comparison_csv(c); },
      [&] { return comparison_json(c); });
  return 0;
}

}  // namespace smesim::cli
