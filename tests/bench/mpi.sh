#!/bin/sh
# tests/bench/mpi.sh — capmix on MPI ranks (`make bench`, when the MPI
# build build-mpi/bin/capmix and mpiexec exist; `make MPI=1` builds it).
#
#   1. tests/bench/backlog24.yaml, `run --stream`, BENCH_MPI_TRIALS trials
#      (default 10,000,000): 1 rank x 1 thread against 2 ranks x 1 thread,
#      each the median of BENCH_MPI_RUNS wall times (default 3, runs
#      alternating); the speed-up against the target of 1.7x on 2 cores;
#      the two summary.json files must agree but for timing (PASS/FAIL);
#      and, as the machine's available parallelism at the time, 1 process
#      x 2 threads;
#   2. the same on 2 ranks at BENCH_MPI_BIG trials (default 100,000,000),
#      once: rank 0's time in the gathers (capmix-mpi line, cmpi.h) as a
#      share of the wall time, split into waiting for the other rank and
#      moving and merging its results;
#   3. a sweep of scenarios/token-breakeven.yaml, 5 points of
#      BENCH_MPI_SWEEP trials (default 200,000; 0 skips it), 1 rank
#      against 2 (median of BENCH_MPI_RUNS); the two sweep.json files must
#      agree (PASS/FAIL).  Its first point is shared block by block and
#      the other 4 dealt whole to the ranks (cmpi_deal, docs/cluster.md);
#      one of its two alternatives is swept, so one process simulates
#      5 + 1 alternative-runs and each of 2 ranks half of the first
#      point's 2 and 2 more: 2x at most;
#   4. scenarios/portfolio, BENCH_MPI_PORTFOLIO trials (default 50,000;
#      0 skips it) and the default 100,000 check trials, 1 rank against 2
#      (median of BENCH_MPI_RUNS), and rank 0's time moving and merging
#      on 2 ranks (capmix-mpi line); the two output folders must agree
#      (PASS/FAIL).  Every run is dealt by blocks, rank 0 alone chooses.
# The machine's load average is printed before and after (the figures of
# a shared machine are only as good as the cores it had free), and when
# the speed-up misses its target, where a 2-rank run's time went
# (CAPMIX_MPI_STATS): in the simulation, or in the gathers.
# Installs nothing; POSIX sh.
set -u
LC_ALL=C
export LC_ALL
MBIN=${CAPMIX_MPI:-build-mpi/bin/capmix}
N=${BENCH_MPI_TRIALS:-10000000}
BIG=${BENCH_MPI_BIG:-100000000}
RUNS=${BENCH_MPI_RUNS:-3}
S=tests/bench/backlog24.yaml
if ! command -v mpiexec >/dev/null 2>&1 || ! "$MBIN" --mpi --version >/dev/null 2>&1; then
    echo "bench-mpi: skipped (no MPI build $MBIN or no mpiexec: make deps MPI=1 && make MPI=1)"
    exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-bench-mpi.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

secs() { # secs CMD...: wall seconds of CMD
    a=$(date +%s.%N)
    "$@" >/dev/null 2>"$T/err" || { echo "bench-mpi: failed: $*" >&2; cat "$T/err" >&2; exit 1; }
    b=$(date +%s.%N)
    awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }
echo "bench-mpi: load average $(loadavg) (1, 5, 15 min) on $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cores"
: >"$T/one"
: >"$T/two"
: >"$T/thr"
i=0
while [ $i -lt "$RUNS" ]; do
    secs mpiexec -n 1 "$MBIN" run "$S" --stream --trials "$N" --threads 1 -q -o "$T/o1" >>"$T/one"
    secs mpiexec -n 2 "$MBIN" run "$S" --stream --trials "$N" --threads 1 -q -o "$T/o2" >>"$T/two"
    secs "$MBIN" run "$S" --stream --trials "$N" --threads 2 -q >>"$T/thr"
    i=$((i + 1))
done
t1=$(median <"$T/one")
t2=$(median <"$T/two")
t3=$(median <"$T/thr")
up=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", a / b }')
met=$(awk -v u="$up" 'BEGIN { print (u >= 1.7) ? "met" : "NOT MET" }')
printf 'bench-mpi: backlog24 --stream %s trials: 1 rank x 1 thread %s s, 2 ranks x 1 thread %s s (median of %s): speed-up %sx (target 1.7x: %s)\n' \
    "$N" "$t1" "$t2" "$RUNS" "$up" "$met"
# what the machine gives two workers now (other load takes cores too)
printf 'bench-mpi: for comparison, 1 process x 2 threads %s s: speed-up %sx\n' "$t3" \
    "$(awk -v a="$t1" -v b="$t3" 'BEGIN { printf "%.2f", a / b }')"
if [ "$met" != met ]; then
    CAPMIX_MPI_STATS=1 mpiexec -n 2 "$MBIN" run "$S" --stream --trials "$N" --threads 1 -q 2>"$T/why" >/dev/null &&
        awk '/^capmix-mpi:/ { for (i = 1; i <= NF; i++) { if ($i == "wall") w = $(i + 1); if ($i == "gather") g = $(i + 1);
                                                         if ($i == "cpu") c = $(i + 1) }
            printf "bench-mpi: where rank 0 of 2 spent it: wall %.2f s, gathers %.3f s, the rest %.2f s with %.2f s of processor time = %.0f%% (below 100%%: no core free for it)\n",
                   w, g, w - g, c, 100 * c / (w - g) }' "$T/why"
fi
grep -v '"threads"\|"elapsed_seconds"' "$T/o1/summary.json" >"$T/a"
grep -v '"threads"\|"elapsed_seconds"' "$T/o2/summary.json" >"$T/b"
if cmp -s "$T/a" "$T/b"; then echo "bench-mpi: PASS 1 and 2 ranks give the same summary.json"; else
    echo "bench-mpi: FAIL 1 and 2 ranks differ"; fi

if [ "$BIG" -gt 0 ]; then
    CAPMIX_MPI_STATS=1 mpiexec -n 2 "$MBIN" run "$S" --stream --trials "$BIG" --threads 1 -q -o "$T/big" 2>"$T/stats" >/dev/null ||
        { echo "bench-mpi: the $BIG-trial run failed" >&2; cat "$T/stats" >&2; exit 1; }
    awk -v n="$BIG" '/^capmix-mpi:/ {
        for (i = 1; i <= NF; i++) { if ($i == "wall") w = $(i + 1); if ($i == "gather") g = $(i + 1);
                                   if ($i == "ranks") r = $(i + 1); if ($i == "merge") m = $(i + 1) }
        wt = g - m
        printf "bench-mpi: backlog24 --stream %s trials on 2 ranks x 1 thread: wall %.2f s; gathers %.3f s = %.2f%% of wall (waiting for the other rank %.3f s, moving and merging %.3f s = %.3f%%)\n",
               n, w, g, 100 * g / w, wt, m, 100 * m / w }' "$T/stats"
fi
SWT=${BENCH_MPI_SWEEP:-200000}
if [ "$SWT" -gt 0 ]; then
    : >"$T/s1"
    : >"$T/s2"
    set -- sweep scenarios/token-breakeven.yaml --set ai-team/team.tokens.monthly=10000:120000:5 \
        --metric cost_per_outcome.mean --trials "$SWT" --threads 1 -q --no-plots
    i=0
    while [ $i -lt "$RUNS" ]; do
        secs mpiexec -n 1 "$MBIN" "$@" -o "$T/w1" >>"$T/s1"
        secs mpiexec -n 2 "$MBIN" "$@" -o "$T/w2" >>"$T/s2"
        i=$((i + 1))
    done
    t1=$(median <"$T/s1")
    t2=$(median <"$T/s2")
    printf 'bench-mpi: token-breakeven sweep, 5 points of %s trials: 1 rank %s s, 2 ranks %s s (median of %s): speed-up %sx (at most 2x)\n' \
        "$SWT" "$t1" "$t2" "$RUNS" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", a / b }')"
    if cmp -s "$T/w1/sweep.json" "$T/w2/sweep.json"; then echo "bench-mpi: PASS 1 and 2 ranks give the same sweep.json"; else
        echo "bench-mpi: FAIL 1 and 2 ranks give different sweep.json files"; fi
fi
PFN=${BENCH_MPI_PORTFOLIO:-50000}
if [ "$PFN" -gt 0 ]; then
    : >"$T/f1"
    : >"$T/f2"
    set -- portfolio scenarios/portfolio/portfolio.yaml --trials "$PFN" --threads 1 -q --no-plots
    i=0
    while [ $i -lt "$RUNS" ]; do
        secs mpiexec -n 1 "$MBIN" "$@" -o "$T/pf1" >>"$T/f1"
        secs mpiexec -n 2 "$MBIN" "$@" -o "$T/pf2" >>"$T/f2"
        i=$((i + 1))
    done
    t1=$(median <"$T/f1")
    t2=$(median <"$T/f2")
    printf 'bench-mpi: portfolio, %s trials + 100000 check: 1 rank %s s, 2 ranks %s s (median of %s): speed-up %sx\n' \
        "$PFN" "$t1" "$t2" "$RUNS" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", a / b }')"
    CAPMIX_MPI_STATS=1 mpiexec -n 2 "$MBIN" "$@" 2>"$T/pstats" >/dev/null &&
        awk '/^capmix-mpi:/ { for (i = 1; i <= NF; i++) { if ($i == "wall") w = $(i + 1); if ($i == "merge") m = $(i + 1) }
            printf "bench-mpi: portfolio on 2 ranks: wall %.2f s, rank 0 moving and merging %.3f s\n", w, m }' "$T/pstats"
    if diff -r "$T/pf1" "$T/pf2" >/dev/null; then echo "bench-mpi: PASS 1 and 2 ranks give the same portfolio folder"; else
        echo "bench-mpi: FAIL 1 and 2 ranks give different portfolio folders"; fi
fi
echo "bench-mpi: load average $(loadavg) at the end"
