#!/bin/sh
# CLI tests for `capmix compare OLD NEW`: exit codes, messages, the lead
# sentence, the waterfall adding up, and the output folder (all or
# nothing).  POSIX sh, from the repository root; last line
# "cli: N passed, M failed" (see tests/run-all.sh).
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-compare.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT


O=tests/compare/old.yaml
N=tests/compare/new.yaml

expect_rc "compare --help" 0 "$BIN" compare --help
grep_out "compare --help explains the waterfall" "one at a time"
expect_rc "compare with one file is a usage error" 2 "$BIN" compare "$O"
grep_err "compare with one file says what it needs" "give two scenario files or run folders"
expect_rc "compare with an unknown option" 2 "$BIN" compare "$O" "$N" --bogus
expect_rc "compare with a bad --trials" 2 "$BIN" compare "$O" "$N" --trials 1
expect_rc "compare with an unknown figure" 2 "$BIN" compare "$O" "$N" --figure p99
grep_err "the unknown figure lists the valid ones" "p90_blended"
expect_rc "compare of a missing file" 2 "$BIN" compare "$O" "$T/none.yaml"
printf 'capmix: 1\nname: x\nwork: {outcomes: 3, horizn_days: 9}\n' >"$T/bad.yaml"
expect_rc "compare of a broken NEW file" 2 "$BIN" compare "$O" "$T/bad.yaml" -o "$T/never"
grep_err "the broken file's error has file:line:col" "bad.yaml:3:"
if [ -e "$T/never" ]; then not_ok "a failed compare writes no folder"; else ok "a failed compare writes no folder"; fi
expect_rc "--alternative that only one file holds" 2 "$BIN" compare "$O" "$N" --alternative retired -o "$T/never"
grep_err "--alternative names the problem" "not an alternative both files hold"
if [ -e "$T/never" ]; then not_ok "... and writes no folder"; else ok "... and writes no folder"; fi
# (about 44 GiB: refused where half the memory is less, i.e. under 88 GiB)
if [ "$(awk '/^MemTotal:/ { print ($2 < 88 * 1024 * 1024) }' /proc/meminfo 2>/dev/null)" = 1 ]; then
    expect_rc "compare --trials 100000000: more than this machine can hold is refused up front" 2 \
        "$BIN" compare "$O" "$N" --trials 100000000 -o "$T/never"
    grep_err "... naming what it would need" "compare: 100000000 trials of [0-9]* alternatives need about [0-9]* MiB"
    if [ -e "$T/never" ]; then not_ok "... and writes no folder"; else ok "... and writes no folder"; fi
else
    skip "compare --trials 100000000 is refused (this machine has 88 GiB or more)"
fi

expect_rc "compare OLD NEW succeeds" 0 "$BIN" compare "$O" "$N" --trials 2000 --alternative pod --figure mean_total -o "$T/c1"
grep_out "the lead sentence names the figure and the largest step" "mean total cost of 'pod' went from .* the largest step is"
grep_out "the changed keys are listed with old and new values" "alternatives\[pod\].sources\[pod\].hourly_rate *60 -> 66"
grep_out "an added key shows as absent before" "onboarding_cost (absent) -> 12000"
grep_out "an alternative only in OLD is said" "'retired' is only in OLD"
grep_out "the waterfall ends at NEW with the total" "NEW .*(total)"
grep_out "the contributions add up" "add up to the total change (difference 0)"
for f in summary.json waterfall.csv compare.md waterfall.dat waterfall.gp; do
    if [ -s "$T/c1/$f" ]; then ok "compare -o writes $f"; else not_ok "compare -o writes $f" "$(ls "$T/c1" 2>&1)"; fi
done
if grep -q '"command": "compare"' "$T/c1/summary.json" && grep -q '"contribution_se"' "$T/c1/summary.json"; then
    ok "summary.json records the command and each step's paired SE"
else
    not_ok "summary.json records the command and each step's paired SE" "$(head -20 "$T/c1/summary.json")"
fi
# the rate step moves only the pod: the team's waterfall row for it is 0
if awk -F, '$1 == "team" && $2 == "mean_total" && $4 ~ /hourly_rate/ { found = 1; if ($6 + 0 != 0) bad = 1 } END { exit !(found && !bad) }' "$T/c1/waterfall.csv"; then
    ok "a change to the pod leaves the team's figures as they were (streams per alternative)"
else
    not_ok "a change to the pod leaves the team's figures as they were" "$(grep '^team,mean_total' "$T/c1/waterfall.csv")"
fi
# every alternative and figure: the contributions sum to NEW - OLD (rounding)
if awk -F, 'NR > 1 { key = $1 SUBSEP $2; if ($3 == 0) old[key] = $5; else { sum[key] += $6; last[key] = $5 } }
    END { for (k in sum) { t = last[k] - old[k]; e = sum[k] - t; if (e < 0) e = -e; s = old[k] < 0 ? -old[k] : old[k]; if (e > 1e-9 * (1 + s)) exit 1 }; exit 0 }' "$T/c1/waterfall.csv"; then
    ok "waterfall.csv: contributions add up to the total for every figure"
else
    not_ok "waterfall.csv: contributions add up to the total for every figure"
fi

expect_rc "compare a file with itself" 0 "$BIN" compare "$O" "$O" --trials 500
grep_out "identical files: nothing changed" "is unchanged"
grep_out "identical files: no change listed" "^0 changes"

# the same seed and trials give the same figures, whatever the thread count
"$BIN" compare "$O" "$N" --trials 1500 --threads 1 -q -o "$T/t1" 2>"$T/err"
"$BIN" compare "$O" "$N" --trials 1500 --threads 2 -q -o "$T/t2" 2>>"$T/err"
if cmp -s "$T/t1/waterfall.csv" "$T/t2/waterfall.csv"; then ok "waterfall.csv is the same on 1 and 2 threads"; else not_ok "waterfall.csv is the same on 1 and 2 threads" "$(head -3 "$T/err")"; fi

# two run folders: the scenarios they ran, NEW's trials and seed
"$BIN" run "$O" --trials 1000 -q --no-plots -o "$T/r1" && "$BIN" run "$N" --trials 1200 --seed 5 -q --no-plots -o "$T/r2"
expect_rc "compare two run folders" 0 "$BIN" compare "$T/r1" "$T/r2" -q -o "$T/c3"
if command -v python3 >/dev/null 2>&1; then
    if python3 - "$T/r2/summary.json" "$T/c3/summary.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1])); cmp = json.load(open(sys.argv[2]))
want = {a["name"]: a["metrics"]["cost_total"]["mean"] for a in run["alternatives"]}
got = {a["name"]: a["new"]["mean_total"] for a in cmp["alternatives"]}
assert cmp["trials"] == 1200 and cmp["seed"] == 5, (cmp["trials"], cmp["seed"])
assert all(got[k] == want[k] for k in got), (got, want)
PY
    then ok "NEW's figures from a run folder are the run's own (same trials and seed)"
    else not_ok "NEW's figures from a run folder are the run's own"
    fi
else
    skip "python3 missing: run-folder figures not checked"
fi
cp "$N" "$T/moved.yaml"
"$BIN" run "$T/moved.yaml" --trials 500 -q --no-plots -o "$T/r3"
printf '# edited after the run\n' >>"$T/moved.yaml"
expect_rc "a run folder whose scenario changed since is refused" 2 "$BIN" compare "$T/r1" "$T/r3"
grep_err "... saying the scenario changed" "has changed since"

# an output folder is replaced whole
mkdir -p "$T/c2" && : >"$T/c2/summary.json" && : >"$T/c2/old-result.dat"
expect_rc "compare into a previous result folder" 0 "$BIN" compare "$O" "$N" --trials 500 -q --no-plots -o "$T/c2"
if [ -e "$T/c2/old-result.dat" ]; then not_ok "the previous folder's files are gone"; else ok "the previous folder's files are gone"; fi
if [ -s "$T/c2/summary.json" ]; then ok "the new summary.json is there"; else not_ok "the new summary.json is there"; fi
finish
