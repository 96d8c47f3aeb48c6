#!/bin/sh
# CLI tests for `capmix breakeven` (model, "Sweeps and break-even curves"):
# usage, breakeven.csv and breakeven.json (tests/lib/sweep_check.py), the
# curve's direction, reproducibility, a y range with no crossing.
#
# POSIX sh (runs under dash), from the repository root; prints "ok - ..." or
# "not ok - ..." per check and, last, "cli: N passed, M failed" (see
# tests/run-all.sh and tests/lib/cli.sh).
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh
cli_setup breakeven

. tests/lib/sweep.sh

SR=scenarios/offshore-vs-ai.yaml
TB=scenarios/token-breakeven.yaml
sw=$tmp/sweep
mkdir "$sw"
BM=blended_cost.mean

help_ok "capmix breakeven --help" "usage: capmix breakeven SCENARIO.yaml --x PATH=LO:HI:N --y PATH=LO:HI" breakeven --help
help_ok "capmix breakeven -h" "usage: capmix breakeven SCENARIO.yaml" breakeven -h
help_ok "capmix help breakeven (help on a command)" "usage: capmix breakeven SCENARIO.yaml" help breakeven
help_ok "capmix --help lists the breakeven command" "  breakeven " --help
usage_error "unknown command 'breakevn' suggests breakeven" "unknown command 'breakevn' (did you mean 'breakeven'?)" breakevn
usage_error "help on a misspelt command suggests breakeven" "(did you mean 'breakeven'?)" help breakevn

TX='ai-team/team.tokens.monthly=10000:120000:3'
TY='ai-team/team.throughput_per_month=2:12'
sweep_usage "without a file" "breakeven: give exactly one scenario file" breakeven --x "$TX" --y "$TY"
sweep_usage "--set belongs to sweep" "breakeven: option '--set' belongs to 'capmix sweep'" breakeven "$TB" --set "$TX"
sweep_usage "without --between (and no breakeven: section)" "breakeven: give --x, --y, --metric and --between" \
    breakeven "$SR" --x 'ai-team/team.headcount=2:6:3' --y 'ai-team/team.throughput_per_month=3:7' --metric "$BM"
sweep_usage "without --y (and no breakeven: section)" "breakeven: give --x, --y, --metric and --between" \
    breakeven "$SR" --x 'ai-team/team.headcount=2:6:3' --metric "$BM" --between ai-team offshore
sweep_usage "--x and --y the same parameter" "breakeven: --x and --y name the same parameter" \
    breakeven "$TB" --x 'ai-team/team.throughput_per_month=2:12:3' --y "$TY"
sweep_usage "--x and --y the same parameter, spelt differently" "breakeven: --x and --y name the same parameter" \
    breakeven "$TB" --x 'ai-team.sources.team.throughput_per_month=2:12:3' --y "$TY"
sweep_usage "--y with a point count" "--y needs PATH=LO:HI with decimal numbers, not 'ai-team/team.throughput_per_month=2:12:3'" \
    breakeven "$TB" --y 'ai-team/team.throughput_per_month=2:12:3'
sweep_usage "--y with an empty field (2::12)" "--y needs PATH=LO:HI" \
    breakeven "$TB" --x "$TX" --y 'ai-team/team.throughput_per_month=2::12'
sweep_usage "--x without a point count" "--x needs PATH=LO:HI:N with decimal numbers, not 'ai-team/team.tokens.monthly=10000:120000'" \
    breakeven "$TB" --x 'ai-team/team.tokens.monthly=10000:120000'
sweep_usage "--between with one name" "breakeven: --between needs two alternatives" breakeven "$TB" --between ai-team
sweep_usage "--between naming a missing alternative" "--between: no alternative 'nope' in the scenario" \
    breakeven "$TB" --between ai-team nope
sweep_usage "a path with an unknown key in --y" "'ai-team/team' has no 'throughput_per_mnth' (did you mean 'throughput_per_month'?)" \
    breakeven "$TB" --y 'ai-team/team.throughput_per_mnth=2:12'
sweep_usage "swept values the scenario rejects: both values" "(with the swept values 10000, -10)" \
    breakeven "$TB" --x "$TX" --y 'offshore/pod.hourly_rate=-10:10' --metric cost_per_outcome.mean

# Break-even: x from the command line; y, metric and between from the file.
bset=$(awk '/^breakeven:/ { s = 1; next } /^[^ ]/ { s = 0 } s && /^  y: / { print $2; exit }' "$TB")
ypath=${bset%%=*}
yr=${bset#*=}
ylo=${yr%%:*}
yhi=${yr#*:}
bmetric=$(awk '/^breakeven:/ { s = 1; next } /^[^ ]/ { s = 0 } s && /^  metric: / { print $2; exit }' "$TB")
cm 60 breakeven "$TB" --x "$TX" --trials 400 -o "$sw/be" >"$sw/be.out" 2>"$sw/be.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
for want in breakeven.csv breakeven.json breakeven.gp; do
    [ -s "$sw/be/$want" ] || why="${why}no $want
"
done
left=$(leftovers "$sw/be")
[ -z "$left" ] || why="${why}temporary files left: $left
"
check "breakeven $TB --x $TX --trials 400 -o DIR: exit 0, breakeven.csv, breakeven.json, breakeven.gp" "$why" "$sw/be.err" "$sw/be.out"
if command -v gnuplot >/dev/null 2>&1; then
    why=""
    [ -s "$sw/be/breakeven.png" ] || why="no breakeven.png"
    check "breakeven, gnuplot installed: breakeven.png is drawn" "$why" "$sw/be.err"
else
    skip "breakeven: breakeven.png is drawn (gnuplot is not installed)"
fi
why=$(crlf_rows "$sw/be/breakeven.csv" 3)
if [ -f "$sw/be/breakeven.csv" ] && [ -n "$ylo" ] && [ -n "$yhi" ]; then
    head -n 1 "$sw/be/breakeven.csv" | tr -d '\r' | grep -q "^\"${TX%%=*}\",\"$ypath\",\"lo\",\"hi\"\$" ||
        why="${why}
the header is not \"${TX%%=*}\",\"$ypath\",\"lo\",\"hi\""
    why="$why$(tr -d '\r' <"$sw/be/breakeven.csv" | awk -F, -v ylo="$ylo" -v yhi="$yhi" '
        NR == 1 { next }
        {
            if (!($2 + 0 >= ylo + 0 && $2 + 0 <= yhi + 0)) printf "\nx %s: y %s outside [%s, %s]", $1, $2, ylo, yhi
            if (!($3 + 0 <= $2 + 0 && $2 + 0 <= $4 + 0)) printf "\nx %s: y %s outside its interval [%s, %s]", $1, $2, $3, $4
            if (NR > 2 && !($1 + 0 > px + 0)) printf "\nx %s after %s", $1, px
            if (NR > 2 && !($2 + 0 > py + 0)) printf "\ny %s at x %s is not above y %s at x %s", $2, $1, py, px
            px = $1; py = $2
        }')"
fi
check "breakeven.csv: a header and 3 CRLF rows, y within [$ylo, $yhi] and its [lo, hi], y increasing with x (more token spend needs more uplift)" "$why"
sweep_py "breakeven.json: x, y, metric and between (from the file), wins_above one of the pair, evaluations, a curve of 3 points" \
    "$sw/be/breakeven.json" curve "${TX%%=*}" "$ypath" "${bmetric%%.*}" "${bmetric#*.}" ai-team offshore 3
why=""
grep -q "^'ai-team' wins above the curve, 'offshore' below it" "$sw/be.out" ||
    why="stdout lacks \"'ai-team' wins above the curve, 'offshore' below it\""
grep -q '"wins_above": *"ai-team"' "$sw/be/breakeven.json" 2>/dev/null || why="${why}
breakeven.json's wins_above is not ai-team"
check "breakeven: stdout and breakeven.json say 'ai-team' wins above the curve (more throughput)" "$why" "$sw/be.out"

# Reproducibility of the curve.
for t in 1 2; do
    cm 60 breakeven "$TB" --x "$TX" --trials 400 --no-plots -q --threads "$t" -o "$sw/be$t" 2>"$sw/be$t.err"
done
if [ -f "$sw/be1/breakeven.csv" ] && cmp -s "$sw/be1/breakeven.csv" "$sw/be2/breakeven.csv"; then
    ok "breakeven --threads 1 and --threads 2: byte-identical breakeven.csv"
else
    not_ok "breakeven --threads 1 and --threads 2: byte-identical breakeven.csv" \
        "$(diff "$sw/be1/breakeven.csv" "$sw/be2/breakeven.csv" 2>&1 | head -n 6)"
fi

# A y range with no crossing: exit 0, "no crossing" for each x.
cm 60 breakeven "$TB" --x "$TX" --y 'ai-team/team.throughput_per_month=20:30' --trials 400 \
    -o "$sw/none" >"$sw/none.out" 2>"$sw/none.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
n=$(grep -c '(no crossing for y in 20 to 30: .* wins there)' "$sw/none.out")
[ "$n" -eq 3 ] || why="${why}$n lines with '(no crossing for y in 20 to 30: X wins there)' on stdout, want 3 (one per x)
"
why="$why$(crlf_rows "$sw/none/breakeven.csv" 0)"
check "breakeven --y ...=20:30 (no crossing): exit 0, 'no crossing' for each of 3 x, breakeven.csv a header only" "$why" "$sw/none.out" "$sw/none.err"
sweep_py "breakeven with no crossing: breakeven.json has 3 points, all with y null" "$sw/none/breakeven.json" none 3
if command -v gnuplot >/dev/null 2>&1; then
    why=""
    [ -s "$sw/none/breakeven.png" ] || why="no breakeven.png
"
    grep -q 'gnuplot failed' "$sw/none.err" && why="${why}$(grep 'gnuplot failed' "$sw/none.err")"
    check "breakeven with no crossing, gnuplot installed: breakeven.png is drawn (gnuplot does not fail on its script)" "$why" "$sw/none.err"
else
    skip "breakeven with no crossing: breakeven.png is drawn (gnuplot is not installed)"
fi

# breakeven --quiet prints nothing.
cm 60 breakeven "$TB" --x "$TX" --trials 300 --no-plots -q >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "breakeven --quiet prints nothing on stdout" "$why" "$tmp/o" "$tmp/e"

finish
