#!/bin/sh
# CLI tests for `capmix calibrate`: the shipped history in scenarios/history/
# (its fragment, the scenario built from it, which must still match what
# calibrate prints), malformed CSVs with their exact FILE:LINE:COL errors,
# --skip-bad, usage errors and exit statuses, and valgrind when it is there.
# POSIX sh (runs under dash); run from the repository root:
#
#     sh tests/cli/calibrate.sh
#
# Prints "ok - ..." or "not ok - ..." (details on '#' lines) per check and,
# as its last line, "cli: N passed, M failed"; exits non-zero when M > 0.
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh

if [ ! -d scenarios/history ]; then
    not_ok "run from the repository root (sh tests/cli/calibrate.sh)" "current directory: $(pwd)"
    finish
fi
cli_setup calibrate

T=scenarios/history/tickets.csv
I=scenarios/history/invoices.csv
KINDS="--kind pod=offshore_pod --headcount pod=6 --kind team=ai_team --headcount team=4
--loaded-annual team=280000 --kind contractors=staff_augmentation --headcount contractors=4"

# block FILE NAME: the source entry "      - name: NAME" of FILE, to its end.
block() {
    awk -v n="$2" '
        $0 == "      - name: " n { on = 1; print; next }
        on && (/^      - / || !/^        /) { on = 0 }
        on { print }' "$1"
}

# ------------------------------------------------------ the shipped history
# shellcheck disable=SC2086
"$CAPMIX" calibrate --tickets "$T" --invoices "$I" $KINDS >"$tmp/frag.yaml" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
for k in 'throughput: {observed: {items: ' 'outcomes: {observed: {accepted: ' \
    'rework_outcomes: {observed: {accepted: ' 'review_hours_per_item: {dist: empirical, values: [' \
    'review_wait_days: {dist: empirical, values: [' 'hourly_rate: {dist: normal, mean: ' \
    'growth_per_month: {dist: normal, mean: ' 'monthly: {dist: lognormal, mu: ' \
    'loaded_annual: 280000' 'ramp_days: 0' '#   cycle time, first start to acceptance: n '; do
    grep -qF "$k" "$tmp/frag.yaml" || why="${why}no '$k' in the fragment
"
done
[ "$(grep -c '^      - name: ' "$tmp/frag.yaml")" -eq 3 ] || why="${why}not three source entries
"
check "calibrate scenarios/history: outcome counts, throughput, empirical reviews, pay and tokens" "$why" "$tmp/e"

why=""
grep -q "^capmix: warning: source 'contractors': only 8 tickets (fewer than 10)" "$tmp/e" ||
    why="thin-data warning missing
"
grep -q "^capmix: warning: source 'team': its monthly invoices grow [0-9.]* % a month (SE " "$tmp/e" ||
    why="${why}trend warning missing
"
grep -q "warning: source 'pod'" "$tmp/e" && why="${why}a warning about the pod, whose history is neither thin nor trending
"
check "calibrate warns about thin data and a growing token bill (stderr, exit 0)" "$why" "$tmp/e"

# shellcheck disable=SC2086
"$CAPMIX" calibrate --tickets "$T" --invoices "$I" $KINDS -o "$tmp/frag-o.yaml" >"$tmp/o" 2>"$tmp/e2"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
cmp -s "$tmp/frag.yaml" "$tmp/frag-o.yaml" || why="${why}-o FILE differs from stdout
"
grep -q "^wrote $tmp/frag-o.yaml: 3 sources$" "$tmp/o" || why="${why}no 'wrote' line
"
ls -a "$tmp" | grep -q '\.tmp' && why="${why}a temporary file was left behind
"
check "calibrate -o FILE writes the same fragment, atomically" "$why" "$tmp/o" "$tmp/e2"

why=""
for s in pod team contractors; do
    block "$tmp/frag.yaml" "$s" >"$tmp/b1"
    block scenarios/history/calibrated.yaml "$s" >"$tmp/b2"
    [ -s "$tmp/b1" ] || why="${why}no entry for '$s' in the fragment
"
    cmp -s "$tmp/b1" "$tmp/b2" || why="${why}the entry for '$s' in scenarios/history/calibrated.yaml is not what calibrate prints now:
$(diff "$tmp/b2" "$tmp/b1" | head -n 12)
"
done
check "scenarios/history/calibrated.yaml holds calibrate's entries unchanged" "$why"

# lanes from the passes in progress (Little's law, model §10): pod
# 5.67 (SE 0.64), contractors 3.4 (no SE: a short span), team 3.55 (SE 0.10)
why=""
for sl in pod:6 contractors:3 team:4; do
    s=${sl%%:*}
    n=${sl#*:}
    block "$tmp/frag.yaml" "$s" >"$tmp/b1"
    grep -qx "        lanes: $n" "$tmp/b1" || why="${why}no 'lanes: $n' for '$s'
"
    grep -q '^        # lanes: [0-9.]* passes in progress on average over the span (' "$tmp/b1" ||
        why="${why}no lanes estimate comment for '$s'
"
done
grep -q '^        # lanes: 5.67 passes in progress on average over the span (SE 0.638, batch means of 4 x 19.8 days)$' \
    "$tmp/frag.yaml" || why="${why}the pod's estimate is not 5.67 (SE 0.638, 4 batches)
"
check "calibrate writes lanes: N (passes in progress, with its SE) for each source" "$why" "$tmp/frag.yaml"

# the self-check (model §10): each source simulated over its window, on
# stderr, no warning for the shipped history; --no-check leaves it out
why=""
for s in pod contractors team; do
    grep -q "^self-check: $s alone, run-rate over its [0-9.]* observed days (2000 trials; simulated P5 / P50 / P95)$" \
        "$tmp/e" || why="${why}no self-check header for '$s'
"
done
for k in '  pass time, days:          observed mean ' '  cycle time, days:         observed P50 ' \
    '  throughput, passes/month: observed ' '  cost a month:             observed 81,430; simulated '; do
    grep -qF "$k" "$tmp/e" || why="${why}no '$k' line
"
done
grep -q '^  cycle time, days:         observed P50 24.5 (95 % 21 to 29), mean 26.9, n 30; simulated mean per trial ' \
    "$tmp/e" || why="${why}the pod's cycle time line is not as expected
"
grep -q 'self-check' "$tmp/frag.yaml" && why="${why}the self-check is in the fragment (stdout)
"
grep -q 'warning: self-check' "$tmp/e" && why="${why}a self-check warning on the shipped history
"
check "calibrate's self-check: observed against simulated per source (stderr, no warning)" "$why" "$tmp/e"

# shellcheck disable=SC2086
"$CAPMIX" calibrate --tickets "$T" --invoices "$I" $KINDS --no-check >"$tmp/frag-nc.yaml" 2>"$tmp/e3"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
grep -q 'self-check' "$tmp/e3" && why="${why}a self-check line with --no-check
"
cmp -s "$tmp/frag.yaml" "$tmp/frag-nc.yaml" || why="${why}--no-check changed the fragment
"
check "calibrate --no-check: the same fragment, no self-check" "$why" "$tmp/e3"

# a history the model cannot reproduce: every rework pass waits 40 days in
# a queue before it starts (run-rate lanes take rework at once), so the
# observed cycle times are far above the simulated ones
awk 'function day(n,  m, d) {
         m = 1; d = n + 1
         if (d > 31) { m = 2; d -= 31 }
         if (m == 2 && d > 28) { m = 3; d -= 28 }
         return sprintf("2026-%02d-%02d", m, d)
     }
     BEGIN {
         print "id,source,started,finished,outcome,reviewed"
         for (i = 0; i < 12; i++) {
             printf "Q%d,q,%s,%s,rework,%s\n", i, day(3 * i), day(3 * i + 1), day(3 * i + 1)
             printf "Q%d,q,%s,%s,accepted,%s\n", i, day(3 * i + 40), day(3 * i + 40), day(3 * i + 40)
         }
     }' >"$tmp/queued.csv"
printf 'month,source,amount\n2026-01,q,16000\n2026-02,q,16500\n2026-03,q,16200\n' >"$tmp/queued-inv.csv"
"$CAPMIX" calibrate --tickets "$tmp/queued.csv" --invoices "$tmp/queued-inv.csv" \
    --kind q=staff_augmentation --headcount q=1 >/dev/null 2>"$tmp/e4"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc (a self-check warning must not change it)
"
grep -q "^capmix: warning: self-check: source 'q': observed mean cycle time (days) [0-9.]* is outside the simulated P5-P95 (" \
    "$tmp/e4" || why="${why}no self-check warning on the cycle time
"
check "calibrate warns when the observed lies outside the simulated P5-P95 (exit 0)" "$why" "$tmp/e4"

{
    printf 'capmix: 1\nname: from-fragment\nseed: 5\ntrials: 500\n'
    printf 'people:\n  senior_engineer: {loaded_annual: 280000}\n'
    printf 'work:\n  outcomes: 24\n  horizon_days: 730\n'
    printf 'alternatives:\n  - name: mix\n    sources:\n'
    cat "$tmp/frag.yaml"
} >"$tmp/scn.yaml"
"$CAPMIX" run "$tmp/scn.yaml" --trials 500 -q --no-plots -o "$tmp/run1" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
[ -s "$tmp/run1/summary.json" ] || why="${why}no summary.json
"
check "a scenario built from the fragment (all three sources in one mix) runs" "$why" "$tmp/e" "$tmp/scn.yaml"

"$CAPMIX" run scenarios/history/calibrated.yaml --trials 1000 -q --no-plots -o "$tmp/run2" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
grep -q '"name": "offshore"' "$tmp/run2/summary.json" 2>/dev/null || why="${why}no 'offshore' in summary.json
"
check "scenarios/history/calibrated.yaml runs" "$why" "$tmp/e"

# --------------------------------------------------------- malformed files
# bad NAME EXPECTED-STDERR-LINE FILE-CONTENT [OPTION...]: exit 2, the exact
# first stderr line, the offending line echoed with a caret, nothing on
# stdout, no -o file.
bad() {
    b_name=$1
    b_want=$2
    b_text=$3
    shift 3
    printf '%b' "$b_text" >"$tmp/$b_name"
    rm -f "$tmp/out.yaml"
    (cd "$tmp" && "$CAPMIX" calibrate "$@" -o out.yaml >o 2>e)
    b_rc=$?
    b_why=""
    [ "$b_rc" -eq 2 ] || b_why="exit $b_rc, want 2
"
    b_got=$(head -n 1 "$tmp/e")
    [ "$b_got" = "$b_want" ] || b_why="${b_why}stderr: $b_got
want:   $b_want
"
    [ -s "$tmp/o" ] && b_why="${b_why}something on stdout
"
    [ -e "$tmp/out.yaml" ] && b_why="${b_why}out.yaml was written
"
    case $b_want in
    capmix:\ *:[0-9]*:[0-9]*:\ *)
        b_col=$(printf '%s\n' "$b_want" | sed 's/^capmix: [^:]*:[0-9]*:\([0-9]*\):.*/\1/')
        b_caret=$(sed -n 3p "$tmp/e")
        b_pad=$(printf '%*s^' "$((b_col + 3))" '')
        [ "$b_caret" = "$b_pad" ] || b_why="${b_why}caret line '$b_caret' is not under column $b_col
"
        ;;
    esac
    check "bad input: $b_name" "$b_why" "$tmp/e"
}

H='id,source,started,finished,outcome\n'
bad bad-date.csv "capmix: bad-date.csv:2:27: bad date '2026-02-30' in 'finished': February 2026 has no day 30" \
    "${H}T1,pod,2026-01-05,2026-02-30,accepted\n" --tickets bad-date.csv
bad not-a-date.csv "capmix: not-a-date.csv:3:8: bad date '05/01/2026' in 'started': expected ISO 8601: YYYY-MM-DD, optionally with THH:MM[:SS] and Z or +HH:MM" \
    "${H}T0,pod,2026-01-02,2026-01-03,accepted\nT1,pod,05/01/2026,2026-01-09,accepted\n" --tickets not-a-date.csv
bad before.csv "capmix: before.csv:2:19: 'finished' (2026-01-04) is before 'started' (2026-01-05)" \
    "${H}T1,pod,2026-01-05,2026-01-04,accepted\n" --tickets before.csv
bad outcome.csv "capmix: outcome.csv:2:30: unknown outcome 'reworked' (did you mean 'rework'?)" \
    "${H}T1,pod,2026-01-05,2026-01-09,reworked\n" --tickets outcome.csv
bad missing-column.csv "capmix: missing-column.csv:1:1: missing column 'outcome' (the header has 'id', 'source', 'started', 'finished', 'status')" \
    'id,source,started,finished,status\nT1,pod,2026-01-05,2026-01-09,done\n' --tickets missing-column.csv
bad typo-column.csv "capmix: typo-column.csv:1:4: unknown column 'sourse' (did you mean 'source'?)" \
    'id,sourse,started,finished,outcome\n' --tickets typo-column.csv
bad duplicate.csv "capmix: duplicate.csv:3:1: duplicate id 'T1': its pass on line 2 was already accepted; only a rework verdict is followed by another pass of the same ticket" \
    "${H}T1,pod,2026-01-05,2026-01-09,accepted\nT1,pod,2026-01-10,2026-01-11,accepted\n" --tickets duplicate.csv
bad fields.csv "capmix: fields.csv:2:30: row has 5 fields, the header has 6" \
    'id,source,started,finished,outcome,review_hours\nT1,pod,2026-01-05,2026-01-09,accepted\n' --tickets fields.csv
bad crlf.csv "capmix: crlf.csv:3:34: bad date '2026-01-05T10:75' in 'started': minute 75 is not 00 to 59" \
    "id,title,source,started,finished,outcome\r\nT0,\"a, b\",pod,2026-01-02,2026-01-03,accepted\r\nT1,\"say \"\"x\"\"\",pod,2026-01-05T10:75,2026-01-09,accepted\r\n" --tickets crlf.csv
bad quote.csv "capmix: quote.csv:2:8: unterminated quoted field (the quote opened here is never closed)" \
    "${H}T1,pod,\"2026-01-05,2026-01-09,accepted\n" --tickets quote.csv
bad empty.csv "capmix: empty.csv: empty file (expected a header row naming the columns)" \
    '' --tickets empty.csv
bad header-only.csv "capmix: header-only.csv: no data rows below the header" \
    "$H" --tickets header-only.csv
IH='month,source,amount\n'
bad month.csv "capmix: month.csv:2:1: bad month '2026-1' in 'month': expected YYYY-MM" \
    "${IH}2026-1,pod,100\n" --invoices month.csv
bad amount.csv "capmix: amount.csv:3:13: 'amount' must be a plain number such as 81600.50, not '81.600,00'" \
    "${IH}2026-01,pod,100\n2026-02,pod,\"81.600,00\"\n" --invoices amount.csv
bad negative.csv "capmix: negative.csv:2:14: 'amount' must not be negative (-1200): net credit notes into their month" \
    "${IH}2026-01,team,-1200\n" --invoices negative.csv

# --------------------------------------------------------------- skip-bad
printf '%b' "${H}T1,pod,2026-01-05,2026-01-09,accepted\nT2,pod,2026-01-05,2026-01-04,accepted\nT3,pod,2026-01-06,2026-01-09,rework\nT4,pod,2026-01-06,2026-01-09,maybe\nT5,pod,2026-01-07,2026-01-10,superseded\n" >"$tmp/skip.csv"
(cd "$tmp" && "$CAPMIX" calibrate --tickets skip.csv --skip-bad >o 2>e)
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
grep -qx "capmix: warning: skip.csv:3:19: 'finished' (2026-01-04) is before 'started' (2026-01-05) (row skipped)" "$tmp/e" ||
    why="${why}no warning for line 3
"
grep -qx "capmix: warning: skip.csv:5:30: unknown outcome 'maybe' (accepted, rework or superseded) (row skipped)" "$tmp/e" ||
    why="${why}no warning for line 5
"
grep -qx "capmix: warning: skipped 2 bad rows of 5 in skip.csv" "$tmp/e" || why="${why}no count of skipped rows
"
grep -qF 'outcomes: {observed: {accepted: 1, rework: 1, superseded: 1}}' "$tmp/o" ||
    why="${why}the bad rows were counted
"
grep -q "bad ones skipped" "$tmp/o" || why="${why}the fragment does not say rows were skipped
"
check "--skip-bad reports each bad row by line, counts them, leaves them out (exit 0)" "$why" "$tmp/e" "$tmp/o"

(cd "$tmp" && "$CAPMIX" calibrate --tickets skip.csv >o 2>e)
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit $rc
"
[ -s "$tmp/o" ] && why="${why}something on stdout
"
# every bad row, in line order: line 3 then line 5 (with the echo of the last)
[ "$(grep '^capmix: skip.csv:' "$tmp/e" | cut -d: -f2-4)" = " skip.csv:3:19
 skip.csv:5:30" ] || why="${why}not both bad rows, in line order
"
grep -qF "capmix: skip.csv:5:30: unknown outcome 'maybe'" "$tmp/e" || why="${why}no message for line 5
"
check "without --skip-bad every bad row is an error, each at file:line:col, exit 2, nothing on stdout" "$why" "$tmp/e"

# Both files' bad rows in one run: tickets first, then invoices.
printf 'month,source,amount\n2026-1,pod,100\n2026-02,pod,x\n2026-03,pod,5\n' >"$tmp/badinv.csv"
(cd "$tmp" && "$CAPMIX" calibrate --tickets skip.csv --invoices badinv.csv >o 2>e)
rc=$?
check "bad rows of --tickets and --invoices are all listed in one run (4 errors, tickets first), exit 2" \
    "$([ "$rc" -eq 2 ] && [ "$(grep -c '^capmix: [a-z]*\.csv:[0-9]*:[0-9]*: ' "$tmp/e")" -eq 4 ] &&
        [ "$(grep '^capmix: [a-z]*\.csv:' "$tmp/e" | cut -d: -f2 | tr '\n' ' ')" = " skip.csv  skip.csv  badinv.csv  badinv.csv " ] ||
        echo "exit $rc or not the 4 errors in order")" "$tmp/e"

# More than 50 bad rows: 50 listed, then the count of the rest.
awk 'BEGIN { print "id,source,started,finished,outcome";
    for (i = 0; i < 60; i++) printf "T%d,pod,2026-01-05,2026-01-09,maybe\n", i }' >"$tmp/many.csv"
(cd "$tmp" && "$CAPMIX" calibrate --tickets many.csv >o 2>e)
rc=$?
check "60 bad rows: 50 listed, the last saying '(and 10 more errors not shown)', exit 2" \
    "$([ "$rc" -eq 2 ] && [ "$(grep -c '^capmix: many\.csv:[0-9]*:[0-9]*: ' "$tmp/e")" -eq 50 ] &&
        grep -q "^capmix: many\.csv:51:[0-9]*: .* (and 10 more errors not shown)\$" "$tmp/e" || echo "exit $rc")" "$tmp/e"

# A long export: more than 1,000 review waits are written as 1,000 quantiles.
awk 'BEGIN { print "id,source,started,finished,outcome,reviewed";
    for (i = 0; i < 1500; i++) {
        d = 1 + i % 26; w = d + i % 3
        printf "T%d,pod,2026-01-%02d,2026-01-%02d,accepted,2026-02-%02d\n", i, d, d, w
    } }' >"$tmp/long.csv"
"$CAPMIX" calibrate --tickets "$tmp/long.csv" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
grep -q '^        # 1500 values, written as their 1000 quantiles$' "$tmp/o" || why="${why}no note on the quantiles
"
n=$(sed -n '/review_wait_days:/,/]}/p' "$tmp/o" | tr ',' '\n' | grep -c '[0-9]')
[ "$n" -eq 1000 ] || why="${why}$n values, want 1000
"
check "more than 1,000 empirical values are written as 1,000 quantiles" "$why" "$tmp/e"

# ------------------------------------------------------------ usage, status
# calibrate_usage DESC SUBSTRING ARGS...: `capmix calibrate ARGS` exits 2
# with SUBSTRING on stderr and nothing on stdout.
calibrate_usage() {
    u_desc=$1
    u_want=$2
    shift 2
    "$CAPMIX" calibrate "$@" >"$tmp/o" 2>"$tmp/e"
    u_rc=$?
    u_why=""
    [ "$u_rc" -eq 2 ] || u_why="exit $u_rc, want 2
"
    grep -qF -- "$u_want" "$tmp/e" || u_why="${u_why}no '$u_want' on stderr
"
    [ -s "$tmp/o" ] && u_why="${u_why}something on stdout
"
    check "usage: $u_desc" "$u_why" "$tmp/e"
}
calibrate_usage "no files" "give --tickets FILE, --invoices FILE or both"
calibrate_usage "an unknown option" "unknown option '--tickts'" --tickts "$T"
calibrate_usage "a positional argument" "unexpected argument" "$T"
calibrate_usage "--kind for a source not in the data" "no source 'podd' in the data (did you mean 'pod'?)" \
    --tickets "$T" --kind podd=offshore_pod
calibrate_usage "an unknown kind" "unknown kind 'ai-team' (did you mean 'ai_team'?)" --tickets "$T" --kind team=ai-team
calibrate_usage "--headcount 0" "--headcount needs a number > 0, not '0'" --tickets "$T" --headcount pod=0
calibrate_usage "--kind twice" "--kind given twice for source 'pod'" --tickets "$T" --kind pod=offshore_pod --kind pod=consultants
calibrate_usage "a missing file" "cannot open '$tmp/none.csv'" --tickets "$tmp/none.csv"
calibrate_usage "a folder as a file" "cannot read 'scenarios'" --tickets scenarios

"$CAPMIX" calibrate --tickets "$T" -o "$tmp/no/such/folder/f.yaml" >"$tmp/o" 2>"$tmp/e"
rc=$?
check "an unwritable -o is a runtime failure (exit 1)" "$([ "$rc" -eq 1 ] || echo "exit $rc")" "$tmp/e"

"$CAPMIX" calibrate --tickets "$T" >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
grep -q "^capmix: warning: source 'pod' has no kind: give --kind pod=KIND" "$tmp/e" || why="${why}no warning about the missing kind
"
grep -q '^        # kind: ?' "$tmp/o" || why="${why}no placeholder for the kind
"
check "without --kind: the calibrated keys, and a warning that a kind is needed (exit 0)" "$why" "$tmp/e"

"$CAPMIX" calibrate --help >"$tmp/o" 2>"$tmp/e"
rc=$?
check "calibrate --help" "$([ "$rc" -eq 0 ] && grep -q '^usage: capmix calibrate' "$tmp/o" || echo "exit $rc or no usage")" "$tmp/o"
"$CAPMIX" help calibrate >"$tmp/o2" 2>&1
check "capmix help calibrate is calibrate --help" "$(cmp -s "$tmp/o" "$tmp/o2" || echo differs)" "$tmp/o2"

# ---------------------------------------------------------------- valgrind
if ! command -v valgrind >/dev/null 2>&1; then
    skip "valgrind is not installed"
elif grep -q __asan_init "$CAPMIX" 2>/dev/null; then
    skip "valgrind: $BIN_UNDER_TEST is a sanitizer build"
else
    # shellcheck disable=SC2086
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        "$CAPMIX" calibrate --tickets "$T" --invoices "$I" $KINDS -o "$tmp/vg.yaml" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    printf '%b' "${H}T1,pod,2026-01-05,2026-01-04,accepted\nT2,pod,x,2026-01-04,accepted\n" >"$tmp/vg.csv"
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        "$CAPMIX" calibrate --tickets "$tmp/vg.csv" --skip-bad >"$tmp/o" 2>"$tmp/e2"
    rc2=$?
    check "valgrind: calibrate, and its error path, clean" \
        "$([ "$rc" -eq 0 ] && [ "$rc2" -eq 2 ] || echo "exit $rc and $rc2 (want 0 and 2)")" "$tmp/e" "$tmp/e2"
fi

finish
