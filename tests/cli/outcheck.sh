#!/bin/sh
# CLI tests: what a command can know before it simulates, it checks
# first.  A portfolio, sweep, break-even or tornado too large for the
# machine's memory is refused (exit 2) instead of growing until the system
# kills it.  Every command that writes an output folder checks it before
# it simulates (cli_out_check; atomic_dir_check, sim/base/atomicdir.c), so
# a folder capmix could never write costs the user a second, not the
# whole simulation.  A refused folder: exit 1, the reason on stderr,
# nothing on standard output (no table: nothing was simulated), the folder
# unchanged.
# POSIX sh, from the repository root; last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-outcheck.XXXXXX") || exit 1
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
S=scenarios/offshore-vs-ai.yaml
mkdir "$T/mine" && echo keep >"$T/mine/notes.txt"

# refused DESC WHY-PATTERN CMD...: exit 1, stderr matches, stdout empty
refused() {
    r_desc=$1 r_pat=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    r_rc=$?
    r_why=""
    [ $r_rc -eq 1 ] || r_why="exit $r_rc, want 1
"
    grep -q -- "$r_pat" "$T/err" || r_why="${r_why}stderr lacks '$r_pat'
"
    [ -s "$T/out" ] && r_why="${r_why}something was printed (simulated?): $(head -c 200 "$T/out")
"
    [ "$(ls -A "$T/mine")" = notes.txt ] || r_why="${r_why}the folder changed: $(ls -A "$T/mine")
"
    check "$r_desc" "$r_why" "$T/err"
}

NE="holds no capmix results"
refused "run: a folder holding no results, refused before simulating" "$NE" \
    "$BIN" run "$S" --trials 5000 -o "$T/mine"
refused "bid: the same" "$NE" "$BIN" bid scenarios/fixed-bid-offer.yaml --trials 5000 -o "$T/mine"
refused "envelope: the same" "$NE" "$BIN" envelope scenarios/envelope.yaml --trials 5000 -o "$T/mine"
refused "sweep: the same" "$NE" "$BIN" sweep scenarios/token-breakeven.yaml --trials 2000 -o "$T/mine"
refused "breakeven: the same" "$NE" "$BIN" breakeven scenarios/token-breakeven.yaml --trials 2000 -o "$T/mine"
refused "tornado: the same" "$NE" "$BIN" tornado "$S" --trials 2000 -o "$T/mine"
# compare, portfolio and track print nothing with -o either way: asked for
# more trials than they could simulate in 10 s of processor time (a limit
# on the process, not a timing of it), they must still refuse, at once
cpu10() { (ulimit -t 10 && exec "$@"); }
refused "compare: the same" "$NE" cpu10 "$BIN" compare scenarios/pod-run-rate.yaml \
    scenarios/ai-team-run-rate.yaml --trials 2000000 -o "$T/mine"
refused "portfolio: the same" "$NE" cpu10 "$BIN" portfolio scenarios/portfolio/portfolio.yaml \
    --trials 500000 -o "$T/mine"
refused "track: the same" "$NE" cpu10 "$BIN" track scenarios/envelope.yaml --alternative offshore \
    --actuals scenarios/track/offshore-month4.csv --trials 10000000 -o "$T/mine"

# a portfolio of 10^8 trials needs ~200 GB (estimated from its options'
# per-trial arrays): refused at once, not allocated until the OOM killer
mem_kb=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo 2>/dev/null)
if [ -n "$mem_kb" ] && [ "$mem_kb" -lt 100000000 ]; then
    expect_rc "portfolio: 10^8 trials refused for memory (exit 2)" 2 \
        cpu10 "$BIN" portfolio scenarios/portfolio/portfolio.yaml --trials 100000000 -q -o "$T/pf"
    grep_err "... saying how much it would need" "portfolio: 100000000 trials of [0-9]* alternatives need about [0-9]* MiB"
    absent "... and writing nothing" "$T/pf"
    for c in sweep breakeven; do
        expect_rc "$c: 10^8 trials refused for memory (exit 2)" 2 \
            cpu10 "$BIN" $c scenarios/token-breakeven.yaml --trials 100000000 -q -o "$T/sw"
        grep_err "... saying how much it would need" "$c: 100000000 trials of 2 alternatives need about"
    done
    expect_rc "tornado: 10^8 trials refused for memory (exit 2)" 2 \
        cpu10 "$BIN" tornado "$S" --trials 100000000 -q -o "$T/sw"
    absent "... and none of them writing anything" "$T/sw"
else
    skip "memory refusals: this machine has 100 GB or more"
fi

# the other reasons begin gives, found as early
: >"$T/file"
refused "a parent that is a file" "Not a directory" "$BIN" run "$S" --trials 5000 -o "$T/file/out"
ln -s "$T/mine" "$T/link"
refused "a symbolic link" "symbolic link" "$BIN" run "$S" --trials 5000 -o "$T/link"
long=$T
while [ ${#long} -le 900 ]; do long=$long/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; done
refused "a path over 900 characters" "capmix takes at most 900" "$BIN" run "$S" --trials 5000 -o "$long/out"
[ -e "$T/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" ] &&
    not_ok "... and creates none of its parents" || ok "... and creates none of its parents"
name=n
while [ ${#name} -le 235 ]; do name=${name}nnnnnnnnnn; done
refused "a folder name too long for its temporary sibling (over 231 characters)" "capmix takes at most 231" \
    "$BIN" run "$S" --trials 5000 -o "$T/$name"
refused "a symbolic link given with a trailing slash" "symbolic link" "$BIN" run "$S" --trials 5000 -o "$T/link/"
ln -s "$T/nowhere" "$T/dangling"
refused "a parent that is a dangling symbolic link" "File exists" "$BIN" run "$S" --trials 5000 -o "$T/dangling/out"
expect_rc "compare: a bad scenario is reported before a bad folder (exit 2)" 2 \
    "$BIN" compare "$T/missing.yaml" scenarios/pod-run-rate.yaml --trials 2000 -o "$T/mine"
if [ "$(id -u)" != 0 ]; then
    mkdir "$T/ro" && chmod 555 "$T/ro"
    refused "a parent that cannot be written" "Permission denied" "$BIN" run "$S" --trials 5000 -o "$T/ro/a/out"
else
    skip "a parent that cannot be written: root writes anywhere"
fi

# what is fine stays fine: a new folder under parents still to be made,
# and a folder of earlier results
"$BIN" run "$S" --trials 2000 -q --no-plots -o "$T/new/a/b" >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && [ -s "$T/new/a/b/summary.json" ] && ok "a folder under parents still to be made is written" ||
    not_ok "a folder under parents still to be made is written" "exit $rc" "$(head -3 "$T/err")"
"$BIN" run "$S" --trials 2000 -q --no-plots -o "$T/new/a/b" >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && ok "a folder of earlier results is replaced" ||
    not_ok "a folder of earlier results is replaced" "exit $rc" "$(head -3 "$T/err")"
# a shard goes into a folder of shards, which is not checked as an output folder
"$BIN" run "$S" --trials 2048 -q --shard 1/2 -o "$T/shards" >/dev/null 2>"$T/err" &&
    "$BIN" run "$S" --trials 2048 -q --shard 2/2 -o "$T/shards" >/dev/null 2>>"$T/err"
rc=$?
[ $rc -eq 0 ] && ok "two shards into one folder" || not_ok "two shards into one folder" "exit $rc" "$(head -3 "$T/err")"
finish
