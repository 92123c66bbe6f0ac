#!/usr/bin/env bash
# Static checks, each a CTest entry (tests/CMakeLists.txt) and runnable alone:
#   scripts/lint.sh format            C++ files match .clang-format (fix: clang-format -i FILE)
#   scripts/lint.sh tidy BUILD_DIR    clang-tidy with .clang-tidy on src/ (needs BUILD_DIR's
#                                     compile_commands.json); warnings are errors
# Exits non-zero on any finding.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
case "${1:-}" in
  format)
    mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.inc' 2>/dev/null || find src include tests -name '*.[ch]pp' -o -name '*.inc')
    clang-format --dry-run --Werror "${files[@]}"
    echo "lint: ${#files[@]} C++ files formatted as .clang-format says"
    ;;
  tidy)
    build=${2:?usage: scripts/lint.sh tidy BUILD_DIR}
    [ -f "$build/compile_commands.json" ] || { echo "lint: $build/compile_commands.json is missing" >&2; exit 2; }
    mapfile -t files < <(cd "$root" && ls src/*/*.cpp)
    run-clang-tidy -quiet -p "$build" -j "${SMESIM_TIDY_JOBS:-1}" "${files[@]/#/$root/}" >"$build/clang-tidy.log" 2>&1 ||
      { grep -E "(warning|error):" "$build/clang-tidy.log" | sort -u >&2; echo "lint: clang-tidy failed ($build/clang-tidy.log)" >&2; exit 1; }
    echo "lint: clang-tidy clean on ${#files[@]} files"
    ;;
  *)
    echo "usage: scripts/lint.sh format | tidy BUILD_DIR" >&2
    exit 2
    ;;
esac
