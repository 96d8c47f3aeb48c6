"""bid_nulls.py SUMMARY: in a `capmix run` of fixed-bid-offer.yaml the
alternative partner-fixed-bid has kind fixed_bid, and passes, rework,
superseded, cycle time and flow efficiency are null in every trial
(a fixed bid has none of them: model §4).
"""
import json, sys
d = json.load(open(sys.argv[1]))
bids = [a for a in d["alternatives"] if a["name"] == "partner-fixed-bid"]
if len(bids) != 1:
    sys.exit("no alternative partner-fixed-bid")
a = bids[0]
bad = []
if a.get("kind") != "fixed_bid":
    bad.append("kind is %r, want \"fixed_bid\"" % a.get("kind"))
for m in ("passes", "rework_passes", "superseded", "cycle_days", "flow_efficiency"):
    n = a["metrics"].get(m, {}).get("n_null")
    if n != d["trials"]:
        bad.append("%s: n_null %r, want the trial count %r" % (m, n, d["trials"]))
if bad:
    sys.exit("\n".join(bad))
