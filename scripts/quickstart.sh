#!/usr/bin/env bash
# Quick start: install dependencies, build, run the default 8-city scenario and its
# counterfactual, print the headline table, draw the plots and write the comparison
# report. Results go to results/ (override with RESULTS=dir).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
results=${RESULTS:-$root/results}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build" -DSMESIM_BUILD_TESTS=OFF
mkdir -p "$results"
smesim="$root/build/smesim"
"$smesim" run "$root/scenarios/ccrs-2021.toml" -o "$results/ccrs-2021.h5" --output sectors --force
"$smesim" run "$root/scenarios/covid-no-support.toml" -o "$results/covid-no-support.h5" --output sectors --force
echo
"$smesim" inspect "$results/ccrs-2021.h5"
echo
echo "The programme against its counterfactual (same seed, paired):"
"$smesim" compare "$results/covid-no-support.h5" "$results/ccrs-2021.h5" \
  --metric failures --metric job_years --metric jobs_per_usd_million --metric cost_per_job_year
echo
/usr/bin/python3 "$root/scripts/plot.py" "$results/ccrs-2021.h5" -o "$results/plots"
/usr/bin/python3 "$root/scripts/report.py" "$results/covid-no-support.h5" "$results/ccrs-2021.h5" \
  -o "$results/report.html"
echo
echo "Results: $results/ccrs-2021.h5 and $results/covid-no-support.h5"
echo "Plots:   $results/plots/"
echo "Report:  $results/report.html (the programme against its counterfactual; open it in a browser)"
