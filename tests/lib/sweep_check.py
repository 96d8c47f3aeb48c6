"""sweep_check.py FILE CHECK [ARG...]: checks of a capmix sweep.json or
breakeven.json (capmix sweep, capmix breakeven); exit 0 when they hold,
otherwise the problems on stderr.

  shape PARAM METRIC STAT N LO HI   the parameter, metric and statistic;
                     "values" the N-point grid from LO to HI; every
                     crossing between two names, its value inside its
                     interval and inside [LO, HI]; at least one crossing
  crossing A B WANT TOL   exactly one crossing between [A, B], within TOL
                     of WANT
  value A B          prints the crossing between [A, B]
  curve X Y METRIC STAT A B N   breakeven.json: x, y, metric, statistic,
                     between [A, B], wins_above one of them, evaluations
                     a positive integer, a curve of N points
  none N             breakeven.json: N points, none with a y
"""
import json, sys
f, what, args = sys.argv[1], sys.argv[2], sys.argv[3:]
def bad_const(tok):
    raise ValueError("not JSON: " + tok)
d = json.load(open(f), parse_constant=bad_const)
def num(x):
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        raise SystemExit("not a number: %r" % (x,))
    return float(x)
bad = []
def crossings():
    c = d.get("crossings")
    if not isinstance(c, list):
        raise SystemExit("crossings is not a list: %r" % (c,))
    return c
if what == "shape":
    param, metric, stat, n, lo, hi = args[0], args[1], args[2], int(args[3]), float(args[4]), float(args[5])
    for k, v in (("parameter", param), ("metric", metric), ("statistic", stat)):
        if d.get(k) != v:
            bad.append("%s %r, want %r" % (k, d.get(k), v))
    vals = d.get("values")
    if not isinstance(vals, list) or len(vals) != n:
        bad.append("values %r: want %d points" % (vals, n))
    else:
        for i, v in enumerate(vals):
            w = lo + (hi - lo) * i / (n - 1)
            if abs(num(v) - w) > 1e-9 * max(1, abs(w)):
                bad.append("values[%d] = %r, want %r" % (i, v, w))
    c = crossings()
    if not c:
        bad.append("no crossings")
    for x in c:
        b = x.get("between")
        if not isinstance(b, list) or len(b) != 2 or not all(isinstance(s, str) and s for s in b) or b[0] == b[1]:
            bad.append("crossing between %r: want two names" % (b,))
        v, iv = num(x.get("value")), x.get("interval")
        if not isinstance(iv, list) or len(iv) != 2:
            bad.append("crossing %r: interval is not [lo, hi]" % (x,))
        elif not num(iv[0]) <= v <= num(iv[1]):
            bad.append("crossing %r: value outside its interval" % (x,))
        if not lo <= v <= hi:
            bad.append("crossing %r: value outside the range %r to %r" % (x, lo, hi))
elif what in ("crossing", "value"):
    hits = [x for x in crossings() if x.get("between") == args[:2]]
    if len(hits) != 1:
        sys.exit("%d crossings between %r, want 1 (crossings: %r)" % (len(hits), args[:2], crossings()))
    v = num(hits[0].get("value"))
    if what == "value":
        print(repr(v))
    elif abs(v - float(args[2])) > float(args[3]):
        bad.append("crossing at %r, want %s within %s" % (v, args[2], args[3]))
elif what == "curve":
    xp, yp, metric, stat, a, b, n = args[0], args[1], args[2], args[3], args[4], args[5], int(args[6])
    for k, v in (("x", xp), ("y", yp), ("metric", metric), ("statistic", stat), ("between", [a, b])):
        if d.get(k) != v:
            bad.append("%s %r, want %r" % (k, d.get(k), v))
    if d.get("wins_above") not in (a, b):
        bad.append("wins_above %r, want %r or %r" % (d.get("wins_above"), a, b))
    e = d.get("evaluations")
    if not isinstance(e, int) or isinstance(e, bool) or e < 1:
        bad.append("evaluations %r: want a positive integer" % (e,))
    c = d.get("curve")
    if not isinstance(c, list) or len(c) != n:
        bad.append("curve %r: want %d points" % (c, n))
elif what == "none":
    c = d.get("curve")
    if not isinstance(c, list) or len(c) != int(args[0]):
        bad.append("curve %r: want %s points" % (c, args[0]))
    else:
        for p in c:
            if p.get("y") is not None:
                bad.append("a crossing at x %r: y %r" % (p.get("x"), p.get("y")))
else:
    sys.exit("sweep_check.py: unknown check " + what)
if bad:
    sys.exit("\n".join(bad[:10]))
