#!/usr/bin/env bash
# Regenerate the committed showcase site: proofs_out/peano/ (proof graph, HTML browser,
# proof.tstp, theorems.dot), then re-check it with `genlogic verify`.
#
# Usage: scripts/make_showcase.sh [OUT_DIR]        (default: proofs_out/peano)
#   SHOWCASE_GOALS=axioms/peano_goals.mpl  prove these goals instead of the default
#                                          autonomous exploration (no goal given).
# The output is deterministic: running it twice gives the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-proofs_out/peano}"
goals="${SHOWCASE_GOALS-}"

mkdir -p "$out"
if [[ -n "$goals" ]]; then
    python -m genlogic.cli prove axioms/peano.mpl --goals "$goals" --out "$out" --quiet
else
    python -m genlogic.cli prove axioms/peano.mpl --out "$out" --quiet
fi
python -m genlogic.cli export "$out"      # also done by prove; kept so the site is always current
python -m genlogic.cli verify "$out"
echo "showcase written to $out; open $out/index.html"
