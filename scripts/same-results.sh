#!/usr/bin/env bash
# Checks that two smesim binaries give the same results, bit for bit, on every shipped
# scenario and a sweep: at 1 and 2 threads, and under MPI (2 ranks) when mpirun is
# there. Every dataset of every group is compared (scripts/same_results.py); attributes
# (provenance) are not. A refactor must pass this against main's binary.
#   scripts/same-results.sh OLD_BINARY NEW_BINARY [REPLICATIONS]
# Runs are at population scale SAME_RESULTS_SCALE (default 0.01, a tenth of the shipped
# default, so that the check takes a minute or two); the sweep keeps its own.
# Exits 0 when all results are the same, 1 when any differ, 2 on bad use.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: scripts/same-results.sh OLD_BINARY NEW_BINARY [REPLICATIONS]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
old=$(readlink -f "$1")
new=$(readlink -f "$2")
reps=${3:-3}
scale=(--set "simulation.population_scale=${SAME_RESULTS_SCALE:-0.01}")
for b in "$old" "$new"; do
  [ -x "$b" ] || { echo "same-results: $b is not an executable" >&2; exit 2; }
done
python=/usr/bin/python3
[ -x "$python" ] || python=python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=0
compare() {  # compare NAME: the old and new files of one run
  if "$python" "$root/scripts/same_results.py" "$work/old-$1.h5" "$work/new-$1.h5"; then :; else failed=1; fi
}
run_both() {  # run_both NAME ARGS...: the same command with each binary
  local name=$1
  shift
  "$old" "$@" -o "$work/old-$name.h5" --quiet
  "$new" "$@" -o "$work/new-$name.h5" --quiet
  compare "$name"
}

for scenario in "$root"/scenarios/*.toml; do
  name=$(basename "$scenario" .toml)
  case "$name" in calibrated*) continue ;; esac  # fragments for base = (calibrated, calibrated-shock), not scenarios
  run_both "$name-t1" run "$scenario" -r "$reps" --threads 1 --output firms "${scale[@]}"
  run_both "$name-t2" run "$scenario" -r "$reps" --threads 2 --output sectors "${scale[@]}"
done
run_both sweep-t2 sweep "$root/scenarios/sweeps/programme-design.toml" --threads 2 --set simulation.months=24
if command -v mpirun >/dev/null; then
  mpi=(mpirun --allow-run-as-root --oversubscribe -n 2)
  "${mpi[@]}" "$old" run "$root/scenarios/ccrs-2021.toml" -r "$reps" --output sectors -o "$work/old-mpi.h5" --quiet \
    "${scale[@]}"
  "${mpi[@]}" "$new" run "$root/scenarios/ccrs-2021.toml" -r "$reps" --output sectors -o "$work/new-mpi.h5" --quiet \
    "${scale[@]}"
  compare mpi
  # The MPI run of the new binary is also the same as its single-process run.
  "$new" run "$root/scenarios/ccrs-2021.toml" -r "$reps" --output sectors -o "$work/old-single.h5" --quiet "${scale[@]}"
  cp "$work/new-mpi.h5" "$work/new-single.h5"
  compare single
fi
if [ "$failed" -ne 0 ]; then
  echo "same-results: results differ" >&2
  exit 1
fi
echo "same-results: every dataset the same"
