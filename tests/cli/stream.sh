#!/bin/sh
# CLI tests for `capmix run --stream` and correlated inputs: exit codes,
# messages, outputs, thread-count identity.  POSIX sh, from the repository
# root; last line "cli: N passed, M failed" (see tests/run-all.sh).
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-stream.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

S=scenarios/offshore-vs-ai.yaml

# --- --stream -------------------------------------------------------------
expect_rc "run --stream succeeds" 0 "$BIN" run "$S" --stream --trials 20000 --threads 1 -q -o "$T/s1"
expect_rc "run --stream on 2 threads succeeds" 0 "$BIN" run "$S" --stream --trials 20000 --threads 2 -q -o "$T/s2"
for f in summary.json run.log report.html report.md; do
    if [ -s "$T/s1/$f" ]; then ok "--stream writes $f"; else not_ok "--stream writes $f"; fi
done
if ls "$T/s1" | grep -q '\.png$\|\.dat$\|trials.csv'; then
    not_ok "--stream writes no per-trial data or charts" "$(ls "$T/s1")"
else
    ok "--stream writes no per-trial data or charts"
fi
# identical but for the manifest's threads and elapsed time
grep -v '"threads"\|"elapsed_seconds"' "$T/s1/summary.json" >"$T/a"
grep -v '"threads"\|"elapsed_seconds"' "$T/s2/summary.json" >"$T/b"
if cmp -s "$T/a" "$T/b"; then ok "--stream: bit-identical on 1 and 2 threads"; else
    not_ok "--stream: bit-identical on 1 and 2 threads" "$(diff "$T/a" "$T/b" | head -5)"; fi
if grep -q '"estimated": "p5, p10' "$T/s1/summary.json" && grep -q 'streamed (--stream)' "$T/s1/run.log"; then
    ok "--stream: summary.json and run.log say which figures are estimated"
else
    not_ok "--stream: summary.json and run.log say which figures are estimated"
fi
# the means of a streamed run equal a plain run's (to the printed digits)
"$BIN" run "$S" --trials 20000 --threads 2 -q -o "$T/plain" >/dev/null 2>&1
m1=$(grep -m1 '"mean"' "$T/s1/summary.json" | tr -d ' ,')
m2=$(grep -m1 '"mean"' "$T/plain/summary.json" | tr -d ' ,')
a=$(printf '%s' "$m1" | sed 's/.*://'); b=$(printf '%s' "$m2" | sed 's/.*://')
if awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-9 * (b < 0 ? -b : b)) }'; then
    ok "--stream: the first mean equals the plain run's ($a)"
else
    not_ok "--stream: the first mean equals the plain run's" "$a vs $b"
fi
expect_rc "--stream with --export-trials is a usage error" 2 "$BIN" run "$S" --stream --export-trials -o "$T/x"
grep_err "--stream with --export-trials says why" "keeps no per-trial data"
if [ -e "$T/x" ]; then not_ok "--stream usage error writes nothing"; else ok "--stream usage error writes nothing"; fi
expect_rc "--stream with --precision is a usage error" 2 "$BIN" run "$S" --stream --precision 1%
expect_rc "--stream belongs to run, not bid" 2 "$BIN" bid scenarios/fixed-bid-offer.yaml --stream
grep_err "bid --stream names the option" "'--stream' belongs to 'capmix run'"
expect_rc "--stream on a scenario with a bid runs (no bid section)" 0 "$BIN" run scenarios/fixed-bid-offer.yaml --stream --trials 5000 -q
if "$BIN" run --help | grep -q -- '--stream'; then ok "run --help documents --stream"; else not_ok "run --help documents --stream"; fi

# --- correlations ---------------------------------------------------------
C=scenarios/correlated-delivery.yaml
expect_rc "a scenario with correlations validates" 0 "$BIN" validate "$C"
if grep -q '^correlated: offshore/pod.throughput ~ partner-fixed-bid.fixed_bid.delivery_days: rank -0.50' "$T/out"; then
    ok "validate prints the correlations"; else not_ok "validate prints the correlations" "$(grep -i correl "$T/out")"; fi
expect_rc "bid on the correlated scenario succeeds" 0 "$BIN" bid "$C" --trials 4000 -q -o "$T/cb"
if grep -q '"copula_pearson"' "$T/cb/summary.json"; then ok "summary.json records the correlations"; else
    not_ok "summary.json records the correlations"; fi
expect_rc "tornado reports rank correlations" 0 "$BIN" tornado scenarios/offshore-vs-ai.yaml --alternative ai-team --trials 3000 -o "$T/tor"
if grep -q 'rank corr' "$T/out" && head -1 "$T/tor/tornado.csv" | grep -q '"spearman"'; then
    ok "tornado prints and writes the rank correlation"; else not_ok "tornado prints and writes the rank correlation"; fi
thr=$(grep 'ai-team/team.throughput_per_month' "$T/tor/tornado.csv" | awk -F, '{print $NF}' | tr -d '\r')
if awk -v r="$thr" 'BEGIN { exit !(r < -0.2) }'; then
    ok "throughput's rank correlation with cost per outcome is negative ($thr)"
else
    not_ok "throughput's rank correlation with cost per outcome is negative" "got '$thr'"
fi

finish
