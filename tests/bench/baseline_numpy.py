#!/usr/bin/env python3
"""baseline_numpy — backlog24 (tests/bench/backlog24.yaml) vectorised in numpy.

A trial's delivery day is the sum of 24 independent Triangular(2, 4, 9)
draws (one lane, items worked one after the other, all accepted, no waits);
its cost is 800 per day.  Trials are simulated in lockstep: a (chunk, 24)
array of numpy.random.Generator.triangular draws, summed along the items,
in chunks so memory stays bounded (CHUNK x 24 doubles, 9.6 MB at 50,000).

Run by tests/bench/run.sh with the first interpreter that imports numpy
(python3, then /usr/bin/python3 with Debian's python3-numpy, which
tests/bench/deps.sh installs as root); it times the whole process
(interpreter and numpy import included, as the capmix timings include
capmix's start-up) and uses the kernel time printed here only as a note.

Only backlog24 is here: the default scenario's baseline, which needs the
whole event-driven model rather than a sum of draws, is
baseline_numpy_twoalt.py (two of its alternatives, tests/bench/two-alt.yaml).

usage: baseline_numpy.py [TRIALS [SEED]]   (default 1000000 1)
prints one line: trials seconds mean_day sd_day mean_cost
"""
import sys
import time

import numpy as np

ITEMS = 24
CHUNK = 50_000
A, B, C = 2.0, 4.0, 9.0          # Triangular(min, mode, max), days
COST_PER_DAY = 24_000 / 30       # monthly_fee / days_per_month
SHIFT = ITEMS * (A + B + C) / 3  # sums about the mean keep the variance exact


def main(argv):
    n = int(argv[1]) if len(argv) > 1 else 1_000_000
    seed = int(argv[2]) if len(argv) > 2 else 1
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    s1 = 0.0
    s2 = 0.0
    done = 0
    while done < n:
        m = min(CHUNK, n - done)
        days = rng.triangular(A, B, C, size=(m, ITEMS)).sum(axis=1)
        d = days - SHIFT
        s1 += float(d.sum())
        s2 += float(np.dot(d, d))
        done += m
    secs = time.perf_counter() - t0
    mean_d = s1 / n
    var = (s2 - n * mean_d * mean_d) / (n - 1) if n > 1 else 0.0
    mean = SHIFT + mean_d
    print("%d %.9f %.6f %.6f %.4f" % (n, secs, mean, max(var, 0.0) ** 0.5,
                                       COST_PER_DAY * mean))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
