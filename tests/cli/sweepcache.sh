#!/bin/sh
# CLI tests for the sweep cache (model §7, §18.43): an alternative no swept
# parameter reaches is simulated once for the whole sweep or break-even
# curve.  Every check runs the same command twice, with the cache and with
# CAPMIX_SWEEP_CACHE=0 (every alternative simulated at every point), and
# wants the same bytes in the CSV and the JSON (but for the timing), over
# the edge cases of what a parameter reaches: work, people, an alternative
# named `work`, correlations, a stop-loss rule handing over to the swept
# alternative, crossings against the baseline, and thread counts.
#
# POSIX sh, from the repository root; last line "cli: N passed, M failed"
# (see tests/run-all.sh and tests/lib/cli.sh).
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh
cli_setup sweepcache

TB=scenarios/token-breakeven.yaml

# same DESC KIND ARGS...: `capmix KIND ARGS` with and without the cache
# write the same KIND.csv and KIND.json (the JSON less its timing).
n=0
same() {
    s_desc=$1 s_kind=$2
    shift 2
    n=$((n + 1))
    a=$tmp/c$n b=$tmp/u$n
    limit 300 "$CAPMIX" "$s_kind" "$@" --no-plots -o "$a" >"$tmp/out.c" 2>"$tmp/err.c"
    rc1=$?
    CAPMIX_SWEEP_CACHE=0 limit 300 "$CAPMIX" "$s_kind" "$@" --no-plots -o "$b" >"$tmp/out.u" 2>"$tmp/err.u"
    rc2=$?
    why=""
    [ "$rc1" = 0 ] && [ "$rc2" = 0 ] || why="exit $rc1 cached, $rc2 uncached"
    if [ -z "$why" ]; then
        cmp -s "$a/$s_kind.csv" "$b/$s_kind.csv" || why="$s_kind.csv differs: $(diff "$a/$s_kind.csv" "$b/$s_kind.csv" | head -4)"
        grep -v '"seconds"\|"elapsed_seconds"\|"threads"' "$a/$s_kind.json" >"$tmp/ja"
        grep -v '"seconds"\|"elapsed_seconds"\|"threads"' "$b/$s_kind.json" >"$tmp/jb"
        [ -s "$tmp/ja" ] && cmp -s "$tmp/ja" "$tmp/jb" || why="$why$s_kind.json differs"
    fi
    check "cached = uncached: $s_desc" "$why" "$tmp/err.c" "$tmp/err.u"
}

# the shipped questions: one alternative's parameters, the other cached
same "the sweep: section of token-breakeven" sweep "$TB" --trials 2000
same "the breakeven: section of token-breakeven (two parameters, one alternative)" breakeven "$TB" \
    --trials 1000 --x 'ai-team/team.tokens.monthly=10000:120000:4'
same "a path spelt through sources:" sweep "$TB" --trials 2000 \
    --set 'ai-team.sources.team.headcount=2:6:3' --metric cost_total.mean
same "x in one alternative, y in the other" breakeven "$TB" --trials 1000 \
    --x 'offshore/pod.hourly_rate=60:100:3' --y 'ai-team/team.throughput_per_month=2:12'

# work and people reach every alternative
same "work.cost_of_delay reaches every alternative" sweep "$TB" --trials 2000 \
    --set 'work.cost_of_delay.annual_value=100000:900000:3' --metric blended_cost.mean
same "people.* reaches every alternative" sweep "$TB" --trials 2000 \
    --set 'people.senior_engineer.loaded_annual=150000:400000:3' --metric cost_total.mean

# an alternative named `work`: work.* is still the work section
sed 's/name: offshore/name: work/; s/\[ai-team, offshore\]/[ai-team, work]/' "$TB" >"$tmp/workalt.yaml"
same "alternative named work, work.* swept" sweep "$tmp/workalt.yaml" --trials 2000 \
    --set 'work.cost_of_delay.annual_value=100000:900000:3' --metric blended_cost.mean
# ... and the cost of delay does move the other alternative's blended cost
col=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "\"ai-team\"") print i }' "$tmp/c$n/sweep.csv")
first=$(awk -F, -v c="${col:-0}" 'NR == 2 { print $c }' "$tmp/c$n/sweep.csv")
last=$(awk -F, -v c="${col:-0}" 'NR == 4 { print $c }' "$tmp/c$n/sweep.csv")
if [ -n "$col" ] && [ -n "$first" ] && [ "$first" != "$last" ]; then
    ok "alternative named work: ai-team's blended cost moves with work.cost_of_delay"
else
    not_ok "alternative named work: ai-team's blended cost moves with work.cost_of_delay" \
        "column '${col:-}' from $first to $last"
fi
same "alternative named work, its own source swept" sweep "$tmp/workalt.yaml" --trials 2000 \
    --set 'work/pod.hourly_rate=60:100:3' --metric blended_cost.mean

# correlations couple alternatives (a copula across them): nothing cached
same "correlated inputs" sweep scenarios/correlated-delivery.yaml --trials 2000 \
    --set 'ai-team/team.tokens.monthly=10000:60000:3' --metric cost_total.mean

# a stop-loss rule of 'offshore' hands over to 'consultants': sweeping the
# consultants leaves offshore's own figures (rules are reported beside them)
same "stop-loss then: the swept alternative" sweep scenarios/envelope.yaml --trials 2000 \
    --set 'consultants/si.monthly_fee=60000:120000:3' --metric blended_cost.mean

# no --between: crossings of each alternative against the baseline
same "crossings against the baseline, baseline cached" sweep scenarios/offshore-vs-ai.yaml --trials 2000 \
    --set 'ai-team/team.headcount=2:6:3' --metric blended_cost.mean
same "crossings against the baseline, the baseline swept" sweep scenarios/offshore-vs-ai.yaml --trials 2000 \
    --set 'offshore/pod.hourly_rate=60:100:3' --metric blended_cost.mean

# the cache and the thread count
limit 300 "$CAPMIX" breakeven "$TB" --trials 1000 --x 'ai-team/team.tokens.monthly=10000:120000:4' \
    --threads 1 --no-plots -o "$tmp/t1" >/dev/null 2>&1
limit 300 "$CAPMIX" breakeven "$TB" --trials 1000 --x 'ai-team/team.tokens.monthly=10000:120000:4' \
    --threads 2 --no-plots -o "$tmp/t2" >/dev/null 2>&1
if [ -s "$tmp/t1/breakeven.csv" ] && cmp -s "$tmp/t1/breakeven.csv" "$tmp/t2/breakeven.csv"; then
    ok "cached break-even: the same bytes on 1 and 2 threads"
else
    not_ok "cached break-even: the same bytes on 1 and 2 threads"
fi

finish
