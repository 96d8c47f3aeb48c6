#!/bin/sh
# CLI tests for capmix under MPI (make MPI=1; sim/engine/cmpi.h): `mpiexec -n P`
# gives the figures of one process, byte for byte (less timing and thread
# count), for run, run --stream, --precision, bid, sweep, breakeven, tornado
# and portfolio on 1 to 4 ranks (oversubscribed on a 2-core machine); rank 0 alone prints
# and writes; a rank that fails fails the run with nothing written
# (deterministically, through the CAPMIX_MPI_FAULT hook of cmpi.c).  Runs
# when an MPI build and mpiexec exist (else skips).  POSIX sh, from the
# repository root; last line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-mpi.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

S=scenarios/offshore-vs-ai.yaml

# the plain build refuses --mpi
if ! "$BIN" --mpi --version >/dev/null 2>&1; then
    expect_rc "--mpi without an MPI build" 2 "$BIN" --mpi run "$S" --trials 2000 -q
    grep_err "... says how to get one" "make MPI=1"
    MBIN=${CAPMIX_MPI:-build-mpi/bin/capmix}
else
    MBIN=$BIN
fi
if ! command -v mpiexec >/dev/null 2>&1 || ! "$MBIN" --mpi --version >/dev/null 2>&1; then
    skip "no MPI build ($MBIN) or no mpiexec: make MPI=1 (make deps MPI=1 installs MPICH)"
    finish
fi
# MPICH's Hydra starts more ranks than cores without being asked; a
# process that waits in MPI spins, so keep runs small
MPX="mpiexec"

# --- the same figures on 1 to 4 ranks ----------------------------------------
expect_rc "run, one process" 0 "$BIN" run "$S" --trials 12000 --threads 1 -q --no-plots -o "$T/p"
for n in 1 2 3 4; do
    expect_rc "run on $n ranks" 0 $MPX -n $n "$MBIN" run "$S" --trials 12000 --threads 1 -q --no-plots -o "$T/m$n"
    same_output "... summary.json as one process's ($n ranks)" "$T/p/summary.json" "$T/m$n/summary.json"
done
expect_rc "run --stream, one process" 0 "$BIN" run "$S" --stream --trials 40000 --threads 1 -q -o "$T/sp"
for n in 1 2 3 4; do
    expect_rc "run --stream on $n ranks" 0 $MPX -n $n "$MBIN" run "$S" --stream --trials 40000 --threads 1 -q -o "$T/sm$n"
    same_output "... summary.json as one process's ($n ranks)" "$T/sp/summary.json" "$T/sm$n/summary.json"
done
expect_rc "run --precision, one process" 0 "$BIN" run "$S" --precision 5% --max-trials 16384 --threads 1 -q --no-plots -o "$T/pp"
expect_rc "run --precision on 3 ranks" 0 $MPX -n 3 "$MBIN" run "$S" --precision 5% --max-trials 16384 --threads 1 -q --no-plots -o "$T/pm"
same_output "... summary.json as one process's" "$T/pp/summary.json" "$T/pm/summary.json"
B=scenarios/fixed-bid-offer.yaml
expect_rc "bid, one process" 0 "$BIN" bid "$B" --trials 6000 --threads 1 -q --no-plots -o "$T/bp"
expect_rc "bid on 2 ranks" 0 $MPX -n 2 "$MBIN" bid "$B" --trials 6000 --threads 1 -q --no-plots -o "$T/bm"
same_output "... summary.json as one process's" "$T/bp/summary.json" "$T/bm/summary.json"
TB=scenarios/token-breakeven.yaml
SW='ai-team/team.tokens.monthly=10000:120000:3'
expect_rc "sweep, one process" 0 "$BIN" sweep "$TB" --set "$SW" --metric cost_per_outcome.mean --trials 3000 --threads 1 -q --no-plots -o "$T/wp"
# a sweep's points (but the first, shared by blocks) and a tornado's
# swings are dealt whole to ranks (cmpi_deal): 2 points on 3 ranks, 4 on
# 2 and 3 ranks unevenly
for n in 1 2 3; do
    expect_rc "sweep on $n ranks" 0 $MPX -n $n "$MBIN" sweep "$TB" --set "$SW" --metric cost_per_outcome.mean --trials 3000 --threads 1 -q --no-plots -o "$T/wm$n"
    same_output "... sweep.json as one process's ($n ranks)" "$T/wp/sweep.json" "$T/wm$n/sweep.json"
    same_output "... sweep.csv as one process's ($n ranks)" "$T/wp/sweep.csv" "$T/wm$n/sweep.csv"
done
SW5='ai-team/team.tokens.monthly=10000:120000:5'
expect_rc "sweep of 5 points, one process" 0 "$BIN" sweep "$TB" --set "$SW5" --metric cost_per_outcome.p50 --trials 3000 --threads 1 -q --no-plots -o "$T/w5p"
for n in 2 3; do
    expect_rc "sweep of 5 points on $n ranks" 0 $MPX -n $n "$MBIN" sweep "$TB" --set "$SW5" --metric cost_per_outcome.p50 --trials 3000 --threads 1 -q --no-plots -o "$T/w5m$n"
    same_output "... sweep.json as one process's ($n ranks)" "$T/w5p/sweep.json" "$T/w5m$n/sweep.json"
done
expect_rc "tornado, one process" 0 "$BIN" tornado "$S" --alternative ai-team --trials 3000 --threads 1 -q --no-plots -o "$T/tp"
for n in 1 2 3 4; do
    expect_rc "tornado on $n ranks" 0 $MPX -n $n "$MBIN" tornado "$S" --alternative ai-team --trials 3000 --threads 1 -q --no-plots -o "$T/tm$n"
    same_output "... tornado.json as one process's ($n ranks)" "$T/tp/tornado.json" "$T/tm$n/tornado.json"
done
BE="--x ai-team/team.tokens.monthly=10000:120000:3 --y ai-team/team.throughput_per_month=2:12 --metric cost_per_outcome.mean"
expect_rc "breakeven, one process" 0 "$BIN" breakeven "$TB" $BE --trials 2048 --threads 1 -q --no-plots -o "$T/bp1"
grep -v '"seconds"' "$T/bp1/breakeven.json" >"$T/be1"
for n in 1 2 3; do
    expect_rc "breakeven on $n ranks" 0 $MPX -n $n "$MBIN" breakeven "$TB" $BE --trials 2048 --threads 1 -q --no-plots -o "$T/bm$n"
    grep -v '"seconds"' "$T/bm$n/breakeven.json" >"$T/ben"
    if [ -s "$T/be1" ] && cmp -s "$T/be1" "$T/ben"; then ok "... breakeven.json as one process's, but for its time ($n ranks)"; else
        not_ok "... breakeven.json as one process's ($n ranks)" "$(diff "$T/be1" "$T/ben" | head -5)"; fi
done
PF=scenarios/portfolio/portfolio.yaml
expect_rc "portfolio, one process" 0 "$BIN" portfolio "$PF" --trials 3000 --check-trials 3000 --threads 1 -q --no-plots -o "$T/fp"
for n in 1 2 3; do
    expect_rc "portfolio on $n ranks" 0 $MPX -n $n "$MBIN" portfolio "$PF" --trials 3000 --check-trials 3000 --threads 1 -q --no-plots -o "$T/fm$n"
    for f in summary.json portfolio.log portfolio_fan.dat; do
        same_output "... $f as one process's ($n ranks)" "$T/fp/$f" "$T/fm$n/$f"
    done
done
expect_rc "portfolio --select on 2 ranks" 0 $MPX -n 2 "$MBIN" portfolio "$PF" --select pricing=offshore,reporting=offshore --trials 3000 --check-trials 3000 --threads 1 -q --no-plots -o "$T/fs2"
expect_rc "... as one process" 0 "$BIN" portfolio "$PF" --select pricing=offshore,reporting=offshore --trials 3000 --check-trials 3000 --threads 1 -q --no-plots -o "$T/fs1"
same_output "... the same summary.json" "$T/fs1/summary.json" "$T/fs2/summary.json"

# --- rank 0 alone prints and writes -------------------------------------------
expect_rc "run on 3 ranks, printing" 0 $MPX -n 3 "$MBIN" run "$S" --trials 4000 --threads 1 --no-plots -o "$T/pr"
n=$(grep -c 'backlog mode' "$T/out")
if [ "$n" = 1 ]; then ok "... the table printed once"; else not_ok "... the table printed once" "$n times"; fi
left=$(ls -A "$T/pr" | grep -c '\.tmp\.' || true)
if [ "$left" = 0 ]; then ok "... no temporaries left"; else not_ok "... no temporaries left" "$(ls -A "$T/pr")"; fi
expect_rc "merge under mpiexec runs on rank 0" 0 "$BIN" run "$S" --trials 4000 -q --shard 1/1 -o "$T/sh"
expect_rc "... and merges" 0 $MPX -n 2 "$MBIN" merge "$T/sh" -q --no-plots -o "$T/shm"
if [ -s "$T/shm/summary.json" ]; then ok "... writing summary.json"; else not_ok "... writing summary.json"; fi

expect_rc "run --replay under mpiexec runs on rank 0" 0 $MPX -n 2 "$MBIN" run --replay "$T/p/summary.json"
grep -q 'byte for byte' "$T/out" && ok "... and reproduces the run" || not_ok "... and reproduces the run" "$(head -3 "$T/out")"

# --- failures -------------------------------------------------------------------
expect_rc "bad input on 2 ranks: exit 2" 2 $MPX -n 2 "$MBIN" run "$S" --trials 0 -q -o "$T/no1"
n=$(grep -c 'trials' "$T/err")
if [ "$n" = 1 ]; then ok "... the message printed once"; else not_ok "... the message printed once" "$(cat "$T/err")"; fi
absent "... nothing written" "$T/no1"
# a value the scenario refuses at points 2 (1.13) and 3 (1.6) of 0 to 3:
# one process stops at point 2.  Point 0 is shared by blocks and points
# 1, 2, 3 dealt in turn, so on 2 ranks rank 1 meets point 2 and rank 0
# point 3, on 3 ranks ranks 1 and 2; the lowest failing point's message
# is given, without a rank prefix, exit 2, nothing written
BADSW='consultants/si.change_orders.probability_per_item=0.2:1.6:4'
expect_rc "sweep refusing a point, one process: exit 2" 2 "$BIN" sweep "$S" --set "$BADSW" --metric cost_per_outcome.mean --trials 2000 --threads 1 -q --no-plots -o "$T/no7"
cp "$T/err" "$T/err1"
grep_err_F "... at the first refused point" "(with the swept value 1.133333333)"
for n in 2 3; do
    expect_rc "... on $n ranks: exit 2" 2 $MPX -n $n "$MBIN" sweep "$S" --set "$BADSW" --metric cost_per_outcome.mean --trials 2000 --threads 1 -q --no-plots -o "$T/no7"
    same_output "... the same message as one process ($n ranks)" "$T/err1" "$T/err"
    absent "... nothing written" "$T/no7"
done
expect_rc "--shard under mpiexec" 2 $MPX -n 2 "$MBIN" run "$S" --trials 4000 -q --shard 1/2 -o "$T/no2"
# rank 1 interrupted: its diag reaches rank 0, every rank fails, nothing written
rank_pid() { # rank_pid MPIEXEC_PID RANK: the pid of that rank (mpiexec -> proxy -> rank)
    for c in $(pgrep -P "$1"); do for g in $(pgrep -P "$c"); do
        if tr '\0' '\n' <"/proc/$g/environ" 2>/dev/null | grep -qx "PMI_RANK=$2"; then echo "$g"; fi
    done; done
}
$MPX -n 2 "$MBIN" run "$S" --stream --trials 1000000 --threads 1 -q -o "$T/no3" >"$T/out" 2>"$T/err" &
mp=$!
p=""
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; p=$(rank_pid $mp 1); [ -n "$p" ] && break; done
sleep 1
[ -n "$p" ] && kill -INT "$p"
wait $mp; rc=$?
if [ -n "$p" ] && [ "$rc" != 0 ]; then ok "rank 1 interrupted: the run fails (exit $rc)"; else
    not_ok "rank 1 interrupted: the run fails" "pid '$p', exit $rc"; fi
grep_err "... rank 0 says why" "rank 1 of 2: interrupted"
absent "... nothing written" "$T/no3"
# A rank that fails at a known point (CAPMIX_MPI_FAULT=RANK:WHAT, cmpi.c):
# exit 1, the previous results in -o untouched, no hang.  A rank that dies
# (exit without MPI_Finalize, or a real SIGKILL) is Hydra's to report: it
# kills the other ranks, and its status combines theirs, 1 or 9 as the
# race goes (measured), so only "not 0" is asked there.
expect_rc "an earlier run's folder" 0 "$BIN" run "$S" --trials 4000 --threads 1 -q --no-plots -o "$T/old"
(cd "$T/old" && cksum * >"$T/old.sum")
untouched() { # untouched DESC: $T/old holds what it held, and nothing else
    (cd "$T/old" && cksum * >"$T/now.sum")
    if cmp -s "$T/old.sum" "$T/now.sum" && [ -z "$(leftovers "$T/old")" ]; then ok "$1"; else
        not_ok "$1" "$(diff "$T/old.sum" "$T/now.sum" | head -3) $(leftovers "$T/old")"; fi
}
for f in 1:start 1:gather 1:exit 0:gather 1:kill 2:gather; do
    d="rank ${f%%:*} fails (${f#*:}) on 3 ranks"
    case $f in
    *:exit | *:kill)
        CAPMIX_MPI_FAULT=$f $MPX -n 3 "$MBIN" run "$S" --trials 40000 --threads 1 -q --no-plots -o "$T/old" \
            >"$T/out" 2>"$T/err"
        rc=$?
        if [ "$rc" != 0 ]; then ok "$d: exit $rc"; else not_ok "$d: exit not 0" "exit 0"; fi ;;
    *) CAPMIX_MPI_FAULT=$f expect_rc "$d: exit 1" 1 \
        $MPX -n 3 "$MBIN" run "$S" --trials 40000 --threads 1 -q --no-plots -o "$T/old" ;;
    esac
    case $f in
    *:start | *:gather)
        r=${f%%:*}
        [ "$r" = 0 ] && why="capmix: injected failure" || why="capmix: rank $r of 3: injected failure"
        grep_err "... rank 0 says why" "$why"
        n=$(grep -c 'injected' "$T/err")
        if [ "$n" = 1 ]; then ok "... once"; else not_ok "... once" "$(cat "$T/err")"; fi ;;
    esac
    untouched "... the earlier results untouched"
done
CAPMIX_MPI_FAULT=1:gather expect_rc "rank 1 fails in a sweep on 2 ranks: exit 1" 1 \
    $MPX -n 2 "$MBIN" sweep "$TB" --set "$SW" --metric cost_per_outcome.mean --trials 3000 --threads 1 -q --no-plots -o "$T/no5"
grep_err "... rank 0 says why" "rank 1 of 2: injected failure"
absent "... nothing written" "$T/no5"
CAPMIX_MPI_FAULT=2:gather expect_rc "rank 2 fails in a tornado on 3 ranks: exit 1" 1 \
    $MPX -n 3 "$MBIN" tornado "$S" --alternative ai-team --trials 3000 --threads 1 -q --no-plots -o "$T/no8"
grep_err "... rank 0 says why" "rank 2 of 3: injected failure"
absent "... nothing written" "$T/no8"
CAPMIX_MPI_FAULT=1:start expect_rc "a rank with nothing to do fails (merge): exit 1" 1 \
    $MPX -n 2 "$MBIN" merge "$T/sh" -q --no-plots -o "$T/no6"
grep_err "... rank 0 says why" "rank 1 of 2: injected failure"
absent "... nothing written" "$T/no6"

# an output folder rank 0 cannot write stops every rank before it simulates
# (cli_out_check is a handshake): asked for more than 10 s of processor
# time each (a limit, not a timing), the ranks must still end at once
mkdir "$T/mine" && echo keep >"$T/mine/notes.txt"
for c in "run $S --trials 20000000 --stream" "sweep $TB --trials 2000000" "tornado $S --trials 2000000"; do
    expect_rc "${c%% *} into a folder of someone else's on 2 ranks: exit 1 before simulating" 1 \
        sh -c 'ulimit -t 10 && exec "$@"' sh $MPX -n 2 "$MBIN" $c --threads 1 -q --no-plots -o "$T/mine"
    grep_err "... rank 0 says why" "holds no capmix results"
done
[ "$(ls -A "$T/mine")" = notes.txt ] && ok "... the folder unchanged" || not_ok "... the folder unchanged" "$(ls -A "$T/mine")"

finish
