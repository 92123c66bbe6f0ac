// The `stringency` result variable: where each city's stringency comes from, and the
// OxCGRT credit its licence asks for when a city uses a real series.
#include <catch2/catch.hpp>

#include "smesim/engine/results.hpp"
#include "smesim/scenario/loader.hpp"
#include "support/helpers.hpp"

using namespace smesim;

namespace {

/// The text attribute `name` of the `stringency` variable, or "" if it has none.
std::string stringency_attribute(const Scenario& sc, const std::string& name) {
  for (const Variable& v : result_schema(sc, OutputLevel::kSummary, {}).vars)
    if (v.name == "stringency")
      for (const auto& [k, value] : v.attributes)
        if (k == name) return value;
  return "";
}

}  // namespace

TEST_CASE("the stringency variable names each city's source, and credits OxCGRT when a series is used") {
  const Scenario waves = parse_scenario(test::small_scenario(), "s.toml");
  CHECK(stringency_attribute(waves, "source") == "alpha: waves; beta: none");
  CHECK(stringency_attribute(waves, "references").empty());
  const Scenario real = parse_scenario(test::small_scenario(), "s.toml",
                                       {"cities.beta.stringency=oxcgrt:IND_TN", "stringency_mapping.scale=0.8"});
  CHECK(stringency_attribute(real, "source") == "alpha: waves; beta: OxCGRT IND_TN (Tamil Nadu)");
  CHECK_THAT(stringency_attribute(real, "stringency_mapping"), Catch::EndsWith("threshold 0.3, scale 0.8"));
  CHECK_THAT(stringency_attribute(real, "references"), Catch::Contains("Hale et al. (2021)") &&
                                                           Catch::Contains("10.1038/s41562-021-01079-8") &&
                                                           Catch::Contains("CC BY 4.0"));
}
