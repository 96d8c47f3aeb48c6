#!/bin/sh
# tests/bench/run.sh — the capmix benchmark (`make bench`, after bin/capmix
# is built).  POSIX sh; python3 is optional (JSON is read with awk without
# it); valgrind only with BENCH_CALLGRIND=1.  Installs nothing.
#
# Cases (every timing is the median of BENCH_RUNS runs, default 5; the
# 1-thread and all-thread runs alternate so drifting load hits both alike):
#   1. scenarios/offshore-vs-ai.yaml, 100,000 trials, 1 thread and all
#      threads (capmix run -q --no-plots), and the whole default run
#      (plots, table, all threads) against the target of 1 s;
#   2. tests/bench/backlog24.yaml, 1,000,000 trials, with its exact answers
#      checked (PASS/FAIL);
#   3. tests/bench/floor.c — the same model as a minimal C kernel, the floor;
#   4. tests/bench/baseline_numpy.py — the same model vectorised in numpy,
#      when numpy is importable;
#   5. instructions per pass under callgrind (BENCH_CALLGRIND=1).
#
# Environment: CAPMIX (binary, default bin/capmix), CC (default cc),
# BENCH_RUNS (default 5), BENCH_CALLGRIND=1, BENCH_NO_PYTHON=1 (read JSON
# with awk even when python3 exists), TMPDIR.
# Exit status: 0, or 1 when a run failed or an exactness check FAILed
# (missing the 1 s target is reported, not an error).

set -u
LC_ALL=C
export LC_ALL

cd "$(dirname "$0")/../.." || exit 1
BIN=${CAPMIX:-bin/capmix}
CC=${CC:-cc}
RUNS=${BENCH_RUNS:-5}
DEF=scenarios/offshore-vs-ai.yaml
B24=tests/bench/backlog24.yaml
DEF_TRIALS=100000
B24_TRIALS=1000000
CG_TRIALS=2000
# backlog24's exact answers (see backlog24.yaml): 24 x Triangular(2, 4, 9)
B24_MEAN=120
B24_SD=7.211102550927978     # sqrt(24 * 39/18) = sqrt(52)
B24_COST=96000               # 800 per day
B24_COST_SD=5768.882040742383
SD_TOL=0.02                  # relative; the sd's own SE at 1e6 trials is ~0.05 %

if [ ! -x "$BIN" ]; then
    echo "bench: $BIN is missing; run make first" >&2
    exit 1
fi
case $RUNS in '' | *[!0-9]* | 0) echo "bench: BENCH_RUNS must be a positive integer" >&2; exit 1 ;; esac

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

HAVE_PY=0
command -v python3 >/dev/null 2>&1 && HAVE_PY=1
[ "${BENCH_NO_PYTHON:-0}" = 1 ] && HAVE_PY=0 # to test the awk readers
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
# json_engine FILE: manifest.elapsed_seconds (capmix's own simulation time).
if [ "$HAVE_PY" = 1 ]; then
    json_passes() {
        python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(repr(sum(a["metrics"]["passes"]["mean"] for a in d["alternatives"]) * d["trials"]))' "$1"
    }
    json_metric() {
        python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(repr(d["alternatives"][0]["metrics"][sys.argv[2]][sys.argv[3]]))' "$1" "$2" "$3"
    }
    json_engine() {
        python3 -c 'import json, sys
print(repr(json.load(open(sys.argv[1]))["manifest"]["elapsed_seconds"]))' "$1"
    }
else
    # summary.json is written one key a line (sim/json.c); these follow
    # that layout: "metrics": { "NAME": { "FIELD": value ... } ... }.
    json_passes() {
        awk '/^  "trials":/ { gsub(/[ ,]/, "", $2); n = $2 }
             /"metrics": \{/ { inm = 1 }
             /"vs_baseline":/ { inm = 0 }
             inm && /"passes": \{/ { want = 1; next }
             want && /"mean":/ { v = $2; gsub(/,/, "", v); s += v; want = 0 }
             END { printf "%.17g\n", s * n }' "$1"
    }
    json_metric() {
        awk -v m="\"$2\": {" -v f="\"$3\":" '
             /"metrics": \{/ { inm = 1 }
             /"vs_baseline":/ { if (inm) exit; }
             inm && index($0, m) { want = 1; next }
             want && index($0, f) == index($0, "\"") && index($0, f) { v = $2; gsub(/,/, "", v); print v; exit }' "$1"
    }
    json_engine() {
        awk '/"elapsed_seconds":/ { v = $2; gsub(/,/, "", v); print v }' "$1"
    }
fi

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
HAVE_NUMPY=0
if [ "$HAVE_PY" = 1 ] && python3 -c 'import numpy' >/dev/null 2>&1; then
    HAVE_NUMPY=1
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
        timed defN "$BIN" run "$DEF" --trials "$DEF_TRIALS" -q -o "$TMP/defN" --no-plots --threads "$NPROC" ||
            { fail defN "$DEF --threads $NPROC"; break; }
    fi
    # the whole default run: table, data files and plots, every thread
    timed defrun "$BIN" run "$DEF" --trials "$DEF_TRIALS" -o "$TMP/defrun" ||
        { fail defrun "$DEF (default run)"; break; }
done

# ---- 2. backlog24 --------------------------------------------------------

echo "running: $B24 at $(fmt_int $B24_TRIALS) trials ..." >&2
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
        timed b24N "$BIN" run "$B24" --trials "$B24_TRIALS" -q -o "$TMP/b24N" --no-plots --threads "$NPROC" ||
            { fail b24N "$B24 --threads $NPROC"; break; }
    fi
done

# ---- 3. the floor --------------------------------------------------------

if [ "$HAVE_FLOOR" = 1 ]; then
    echo "running: floor kernel ..." >&2
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        i=$((i + 1))
        if timed floor "$TMP/floor" "$B24_TRIALS" 24; then
            awk '{ print $2 }' "$TMP/floor.out" >>"$TMP/floor.kern"
        else
            fail floor "floor kernel"
            HAVE_FLOOR=0
            break
        fi
    done
fi

# ---- 4. numpy ------------------------------------------------------------

if [ "$HAVE_NUMPY" = 1 ]; then
    echo "running: numpy baseline ..." >&2
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        i=$((i + 1))
        if timed numpy python3 tests/bench/baseline_numpy.py "$B24_TRIALS" 24; then
            awk '{ print $2 }' "$TMP/numpy.out" >>"$TMP/numpy.kern"
        else
            fail numpy "numpy baseline"
            HAVE_NUMPY=0
            break
        fi
    done
fi

# ---- 5. callgrind --------------------------------------------------------

CG_LINE="callgrind: off (set BENCH_CALLGRIND=1 to count instructions per pass; ~10 s)"
if [ "${BENCH_CALLGRIND:-0}" = 1 ]; then
    if ! command -v valgrind >/dev/null 2>&1; then
        CG_LINE="callgrind: skipped (valgrind not installed)"
    else
        echo "running: callgrind ($(fmt_int $CG_TRIALS) trials, twice) ..." >&2
        # whole process, then only inside eng_run (the simulation proper)
        valgrind --tool=callgrind --callgrind-out-file=/dev/null \
            "$BIN" run "$DEF" --trials "$CG_TRIALS" -q -o "$TMP/cg" --no-plots --threads 1 \
            >/dev/null 2>"$TMP/cg.err"
        cg_rc=$?
        valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=eng_run \
            "$BIN" run "$DEF" --trials "$CG_TRIALS" -q -o "$TMP/cg" --no-plots --threads 1 \
            >/dev/null 2>"$TMP/cge.err"
        cge_rc=$?
        cg_ir() {
            awk '/Collected :/ { gsub(/,/, "", $NF); c = $NF }
                 /I *refs:/ { v = $NF; gsub(/,/, "", v); r = v }
                 END { if (c != "") print c; else if (r != "") print r }' "$1"
        }
        CG_ALL=$(cg_ir "$TMP/cg.err")
        CG_ENG=$(cg_ir "$TMP/cge.err")
        if [ "$cg_rc" -ne 0 ] || [ "$cge_rc" -ne 0 ] || [ -z "$CG_ALL" ] || [ -z "$CG_ENG" ] ||
            [ ! -s "$TMP/cg/summary.json" ]; then
            CG_LINE="callgrind: FAILED (see below)"
            tail -n 5 "$TMP/cg.err" "$TMP/cge.err" >&2
            STATUS=1
        else
            CG_P=$(json_passes "$TMP/cg/summary.json")
            CG_LINE="callgrind ($DEF, $(fmt_int $CG_TRIALS) trials, 1 thread, $(fmt_int "$CG_P") passes): $(fmt_int "$(calc "$CG_ALL / $CG_P" 1)") instructions per pass for the whole process, $(fmt_int "$(calc "$CG_ENG / $CG_P" 1)") inside eng_run (whole: $(fmt_int "$CG_ALL") Ir)"
        fi
    fi
fi

# ---- the table -----------------------------------------------------------

row() { # case trials tps1 tpsN speedup ns_pass sim_share rss
    printf '%-27s %10s %15s %15s %9s %10s %6s %9s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8"
}
mib() { [ -n "$1" ] && [ "$1" != "-" ] && calc "$1 / 1024" 1 || echo -; }

# capmix_row NAME TAG1 TAGN TRIALS: prints the row, sets W1 (median wall,
# 1 thread) and PASSES.
capmix_row() {
    cr_name=$1 cr_1=$2 cr_n=$3 cr_trials=$4
    W1=
    PASSES=
    if [ ! -s "$TMP/$cr_1.wall" ] || [ ! -s "$TMP/$cr_1/summary.json" ]; then
        row "$cr_name" "$(fmt_int "$cr_trials")" FAILED - - - - -
        return
    fi
    W1=$(median "$TMP/$cr_1.wall")
    PASSES=$(json_passes "$TMP/$cr_1/summary.json")
    tps1=$(calc "$cr_trials / $W1" 0)
    if [ "$NPROC" -gt 1 ] && [ -s "$TMP/$cr_n.wall" ]; then
        WN=$(median "$TMP/$cr_n.wall")
        tpsN=$(fmt_int "$(calc "$cr_trials / $WN" 0)")
        sp="$(calc "$W1 / $WN" 2)x"
        cat "$TMP/$cr_n.rss" >>"$TMP/$cr_1.rss"
    else
        tpsN=-
        sp=-
    fi
    share="$(calc "100 * $(median "$TMP/$cr_1.eng") / $W1" 0)%"
    row "$cr_name" "$(fmt_int "$cr_trials")" "$(fmt_int "$tps1")" "$tpsN" "$sp" \
        "$(calc "$W1 * 1e9 / $PASSES" 1)" "$share" "$(mib "$(maxval "$TMP/$cr_1.rss")")"
}

echo
row "case" "trials" "trials/s 1 thr" "trials/s $NPROC thr" "speed-up" "ns/pass" "sim" "peak RSS"
row "" "" "" "" "" "1 thr (a)" "(b)" "MiB (c)"
row "---------------------------" "----------" "---------------" "---------------" "---------" "----------" "------" "---------"
capmix_row "offshore-vs-ai (5 alts)" def1 defN "$DEF_TRIALS"
DEF_PASSES=$PASSES
capmix_row "backlog24 capmix" b241 b24N "$B24_TRIALS"
B24_W1=$W1
if [ "$HAVE_FLOOR" = 1 ] && [ -s "$TMP/floor.wall" ]; then
    FW=$(median "$TMP/floor.wall")
    FK=$(median "$TMP/floor.kern")
    row "backlog24 floor (C kernel)" "$(fmt_int $B24_TRIALS)" "$(fmt_int "$(calc "$B24_TRIALS / $FW" 0)")" - - \
        "$(calc "$FW * 1e9 / (24 * $B24_TRIALS)" 2)" "$(calc "100 * $FK / $FW" 0)%" "$(mib "$(maxval "$TMP/floor.rss")")"
else
    row "backlog24 floor (C kernel)" "$(fmt_int $B24_TRIALS)" skipped - - - - -
fi
if [ "$HAVE_NUMPY" = 1 ] && [ -s "$TMP/numpy.wall" ]; then
    NW=$(median "$TMP/numpy.wall")
    NK=$(median "$TMP/numpy.kern")
    row "backlog24 numpy" "$(fmt_int $B24_TRIALS)" "$(fmt_int "$(calc "$B24_TRIALS / $NW" 0)")" - - \
        "$(calc "$NW * 1e9 / (24 * $B24_TRIALS)" 2)" "$(calc "100 * $NK / $NW" 0)%" "$(mib "$(maxval "$TMP/numpy.rss")")"
fi
echo

# the default run against its target
if [ -s "$TMP/defrun.wall" ]; then
    DW=$(median "$TMP/defrun.wall")
    if awk -v w="$DW" 'BEGIN { exit !(w < 1.0) }'; then verdict="target met"; else verdict="target NOT met"; fi
    echo "default run ($DEF, $(fmt_int $DEF_TRIALS) trials, $NPROC threads, table + plots, whole process):"
    echo "  $(calc "$DW" 3) s (target < 1 s, start-up included): $verdict; peak RSS $(mib "$(maxval "$TMP/defrun.rss")") MiB"
else
    echo "default run: FAILED"
fi

# results must not depend on the thread count (cmd_run's promise)
for pair in "def1 defN $DEF" "b241 b24N $B24"; do
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

# backlog24 against its exact answers
# check NAME VALUE EXPECTED TOLERANCE UNIT: PASS when |VALUE − EXPECTED| <= TOLERANCE
check() {
    if awk -v v="$2" -v e="$3" -v t="$4" 'BEGIN { d = v - e; if (d < 0) d = -d; exit !(v == v + 0 && d <= t) }'; then
        ck=PASS
    else
        ck=FAIL
        STATUS=1
    fi
    printf '  %-34s %14s  expected %-12s %-24s %s\n' "$1" "$2" "$3" "$5" "$ck"
}
if [ -s "$TMP/b241/summary.json" ]; then
    n=$B24_TRIALS
    dm=$(json_metric "$TMP/b241/summary.json" delivery_day mean)
    ds=$(json_metric "$TMP/b241/summary.json" delivery_day sd)
    cm=$(json_metric "$TMP/b241/summary.json" cost_total mean)
    se_d=$(calc "$B24_SD / sqrt($n)" 6)
    se_c=$(calc "$B24_COST_SD / sqrt($n)" 4)
    echo "backlog24 exactness (capmix, $(fmt_int $n) trials; SE = sd/sqrt(n)):"
    check "delivery_day mean" "$(calc "$dm" 4)" "$B24_MEAN" "$(calc "5 * $se_d" 6)" "(within 5 SE = $(calc "5 * $se_d" 4); z = $(calc "($dm - $B24_MEAN) / $se_d" 2))"
    check "delivery_day sd" "$(calc "$ds" 4)" "$(calc "$B24_SD" 4)" "$(calc "$SD_TOL * $B24_SD" 6)" "(within $(calc "100 * $SD_TOL" 0)%; off $(calc "100 * ($ds / $B24_SD - 1)" 2)%)"
    check "cost_total mean" "$(calc "$cm" 1)" "$B24_COST" "$(calc "5 * $se_c" 4)" "(within 5 SE = $(calc "5 * $se_c" 1); z = $(calc "($cm - $B24_COST) / $se_c" 2))"
fi
if [ "$HAVE_FLOOR" = 1 ] && [ -s "$TMP/floor.out" ]; then
    read -r _n _s fm fs _c <"$TMP/floor.out"
    se_d=$(calc "$B24_SD / sqrt($B24_TRIALS)" 6)
    echo "floor kernel, same checks:"
    check "delivery_day mean" "$(calc "$fm" 4)" "$B24_MEAN" "$(calc "5 * $se_d" 6)" "(z = $(calc "($fm - $B24_MEAN) / $se_d" 2))"
    check "delivery_day sd" "$(calc "$fs" 4)" "$(calc "$B24_SD" 4)" "$(calc "$SD_TOL * $B24_SD" 6)" "(off $(calc "100 * ($fs / $B24_SD - 1)" 2)%)"
fi
if [ "$HAVE_NUMPY" = 1 ] && [ -s "$TMP/numpy.out" ]; then
    read -r _n _s nm ns _c <"$TMP/numpy.out"
    se_d=$(calc "$B24_SD / sqrt($B24_TRIALS)" 6)
    echo "numpy baseline, same checks:"
    check "delivery_day mean" "$(calc "$nm" 4)" "$B24_MEAN" "$(calc "5 * $se_d" 6)" "(z = $(calc "($nm - $B24_MEAN) / $se_d" 2))"
    check "delivery_day sd" "$(calc "$ns" 4)" "$(calc "$B24_SD" 4)" "$(calc "$SD_TOL * $B24_SD" 6)" "(off $(calc "100 * ($ns / $B24_SD - 1)" 2)%)"
fi
echo

# ratios (1 thread each: the floor and numpy are single-threaded)
if [ -n "${B24_W1:-}" ] && [ "$HAVE_FLOOR" = 1 ] && [ -n "${FW:-}" ]; then
    echo "capmix/floor (backlog24, 1 thread, whole process): capmix takes $(calc "$B24_W1 / $FW" 1)x the floor's time"
    echo "  (floor kernel alone: $(calc "$FK * 1e9 / $B24_TRIALS" 1) ns/trial; capmix in eng_run: $(calc "$(median "$TMP/b241.eng") * 1e9 / $B24_TRIALS" 1) ns/trial)"
fi
if [ "$HAVE_NUMPY" = 1 ] && [ -n "${NW:-}" ] && [ -n "${B24_W1:-}" ]; then
    echo "capmix/numpy (backlog24, 1 thread, whole process): capmix takes $(calc "$B24_W1 / $NW" 2)x numpy's time (numpy kernel alone: $(calc "$NK" 3) s)"
elif [ "$HAVE_NUMPY" = 0 ]; then
    echo "numpy baseline: skipped (python3-numpy not installed)"
fi
echo "$CG_LINE"
echo
echo "(a) whole-process wall time of the 1-thread run x 1e9 / total passes, total passes ="
echo "    sum over alternatives of metrics.passes.mean x trials (summary.json); the wall time"
echo "    includes start-up, scenario loading, statistics and writing summary.json, not only"
echo "    the simulation.  offshore-vs-ai: $(fmt_int "${DEF_PASSES:-0}") passes.  floor and numpy: 24 passes a trial."
echo "(b) share of the 1-thread wall time spent simulating (capmix: manifest.elapsed_seconds of"
echo "    summary.json; floor and numpy: their own kernel timer); the rest is start-up and statistics."
if [ "$HAVE_GTIME" = 1 ]; then
    echo "(c) largest peak RSS over the runs of the case, /usr/bin/time -f %M."
else
    echo "(c) largest peak RSS over the runs of the case, ru_maxrss from wait4 (no /usr/bin/time)."
fi
echo "Timings: median of $RUNS; trials/s = trials / median whole-process wall time; speed-up ="
echo "1-thread time / $NPROC-thread time.  Runs use -q -o TMPDIR --no-plots --threads T."
exit $STATUS
