#!/usr/bin/env bash
# Install every Debian package smesim needs to build, test and analyse results.
# Idempotent and non-interactive; fast (no apt-get update) when all is present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git clang libclang-rt-14-dev
  libboost-program-options-dev libboost-dev
  libhdf5-dev hdf5-tools netcdf-bin
  libeigen3-dev libtbb-dev catch2 libtomlplusplus-dev librandom123-dev
  libopenmpi-dev openmpi-bin
  python3 python3-numpy python3-h5py python3-xarray python3-h5netcdf
  python3-matplotlib python3-pytest
)

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
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
