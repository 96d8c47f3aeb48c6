#!/bin/sh
# tests/bench/run.sh — the capmix benchmark (`make bench`, after bin/capmix
# is built and tests/bench/deps.sh has installed python3-numpy if it could).
# POSIX sh; python3 is optional (JSON is read with awk without it); numpy
# only for the baselines; valgrind only for the instruction counts.
# Installs nothing.  About 3 to 4 minutes on 2 cores (the longest parts:
# the 100,000,000-trial stream, the default scenario and the break-even
# curve, then callgrind).
#
# Cases (every timing is the median of BENCH_RUNS runs, default 5; within a
# case the runs alternate, so drifting load hits each alike):
#   1. scenarios/offshore-vs-ai.yaml (the default, 5 alternatives), 100,000
#      trials, 1 thread and all threads (capmix run -q --no-plots), and the
#      whole default run (table, data files, plots, all threads) against
#      the target of 1 s; and as shipped (the scenario's 20,000 trials, plots,
#      all threads), against issue #19's 0.6 s;
#   2. tests/bench/two-alt.yaml (the default scenario's offshore pod and AI
#      team), 100,000 trials, capmix (1 and all threads) against
#      tests/bench/baseline_numpy_twoalt.py, the same event-driven model
#      vectorised in numpy; their means must agree (PASS/FAIL);
#   3. tests/bench/backlog24.yaml, 1,000,000 trials, capmix (1 and all
#      threads), with its exact answers checked (PASS/FAIL), against
#      tests/bench/floor.c (the same model as a minimal C kernel: the floor)
#      and tests/bench/baseline_numpy.py (vectorised in numpy);
#   4. capmix breakeven on the default scenario (5 points, BENCH_BE_TRIALS
#      trials a simulation, default 10,000; all threads);
#   5. backlog24 at 100,000,000 trials with `capmix run --stream`, once (a
#      100-million-trial run is long, and one run of it is measured, not
#      the median of 5), when capmix has --stream;
#   5b. `capmix breakeven scenarios/token-breakeven.yaml` as users run it
#      (23 points, every thread), once (BENCH_TOKEN_BREAKEVEN=0 skips it);
#   5c. the optional peers on backlog24, when installed (never installed
#      here): probabilit (tests/bench/peer_probabilit.py, BENCH_RUNS runs at
#      1,000,000 trials) and mcprojsim (tests/bench/peer_mcprojsim.py,
#      once at BENCH_MCPROJSIM_TRIALS, default 10,000: compared per trial);
#      a peer whose mean is not backlog24's exact 120 (within 1 %) simulated
#      another model and gets no ratio;
#   6. instructions per pass under callgrind for each capmix case, the
#      stream and the floor (default on when valgrind is installed;
#      BENCH_CALLGRIND=0 skips it, ~30 s), and each case's own-cost
#      profile, printed under every target the case does not meet.
# The table: one row a case, with its ratios against the baselines and
# issue #8's targets (met / NOT MET) beside it; then issue #19's targets,
# each a ratio in this one run (numpy, probabilit, mcprojsim, the C floor,
# the default run, ns per pass, threads, the token break-even); then the
# checks (PASS/FAIL), then, for each target NOT MET, the profile that shows
# why.
#
# Environment: CAPMIX (binary, default bin/capmix), CC (default cc),
# BENCH_RUNS (default 5), BENCH_CALLGRIND (default 1), BENCH_BE_TRIALS
# (default 10000), BENCH_STREAM=0 (skip the stream), BENCH_STREAM_TRIALS
# (default 100000000; the targets are for that), BENCH_TOKEN_BREAKEVEN=0
# (skip 5b), BENCH_MCPROJSIM_TRIALS (default 10000), BENCH_STREAM_LIMIT
# (seconds before the streaming run is stopped, default 300), BENCH_PYTHON
# (an interpreter with numpy; else the first of python3 and /usr/bin/python3
# that imports it), BENCH_NO_PYTHON=1 (read JSON with awk even when python3
# exists), TMPDIR.
# Exit status: 0, or 1 when a run failed or a check FAILed (a target that is
# NOT MET is reported, with its profile, not an error).

set -u
LC_ALL=C
export LC_ALL

cd "$(dirname "$0")/../.." || exit 1
BIN=${CAPMIX:-bin/capmix}
CC=${CC:-cc}
RUNS=${BENCH_RUNS:-5}
DEF=scenarios/offshore-vs-ai.yaml
B24=tests/bench/backlog24.yaml
TA=tests/bench/two-alt.yaml
DEF_TRIALS=100000
TA_TRIALS=100000
B24_TRIALS=1000000
STREAM_TRIALS=${BENCH_STREAM_TRIALS:-100000000}
BE_TRIALS=${BENCH_BE_TRIALS:-10000}
BE_POINTS=5
BE_ARGS="--x ai-team/team.tokens.monthly=10000:120000:$BE_POINTS --y ai-team/team.throughput_per_month=2:12 --metric cost_per_outcome.p50 --between ai-team offshore"
STREAM_LIMIT=${BENCH_STREAM_LIMIT:-300}
# callgrind: trials per case (whole process, 1 thread)
CG_DEF_TRIALS=5000
CG_TA_TRIALS=5000
CG_B24_TRIALS=50000
CG_FLOOR_TRIALS=200000
# backlog24's exact answers (see backlog24.yaml): 24 x Triangular(2, 4, 9)
B24_MEAN=120
B24_SD=7.211102550927978     # sqrt(24 * 39/18) = sqrt(52)
B24_COST=96000               # 800 per day
B24_COST_SD=5768.882040742383
SD_TOL=0.02                  # relative; the sd's own SE at 1e6 trials is ~0.05 %
AGREE_Z=5                    # numpy vs capmix: |difference| <= 5 combined SE
# targets (issue #8)
T_NS_PASS=100                # ns per work pass, 1 thread, whole process
T_B24_NUMPY=5                # backlog24: numpy time / capmix time
T_B24_FLOOR=2                # backlog24: capmix time / floor time
T_TA_NUMPY=3                 # default scenario (two-alt): numpy time / capmix time
T_DEFRUN=1                   # s, the default run at 100,000 trials
T_STREAM_S=60                # s, 100,000,000 trials streamed
T_STREAM_MIB=64              # MiB, peak RSS of the stream
# targets (issue #19), each judged in this one run
T19_B24_NUMPY=1.5            # backlog24: numpy time / capmix time
T19_B24_PROB=10              # backlog24: probabilit time / capmix time
T19_DEFRUN=0.6               # s, the default run with plots at 100,000 trials
T19_NS_ENGINE=60             # ns per pass in eng_run, default scenario, 1 thread
T19_SPEEDUP=1.8              # default scenario, 2 threads / 1 thread
T19_BE_BEFORE=41.6           # s, token-breakeven when issue #19 was filed
T19_BE_FASTER=8              # ... and the speed-up it asks for
TBE=scenarios/token-breakeven.yaml
MCP_TRIALS=${BENCH_MCPROJSIM_TRIALS:-10000}

for v in "$RUNS" "$BE_TRIALS" "$STREAM_LIMIT" "$STREAM_TRIALS" "$MCP_TRIALS"; do
    case $v in '' | *[!0-9]* | 0)
        echo "bench: BENCH_RUNS, BENCH_BE_TRIALS, BENCH_STREAM_LIMIT, BENCH_STREAM_TRIALS and BENCH_MCPROJSIM_TRIALS must be positive integers" >&2
        exit 1 ;;
    esac
done
if [ ! -x "$BIN" ]; then
    echo "bench: $BIN is missing; run make first" >&2
    exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/capmix-bench.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
STATUS=0

# Time a private copy: others may rebuild bin/capmix while the bench runs.
BIN_SHOWN=$BIN
cp "$BIN" "$TMP/capmix" || exit 1
BIN=$TMP/capmix

NPROC=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
case $NPROC in '' | *[!0-9]*) NPROC=1 ;; esac
# the speed-up target: 1.8x on 2 threads, i.e. 90 % parallel efficiency
T_SPEEDUP=$(awk -v n="$NPROC" 'BEGIN { printf "%.1f\n", 0.9 * n }')

# Interpreters, by their real path (a pyenv shim adds ~50 ms a start).
PY=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1; then
        PY=$("$p" -c 'import sys; print(sys.executable)' 2>/dev/null) && [ -n "$PY" ] && break
        PY=
    fi
done
[ "${BENCH_NO_PYTHON:-0}" = 1 ] && PY= # to test the awk readers
NUMPY_PY=
for p in ${BENCH_PYTHON:-} python3 /usr/bin/python3; do
    command -v "$p" >/dev/null 2>&1 || continue
    if "$p" -c 'import numpy' >/dev/null 2>&1; then
        NUMPY_PY=$("$p" -c 'import sys; print(sys.executable)')
        break
    fi
done
HAVE_NUMPY=0
[ -n "$NUMPY_PY" ] && HAVE_NUMPY=1
# The optional peers: the first interpreter that imports each (mcprojsim's
# also through its CLI's own interpreter, where pipx puts it).
peer_python() { # MODULE [INTERPRETER]
    for p in ${BENCH_PYTHON:-} python3 /usr/bin/python3 ${2:-}; do
        command -v "$p" >/dev/null 2>&1 || continue
        if "$p" -c "import $1" >/dev/null 2>&1; then
            "$p" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    return 1
}
PROB_PY=$(peer_python probabilit.modeling) || PROB_PY= # what the script imports, numpy with it
MCP_CLI_PY=
if command -v mcprojsim >/dev/null 2>&1; then
    MCP_CLI_PY=$(head -n 1 "$(command -v mcprojsim)" | sed -n 's/^#! *//p' |
        awk '{ print ($1 ~ /env$/) ? $2 : $1 }')
fi
MCP_PY=$(peer_python mcprojsim.models.project "$MCP_CLI_PY") || MCP_PY=
PROB_NOTE="not installed: skipped"
MCP_NOTE="not installed: skipped"
NP_TA=$HAVE_NUMPY # each baseline, until it fails
NP_24=$HAVE_NUMPY
HAVE_CG=0
CG_NOTE=
if [ "${BENCH_CALLGRIND:-1}" = 0 ]; then
    CG_NOTE="off (BENCH_CALLGRIND=0)"
elif ! command -v valgrind >/dev/null 2>&1; then
    CG_NOTE="skipped: valgrind is not installed (apt-get install valgrind)"
else
    HAVE_CG=1
fi
HAVE_STREAM=0
"$BIN" run --help 2>&1 | grep -q -- '--stream' && HAVE_STREAM=1
[ "${BENCH_STREAM:-1}" = 0 ] && HAVE_STREAM=2 # skipped
TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout $STREAM_LIMIT"
# GNU time's %M is the peak RSS the brief asks for; without it, timeit's
# own wait4 figure (the same kernel counter) is used.
HAVE_GTIME=0
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o "$TMP/probe" true 2>/dev/null &&
    grep -q '^[0-9][0-9]*$' "$TMP/probe" 2>/dev/null; then
    HAVE_GTIME=1
fi

# ---- helpers ------------------------------------------------------------

# fmt_int N: N rounded, with thousands separators.
fmt_int() {
    awk -v x="$1" 'BEGIN {
        if (x == "" || x == "-" || x == "nan") { print "-"; exit }
        s = sprintf("%.0f", x); neg = ""
        if (substr(s, 1, 1) == "-") { neg = "-"; s = substr(s, 2) }
        o = ""
        while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
        print neg s o }'
}

# calc EXPR [DECIMALS]: evaluate a floating-point expression with awk.
calc() {
    awk "BEGIN { printf \"%.${2:-6}f\n\", ($1) }"
}

# is EXPR: true when the awk condition holds.
is() {
    awk "BEGIN { exit !($1) }"
}

# median FILE: the median of the numbers in FILE, one a line.
median() {
    sort -n "$1" | awk '{ v[NR] = $1 }
        END { if (NR == 0) { print "nan"; exit }
              if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# maxval FILE
maxval() {
    sort -n "$1" | tail -n 1
}

# timed TAG CMD...: run CMD once (stdout to $TMP/TAG.out, stderr to
# $TMP/TAG.err); append its wall seconds to $TMP/TAG.wall and its peak RSS
# (KiB) to $TMP/TAG.rss.  Returns the command's exit status.
timed() {
    t_tag=$1
    shift
    if [ "$HAVE_GTIME" = 1 ]; then
        /usr/bin/time -f %M -o "$TMP/$t_tag.gt" "$TMP/timeit" "$TMP/$t_tag.t" "$@" \
            >"$TMP/$t_tag.out" 2>"$TMP/$t_tag.err"
    else
        "$TMP/timeit" "$TMP/$t_tag.t" "$@" >"$TMP/$t_tag.out" 2>"$TMP/$t_tag.err"
    fi
    [ -s "$TMP/$t_tag.t" ] || return 127
    read -r t_wall t_rss t_code <"$TMP/$t_tag.t"
    if [ "$HAVE_GTIME" = 1 ]; then
        t_rss=$(tail -n 1 "$TMP/$t_tag.gt")
    fi
    echo "$t_wall" >>"$TMP/$t_tag.wall"
    echo "$t_rss" >>"$TMP/$t_tag.rss"
    return "$t_code"
}

# fail TAG WHAT: report a failed run with the tail of its stderr.
fail() {
    echo "bench: FAILED: $2" >&2
    [ -s "$TMP/$1.err" ] && tail -n 5 "$TMP/$1.err" | sed 's/^/  | /' >&2
    STATUS=1
}

# json_passes FILE: total passes = sum over alternatives of
# metrics.passes.mean x trials.
# json_metric FILE METRIC FIELD: a field of a metric of the first alternative.
# json_alt_metric FILE ALT METRIC FIELD: the same of alternative ALT.
# json_engine FILE: manifest.elapsed_seconds (capmix's own simulation time).
# json_int FILE KEY: a top-level integer (breakeven.json's evaluations).
if [ -n "$PY" ]; then
    json_passes() {
        "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(repr(sum(a["metrics"]["passes"]["mean"] for a in d["alternatives"]) * d["trials"]))' "$1"
    }
    json_alt_metric() {
        "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
a = [a for a in d["alternatives"] if sys.argv[2] in ("", a["name"])][0]
v = a["metrics"][sys.argv[3]].get(sys.argv[4])
print("" if v is None else repr(v))' "$1" "$2" "$3" "$4"
    }
    json_engine() {
        "$PY" -c 'import json, sys
print(repr(json.load(open(sys.argv[1]))["manifest"]["elapsed_seconds"]))' "$1"
    }
    json_int() {
        "$PY" -c 'import json, sys
print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
    }
else
    # summary.json is written one key a line (sim/base/json.c); these follow
    # that layout: alternatives' "name" at six spaces, then
    # "metrics": { "NAME": { "FIELD": value ... } ... }.
    json_passes() {
        awk '/^  "trials":/ { gsub(/[ ,]/, "", $2); n = $2 }
             /"metrics": \{/ { inm = 1 }
             /"vs_baseline":/ { inm = 0 }
             inm && /"passes": \{/ { want = 1; next }
             want && /"mean":/ { v = $2; gsub(/,/, "", v); s += v; want = 0 }
             END { printf "%.17g\n", s * n }' "$1"
    }
    json_alt_metric() {
        awk -v alt="$2" -v m="\"$3\": {" -v f="\"$4\":" '
             /^      "name": / { n = $2; gsub(/[",]/, "", n); here = (alt == "" || n == alt) }
             here && /"metrics": \{/ { inm = 1 }
             /"vs_baseline":/ { if (inm) exit; }
             inm && index($0, m) { want = 1; next }
             want && index($0, f) == index($0, "\"") && index($0, f) { v = $2; gsub(/,/, "", v); print v; exit }' "$1"
    }
    json_engine() {
        awk '/"elapsed_seconds":/ { v = $2; gsub(/,/, "", v); print v }' "$1"
    }
    json_int() {
        awk -v k="\"$2\":" '$1 == k { v = $2; gsub(/,/, "", v); print v; exit }' "$1"
    }
fi
json_metric() {
    json_alt_metric "$1" "" "$2" "$3"
}

# same_results A B: summary.json files agree on everything but the
# manifest (which records threads and elapsed time).
same_results() {
    sed '/"manifest"/,$d' "$1" >"$TMP/sr.a"
    sed '/"manifest"/,$d' "$2" >"$TMP/sr.b"
    cmp -s "$TMP/sr.a" "$TMP/sr.b"
}

# ---- build the helpers --------------------------------------------------

if ! $CC -std=c11 -O2 -o "$TMP/timeit" tests/bench/timeit.c 2>"$TMP/cc.err"; then
    cat "$TMP/cc.err" >&2
    echo "bench: cannot compile tests/bench/timeit.c" >&2
    exit 1
fi
HAVE_FLOOR=1
if ! $CC -std=c11 -O2 -fno-math-errno -o "$TMP/floor" tests/bench/floor.c -lm 2>"$TMP/cc.err"; then
    cat "$TMP/cc.err" >&2
    echo "bench: cannot compile tests/bench/floor.c; floor skipped" >&2
    HAVE_FLOOR=0
    STATUS=1
fi

# ---- header -------------------------------------------------------------

CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
[ -n "$CPU" ] || CPU=$(uname -m)
VERSION=$("$BIN" --version 2>/dev/null | head -n 1)
REV=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
if [ -n "$(git status --porcelain -- sim models Makefile 2>/dev/null | head -n 1)" ]; then
    REV="$REV+local changes in sim/, models/ or Makefile"
fi
LOAD=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
echo "capmix benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $NPROC CPU(s) online, $CPU"
echo "binary:  $VERSION ($BIN_SHOWN, git $REV), $($CC --version 2>/dev/null | head -n 1)"
if [ "$HAVE_NUMPY" = 1 ]; then
    echo "numpy:   $("$NUMPY_PY" -c 'import numpy, sys; print("numpy %s, Python %s" % (numpy.__version__, sys.version.split()[0]))') ($NUMPY_PY)"
else
    echo "numpy:   not found (python3-numpy; make bench installs it as root): numpy baselines skipped"
fi
where() { if [ -n "$1" ]; then echo "with $1"; else echo "not installed"; fi; }
echo "peers:   probabilit $(where "$PROB_PY"), mcprojsim $(where "$MCP_PY") (optional; the bench installs neither)"
echo "load average before the bench: $LOAD; median of $RUNS runs per timing"
# `make SANITIZE=1 ...` links bin/capmix too, and `make bench` then sees it
# up to date: say so rather than time a sanitizer build.
if { command -v nm >/dev/null 2>&1 && nm -D "$BIN" 2>/dev/null | grep -E -q '__asan_init|__ubsan_handle'; } ||
    { command -v ldd >/dev/null 2>&1 && ldd "$BIN" 2>/dev/null | grep -E -q 'libasan|libubsan'; }; then
    echo "WARNING: $BIN_SHOWN is a sanitizer build (make SANITIZE=1 writes bin/capmix too);"
    echo "         these timings do not describe the product: run 'make clean && make bench'."
fi
if awk -v l="$LOAD" 'BEGIN { exit !(l + 0 >= 0.5) }'; then
    echo "note: the machine is already busy (load $LOAD): timings, and above all the"
    echo "      all-thread speed-ups, are understated; rerun on an idle machine to compare."
fi

# ---- 1. the default scenario --------------------------------------------

echo "running: $DEF at $(fmt_int $DEF_TRIALS) trials ..." >&2
i=0
while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    if timed def1 "$BIN" run "$DEF" --trials "$DEF_TRIALS" -q -o "$TMP/def1" --no-plots --threads 1; then
        json_engine "$TMP/def1/summary.json" >>"$TMP/def1.eng"
    else
        fail def1 "$DEF --threads 1"
        break
    fi
    if [ "$NPROC" -gt 1 ]; then
        if timed defN "$BIN" run "$DEF" --trials "$DEF_TRIALS" -q -o "$TMP/defN" --no-plots --threads "$NPROC"; then
            json_engine "$TMP/defN/summary.json" >>"$TMP/defN.eng"
        else
            fail defN "$DEF --threads $NPROC"
            break
        fi
    fi
    # the whole default run: table, data files and plots, every thread
    if timed defrun "$BIN" run "$DEF" --trials "$DEF_TRIALS" -o "$TMP/defrun"; then
        json_engine "$TMP/defrun/summary.json" >>"$TMP/defrun.eng"
    else
        fail defrun "$DEF (default run)"
        break
    fi
    # ... and as users type it: the scenario's own trial count
    if timed defship "$BIN" run "$DEF" -o "$TMP/defship"; then
        json_engine "$TMP/defship/summary.json" >>"$TMP/defship.eng"
    else
        fail defship "$DEF (default run as shipped)"
        break
    fi
done

# ---- 2. two alternatives of it, capmix and numpy -------------------------

echo "running: $TA at $(fmt_int $TA_TRIALS) trials, capmix and numpy ..." >&2
i=0
while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    if timed ta1 "$BIN" run "$TA" --trials "$TA_TRIALS" -q -o "$TMP/ta1" --no-plots --threads 1; then
        json_engine "$TMP/ta1/summary.json" >>"$TMP/ta1.eng"
    else
        fail ta1 "$TA --threads 1"
        break
    fi
    if [ "$NPROC" -gt 1 ]; then
        if timed taN "$BIN" run "$TA" --trials "$TA_TRIALS" -q -o "$TMP/taN" --no-plots --threads "$NPROC"; then
            json_engine "$TMP/taN/summary.json" >>"$TMP/taN.eng"
        else
            fail taN "$TA --threads $NPROC"
            break
        fi
    fi
    if [ "$NP_TA" = 1 ]; then
        if timed npta "$NUMPY_PY" tests/bench/baseline_numpy_twoalt.py "$TA_TRIALS" 1; then
            awk 'NR == 1 { print $2 }' "$TMP/npta.out" >>"$TMP/npta.kern"
        else
            fail npta "numpy baseline of $TA"
            NP_TA=0
        fi
    fi
done

# ---- 3. backlog24: capmix, the floor, numpy -------------------------------

echo "running: $B24 at $(fmt_int $B24_TRIALS) trials: capmix, floor, numpy ..." >&2
i=0
while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    if timed b241 "$BIN" run "$B24" --trials "$B24_TRIALS" -q -o "$TMP/b241" --no-plots --threads 1; then
        json_engine "$TMP/b241/summary.json" >>"$TMP/b241.eng"
    else
        fail b241 "$B24 --threads 1"
        break
    fi
    if [ "$NPROC" -gt 1 ]; then
        if timed b24N "$BIN" run "$B24" --trials "$B24_TRIALS" -q -o "$TMP/b24N" --no-plots --threads "$NPROC"; then
            json_engine "$TMP/b24N/summary.json" >>"$TMP/b24N.eng"
        else
            fail b24N "$B24 --threads $NPROC"
            break
        fi
    fi
    if [ "$HAVE_FLOOR" = 1 ]; then
        if timed floor "$TMP/floor" "$B24_TRIALS" 24; then
            awk '{ print $2 }' "$TMP/floor.out" >>"$TMP/floor.kern"
        else
            fail floor "floor kernel"
            HAVE_FLOOR=0
        fi
    fi
    if [ "$NP_24" = 1 ]; then
        if timed np24 "$NUMPY_PY" tests/bench/baseline_numpy.py "$B24_TRIALS" 24; then
            awk '{ print $2 }' "$TMP/np24.out" >>"$TMP/np24.kern"
        else
            fail np24 "numpy baseline of $B24"
            NP_24=0
        fi
    fi
    # an optional peer that fails is a note, not a failed bench
    if [ -n "$PROB_PY" ]; then
        if ! timed prob "$PROB_PY" tests/bench/peer_probabilit.py "$B24_TRIALS" 1; then
            PROB_NOTE="failed: $(tail -n 1 "$TMP/prob.err" 2>/dev/null)"
            PROB_PY=
            rm -f "$TMP/prob.wall"
        fi
    fi
done
if [ -n "$MCP_PY" ]; then
    echo "running: mcprojsim on backlog24 at $(fmt_int "$MCP_TRIALS") trials (once) ..." >&2
    if ! timed mcp "$MCP_PY" tests/bench/peer_mcprojsim.py "$MCP_TRIALS" 1; then
        MCP_NOTE="failed: $(tail -n 1 "$TMP/mcp.err" 2>/dev/null)"
        MCP_PY=
    fi
fi

# ---- 4. a break-even curve of the default scenario ------------------------

echo "running: capmix breakeven $DEF ($BE_POINTS points, $(fmt_int "$BE_TRIALS") trials a simulation) ..." >&2
i=0
while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    # shellcheck disable=SC2086 # BE_ARGS is a list of words
    if timed be "$BIN" breakeven "$DEF" $BE_ARGS --trials "$BE_TRIALS" -q -o "$TMP/be" --no-plots; then
        json_int "$TMP/be/breakeven.json" evaluations >>"$TMP/be.evals"
    else
        fail be "capmix breakeven $DEF"
        break
    fi
done

# ---- 5b. the break-even curve users wait on ---------------------------------

TBE_W=''
if [ "${BENCH_TOKEN_BREAKEVEN:-1}" != 0 ]; then
    echo "running: capmix breakeven $TBE (once, every thread) ..." >&2
    if timed tbe "$BIN" breakeven "$TBE" -q -o "$TMP/tbe" --no-plots; then
        TBE_W=$(median "$TMP/tbe.wall")
    else
        fail tbe "capmix breakeven $TBE"
    fi
fi

# ---- 5. 100,000,000 trials streamed ---------------------------------------

STREAM_RC=
if [ "$HAVE_STREAM" = 1 ]; then
    echo "running: $B24 --stream at $(fmt_int "$STREAM_TRIALS") trials (once; stopped after $STREAM_LIMIT s) ..." >&2
    # shellcheck disable=SC2086 # TIMEOUT is empty or "timeout SECONDS"
    timed stream $TIMEOUT "$BIN" run "$B24" --stream --trials "$STREAM_TRIALS" -q -o "$TMP/stream" --no-plots
    STREAM_RC=$?
    [ "$STREAM_RC" = 0 ] && json_engine "$TMP/stream/summary.json" >"$TMP/stream.eng"
    if [ "$STREAM_RC" != 0 ] && [ "$STREAM_RC" != 124 ]; then
        fail stream "$B24 --stream --trials $STREAM_TRIALS"
    fi
fi

# ---- 6. callgrind ---------------------------------------------------------

# cg_run TAG PASSES_SOURCE CMD...: the whole process under callgrind, its
# profile kept in $TMP/cg.TAG.out; sets nothing, writes $TMP/cg.TAG.ir
# ("whole_Ir eng_run_Ir").
cg_run() {
    cg_tag=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.$cg_tag.out" "$@" \
        >/dev/null 2>"$TMP/cg.$cg_tag.err"
    cg_rc=$?
    cg_all=$(awk '/Collected :/ { gsub(/,/, "", $NF); c = $NF }
                  /I *refs:/ { v = $NF; gsub(/,/, "", v); r = v }
                  END { if (c != "") print c; else if (r != "") print r }' "$TMP/cg.$cg_tag.err")
    cg_eng=-
    if command -v callgrind_annotate >/dev/null 2>&1; then
        cg_eng=$(callgrind_annotate --inclusive=yes "$TMP/cg.$cg_tag.out" 2>/dev/null |
            awk '/:eng_run \[/ { v = $1; gsub(/,/, "", v); print v; exit }')
        [ -n "$cg_eng" ] || cg_eng=-
    fi
    if [ "$cg_rc" -ne 0 ] || [ -z "$cg_all" ]; then
        echo "bench: callgrind FAILED on $cg_tag" >&2
        tail -n 5 "$TMP/cg.$cg_tag.err" >&2
        STATUS=1
        return 1
    fi
    echo "$cg_all $cg_eng" >"$TMP/cg.$cg_tag.ir"
}
if [ "$HAVE_CG" = 1 ]; then
    echo "running: callgrind (whole processes, 1 thread) ..." >&2
    cg_run def "$BIN" run "$DEF" --trials "$CG_DEF_TRIALS" -q -o "$TMP/cg.def" --no-plots --threads 1
    cg_run ta "$BIN" run "$TA" --trials "$CG_TA_TRIALS" -q -o "$TMP/cg.ta" --no-plots --threads 1
    cg_run b24 "$BIN" run "$B24" --trials "$CG_B24_TRIALS" -q -o "$TMP/cg.b24" --no-plots --threads 1
    [ "$HAVE_FLOOR" = 1 ] && cg_run floor "$TMP/floor" "$CG_FLOOR_TRIALS" 24
    [ "$HAVE_STREAM" = 1 ] &&
        cg_run stream "$BIN" run "$B24" --stream --trials "$CG_B24_TRIALS" -q -o "$TMP/cg.stream" --no-plots --threads 1
fi

# cg_per_pass TAG PASSES: "eng_run Ir/pass" (whole-process Ir/pass when
# eng_run is not in the profile), or "-".
cg_per_pass() {
    if [ -s "$TMP/cg.$1.ir" ] && [ -n "$2" ]; then
        read -r cp_all cp_eng <"$TMP/cg.$1.ir"
        if [ "$cp_eng" != - ]; then
            fmt_int "$(calc "$cp_eng / $2" 0)"
        else
            fmt_int "$(calc "$cp_all / $2" 0)"
        fi
    else
        echo -
    fi
}
# cg_passes DIR: passes of a callgrind run (its summary.json)
cg_passes() {
    [ -s "$1/summary.json" ] && json_passes "$1/summary.json"
}

# ---- the table -------------------------------------------------------------

NOT_MET=0
MISSED=''     # "case:target" words, for the profiles below
# judge EXPR TAG: V = "met" when the awk condition EXPR holds, else
# "NOT MET", counted and remembered under TAG (CASE:TARGET).  Not to be
# called in $(...): the count must survive.
judge() {
    if is "$1"; then
        V=met
    else
        V="NOT MET"
        NOT_MET=$((NOT_MET + 1))
        MISSED="$MISSED $2"
    fi
}

W=159
row() { # case trials tps1 tpsN speedup ns_pass ir_pass sim rss ratio target
    printf '%-24s %11s %11s %11s %6s %7s %7s %4s %7s  %-31s %s\n' \
        "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}" "${11}"
}
mib() { [ -n "$1" ] && [ "$1" != "-" ] && calc "$1 / 1024" 1 || echo -; }
rule() { printf '%*s\n' "$W" '' | tr ' ' '-'; }
# A case's ratios and targets are collected with rt, then emit prints the
# case's row with the first of them and one line for each of the rest.
RT=$TMP/rt.pending
: >"$RT"
rt() { # RATIO TARGET
    printf '%s|%s\n' "$1" "$2" >>"$RT"
}
emit() { # the nine measurement cells of the row
    e_r='' e_t=''
    if [ -s "$RT" ]; then
        e_first=$(head -n 1 "$RT")
        e_r=${e_first%%|*}
        e_t=${e_first#*|}
    fi
    row "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "$e_r" "$e_t"
    tail -n +2 "$RT" | while IFS='|' read -r e_r e_t; do
        row "" "" "" "" "" "" "" "" "" "$e_r" "$e_t"
    done
    : >"$RT"
}

# capmix_case TAG1 TAGN TRIALS CGTAG CGPASSES: the measurements of a capmix
# case into C1..C8 (the row's cells after its name), and W1, WN (median
# walls), E1, EN (median eng_run seconds), PASSES; W1 is empty when the
# case failed.
capmix_case() {
    cr_1=$1 cr_n=$2 cr_trials=$3
    W1='' WN='' E1='' EN='' PASSES=''
    C1=$(fmt_int "$cr_trials") C2=FAILED C3=- C4=- C5=- C6=- C7=- C8=-
    if [ ! -s "$TMP/$cr_1.wall" ] || [ ! -s "$TMP/$cr_1/summary.json" ]; then
        return
    fi
    W1=$(median "$TMP/$cr_1.wall")
    E1=$(median "$TMP/$cr_1.eng")
    PASSES=$(json_passes "$TMP/$cr_1/summary.json")
    cp "$TMP/$cr_1.rss" "$TMP/$cr_1.rssall"
    if [ "$NPROC" -gt 1 ] && [ -s "$TMP/$cr_n.wall" ]; then
        WN=$(median "$TMP/$cr_n.wall")
        EN=$(median "$TMP/$cr_n.eng")
        C3=$(fmt_int "$(calc "$cr_trials / $WN" 0)")
        C4="$(calc "$W1 / $WN" 2)x"
        cat "$TMP/$cr_n.rss" >>"$TMP/$cr_1.rssall"
    fi
    C2=$(fmt_int "$(calc "$cr_trials / $W1" 0)")
    C5=$(calc "$W1 * 1e9 / $PASSES" 1)
    C6=$(cg_per_pass "$4" "$5")
    C7="$(calc "100 * $E1 / $W1" 0)%"
    C8=$(mib "$(maxval "$TMP/$cr_1.rssall")")
}
# the targets every capmix case has: ns/pass and the all-thread speed-up
common_targets() { # TAG
    [ -n "$W1" ] || return
    judge "$W1 * 1e9 / $PASSES <= $T_NS_PASS" "$1:ns"
    rt "$(calc "$W1 * 1e9 / $PASSES" 1) ns/pass, 1 thread" "<= $T_NS_PASS ns/pass: $V"
    if [ -n "$WN" ]; then
        judge "$W1 / $WN >= $T_SPEEDUP" "$1:speedup"
        rt "$NPROC threads / 1: $(calc "$W1 / $WN" 2)x" ">= ${T_SPEEDUP}x: $V"
    else
        rt "speed-up: 1 CPU" "n/a"
    fi
}
# baseline_row NAME TAG TRIALS PASSES_PER_TRIAL IR_PER_PASS
baseline_row() {
    br_w=$(median "$TMP/$2.wall")
    emit "$1" "$(fmt_int "$3")" "$(fmt_int "$(calc "$3 / $br_w" 0)")" - - \
        "$(calc "$br_w * 1e9 / ($3 * $4)" 1)" "$5" "$(calc "100 * $(median "$TMP/$2.kern") / $br_w" 0)%" \
        "$(mib "$(maxval "$TMP/$2.rss")")"
}

echo
row "case" "trials" "trials/s" "trials/s" "speed" "ns/pass" "Ir/pass" "sim" "peak" "ratio (d)" "target (e)"
row "" "" "1 thread" "$NPROC threads" "-up" "(a)" "(b)" "(c)" "RSS MiB" "" ""
rule

# -- the default scenario
capmix_case def1 defN "$DEF_TRIALS" def "$(cg_passes "$TMP/cg.def")"
DEF_W1=$W1 DEF_WN=$WN DEF_E1=$E1 DEF_EN=$EN DEF_PASSES=$PASSES
common_targets def
DW=''
if [ -s "$TMP/defrun.wall" ]; then
    DW=$(median "$TMP/defrun.wall")
    judge "$DW < $T_DEFRUN" def:run
    rt "default run, plots: $(calc "$DW" 3) s" "< $T_DEFRUN s: $V"
fi
emit "offshore-vs-ai (5 alts)" "$C1" "$C2" "$C3" "$C4" "$C5" "$C6" "$C7" "$C8"

# -- two alternatives of it, against numpy
capmix_case ta1 taN "$TA_TRIALS" ta "$(cg_passes "$TMP/cg.ta")"
TA_W1=$W1 TA_WN=$WN TA_E1=$E1 TA_EN=$EN TA_PASSES=$PASSES
NTW=''
if [ "$NP_TA" = 1 ] && [ -s "$TMP/npta.wall" ] && [ -n "$TA_W1" ]; then
    NTW=$(median "$TMP/npta.wall")
    if [ -n "$TA_WN" ]; then
        judge "$NTW / $TA_WN >= $T_TA_NUMPY" ta:numpy
        rt "numpy/capmix $(calc "$NTW / $TA_WN" 2)x ($NPROC threads)" ">= ${T_TA_NUMPY}x: $V"
    fi
    rt "numpy/capmix $(calc "$NTW / $TA_W1" 2)x (1 thread)" "(like for like)"
else
    rt "numpy: skipped" "-"
fi
common_targets ta
emit "two-alt (offshore, AI)" "$C1" "$C2" "$C3" "$C4" "$C5" "$C6" "$C7" "$C8"
if [ -n "$NTW" ]; then
    NTP=$(awk '$2 == "passes" { s += $3 } END { print s }' "$TMP/npta.out")
    baseline_row "two-alt numpy" npta "$TA_TRIALS" "$NTP" -
fi

# -- backlog24
capmix_case b241 b24N "$B24_TRIALS" b24 "$(cg_passes "$TMP/cg.b24")"
B24_W1=$W1 B24_WN=$WN B24_E1=$E1 B24_EN=$EN B24_PASSES=$PASSES
NW='' FW=''
if [ "$NP_24" = 1 ] && [ -s "$TMP/np24.wall" ] && [ -n "$B24_W1" ]; then
    NW=$(median "$TMP/np24.wall")
    if [ -n "$B24_WN" ]; then
        judge "$NW / $B24_WN >= $T_B24_NUMPY" b24:numpy
        rt "numpy/capmix $(calc "$NW / $B24_WN" 2)x ($NPROC threads)" ">= ${T_B24_NUMPY}x: $V"
    fi
    rt "numpy/capmix $(calc "$NW / $B24_W1" 2)x (1 thread)" "(like for like)"
fi
if [ "$HAVE_FLOOR" = 1 ] && [ -s "$TMP/floor.wall" ] && [ -n "$B24_W1" ]; then
    FW=$(median "$TMP/floor.wall")
    if [ -n "$B24_WN" ]; then
        judge "$B24_WN / $FW <= $T_B24_FLOOR" b24:floor
        rt "capmix/floor $(calc "$B24_WN / $FW" 1)x ($NPROC threads)" "<= ${T_B24_FLOOR}x: $V"
    fi
    rt "capmix/floor $(calc "$B24_W1 / $FW" 1)x (1 thread)" "(like for like)"
fi
common_targets b24
emit "backlog24" "$C1" "$C2" "$C3" "$C4" "$C5" "$C6" "$C7" "$C8"
if [ -n "$FW" ]; then
    FPP=-
    [ -s "$TMP/cg.floor.ir" ] && FPP=$(fmt_int "$(calc "$(cut -d' ' -f1 "$TMP/cg.floor.ir") / (24 * $CG_FLOOR_TRIALS)" 0)")
    baseline_row "backlog24 floor (C)" floor "$B24_TRIALS" 24 "$FPP"
else
    emit "backlog24 floor (C)" "$(fmt_int $B24_TRIALS)" skipped - - - - - -
fi
if [ -n "$NW" ]; then
    baseline_row "backlog24 numpy" np24 "$B24_TRIALS" 24 -
else
    emit "backlog24 numpy" "$(fmt_int $B24_TRIALS)" skipped - - - - - -
fi

# -- the break-even curve
if [ -s "$TMP/be.wall" ] && [ -s "$TMP/be.evals" ]; then
    BW=$(median "$TMP/be.wall")
    BE_EVALS=$(median "$TMP/be.evals")
    rt "$(calc "$BE_POINTS / $BW" 2) points/s" "(no target)"
    rt "$(calc "$BE_EVALS / $BW" 1) simulations/s" ""
    emit "break-even, default" "$(fmt_int "$(calc "$BE_EVALS * $BE_TRIALS" 0)")" - \
        "$(fmt_int "$(calc "$BE_EVALS * $BE_TRIALS / $BW" 0)")" - - - - "$(mib "$(maxval "$TMP/be.rss")")"
else
    emit "break-even, default" - FAILED - - - - - -
fi

# -- the stream
SW='' SR=''
if [ "$HAVE_STREAM" = 2 ]; then
    rt "skipped (BENCH_STREAM=0)" ""
    emit "backlog24 --stream" "$(fmt_int "$STREAM_TRIALS")" - - - - - - -
elif [ "$HAVE_STREAM" = 0 ]; then
    rt "not available (no --stream in capmix run --help)" ""
    emit "backlog24 streamed" "$(fmt_int "$STREAM_TRIALS")" - - - - - - -
elif [ -s "$TMP/stream.wall" ] && { [ "$STREAM_RC" = 0 ] || [ "$STREAM_RC" = 124 ]; }; then
    SR=$(maxval "$TMP/stream.rss")
    if [ "$STREAM_RC" = 124 ]; then
        judge 0 stream:time
        rt "stopped after $STREAM_LIMIT s" "< $T_STREAM_S s: $V"
        st_tps=-
    else
        SW=$(median "$TMP/stream.wall")
        judge "$SW < $T_STREAM_S" stream:time
        rt "$(calc "$SW" 1) s, one run" "< $T_STREAM_S s: $V"
        st_tps=$(fmt_int "$(calc "$STREAM_TRIALS / $SW" 0)")
    fi
    judge "$SR < $T_STREAM_MIB * 1024" stream:rss
    rt "peak RSS $(mib "$SR") MiB" "< $T_STREAM_MIB MiB: $V"
    st_sim=-
    [ -n "$SW" ] && [ -s "$TMP/stream.eng" ] && st_sim="$(calc "100 * $(cat "$TMP/stream.eng") / $SW" 0)%"
    emit "backlog24 --stream" "$(fmt_int "$STREAM_TRIALS")" - "$st_tps" - - \
        "$(cg_per_pass stream "$(calc "24 * $CG_B24_TRIALS" 0)")" "$st_sim" "$(mib "$SR")"
else
    emit "backlog24 --stream" "$(fmt_int "$STREAM_TRIALS")" FAILED - - - - - -
fi
rule

# ---- issue #19's targets, as ratios in this one run ----------------------------

# peer_mean_ok TAG: the peer's mean (third number of its line) is backlog24's
peer_mean_ok() {
    [ -s "$TMP/$1.out" ] && awk -v e="$B24_MEAN" '{ m = $3 + 0; d = m - e; if (d < 0) d = -d; ok = (d <= 0.01 * e) }
        END { exit !ok }' "$TMP/$1.out"
}
t19() { printf '  %-52s %-44s %s\n' "$1" "$2" "$3"; }
echo
echo "Issue #19 targets (ratios of whole-process wall times in this run; capmix on $NPROC threads unless said):"
if [ -n "$NW" ] && [ -n "$B24_WN" ]; then
    judge "$NW / $B24_WN >= $T19_B24_NUMPY" b24:i19numpy
    t19 "backlog24 10^6: numpy / capmix" "$(calc "$NW / $B24_WN" 2)x (1 thread: $(calc "$NW / $B24_W1" 2)x)" ">= ${T19_B24_NUMPY}x: $V"
else
    t19 "backlog24 10^6: numpy / capmix" "numpy not found: skipped" "-"
fi
if [ -n "$PROB_PY" ] && [ -s "$TMP/prob.wall" ] && [ -n "$B24_WN" ]; then
    PW=$(median "$TMP/prob.wall")
    if peer_mean_ok prob; then
        judge "$PW / $B24_WN >= $T19_B24_PROB" b24:i19probabilit
        t19 "backlog24 10^6: probabilit / capmix" "$(calc "$PW / $B24_WN" 2)x ($(calc "$PW" 2) s)" ">= ${T19_B24_PROB}x: $V"
    else
        t19 "backlog24 10^6: probabilit / capmix" "mean $(awk '{ print $3 }' "$TMP/prob.out"), not 120: another model" "no ratio"
    fi
else
    t19 "backlog24 10^6: probabilit / capmix" "$PROB_NOTE" "(>= ${T19_B24_PROB}x)"
fi
if [ -n "$MCP_PY" ] && [ -s "$TMP/mcp.wall" ] && [ -n "$B24_W1" ]; then
    MW=$(median "$TMP/mcp.wall")
    if peer_mean_ok mcp; then
        t19 "backlog24: mcprojsim / capmix, per trial" "$(calc "($MW / $MCP_TRIALS) / ($B24_W1 / $B24_TRIALS)" 0)x (1 thread; $(fmt_int "$MCP_TRIALS") trials in $(calc "$MW" 1) s)" "(no target)"
    else
        t19 "backlog24: mcprojsim / capmix, per trial" "mean $(awk '{ print $3 }' "$TMP/mcp.out"), not 120: another model" "no ratio"
    fi
else
    t19 "backlog24: mcprojsim / capmix, per trial" "$MCP_NOTE" "(no target)"
fi
if [ -n "$FW" ] && [ -n "$B24_W1" ]; then
    t19 "backlog24 10^6: capmix / C floor" "$(calc "$B24_WN / $FW" 1)x (1 thread: $(calc "$B24_W1 / $FW" 1)x)" "(no target)"
else
    t19 "backlog24 10^6: capmix / C floor" "floor skipped" "-"
fi
if [ -n "$DW" ]; then
    judge "$DW <= $T19_DEFRUN" def:i19run
    t19 "default run 10^5, plots, wall" "$(calc "$DW" 3) s" "<= $T19_DEFRUN s: $V"
fi
if [ -s "$TMP/defship.wall" ]; then
    SW_=$(median "$TMP/defship.wall")
    SE_=$(median "$TMP/defship.eng")
    SN_=$(json_int "$TMP/defship/summary.json" trials)
    judge "$SW_ <= $T19_DEFRUN" def:i19ship
    t19 "default run as shipped ($(fmt_int "$SN_") trials), plots, wall" "$(calc "$SW_" 3) s ($(calc "$SE_" 3) s in eng_run)" "<= $T19_DEFRUN s: $V"
fi
if [ -n "$DEF_E1" ] && [ -n "$DEF_PASSES" ]; then
    judge "$DEF_E1 * 1e9 / $DEF_PASSES <= $T19_NS_ENGINE" def:i19ns
    t19 "default 10^5: ns per pass in eng_run, 1 thread" "$(calc "$DEF_E1 * 1e9 / $DEF_PASSES" 1) ns" "<= $T19_NS_ENGINE ns: $V"
fi
if [ -n "$DEF_WN" ] && [ "$NPROC" -ge 2 ]; then
    judge "$DEF_W1 / $DEF_WN >= $T19_SPEEDUP" def:i19speedup
    t19 "default 10^5: $NPROC threads / 1 thread" "$(calc "$DEF_W1 / $DEF_WN" 2)x" ">= ${T19_SPEEDUP}x: $V"
else
    t19 "default 10^5: 2 threads / 1 thread" "1 CPU: not measurable" "-"
fi
if [ -n "$TBE_W" ]; then
    judge "$T19_BE_BEFORE / $TBE_W >= $T19_BE_FASTER" tbe:i19
    t19 "breakeven $TBE" "$(calc "$TBE_W" 1) s = $(calc "$T19_BE_BEFORE / $TBE_W" 2)x faster than ${T19_BE_BEFORE} s" ">= ${T19_BE_FASTER}x: $V"
    t19 "" "($(json_int "$TMP/tbe/breakeven.json" evaluations) simulations; the same curve is not checked here)" ""
elif [ "${BENCH_TOKEN_BREAKEVEN:-1}" = 0 ]; then
    t19 "breakeven $TBE" "skipped (BENCH_TOKEN_BREAKEVEN=0)" "-"
else
    t19 "breakeven $TBE" "FAILED" "-"
fi

# ---- checks -----------------------------------------------------------------

echo
# results must not depend on the thread count (cmd_run's promise)
for pair in "def1 defN $DEF" "ta1 taN $TA" "b241 b24N $B24"; do
    # shellcheck disable=SC2086 # split "A B FILE" into its words
    set -- $pair
    if [ "$NPROC" -gt 1 ] && [ -s "$TMP/$1/summary.json" ] && [ -s "$TMP/$2/summary.json" ]; then
        if same_results "$TMP/$1/summary.json" "$TMP/$2/summary.json"; then
            echo "same summary.json with 1 and $NPROC threads ($3): PASS"
        else
            echo "same summary.json with 1 and $NPROC threads ($3): FAIL"
            STATUS=1
        fi
    fi
done

# check NAME VALUE EXPECTED TOLERANCE NOTE: PASS when |VALUE − EXPECTED| <= TOLERANCE
check() {
    if awk -v v="$2" -v e="$3" -v t="$4" 'BEGIN { d = v - e; if (d < 0) d = -d; exit !(v == v + 0 && d <= t) }'; then
        ck=PASS
    else
        ck=FAIL
        STATUS=1
    fi
    printf '  %-34s %14s  expected %-12s %-28s %s\n' "$1" "$2" "$3" "$5" "$ck"
}
se_d=$(calc "$B24_SD / sqrt($B24_TRIALS)" 6)
se_c=$(calc "$B24_COST_SD / sqrt($B24_TRIALS)" 4)
if [ -s "$TMP/b241/summary.json" ]; then
    dm=$(json_metric "$TMP/b241/summary.json" delivery_day mean)
    ds=$(json_metric "$TMP/b241/summary.json" delivery_day sd)
    cm=$(json_metric "$TMP/b241/summary.json" cost_total mean)
    echo "backlog24 exactness (capmix, $(fmt_int $B24_TRIALS) trials; SE = exact sd/sqrt(n)):"
    check "delivery_day mean" "$(calc "$dm" 4)" "$B24_MEAN" "$(calc "5 * $se_d" 6)" "(within 5 SE = $(calc "5 * $se_d" 4); z = $(calc "($dm - $B24_MEAN) / $se_d" 2))"
    check "delivery_day sd" "$(calc "$ds" 4)" "$(calc "$B24_SD" 4)" "$(calc "$SD_TOL * $B24_SD" 6)" "(within $(calc "100 * $SD_TOL" 0)%; off $(calc "100 * ($ds / $B24_SD - 1)" 2)%)"
    check "cost_total mean" "$(calc "$cm" 1)" "$B24_COST" "$(calc "5 * $se_c" 4)" "(within 5 SE = $(calc "5 * $se_c" 1); z = $(calc "($cm - $B24_COST) / $se_c" 2))"
fi
if [ "$HAVE_FLOOR" = 1 ] && [ -s "$TMP/floor.out" ]; then
    read -r _n _s fm fs _c <"$TMP/floor.out"
    echo "floor kernel, same checks:"
    check "delivery_day mean" "$(calc "$fm" 4)" "$B24_MEAN" "$(calc "5 * $se_d" 6)" "(z = $(calc "($fm - $B24_MEAN) / $se_d" 2))"
    check "delivery_day sd" "$(calc "$fs" 4)" "$(calc "$B24_SD" 4)" "$(calc "$SD_TOL * $B24_SD" 6)" "(off $(calc "100 * ($fs / $B24_SD - 1)" 2)%)"
fi
if [ "$NP_24" = 1 ] && [ -s "$TMP/np24.out" ]; then
    read -r _n _s nm ns _c <"$TMP/np24.out"
    echo "numpy baseline, same checks:"
    check "delivery_day mean" "$(calc "$nm" 4)" "$B24_MEAN" "$(calc "5 * $se_d" 6)" "(z = $(calc "($nm - $B24_MEAN) / $se_d" 2))"
    check "delivery_day sd" "$(calc "$ns" 4)" "$(calc "$B24_SD" 4)" "$(calc "$SD_TOL * $B24_SD" 6)" "(off $(calc "100 * ($ns / $B24_SD - 1)" 2)%)"
fi
if [ "$HAVE_STREAM" = 1 ] && [ "$STREAM_RC" = 0 ] && [ -s "$TMP/stream/summary.json" ]; then
    sm=$(json_metric "$TMP/stream/summary.json" delivery_day mean)
    sse=$(calc "$B24_SD / sqrt($STREAM_TRIALS)" 7)
    echo "backlog24 streamed ($(fmt_int "$STREAM_TRIALS") trials):"
    if [ -n "$sm" ]; then
        check "delivery_day mean" "$(calc "$sm" 5)" "$B24_MEAN" "$(calc "5 * $sse" 7)" "(within 5 SE = $(calc "5 * $sse" 5); z = $(calc "($sm - $B24_MEAN) / $sse" 2))"
        ssd=$(json_metric "$TMP/stream/summary.json" delivery_day sd)
        [ -n "$ssd" ] &&
            check "delivery_day sd" "$(calc "$ssd" 4)" "$(calc "$B24_SD" 4)" "$(calc "$SD_TOL * $B24_SD" 6)" "(within $(calc "100 * $SD_TOL" 0)%; off $(calc "100 * ($ssd / $B24_SD - 1)" 3)%)"
    else
        echo "  delivery_day mean: not in summary.json: FAIL"
        STATUS=1
    fi
fi

# two-alt: numpy and capmix simulate the same model with different random
# numbers: their means must agree within AGREE_Z combined standard errors.
if [ "$NP_TA" = 1 ] && [ -s "$TMP/npta.out" ] && [ -s "$TMP/ta1/summary.json" ]; then
    echo "two-alt, numpy against capmix ($(fmt_int $TA_TRIALS) trials each; |difference| <= $AGREE_Z combined SE):"
    for alt in offshore ai-team; do
        for met in cost_per_outcome cost_total delivery_day passes; do
            cmn=$(json_alt_metric "$TMP/ta1/summary.json" "$alt" "$met" mean)
            cse=$(json_alt_metric "$TMP/ta1/summary.json" "$alt" "$met" se)
            # shellcheck disable=SC2046 # two numbers, or nothing
            set -- $(awk -v a="$alt" -v m="$met" '$1 == a && $2 == m { print $3, $4 }' "$TMP/npta.out")
            if [ -z "$cmn" ] || [ -z "$cse" ] || [ $# -lt 2 ]; then
                printf '  %-9s %-17s missing: FAIL\n' "$alt" "$met"
                STATUS=1
                continue
            fi
            z=$(calc "($1 - $cmn) / sqrt($2 * $2 + $cse * $cse)" 2)
            if awk -v z="$z" -v k="$AGREE_Z" 'BEGIN { exit !(z <= k && -z <= k) }'; then
                ck=PASS
            else
                ck=FAIL
                STATUS=1
            fi
            printf '  %-9s %-17s capmix %14s +- %-10s numpy %14s +- %-10s z = %6s  %s\n' "$alt" "$met" \
                "$(calc "$cmn" 3)" "$(calc "$cse" 3)" "$(calc "$1" 3)" "$(calc "$2" 3)" "$z" "$ck"
        done
    done
fi

# ---- why: a profile under every case with a target NOT MET -------------------

# cg_top TAG N: the N functions with the most own instructions
cg_top() {
    if [ -s "$TMP/cg.$1.out" ] && command -v callgrind_annotate >/dev/null 2>&1; then
        callgrind_annotate --inclusive=no "$TMP/cg.$1.out" 2>/dev/null |
            sed -n '/file:function/,$p' | sed '1,2d' | sed '/^ *$/d' | head -n "$2" |
            awk '{ ir = $1; pct = ""; rest = substr($0, index($0, $1) + length($1))
                   if (match(rest, /\( *[0-9.]+%\)/)) {
                       pct = substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH)
                       gsub(/ /, "", pct)
                   }
                   sub(/^ +/, "", rest)
                   if (match(rest, / \[[^]]*\]$/)) { # the object, when not capmix itself
                       obj = substr(rest, RSTART + 2, RLENGTH - 3); sub(/.*\//, "", obj)
                       rest = substr(rest, 1, RSTART - 1)
                       if (obj != "capmix") rest = rest " (" obj ")"
                   }
                   printf "      %15s %-9s %s\n", ir, pct, rest }'
    fi
}
# why_case NAME TAG CGTAG CGTRIALS W1 WN E1 EN PASSES TRIALS
why_case() {
    wc_name=$1 wc_cg=$3 wc_cgn=$4 wc_w1=$5 wc_wn=$6 wc_e1=$7 wc_en=$8 wc_p=$9
    shift 9
    wc_n=$1
    echo "  $wc_name ($(fmt_int "$wc_n") trials):"
    echo "    1 thread: $(calc "$wc_w1" 3) s whole process = $(calc "$wc_e1" 3) s in eng_run (the simulation, manifest.elapsed_seconds)"
    echo "      + $(calc "$wc_w1 - $wc_e1" 3) s outside it (start-up, statistics and quantiles of every metric, writing);"
    echo "      per pass: $(calc "$wc_w1 * 1e9 / $wc_p" 1) ns whole = $(calc "$wc_e1 * 1e9 / $wc_p" 1) ns simulating + $(calc "($wc_w1 - $wc_e1) * 1e9 / $wc_p" 1) ns outside"
    if [ -n "$wc_wn" ]; then
        wc_s=$(calc "($wc_w1 - $wc_e1) / $wc_w1" 4)
        echo "    $NPROC threads: $(calc "$wc_wn" 3) s = $(calc "$wc_en" 3) s in eng_run + $(calc "$wc_wn - $wc_en" 3) s outside it;"
        echo "      eng_run speed-up $(calc "$wc_e1 / $wc_en" 2)x, whole process $(calc "$wc_w1 / $wc_wn" 2)x; with the outside part serial"
        echo "      ($(calc "100 * $wc_s" 1)% of the 1-thread time) Amdahl allows at most $(calc "1 / ($wc_s + (1 - $wc_s) / $NPROC)" 2)x"
    fi
    if [ -s "$TMP/cg.$wc_cg.ir" ]; then
        read -r wc_all wc_eng <"$TMP/cg.$wc_cg.ir"
        wc_cp=$(cg_passes "$TMP/cg.$wc_cg")
        if [ "$wc_eng" != - ] && [ -n "$wc_cp" ]; then
            echo "    callgrind, $(fmt_int "$wc_cgn") trials, 1 thread: $(fmt_int "$wc_all") Ir whole, $(fmt_int "$wc_eng") in eng_run ($(calc "100 * $wc_eng / $wc_all" 0)%);"
            echo "      $(fmt_int "$(calc "$wc_eng / $wc_cp" 0)") Ir per pass simulating, $(fmt_int "$(calc "($wc_all - $wc_eng) / $wc_cp" 0)") outside; own Ir, top functions:"
        else
            echo "    callgrind, $(fmt_int "$wc_cgn") trials, 1 thread: $(fmt_int "$wc_all") Ir; own Ir, top functions:"
        fi
        cg_top "$wc_cg" 14
    else
        echo "    (no callgrind profile: $CG_NOTE)"
    fi
}
missed() { case " $MISSED " in *" $1:"*) return 0 ;; esac; return 1; }

if [ "$NOT_MET" -gt 0 ]; then
    echo
    echo "Why: $NOT_MET target(s) NOT MET; the profile of each case concerned"
    [ -n "$DEF_W1" ] && [ -n "$DEF_PASSES" ] && missed def &&
        why_case "offshore-vs-ai (targets:$(echo " $MISSED" | tr ' ' '\n' | sed -n 's/^def:/ /p' | tr -d '\n'))" def def "$CG_DEF_TRIALS" \
            "$DEF_W1" "$DEF_WN" "$DEF_E1" "$DEF_EN" "$DEF_PASSES" "$DEF_TRIALS"
    if missed def && [ -s "$TMP/defrun.wall" ] && [ -s "$TMP/defrun.eng" ]; then
        DE=$(median "$TMP/defrun.eng")
        echo "    default run with plots ($NPROC threads): $(calc "$DW" 3) s = $(calc "$DE" 3) s in eng_run + $(calc "$DW - $DE" 3) s outside it"
        echo "      (start-up, statistics, monthly fans, tables, report and plots)"
    fi
    [ -n "$TA_W1" ] && [ -n "$TA_PASSES" ] && missed ta &&
        why_case "two-alt (targets:$(echo " $MISSED" | tr ' ' '\n' | sed -n 's/^ta:/ /p' | tr -d '\n'))" ta ta "$CG_TA_TRIALS" \
            "$TA_W1" "$TA_WN" "$TA_E1" "$TA_EN" "$TA_PASSES" "$TA_TRIALS"
    if missed ta && [ -s "$TMP/npta.kern" ]; then
        echo "    numpy: $(calc "$NTW" 3) s whole = $(calc "$(median "$TMP/npta.kern")" 3) s simulating + interpreter and numpy start-up"
    fi
    [ -n "$B24_W1" ] && [ -n "$B24_PASSES" ] && missed b24 &&
        why_case "backlog24 (targets:$(echo " $MISSED" | tr ' ' '\n' | sed -n 's/^b24:/ /p' | tr -d '\n'))" b24 b24 "$CG_B24_TRIALS" \
            "$B24_W1" "$B24_WN" "$B24_E1" "$B24_EN" "$B24_PASSES" "$B24_TRIALS"
    if missed b24; then
        [ -s "$TMP/floor.kern" ] &&
            echo "    floor: $(calc "$FW" 3) s whole = $(calc "$(median "$TMP/floor.kern")" 3) s in its kernel ($(calc "$(median "$TMP/floor.kern") * 1e9 / $B24_TRIALS" 1) ns/trial; capmix's eng_run: $(calc "$B24_E1 * 1e9 / $B24_TRIALS" 1) ns/trial)"
        [ -s "$TMP/np24.kern" ] &&
            echo "    numpy: $(calc "$NW" 3) s whole = $(calc "$(median "$TMP/np24.kern")" 3) s in its kernel + interpreter and numpy start-up"
        [ -s "$TMP/cg.floor.ir" ] &&
            echo "    floor under callgrind: $(fmt_int "$(calc "$(cut -d' ' -f1 "$TMP/cg.floor.ir") / (24 * $CG_FLOOR_TRIALS)" 1)") Ir per pass, whole process"
    fi
    if missed stream; then
        sp_passes=$(calc "24 * $STREAM_TRIALS" 0)
        echo "  backlog24 --stream (targets:$(echo " $MISSED" | tr ' ' '\n' | sed -n 's/^stream:/ /p' | tr -d '\n')) ($(fmt_int "$STREAM_TRIALS") trials, $(fmt_int "$sp_passes") passes, one run, $NPROC threads):"
        if [ -n "$SW" ]; then
            sp_e=$(cat "$TMP/stream.eng" 2>/dev/null)
            [ -n "$sp_e" ] &&
                echo "    $(calc "$SW" 1) s whole process = $(calc "$sp_e" 1) s in eng_run (simulating and streaming the statistics) + $(calc "$SW - $sp_e" 1) s outside it"
            echo "    = $(calc "$SW * $NPROC * 1e9 / $sp_passes" 1) ns of CPU per pass on $NPROC threads; $T_STREAM_S s allows $(calc "$T_STREAM_S * $NPROC * 1e9 / $sp_passes" 1) ns per pass,"
            [ -n "$B24_E1" ] &&
                echo "    and backlog24's eng_run, not streamed, takes $(calc "$B24_E1 * 1e9 / $B24_PASSES" 1) ns per pass on 1 thread"
        else
            echo "    stopped after $STREAM_LIMIT s; peak RSS $(mib "$SR") MiB"
        fi
        if [ -s "$TMP/cg.stream.ir" ] && [ -s "$TMP/cg.b24.ir" ]; then
            read -r sp_all sp_eng <"$TMP/cg.stream.ir"
            read -r sb_all sb_eng <"$TMP/cg.b24.ir"
            if [ "$sp_eng" != - ] && [ "$sb_eng" != - ]; then
                echo "    callgrind, $(fmt_int $CG_B24_TRIALS) trials, 1 thread: $(fmt_int "$(calc "$sp_eng / (24 * $CG_B24_TRIALS)" 0)") Ir per pass in eng_run streamed, $(fmt_int "$(calc "$sb_eng / (24 * $CG_B24_TRIALS)" 0)") not streamed;"
                echo "      whole process $(fmt_int "$sp_all") Ir streamed, $(fmt_int "$sb_all") not; own Ir, top functions (streamed):"
                cg_top stream 10
            fi
        fi
    fi
fi

# ---- notes ---------------------------------------------------------------------

echo
echo "(a) whole-process wall time of the 1-thread run x 1e9 / total passes; capmix's passes ="
echo "    sum over alternatives of metrics.passes.mean x trials (summary.json), numpy's the same from its"
echo "    output, floor and backlog24 24 a trial.  The wall time includes start-up, scenario loading,"
echo "    statistics and writing summary.json, not only the simulation."
if [ "$HAVE_CG" = 1 ]; then
    echo "(b) callgrind instructions per pass inside eng_run (the simulation), 1 thread, capmix runs of"
    echo "    $(fmt_int $CG_DEF_TRIALS) (default, two-alt) and $(fmt_int $CG_B24_TRIALS) (backlog24) trials; the floor: its whole process"
    echo "    at $(fmt_int $CG_FLOOR_TRIALS) trials; the stream: $(fmt_int $CG_B24_TRIALS) trials of backlog24 with --stream.  Counted,"
    echo "    not timed: repeatable on a noisy machine.  On by default (~30 s); BENCH_CALLGRIND=0 skips it."
    if [ -s "$TMP/cg.def.ir" ]; then
        read -r dca _dce <"$TMP/cg.def.ir"
        dcp=$(cg_passes "$TMP/cg.def")
        [ -n "$dcp" ] &&
            echo "    whole process, default scenario: $(fmt_int "$(calc "$dca / $dcp" 0)") Ir per pass ($(fmt_int "$dca") Ir, $(fmt_int "$dcp") passes)."
    fi
else
    echo "(b) callgrind: $CG_NOTE"
fi
echo "(c) share of the 1-thread wall time spent simulating (capmix: manifest.elapsed_seconds of"
echo "    summary.json; floor and numpy: their own kernel timer; the stream: of its one run on every"
echo "    thread); the rest is start-up and statistics."
if [ "$HAVE_GTIME" = 1 ]; then
    echo "    Peak RSS: the largest over the runs of the case (1 and $NPROC threads), /usr/bin/time -f %M."
else
    echo "    Peak RSS: the largest over the runs of the case, ru_maxrss from wait4 (no /usr/bin/time)."
fi
echo "(d) ratios of median whole-process wall times, each as its user runs it: numpy/capmix is how"
echo "    many times longer numpy takes (numpy is single-threaded), capmix/floor how many times longer"
echo "    capmix takes than the C floor (single-threaded).  The target is judged on capmix with every"
echo "    thread (issue #8: whole process as a user runs it); the 1-thread ratio is shown beside it."
echo "(e) issue #8's targets; the speed-up target is 1.8x on 2 threads (90 % parallel efficiency,"
echo "    ${T_SPEEDUP}x here).  The stream is timed once (one run of $(fmt_int "$STREAM_TRIALS") trials), the break-even"
echo "    curve over $RUNS runs ($BE_POINTS points of ai-team token spend against throughput where ai-team's and"
echo "    offshore's cost_per_outcome.p50 are equal, $(fmt_int "$BE_TRIALS") trials a simulation, $NPROC threads)."
echo "Timings: median of $RUNS; trials/s = trials / median whole-process wall time; speed-up ="
echo "1-thread time / $NPROC-thread time.  Runs use -q -o TMPDIR --no-plots --threads T, except the"
echo "default run (plots, table, every thread) and the stream (every thread)."
exit $STATUS
