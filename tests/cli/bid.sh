#!/bin/sh
# CLI tests for `capmix bid` (model section 8, resolutions 11-13): usage,
# the shipped offer's summary.json checked by tests/lib/bid_check.py, the
# break-even price, risk neutrality, CVaR, reproducibility, heavy tails.
#
# POSIX sh (runs under dash), from the repository root; prints "ok - ..." or
# "not ok - ..." per check and, last, "cli: N passed, M failed" (see
# tests/run-all.sh and tests/lib/cli.sh).
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh
cli_setup bid

S=scenarios/pod-run-rate.yaml
# capmix bid (model section 8): its own options, and every option of run.
FB=scenarios/fixed-bid-offer.yaml
usage_error "bid without a file" "bid: give exactly one scenario file" bid
usage_error "bid with two files" "bid: give exactly one scenario file" bid "$FB" "$S"
usage_error "bid --risk-tolerance 0" "--risk-tolerance needs a positive amount of money or 'infinity', not '0'" bid "$FB" --risk-tolerance 0
usage_error "bid --risk-tolerance abc" "--risk-tolerance needs a positive amount of money or 'infinity', not 'abc'" bid "$FB" --risk-tolerance abc
usage_error "bid --risk-tolerance -5" "--risk-tolerance needs a positive amount of money or 'infinity', not '-5'" bid "$FB" --risk-tolerance -5
usage_error "bid --risk-tolerance 1e400 overflows" "--risk-tolerance needs a positive amount of money or 'infinity'" bid "$FB" --risk-tolerance 1e400
usage_error "bid --risk-tolerance without its value" "option '--risk-tolerance' needs a value" bid "$FB" --risk-tolerance
usage_error "bid --partner-margin -1" "--partner-margin needs a fraction from 0 to 10 (0.15 for 15%), not '-1'" bid "$FB" --partner-margin -1
# Numbers are decimal (model §13), on the command line too.
usage_error "bid --partner-margin 0x1 (hexadecimal)" "--partner-margin needs a fraction from 0 to 10 (0.15 for 15%), not '0x1'" bid "$FB" --partner-margin 0x1
usage_error "bid --partner-margin nan" "--partner-margin needs a fraction from 0 to 10" bid "$FB" --partner-margin nan
usage_error "bid: unknown option" "bid: unknown option '--bogus'" bid "$FB" --bogus
usage_error "bid --trials 0 (an option of run)" "--trials needs a whole number from 2 to 100000000, not '0'" bid "$FB" --trials 0
# The bid options belong to bid; the message names the option, not its value.
usage_error "run --risk-tolerance belongs to bid" "run: option '--risk-tolerance' belongs to 'capmix bid'" run "$FB" --risk-tolerance 2000000
usage_error "run --partner-margin belongs to bid" "run: option '--partner-margin' belongs to 'capmix bid'" run "$FB" --partner-margin 0.15

help_ok "capmix bid --help" "usage: capmix bid SCENARIO.yaml" bid --help
help_ok "capmix bid --help names --risk-tolerance" "--risk-tolerance R" bid --help
help_ok "capmix help bid (help on a command)" "usage: capmix bid SCENARIO.yaml" help bid
help_ok "capmix --help lists the bid command" "  bid " --help

# ---------------------------------------------------------------------------
# Fixed bids: capmix bid (model section 8, resolutions 11-13)
# ---------------------------------------------------------------------------

FB=scenarios/fixed-bid-offer.yaml
bd=$tmp/bid
mkdir "$bd"

# py_bid FILE CHECK [ARG...]: the checks of tests/lib/bid_check.py (see there);
# defined in tests/lib/cli.sh.

# bid_py DESCRIPTION FILE CHECK [ARG...]: a py_bid check as a test line.
bid_py() {
    bp_desc=$1
    shift
    if [ "$HAVE_PY" -ne 1 ]; then
        skip "$bp_desc (python3 is not installed)"
        return
    fi
    if [ ! -f "$1" ]; then
        not_ok "$bp_desc" "no $1"
        return
    fi
    py_bid "$@" >"$tmp/e" 2>&1
    bp_rc=$?
    bp_why=""
    [ "$bp_rc" -eq 0 ] || bp_why="$(cat "$tmp/e")"
    check "$bp_desc" "$bp_why"
}

# A scenario without a fixed bid: exit 2 before simulating, no output folder.
cm 20 bid "$S" -o "$bd/none" --trials 200 >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit status $rc, want 2
"
grep -F -q -e "capmix: $S: " "$tmp/e" && grep -F -q -e "no 'fixed_bid' alternative" "$tmp/e" ||
    why="${why}stderr lacks 'capmix: $S: ... no 'fixed_bid' alternative'
"
[ -e "$bd/none" ] && why="${why}the output folder was created
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "bid on a scenario without a fixed bid ($S): exit 2, a message, no output folder" "$why" "$tmp/e" "$tmp/o"

# A bad fixed bid through `bid`: exit 2 with the corpus case's message at
# its position, no output folder.
BB=tests/bad/fixed-bid-without-price.yaml
exp=$(head -n 1 "$BB" | sed -n 's/^# expect: //p')
cm 20 bid "$BB" -o "$bd/bad" --trials 200 >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit status $rc, want 2
"
grep -F -e "capmix: $BB:${exp%%: *}: " "$tmp/e" | grep -F -q -e "${exp#*: }" ||
    why="${why}stderr lacks 'capmix: $BB:$exp'
"
[ -e "$bd/bad" ] && why="${why}the output folder was created
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "bid on a bad scenario: exit 2, the message at its position, no output folder" "$why" "$tmp/e" "$tmp/o"

# The shipped offer.
cm 60 bid "$FB" -o "$bd/main" --trials 3000 >"$bd/main.out" 2>"$bd/main.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
for want in summary.json run.log bid_cdf.dat bid_cdf.gp bid_ce.dat bid_ce.gp; do
    [ -s "$bd/main/$want" ] || why="${why}no $want
"
done
left=$(leftovers "$bd/main")
[ -z "$left" ] || why="${why}temporary files left: $left
"
grep -q '^verdict: ' "$bd/main.out" || why="${why}no 'verdict: ' line on stdout
"
grep -q '^verdict: ' "$bd/main/run.log" || why="${why}no 'verdict: ' line in run.log
"
check "bid $FB -o DIR --trials 3000: exit 0, summary.json, run.log, bid_cdf and bid_ce .dat/.gp, a verdict" "$why" "$bd/main.err" "$bd/main.out"
if command -v gnuplot >/dev/null 2>&1; then
    why=""
    for p in bid_cdf.png bid_ce.png cost_cdf.png; do
        [ -s "$bd/main/$p" ] || why="${why}no $p
"
    done
    check "bid, gnuplot installed: bid_cdf.png and bid_ce.png are drawn" "$why" "$bd/main.err"
else
    skip "bid: bid_cdf.png and bid_ce.png are drawn (gnuplot is not installed)"
fi
M=$bd/main/summary.json
if [ "$HAVE_PY" -eq 1 ] && [ -f "$M" ]; then
    py_json_ok "$M" >"$tmp/e" 2>&1
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="summary.json is not valid JSON"
    check "bid: summary.json is valid JSON" "$why" "$tmp/e"
fi
bid_py "bid: summary.json has a pair per bid x mix x {cost_total, blended_cost} with its figures, market, verdict" "$M" pairs
bid_py "bid: risk_premium = E[bid] - E[mix], break-even at neutrality = price + E[mix] - E[bid], P(mix cheaper) in [0,1]" "$M" identities
bid_py "bid: the verdict on stdout is summary.json's, and quotes its offer, gap and break-even price" "$M" verdict "$bd/main.out" blended_cost
bid_py "bid: the market's answer is the price over 1 + partner_margin (0.15)" "$M" market 0.15

# Model §4: at the break-even price the certainty equivalents are
# equal (exact for a constant price: the price shifts every trial alike).
if [ "$HAVE_PY" -eq 1 ] && [ -f "$M" ]; then
    be=$(py_bid "$M" break_even partner-fixed-bid offshore blended_cost 2>"$tmp/e")
    if [ -n "$be" ] && grep -q '^      price: 780000$' "$FB"; then
        sed "s/^      price: 780000\$/      price: $be/" "$FB" >"$bd/at-break-even.yaml"
        cm 60 bid "$bd/at-break-even.yaml" -o "$bd/be" --trials 3000 --no-plots -q 2>"$bd/be.err"
        bid_py "bid: with the price set to the break-even price (${be}), CE(bid) = CE(offshore) on blended cost" \
            "$bd/be/summary.json" crossed partner-fixed-bid offshore blended_cost
    else
        not_ok "bid: set the price of a copy of $FB to its break-even price" "break-even '$be'; $(cat "$tmp/e")"
    fi
else
    skip "bid: CE(bid) = CE(mix) at the break-even price (python3 is not installed)"
fi

# Risk neutrality from the command line, and a partner margin override.
cm 60 bid "$FB" -o "$bd/inf" --trials 3000 --no-plots --risk-tolerance infinity --partner-margin 0.25 >"$bd/inf.out" 2>"$bd/inf.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0"
check "bid --risk-tolerance infinity --partner-margin 0.25: exit 0" "$why" "$bd/inf.err"
bid_py "bid --risk-tolerance infinity: risk_adjusted = mean, break-even price = break-even at neutrality" "$bd/inf/summary.json" neutral
bid_py "bid --risk-tolerance infinity: the verdict says risk neutrality and agrees with summary.json" "$bd/inf/summary.json" verdict "$bd/inf.out" blended_cost
bid_py "bid --partner-margin 0.25: the market's answer uses 0.25" "$bd/inf/summary.json" market 0.25

# CVaR as the risk measure (model §18.16).
awk '/^decision:/ { print "decision:"; print "  risk_measure: cvar"; print "  cvar_level: 0.95"; skip = 1; next }
     skip && /^  / { next }
     { skip = 0; print }' "$FB" >"$bd/cvar.yaml"
cm 60 bid "$bd/cvar.yaml" -o "$bd/cvar" --trials 3000 --no-plots >"$bd/cvar.out" 2>"$bd/cvar.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
grep -q '^verdict: With CVaR95 as the risk measure ' "$bd/cvar.out" || why="${why}the verdict does not start 'With CVaR95 as the risk measure'
"
check "bid with decision: {risk_measure: cvar}: exit 0, the verdict names CVaR95" "$why" "$bd/cvar.err" "$bd/cvar.out"
bid_py "bid with risk_measure cvar: risk_adjusted = cvar95" "$bd/cvar/summary.json" cvar
bid_py "bid with risk_measure cvar: the verdict agrees with summary.json" "$bd/cvar/summary.json" verdict "$bd/cvar.out" blended_cost

# Without a cost of delay the verdict is on total cost.
grep -v '^  cost_of_delay:' "$FB" >"$bd/no-delay.yaml"
if grep -q 'cost_of_delay' "$bd/no-delay.yaml"; then
    not_ok "remove cost_of_delay from a copy of $FB" "the copy still has cost_of_delay"
else
    cm 60 bid "$bd/no-delay.yaml" -o "$bd/no-delay" --trials 2000 --no-plots >"$bd/no-delay.out" 2>"$bd/no-delay.err"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0"
    check "bid without a cost of delay: exit 0" "$why" "$bd/no-delay.err"
    bid_py "bid without a cost of delay: the verdict is on total cost and agrees with summary.json" "$bd/no-delay/summary.json" verdict "$bd/no-delay.out" cost_total
fi

# Amounts just under a million round up to "$1.00M", not "$1000k".
sed 's/^      price: 780000$/      price: 999700/' "$FB" >"$bd/p999.yaml"
cm 60 bid "$bd/p999.yaml" -o "$bd/p999" --trials 1000 --no-plots >"$bd/p999.out" 2>"$bd/p999.err"
why=""
grep -q "^verdict: .*'partner-fixed-bid' (\$1\.00M)" "$bd/p999.out" || why="the verdict does not quote the offer of 999,700 as \$1.00M: $(grep '^verdict' "$bd/p999.out")"
check "bid: an offer of 999,700 is quoted as \$1.00M" "$why" "$bd/p999.err"

# Reproducibility: the thread count does not change the figures.
cm 60 bid "$FB" -o "$bd/t1" --trials 3000 --no-plots -q --threads 1 2>"$bd/t1.err"
cm 60 bid "$FB" -o "$bd/t2" --trials 3000 --no-plots -q --threads 2 2>"$bd/t2.err"
if [ -f "$bd/t1/summary.json" ] && [ -f "$bd/t2/summary.json" ] &&
    normalise "$bd/t1/summary.json" >"$bd/t1.norm" && normalise "$bd/t2/summary.json" >"$bd/t2.norm" &&
    cmp -s "$bd/t1.norm" "$bd/t2.norm"; then
    ok "bid --threads 1 and --threads 2: identical summary.json (but threads, elapsed_seconds)"
else
    not_ok "bid --threads 1 and --threads 2: identical summary.json (but threads, elapsed_seconds)" \
        "$(diff "$bd/t1.norm" "$bd/t2.norm" 2>&1 | head -n 10)"
fi

# bid --quiet prints nothing.
cm 60 bid "$FB" --trials 500 -q >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
[ -s "$tmp/o" ] && why="${why}stdout is not empty
"
check "bid --quiet prints nothing on stdout" "$why" "$tmp/o" "$tmp/e"

# `run` on a scenario with a fixed bid writes the bid section too; the bid
# has no passes, rework, superseded, cycle time or flow efficiency
# (model §4): null in every trial.
cm 60 run "$FB" -o "$bd/run" --trials 2000 --no-plots -q 2>"$bd/run.err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, want 0"
check "run $FB -o DIR --trials 2000: exit 0" "$why" "$bd/run.err"
bid_py "run with a fixed bid: summary.json has the bid section" "$bd/run/summary.json" pairs
if [ "$HAVE_PY" -eq 1 ] && [ -f "$bd/run/summary.json" ]; then
    python3 tests/lib/bid_nulls.py "$bd/run/summary.json" >"$tmp/e" 2>&1
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="$(cat "$tmp/e")"
    check "run with a fixed bid: its kind is fixed_bid; passes, rework, superseded, cycle_days, flow_efficiency are null in all 2000 trials" "$why"
else
    skip "run with a fixed bid: kind fixed_bid and null flow metrics (python3 is not installed)"
fi

# A fixed bid with no capacity mix beside it: `validate` and `run` agree
# (both accept it, or both refuse it); `bid` has nothing to weigh it
# against: exit 2 and no output folder.
cat >"$bd/only-bid.yaml" <<'EOF'
capmix: 1
work: {outcomes: 24, horizon_days: 730}
alternatives:
  - name: partner
    fixed_bid: {price: 780000, delivery_days: 180}
EOF
cm 20 validate "$bd/only-bid.yaml" >"$tmp/o" 2>"$tmp/e"
rc_v=$?
cm 60 run "$bd/only-bid.yaml" -o "$bd/only-run" --trials 200 --no-plots -q >"$tmp/o" 2>"$tmp/e2"
rc_r=$?
why=""
[ "$rc_v" -eq "$rc_r" ] || why="validate exits $rc_v, run exits $rc_r
"
[ "$rc_r" -eq 0 ] || [ ! -e "$bd/only-run" ] || why="${why}run failed but created its output folder
"
check "a fixed bid without a capacity mix: validate and run agree" "$why" "$tmp/e" "$tmp/e2"
cm 60 bid "$bd/only-bid.yaml" -o "$bd/only-bid" --trials 200 --no-plots >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 2 ] || why="exit status $rc, want 2
"
grep -q '^capmix: ' "$tmp/e" || why="${why}no message on stderr
"
[ -e "$bd/only-bid" ] && why="${why}the output folder was created
"
check "bid on a fixed bid without a capacity mix: exit 2, a message, no output folder" "$why" "$tmp/e"

# Heavy tails (model §18.16): a lognormal cost input with a finite risk
# tolerance draws a warning; with risk_measure cvar, or at risk
# neutrality, it does not.
CO_GAMMA='cost: {dist: gamma, mean: 35000, sd: 30000}'
CO_LOGN='cost: {dist: lognormal, median: 25000, p90: 80000}'
sed "s/$CO_GAMMA/$CO_LOGN/" "$FB" >"$bd/lognormal-co.yaml"
awk '/^decision:/ { print "decision: {risk_measure: cvar}"; skip = 1; next }
     skip && /^  / { next }
     { skip = 0; print }' "$bd/lognormal-co.yaml" >"$bd/lognormal-co-cvar.yaml"
grep -v '^  risk_tolerance:' "$bd/lognormal-co.yaml" >"$bd/lognormal-co-neutral.yaml"
if ! grep -q "change_orders: .*$CO_LOGN" "$bd/lognormal-co.yaml" ||
    ! grep -q '^  risk_tolerance: 2000000' "$bd/lognormal-co.yaml" ||
    ! grep -q '^decision: {risk_measure: cvar}$' "$bd/lognormal-co-cvar.yaml" ||
    grep -q 'risk_tolerance' "$bd/lognormal-co-cvar.yaml" "$bd/lognormal-co-neutral.yaml"; then
    not_ok "make lognormal-change-order copies of $FB" "the copies are not as expected"
else
    cm 20 validate "$bd/lognormal-co.yaml" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    cat "$tmp/o" "$tmp/e" | grep -q 'heavy-tailed' || why="${why}no line with 'heavy-tailed'
"
    check "validate: a lognormal change-order cost with a finite risk_tolerance: exit 0, a heavy-tailed warning" "$why" "$tmp/e"

    cm 20 validate "$bd/lognormal-co-cvar.yaml" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    cat "$tmp/o" "$tmp/e" | grep -q 'heavy-tailed' && why="${why}a heavy-tailed warning: $(cat "$tmp/o" "$tmp/e" | grep 'heavy-tailed')
"
    check "validate: the same with decision: {risk_measure: cvar}: exit 0, no heavy-tailed warning" "$why" "$tmp/e"

    # The tolerance in force is the command line's when one is given.
    cm 60 bid "$bd/lognormal-co-neutral.yaml" --trials 500 --no-plots --risk-tolerance 2000000 >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    cat "$tmp/o" "$tmp/e" | grep -q 'heavy-tailed' || why="${why}no line with 'heavy-tailed'
"
    check "bid --risk-tolerance 2000000 on a lognormal cost input (no risk_tolerance in the file): a heavy-tailed warning" "$why" "$tmp/e"

    cm 60 bid "$bd/lognormal-co.yaml" --trials 500 --no-plots --risk-tolerance infinity >"$tmp/o" 2>"$tmp/e"
    rc=$?
    why=""
    [ "$rc" -eq 0 ] || why="exit status $rc, want 0
"
    cat "$tmp/o" "$tmp/e" | grep -q 'heavy-tailed' && why="${why}a heavy-tailed warning at risk neutrality: $(cat "$tmp/o" "$tmp/e" | grep 'heavy-tailed')
"
    check "bid --risk-tolerance infinity on a lognormal cost input: no heavy-tailed warning" "$why" "$tmp/e"
fi

finish
