#!/bin/sh
# CLI tests for work.start_date and calendar.fiscal_year_start: delivery
# P50/P90 as dates (checked against Python's datetime from summary.json),
# the envelope's fiscal-quarter table, date cells in report.xlsx, nothing
# new without a start date, and bad dates refused.  POSIX sh, from the
# repository root; last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-dates.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# envelope.yaml, starting Monday 2026-01-05, fiscal year from 1 July
sed 's/^  replace_superseded: true/  replace_superseded: true\n  start_date: 2026-01-05/' scenarios/envelope.yaml |
    sed 's/^decision:/calendar:\n  fiscal_year_start: 07-01\n\ndecision:/' >"$T/dated.yaml"
"$BIN" run "$T/dated.yaml" --trials 2000 --no-plots -q -o "$T/run" >/dev/null 2>&1
if ! command -v python3 >/dev/null 2>&1; then
    skip "python3 is not installed: dates not recomputed"
else
    if python3 tests/lib/dates_log.py "$T/run" >"$T/chk" 2>&1
    then ok "run: delivery P50 and P90 as dates and fiscal quarters, as Python's datetime computes them"
    else not_ok "run: delivery P50 and P90 as dates and fiscal quarters" "$(cat "$T/chk")"; fi
    if python3 tests/lib/dates_xlsx.py "$T/run" >"$T/chk" 2>&1
    then ok "report.xlsx: delivery dates are date cells (Excel serials) and the burn fan carries quarters"
    else not_ok "report.xlsx: delivery dates are date cells and the burn fan carries quarters" "$(cat "$T/chk")"; fi
fi

# the envelope's quarter table: FY2026 Q3 (Jan-Mar 2026) first, the last
# month end of each quarter, cumulative figures that never fall
"$BIN" envelope "$T/dated.yaml" --trials 2000 --no-plots >"$T/env" 2>&1
sed -n '/^== by fiscal quarter/,/^$/p' "$T/env" >"$T/q"
if grep -q '^== by fiscal quarter (year from 07-01' "$T/q" && grep -q '^  FY2026 Q3  2026-03-06 ' "$T/q" \
    && grep -q '^  FY2026 Q4  2026-06-06 ' "$T/q" && grep -q '^  FY2027 Q1  2026-09-05 ' "$T/q"; then
    ok "envelope: a fiscal-quarter table with each quarter's last month end"
else not_ok "envelope: a fiscal-quarter table with each quarter's last month end" "$(head -8 "$T/q")"; fi
n=$(grep -c '^  FY' "$T/q")
alts=$(grep -c '^  - name:' "$T/dated.yaml")
# 730 days from 2026-01-05 reach 2028-01-05: FY2026 Q3 .. FY2028 Q3 = 9 quarters
if [ "$n" = $((9 * alts)) ]; then ok "envelope: 9 quarters for each of the $alts alternatives"
else not_ok "envelope: 9 quarters for each of the $alts alternatives" "got $n rows"; fi

# without a start date, nothing changes: no date line, no quarter table
"$BIN" run scenarios/envelope.yaml --trials 2000 --no-plots -q -o "$T/plain" >/dev/null 2>&1
"$BIN" envelope scenarios/envelope.yaml --trials 2000 --no-plots >"$T/env0" 2>&1
if ! grep -q 'delivery P50 20' "$T/plain/run.log" && ! grep -q 'fiscal quarter' "$T/env0"; then
    ok "without work.start_date: no dates, no quarters"
else not_ok "without work.start_date: no dates, no quarters"; fi
# and the figures themselves do not depend on the dates
grep -v '"input_sha256"\|"scenario_file"\|"elapsed_seconds"\|"arguments"\|dated.yaml\|envelope.yaml' "$T/run/summary.json" >"$T/a"
grep -v '"input_sha256"\|"scenario_file"\|"elapsed_seconds"\|"arguments"\|dated.yaml\|envelope.yaml' "$T/plain/summary.json" >"$T/b"
if cmp -s "$T/a" "$T/b"; then ok "a start date changes no figure of summary.json"
else not_ok "a start date changes no figure of summary.json" "$(diff "$T/a" "$T/b" | head -6)"; fi

# bad dates: exit 2, the key named, at its position
bad() {
    desc=$1 from=$2 to=$3 want=$4
    sed "s/$from/$to/" "$T/dated.yaml" >"$T/bad.yaml"
    "$BIN" validate "$T/bad.yaml" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" = 2 ] && grep -q -- "$want" "$T/err"; then ok "$desc"
    else not_ok "$desc" "exit $rc" "$(head -3 "$T/err")"; fi
}
bad "start_date on 29 February of a common year is refused" "2026-01-05" "2026-02-29" "'work.start_date' must be a date YYYY-MM-DD"
bad "start_date in month 13 is refused" "2026-01-05" "2026-13-01" "'work.start_date' must be a date YYYY-MM-DD"
bad "start_date as a US date is refused" "2026-01-05" "01\\/05\\/2026" "not '01/05/2026'"
bad "fiscal_year_start 02-29 is refused" "07-01" "02-29" "'calendar.fiscal_year_start' must be a month and day MM-DD"
bad "fiscal_year_start without a dash is refused" "07-01" "0701" "'calendar.fiscal_year_start' must be a month and day MM-DD"
bad "a typo of start_date suggests it" "start_date:" "start_dat:" "did you mean 'start_date'"
sed "s/2026-01-05/2024-02-29/" "$T/dated.yaml" >"$T/leap.yaml"
if "$BIN" validate "$T/leap.yaml" >/dev/null 2>&1; then ok "start_date 2024-02-29 (a leap day) is accepted"
else not_ok "start_date 2024-02-29 (a leap day) is accepted"; fi

finish
