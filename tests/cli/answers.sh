#!/bin/sh
# CLI tests for decision integrity (model §5, §6): the answer every
# command states in summary.json and leads its reports with.  POSIX sh, from
# the repository root; last line "cli: N passed, M failed".
set -u
LC_ALL=C.UTF-8
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-answers.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# py DESC DIR PROGRAM: run a python check on DIR/summary.json (d) and DIR
py() {
    desc=$1 dir=$2 prog=$3
    if out=$(python3 tests/lib/summary_assert.py "$dir" "$prog" 2>&1); then ok "$desc"; else not_ok "$desc" "$out"; fi
}

# run-rate: ranked per accepted outcome, the incremental figure beside it
"$BIN" run scenarios/ai-team-run-rate.yaml --trials 20000 -q -o "$T/ai" >/dev/null 2>"$T/err" || not_ok "run ai-team-run-rate" "$(cat "$T/err")"
py "run-rate: the answer is the team with agents, on cost per accepted outcome" "$T/ai" '
a = d["answer"]
assert a["alternative"] == "with-agents" and a["runner_up"] == "before-agents", a
assert a["metric"] == "cost_per_accepted_outcome", a
w = alt("with-agents")
assert w["metrics"]["cost_total"]["mean"] > alt("before-agents")["metrics"]["cost_total"]["mean"]'
py "run-rate: incremental cost per accepted outcome is 15,500 within 5 SE, with its SE" "$T/ai" '
i = alt("with-agents")["vs_baseline"]["incremental_cost_per_accepted_outcome"]
assert i["not_applicable"] is None and i["se"] > 0, i
assert abs(i["value"] - 15500) < 5 * i["se"], i
assert alt("with-agents")["spreadsheet"]["incremental_cost_per_outcome"] == 15500'
py "cost_per_accepted_outcome is the ratio of totals, with an SE" "$T/ai" '
for a in d["alternatives"]:
    c, m = a["cost_per_accepted_outcome"], a["metrics"]
    r = m["cost_total"]["mean"] / m["accepted"]["mean"]
    assert abs(c["value"] - r) <= 1e-9 * r and c["se"] > 0, (a["name"], c, r)'
py "report.html and report.md lead with the answer sentence of summary.json" "$T/ai" '
s = d["answer"]["sentence"]
assert html.escape(s, quote=True).replace("&#x27;", "&#39;") in page("report.html")
assert ("**" + s + "**") in page("report.md")'

# backlog: an alternative that never delivers is never the answer
cat >"$T/nd.yaml" <<'EOF2'
capmix: 1
seed: 11
work: {outcomes: 12, horizon_days: 200, target_day: 60, cost_of_delay: {per_day: 500}}
alternatives:
  - name: steady
    sources: [{kind: in_house, headcount: 3, loaded_annual: 240000, throughput_per_month: 4}]
  - name: cheap-slow
    sources: [{kind: in_house, headcount: 1, loaded_annual: 60000, throughput_per_month: 0.3}]
EOF2
"$BIN" run "$T/nd.yaml" --trials 4000 -q -o "$T/nd" >/dev/null 2>"$T/err" || not_ok "run the non-delivery scenario" "$(cat "$T/err")"
py "backlog: the cheap alternative that never delivers is left out, with its delivery probability" "$T/nd" '
a = d["answer"]
assert alt("cheap-slow")["metrics"]["blended_cost"]["mean"] < alt("steady")["metrics"]["blended_cost"]["mean"]
assert a["alternative"] == "steady" and a["metric"] == "blended_cost", a
assert "'"'"'cheap-slow'"'"' is left out: it delivers by day 200 in 0% of trials" in a["sentence"], a
assert alt("cheap-slow")["p_delivered"] < 0.01'
py "backlog: report.md marks a blended cost with undelivered trials as a lower bound" "$T/nd" '
md = page("report.md")
assert "P(delivered by the horizon)" in md and ">= " in md and "lower bound" in md'

# a horizon before the target day is warned about at load
sed 's/target_day: 60/target_day: 250/' "$T/nd.yaml" >"$T/late.yaml"
if "$BIN" validate "$T/late.yaml" 2>&1 | grep -q "horizon_days (200) is not after work.target_day"; then
    ok "validate warns when the horizon is not after the target day"
else
    not_ok "validate warns when the horizon is not after the target day" "$("$BIN" validate "$T/late.yaml" 2>&1 | head -5)"
fi

# envelope: no rule is best by abandoning scope; a fallback is judged on the full scope
"$BIN" envelope scenarios/envelope.yaml --trials 8000 --no-plots -q -o "$T/env" >/dev/null 2>"$T/err" || not_ok "envelope" "$(cat "$T/err")"
py "envelope: the best rule delivers the scope (hand-over), never an abandoning one that delivers less" "$T/env" '
e = d["envelope"]
assert e["answer"]["sentence"] == e["summary"][0]
for a in e["alternatives"]:
    rules = {r["name"]: r for r in a["stop_loss"]}
    b = a["best_rule"]
    if b is None: continue
    r = rules[b]
    assert r["gain"] > 2 * r["gain_se"], r
    if r["accepted_with"] < r["accepted_without"] - 1e-9:
        assert r["criterion"] == "blended_per_accepted" and r["blended_per_accepted_with"] < r["blended_per_accepted_without"], r
off = [a for a in e["alternatives"] if a["name"] == "offshore"][0]
assert off["best_rule"] == "overrun-hand-over", off["best_rule"]
h = [r for r in off["stop_loss"] if r["name"] == "overrun-hand-over"][0]
assert h["then"] == "consultants" and abs(h["accepted_with"] - 24) < 1e-9 and h["criterion"] == "blended_cost", h'

# bid: the verdict flips at a stated tolerance; the market and the table are in both reports
"$BIN" bid scenarios/fixed-bid-offer.yaml --trials 8000 --no-plots -q -o "$T/bid" >/dev/null 2>"$T/err" || not_ok "bid" "$(cat "$T/err")"
py "bid: the verdict states its flip tolerance and the break-even at R/2, R, 2R; answer in summary.json" "$T/bid" '
b = d["bid"]
v = b["verdicts"][0]
assert v["flip_risk_tolerance"] > 0 and len(v["break_even_at"]) == 3, v
assert b["answer"]["sentence"] == b["verdict"][0]
assert "The verdict flips at a risk tolerance of" in b["verdict"][0]
be = [x["break_even_price"] for x in v["break_even_at"]]
assert be[0] > be[1] > be[2], be  # a more risk-averse sponsor pays more for certainty'
py "bid: report.html and report.md carry the bid table, the meaning of R and the market's answer" "$T/bid" '
h, m = page("report.html"), page("report.md")
assert "id=\"market\"" in h and "Howard" in h and "id=\"bid\"" in h
assert "## Fixed bid" in m and "### The market" in m and "Howard" in m'
finish
