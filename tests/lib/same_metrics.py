"""same_metrics.py FULL LESS: the summary.json LESS, of a copy of a
scenario with one alternative removed, has one alternative fewer than
FULL and the same metrics for each one it kept.
"""
import json, sys
full = {a["name"]: a for a in json.load(open(sys.argv[1]))["alternatives"]}
less = json.load(open(sys.argv[2]))["alternatives"]
if len(less) != len(full) - 1:
    sys.exit("the copy has %d alternatives, want %d" % (len(less), len(full) - 1))
for a in less:
    if a["metrics"] != full[a["name"]]["metrics"]:
        bad = [m for m in a["metrics"] if a["metrics"][m] != full[a["name"]]["metrics"][m]]
        sys.exit("%s: metrics differ: %s" % (a["name"], ", ".join(bad)))
