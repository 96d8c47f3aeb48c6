#!/bin/sh
# tests/golden/golden.sh — the summary.json of every shipped scenario,
# hashed and compared against tests/golden/hashes.txt.  A refactor must
# leave these bytes alone; a change that moves a published figure on
# purpose regenerates the file (`make golden`, i.e. this script with
# --update) and says why in its commit.
#
# What is not a result is taken out before hashing: where the scenario
# file lives (scenario_path, absolute), the thread count, the elapsed time,
# and the temporary output folder in a recorded command line.  Everything else — every figure, every key, the order and
# the number formatting — is hashed.  POSIX sh, from the repository root;
# last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
HASHES=tests/golden/hashes.txt
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-golden.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
update=0
[ "${1:-}" = --update ] && update=1
: >"$T/new"

# golden NAME "FILE..." CMD...: run CMD (which writes $T/NAME), hash each FILE
golden() {
    g_name=$1 g_file=$2; shift 2
    if ! "$@" -o "$T/$g_name" -q >"$T/err" 2>&1; then
        not_ok "golden $g_name runs" "$(head -3 "$T/err")"
        return
    fi
    for g_f in $g_file; do
        g_key=$g_name:$g_f
        g_sum=$(grep -v '"scenario_path":\|"threads":\|"elapsed_seconds":\|"seconds":' "$T/$g_name/$g_f" |
            sed "s|$T/|OUT/|g" | sha256sum | cut -d' ' -f1)
        printf '%s %s\n' "$g_key" "$g_sum" >>"$T/new"
        [ "$update" = 1 ] && continue
        g_want=$(awk -v k="$g_key" '$1 == k { print $2 }' "$HASHES")
        if [ -z "$g_want" ]; then
            not_ok "golden $g_key" "no hash in $HASHES (make golden)"
        elif [ "$g_want" = "$g_sum" ]; then
            ok "golden $g_key unchanged"
        else
            not_ok "golden $g_key unchanged" "hash $g_sum, want $g_want"
        fi
    done
}

for s in scenarios/*.yaml scenarios/history/*.yaml scenarios/portfolio/*.yaml; do
    n=run-$(basename "$s" .yaml)
    [ "$n" = run-portfolio ] && continue
    golden "$n" "summary.json report.md comparison.csv" "$BIN" run "$s" --trials 2000 --no-plots
done
golden bid "summary.json report.md" "$BIN" bid scenarios/fixed-bid-offer.yaml --trials 2000 --no-plots
golden envelope "summary.json report.md" "$BIN" envelope scenarios/envelope.yaml --trials 2000 --no-plots
golden sweep "sweep.json sweep.csv" "$BIN" sweep scenarios/token-breakeven.yaml --trials 500 --no-plots
golden breakeven "breakeven.json breakeven.csv" "$BIN" breakeven scenarios/token-breakeven.yaml --trials 500 --no-plots
golden tornado "tornado.json tornado.csv" "$BIN" tornado scenarios/offshore-vs-ai.yaml --trials 500 --no-plots
golden portfolio "summary.json portfolio_fan.dat" "$BIN" portfolio scenarios/portfolio/portfolio.yaml --trials 1000 --no-plots
golden track "summary.json" "$BIN" track scenarios/offshore-vs-ai.yaml --alternative offshore \
    --actuals scenarios/track/offshore-month4.csv --trials 2000 --no-plots

if [ "$update" = 1 ]; then
    cp "$T/new" "$HASHES"
    echo "golden: wrote $(wc -l <"$HASHES") hashes to $HASHES"
    exit 0
fi
finish
