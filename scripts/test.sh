#!/usr/bin/env bash
# Install dependencies, build (warnings are errors) and run every test with CTest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BUILD_DIR:-$root/build-test}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$dir" -DSMESIM_WERROR=ON -DSMESIM_BUILD_TESTS=ON
cd "$dir"
ctest --output-on-failure -j "${SMESIM_JOBS:-2}" --timeout 900
