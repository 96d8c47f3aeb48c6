"""sweep_section.py SWEEP_JSON PATH METRIC.STAT N LO HI: sweep.json names
the parameter PATH, the metric and statistic, and holds N values from
LO to HI (a sweep whose question came from the scenario's sweep:
section).
"""
import json, sys
d = json.load(open(sys.argv[1]))
want = {"parameter": sys.argv[2], "metric": sys.argv[3].split(".")[0], "statistic": sys.argv[3].split(".")[1]}
bad = ["%s %r, want %r" % (k, d.get(k), v) for k, v in want.items() if d.get(k) != v]
n, lo, hi = int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
v = d.get("values")
if not isinstance(v, list) or len(v) != n or v[0] != lo or v[-1] != hi:
    bad.append("values %r, want %d from %r to %r" % (v, n, lo, hi))
sys.exit("\n".join(bad))
