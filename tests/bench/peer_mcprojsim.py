#!/usr/bin/env python3
"""peer_mcprojsim — backlog24 (tests/bench/backlog24.yaml) in mcprojsim, an
optional peer of `make bench` (tests/bench/run.sh): a Monte Carlo project
schedule simulator, driven through its Python API as its documentation
shows (Project, Task, TaskEstimate, SimulationEngine).

backlog24 is 24 items worked one after the other, each Triangular(2, 4, 9)
days: here 24 tasks with estimate low 2, expected 4, high 9, each depending
on the one before, so the project's duration is their sum.  mcprojsim
reports hours and may apply its own default uncertainty factors: run.sh
shows its ratio only when the mean it prints is backlog24's exact mean
(120) within 1 %, i.e. when it simulated the same model.

usage: peer_mcprojsim.py [TRIALS [SEED]]   (default 10000 1)
prints one line, as baseline_numpy.py: trials seconds mean sd mean_cost
(mean_cost is 800 × mean); exit 3 when mcprojsim is not installed.
"""
import sys
import time

try:
    from datetime import date

    from mcprojsim import SimulationEngine
    from mcprojsim.config import Config
    from mcprojsim.models.project import Project, ProjectMetadata, Task, TaskEstimate
except ImportError as e:
    print("%s is not importable: %s" % ("mcprojsim", e), file=sys.stderr)
    sys.exit(3)

ITEMS = 24
A, B, C = 2.0, 4.0, 9.0
COST_PER_DAY = 24_000 / 30


def main(argv):
    n = int(argv[1]) if len(argv) > 1 else 10_000
    seed = int(argv[2]) if len(argv) > 2 else 1
    tasks = [Task(id="item%02d" % i, name="item %d" % i,
                  estimate=TaskEstimate(low=A, expected=B, high=C),
                  dependencies=["item%02d" % (i - 1)] if i else [])
             for i in range(ITEMS)]
    project = Project(project=ProjectMetadata(name="backlog24", start_date=date(2026, 1, 5)),
                      tasks=tasks)
    t0 = time.perf_counter()
    engine = SimulationEngine(iterations=n, random_seed=seed, config=Config.get_default(),
                              show_progress=False)
    results = engine.run(project)
    secs = time.perf_counter() - t0
    mean = float(results.mean)
    sd = float(getattr(results, "std_dev", float("nan")))
    print("%d %.9f %.6f %.6f %.4f" % (n, secs, mean, sd, COST_PER_DAY * mean))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
