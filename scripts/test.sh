#!/usr/bin/env bash
# Install dependencies, build (warnings are errors) and run every test with CTest; then
# a short fuzz run and the C++ tests again under AddressSanitizer and
# UndefinedBehaviorSanitizer (clang), then under ThreadSanitizer (scripts/tsan.sh).
# Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BUILD_DIR:-$root/build-test}
san=${SANITIZE_BUILD_DIR:-$root/build-sanitize}
jobs=${SMESIM_JOBS:-2}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$dir" -DSMESIM_WERROR=ON -DSMESIM_BUILD_TESTS=ON
"$root/scripts/check-tests.sh" "$dir"
(cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 900)

echo "== sanitizer build (clang, address + undefined) and fuzz smoke =="
FUZZ_BUILD_DIR="$san" FUZZ_WITH_TESTS=ON "$root/scripts/fuzz.sh" 2000
"$root/scripts/check-tests.sh" "$san"
(cd "$san" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --output-on-failure -j "$jobs" --timeout 900 -E "python")

echo "== thread sanitizer build (clang, oneTBB built with TSan) =="
"$root/scripts/tsan.sh"
