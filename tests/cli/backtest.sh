#!/bin/sh
# CLI tests for `capmix backtest`: scoring capmix track outputs against
# realised values (coverage with Wilson intervals, pinball, CRPS, PIT,
# Brier), and bad input (every bad row reported, exit 2, nothing written).
# POSIX sh, from the repository root; last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-backtest.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

S=scenarios/envelope.yaml
L=scenarios/track/offshore-month4.csv
# three past forecasts: the ledger through months 2, 3 and 4
for m in 2 3 4; do
    head -n $((m + 1)) "$L" >"$T/l$m.csv"
    "$BIN" track "$S" --alternative offshore --actuals "$T/l$m.csv" --trials 2000 -q -o "$T/f$m" 2>"$T/err" ||
        not_ok "track month $m for the backtest" "$(head -3 "$T/err")"
done
if [ -s "$T/f4/draws.csv" ] && head -1 "$T/f4/draws.csv" | grep -q cost_total_sorted; then ok "track writes draws.csv"; else not_ok "track writes draws.csv"; fi
cat >"$T/realised.csv" <<'CSV'
forecast,cost_total,delivery_day,within_envelope,delivered
f2,850000,300,1,1
f3,850000,300,1,1
f4,850000,300,1,1
CSV
expect_rc "backtest of three forecasts succeeds" 0 "$BIN" backtest "$T/realised.csv" -o "$T/bt"
grep_out "coverage table with Wilson intervals" "P90 .*\[0\.[0-9]*, [01]\.[0-9]*\]"
grep_out "CRPS reported" "mean CRPS \\$"
grep_out "PIT histogram reported" "PIT histogram (10 bins"
grep_out "Brier for within the envelope" "within_envelope: Brier score"
grep_out "Brier for delivered" "delivered: Brier score"
if grep -q '"crps_mean"' "$T/bt/summary.json" && grep -q '"wilson95"' "$T/bt/summary.json" &&
   grep -q '"pit_histogram"' "$T/bt/summary.json" && grep -q '"brier"' "$T/bt/summary.json"; then
    ok "backtest summary.json carries the scores"; else not_ok "backtest summary.json carries the scores"; fi
# the realised value at every forecast's own P50 is "at or below" each P50
for m in 2 3 4; do
    p=$(awk -v s='"cost_total":' 'index($0, s) { f = 1 } f && index($0, "\"p50\":") { v = $2; sub(/,$/, "", v); print v; exit }' "$T/f$m/summary.json")
    echo "f$m,$p" >>"$T/at50.rows"
done
{ echo "forecast,cost_total"; cat "$T/at50.rows"; } >"$T/at50.csv"
expect_rc "backtest at the forecasts' own medians" 0 "$BIN" backtest "$T/at50.csv" -o "$T/bt50"
if grep -A3 '"level": 0.5,' "$T/bt50/summary.json" | grep -q '"at_or_below": 1,'; then
    ok "outcomes at the P50 count as at or below it (3 of 3)"; else not_ok "outcomes at the P50 count as at or below it" "$(grep -A3 '"level": 0.5' "$T/bt50/summary.json")"; fi

# --- bad input ------------------------------------------------------------
cat >"$T/bad.csv" <<'CSV'
forecast,cost_total,within_envelope
f2,abc,1
nowhere,1,1
f3,5,2
CSV
expect_rc "bad rows are exit 2" 2 "$BIN" backtest "$T/bad.csv" -o "$T/badout"
n=$(grep -c "bad.csv:[0-9]*:[0-9]*:" "$T/err")
check "every bad row is reported (3)" "$( [ "$n" = 3 ] || echo "got $n")" "$T/err"
grep_err "a bad number names its column" "bad.csv:2:4: column 'cost_total'"
grep_err "a missing forecast folder is named" "bad.csv:3:1: forecast"
grep_err "a binary outcome must be 0 or 1" "bad.csv:4:6: column 'within_envelope'"
if [ -e "$T/badout" ]; then not_ok "bad input writes nothing"; else ok "bad input writes nothing"; fi
printf 'forecast,cost\nf2,1\n' >"$T/typo.csv"
expect_rc "a typo of a required column is exit 2" 2 "$BIN" backtest "$T/typo.csv"
grep_err "the typo names the column" "cost_total"
mkdir -p "$T/notrack" && echo '{"command": "run"}' >"$T/notrack/summary.json"
printf 'forecast,cost_total\nnotrack,1\n' >"$T/nt.csv"
expect_rc "a folder that is not a track output is exit 2" 2 "$BIN" backtest "$T/nt.csv"
grep_err "says it is not a track output" "not a capmix track output"
expect_rc "no file is exit 2" 2 "$BIN" backtest
expect_rc "--help is exit 0" 0 "$BIN" backtest --help
finish
