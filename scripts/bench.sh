#!/usr/bin/env bash
# Linear-scaling table of the whole model: `smesim bench --full` at 1, 2, 4 and 8 million
# firms (8 cities) and 12, 24 and 48 months. Usage:
#   scripts/bench.sh [SMESIM_BINARY] [SCENARIO] [THREADS]
# Defaults: build/smesim, scenarios/ccrs-2021.toml, 0 (all cores). FIRMS and MONTHS
# (space-separated lists, firms in millions) override the grid.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/smesim}
scenario=${2:-$root/scenarios/ccrs-2021.toml}
threads=${3:-0}
firms=${FIRMS:-1 2 4 8}
months=${MONTHS:-12 24 48}
cities=$("$bin" validate "$scenario" 2>&1 >/dev/null | sed -n 's/.*: \([0-9]*\) cities.*/\1/p')

echo "load: $(uptime | sed 's/.*load average: //')"
printf '| firms | months | threads | seconds | cpu s | setup s | output s | firm-months/s | stepping ns per firm-month | cpu ns per firm-month |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for m in $firms; do
  per_city=$((m * 1000000 / cities))
  for t in $months; do
    "$bin" bench --full "$scenario" --firms-per-city "$per_city" --months "$t" --threads "$threads" --triad-mib 0 |
      awk -v firms="${m}M" -v months="$t" '
        $1 ~ /^[0-9]+$/ && NF == 8 {
          printf "| %s | %s | %s | %.2f | %.2f | %.2f | %.3f | %.3e | %.1f | %.1f |\n", firms, months, $1, $2, $8, $3, $4, $6,
                 1e9 * ($2 - $3 - $4) / $5, 1e9 * $8 / $5
        }'
  done
done
echo "load: $(uptime | sed 's/.*load average: //')"
