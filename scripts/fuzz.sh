#!/usr/bin/env bash
# A short, reproducible fuzz run of the scenario loader and the result-file reader
# (libFuzzer, clang, with AddressSanitizer and UndefinedBehaviorSanitizer).
# Usage: scripts/fuzz.sh [RUNS]   (default 3000 inputs for the scenario loader, fixed seed;
# the reader gets READER_RUNS, default ten times RUNS, seeded with inconsistent files)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(realpath -m "${FUZZ_BUILD_DIR:-$root/build-fuzz}")
runs=${1:-3000}
reader_runs=${READER_RUNS:-$((runs * 10))}

# FUZZ_WITH_TESTS=ON also builds the C++ tests in the same sanitized build (test.sh).
CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMESIM_FUZZ=ON \
  -DSMESIM_BUILD_TESTS="${FUZZ_WITH_TESTS:-OFF}" -DSMESIM_WITH_MPI=OFF -DSMESIM_SANITIZE=address,undefined >/dev/null
cmake --build "$dir" -j "${SMESIM_JOBS:-2}" >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Seeds for the reader: a small result file, a truncated copy, a file from elsewhere and
# structurally valid but inconsistent copies (tests/fuzz/inconsistent_results.py). The
# seeds are the same bytes on every machine for a commit (relative paths in the recorded
# command line, a fixed creation time), so a fuzz run here repeats the one CI makes.
mkdir -p "$work/scenario" "$work/result"
cp "$root"/tests/fuzz/corpus/scenario/* "$work/scenario/"
ln -s "$dir/smesim" "$work/smesim"
ln -s "$root/scenarios" "$work/scenarios"
(cd "$work" && SOURCE_DATE_EPOCH=0 ./smesim run scenarios/ccrs-2021.toml -r 1 -q -o result/small.h5 \
  --set simulation.months=2 --set simulation.burn_in_months=0 --set 'simulation.cities=["melaka"]')
head -c 3000 "$work/result/small.h5" > "$work/result/truncated.h5"
printf 'not hdf5\n' > "$work/result/text.h5"
python=/usr/bin/python3
[ -x "$python" ] || python=python3
"$python" "$root/tests/fuzz/inconsistent_results.py" "$work/result/small.h5" "$work/result" >/dev/null

export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
"$dir/fuzz_scenario" -runs="$runs" -seed=1 -max_len=4096 -timeout=10 "$work/scenario" 2>"$work/scenario.log" ||
  { tail -40 "$work/scenario.log"; exit 1; }
# Inputs as long as the largest seed: a shorter limit would cut every seed to a file HDF5
# cannot open, and the fuzzer would never get past the superblock.
max_len=$(stat -c %s "$work"/result/*.h5 | sort -n | tail -1)
"$dir/fuzz_result_file" -runs="$reader_runs" -seed=1 -max_len="$max_len" -timeout=10 "$work/result" 2>"$work/result.log" ||
  { tail -40 "$work/result.log"; exit 1; }
echo "fuzz: scenario loader $runs inputs, result reader $reader_runs inputs: no crash or hang"
