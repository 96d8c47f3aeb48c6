#!/bin/sh
# Fault injection: every allocation and every output call of a set of capmix
# commands made to fail in turn, once and from then on; run by
# `make check FAULTS=1` (see docs/testing.md).  POSIX sh, from the
# repository root:
#
#     make FAULTS=1 build-faults/bin/capmix && sh tests/faults/run.sh
#
# The binary must come from the FAULTS=1 build (ASan + UBSan + LeakSanitizer,
# linked with tests/faults/shim.c).  For each case below a clean run counts
# its calls (and traces them), then for each class (alloc, write), each mode
# (once: only call N fails; always: N and every later call fail) and each
# chosen N the command runs again with that fault, and must:
#
#   - end with exit status 1 and a "capmix: ..." message on stderr, or with
#     0 when the failure is absorbed (e.g. fclose of a file only read), and
#     then produce exactly what the clean run produced;
#   - not crash, and not trip a sanitizer: ASan, UBSan and LeakSanitizer
#     reports exit with 86, which is a failure like a signal;
#   - leave its output as it found it (the previous results, compared byte
#     for byte; or no output folder if there was none) or, for a failure
#     after the commit (e.g. printing "wrote ..."), the complete new results
#     (byte for byte, the elapsed time aside);
#   - leave no temporary file (.NAME.tmp.*) behind.
#
# Which N: every one from 1 to the count when the count is at most
# FAULTS_ALL (default 1000).  Above that (summary.json alone is some 19,000
# fputs calls, all made by the same line of json.c) every call that is not
# a plain data write or allocation (open, flush, sync, close, rename,
# mkdir, library constructors), the first two and the last call of every
# call site, the first and last call on every stream and at every change of
# stream, and every k-th call with k = ceil(count / FAULTS_MAX), FAULTS_MAX
# 200 by default.  FAULTS_EVERY=1 fails every N (about an hour);
# FAULTS_JOBS (default: CPUs) runs that many at once; FAULTS_ONLY="run bid"
# runs only those cases.
#
# Prints "ok - ..." or "not ok - ..." with '#' detail lines (the failing N,
# the call that failed and where, the first lines of stderr) per case,
# class and mode, and as its last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL

. tests/lib/cli.sh
root=$(pwd)
CAPMIX=${CAPMIX:-build-faults/bin/capmix}
case $CAPMIX in /*) ;; *) CAPMIX=$root/$CAPMIX ;; esac
ALL=${FAULTS_ALL:-1000}
MAX=${FAULTS_MAX:-200}
EVERY=${FAULTS_EVERY:-0}
JOBS=${FAULTS_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
S=$root/tests/faults/tiny.yaml

# A sanitizer report must not look like exit status 1.
ASAN_OPTIONS=detect_leaks=1:exitcode=86:abort_on_error=0:handle_abort=1:allocator_may_return_null=1
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86
LSAN_OPTIONS=exitcode=86
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
unset CAPMIX_FAIL_ALLOC CAPMIX_FAIL_WRITE CAPMIX_FAIL_MODE CAPMIX_FAULT_LOG CAPMIX_FAULT_TRACE

tmp=$(mktemp -d "${TMPDIR:-/tmp}/capmix-faults.XXXXXX") || { not_ok "mktemp -d"; finish; }
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

if [ ! -f "$S" ]; then
    not_ok "run from the repository root (sh tests/faults/run.sh)" "current directory: $root"
    finish
fi
# The shim writes its log at exit: no log, no fault injection.
if ! CAPMIX_FAULT_LOG=$tmp/probe "$CAPMIX" --version >/dev/null 2>&1 || [ ! -s "$tmp/probe" ]; then
    not_ok "$CAPMIX is a FAULTS=1 build" "no fault log: build it with 'make FAULTS=1'"
    finish
fi

# What may differ between two clean runs: the elapsed time.
mask() {
    sed -e '/"elapsed_seconds"/d' -e '/"seconds"/d' -e 's/[0-9][0-9.]* s\([;.,)]\)/T s\1/g' \
        -e 's/[0-9][0-9.]* s$/T s/' "$1"
}

# same_tree A B TMP [masked]: the same files, each equal byte for byte
# (after mask() when a fourth argument is given); TMP is a scratch prefix.
# A missing A equals a missing B.
same_tree() {
    if [ ! -e "$1" ] || [ ! -e "$2" ]; then
        [ ! -e "$1" ] && [ ! -e "$2" ]
        return
    fi
    [ -z "${4:-}" ] && { diff -r -q "$1" "$2" >/dev/null 2>&1; return; }
    (cd "$1" && find . | sort) >"$3.la" 2>/dev/null
    (cd "$2" && find . | sort) >"$3.lb" 2>/dev/null
    cmp -s "$3.la" "$3.lb" || return 1
    while IFS= read -r f; do
        [ -f "$1/$f" ] || continue
        mask "$1/$f" >"$3.ma"
        mask "$2/$f" >"$3.mb"
        cmp -s "$3.ma" "$3.mb" || return 1
    done <"$3.la"
}

# run_one CLASS MODE N: the command with one fault, in the worker's folder
# (the current directory), then its verdict: nothing when it behaved, else
# one line "N=...: what went wrong" and the first lines of its stderr.
# Shell built-ins where possible: this runs some thousands of times.
run_one() {
    rm -rf out log
    [ -d "$case_dir/prev" ] && cp -R "$case_dir/prev" out
    if [ "$1" = alloc ]; then
        env $case_env CAPMIX_FAIL_ALLOC="$3" CAPMIX_FAIL_MODE="$2" CAPMIX_FAULT_LOG=log \
            "$CAPMIX" $case_args >o 2>e
    else
        env $case_env CAPMIX_FAIL_WRITE="$3" CAPMIX_FAIL_MODE="$2" CAPMIX_FAULT_LOG=log \
            "$CAPMIX" $case_args >o 2>e
    fi
    rc=$?
    why=""
    fired=""
    [ -f log ] && while read -r k rest; do [ "$k" = failed ] && fired=$rest; done <log
    [ -n "$fired" ] || why="${why}the fault did not fire; "
    case $rc in
    0)
        same_tree "$case_dir/new" out c masked ||
            why="${why}exit 0 but the output differs from a clean run; "
        mask o >o.m
        cmp -s "$case_dir/stdout.m" o.m || why="${why}exit 0 but stdout differs from a clean run; "
        ;;
    1)
        msg=""
        while IFS= read -r l; do
            case $l in "capmix: "*) msg=1 ;; esac
        done <e
        [ -n "$msg" ] || why="${why}exit 1 without a 'capmix: ' message; "
        if ! same_tree "$case_dir/prev" out c && ! same_tree "$case_dir/new" out c masked; then
            why="${why}partial output: neither the previous results nor the new ones; "
        fi
        ;;
    86) why="${why}sanitizer report (exit 86); " ;;
    *) why="${why}exit $rc; " ;;
    esac
    for f in out/.*.tmp* .*.tmp*; do
        [ -e "$f" ] && why="${why}temporary file left: $f; "
    done
    [ -z "$why" ] && return 0
    set -- $fired x x x x x
    where=$(addr2line -e "$4" -f -i -p "$5" 2>/dev/null | head -n 1 | sed "s|$root/||")
    echo "N=$N: $3 #$2 in ${where:-?}: $why"
    head -n 6 e | sed 's/^/    /'
}

# Which N to fail for a class: see the header.
pick() {
    awk -v cls="$1" -v all="$ALL" -v max="$MAX" -v every="$EVERY" '
    $1 == cls { n++; fn[n] = $3; site[n] = $4; st[n] = $5 }
    END {
        if (n == 0) exit
        if (every || n <= all) { for (i = 1; i <= n; i++) print i; exit }
        stride = int((n + max - 1) / max)
        data = "^(fwrite|fputs|fputc|putc|putchar|puts|printf|vprintf|fprintf|vfprintf|malloc|calloc|realloc|strdup|strndup)$"
        for (i = 1; i <= n; i++) {
            if (i % stride == 0 || i == 1 || fn[i] !~ data || seen[site[i]]++ < 2 ||
                st[i] != st[i - 1] || st[i] != st[i + 1])
                sel[i] = 1
        }
        for (i = n; i >= 1; i--)
            if (tail[site[i]]++ < 1)
                sel[i] = 1
        for (i = 1; i <= n; i++)
            if (sel[i])
                print i
    }' "$case_dir/trace"
}

cm() {
    "$CAPMIX" "$@"
}

# fault_case NAME PREP ARGS: PREP is a shell command run in an empty folder
# to leave the previous state in ./out ('' for none; cm is capmix); ARGS
# the command line of capmix,
# run in a folder of its own with ./out as the output.  case_env may set
# extra environment (e.g. a PATH without gnuplot).
fault_case() {
    name=$1
    prep=$2
    case_args=$3
    # FAULTS_ONLY="run bid" runs only those cases
    case " ${FAULTS_ONLY:-$name} " in *" $name "*) ;; *) return ;; esac
    case_dir=$tmp/$name
    mkdir -p "$case_dir/ref"
    if [ -n "$prep" ]; then
        (cd "$case_dir/ref" && eval "$prep") >"$case_dir/prep.log" 2>&1 &&
            [ -e "$case_dir/ref/out" ] && mv "$case_dir/ref/out" "$case_dir/prev" || {
            not_ok "$name: previous results" "$(head -n 8 "$case_dir/prep.log")"
            return
        }
        cp -R "$case_dir/prev" "$case_dir/ref/out"
    fi
    (cd "$case_dir/ref" && env $case_env CAPMIX_FAULT_TRACE="$case_dir/trace" \
        "$CAPMIX" $case_args >"$case_dir/stdout" 2>"$case_dir/stderr")
    rc=$?
    if [ $rc -ne 0 ]; then
        not_ok "$name: a clean run" "exit $rc
$(head -n 8 "$case_dir/stderr")"
        return
    fi
    [ -e "$case_dir/ref/out" ] && mv "$case_dir/ref/out" "$case_dir/new"
    mask "$case_dir/stdout" >"$case_dir/stdout.m"
    for class in alloc write; do
        pick $class >"$case_dir/n.$class"
        total=$(grep -c "^$class " "$case_dir/trace")
        runs=$(wc -l <"$case_dir/n.$class" | tr -d ' ')
        for mode in once always; do
            j=0
            while [ $j -lt "$JOBS" ]; do
                mkdir -p "$case_dir/w$j"
                awk -v j=$j -v k="$JOBS" 'NR % k == j' "$case_dir/n.$class" | {
                    cd "$case_dir/w$j" || exit 1
                    while read -r N; do
                        run_one $class $mode "$N"
                    done
                } >"$case_dir/bad.$j" &
                j=$((j + 1))
            done
            wait
            cat "$case_dir"/bad.* >"$case_dir/bad"
            rm -f "$case_dir"/bad.*
            what="$name: $class calls failed $mode ($runs of $total)"
            if [ -s "$case_dir/bad" ]; then
                nbad=$(grep -c '^N=' "$case_dir/bad")
                not_ok "$what" "$nbad runs failed:
$(grep '^N=' "$case_dir/bad" | head -n 12)
first failure's stderr:
$(awk 'NR > 1 && /^N=/ { exit } NR > 1' "$case_dir/bad")"
            else
                ok "$what"
            fi
        done
    done
    rm -rf "$case_dir"/w*
}

run_args="run $S --threads 1 --no-plots -q"
case_env=""
fault_case validate "" "validate $S"
fault_case run-stdout "" "run $S --threads 1"
fault_case run "cm $run_args --seed 8 -o out" "$run_args --export-trials -o out"
fault_case run-new-folder "" "run $S --threads 1 --no-plots -o out"
fault_case run-stream "cm $run_args --seed 8 -o out" "$run_args --stream -o out"
fault_case bid "cm bid $S --threads 1 --no-plots -q --seed 8 -o out" \
    "bid $S --threads 1 --no-plots -q -o out"
fault_case envelope "cm envelope $S --threads 1 --no-plots -q --seed 8 -o out" \
    "envelope $S --threads 1 --no-plots -q -o out"
sweep_args="sweep $S --set pod/pod.hourly_rate=60:100:3 --metric cost_total.mean --threads 1 --no-plots"
fault_case sweep "cm $sweep_args -q --trials 16 -o out" "$sweep_args --trials 32 -o out"
be_args="breakeven $S --x pod/pod.hourly_rate=60:100:2 --y ai/team.loaded_annual=100000:600000"
be_args="$be_args --metric cost_total.mean --between ai pod --threads 1 --no-plots"
fault_case breakeven "cm $be_args -q --trials 16 -o out" "$be_args --trials 32 -o out"
tor_args="tornado $S --alternative pod --threads 1 --no-plots"
fault_case tornado "cm $tor_args -q --trials 16 -o out" "$tor_args --trials 32 -o out"
fault_case init "mkdir out && cp $S out/scenario.yaml" "init -o out/scenario.yaml --force"
fault_case init-stdout "" "init"
H=$root/scenarios/history
fault_case calibrate "mkdir out && cp $S out/sources.yaml" \
    "calibrate --tickets $H/tickets.csv --invoices $H/invoices.csv --kind pod=offshore_pod -o out/sources.yaml"
# the self-check loads and runs the pod's entry (its table goes to stderr)
fault_case calibrate-check "mkdir out && cp $S out/sources.yaml" \
    "calibrate --tickets $H/tickets.csv --invoices $H/invoices.csv --kind pod=offshore_pod --headcount pod=6 -o out/sources.yaml"
# track: a ledger of two months of the pod (above the model's P99: the
# warning is printed too); the previous results are a track of month 1.
L=$root/tests/faults/tiny-ledger.csv
track_args="track $S --alternative pod --trials 100 --threads 1 --no-plots"
fault_case track "head -n 2 $L >l1.csv && cm $track_args -q --actuals l1.csv -o out" "$track_args --actuals $L -o out"
# envelope's review: the same re-forecast from cumulative totals (the
# pod, the baseline, at month 2: what the ledger above adds up to)
fault_case envelope-review "cm envelope $S --threads 1 --no-plots -q --seed 8 -o out" \
    "envelope $S --threads 1 --no-plots -q -o out --month 2 --actuals spent=52000,accepted=1"
# backtest: two track forecasts (months 1 and 2) scored against outcomes;
# the previous results score other outcomes.
backtest_inputs() {
    mkdir -p "$1"
    head -n 2 "$L" >"$1/l1.csv"
    cm $track_args -q --actuals "$1/l1.csv" -o "$1/f1" && cm $track_args -q --actuals "$L" -o "$1/f2" &&
        printf 'forecast,cost_total,delivery_day,within_envelope,delivered\nf1,120000,140,0,1\nf2,120000,140,0,1\n' \
            >"$1/realised.csv" &&
        printf 'forecast,cost_total\nf1,90000\nf2,70000\n' >"$1/prev.csv"
}
bt=$tmp/backtest-in
fault_case backtest "backtest_inputs $bt && cm backtest $bt/prev.csv -q -o out" "backtest $bt/realised.csv -o out"
# portfolio: two initiatives on tiny.yaml (tests/faults/tiny-portfolio.yaml)
pf_args="portfolio $root/tests/faults/tiny-portfolio.yaml --check-trials 64 --threads 1 --no-plots"
fault_case portfolio "cm $pf_args -q --seed 8 -o out" "$pf_args -o out"
# merge: the two shards of a run (2 blocks), over a run's previous results
shards=$tmp/merge-in
shard_args="run $S --trials 2048 --threads 1 --no-plots -q"
fault_case merge "cm $shard_args --shard 1/2 -o $shards && cm $shard_args --shard 2/2 -o $shards && cm $run_args --seed 8 -o out" \
    "merge $shards --threads 1 --no-plots -o out"
# `report` replays the recorded run with plots: no gnuplot on PATH keeps it
# fast (the report then has no charts, as documented), and its thread count
# is the machine's, so which call is the Nth may vary between runs.
case_env="PATH=/nonexistent"
fault_case report "cm $run_args -o out" "report out"

# Signals (SIGINT, SIGTERM, SIGHUP alike) while gnuplot draws, and at
# delays spread over a whole command: exit 128 + the signal's number with
# the previous results byte for byte (while drawing: always), or with the
# complete new ones when the signal came after the swap, as the process
# ends; or 0 with the new ones; never another status, a sanitizer report,
# a temporary or a gnuplot left running.  The gnuplot on PATH is a script
# that records its PID and waits, then draws nothing (the run keeps the
# data), so the drawing phase is long enough to be hit.  A shell starts
# background jobs with SIGINT ignored: env --default-signal (GNU coreutils
# >= 8.31) undoes that; without it SIGINT is left out.
signal_case() {
    case " ${FAULTS_ONLY:-signals} " in *" signals "*) ;; *) return ;; esac
    d=$tmp/signals
    mkdir -p "$d/bin" "$d/ref" "$d/w"
    printf '#!/bin/sh\necho $$ >>"%s/gp.pids"\nexec sleep ${CAPMIX_FAKE_GNUPLOT_S:-0.3}\n' "$d" >"$d/bin/gnuplot"
    chmod +x "$d/bin/gnuplot"
    sigs="TERM HUP"
    dflt=""
    if env --default-signal=INT true 2>/dev/null; then
        sigs="INT TERM HUP"
        dflt="--default-signal=INT"
    fi
    args="run $S --threads 1 -q -o out"
    (cd "$d/ref" && cm $run_args --seed 8 -o out) >/dev/null 2>&1 && mv "$d/ref/out" "$d/prev" || {
        not_ok "signals: previous results"
        return
    }
    (cd "$d/ref" && env PATH="$d/bin:$PATH" "$CAPMIX" $args) >/dev/null 2>"$d/e" &&
        mv "$d/ref/out" "$d/new" || {
        not_ok "signals: a clean run" "$(head -n 5 "$d/e")"
        return
    }
    # a clean run's length (ms), to spread the delays over it
    t0=$(date +%s%N)
    (cd "$d/ref" && env PATH="$d/bin:$PATH" "$CAPMIX" $args) >/dev/null 2>&1
    t1=$(date +%s%N)
    span=$(((t1 - t0) / 1000000))
    case $span in '' | *[!0-9]* | 0) span=1500 ;; esac
    for sig in $sigs; do
        case $sig in INT) want=130 ;; TERM) want=143 ;; *) want=129 ;; esac
        bad=""
        k=0
        # k = 0: while gnuplot draws (waited for); k = 1..12: after k/13 of a run
        while [ $k -le 12 ]; do
            rm -rf "$d/w/out" "$d/w"/.out.* "$d/gp.pids"
            cp -R "$d/prev" "$d/w/out"
            gs=0.3
            [ $k -eq 0 ] && gs=5
            (cd "$d/w" && exec env $dflt PATH="$d/bin:$PATH" CAPMIX_FAKE_GNUPLOT_S=$gs "$CAPMIX" $args) \
                >/dev/null 2>"$d/e" &
            pid=$!
            if [ $k -eq 0 ]; then
                n=0
                while [ ! -s "$d/gp.pids" ] && [ $n -lt 400 ]; do
                    sleep 0.05
                    n=$((n + 1))
                done
                [ -s "$d/gp.pids" ] || bad="${bad}k=0: gnuplot never started; "
            else
                sleep "$(awk -v s="$span" -v k=$k 'BEGIN { printf "%.3f", s * k / 13 / 1000 }')"
            fi
            kill -s $sig $pid 2>/dev/null
            wait $pid 2>/dev/null
            rc=$?
            # exit 128 + n: stopped, the previous results kept; or killed by
            # the signal after the swap (the handlers are gone as the
            # process ends), the new results complete
            if [ "$rc" = "$want" ]; then
                same_tree "$d/prev" "$d/w/out" "$d/c" || { [ $k -gt 0 ] && same_tree "$d/new" "$d/w/out" "$d/c" masked; } ||
                    bad="${bad}k=$k: exit $rc with neither the previous results nor the new ones; "
            elif [ "$rc" = 0 ] && [ $k -gt 0 ]; then
                same_tree "$d/new" "$d/w/out" "$d/c" masked || bad="${bad}k=$k: exit 0 but not the new results; "
            else
                bad="${bad}k=$k: exit $rc; "
            fi
            for f in "$d/w"/.out.* "$d/w/out"/.*.tmp*; do
                [ -e "$f" ] && bad="${bad}k=$k: left $(basename "$f"); "
            done
            for gp in $(cat "$d/gp.pids" 2>/dev/null); do
                if kill -0 "$gp" 2>/dev/null; then
                    sleep 0.2 # a gnuplot that just exited by itself
                    kill -0 "$gp" 2>/dev/null && bad="${bad}k=$k: gnuplot $gp still runs; " && kill "$gp"
                fi
            done
            k=$((k + 1))
        done
        if [ -z "$bad" ]; then
            ok "signals: SIG$sig while drawing (old folder kept) and at 12 moments of a run (exit $want or 0; old folder or new, never a mix)"
        else
            not_ok "signals: SIG$sig while drawing and at 12 moments of a run" "$bad
$(head -n 4 "$d/e")"
        fi
    done
}

# Concurrent writers: pairs of runs with different seeds into one folder,
# at once; both exit 0 and the folder is, byte for byte (timing aside), the
# complete result of one of them, never a mix; no temporary or lock left.
concurrent_case() {
    case " ${FAULTS_ONLY:-concurrent} " in *" concurrent "*) ;; *) return ;; esac
    d=$tmp/concurrent
    mkdir -p "$d/a" "$d/b" "$d/w"
    (cd "$d/a" && cm $run_args --seed 8 --export-trials -o out) >/dev/null 2>&1 &&
        (cd "$d/b" && cm $run_args --seed 9 -o out) >/dev/null 2>&1 || {
        not_ok "concurrent: clean runs"
        return
    }
    bad=""
    i=0
    while [ $i -lt 8 ]; do
        rm -rf "$d/w/out"
        (cd "$d/w" && cm $run_args --seed 8 --export-trials -o out) >/dev/null 2>"$d/e1" &
        p1=$!
        (cd "$d/w" && cm $run_args --seed 9 -o out) >/dev/null 2>"$d/e2" &
        p2=$!
        wait $p1
        r1=$?
        wait $p2
        r2=$?
        [ $r1 -eq 0 ] && [ $r2 -eq 0 ] || bad="${bad}try $i: exit $r1 and $r2; "
        same_tree "$d/a/out" "$d/w/out" "$d/c" masked || same_tree "$d/b/out" "$d/w/out" "$d/c" masked ||
            bad="${bad}try $i: the folder is neither run's; "
        for f in "$d/w"/.out.*; do
            [ -e "$f" ] && bad="${bad}try $i: left $(basename "$f"); "
        done
        i=$((i + 1))
    done
    if [ -z "$bad" ]; then
        ok "concurrent: two writers of one folder, 8 tries: both exit 0, one run's complete folder each time"
    else
        not_ok "concurrent: two writers of one folder" "$bad
$(head -n 4 "$d/e1" "$d/e2")"
    fi
}

signal_case
concurrent_case
finish
