"""bid_check.py FILE CHECK [ARG...]: checks of the "bid" section of a
capmix summary.json (capmix bid, model section 8, resolutions 11-13);
exit 0 when they hold, otherwise the problems on stderr.

                   blended_cost}, each with its figures; "market", "verdict"
  identities       risk_premium = E[bid] - E[mix], break_even_price_neutral
                   = price_mean + E[mix] - E[bid], p_mix_cheaper in [0, 1],
                   P50 <= P90 <= P95 <= CVaR95, CE >= mean (Jensen)
  neutral          risk_adjusted = mean, break-even = break-even at neutrality
  cvar             risk_adjusted = cvar95 (risk_measure cvar at 0.95)
  market MARGIN    partner_margin and implied_partner_cost = price / (1 + M)
  crossed BID MIX METRIC   CE(bid) = CE(mix) on that pair (after the price
                   was set to the break-even price)
  break_even BID MIX METRIC   prints that pair's break_even_price
  verdict STDOUT METRIC   the verdict lines of STDOUT are "verdict: " + the
                   "verdict" strings + "."; the amounts they quote are the
                   JSON's, in the sentence's $k/$M format; the mix named is
                   the best one on METRIC (lowest risk-adjusted cost)
"""
import json, math, re, sys
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
if "bid" not in d or not isinstance(d["bid"], dict):
    sys.exit("summary.json has no \"bid\" object")
b = d["bid"]
pairs = b.get("pairs")
if not isinstance(pairs, list) or not pairs:
    sys.exit("bid.pairs is missing or empty")
sides = ("bid_figures", "mix_figures")
figs = ("mean", "p50", "p90", "p95", "cvar95", "risk_adjusted")
def pname(p):
    return "%s vs %s on %s" % (p.get("bid"), p.get("mix"), p.get("metric"))
def price_of(bid):
    for m in b.get("market", []):
        if m.get("bid") == bid:
            return num(m["price_mean"])
    raise SystemExit("bid.market has no entry for %r" % bid)
def find(bid, mix, metric):
    hits = [p for p in pairs if (p.get("bid"), p.get("mix"), p.get("metric")) == (bid, mix, metric)]
    if len(hits) != 1:
        raise SystemExit("%d pairs %s vs %s on %s, want 1" % (len(hits), bid, mix, metric))
    return hits[0]
verdicts = b.get("verdict")
if isinstance(verdicts, str):
    verdicts = [verdicts]
bad = []
if what == "pairs":
    alts = d["alternatives"]
    bids = [a["name"] for a in alts if a.get("kind") == "fixed_bid"]
    mixes = [a["name"] for a in alts if a.get("kind") != "fixed_bid"]
    if not bids or not mixes:
        sys.exit("bids %r, mixes %r" % (bids, mixes))
    want = 2 * len(bids) * len(mixes)
    if len(pairs) != want:
        bad.append("%d pairs, want %d (bids x mixes x 2 metrics)" % (len(pairs), want))
    for bi in bids:
        price_of(bi)
        for mi in mixes:
            for metric in ("cost_total", "blended_cost"):
                try:
                    p = find(bi, mi, metric)
                except SystemExit as e:
                    bad.append(str(e))
                    continue
                for s in sides:
                    for k in figs:
                        try:
                            num(p[s][k])
                        except (KeyError, TypeError, SystemExit):
                            bad.append("%s: no number %s.%s" % (pname(p), s, k))
                for k in ("p_mix_cheaper", "risk_premium", "break_even_price", "break_even_price_neutral"):
                    try:
                        num(p[k])
                    except (KeyError, SystemExit):
                        bad.append("%s: no number %s" % (pname(p), k))
    if not isinstance(b.get("market"), list) or len(b["market"]) != len(bids):
        bad.append("bid.market is not a list with an entry per fixed bid")
    if not verdicts or not all(isinstance(v, str) and v for v in verdicts):
        bad.append("bid.verdict is missing or empty")
elif what == "identities":
    for p in pairs:
        bf, mf = p["bid_figures"], p["mix_figures"]
        price = price_of(p["bid"])
        rp, ben = num(p["risk_premium"]), num(p["break_even_price_neutral"])
        if not close(rp, num(bf["mean"]) - num(mf["mean"]), 1e-6):
            bad.append("%s: risk_premium %r != %r - %r" % (pname(p), rp, bf["mean"], mf["mean"]))
        if not close(ben, price + num(mf["mean"]) - num(bf["mean"]), 1e-6):
            bad.append("%s: break_even_price_neutral %r != %r + %r - %r" % (pname(p), ben, price, mf["mean"], bf["mean"]))
        pc = num(p["p_mix_cheaper"])
        if not 0 <= pc <= 1:
            bad.append("%s: p_mix_cheaper %r outside [0, 1]" % (pname(p), pc))
        for s in sides:
            q = [num(p[s][k]) for k in ("p50", "p90", "p95", "cvar95")]
            if q != sorted(q):
                bad.append("%s: %s P50, P90, P95, CVaR95 not in order: %r" % (pname(p), s, q))
            if b.get("risk_measure") == "ce" and num(p[s]["risk_adjusted"]) < num(p[s]["mean"]) * (1 - 1e-12):
                bad.append("%s: %s certainty equivalent %r below the mean %r" % (pname(p), s, p[s]["risk_adjusted"], p[s]["mean"]))
elif what in ("neutral", "cvar"):
    ref = "mean" if what == "neutral" else "cvar95"
    for p in pairs:
        for s in sides:
            if not close(num(p[s]["risk_adjusted"]), num(p[s][ref]), 1e-9):
                bad.append("%s: %s risk_adjusted %r != %s %r" % (pname(p), s, p[s]["risk_adjusted"], ref, p[s][ref]))
        if what == "neutral" and not close(num(p["break_even_price"]), num(p["break_even_price_neutral"]), 1e-9):
            bad.append("%s: break_even_price %r != break_even_price_neutral %r" % (pname(p), p["break_even_price"], p["break_even_price_neutral"]))
elif what == "market":
    m = float(args[0])
    if not close(num(b.get("partner_margin")), m, 1e-12):
        bad.append("partner_margin %r, want %r" % (b.get("partner_margin"), m))
    for e in b["market"]:
        if not close(num(e["implied_partner_cost"]), num(e["price_mean"]) / (1 + m), 1e-9):
            bad.append("%s: implied_partner_cost %r, want %r / %r" % (e["bid"], e["implied_partner_cost"], e["price_mean"], 1 + m))
elif what == "crossed":
    p = find(*args)
    ce_b, ce_m = num(p["bid_figures"]["risk_adjusted"]), num(p["mix_figures"]["risk_adjusted"])
    if not close(ce_b, ce_m, 1e-6):
        bad.append("%s: CE(bid) %r != CE(mix) %r at the break-even price" % (pname(p), ce_b, ce_m))
elif what == "break_even":
    print(repr(num(find(*args)["break_even_price"])))
elif what == "verdict":
    out, metric = args
    cur = d.get("currency", "USD")
    sym = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3"}.get(cur)
    def money(v):
        a = abs(v)
        if math.isinf(v):
            n = "infinity"
        else:
            if a >= 999.5e3:
                n = "%.2fM" % (a / 1e6)
            elif a >= 99.95e3:
                n = "%.0fk" % (a / 1e3)
            elif a >= 999.5:
                n = "%.1fk" % (a / 1e3)
            else:
                n = "%.0f" % a
        return ("-" if v < 0 else "") + (sym if sym else cur + " ") + n
    lines = [l[len("verdict: "):] for l in open(out, encoding="utf-8").read().splitlines() if l.startswith("verdict: ")]
    want = [v + "." for v in verdicts]
    if lines != want:
        sys.exit("stdout verdicts %r\n!= summary.json verdicts + \".\" %r" % (lines, want))
    q = chr(39)
    rx = re.compile("^(?:At a risk tolerance of (\\S+)|At risk neutrality|With CVaR(\\d+) as the risk measure) "
                    "the offer Q(.+)Q \\((\\S+)\\) is (\\S+) (above|below) the break-even price of (\\S+) "
                    "against Q(.+)Q, the best in-house option on (blended cost|total cost): "
                    "(negotiate or build|signing transfers the risk for less than carrying it would cost)"
                    "(?:\\. The verdict (?:flips|is the same) .*)?$".replace("Q", q))
    R = num(b["risk_tolerance"]) if b.get("risk_tolerance") is not None else float("inf")
    for v in verdicts:
        m = rx.match(v)
        if not m:
            bad.append("verdict not in the expected form: %r" % v)
            continue
        tol, lvl, bid, offer, gap, side, be, mix, on, advice = m.groups()
        on_want = {"cost_total": "total cost", "blended_cost": "blended cost"}[metric]
        if on != on_want:
            bad.append("verdict on %r, want %r" % (on, on_want))
            continue
        p = find(bid, mix, metric)
        price, bep = price_of(bid), num(p["break_even_price"])
        if b.get("risk_measure") == "cvar":
            if lvl is None or abs(int(lvl) - 100 * num(b["cvar_level"])) > 1e-9:
                bad.append("verdict does not name CVaR%.0f: %r" % (100 * num(b["cvar_level"]), v))
        elif math.isinf(R):
            if tol is not None or lvl is not None:
                bad.append("verdict does not say risk neutrality: %r" % v)
        elif tol != money(R):
            bad.append("verdict quotes the risk tolerance as %s, want %s (%r)" % (tol, money(R), R))
        if offer != money(price):
            bad.append("verdict quotes the offer as %s, want %s (price_mean %r)" % (offer, money(price), price))
        if be != money(bep):
            bad.append("verdict quotes the break-even price as %s, want %s (%r)" % (be, money(bep), bep))
        if gap != money(abs(price - bep)):
            bad.append("verdict quotes the gap as %s, want %s (%r)" % (gap, money(abs(price - bep)), price - bep))
        if (side == "above") != (price > bep):
            bad.append("verdict says %r, but price %r vs break-even %r" % (side, price, bep))
        if (advice == "negotiate or build") != (side == "above"):
            bad.append("advice %r does not follow from %r" % (advice, side))
        best = min((x for x in pairs if x["bid"] == bid and x["metric"] == metric),
                   key=lambda x: num(x["mix_figures"]["risk_adjusted"]))
        if best["mix"] != mix:
            bad.append("verdict names %r, but %r has the lowest risk-adjusted %s" % (mix, best["mix"], metric))
else:
    sys.exit("bid_check.py: unknown check " + what)
if bad:
    sys.exit("\n".join(bad[:10]))
