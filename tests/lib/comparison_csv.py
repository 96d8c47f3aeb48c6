"""comparison_csv.py DIR: DIR/comparison.csv has one row per alternative of
DIR/summary.json, in its order, with the same figures to the bit.
"""
import csv, json, sys
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
rows = list(csv.DictReader(open(d + "/comparison.csv", newline="")))
assert [r["alternative"] for r in rows] == [a["name"] for a in s["alternatives"]], "alternatives"
for r, a in zip(rows, s["alternatives"]):
    assert float(r["cost_total_mean"]) == a["metrics"]["cost_total"]["mean"], r["alternative"]
    assert float(r["blended_cost_p90"]) == a["metrics"]["blended_cost"]["p90"], r["alternative"]
    assert (r["cost_total_diff"] == "") == a["baseline"], r["alternative"]
