#!/bin/sh
# CLI tests for `capmix envelope` (model section 9, resolutions 19-23):
# usage, the shipped envelope checked by tests/lib/env_check.py, --confidence,
# the monthly review, and stop-loss rules on spend known exactly.
#
# POSIX sh (runs under dash), from the repository root; prints "ok - ..." or
# "not ok - ..." per check and, last, "cli: N passed, M failed" (see
# tests/run-all.sh and tests/lib/cli.sh).
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh
cli_setup envelope

S=scenarios/pod-run-rate.yaml
FB=scenarios/fixed-bid-offer.yaml

# ---------------------------------------------------------------------------
# Envelopes and stop-loss: capmix envelope (model section 9, resolutions
# 19-23)
# ---------------------------------------------------------------------------

E=scenarios/envelope.yaml
ed=$tmp/env
mkdir "$ed"

help_ok "capmix envelope --help" "usage: capmix envelope SCENARIO.yaml" envelope --help
help_ok "capmix envelope --help names --actuals" "--actuals spent=S,accepted=A" envelope --help
help_ok "capmix help envelope (help on a command)" "usage: capmix envelope SCENARIO.yaml" help envelope
help_ok "capmix --help lists the envelope command" "  envelope " --help

usage_error "envelope without a file" "envelope: give exactly one scenario file" envelope
usage_error "envelope with two files" "envelope: give exactly one scenario file" envelope "$E" "$S"
usage_error "envelope: unknown option" "envelope: unknown option '--bogus'" envelope "$E" --bogus
usage_error "envelope --confidence without its value" "envelope: option '--confidence' needs a value" envelope "$E" --confidence
usage_error "envelope --confidence 1" "--confidence needs a number between 0 and 1 (e.g. 0.9), not '1'" envelope "$E" --confidence 1
usage_error "envelope --confidence abc" "--confidence needs a number between 0 and 1 (e.g. 0.9), not 'abc'" envelope "$E" --confidence abc
usage_error "envelope --confidence nan" "--confidence needs a number between 0 and 1 (e.g. 0.9), not 'nan'" envelope "$E" --confidence nan
usage_error "envelope --month 0" "--month needs a whole number from 1 to 1200, not '0'" envelope "$E" --month 0 --actuals spent=1,accepted=1
usage_error "envelope --month 3 without --actuals" "--month and --actuals go together" envelope "$E" --month 3
usage_error "envelope --actuals without --month" "--month and --actuals go together" envelope "$E" --actuals spent=1,accepted=1
usage_error "envelope --actuals spent=1 (no accepted)" "--actuals needs both spent= and accepted=" envelope "$E" --month 3 --actuals spent=1
usage_error "envelope --actuals spent=x,accepted=1" "--actuals: 'x' is not a non-negative number" envelope "$E" --month 3 --actuals spent=x,accepted=1
usage_error "envelope --actuals spent=-1,accepted=1" "--actuals: '-1' is not a non-negative number" envelope "$E" --month 3 --actuals spent=-1,accepted=1
usage_error "envelope --actuals foo=1,accepted=2" "--actuals: unknown field 'foo'" envelope "$E" --month 3 --actuals foo=1,accepted=2
usage_error "envelope --tolerance 2" "--tolerance needs a number from 0 to 1, not '2'" envelope "$E" --tolerance 2
usage_error "envelope --accepted-tolerance -1" "--accepted-tolerance needs a number" envelope "$E" --accepted-tolerance -1
usage_error "envelope --trials 0 (an option of run)" "--trials needs a whole number from 2 to 100000000, not '0'" envelope "$E" --trials 0
# The envelope options belong to envelope; the message names the option.
usage_error "run --confidence belongs to envelope" "run: option '--confidence' belongs to 'capmix envelope'" run "$E" --confidence 0.9
usage_error "run --actuals belongs to envelope" "run: option '--actuals' belongs to 'capmix envelope'" run "$E" --actuals spent=1,accepted=1
usage_error "bid --month belongs to envelope" "bid: option '--month' belongs to 'capmix envelope'" bid "$FB" --month 3
usage_error "envelope --risk-tolerance belongs to bid" "option '--risk-tolerance' belongs to 'capmix bid'" envelope "$E" --risk-tolerance 2000000
# The horizon is only known once the scenario is loaded: still exit 2, and
# no output folder.
cm 60 envelope "$E" -o "$ed/past" --trials 200 --no-plots --month 999 --actuals spent=1,accepted=1 >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit status $rc, want 2
"
grep -F -q -e "--month 999 ends on day 30386.2, at or past the horizon (730 days)" "$tmp/e" ||
    why="${why}stderr lacks '--month 999 ends on day 30386.2, at or past the horizon (730 days)'
"
# refused before the simulation: no progress, and at once
grep -q "trials" "$tmp/e" && why="${why}the run seems to have started
"
[ -e "$ed/past" ] && why="${why}the output folder was created
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "usage: envelope --month 999 (past the horizon of 24 months): exit 2, a message, no output folder" "$why" "$tmp/e" "$tmp/o"
# Month-end snapshots of 10^6 trials x 5 alternatives x 24 months need
# 2,747 MiB, over the envelope's 2 GiB: refused before simulating.
cm 20 envelope "$E" -o "$ed/huge" --trials 1000000 --no-plots >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit status $rc, want 2
"
grep -F -q -e "use fewer --trials" "$tmp/e" || why="${why}stderr lacks 'use fewer --trials'
"
[ -e "$ed/huge" ] && why="${why}the output folder was created
"
check "usage: envelope --trials 1000000 (snapshots over 2 GiB): exit 2 before simulating, no output folder" "$why" "$tmp/e" "$tmp/o"

# py_env FILE CHECK [ARG...]: the checks of tests/lib/env_check.py (see there);
# defined in tests/lib/cli.sh.

# env_py DESCRIPTION FILE CHECK [ARG...]: a py_env check as a test line.
env_py() {
    ep_desc=$1
    shift
    if [ "$HAVE_PY" -ne 1 ]; then
        skip "$ep_desc (python3 is not installed)"
        return
    fi
    if [ ! -f "$1" ]; then
        not_ok "$ep_desc" "no $1"
        return
    fi
    py_env "$@" >"$tmp/e" 2>&1
    ep_rc=$?
    ep_why=""
    [ "$ep_rc" -eq 0 ] || ep_why="$(cat "$tmp/e")"
    check "$ep_desc" "$ep_why"
}

# The shipped scenario.
ealts=$(sed -n 's/^  - name: *//p' "$E")
cm 60 envelope "$E" -o "$ed/main" --trials 3000 >"$ed/main.out" 2>"$ed/main.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
for want in summary.json run.log envelope_cdf.gp cost_cdf.dat; do
    [ -s "$ed/main/$want" ] || why="${why}no $want
"
done
for a in $ealts; do
    for want in "fan_$a.dat" "fan_$a.gp"; do
        [ -s "$ed/main/$want" ] || why="${why}no $want
"
    done
    # a header, then months 0 to 24 (730 days of 365/12)
    if [ -f "$ed/main/fan_$a.dat" ]; then
        n=$(grep -c . "$ed/main/fan_$a.dat")
        [ "$n" -eq 26 ] || why="${why}fan_$a.dat has $n lines, want a header and months 0-24
"
    fi
done
left=$(leftovers "$ed/main")
[ -z "$left" ] || why="${why}temporary files left: $left
"
grep -q '^Recommended envelope for ' "$ed/main.out" || why="${why}no 'Recommended envelope for' line on stdout
"
grep -q '^Recommended envelope for ' "$ed/main/run.log" || why="${why}no 'Recommended envelope for' line in run.log
"
check "envelope $E -o DIR --trials 3000: exit 0, summary.json, run.log, envelope_cdf.gp, fan_ALT.dat/.gp per alternative" "$why" "$ed/main.err" "$ed/main.out"
if command -v gnuplot >/dev/null 2>&1; then
    why=""
    for p in envelope_cdf.png cost_cdf.png; do
        [ -s "$ed/main/$p" ] || why="${why}no $p
"
    done
    for a in $ealts; do
        [ -s "$ed/main/fan_$a.png" ] || why="${why}no fan_$a.png
"
    done
    check "envelope, gnuplot installed: envelope_cdf.png and fan_ALT.png are drawn" "$why" "$ed/main.err"
else
    skip "envelope: envelope_cdf.png and fan_ALT.png are drawn (gnuplot is not installed)"
fi
M=$ed/main/summary.json
if [ "$HAVE_PY" -eq 1 ] && [ -f "$M" ]; then
    py_json_ok "$M" >"$tmp/e" 2>&1
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="summary.json is not valid JSON"
    check "envelope: summary.json is valid JSON" "$why" "$tmp/e"
fi
RULES="offshore=burn-without-output,forecast-overrun,overrun-hand-over;staff-aug=burn-without-output,forecast-overrun"
env_py "envelope: P80/P90/P95 of cost_total and blended_cost inside their ci90; the P90 envelope is metrics' p90; the rules' figures are consistent" \
    "$M" shape 0.9 "$RULES"
env_py "envelope: the summary sentences (baseline and alternatives with rules) are printed on stdout, each followed by '.'" \
    "$M" sentences "$ed/main.out"

# --confidence C: the envelope is the P(C) entry; decision.confidence in
# the file does the same, and the command line wins over it.
cm 60 envelope "$E" -o "$ed/c80" --trials 3000 --no-plots --confidence 0.8 >"$ed/c80.out" 2>"$ed/c80.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0"
check "envelope --confidence 0.8: exit 0" "$why" "$ed/c80.err"
env_py "envelope --confidence 0.8: the envelope is the P80 entry" "$ed/c80/summary.json" shape 0.8 "$RULES"
sed 's/^  confidence: 0\.9$/  confidence: 0.95/' "$E" >"$ed/c95.yaml"
if grep -q '^  confidence: 0\.95$' "$ed/c95.yaml"; then
    cm 60 envelope "$ed/c95.yaml" -o "$ed/c95" --trials 3000 --no-plots -q 2>"$ed/c95.err"
    env_py "envelope with decision.confidence 0.95: the envelope is the P95 entry (metrics' p95)" "$ed/c95/summary.json" shape 0.95 "$RULES"
    cm 60 envelope "$ed/c95.yaml" -o "$ed/c95-80" --trials 3000 --no-plots -q --confidence 0.8 2>"$ed/c95-80.err"
    env_py "envelope --confidence 0.8 on decision.confidence 0.95: the command line wins" "$ed/c95-80/summary.json" shape 0.8 "$RULES"
else
    not_ok "set decision.confidence to 0.95 in a copy of $E" "the copy is not as expected"
fi

# Reproducibility, the review included.
for t in 1 2; do
    cm 60 envelope "$E" -o "$ed/t$t" --trials 3000 --no-plots -q --threads "$t" \
        --month 3 --actuals spent=265000,accepted=9 2>"$ed/t$t.err"
done
if [ -f "$ed/t1/summary.json" ] && [ -f "$ed/t2/summary.json" ] &&
    normalise "$ed/t1/summary.json" >"$ed/t1.norm" && normalise "$ed/t2/summary.json" >"$ed/t2.norm" &&
    cmp -s "$ed/t1.norm" "$ed/t2.norm"; then
    ok "envelope --threads 1 and --threads 2: identical summary.json (but threads, elapsed_seconds)"
else
    not_ok "envelope --threads 1 and --threads 2: identical summary.json (but threads, elapsed_seconds)" \
        "$(diff "$ed/t1.norm" "$ed/t2.norm" 2>&1 | head -n 10)"
fi

# The monthly review (model §18.23).
cm 60 envelope "$E" -o "$ed/rv" --trials 5000 --no-plots --month 3 --actuals spent=265000,accepted=9 >"$ed/rv.out" 2>"$ed/rv.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
grep -q "^== review at month 3 of 'offshore' " "$ed/rv.out" || why="${why}no '== review at month 3 of 'offshore' ' line on stdout
"
check "envelope --month 3 --actuals spent=265000,accepted=9 --trials 5000: exit 0, a review on stdout" "$why" "$ed/rv.err" "$ed/rv.out"
why=""
grep -q '<li>offshore at month 3: ' "$ed/rv/report.html" || why="no advice for offshore at month 3
"
grep -q '<li>spent 265,000 with 9 accepted; final cost P10 [0-9,]*, P50 [0-9,]*, P90 [0-9,]*; P(within the envelope of [0-9,]*) [0-9]*%' "$ed/rv/report.html" ||
    why="${why}no figures under the advice
"
check "report.html: the review's advice and the figures behind it" "$why" "$ed/rv/report.html"
env_py "review: actuals in summary.json for the baseline; track's re-forecast, quantiles above the spend, the advice printed and by the rule of model §18.23" \
    "$ed/rv/summary.json" review "$ed/rv.out" 3 265000 9 offshore

# The review is track's re-forecast (model §18.42): an overspend moves the
# final cost by exactly the overspend (the remainder's streams are the
# same), actuals outside the model's range still get a forecast with a
# warning, and with rework and superseded given the forecast is the one
# track gives for a ledger with the same totals.
for sp in 352000 380000 420000; do
    cm 60 envelope "$E" -o "$ed/os$sp" --trials 4000 --no-plots --month 4 --actuals "spent=$sp,accepted=12" \
        >"$ed/os$sp.out" 2>"$ed/os$sp.err"
done
if [ "$HAVE_PY" -eq 1 ]; then
    why=$(python3 - "$ed" <<'PY'
import json, sys
ed = sys.argv[1]
q = {sp: json.load(open("%s/os%d/summary.json" % (ed, sp)))["envelope"]["review"]["forecast"]["cost_total"]
     for sp in (352000, 380000, 420000)}
for k in ("p10", "p50", "p90"):
    for sp in (380000, 420000):
        if abs(q[sp][k] - q[352000][k] - (sp - 352000)) > 1e-6 * q[sp][k]:
            print("%s: %r at %d against %r at 352000, want exactly %d more" % (k, q[sp][k], sp, q[352000][k], sp - 352000))
PY
)
    check "envelope --month 4 --actuals spent=380000 / 420000,accepted=12: final cost P10/P50/P90 exactly 28,000 / 68,000 above spent=352000" "$why" "$ed/os380000.err"
else
    skip "overspend moves the forecast (python3 is not installed)"
fi
why=""
grep -q "warning: spent \$420k by month 4 is above the model's P99" "$ed/os420000.out" ||
    why="no 'above the model's P99' warning on stdout"
check "envelope --actuals spent=420000 (above the model's P99): a forecast with a recalibration warning" "$why" "$ed/os420000.out"
# (spent and accepted evenly spread, as the review spreads them, so the
# stop-loss rules see the same path; 20,000 trials, the scenario's, as
# track's envelope is the scenario's before the start)
printf 'month,spent,accepted,rework,superseded\n1,95000,3,2,1\n2,95000,3,1,1\n3,95000,3,1,1\n4,95000,3,1,0\n' >"$ed/ledger.csv"
cm 60 track "$E" --alternative offshore --actuals "$ed/ledger.csv" --trials 20000 -o "$ed/trk" >/dev/null 2>"$ed/trk.err"
cm 60 envelope "$E" -o "$ed/eq" --trials 20000 --no-plots -q --month 4 \
    --actuals spent=380000,accepted=12,rework=5,superseded=3 2>"$ed/eq.err"
if [ "$HAVE_PY" -eq 1 ]; then
    why=$(python3 - "$ed" <<'PY'
import json, sys
ed = sys.argv[1]
t = json.load(open(ed + "/trk/summary.json"))
e = json.load(open(ed + "/eq/summary.json"))["envelope"]["review"]
for k in ("cost_total", "blended_cost", "delivery_day"):
    if t["forecast"][k] != e["forecast"][k]:
        print("%s: track %r, envelope %r" % (k, t["forecast"][k], e["forecast"][k]))
for k in ("p_within_envelope", "p_delivered", "envelope", "cost_total_at_confidence"):
    if t["forecast"][k] != e["forecast"][k]:
        print("%s: track %r, envelope %r" % (k, t["forecast"][k], e["forecast"][k]))
for k in ("advice", "stop_loss", "transfer", "updated_rates", "model_check"):
    if t[k] != e[k]:
        print("%s: track %r, envelope %r" % (k, t[k], e[k]))
PY
)
    check "envelope --actuals with rework and superseded = track on a ledger with the same totals (forecast and advice identical)" "$why" "$ed/eq.err" "$ed/trk.err"
else
    skip "envelope review = track (python3 is not installed)"
fi
# The review follows envelope's own --confidence, not only decision's.
cm 60 envelope "$E" -o "$ed/c80" --trials 2000 --no-plots -q --confidence 0.8 --month 4 \
    --actuals spent=380000,accepted=12 2>"$ed/c80.err"
if [ "$HAVE_PY" -eq 1 ]; then
    why=$(python3 - "$ed/c80/summary.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["envelope"]
f = e["review"]["forecast"]
if f["confidence"] != 0.8:
    print("review confidence %r, want 0.8" % f["confidence"])
PY
)
    check "envelope --confidence 0.8 --month 4: the review is at confidence 0.8" "$why" "$ed/c80.err"
fi
# From totals only the month's own state is known: a rule is judged on it
# alone.  At month 8 with 12 accepted, 'burn-without-output' (spent over
# 400,000 and fewer than 10 accepted) does not hold, whatever a straight
# line through months 1-7 would say.
cm 60 envelope "$E" -o "$ed/m8" --trials 2000 --no-plots --month 8 --actuals spent=800000,accepted=12 \
    >"$ed/m8.out" 2>"$ed/m8.err"
why=""
grep -q "stop-loss 'burn-without-output': does not fire on the actuals" "$ed/m8.out" ||
    why="'burn-without-output' fires on an interpolated month
"
grep -q "fires on the actuals at month [1-7]$" "$ed/m8.out" && why="${why}a rule fires before the month of the actuals
"
check "envelope --month 8: stop-loss rules judged on the month-8 state only" "$why" "$ed/m8.out"
# Scope: no more accepted than the work needs; superseded= required when
# superseded items are not replaced.
usage_error "envelope --actuals accepted=30 of 24 outcomes" "--actuals: accepted=30 is more than the 24 outcomes the work needs" \
    envelope "$E" --trials 200 --no-plots --month 4 --actuals spent=1,accepted=30
sed 's/replace_superseded: true/replace_superseded: false/' "$E" >"$ed/norepl.yaml"
usage_error "envelope --actuals without superseded= when superseded items are not replaced" \
    "--actuals needs superseded=COUNT: the scenario does not replace superseded items" \
    envelope "$ed/norepl.yaml" --trials 200 --no-plots --month 4 --actuals spent=1,accepted=3
# Options of the review.
usage_error "envelope --alternative ofshore" "--alternative: 'ofshore' is not an alternative of $E (did you mean 'offshore'?)" \
    envelope "$E" --trials 200 --no-plots --month 3 --actuals spent=1,accepted=1 --alternative ofshore
usage_error "envelope --alternative without a review" "--alternative names the alternative of a review" \
    envelope "$E" --alternative offshore
usage_error "envelope --actuals rework=1.5" "--actuals: rework=1.5 is not a whole number" \
    envelope "$E" --month 3 --actuals spent=1,accepted=1,rework=1.5
usage_error "envelope --actuals acepted=1" "--actuals: unknown field 'acepted' (did you mean 'accepted'?)" \
    envelope "$E" --month 3 --actuals spent=1,acepted=1

# envelope --quiet prints nothing.
cm 60 envelope "$E" --trials 500 --no-plots -q >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "envelope --quiet prints nothing on stdout" "$why" "$tmp/o" "$tmp/e"

# Rules on a source whose spend is known exactly: consultants on a monthly
# fee of 30,000 with 30-day months; 1,000 outcomes, so no trial finishes
# within the horizon.  FEE_SCN NAME WORK SOURCE-EXTRA RULE: write
# $ed/NAME.yaml.
fee_scn() {
    {
        printf 'capmix: 1\ncalendar: {days_per_month: 30}\nwork: %s\n' "$2"
        printf 'alternatives:\n  - name: si\n    sources:\n      - kind: consultants\n'
        printf '        monthly_fee: 30000\n        throughput_per_month: 4\n        outcomes: {accepted: 1}\n'
        [ -n "$3" ] && printf '%s\n' "$3"
        printf '    stop_loss:\n%s\n' "$4"
    } >"$ed/$1.yaml"
}
# fee_env NAME: capmix envelope on $ed/NAME.yaml (400 trials).
fee_env() {
    cm 60 envelope "$ed/$1.yaml" -o "$ed/$1" --trials 400 --no-plots -q >"$tmp/o" 2>"$ed/$1.err"
    fe_rc=$?
    [ "$fe_rc" -eq 0 ] || not_ok "envelope $1.yaml: exit 0" "exit status $fe_rc$(printf '\n'; head -n 5 "$ed/$1.err")"
}
ALWAYS='      - name: always
        stop_if: {accepted_under: 1000000}'
fee_scn always "{outcomes: 24, horizon_days: 365}" "" "$ALWAYS"
fee_env always
env_py "a rule that always fires: p_stop 1, median month 1, spend_with exactly a month of fee (30000), delivered_with 0" \
    "$ed/always/summary.json" rule si always p_stop=1 n_stopped=400 median_month=1 spend_with=30000 delivered_with=0
env_py "a rule that always fires: the figures are consistent" "$ed/always/summary.json" shape 0.9 "si=always"
fee_scn every2 "{outcomes: 1000, horizon_days: 365}" "" '      - name: always
        review_every_months: 2
        stop_if: {accepted_under: 1000000}'
fee_env every2
env_py "review_every_months: 2: the first review is at month 2 (spend_with 60000)" \
    "$ed/every2/summary.json" rule si always p_stop=1 median_month=2 spend_with=60000
# Thresholds are strict: 60,000 spent at month 2 is not over 60,000.
fee_scn strict "{outcomes: 1000, horizon_days: 365}" "" '      - name: burn
        stop_if: {spent_over: 60000}'
fee_env strict
env_py "stop_if spent_over 60000 is strict: it fires at month 3 (90000), not month 2 (60000)" \
    "$ed/strict/summary.json" rule si burn p_stop=1 median_month=3 spend_with=90000
# A rule that never fires changes nothing.
fee_scn never "{outcomes: 24, horizon_days: 365}" "" '      - name: never
        stop_if: {spent_over: 1000000000000}'
fee_env never
if [ "$HAVE_PY" -eq 1 ] && [ -f "$ed/never/summary.json" ]; then
    sw=$(python3 tests/lib/json_get.py "$ed/never/summary.json" 'repr(j["envelope"]["alternatives"][0]["stop_loss"][0]["spend_without"])' 2>/dev/null)
    env_py "a rule that never fires: p_stop 0, median_month and loss avoided null, spend_with = spend_without, delivered_with 1" \
        "$ed/never/summary.json" rule si never p_stop=0 n_stopped=0 false_stops=0 median_month=null loss_avoided_per_stop=null \
        "spend_with=${sw:-missing}" delivered_with=1
else
    skip "a rule that never fires changes nothing (python3 is not installed, or no summary.json)"
fi
# Reviews happen strictly before the horizon: with a horizon of 360 days the
# month-12 review (day 360) does not happen; with 361 days it does.
SO330='      - name: burn
        stop_if: {spent_over: 330000}'
fee_scn h360 "{outcomes: 1000, horizon_days: 360}" "" "$SO330"
fee_env h360
env_py "horizon 360 days: no review at day 360, the rule over 330000 never fires" \
    "$ed/h360/summary.json" rule si burn p_stop=0 spend_with=360000
fee_scn h361 "{outcomes: 1000, horizon_days: 361}" "" "$SO330"
fee_env h361
env_py "horizon 361 days: the review at day 360 fires the rule over 330000 (spend_with 360000 of 361000)" \
    "$ed/h361/summary.json" rule si burn p_stop=1 median_month=12 spend_with=360000 spend_without=361000
# A stop books the end-of-contract costs: started on day 45 and stopped at
# the month-2 review (day 60): 15 days of fee topped up to min_months 3
# (90,000), the exit cost 5,000 and 60 days of a 3,000/month overhead.
fee_scn exit "{outcomes: 1000, horizon_days: 365}" '        start_delay_days: 45
        min_months: 3
        exit_cost: 5000
    overheads:
      - name: coach
        monthly_cost: 3000' '      - name: always
        review_every_months: 2
        stop_if: {accepted_under: 1000000}'
fee_env exit
env_py "a stop books min_months, exit_cost and the overhead so far: spend_with 101000 (without 361500)" \
    "$ed/exit/summary.json" rule si always p_stop=1 spend_with=101000 spend_without=361500
# A stopped trial's delay counts to the horizon: 30,000 + 100/day x (365 -
# 100 days).
fee_scn delay "{outcomes: 24, horizon_days: 365, target_day: 100, cost_of_delay: {per_day: 100}}" "" "$ALWAYS"
fee_env delay
env_py "a stopped trial's delay cost runs to the horizon: blended_with 30000 + 100 x 265 = 56500" \
    "$ed/delay/summary.json" rule si always spend_with=30000 blended_with=56500
# The review of a fee-paid source (30,000 a month, run-rate): what was
# spent is what the re-forecast starts from; --tolerance is accepted with a
# warning and changes nothing.
fee_scn runrate "{horizon_days: 365}" "" "$ALWAYS"
for t in a b; do
    cm 60 envelope "$ed/runrate.yaml" -o "$ed/rr-$t" --trials 400 --no-plots -q --month 3 \
        --actuals "spent=$([ $t = a ] && echo 94000 || echo 90000),accepted=0" \
        $([ $t = b ] && echo --tolerance 0.2) 2>"$ed/rr-$t.err"
done
why=""
grep -q "warning: envelope: --tolerance is no longer used" "$ed/rr-b.err" || why="no warning for --tolerance
"
[ -s "$ed/rr-a.err" ] && why="${why}a warning without --tolerance
"
if [ "$HAVE_PY" -eq 1 ]; then
    why="$why$(python3 - "$ed" <<'PY'
import json, sys
ed = sys.argv[1]
a, b = (json.load(open(ed + "/rr-%s/summary.json" % t))["envelope"]["review"]["forecast"]["cost_total"] for t in "ab")
for k in ("p10", "p50", "p90"):
    if abs(a[k] - b[k] - 4000) > 1e-6:
        print("%s: %r with 94000 spent, %r with 90000: want exactly 4000 apart" % (k, a[k], b[k]))
PY
)"
fi
check "review of a 30,000/month fee: 4,000 more spent is 4,000 more final cost; --tolerance warns and is ignored" "$why" "$ed/rr-b.err"

# Every alternative with rules gets its sentence, however many there are
# (17: more than a fixed table of 4 or 16 sentences holds).
{
    printf 'capmix: 1\ncalendar: {days_per_month: 30}\nwork: {outcomes: 24, horizon_days: 365}\nalternatives:\n'
    i=1
    while [ "$i" -le 17 ]; do
        printf '  - name: a%s\n    sources:\n      - kind: consultants\n' "$i"
        printf '        monthly_fee: 30000\n        throughput_per_month: 4\n        outcomes: {accepted: 1}\n'
        printf '    stop_loss:\n      - name: burn\n        stop_if: {spent_over: 100000, accepted_under: 5}\n'
        i=$((i + 1))
    done
} >"$ed/many.yaml"
cm 60 envelope "$ed/many.yaml" -o "$ed/many" --trials 400 --no-plots >"$ed/many.out" 2>"$ed/many.err"
env_py "17 alternatives with rules: 17 summary sentences, each on stdout" "$ed/many/summary.json" sentences "$ed/many.out"

# `run` on the envelope scenario has no envelope section.
cm 60 run "$E" -o "$ed/run" --trials 2000 --no-plots -q 2>"$ed/run.err"
env_py "run $E: summary.json has no \"envelope\" key" "$ed/run/summary.json" no_envelope

# envelope on a scenario with a fixed bid: the bid section too.
cm 60 envelope "$FB" -o "$ed/fb" --trials 2000 --no-plots >"$ed/fb.out" 2>"$ed/fb.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
for a in $(sed -n 's/^  - name: *//p' "$FB"); do
    [ -s "$ed/fb/fan_$a.dat" ] || why="${why}no fan_$a.dat
"
done
check "envelope $FB --trials 2000: exit 0, a fan per alternative (the fixed bid too)" "$why" "$ed/fb.err" "$ed/fb.out"
env_py "envelope on a fixed bid: summary.json has the bid section and an envelope per alternative, the bid without rules" \
    "$ed/fb/summary.json" with_bid
env_py "envelope on a fixed bid: the figures are consistent" "$ed/fb/summary.json" shape 0.9 ""

finish
