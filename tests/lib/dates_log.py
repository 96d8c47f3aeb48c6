"""dates_log.py DIR: the run.log of a run of a dated envelope.yaml (start
2026-01-05, fiscal year from 1 July) states each alternative's delivery P50
and P90 as the dates and fiscal quarters Python's datetime computes from
summary.json.  Prints "ok".
"""
import datetime as dt, json, math, sys, zipfile
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
log = open(d + "/run.log").read()
start = dt.date(2026, 1, 5)
def fq(day):  # fiscal year from 07-01, named by its end year
    fy = day.year + 1 if day.month >= 7 else day.year
    q = ((day.month - 7) % 12) // 3 + 1
    return "FY%d Q%d" % (fy, q)
for a in s["alternatives"]:
    dd = a["metrics"]["delivery_day"]
    p50 = start + dt.timedelta(days=math.floor(dd["p50"]))
    p90 = start + dt.timedelta(days=math.floor(dd["p90"]))
    line = "  delivery P50 %s (%s), P90 %s (%s); day 0 is 2026-01-05" % (p50, fq(p50), p90, fq(p90))
    assert line in log, "missing for %s: %r" % (a["name"], line)
print("ok")
