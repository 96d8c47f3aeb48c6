#!/bin/sh
# CLI tests for re-costing recorded timelines (model §18.46): where a swept
# parameter changes only costs booked after the timeline (rates, fees,
# token spend, an overhead's monthly cost, a constant per-pass token
# charge), an alternative's later points are re-costed from the timelines
# taped at its first simulation.  Every check runs the same command with
# re-costing and with CAPMIX_RECOST=0 (simulated at every point) and wants
# the same bytes in the CSV and the JSON (but for the timing), and, from
# CAPMIX_RECOST_REPORT, that re-costing did (or, for a stop-loss rule or a
# timeline parameter, did not) take place.
#
# POSIX sh, from the repository root; last line "cli: N passed, M failed"
# (see tests/run-all.sh and tests/lib/cli.sh).
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh
cli_setup recost

TB=scenarios/token-breakeven.yaml
EN=scenarios/envelope.yaml

# same DESC WANT KIND ARGS...: `capmix KIND ARGS` with and without
# re-costing write the same KIND.csv and KIND.json (the JSON less its
# timing); WANT is "some" (re-costing must have answered at least one
# evaluation) or "none" (it must not have).
n=0
same() {
    s_desc=$1 s_want=$2 s_kind=$3
    shift 3
    n=$((n + 1))
    a=$tmp/r$n b=$tmp/s$n
    CAPMIX_RECOST_REPORT=1 limit 300 "$CAPMIX" "$s_kind" "$@" --no-plots -q -o "$a" >"$tmp/out.r" 2>"$tmp/err.r"
    rc1=$?
    CAPMIX_RECOST=0 CAPMIX_RECOST_REPORT=1 limit 300 "$CAPMIX" "$s_kind" "$@" --no-plots -q -o "$b" \
        >"$tmp/out.s" 2>"$tmp/err.s"
    rc2=$?
    why=""
    [ "$rc1" = 0 ] && [ "$rc2" = 0 ] || why="exit $rc1 re-costed, $rc2 simulated"
    if [ -z "$why" ]; then
        cmp -s "$a/$s_kind.csv" "$b/$s_kind.csv" || why="$s_kind.csv differs: $(diff "$a/$s_kind.csv" "$b/$s_kind.csv" | head -4)"
        grep -v '"seconds"\|"elapsed_seconds"\|"threads"' "$a/$s_kind.json" >"$tmp/ja"
        grep -v '"seconds"\|"elapsed_seconds"\|"threads"' "$b/$s_kind.json" >"$tmp/jb"
        [ -s "$tmp/ja" ] && cmp -s "$tmp/ja" "$tmp/jb" || why="$why$s_kind.json differs"
        grep -q 'capmix: re-costed 0 alternative evaluations' "$tmp/err.s" || why="${why}CAPMIX_RECOST=0 re-costed"
        got=$(sed -n 's/^capmix: re-costed \([0-9]*\) alternative evaluations$/\1/p' "$tmp/err.r")
        case "$s_want:${got:-missing}" in
        some:missing | some:0) why="${why}nothing was re-costed" ;;
        none:0) ;;
        none:*) why="${why}re-costed $got evaluations, wanted none" ;;
        esac
    fi
    check "re-costed = simulated ($s_want re-costed): $s_desc" "$why" "$tmp/err.r" "$tmp/err.s"
}

# the shipped question: the token bill of one alternative (the other cached)
same "the sweep: section of token-breakeven" some sweep "$TB" --trials 4000
same "token-breakeven, 1 thread" some sweep "$TB" --trials 4000 --threads 1
same "token-breakeven, 2 threads" some sweep "$TB" --trials 4000 --threads 2
# rates, fees, salaries, token growth, an overhead, a constant per-pass charge
same "an hourly rate (the baseline swept)" some sweep "$TB" --trials 3000 \
    --set 'offshore/pod.hourly_rate=60:110:4' --metric blended_cost.mean
same "a salary, cost per outcome p90" some sweep "$TB" --trials 3000 \
    --set 'ai-team/team.loaded_annual=200000:320000:4' --metric cost_per_outcome.p90
same "token growth" some sweep "$TB" --trials 3000 \
    --set 'ai-team/team.tokens.growth_per_month=0:0.1:3' --metric cost_total.mean
same "a retainer beside change orders" some sweep "$EN" --trials 2000 \
    --set 'consultants/si.monthly_fee=60000:120000:3' --metric blended_cost.mean
same "an overhead's monthly cost" some sweep "$EN" --trials 2000 \
    --set 'pod-plus-coach.overheads.delivery-coach.monthly_cost=0:30000:3' --metric blended_cost.p90
same "a per-pass token charge (was lognormal, constant at each point)" some sweep "$EN" --trials 2000 \
    --set 'ai-team/team.tokens.per_item=100:900:3' --metric cost_total.mean
same "a metric no cost moves" some sweep "$TB" --trials 3000 \
    --set 'ai-team/team.tokens.monthly=10000:120000:3' --metric delivery_day.p90

# never re-costed: a stop-loss rule, timeline parameters, a dist's shape,
# correlations
same "an alternative with stop-loss rules" none sweep "$EN" --trials 2000 \
    --set 'offshore/pod.hourly_rate=60:100:3' --metric cost_total.mean
same "throughput" none sweep "$TB" --trials 3000 \
    --set 'ai-team/team.throughput_per_month=3:8:3' --metric cost_total.mean
same "headcount (lanes and salaries)" none sweep "$TB" --trials 3000 \
    --set 'ai-team/team.headcount=2:6:3' --metric cost_total.mean
same "a parameter of a per-pass dist" none sweep "$EN" --trials 2000 \
    --set 'ai-team/team.tokens.per_item.median=100:800:3' --metric cost_total.mean
same "correlated inputs" none sweep scenarios/correlated-delivery.yaml --trials 2000 \
    --set 'ai-team/team.tokens.monthly=10000:60000:3' --metric cost_total.mean

# break-even: y a cost (re-costed along each x), and y on the timeline
same "break-even solving for the token bill" some breakeven "$TB" --trials 1000 \
    --x 'ai-team/team.throughput_per_month=3:8:3' --y 'ai-team/team.tokens.monthly=10000:200000'
same "the breakeven: section of token-breakeven" none breakeven "$TB" --trials 1000 \
    --x 'ai-team/team.tokens.monthly=10000:120000:3'

# tornado: the second swing of each constant-at-both-ends cost input
sed 's/tokens: {monthly: 22000, growth_per_month: 0.05}/tokens: {monthly: {dist: triangular, min: 15000, mode: 22000, max: 40000}, growth_per_month: 0.05, per_item: {dist: uniform, min: 100, max: 500}}/
     s/loaded_annual: 280000$/loaded_annual: {dist: triangular, min: 240000, mode: 280000, max: 330000}/' \
    "$TB" >"$tmp/tornado.yaml"
same "tornado with uncertain costs" some tornado "$tmp/tornado.yaml" --trials 3000 --alternative ai-team

# re-costed on 1 thread = simulated on 2
CAPMIX_RECOST=0 limit 300 "$CAPMIX" sweep "$TB" --trials 3000 --threads 2 --no-plots -q -o "$tmp/t2" >/dev/null 2>&1
limit 300 "$CAPMIX" sweep "$TB" --trials 3000 --threads 1 --no-plots -q -o "$tmp/t1" >/dev/null 2>&1
if [ -s "$tmp/t1/sweep.csv" ] && cmp -s "$tmp/t1/sweep.csv" "$tmp/t2/sweep.csv"; then
    ok "re-costed on 1 thread = simulated on 2 threads"
else
    not_ok "re-costed on 1 thread = simulated on 2 threads"
fi

finish
