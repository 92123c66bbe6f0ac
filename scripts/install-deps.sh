#!/usr/bin/env bash
# Install every Debian package smesim needs to build, test and analyse results.
# Idempotent and non-interactive; fast (no apt-get update) when all is present.
# Also enables Debian's source packages: scripts/tsan.sh builds oneTBB from its source.
set -euo pipefail

packages=(
  build-essential dpkg-dev cmake pkg-config git clang libclang-rt-14-dev clang-format clang-tidy
  libboost-program-options-dev libboost-dev
  libhdf5-dev zlib1g-dev hdf5-tools netcdf-bin
  libeigen3-dev libtbb-dev catch2 libtomlplusplus-dev librandom123-dev libnlopt-cxx-dev
  libopenmpi-dev openmpi-bin
  python3 python3-numpy python3-h5py python3-xarray python3-h5netcdf
  python3-matplotlib python3-pytest python3-pip python3-setuptools flake8
  udunits-bin
  chromium   # headless: tests/python/test_report_browser.py checks the HTML report's layout and print
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive

# deb-src entries mirroring the deb ones (same mirror, suites and key), once.
if ! apt-cache showsrc onetbb 2>/dev/null | grep -q '^Package: onetbb'; then
  echo "install-deps: enabling Debian source packages" >&2
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      "${sudo_cmd[@]}" tee /etc/apt/sources.list.d/smesim-deb-src.sources >/dev/null
  else
    grep -h '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' |
      "${sudo_cmd[@]}" tee /etc/apt/sources.list.d/smesim-deb-src.list >/dev/null
  fi
  "${sudo_cmd[@]}" apt-get update -qq
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
