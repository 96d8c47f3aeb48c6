"""env_check.py FILE CHECK [ARG...]: checks of the "envelope" section of a
capmix summary.json (capmix envelope, model section 9, resolutions
19-23); exit 0 when they hold, otherwise the problems on stderr.

                     0.9, 0.95, each with value inside ci90 [lo, hi];
                     "envelope" at p CONF, equal to the cost_total entry
                     at CONF (and to metrics.cost_total.p90/p95 at 0.9/
                     0.95) to 1e-9 relative; its stop_loss rules are
                     RULES ("alt=r1,r2;alt2=r3", others none), each with
                     p_stop in [0,1] = n_stopped / trials, false_stops <=
                     n_stopped, spend_with <= spend_without = mean total
                     cost, median_month and loss_avoided_per_stop null
                     exactly when nothing stops
  sentences STDOUT   "summary": a sentence for the baseline and for every
                     alternative with rules, in order, each on a line of
                     STDOUT followed by "."
  review STDOUT MONTH SPENT ACCEPTED ALT   "actuals" as given, for ALT; a
                     "review" (track's re-forecast): cost_total P10 <= P50
                     <= P90, each at least SPENT; the advice printed on
                     STDOUT; the action follows the advice rule
                     (model §18.23); no per-alternative "review" any more
  rule ALT RULE KEY=VALUE...   exact figures of one rule ("null" for null)
  no_envelope        summary.json has no "envelope" key
  with_bid           summary.json has a "bid" object and an envelope for
                     every alternative, the fixed bid with no rules
"""
import json, math, sys
f, what, args = sys.argv[1], sys.argv[2], sys.argv[3:]
d = json.load(open(f))
def num(x):
    if isinstance(x, str) and x in ("Infinity", "-Infinity"):
        return float(x)
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        raise SystemExit("not a number: %r" % (x,))
    return float(x)
def close(a, b, rel):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))
if what == "no_envelope":
    if "envelope" in d:
        sys.exit("summary.json has an \"envelope\" key")
    sys.exit(0)
e = d.get("envelope")
if not isinstance(e, dict):
    sys.exit("summary.json has no \"envelope\" object")
alts = e.get("alternatives")
if not isinstance(alts, list):
    sys.exit("envelope.alternatives is not a list")
byname = {a.get("name"): a for a in alts}
names = [a["name"] for a in d["alternatives"]]
metrics = {a["name"]: a["metrics"] for a in d["alternatives"]}
def get(alt):
    if alt not in byname:
        raise SystemExit("envelope.alternatives has no %r" % alt)
    return byname[alt]
def rule(alt, name):
    hits = [r for r in get(alt).get("stop_loss", []) if r.get("name") == name]
    if len(hits) != 1:
        raise SystemExit("%s: %d stop_loss rules named %r, want 1" % (alt, len(hits), name))
    return hits[0]
def stdout_lines(p):
    return open(p, encoding="utf-8").read().splitlines()
bad = []
if what == "shape":
    conf, spec = float(args[0]), args[1]
    want_rules = {}
    for part in spec.split(";"):
        if part:
            k, v = part.split("=")
            want_rules[k] = v.split(",")
    if e.get("confidence") != conf:
        bad.append("confidence %r, want %r" % (e.get("confidence"), conf))
    if [a.get("name") for a in alts] != names:
        bad.append("envelope.alternatives %r, want %r" % ([a.get("name") for a in alts], names))
    for a in alts:
        n = a.get("name")
        for key in ("cost_total", "blended_cost"):
            qs = a.get(key)
            if not isinstance(qs, list) or len(qs) != 3:
                bad.append("%s: %s is not a list of 3 quantiles" % (n, key))
                continue
            if [q.get("p") for q in qs] != [0.8, 0.9, 0.95]:
                bad.append("%s: %s at p %r, want [0.8, 0.9, 0.95]" % (n, key, [q.get("p") for q in qs]))
            for q in qs:
                v, ci = num(q["value"]), q.get("ci90")
                if not isinstance(ci, list) or len(ci) != 2:
                    bad.append("%s: %s p %r: ci90 is not [lo, hi]" % (n, key, q.get("p")))
                elif not num(ci[0]) <= v <= num(ci[1]):
                    bad.append("%s: %s p %r: value %r outside ci90 %r" % (n, key, q.get("p"), v, ci))
            vals = [num(q["value"]) for q in qs]
            if vals != sorted(vals):
                bad.append("%s: %s P80, P90, P95 not in order: %r" % (n, key, vals))
        env = a.get("envelope")
        if not isinstance(env, dict) or env.get("p") != conf:
            bad.append("%s: envelope is not at p %r: %r" % (n, conf, env))
            continue
        at = [q for q in a["cost_total"] if q.get("p") == conf]
        if at and (not close(num(env["value"]), num(at[0]["value"]), 1e-9) or env.get("ci90") != at[0].get("ci90")):
            bad.append("%s: envelope %r != the cost_total entry at p %r: %r" % (n, env, conf, at[0]))
        key = {0.9: "p90", 0.95: "p95"}.get(conf)
        if key and not close(num(env["value"]), num(metrics[n]["cost_total"][key]), 1e-9):
            bad.append("%s: envelope %r != metrics.cost_total.%s %r" % (n, env["value"], key, metrics[n]["cost_total"][key]))
        rules = a.get("stop_loss")
        if not isinstance(rules, list):
            bad.append("%s: stop_loss is not a list" % n)
            continue
        if [r.get("name") for r in rules] != want_rules.get(n, []):
            bad.append("%s: stop_loss rules %r, want %r" % (n, [r.get("name") for r in rules], want_rules.get(n, [])))
        br = a.get("best_rule", "missing")
        if br is not None and br not in [r.get("name") for r in rules]:
            bad.append("%s: best_rule %r is not one of its rules" % (n, br))
        trials = d["trials"]
        for r in rules:
            rn = "%s/%s" % (n, r.get("name"))
            p, ns, fs = num(r["p_stop"]), r.get("n_stopped"), r.get("false_stops")
            if not 0 <= p <= 1:
                bad.append("%s: p_stop %r outside [0, 1]" % (rn, p))
            if not isinstance(ns, int) or not isinstance(fs, int) or isinstance(ns, bool):
                bad.append("%s: n_stopped %r, false_stops %r are not integers" % (rn, ns, fs))
                continue
            if abs(ns / trials - p) > 1e-12:
                bad.append("%s: n_stopped/trials = %r/%r != p_stop %r" % (rn, ns, trials, p))
            if not 0 <= fs <= ns:
                bad.append("%s: false_stops %r not in [0, n_stopped %r]" % (rn, fs, ns))
            sw, swo = num(r["spend_with"]), num(r["spend_without"])
            if r.get("then") == "abandon" and sw > swo:
                bad.append("%s: spend_with %r > spend_without %r although it abandons the rest" % (rn, sw, swo))
            if r.get("then") != "abandon" and num(r["accepted_with"]) < num(r["accepted_without"]) - 1e-9 and r.get("criterion") != "blended_per_accepted":
                bad.append("%s: delivers less with its fallback but is not judged per accepted outcome" % rn)
            if not close(swo, num(metrics[n]["cost_total"]["mean"]), 1e-9):
                bad.append("%s: spend_without %r != mean cost_total %r" % (rn, swo, metrics[n]["cost_total"]["mean"]))
            num(r["blended_with"]), num(r["blended_without"])
            if not 0 <= num(r["delivered_with"]) <= 1:
                bad.append("%s: delivered_with %r outside [0, 1]" % (rn, r["delivered_with"]))
            for k in ("median_month", "loss_avoided_per_stop"):
                if (r.get(k) is None) != (ns == 0):
                    bad.append("%s: %s is %r with %d stops" % (rn, k, r.get(k), ns))
            if ns and not 1 <= num(r["median_month"]):
                bad.append("%s: median_month %r below 1" % (rn, r["median_month"]))
elif what == "sentences":
    out = stdout_lines(args[0])
    s = e.get("summary")
    if not isinstance(s, list) or not all(isinstance(x, str) and x for x in s):
        sys.exit("envelope.summary is not a list of sentences: %r" % (s,))
    base = [a["name"] for a in d["alternatives"] if a.get("baseline")]
    want = [a["name"] for a in alts if a.get("stop_loss") or a["name"] in base]
    q = chr(39)
    got = [x.split(q)[1] if x.count(q) >= 2 else None for x in s]
    if got != want:
        bad.append("summary sentences are about %r, want the baseline and every alternative with rules: %r" % (got, want))
    for x in s:
        if not x.startswith("Recommended envelope for " + q):
            bad.append("sentence does not start \"Recommended envelope for \": %r" % x)
    printed = [l for l in out if l.startswith("Recommended envelope for ")]
    if printed != [x + "." for x in s]:
        bad.append("stdout sentences %r\n!= summary + \".\" %r" % (printed, [x + "." for x in s]))
elif what == "review":
    out, month, spent, acc, alt = args[0], int(args[1]), float(args[2]), float(args[3]), args[4]
    lines = stdout_lines(out)
    ac = e.get("actuals")
    if not isinstance(ac, dict) or ac.get("month") != month or ac.get("spent") != spent or \
            ac.get("accepted") != acc or ac.get("alternative") != alt:
        bad.append("actuals %r, want %s at month %r, spent %r, accepted %r" % (ac, alt, month, spent, acc))
    for a in alts:
        if "review" in a:
            bad.append("%s: a per-alternative review object" % a["name"])
    rv = e.get("review")
    if not isinstance(rv, dict) or rv.get("alternative") != alt:
        bad.append("no review of %s: %r" % (alt, rv if not isinstance(rv, dict) else rv.get("alternative")))
    else:
        q = rv["forecast"]["cost_total"]
        if not (spent <= num(q["p10"]) <= num(q["p50"]) <= num(q["p90"])):
            bad.append("cost_total quantiles %r not ordered above the spend %r" % (q, spent))
        adv = rv["advice"]["sentence"]
        if not any(l.strip() == adv + "." for l in lines):
            bad.append("the advice is not on stdout: %r" % adv)
        fired = [r for r in rv["stop_loss"] if r["fires"]]
        c, p = num(rv["forecast"]["confidence"]), num(rv["forecast"]["p_within_envelope"])
        act = rv["advice"]["action"]
        if fired:
            want = ("transfer", "cut")
        elif p >= c:
            want = ("continue",)
        else:
            want = ("transfer", "cut", "increase")
        if act not in want:
            bad.append("action %r, want one of %r (P(within) %r, confidence %r, rules fired %r)" % (act, want, p, c, fired))
elif what == "rule":
    r = rule(args[0], args[1])
    for kv in args[2:]:
        k, v = kv.split("=", 1)
        got = r.get(k, "missing")
        if v == "null":
            if got is not None:
                bad.append("%s = %r, want null" % (k, got))
        elif got is None or got == "missing" or num(got) != float(v):
            bad.append("%s = %r, want %s" % (k, got, v))
elif what == "with_bid":
    if not isinstance(d.get("bid"), dict):
        bad.append("no \"bid\" object")
    if [a.get("name") for a in alts] != names:
        bad.append("envelope.alternatives %r, want %r" % ([a.get("name") for a in alts], names))
    for a in d["alternatives"]:
        if a.get("kind") == "fixed_bid" and get(a["name"]).get("stop_loss") != []:
            bad.append("%s: a fixed bid with stop_loss %r" % (a["name"], get(a["name"]).get("stop_loss")))
else:
    sys.exit("env_check.py: unknown check " + what)
if bad:
    sys.exit("\n".join(bad[:10]))
