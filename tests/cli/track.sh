#!/bin/sh
# CLI tests for `capmix track`: the re-forecast from a ledger of actuals
# (overspend moves the forecast, an unlikely ledger still gets one with a
# warning), summary.json's interface, and bad ledgers (every bad row
# reported, exit 2, nothing written).  POSIX sh, from the repository root;
# last line "cli: N passed, M failed" (see tests/run-all.sh).
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-track.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# jnum FILE SECTION KEY: the first "KEY" number after "SECTION" in a summary.json
jnum() { awk -v s="\"$2\":" -v k="\"$3\":" 'index($0, s) { f = 1 } f && index($0, k) { v = $2; sub(/,$/, "", v); print v; exit }' "$1"; }

S=scenarios/envelope.yaml
L=scenarios/track/offshore-month4.csv
# the same month 4 with $28k more spent, and with $68k more (far above the model's P99)
sed 's/^4,88000/4,116000/' "$L" >"$T/l380.csv"
sed 's/^4,88000/4,156000/' "$L" >"$T/l420.csv"

expect_rc "track at \$352k spent succeeds" 0 "$BIN" track "$S" --alternative offshore --actuals "$L" -o "$T/a" --trials 5000
grep_out "track prints the advice" "envelope"
for k in p10 p50 p90; do
    v=$(jnum "$T/a/summary.json" cost_total "$k")
    check "summary.json has forecast.cost_total.$k" "$( [ -n "$v" ] || echo missing)" "$T/a/summary.json"
    v=$(jnum "$T/a/summary.json" delivery_day "$k")
    check "summary.json has forecast.delivery_day.$k" "$( [ -n "$v" ] || echo missing)" "$T/a/summary.json"
done
if grep -q '"answer"' "$T/a/summary.json" && grep -q '"reason"' "$T/a/summary.json"; then ok "summary.json has the answer object"; else not_ok "summary.json has the answer object"; fi
if [ -s "$T/a/track.log" ]; then ok "track writes track.log"; else not_ok "track writes track.log"; fi

expect_rc "track at \$380k spent succeeds" 0 "$BIN" track "$S" --alternative offshore --actuals "$T/l380.csv" -o "$T/b" --trials 5000
p1=$(jnum "$T/a/summary.json" cost_total p50)
p2=$(jnum "$T/b/summary.json" cost_total p50)
if awk -v a="$p1" -v b="$p2" 'BEGIN { d = b - a - 28000; exit !(d < 1 && d > -1) }'; then
    ok "overspend moves the final-cost P50 by \$28k ($p1 -> $p2)"
else
    not_ok "overspend moves the final-cost P50 by \$28k" "$p1 -> $p2"
fi

expect_rc "track at \$420k spent still forecasts" 0 "$BIN" track "$S" --alternative offshore --actuals "$T/l420.csv" -o "$T/c" --trials 5000
grep_out "\$420k: the model needs recalibrating" "above the model's P99.*needs recalibrating"
if grep -q '"recalibrate": true' "$T/c/summary.json"; then ok "\$420k: summary.json says recalibrate"; else not_ok "\$420k: summary.json says recalibrate"; fi
if grep -q '"recalibrate": false' "$T/a/summary.json"; then ok "\$352k: no recalibration asked"; else not_ok "\$352k: no recalibration asked"; fi

# thread count does not change a figure
"$BIN" track "$S" --alternative offshore --actuals "$L" -o "$T/t2" --trials 5000 --threads 2 -q >/dev/null 2>&1
grep -v '"--threads"\|^    "2",\|"-q"\|"/' "$T/a/summary.json" >"$T/x1"
grep -v '"--threads"\|^    "2",\|"-q"\|"/' "$T/t2/summary.json" >"$T/x2"
if cmp -s "$T/x1" "$T/x2"; then ok "track: the same figures on 1 and 2 threads"; else
    not_ok "track: the same figures on 1 and 2 threads" "$(diff "$T/x1" "$T/x2" | head -5)"; fi

expect_rc "-q prints nothing" 0 "$BIN" track "$S" --alternative offshore --actuals "$L" --trials 1000 -q
check "-q prints nothing" "$( [ -s "$T/out" ] && echo printed)" "$T/out"

# --- the cone: the forecast at each past month ------------------------------
expect_rc "track with the cone chart" 0 "$BIN" track "$S" --alternative offshore --actuals "$L" -o "$T/cone" --trials 2000
n=$(grep -c '^[0-9]' "$T/cone/cone.dat")
check "cone.dat has one row per ledger month (4)" "$( [ "$n" = 4 ] || echo "got $n")" "$T/cone/cone.dat"
if [ -s "$T/cone/cone.gp" ] && grep -q "datafile = 'cone.dat'" "$T/cone/cone.gp"; then ok "cone.gp is written"; else not_ok "cone.gp is written"; fi
if command -v gnuplot >/dev/null 2>&1; then
    if [ -s "$T/cone/cone.png" ]; then ok "cone.png is drawn"; else not_ok "cone.png is drawn" "$(ls "$T/cone")"; fi
else
    skip "gnuplot not installed: cone.png not checked"
fi
# at the last month the cone is the forecast itself (same trials, same streams)
c4=$(awk '/^4 / { print $3 }' "$T/cone/cone.dat")
f4=$(jnum "$T/cone/summary.json" cost_total p50)
if awk -v a="$c4" -v b="$f4" 'BEGIN { d = a - b; exit !(d < 1e-6 && d > -1e-6) }'; then
    ok "the cone's last month is the forecast's P50 ($f4)"; else not_ok "the cone's last month is the forecast's P50" "$c4 vs $f4"; fi
expect_rc "--no-plots writes the script, not the image" 0 "$BIN" track "$S" --alternative offshore --actuals "$L" -o "$T/np" --trials 1000 --no-plots
if [ -s "$T/np/cone.gp" ] && [ ! -e "$T/np/cone.png" ]; then ok "--no-plots: cone.gp, no cone.png"; else not_ok "--no-plots: cone.gp, no cone.png" "$(ls "$T/np")"; fi

printf 'month,spent,accepted,rework,superseded\n1,80000,3,1,0\n2,80000,4,1,0\n' >"$T/rr.csv"
expect_rc "a run-rate scenario is tracked to the horizon" 0 "$BIN" track scenarios/pod-run-rate.yaml --alternative pod --actuals "$T/rr.csv" --trials 1000
grep_out "run-rate: no outcomes required, runs to the horizon" "run-rate mode: it runs to the horizon"

# --- bad input ------------------------------------------------------------
printf 'month,spent,accepted,rework,superseded\n1,abc,0,0,0\n2,10,1.5,0,0\n3,10,1,0,-2\n' >"$T/bad.csv"
expect_rc "a bad ledger is exit 2" 2 "$BIN" track "$S" --alternative offshore --actuals "$T/bad.csv" -o "$T/bad"
n=$(grep -c "bad.csv:[0-9]*:[0-9]*:" "$T/err")
check "every bad row is reported in one run (3)" "$( [ "$n" = 3 ] || echo "got $n")" "$T/err"
grep_err "the first names its place and column" "bad.csv:2:3: column 'spent'"
grep_err "the last names its place" "bad.csv:4:10:"
if [ -e "$T/bad" ]; then not_ok "a bad ledger writes nothing"; else ok "a bad ledger writes nothing"; fi
printf 'month,spent,accepted,rework,superseded\n1,1,0,0,0\n3,1,0,0,0\n' >"$T/gap.csv"
expect_rc "a month missing is exit 2" 2 "$BIN" track "$S" --alternative offshore --actuals "$T/gap.csv"
grep_err "a month missing is named" "month 2 has no row"
expect_rc "an unknown alternative is exit 2" 2 "$BIN" track "$S" --alternative ofshore --actuals "$L"
grep_err "an unknown alternative gets the nearest name" "did you mean 'offshore'"
expect_rc "a missing ledger is exit 2" 2 "$BIN" track "$S" --alternative offshore --actuals "$T/none.csv"
expect_rc "no --actuals is exit 2" 2 "$BIN" track "$S" --alternative offshore
expect_rc "a fixed bid cannot be tracked" 2 "$BIN" track scenarios/fixed-bid-offer.yaml --alternative partner-fixed-bid --actuals "$L"
grep_err "a fixed bid: says why" "fixed bid"
printf 'month,spent,accepted,rework,superseded\n30,1,0,0,0\n' >"$T/late.csv"
expect_rc "a ledger past the horizon is exit 2" 2 "$BIN" track "$S" --alternative offshore --actuals "$T/late.csv"
# --- cost lines: the token question on scenarios/history/ -------------------
H=scenarios/history/ai-rollout.yaml
expect_rc "the token question runs" 0 "$BIN" track "$H" --alternative ai-team --actuals scenarios/history/ledger.csv \
    --start 2026-04 --above 250000 --by 2026-10 -o "$T/tok" --trials 2000
grep_out "the token question is answered with its interval" "P(tokens > \$250k in 2026-10) = 0\.[0-9][0-9] (90% interval 0\.[0-9][0-9] to 0\.[0-9][0-9]"
grep_out "the token line has prediction intervals by month" "2027-03 *P10"
grep_out "delivery dates with --start" "delivery date *20[0-9][0-9]-"
if grep -q '"p_interval90"' "$T/tok/summary.json" && grep -q '"label": "2026-10"' "$T/tok/summary.json"; then
    ok "summary.json carries the token answer"; else not_ok "summary.json carries the token answer"; fi
p=$(jnum "$T/tok/summary.json" above p)
expect_rc "--by as a month number gives the same answer" 0 "$BIN" track "$H" --alternative ai-team --actuals scenarios/history/ledger.csv \
    --above 250000 --by 7 -o "$T/tok7" --trials 2000
p7=$(jnum "$T/tok7/summary.json" above p)
check "--by 7 equals --by 2026-10 with --start 2026-04 ($p)" "$( [ -n "$p" ] && [ "$p" = "$p7" ] || echo "$p vs $p7")"
expect_rc "--above without --by is exit 2" 2 "$BIN" track "$H" --alternative ai-team --actuals scenarios/history/ledger.csv --above 250000
expect_rc "--by a calendar month without --start is exit 2" 2 "$BIN" track "$H" --alternative ai-team --actuals scenarios/history/ledger.csv --above 1 --by 2026-10
expect_rc "--by inside the ledger is exit 2" 2 "$BIN" track "$H" --alternative ai-team --actuals scenarios/history/ledger.csv --above 1 --by 3
grep_err "--by inside the ledger says why" "in the ledger already"
expect_rc "an unknown cost line is exit 2" 2 "$BIN" track "$H" --alternative ai-team --actuals scenarios/history/ledger.csv --line tokns --above 1 --by 8
grep_err "an unknown cost line gets the nearest name" "did you mean 'tokens'"
expect_rc "--help is exit 0" 0 "$BIN" track --help

# Several rules fire on the actuals: the advice follows the one that fired
# first (month 2), not the one declared first (month 5).
printf 'month,spent,accepted,rework,superseded\n1,100000,0,0,0\n2,100000,1,0,0\n3,100000,1,0,0\n4,100000,1,0,0\n5,100000,1,0,0\n6,100000,1,0,0\n' >"$T/early.csv"
expect_rc "a ledger on which three rules fire" 0 "$BIN" track scenarios/envelope.yaml --alternative offshore --actuals "$T/early.csv" --trials 500
grep_out "the rule declared first fires at month 5" "stop-loss 'burn-without-output': fires on the actuals at month 5"
grep_out "the advice follows the rule that fired first" "^cut 'offshore': its stop-loss rule 'forecast-overrun', decided in advance, fires on the actuals at month 2"
finish
