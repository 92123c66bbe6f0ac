#!/usr/bin/env bash
# A short, reproducible fuzz run of the scenario loader and the result-file reader
# (libFuzzer, clang, with AddressSanitizer and UndefinedBehaviorSanitizer).
# Usage: scripts/fuzz.sh [RUNS]   (default 3000 inputs per target, fixed seed)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${FUZZ_BUILD_DIR:-$root/build-fuzz}
runs=${1:-3000}

# FUZZ_WITH_TESTS=ON also builds the C++ tests in the same sanitized build (test.sh).
CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMESIM_FUZZ=ON \
  -DSMESIM_BUILD_TESTS="${FUZZ_WITH_TESTS:-OFF}" -DSMESIM_WITH_MPI=OFF -DSMESIM_SANITIZE=address,undefined >/dev/null
cmake --build "$dir" -j "${SMESIM_JOBS:-2}" >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Seeds for the reader: a small result file, a truncated copy and a file from elsewhere.
mkdir -p "$work/scenario" "$work/result"
cp "$root"/tests/fuzz/corpus/scenario/* "$work/scenario/"
"$dir/smesim" run "$root/scenarios/ccrs-2021.toml" -r 1 -q -o "$work/result/small.h5" \
  --set simulation.months=2 --set simulation.burn_in_months=0 --set 'simulation.cities=["melaka"]'
head -c 3000 "$work/result/small.h5" > "$work/result/truncated.h5"
printf 'not hdf5\n' > "$work/result/text.h5"

export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
"$dir/fuzz_scenario" -runs="$runs" -seed=1 -max_len=4096 -timeout=10 "$work/scenario" 2>"$work/scenario.log" ||
  { tail -40 "$work/scenario.log"; exit 1; }
"$dir/fuzz_result_file" -runs="$runs" -seed=1 -max_len=200000 -timeout=10 "$work/result" 2>"$work/result.log" ||
  { tail -40 "$work/result.log"; exit 1; }
echo "fuzz: scenario loader and result reader, $runs inputs each: no crash"
