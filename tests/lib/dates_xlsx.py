"""dates_xlsx.py DIR: report.xlsx of the same dated run holds the delivery
P50 as an Excel date serial on the Comparison sheet, and the Burn sheet a
"Fiscal quarter" column starting at FY2026 Q3.  Prints "ok".
"""
import datetime as dt, json, math, sys
sys.path.insert(0, "tests/lib")
import xlsxcheck
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
order, sheets = xlsxcheck.read_book(d + "/report.xlsx")
comp = sheets["Comparison"]
hdr = {v: c for (r, c), (t, v) in comp.items() if r == 0}
col = hdr["Delivery date, P50"]
for i, a in enumerate(s["alternatives"]):
    want = dt.date(2026, 1, 5) + dt.timedelta(days=math.floor(a["metrics"]["delivery_day"]["p50"]))
    serial = (want - dt.date(1899, 12, 30)).days
    assert comp.get((i + 1, col)) == ("n", float(serial)), (a["name"], comp.get((i + 1, col)), serial)
burn = sheets["Burn"]
assert burn[(0, 9)] == ("s", "Fiscal quarter"), burn.get((0, 9))
assert burn[(1, 9)] == ("s", "FY2026 Q3"), burn.get((1, 9))
print("ok")
