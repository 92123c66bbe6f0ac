#!/usr/bin/env bash
# Fails unless every Catch2 test executable in a build lists its tests: CTest registers
# the tests it discovers by running each executable, and one that crashes at start
# (e.g. under a sanitizer) would register none and let CTest pass without running them.
# Usage: scripts/check-tests.sh BUILD_DIR
set -euo pipefail
dir=$1
found=0
for exe in "$dir"/tests/test_*; do
  [ -x "$exe" ] && [ -f "$exe" ] || continue
  case "$exe" in *.cmake) continue ;; esac
  found=$((found + 1))
  # Catch2 v2 exits with the number of tests listed, so only the listing counts.
  names=$("$exe" --list-test-names-only 2>/dev/null) || true
  if [ -z "$names" ]; then
    echo "check-tests: $exe lists no tests (it crashed or exited at start)" >&2
    exit 1
  fi
done
if [ "$found" -eq 0 ]; then
  echo "check-tests: no test executables in $dir/tests" >&2
  exit 1
fi
echo "check-tests: $found test executables in $dir list their tests"
