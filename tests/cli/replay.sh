#!/bin/sh
# CLI tests for `run --replay` and `report` against hostile summaries
# (issue 14, classes 1 and 7): a recorded argument list that would replay
# itself, tampered manifests, a summary that names one scenario and records
# the digest of another, and replays from another working directory; and
# the plain cases: a bid run reproduced, a tampered or changed one refused,
# its report rebuilt by `capmix report`.
# POSIX sh, from the repository root; last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-replay.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
# replays make their temporary folders under $TMPDIR: a private one shows
# whether any is left behind
mkdir "$T/tmp"
TMPDIR=$T/tmp
export TMPDIR

no_temps() {
    if [ -z "$(ls -A "$T/tmp")" ]; then ok "$1: no temporary folder left"; else
        not_ok "$1: no temporary folder left" "$(ls -A "$T/tmp" | head -3)"
        rm -rf "$T/tmp"/* "$T/tmp"/.[!.]*
    fi
}

cp scenarios/pod-run-rate.yaml "$T/a.yaml"
cp scenarios/ai-team-run-rate.yaml "$T/b.yaml"
(cd "$T" && "$BIN" run a.yaml --trials 300 --seed 5 -q --no-plots -o ra) >/dev/null 2>&1
(cd "$T" && "$BIN" run b.yaml --trials 300 --seed 5 -q --no-plots -o rb) >/dev/null 2>&1
[ -s "$T/ra/summary.json" ] && [ -s "$T/rb/summary.json" ] || { not_ok "two runs to tamper with"; finish; }

# --- provenance: the path recorded once, absolute --------------------------
if grep -q "\"scenario_path\": \"$T/a.yaml\"" "$T/ra/summary.json"; then
    ok "summary.json records the scenario's absolute path"
else
    not_ok "summary.json records the scenario's absolute path" "$(grep scenario_ "$T/ra/summary.json")"
fi
# the run used a relative path: replay and report from elsewhere
expect_rc "run --replay from another working directory" 0 sh -c "cd / && '$BIN' run --replay '$T/ra/summary.json'"
grep -q reproduced "$T/out" && ok "... reproduced byte for byte" || not_ok "... reproduced byte for byte" "$(cat "$T/out" "$T/err")"
no_temps "run --replay"
expect_rc "capmix report from another working directory" 0 sh -c "cd / && '$BIN' report '$T/ra'"
[ -s "$T/ra/report.html" ] && ok "... rebuilt report.html" || not_ok "... rebuilt report.html"

# --- class 7: the file checked is the file run ----------------------------
# The arguments name b.yaml, the digest and paths are a.yaml's: the old code
# checked a.yaml and ran b.yaml, exit 0.
sed "s|^      \"a.yaml\"|      \"b.yaml\"|" "$T/ra/summary.json" >"$T/t1.json"
if cmp -s "$T/t1.json" "$T/ra/summary.json"; then
    not_ok "tamper: the scenario argument (sed found nothing to change)"
else
    expect_rc "tampered arguments naming another scenario: run --replay exit 2" 2 \
        sh -c "cd '$T' && '$BIN' run --replay t1.json"
    grep_err "... says which scenario the arguments name" "name the scenario 'b.yaml', but scenario_file is 'a.yaml'"
    mkdir "$T/rt1" && cp "$T/t1.json" "$T/rt1/summary.json"
    expect_rc "tampered arguments naming another scenario: report exit 2" 2 sh -c "cd '$T' && '$BIN' report rt1"
    if [ ! -e "$T/rt1/report.html" ]; then ok "... and no report is built"; else
        not_ok "... and no report is built" "$(grep -m1 '<title' "$T/rt1/report.html")"
    fi
fi
# scenario_file and the arguments both b.yaml, the digest a.yaml's: the
# bytes read (from scenario_path, a.yaml) match the digest; those bytes are
# what runs, named as recorded, so the replay reproduces a.yaml's numbers
sed -e "s|^      \"a.yaml\"|      \"b.yaml\"|" -e "s|\"scenario_file\": \"a.yaml\"|\"scenario_file\": \"b.yaml\"|" \
    -e "s|\"scenario_path\": \"$T/a.yaml\"|\"scenario_path\": \"$T/b.yaml\"|" "$T/ra/summary.json" >"$T/t2.json"
expect_rc "tampered scenario_path with the other file's digest: exit 2" 2 sh -c "cd '$T' && '$BIN' run --replay t2.json"
grep_err "... the scenario changed since the run" "the scenario changed since the run"
# summaries written before scenario_path: the path as given, from the cwd
grep -v '"scenario_path"' "$T/ra/summary.json" >"$T/old.json"
expect_rc "a summary without scenario_path replays from the run's folder" 0 sh -c "cd '$T' && '$BIN' run --replay old.json"
# a FIFO as the recorded scenario cannot be read again: refused, not a hang
if mkfifo "$T/fifo.yaml" 2>/dev/null; then
    sed "s|\"scenario_path\": \"$T/a.yaml\"|\"scenario_path\": \"$T/fifo.yaml\"|" "$T/ra/summary.json" >"$T/t3.json"
    expect_rc "a recorded scenario that is a FIFO: exit 2, no hang" 2 timeout 20 "$BIN" run --replay "$T/t3.json"
    grep_err "... not a regular file" "is not a regular file"
else
    skip "mkfifo unavailable"
fi

# --- class 1: recursion ---------------------------------------------------
# A summary whose recorded arguments replay that very summary: the old code
# recursed until the stack overflowed (exit 139), leaving a temporary folder
# per level.
mkdir "$T/rec"
# arguments: exactly ["--replay", "rec/summary.json"]
sed '/"arguments": \[/,/\]/c\
    "arguments": ["--replay", "rec/summary.json"],' "$T/ra/summary.json" >"$T/rec/summary.json"
# (from the run's folder, where the recorded relative path resolves)
expect_rc "recorded --replay: run --replay refuses (exit 2)" 2 \
    sh -c "cd '$T' && timeout 60 '$BIN' run --replay rec/summary.json"
grep_err "... says why" "the recorded arguments contain --replay"
no_temps "recorded --replay"
expect_rc "recorded --replay: report refuses (exit 2)" 2 sh -c "cd '$T' && timeout 60 '$BIN' report rec"
grep_err "... says why" "the recorded arguments contain --replay"
# getopt takes any unambiguous prefix: --rep=FILE is --replay too
sed "s|\"arguments\": \[|\"arguments\": [\"--rep=$T/rec/summary.json\",|" "$T/ra/summary.json" >"$T/rec2.json"
expect_rc "recorded --rep=FILE (an abbreviation): refused (exit 2)" 2 \
    sh -c "cd '$T' && timeout 60 '$BIN' run --replay rec2.json"
grep_err "... says why" "the recorded arguments contain --replay"
sed "s|\"arguments\": \[|\"arguments\": [\"--help\",|" "$T/ra/summary.json" >"$T/help.json"
expect_rc "recorded --help: refused (exit 2), not 'rebuilt'" 2 "$BIN" run --replay "$T/help.json"
sed 's|"command": "run"|"command": "report"|' "$T/ra/summary.json" >"$T/cmd.json"
expect_rc "recorded command 'report': refused (exit 2)" 2 "$BIN" run --replay "$T/cmd.json"
grep_err "... says why" "manifest.command must be run, bid or envelope"
# non-string arguments: refused before any temporary folder is made
sed 's|"arguments": \[|"arguments": [7, {"x": 1},|' "$T/ra/summary.json" >"$T/ns.json"
expect_rc "non-string arguments: exit 2" 2 sh -c "cd '$T' && '$BIN' run --replay ns.json"
grep_err "... says why" "manifest.arguments must be strings"
no_temps "non-string arguments"
# a summary written by another release: refused before anything runs, by
# name (its figures came from other random streams, model §18.1), and its
# report is not rebuilt from figures it does not hold
sed 's|"capmix": "[^"]*"|"capmix": "0.1.0"|' "$T/ra/summary.json" >"$T/oldver.json"
expect_rc "a summary from capmix 0.1.0: run --replay exit 2" 2 sh -c "cd '$T' && '$BIN' run --replay oldver.json"
grep_err "... names both releases" "written by capmix 0.1.0; this is capmix [0-9]"
no_temps "a summary from another release"
mkdir "$T/ov" && cp "$T/ra/summary.json" "$T/ra/run.log" "$T/ov/" 2>/dev/null
sed -i 's|"capmix": "[^"]*"|"capmix": "0.1.0"|' "$T/ov/summary.json"
cp "$T/ov/summary.json" "$T/ov.before"
expect_rc "a summary from capmix 0.1.0: report exit 2" 2 sh -c "cd '$T' && '$BIN' report ov"
if [ ! -e "$T/ov/report.html" ] && cmp -s "$T/ov/summary.json" "$T/ov.before"; then
    ok "... its folder is left as it was"
else
    not_ok "... its folder is left as it was" "$(ls "$T/ov")"
fi
sed '/"capmix": /d' "$T/ra/summary.json" >"$T/nover.json"
expect_rc "a summary without its capmix version: exit 2" 2 sh -c "cd '$T' && '$BIN' run --replay nover.json"
grep_err "... says so" "written by capmix (unknown version)"
# a replay that fails in the pipeline (a bad option) still removes its folder
sed 's|"arguments": \[|"arguments": ["--trials", "0",|' "$T/ra/summary.json" >"$T/bad.json"
expect_rc "a recorded bad option: exit 2" 2 sh -c "cd '$T' && '$BIN' run --replay bad.json"
no_temps "a recorded bad option"

# --- a bid run replayed, its report rebuilt (from the old run.sh) ----------
# The same helpers as the per-command scripts: cm runs $CAPMIX in $tmp.
tmp=$T/bid-replay
mkdir "$tmp"
CAPMIX=$BIN
# A finished run is reproduced from its summary.json, and its report rebuilt.
cm 60 bid scenarios/fixed-bid-offer.yaml --trials 1500 --risk-tolerance 1500000 -q --no-plots \
    -o "$tmp/rp" >"$tmp/o" 2>"$tmp/e"
cm 60 run --replay "$tmp/rp/summary.json" --threads 1 >"$tmp/o" 2>"$tmp/e"
rc=$?
check "run --replay reproduces a bid run byte for byte" \
    "$( [ $rc -eq 0 ] && grep -q 'reproduced' "$tmp/o" || echo "exit $rc, or no 'reproduced'")" "$tmp/o" "$tmp/e"
sed 's/"p_mix_cheaper": 0\./"p_mix_cheaper": 0.000/' "$tmp/rp/summary.json" >"$tmp/tampered.json"
if cmp -s "$tmp/tampered.json" "$tmp/rp/summary.json"; then
    skip "run --replay on a tampered summary.json (the sed found nothing to change)"
else
    cm 60 run --replay "$tmp/tampered.json" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    check "run --replay on a tampered summary.json: exit 1, 'differs'" \
        "$( [ $rc -eq 1 ] && grep -q 'differs' "$tmp/e" || echo "exit $rc")" "$tmp/e"
fi
cp scenarios/pod-run-rate.yaml "$tmp/pr.yaml"
cm 60 run "$tmp/pr.yaml" --trials 500 -q -o "$tmp/rp2" >"$tmp/o" 2>"$tmp/e"
echo "# edited" >>"$tmp/pr.yaml"
usage_error "run --replay after the scenario changed" "the scenario changed since the run" run --replay "$tmp/rp2/summary.json"
usage_error "run --replay with a scenario too" "--replay takes the run's summary.json" run --replay "$tmp/rp/summary.json" scenarios/pod-run-rate.yaml
usage_error "run --replay on a file that is not a summary" "not valid JSON" run --replay scenarios/pod-run-rate.yaml
rm -f "$tmp/rp/report.html" "$tmp/rp/report.md"
cm 60 report "$tmp/rp" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
[ -s "$tmp/rp/report.html" ] && [ -s "$tmp/rp/report.md" ] || why="${why}no report.html/report.md
"
grep -q 'verdict' "$tmp/rp/report.html" 2>/dev/null || why="${why}the rebuilt report has no verdict
"
check "capmix report DIR rebuilds report.html and report.md" "$why" "$tmp/o" "$tmp/e"
usage_error "capmix report without a folder" "report: give the output folder" report
usage_error "capmix report on a folder without summary.json" "cannot open" report "$tmp"


finish
