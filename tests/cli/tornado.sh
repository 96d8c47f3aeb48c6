#!/bin/sh
# CLI tests for `capmix tornado`: the widest swings of the shipped
# offshore-vs-ai scenario, its files, its usage errors.
#
# POSIX sh (runs under dash), from the repository root; prints "ok - ..." or
# "not ok - ..." per check and, last, "cli: N passed, M failed" (see
# tests/run-all.sh and tests/lib/cli.sh).
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh
cli_setup tornado

cm 120 tornado scenarios/offshore-vs-ai.yaml --alternative offshore --trials 2000 -o "$tmp/tor" \
    >"$tmp/o" 2>"$tmp/e"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit $rc
"
head -n 3 "$tmp/o" | tail -n 1 | grep -q 'offshore/pod.throughput' || why="${why}the pod's observed throughput (its posterior) is not the widest swing
"
grep -q 'offshore/pod.outcomes.accepted' "$tmp/o" || why="${why}the pod's observed acceptance is not swung
"
grep -q 'offshore/pod.review_wait_days' "$tmp/o" || why="${why}the review wait is not swung
"
[ -s "$tmp/tor/tornado.csv" ] && [ -s "$tmp/tor/tornado.json" ] || why="${why}no tornado.csv/json
"
check "tornado ranks the pod's observed throughput first on cost per outcome, and swings its acceptance and review wait" "$why" "$tmp/o" "$tmp/e"
usage_error "tornado with an unknown alternative" "no alternative 'ofshore' (did you mean 'offshore'?)" tornado scenarios/offshore-vs-ai.yaml --alternative ofshore
usage_error "tornado with a bad metric" "unknown metric" tornado scenarios/offshore-vs-ai.yaml --metric nope.mean
cm 20 tornado --help >"$tmp/o" 2>"$tmp/e"
check "tornado --help" "$(grep -q 'usage: capmix tornado' "$tmp/o" || echo 'no usage')" "$tmp/o"

finish
