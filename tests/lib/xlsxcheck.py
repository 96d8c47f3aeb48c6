#!/usr/bin/env python3
"""Read report.xlsx back with zipfile + xml (no spreadsheet library) and
check it against summary.json.  Usage:

    xlsxcheck.py DIR [--sheets S1,S2,...] [--name TEXT]

Prints one line per problem and exits 1 when there is any; prints
"xlsx ok: N cells checked" otherwise.  Checked: the workbook's sheets are
exactly --sheets, in order; no cell anywhere holds a formula; every
Comparison value equals summary.json's figure printed to the 16
significant digits libxlsxwriter writes; text cells are shared strings and
numbers number cells; with --name, the Answer sheet's A1 and the
Provenance scenario are that exact text, as a string cell.
"""
import json
import math
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1, int(ref[len(letters):]) - 1


def read_book(path):
    z = zipfile.ZipFile(path)
    if z.testzip() is not None:
        raise SystemExit("corrupt zip member")
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            strings.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.iter(REL + "Relationship")}
    sheets = {}
    order = []
    for sh in wb.find("m:sheets", NS):
        name = sh.get("name")
        rid = sh.get("{%s}id" % NS["r"])
        xml = ET.fromstring(z.read("xl/" + target[rid]))
        cells = {}
        for c in xml.iter("{%s}c" % NS["m"]):
            col, row = col_index(c.get("r"))
            t = c.get("t", "n")
            f = c.find("m:f", NS)
            v = c.find("m:v", NS)
            if f is not None:
                cells[(row, col)] = ("formula", f.text)
            elif t == "s":
                cells[(row, col)] = ("s", strings[int(v.text)])
            elif t == "b":
                cells[(row, col)] = ("b", v.text == "1")
            elif t == "n":
                cells[(row, col)] = ("n", float(v.text))
            else:
                cells[(row, col)] = (t, v.text if v is not None else None)
        sheets[name] = cells
        order.append(name)
    return order, sheets


def same16(a, b):
    """libxlsxwriter writes numbers with 16 significant digits (%.16G):
    equal to that precision, and no closer than the double it came from."""
    return float("%.16G" % b) == a


def main():
    args = sys.argv[1:]
    d = args[0]
    want_sheets = None
    name = None
    i = 1
    while i < len(args):
        if args[i] == "--sheets":
            want_sheets = args[i + 1].split(",")
            i += 2
        elif args[i] == "--name":
            name = args[i + 1]
            i += 2
        else:
            raise SystemExit("usage: xlsxcheck.py DIR [--sheets ...] [--name ...]")
    problems = []
    order, sheets = read_book(d + "/report.xlsx")
    summary = json.load(open(d + "/summary.json"))
    if want_sheets is not None and order != want_sheets:
        problems.append("sheets %s, want %s" % (order, want_sheets))
    for sname, cells in sheets.items():
        for (r, c), (t, v) in cells.items():
            if t == "formula":
                problems.append("%s R%dC%d holds a formula: %s" % (sname, r + 1, c + 1, v))
    comp = sheets.get("Comparison", {})
    header = {}
    for (r, c), (t, v) in comp.items():
        if r == 0:
            if t != "s":
                problems.append("Comparison header C%d is not text" % (c + 1))
            header[v] = c
    # label -> (metric, path into the metric's summary or vs_baseline)
    checks = {
        "Total cost, mean": ("metrics", "cost_total", "mean"),
        "Total cost, SE of mean": ("metrics", "cost_total", "se"),
        "Total cost, P10": ("metrics", "cost_total", "p10"),
        "Total cost, P50": ("metrics", "cost_total", "p50"),
        "Total cost, P90": ("metrics", "cost_total", "p90"),
        "Total cost, P95": ("metrics", "cost_total", "p95"),
        "Total cost, CVaR95": ("metrics", "cost_total", "cvar95"),
        "Total cost, spreadsheet": ("spreadsheet", "cost_total", None),
        "Cost per accepted outcome (total cost / accepted)": ("cost_per_accepted_outcome", None, "value"),
        "Per-trial cost per outcome, mean of ratios": ("metrics", "cost_per_outcome", "mean"),
        "P(delivered by the horizon)": ("p_delivered", None, None),
        "Delivery day, P50": ("metrics", "delivery_day", "p50"),
        "Blended cost, mean": ("metrics", "blended_cost", "mean"),
        "Blended cost, P90": ("metrics", "blended_cost", "p90"),
        "Total cost vs baseline, mean difference": ("vs_baseline", "cost_total", "mean_diff"),
        "Total cost vs baseline, SE of difference": ("vs_baseline", "cost_total", "se"),
        "Total cost lower than baseline, share of trials": ("vs_baseline", "cost_total", "p_lower"),
    }
    n = 0
    for a, alt in enumerate(summary["alternatives"]):
        row = a + 1
        cell = comp.get((row, header.get("Alternative", 0)))
        if cell != ("s", alt["name"]):
            problems.append("Comparison row %d: alternative %r, want %r" % (row + 1, cell, alt["name"]))
        base = comp.get((row, header.get("Baseline", 2)))
        if base != ("b", alt["baseline"]):
            problems.append("Comparison row %d: baseline %r" % (row + 1, base))
        for label, (sec, metric, key) in checks.items():
            if label not in header:
                problems.append("Comparison lacks the column %r" % label)
                continue
            src = alt[sec]
            if metric is None:  # a top-level figure of the alternative
                want = src if key is None else src[key]
            else:
                want = None if src is None else (src[metric] if key is None else src[metric][key])
            got = comp.get((row, header[label]))
            n += 1
            if want is None:
                if got is not None:
                    problems.append("%s / %s: %r, want an empty cell" % (alt["name"], label, got))
            elif isinstance(want, str):  # "inf"
                if got != ("s", want):
                    problems.append("%s / %s: %r, want text %r" % (alt["name"], label, got, want))
            elif got is None or got[0] != "n" or not same16(got[1], want):
                problems.append("%s / %s: %r, want the number %r" % (alt["name"], label, got, want))
    # Envelope: rows alternative x metric x level, in summary.json's order
    if "envelope" in summary:
        env = sheets.get("Envelope", {})
        r = 1
        for alt in summary["envelope"]["alternatives"]:
            for metric in ("cost_total", "blended_cost"):
                for q in alt[metric]:
                    row = [env.get((r, c)) for c in range(6)]
                    want = [("s", alt["name"]), ("s", metric), ("n", q["p"]), ("n", q["value"]),
                            ("n", q["ci90"][0]), ("n", q["ci90"][1])]
                    n += 6
                    if row[:2] != want[:2] or any(
                            g is None or g[0] != "n" or not same16(g[1], w[1])
                            for g, w in zip(row[2:], want[2:])):
                        problems.append("Envelope row %d: %r, want %r" % (r + 1, row, want))
                    r += 1
    # Bid: one row per pair
    if "bid" in summary:
        bid = sheets.get("Bid", {})
        for k, p in enumerate(summary["bid"]["pairs"]):
            r = k + 1
            got = [bid.get((r, c)) for c in (0, 1, 2, 3, 6, 9, 10)]
            want = [p["bid"], p["mix"], p["metric"], p["bid_figures"]["mean"],
                    p["mix_figures"]["mean"], p["risk_premium"], p["break_even_price"]]
            n += len(want)
            if [g[1] if g else None for g in got[:3]] != want[:3] or any(
                    g is None or g[0] != "n" or not same16(g[1], w)
                    for g, w in zip(got[3:], want[3:])):
                problems.append("Bid row %d: %r, want %r" % (r + 1, got, want))
    prov = {}
    for (r, c), (t, v) in sheets.get("Provenance", {}).items():
        if c == 0:
            prov.setdefault(r, [None, None])[0] = v
        elif c == 1:
            prov.setdefault(r, [None, None])[1] = (t, v)
    prov = dict(prov.values())
    man = summary["manifest"]
    for key, want in (("seed", ("n", float(summary["seed"]))),
                      ("trials", ("n", float(summary["trials"]))),
                      ("scenario sha256", ("s", summary["input_sha256"])),
                      ("capmix version", ("s", man["capmix_version"]))):
        n += 1
        if prov.get(key) != want:
            problems.append("Provenance %s: %r, want %r" % (key, prov.get(key), want))
    cmd = prov.get("command", ("", ""))[1]
    if not cmd.startswith("capmix " + man["command"]) or not all(a in cmd for a in man["arguments"]):
        problems.append("Provenance command %r does not replay %s %s" % (cmd, man["command"], man["arguments"]))
    if name is not None:
        n += 2
        if sheets["Answer"].get((0, 0)) != ("s", name):
            problems.append("Answer A1 %r, want the text %r" % (sheets["Answer"].get((0, 0)), name))
        if prov.get("scenario") != ("s", name):
            problems.append("Provenance scenario %r, want the text %r" % (prov.get("scenario"), name))
    for p in problems:
        print(p)
    if problems:
        return 1
    print("xlsx ok: %d cells checked" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
