#!/bin/sh
# CLI tests for the lane engine (sim/engine/engine.c): the order in which
# events at the same instant are taken.  tests/engine/ties.yaml puts many
# events on the same day (constant sizes, waits and throughputs, two
# sources starting together, zero-wait rework, a wide pod); its per-trial
# figures were byte for byte those of the single-heap engine the lane
# engine replaced (commit 31f868c, hash 64eb7a88…), and stay pinned, on any
# thread count: re-recorded once when the per-quantity streams moved every
# figure (model §18.1).  POSIX sh, from the repository root; last line
# "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-lanes.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

S=tests/engine/ties.yaml
# sha256 of trials.csv of `run ties.yaml` (3000 trials), per-quantity streams
# (streams v2: Exp(1) sizes by the ziggurat on a per-source stream)
WANT=9ab60d253d2d5720a6626df90d6fdeb12d498fd74eaec1a4a7543f7428137c7d

for th in 1 2; do
    expect_rc "run ties.yaml on $th thread(s) succeeds" 0 \
        "$BIN" run "$S" --export-trials --no-plots --threads $th -q -o "$T/t$th"
    got=$(sha256sum "$T/t$th/trials.csv" 2>/dev/null | cut -d' ' -f1)
    if [ "$got" = "$WANT" ]; then
        ok "ties.yaml on $th thread(s): every trial as pinned"
    else
        not_ok "ties.yaml on $th thread(s): every trial as pinned" "sha256 $got"
    fi
done
# the case really has ties: deliveries on exact half days, many of them
n=$(awk -F, 'NR > 1 && $2 == "pair" && $11 * 2 == int($11 * 2)' "$T/t1/trials.csv" | wc -l)
if [ "$n" -gt 1000 ]; then ok "ties.yaml delivers on exact half days ($n trials)"; else
    not_ok "ties.yaml delivers on exact half days" "$n trials"; fi
finish
