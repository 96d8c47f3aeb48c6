#!/bin/sh
# CLI tests for `capmix portfolio`: the bad-portfolio corpus
# (tests/bad-portfolio/*.yaml, first line "# expect: LINE:COL: substring"),
# usage errors, the outputs of the worked example, --select, thread-count
# identity, and the chance constraint out of sample.  POSIX sh, from the
# repository root; last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-portfolio.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# json_get FILE EXPR: a value of summary.json (tests/lib/json_get.py)
json_get() { python3 tests/lib/json_get.py "$1" "$2"; }

# --- bad portfolio files: file:line:col, exit 2, nothing written ------------
n=0
for f in tests/bad-portfolio/*.yaml; do
    n=$((n + 1))
    exp=$(head -n 1 "$f" | sed -n 's/^# expect: //p')
    why=""
    "$BIN" portfolio "$f" -o "$T/bad" >"$T/out" 2>"$T/err"; rc=$?
    [ "$rc" = 2 ] || why="${why}exit $rc, want 2
"
    grep -q -F -- "capmix: $f:$exp" "$T/err" || why="${why}stderr lacks '$f:$exp'
"
    [ -e "$T/bad" ] && why="${why}the output folder was created
"
    [ -s "$T/out" ] && why="${why}stdout is not empty
"
    check "$f: exit 2 at ${exp%%: *}" "$why" "$T/err"
    rm -rf "$T/bad"
done
if [ "$n" -ge 10 ]; then ok "the bad-portfolio corpus has $n cases"; else not_ok "the bad-portfolio corpus has at least 10 cases" "found $n"; fi

P=scenarios/portfolio/portfolio.yaml
# --- usage -----------------------------------------------------------------
expect_rc "no file is a usage error" 2 "$BIN" portfolio
expect_rc "an unknown option is a usage error" 2 "$BIN" portfolio "$P" --budget 5
expect_rc "--help exits 0" 0 "$BIN" portfolio --help
if grep -q -- "--select" "$T/out"; then ok "--help lists --select"; else not_ok "--help lists --select"; fi
expect_rc "capmix help portfolio exits 0" 0 "$BIN" help portfolio
expect_rc "--select with an unknown initiative" 2 "$BIN" portfolio "$P" --select pricng=offshore -o "$T/u"
grep_err "--select names the nearest initiative" "did you mean 'pricing'"
expect_rc "--select with an unknown option" 2 "$BIN" portfolio "$P" --select pricing=ai-teem -o "$T/u"
grep_err "--select names the nearest option" "did you mean 'ai-team'"
if [ -e "$T/u" ]; then not_ok "a usage error writes nothing"; else ok "a usage error writes nothing"; fi
expect_rc "a missing portfolio file exits 2" 2 "$BIN" portfolio "$T/none.yaml"

# --- the worked example ----------------------------------------------------
expect_rc "the example runs on 1 thread" 0 "$BIN" portfolio "$P" --threads 1 --check-trials 20000 -o "$T/p1" --no-plots
expect_rc "the example runs on 2 threads" 0 "$BIN" portfolio "$P" --threads 2 --check-trials 20000 -o "$T/p2" --no-plots
for f in summary.json portfolio.log report.html portfolio_fan.dat portfolio_fan.gp; do
    if [ -s "$T/p1/$f" ]; then ok "writes $f"; else not_ok "writes $f"; fi
done
if cmp -s "$T/p1/summary.json" "$T/p2/summary.json"; then ok "summary.json identical on 1 and 2 threads"; else
    not_ok "summary.json identical on 1 and 2 threads" "$(diff "$T/p1/summary.json" "$T/p2/summary.json" | head -5)"; fi
S=$T/p1/summary.json
sel=$(json_get "$S" "sorted(j['portfolio']['selected'].items(), key=lambda kv: kv[0])")
if [ -n "$sel" ] && json_get "$S" "all(k in j['portfolio']['selected'] for k in ['pricing','support-agent','search','migration','reporting'])" | grep -q True; then
    ok "portfolio.selected names every initiative ($sel)"
else
    not_ok "portfolio.selected names every initiative" "$sel"
fi
if json_get "$S" "j['portfolio']['selected']['reporting'] is not None" | grep -q True; then
    ok "the must_fund initiative is funded"; else not_ok "the must_fund initiative is funded"; fi
if json_get "$S" "not (j['portfolio']['selected']['search'] and j['portfolio']['selected']['support-agent'])" | grep -q True; then
    ok "exclusive initiatives are not both funded"; else not_ok "exclusive initiatives are not both funded"; fi
if json_get "$S" "j['portfolio']['p_over_budget'] <= 1 - j['portfolio']['confidence'] + 1e-12" | grep -q True; then
    ok "p_over_budget within 1 - confidence"; else not_ok "p_over_budget within 1 - confidence"; fi
if json_get "$S" "all(k in j['answer'] for k in ['alternative','metric','sentence','reason'])" | grep -q True; then
    ok "summary.json has answer {alternative, metric, sentence, reason}"; else not_ok "summary.json has the answer object"; fi
if json_get "$S" "all(a['budget_needed'] > b['budget_needed'] for a, b in zip(j['portfolio']['cuts'], j['portfolio']['cuts'][1:]))" | grep -q True; then
    ok "the order of cuts needs less budget at every step"; else not_ok "the order of cuts needs less budget at every step"; fi
if grep -q "order of cuts" "$T/p1/portfolio.log" && grep -q "diversification" "$T/p1/portfolio.log"; then
    ok "portfolio.log has the cuts and the diversification"; else not_ok "portfolio.log has the cuts and the diversification"; fi

r=$(json_get "$S" "[(x['initiative'], x['marginal_gain']) for x in j['portfolio']['pools'][0]['draws']]")
if json_get "$S" "(lambda P: len(P['draws']) == 4 and P['next_unit_to'] in [x['initiative'] for x in P['draws'] if x['marginal_gain'] is not None] and 0 <= P['p_ranking_flips'] <= 1)(j['portfolio']['pools'][0])" | grep -q True; then
    ok "the pool's next unit goes to a funded initiative that draws on it ($r)"
else
    not_ok "the pool's next unit goes to a funded initiative that draws on it" "$r"
fi
if grep -q "where the next unit of 'one-more-seat' goes" "$T/p1/portfolio.log"; then ok "portfolio.log has the pool's table"; else not_ok "portfolio.log has the pool's table"; fi

# --select evaluates the chosen selection to the same figures
arg=$(json_get "$S" "','.join('%s=%s' % (k, v if v else 'none') for k, v in j['portfolio']['selected'].items())")
expect_rc "--select of the chosen selection runs" 0 "$BIN" portfolio "$P" --threads 2 --check-trials 20000 --select "$arg" -o "$T/sel" --no-plots
a=$(json_get "$S" "repr(j['portfolio']['objective']), repr(j['portfolio']['p_over_budget'])")
b=$(json_get "$T/sel/summary.json" "repr(j['portfolio']['objective']), repr(j['portfolio']['p_over_budget'])")
if [ "$a" = "$b" ]; then ok "--select reproduces the chosen selection's figures ($a)"; else not_ok "--select reproduces the chosen figures" "$a vs $b"; fi
# funding everything breaks the budget, and says so
expect_rc "--select of an over-budget selection runs" 0 "$BIN" portfolio "$P" --threads 2 --check-trials 2000 -q -o "$T/all" --no-plots \
    --select pricing=ai-team,support-agent=ai-full,migration=vendor-bid,reporting=offshore
if json_get "$T/all/summary.json" "j['portfolio']['feasible'] == False and j['portfolio']['p_over_budget'] > 0.1" | grep -q True; then
    ok "an over-budget selection is reported infeasible"; else not_ok "an over-budget selection is reported infeasible"; fi

# a selection that breaks the portfolio's rules is evaluated, and says so
expect_rc "--select breaking must_fund and exclusivity runs" 0 "$BIN" portfolio "$P" --threads 2 --check-trials 2000 -q -o "$T/rules" --no-plots \
    --select support-agent=ai-lean,search=ai-team
if grep -q "must_fund but not funded" "$T/rules/portfolio.log" && grep -q "exclusive but both funded" "$T/rules/portfolio.log" &&
    json_get "$T/rules/summary.json" "j['portfolio']['rules_broken'] is not None" | grep -q True; then
    ok "--select reports the rules it breaks"; else not_ok "--select reports the rules it breaks" "$(grep note "$T/rules/portfolio.log")"; fi
# no feasible selection: exit 0 with the answer saying so
sed -e 's/^budget: .*/budget: 200000/' -e "s|scenario: |scenario: $PWD/scenarios/portfolio/|" "$P" >"$T/inf.yaml"
expect_rc "a budget no selection meets runs" 0 "$BIN" portfolio "$T/inf.yaml" --threads 2 --check-trials 2000 -q -o "$T/inf" --no-plots
if json_get "$T/inf/summary.json" "j['portfolio']['feasible'] == False and j['portfolio']['p_over_budget'] is None and 'no selection' in j['answer']['sentence'] and 'must-fund' in j['answer']['reason']" | grep -q True; then
    ok "no feasible selection: the answer says so and names the must-fund minimum"
else
    not_ok "no feasible selection: the answer says so" "$(json_get "$T/inf/summary.json" "j['answer']")"
fi

# --- the chance constraint out of sample -----------------------------------
# re-evaluated on another seed with 10^5 trials, the Wilson 95% upper bound
# of P(over budget) must be at most 1 - confidence + 0.01
expect_rc "the example with a 10^5-trial check" 0 "$BIN" portfolio "$P" --threads 2 --check-trials 100000 -q -o "$T/oos" --no-plots
r=$(json_get "$T/oos/summary.json" "j['portfolio']['out_of_sample']['trials'], j['portfolio']['out_of_sample']['wilson95'][1], 1 - j['portfolio']['confidence'] + 0.01")
if json_get "$T/oos/summary.json" "j['portfolio']['out_of_sample']['trials'] == 100000 and j['portfolio']['out_of_sample']['wilson95'][1] <= 1 - j['portfolio']['confidence'] + 0.01" | grep -q True; then
    ok "out of sample: Wilson upper bound within 1 - confidence + 0.01 ($r)"
else
    not_ok "out of sample: Wilson upper bound within 1 - confidence + 0.01" "$r"
fi
# the same at a tighter budget, where the constraint binds harder
sed -e 's/^budget: .*/budget: 1800000/' -e "s|scenario: |scenario: $PWD/scenarios/portfolio/|" "$P" >"$T/tight.yaml"
expect_rc "a tighter budget runs" 0 "$BIN" portfolio "$T/tight.yaml" --threads 2 --check-trials 100000 -q -o "$T/tight" --no-plots
r=$(json_get "$T/tight/summary.json" "j['portfolio']['p_over_budget'], j['portfolio']['out_of_sample']['wilson95']")
if json_get "$T/tight/summary.json" "j['portfolio']['out_of_sample']['wilson95'][1] <= 1 - j['portfolio']['confidence'] + 0.01" | grep -q True; then
    ok "tight budget, out of sample: Wilson upper bound within 1 - confidence + 0.01 ($r)"
else
    not_ok "tight budget, out of sample: Wilson upper bound within 1 - confidence + 0.01" "$r"
fi

# --- charts and report ----------------------------------------------------
if command -v gnuplot >/dev/null 2>&1; then
    expect_rc "the example with its chart" 0 "$BIN" portfolio "$P" --check-trials 2000 -q -o "$T/plots"
    if [ -s "$T/plots/portfolio_fan.png" ] && grep -q "<svg" "$T/plots/report.html"; then
        ok "the burn fan is drawn and embedded in report.html"
    else
        not_ok "the burn fan is drawn and embedded in report.html" "$(ls "$T/plots")"
    fi
else
    skip "gnuplot not installed: no chart check"
fi
# fewer than two trials have no standard error (issue 14, class 8): refused like run --trials 1
expect_rc "portfolio --trials 1 is refused" 2 "$BIN" portfolio scenarios/portfolio/portfolio.yaml --trials 1 -q
grep_err "portfolio --trials 1 says the range" "from 2 to"

finish
