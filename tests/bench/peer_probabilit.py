#!/usr/bin/env python3
"""peer_probabilit — backlog24 (tests/bench/backlog24.yaml) in probabilit,
an optional peer of `make bench` (tests/bench/run.sh): a Python package for
Monte Carlo modelling on numpy and scipy, written as its users would write
it (a graph of Distribution nodes, sampled once).

A trial's delivery day is the sum of 24 independent Triangular(2, 4, 9)
draws; its cost is 800 per day (see baseline_numpy.py for the model).
probabilit takes scipy's names: scipy.stats.triang(c, loc, scale) with
c = (mode − min)/(max − min), loc = min, scale = max − min.

usage: peer_probabilit.py [TRIALS [SEED]]   (default 1000000 1)
prints one line, as baseline_numpy.py: trials seconds mean_day sd_day mean_cost
exit 3 when probabilit is not installed (run.sh then skips this peer).
"""
import sys
import time

try:
    from probabilit.modeling import Distribution
except ImportError as e:
    print("%s is not importable: %s" % ("probabilit", e), file=sys.stderr)
    sys.exit(3)

ITEMS = 24
A, B, C = 2.0, 4.0, 9.0
COST_PER_DAY = 24_000 / 30


def main(argv):
    n = int(argv[1]) if len(argv) > 1 else 1_000_000
    seed = int(argv[2]) if len(argv) > 2 else 1
    t0 = time.perf_counter()
    day = 0
    for _ in range(ITEMS):
        day = day + Distribution("triang", c=(B - A) / (C - A), loc=A, scale=C - A)
    days = day.sample(n, random_state=seed)
    secs = time.perf_counter() - t0
    print("%d %.9f %.6f %.6f %.4f" % (n, secs, float(days.mean()), float(days.std(ddof=1)),
                                       COST_PER_DAY * float(days.mean())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
