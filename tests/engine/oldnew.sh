#!/bin/sh
# tests/engine/oldnew.sh OLD NEW — the old-vs-new gate of an engine change
# (issue 19): run every shipped scenario, tests/engine/ties.yaml, the
# envelope (month-end snapshots, stop-loss take-overs) and track (resumed
# runs) with both binaries and compare the outputs byte for byte (per-trial
# figures where the command writes them).  Not part of make check: it
# needs the old binary, e.g.
#   git worktree add /tmp/old main && make -C /tmp/old -j2
#   sh tests/engine/oldnew.sh /tmp/old/bin/capmix bin/capmix
# POSIX sh, from the repository root; last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
OLD=${1:?usage: oldnew.sh OLD NEW}
NEW=${2:?usage: oldnew.sh OLD NEW}
TRIALS=${OLDNEW_TRIALS:-4000}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-oldnew.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# same NAME "FILE..." ARGS...: run both binaries with ARGS, compare FILEs
# (the manifest's paths, thread counts and times taken out)
same() {
    s_name=$1 s_files=$2; shift 2
    for s_b in old new; do
        if [ $s_b = old ]; then s_bin=$OLD; else s_bin=$NEW; fi
        if ! "$s_bin" "$@" -q -o "$T/$s_b.$s_name" >"$T/err" 2>&1; then
            not_ok "$s_name runs ($s_b)" "$(head -3 "$T/err")"
            return
        fi
    done
    for s_f in $s_files; do
        for s_b in old new; do
            grep -v '"scenario_path":\|"threads":\|"elapsed_seconds":\|"seconds":\|"version":' \
                "$T/$s_b.$s_name/$s_f" | sed "s|$T/$s_b.|OUT/|g" >"$T/$s_b.cmp"
        done
        if cmp -s "$T/old.cmp" "$T/new.cmp"; then
            ok "$s_name: $s_f identical"
        else
            not_ok "$s_name: $s_f identical" "$(diff "$T/old.cmp" "$T/new.cmp" | head -4)"
        fi
    done
}

for s in scenarios/*.yaml scenarios/history/*.yaml scenarios/portfolio/*.yaml tests/engine/*.yaml \
    tests/bench/*.yaml; do
    n=run-$(basename "$s" .yaml)
    case $n in run-portfolio) continue ;; esac
    [ "$s" = scenarios/fixed-bid-offer.yaml ] && f=summary.json || f="summary.json trials.csv"
    same "$n" "$f" run "$s" --trials "$TRIALS" --no-plots --export-trials --threads 2
done
same envelope "summary.json report.md" envelope scenarios/envelope.yaml --trials "$TRIALS" --no-plots
same track summary.json track scenarios/offshore-vs-ai.yaml --alternative offshore \
    --actuals scenarios/track/offshore-month4.csv --trials "$TRIALS" --no-plots
same portfolio "summary.json portfolio_fan.dat" portfolio scenarios/portfolio/portfolio.yaml \
    --trials "$TRIALS" --no-plots
same tornado tornado.json tornado scenarios/offshore-vs-ai.yaml --trials 500 --no-plots
same breakeven breakeven.json breakeven scenarios/token-breakeven.yaml --trials 500 --no-plots
finish
