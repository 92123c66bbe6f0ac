#!/usr/bin/env bash
# The C++ tests under ThreadSanitizer (clang), linked against oneTBB built with TSan
# from Debian's own source package, so TSan sees the scheduler's synchronisation.
# Exits non-zero on any TSan report or failing test. Usage: scripts/tsan.sh
# Environment: TSAN_BUILD_DIR (default build-tsan), SMESIM_JOBS (default 2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${TSAN_BUILD_DIR:-$root/build-tsan}
jobs=${SMESIM_JOBS:-2}
tbb=$dir/onetbb
start=$SECONDS

"$root/scripts/install-deps.sh"

# The same oneTBB version as the installed headers and libtbb12, from its Debian source
# package; only the libtbb target (no tbbmalloc, no tests). Rebuilt unless this build
# directory already holds that version.
version=$(dpkg-query -W -f='${Version}' libtbb-dev)
if [ "$(cat "$tbb/install/version" 2>/dev/null)" != "$version" ]; then
  echo "== oneTBB $version from Debian's source package, built with -fsanitize=thread =="
  rm -rf "$tbb"
  mkdir -p "$tbb/src"
  (cd "$tbb/src" && apt-get source -qq "onetbb=$version" >"$tbb/source.log" 2>&1) ||
    { cat "$tbb/source.log"; exit 1; }
  src=$(find "$tbb/src" -mindepth 1 -maxdepth 1 -type d -name 'onetbb-*')
  CC=clang CXX=clang++ cmake -S "$src" -B "$tbb/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTBB_SANITIZE=thread \
    -DTBB_TEST=OFF -DTBBMALLOC_BUILD=OFF -DTBB_STRICT=OFF -DTBB_DISABLE_HWLOC_AUTOMATIC_SEARCH=ON \
    -DCMAKE_INSTALL_PREFIX="$tbb/install" >"$tbb/build.log" 2>&1 &&
    cmake --build "$tbb/build" --target tbb -j "$jobs" >>"$tbb/build.log" 2>&1 &&
    cmake --install "$tbb/build" >>"$tbb/build.log" 2>&1 || { tail -40 "$tbb/build.log"; exit 1; }
  echo "$version" >"$tbb/install/version"
  echo "oneTBB built in $((SECONDS - start)) s"
fi

echo "== ThreadSanitizer build (clang) of the library, the CLI and the C++ tests =="
CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMESIM_SANITIZE=thread \
  -DSMESIM_BUILD_TESTS=ON -DSMESIM_WITH_MPI=OFF -DSMESIM_WERROR=ON -DTBB_DIR="$tbb/install/lib/cmake/TBB" >/dev/null
cmake --build "$dir" -j "$jobs" >/dev/null
echo "built in $((SECONDS - start)) s"
"$root/scripts/check-tests.sh" "$dir"

# Every C++ test, plus tsan_probe: a seeded race that must be reported and the same
# tasks without it, which must be clean (they are not with an uninstrumented oneTBB).
# The first report ends the process with exit code 66. atexit_sleep_ms: TSan's default
# one second wait at every exit would add a minute over the tests and CLI runs.
(cd "$dir" && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:atexit_sleep_ms=100 \
  ctest --output-on-failure -j "$jobs" --timeout 900 -E "python")
echo "tsan: oneTBB, build and tests in $((SECONDS - start)) s"
