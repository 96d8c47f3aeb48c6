#!/bin/sh
# CLI tests for scenarios that are not regular files (issue 14, class 3):
# a named pipe or /dev/stdin is read exactly once and works; before, the
# report's "scenario as written" opened the file a second time and blocked
# forever on a FIFO (as did sweeps, which parsed it twice, and the caret
# echo of an error).  Every command runs under a timeout: a hang is a
# failure, not a stuck `make check`.  POSIX sh, from the repository root;
# last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-fifo.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
if ! command -v timeout >/dev/null 2>&1 || ! mkfifo "$T/probe" 2>/dev/null; then
    skip "no timeout(1) or mkfifo(1) here"
    finish
fi
S=scenarios/pod-run-rate.yaml

# via_fifo DESC WANT FILE CMD...: CMD reads the scenario from a fresh FIFO
# ($T/p.yaml, written once from FILE); WANT is the exit status expected
via_fifo() {
    v_desc=$1 v_want=$2 v_file=$3
    shift 3
    rm -f "$T/p.yaml"
    mkfifo "$T/p.yaml"
    # the writer gives up after a while, so a reader that never comes (or
    # comes twice) cannot leave it behind
    (timeout 30 sh -c "cat '$v_file' >'$T/p.yaml'" 2>/dev/null &)
    timeout 30 "$@" >"$T/out" 2>"$T/err"
    v_rc=$?
    if [ "$v_rc" = "$v_want" ]; then ok "$v_desc"; else
        not_ok "$v_desc" "exit $v_rc, want $v_want$( [ "$v_rc" = 124 ] && echo ' (hung: timed out)')" \
            "$(head -3 "$T/err")"
    fi
}

via_fifo "run -o on a FIFO scenario: exit 0, no hang" 0 "$S" \
    "$BIN" run "$T/p.yaml" --trials 300 -q --no-plots -o "$T/r"
# the report quotes the bytes that were run: the scenario's first key line
first=$(grep -m1 '^name:' "$S" | sed 's/^name: *//')
if [ -s "$T/r/report.md" ] && grep -q "name: $first" "$T/r/report.md"; then
    ok "... report.md holds the scenario as written"
else
    not_ok "... report.md holds the scenario as written" "no 'name: $first'"
fi
sha=$(grep -m1 '"input_sha256"' "$T/r/summary.json" | sed 's/.*: "\(.*\)".*/\1/')
want=$( (sha256sum "$S" 2>/dev/null || shasum -a 256 "$S") | cut -d' ' -f1)
[ "$sha" = "$want" ] && ok "... its SHA-256 is the file's" || not_ok "... its SHA-256 is the file's" "$sha vs $want"
via_fifo "validate on a FIFO: exit 0" 0 "$S" "$BIN" validate "$T/p.yaml"
# an error with a line and column: the caret echo must not open it again
via_fifo "validate on a FIFO with an error: exit 2, no hang" 2 tests/bad/unknown-key-typo-of-kind.yaml \
    "$BIN" validate "$T/p.yaml"
grep -q "p.yaml:[0-9]*:[0-9]*:" "$T/err" && ok "... file:line:col message" || not_ok "... file:line:col message" "$(cat "$T/err")"
via_fifo "sweep on a FIFO: exit 0, no hang" 0 "$S" \
    "$BIN" sweep "$T/p.yaml" --set pod/pod.hourly_rate=40:60:2 --metric cost_total.mean --trials 200 \
    --no-plots -q -o "$T/sw"
[ -s "$T/sw/sweep.json" ] && ok "... sweep.json written" || not_ok "... sweep.json written" "$(ls "$T/sw" 2>&1)"
# /dev/stdin: a pipe, read once
timeout 30 sh -c "cat '$S' | '$BIN' run /dev/stdin --trials 300 -q --no-plots -o '$T/si'" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && [ -s "$T/si/report.html" ] && ok "run on /dev/stdin from a pipe" ||
    not_ok "run on /dev/stdin from a pipe" "exit $rc" "$(head -3 "$T/err")"
# its summary records no absolute path to read again (replay is refused, not hung)
if grep -q '"scenario_path": null' "$T/si/summary.json" 2>/dev/null ||
    grep -q '"scenario_path": "/proc' "$T/si/summary.json" 2>/dev/null; then
    timeout 30 "$BIN" run --replay "$T/si/summary.json" </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    [ $rc -eq 2 ] && ok "replay of a run read from a pipe: exit 2, no hang" ||
        not_ok "replay of a run read from a pipe: exit 2, no hang" "exit $rc" "$(head -3 "$T/err")"
else
    ok "replay of a run read from a pipe: a regular path was recorded"
fi
finish
