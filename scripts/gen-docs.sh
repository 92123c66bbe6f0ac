#!/usr/bin/env bash
# Regenerates the reference tables of docs/SCENARIOS.md (scenario keys, from the
# fields() lists), docs/OUTPUT.md (result variables, from the result catalogue) and
# docs/ANALYSIS.md (the measures, from src/analysis/measures.cpp):
# `smesim reference` rewrites what lies between the marker comments and keeps the prose.
#   scripts/gen-docs.sh [SMESIM_BINARY]    (default: build/smesim)
#   scripts/gen-docs.sh --check [SMESIM_BINARY]   exit 1 if a committed table is stale
set -euo pipefail
mode=--update
if [ "${1:-}" = "--check" ]; then
  mode=--check
  shift
fi
root=$(cd "$(dirname "$0")/.." && pwd)
smesim=${1:-$root/build/smesim}
[ -x "$smesim" ] || { echo "gen-docs: $smesim is not an executable; build first or name the binary" >&2; exit 2; }
"$smesim" reference scenarios "$mode" "$root/docs/SCENARIOS.md"
"$smesim" reference output "$mode" "$root/docs/OUTPUT.md"
"$smesim" reference measures "$mode" "$root/docs/ANALYSIS.md"
