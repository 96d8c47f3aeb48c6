#!/bin/sh
# CLI tests for issue 14's limits (classes 2, 4, 8, 9, 10): degenerate but
# valid distributions finish in bounded time, a long trial stops on Ctrl-C,
# bounds a run needs are refused at load (validate and run alike), fewer
# than two trials are refused, calibrate says when it caps a value, and the
# echo under an error points at the right text whatever the line endings
# and however long the line.  The load-time refusals with their positions
# are also in the corpus (tests/bad/horizon-*, passes-*, tokens-growth-*,
# trials-one).  POSIX sh, from the repository root; last line
# "cli: N passed, M failed" (see tests/run-all.sh).
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-limits.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

now() { date +%s; }

# mk FILE WAIT: a run-rate scenario of 1000 trials whose review wait is WAIT
mk() {
    cat >"$1" <<EOF
capmix: 1
trials: 1000
work: {horizon_days: 365}
alternatives:
  - name: pod
    sources:
      - kind: offshore_pod
        name: pod
        headcount: 2
        hourly_rate: 80
        throughput_per_month: 30
        outcomes: {accepted: 0.8, rework: 0.2}
        review_wait_days: $2
EOF
}

# --- class 2: samplers bounded for every parameter the loader accepts -----
# Each of these looped for hours before (the envelope or the resampling
# almost never accepted); 1000 trials of ~430 draws each must now take
# seconds.  The limit is generous for a loaded machine; the time is printed.
LIMIT=30
for c in "beta-alpha-1e15|{dist: beta, alpha: 1e15, beta: 1}" \
    "beta-both-1e12|{dist: beta, alpha: 1e12, beta: 1e12}" \
    "pert-mode-at-max-lambda-1e12|{dist: pert, min: 0, mode: 5, max: 5, lambda: 1e12}" \
    "pert-mode-at-min-lambda-1e9|{dist: pert, min: 1, mode: 1, max: 9, lambda: 1e9}" \
    "normal-window-far-in-the-tail|{dist: normal, mean: 0, sd: 1, min: 4.7, max: 5}"; do
    name=${c%%|*}
    mk "$T/$name.yaml" "${c#*|}"
    expect_rc "$name: validate accepts it" 0 "$BIN" validate "$T/$name.yaml"
    t0=$(now)
    timeout $((LIMIT + 10)) "$BIN" run "$T/$name.yaml" --threads 1 -q --no-plots -o "$T/o-$name" >"$T/out" 2>"$T/err"
    rc=$?
    dt=$(($(now) - t0))
    if [ "$rc" = 0 ] && [ "$dt" -le "$LIMIT" ] && [ -s "$T/o-$name/summary.json" ]; then
        ok "$name: 1000 trials in ${dt} s (at most $LIMIT)"
    else
        not_ok "$name: 1000 trials within $LIMIT s" "exit $rc after ${dt} s" "$(head -3 "$T/err")"
    fi
done

# --- class 2: a long trial stops on Ctrl-C ---------------------------------
# (env --default-signal: a shell starts a background job with SIGINT
# ignored, and capmix leaves an ignored signal ignored, as nohup wants.)
# ~1e7 passes a trial (just under the limit below): over a second a trial,
# and before, the cancel flag was read only between blocks of 1024 trials.
cat >"$T/slow.yaml" <<'EOF'
capmix: 1
trials: 100
work: {horizon_days: 3650}
alternatives:
  - name: a
    sources:
      - kind: in_house
        headcount: 2
        loaded_annual: 200000
        throughput_per_month: 80000
EOF
env --default-signal=INT "$BIN" run "$T/slow.yaml" --threads 1 -q --no-plots -o "$T/slow-out" >"$T/out" 2>"$T/err" &
pid=$!
sleep 2
t0=$(now)
kill -INT "$pid" 2>/dev/null
wait "$pid"
rc=$?
dt=$(($(now) - t0))
if [ "$rc" = 130 ] && [ "$dt" -le 5 ] && [ ! -e "$T/slow-out" ]; then
    ok "SIGINT inside a long trial: exit 130 after ${dt} s, nothing written"
else
    not_ok "SIGINT inside a long trial: exit 130 within 5 s, nothing written" "exit $rc after ${dt} s" \
        "$(head -3 "$T/err"; ls "$T/slow-out" 2>&1)"
fi

# --- class 4: bounds a run needs, refused at load by validate and run ------
for f in horizon-days-over-a-century horizon-months-over-a-century calendar-tiny-months passes-per-trial-too-many \
    tokens-growth-overflows-horizon; do
    expect_rc "$f: validate exits 2" 2 "$BIN" validate "tests/bad/$f.yaml"
    expect_rc "$f: run exits 2" 2 timeout 60 "$BIN" run "tests/bad/$f.yaml" -o "$T/never"
    if [ -e "$T/never" ]; then not_ok "$f: run writes nothing"; else ok "$f: run writes nothing"; fi
done
# the month count that overflowed an int (6.5e10 days): no bogus "out of
# memory ... MiB", a message at the key
sed 's/horizon_days: 365/horizon_days: 65000000000/' "$T/beta-alpha-1e15.yaml" >"$T/h.yaml"
expect_rc "horizon_days 6.5e10: run exits 2" 2 timeout 60 "$BIN" run "$T/h.yaml" --no-plots -o "$T/never"
grep_err_F "horizon_days 6.5e10: the message names the key and the limit" "h.yaml:3:22: 'work.horizon_days' is 6.5e+10 days, beyond the 36500 days"
if grep -q "out of memory" "$T/err"; then not_ok "horizon_days 6.5e10: no out-of-memory message"; else ok "horizon_days 6.5e10: no out-of-memory message"; fi
# a century is accepted, and a horizon of a century in months too
sed 's/horizon_days: 365/horizon_days: 36500/; s/trials: 1000/trials: 2/' "$T/beta-alpha-1e15.yaml" >"$T/h.yaml"
expect_rc "horizon_days 36500 (a century) is accepted" 0 "$BIN" validate "$T/h.yaml"

# --- class 8: fewer than two trials ----------------------------------------
S=scenarios/offshore-vs-ai.yaml
expect_rc "run --trials 1 is a usage error" 2 "$BIN" run "$S" --trials 1 -o "$T/never"
grep_err_F "run --trials 1 says the range" "--trials needs a whole number from 2 to 100000000, not '1'"
if [ -e "$T/never" ]; then not_ok "run --trials 1 writes nothing"; else ok "run --trials 1 writes nothing"; fi
expect_rc "sweep --trials 1 is a usage error" 2 "$BIN" sweep "$S" --set 'offshore/pod.hourly_rate=40:120:3' --metric blended_cost.mean --trials 1
grep_err_F "sweep --trials 1 says the range" "--trials needs a whole number from 2 to 100000000, not '1'"
expect_rc "trials: 1 in a scenario: validate exits 2" 2 "$BIN" validate tests/bad/trials-one.yaml
grep_err_F "trials: 1: at the key" "trials-one.yaml:3:9: 'trials' must be an integer from 2 to 100000000"

# --- class 9: calibrate says when it caps a value --------------------------
# one ticket of 1500 passes: max_rework_cycles takes at most 1000
awk 'BEGIN { split("31 28 31 30 31 30 31 31 30 31 30 31", ml, " "); y = 2020; m = 1; d = 1
    print "id,source,started,finished,outcome"
    for (k = 1; k <= 1500; k++) {
        s = sprintf("%04d-%02d-%02d", y, m, d)
        print "T-1,pod," s "," s "," (k < 1500 ? "rework" : "accepted")
        d++; L = ml[m] + (m == 2 && y % 4 == 0)
        if (d > L) { d = 1; m++; if (m > 12) { m = 1; y++ } }
    }
    print "T-2,pod,2020-01-01,2020-01-03,accepted" }' >"$T/t.csv"
expect_rc "calibrate: a ticket of 1500 passes" 0 "$BIN" calibrate --tickets "$T/t.csv" --kind pod=offshore_pod
grep_err_F "calibrate: warns on stderr that max_rework_cycles is capped" \
    "capmix: warning: source 'pod': a ticket took 1500 passes; max_rework_cycles is written as 1000"
if grep -q '^        # capped at 1000' "$T/out" && grep -q '^        max_rework_cycles: 1000$' "$T/out"; then
    ok "calibrate: the fragment says the 1000 is a cap"
else
    not_ok "calibrate: the fragment says the 1000 is a cap" "$(grep -n 'passes\|max_rework' "$T/out")"
fi
# a fitted token growth of 1900 % a month is written as 900 %
printf 'month,source,amount\n2025-01,team,10\n2025-02,team,200\n2025-03,team,4000\n2025-04,team,80000\n2025-05,team,1600000\n' >"$T/i.csv"
expect_rc "calibrate: invoices growing 1900 % a month" 0 "$BIN" calibrate --invoices "$T/i.csv" --kind team=ai_team
grep_err_F "calibrate: warns that the growth is capped" "a fitted growth of 1900 % a month is outside what a scenario takes; written as 900 %"
if grep -q '# fitted growth 1900 % a month, capped at 900 %' "$T/out"; then
    ok "calibrate: the fragment says the growth is capped"
else
    not_ok "calibrate: the fragment says the growth is capped" "$(grep -n 'growth' "$T/out")"
fi

# --- class 10: the echo under an error -------------------------------------
# the same error in files with each line-break convention libyaml accepts:
# line 7 is '      - kind: in_house' and the caret under its 'k'
body='capmix: 1|work: {horizon_days: 90}|alternatives:|  - name: a|    sources:|      - kind: in_house|        headcount: 2'
for c in "lf|\n" "crlf|\r\n" "cr|\r" "nel|\302\205" "ls|\342\200\250" "ps|\342\200\251"; do
    name=${c%%|*}
    sep=${c#*|}
    printf "# expect: 7:9$sep" >"$T/e-$name.yaml"
    printf '%s\n' "$body" | tr '|' '\n' | while IFS= read -r l; do printf "%s$sep" "$l"; done >>"$T/e-$name.yaml"
    expect_rc "line breaks $name: validate exits 2" 2 "$BIN" validate "$T/e-$name.yaml"
    grep_err_F "line breaks $name: the error is at 7:9" "e-$name.yaml:7:9: source 'in_house' (kind in_house) needs 'loaded_annual'"
    if [ "$(sed -n 2p "$T/err")" = "          - kind: in_house" ] && [ "$(sed -n 3p "$T/err")" = "            ^" ] &&
        [ "$(wc -l <"$T/err")" -eq 3 ]; then
        ok "line breaks $name: line 7 is echoed with the caret under column 9"
    else
        not_ok "line breaks $name: line 7 is echoed with the caret under column 9" "$(od -c "$T/err" | head -8)"
    fi
done

# an error at column 1,000,010: a window around it, not a megabyte of spaces
{ printf '{'; head -c 1000000 /dev/zero | tr '\000' ' '; echo 'capmix: 2, work: {horizon_days: 90}}'; } >"$T/wide.yaml"
expect_rc "column 1,000,010: validate exits 2" 2 "$BIN" validate "$T/wide.yaml"
grep_err_F "column 1,000,010: the position" "wide.yaml:1:1000010: format version 2 is not supported"
size=$(wc -c <"$T/err")
if [ "$size" -lt 600 ]; then ok "column 1,000,010: $size bytes of stderr"; else not_ok "column 1,000,010: stderr under 600 bytes" "$size bytes"; fi
# the caret stands under the value 2 of 'capmix: 2' (the echo starts with "…";
# near the end of the line the window keeps its full width to the left)
ell=$(printf '\342\200\246')
echo_l=$(sed -n 2p "$T/err" | sed "s/$ell/M/g")
caret_l=$(sed -n 3p "$T/err")
before=${echo_l%%2, work:*}
case $echo_l in "    M "*) marked=1 ;; *) marked=0 ;; esac
if [ "$marked" = 1 ] && [ "${#before}" -eq $((${#caret_l} - 1)) ] && [ "${#echo_l}" -le $((4 + 2 + 121)) ]; then
    ok "column 1,000,010: the echo is clipped with a marker and the caret is under the version's 2"
else
    not_ok "column 1,000,010: the echo is clipped with a marker and the caret is under the version's 2" \
        "the 2 at ${#before}, caret at $((${#caret_l} - 1)), echo ${#echo_l} bytes"
fi
# a named pipe is not read again for the echo (it would wait for a writer)
if mkfifo "$T/fifo.yaml" 2>/dev/null; then
    (printf 'capmix: 2\n' >"$T/fifo.yaml") &
    timeout 20 "$BIN" validate "$T/fifo.yaml" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" = 2 ]; then ok "an error in a FIFO is reported without waiting for a second writer"; else
        not_ok "an error in a FIFO is reported without waiting for a second writer" "exit $rc" "$(head -3 "$T/err")"; fi
fi

finish
