#!/bin/sh
# CLI tests for `capmix portfolio` under MPI (make MPI=1; sim/analysis/pf_sim.c):
# every rank simulates its blocks of each run and sends rank 0 only the
# rows the portfolio reads; rank 0 alone chooses, prints and writes.  The
# output folder and the printed table are one process's, byte for byte,
# on 1 to 4 ranks (a rank without trials included), with --check-trials,
# --select, the pools' draws and correlated initiatives (the shipped
# portfolio has both); a rank that fails fails the job with nothing
# written (the CAPMIX_MPI_FAULT hook of cmpi.c); a refusal is one
# process's (exit 2, the same message).  Runs when an MPI build and
# mpiexec exist (else skips).  POSIX sh, from the repository root; last
# line "cli: N passed, M failed".
set -u
LC_ALL=C
export LC_ALL
BIN=${CAPMIX:-bin/capmix}
. tests/lib/cli.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/capmix-cli-mpipf.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

if "$BIN" --mpi --version >/dev/null 2>&1; then MBIN=$BIN; else MBIN=${CAPMIX_MPI:-build-mpi/bin/capmix}; fi
if ! command -v mpiexec >/dev/null 2>&1 || ! "$MBIN" --mpi --version >/dev/null 2>&1; then
    skip "no MPI build ($MBIN) or no mpiexec: make MPI=1 (make deps MPI=1 installs MPICH)"
    finish
fi
MPX="mpiexec"
PF=scenarios/portfolio/portfolio.yaml
grep -q '^correlations:' "$PF" && grep -q '^pools:' "$PF" && ok "the shipped portfolio has correlations and a pool" ||
    not_ok "the shipped portfolio has correlations and a pool"

# same_dir DESC A B: two output folders hold the same files, byte for byte
same_dir() {
    if [ -s "$2/summary.json" ] && diff -r "$2" "$3" >"$T/diff" 2>&1; then ok "$1"; else not_ok "$1" "$(head -5 "$T/diff")"; fi
}

# --- one process's bytes on 1 to 4 ranks ---------------------------------------
# 3000 trials are 3 blocks of 1,024 (the last short): 2 ranks take 1 and
# 2, 3 ranks one each, 4 ranks leave one rank without trials; the check's
# 5000 trials are 5 blocks, dealt apart from the first run's
A="--trials 3000 --check-trials 5000 --no-plots"
expect_rc "portfolio, one process" 0 "$BIN" portfolio "$PF" $A --threads 1 -o "$T/p"
cp "$T/out" "$T/p.out"
grep -q "where the next unit of 'one-more-seat' goes" "$T/p.out" && ok "... the pool's draws apply to the selection" ||
    not_ok "... the pool's draws apply to the selection" "$(head -3 "$T/p.out")"
for n in 1 2 3 4; do
    expect_rc "portfolio on $n ranks" 0 $MPX -n $n "$MBIN" portfolio "$PF" $A --threads 1 -o "$T/m$n"
    same_dir "... the folder as one process's ($n ranks)" "$T/p" "$T/m$n"
    sed "s#$T/m$n#$T/p#" "$T/out" >"$T/m.out"
    if cmp -s "$T/p.out" "$T/m.out"; then ok "... the table as one process's, printed once ($n ranks)"; else
        not_ok "... the table as one process's ($n ranks)" "$(diff "$T/p.out" "$T/m.out" | head -5)"; fi
done
expect_rc "portfolio on 2 ranks x 2 threads" 0 $MPX -n 2 "$MBIN" portfolio "$PF" $A --threads 2 -q -o "$T/t2"
same_dir "... the folder as one process's at 1 thread" "$T/p" "$T/t2"

# a selection given: the pools' draws for it (correlated initiatives,
# pricing and support-agent, whose value is drawn per trial, and one not,
# migration), rank 0's selection sent to the others
SEL=pricing=offshore,support-agent=ai-full,migration=offshore,reporting=staff-aug
expect_rc "portfolio --select, one process" 0 "$BIN" portfolio "$PF" --select "$SEL" $A --threads 1 -q -o "$T/s"
for n in 2 3; do
    expect_rc "portfolio --select on $n ranks" 0 $MPX -n $n "$MBIN" portfolio "$PF" --select "$SEL" $A --threads 1 -q -o "$T/s$n"
    same_dir "... the folder as one process's ($n ranks)" "$T/s" "$T/s$n"
done

# fault injection's portfolio: 64 trials, one block, so rank 1 holds none
TP=tests/faults/tiny-portfolio.yaml
expect_rc "a one-block portfolio, one process" 0 "$BIN" portfolio "$TP" --check-trials 64 --threads 1 -q --no-plots -o "$T/y"
expect_rc "... on 2 ranks" 0 $MPX -n 2 "$MBIN" portfolio "$TP" --check-trials 64 --threads 1 -q --no-plots -o "$T/y2"
same_dir "... the folder as one process's" "$T/y" "$T/y2"

# --- failures ---------------------------------------------------------------------
expect_rc "an earlier portfolio's folder" 0 "$BIN" portfolio "$PF" $A --threads 1 -q -o "$T/old"
(cd "$T/old" && cksum * >"$T/old.sum")
untouched() { # untouched DESC: $T/old holds what it held, and nothing else
    (cd "$T/old" && cksum * >"$T/now.sum")
    if cmp -s "$T/old.sum" "$T/now.sum" && [ -z "$(leftovers "$T/old")" ]; then ok "$1"; else
        not_ok "$1" "$(diff "$T/old.sum" "$T/now.sum" | head -3) $(leftovers "$T/old")"; fi
}
# rank R fails at its first gather (the first initiative's rows) or before
# the command: exit 1, rank 0 says why once, nothing written
for f in 1:gather 2:gather 0:gather 1:start; do
    r=${f%%:*}
    CAPMIX_MPI_FAULT=$f expect_rc "rank $r fails (${f#*:}) in a portfolio on 3 ranks: exit 1" 1 \
        $MPX -n 3 "$MBIN" portfolio "$PF" $A --threads 1 -q -o "$T/old"
    [ "$r" = 0 ] && why="capmix: injected failure" || why="capmix: rank $r of 3: injected failure"
    grep_err "... rank 0 says why" "$why"
    n=$(grep -c 'injected' "$T/err")
    if [ "$n" = 1 ]; then ok "... once"; else not_ok "... once" "$(cat "$T/err")"; fi
    untouched "... the earlier results untouched"
done
CAPMIX_MPI_FAULT=1:gather expect_rc "rank 1 fails in a portfolio on 2 ranks, new folder: exit 1" 1 \
    $MPX -n 2 "$MBIN" portfolio "$PF" $A --threads 1 -q -o "$T/no1"
absent "... nothing written" "$T/no1"
# a rank that dies is Hydra's to report: not 0, nothing written
CAPMIX_MPI_FAULT=1:kill $MPX -n 2 "$MBIN" portfolio "$PF" $A --threads 1 -q -o "$T/no2" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" != 0 ]; then ok "rank 1 killed in a portfolio on 2 ranks: exit $rc"; else not_ok "rank 1 killed: exit not 0" "exit 0"; fi
absent "... nothing written" "$T/no2"

# refusals: one process's status and message, printed once
refused() { # refused DESC ARGS...: exit 2 on one process and on 2 ranks, the same stderr
    expect_rc "$1, one process: exit 2" 2 "$BIN" portfolio "$@" --threads 1 -q --no-plots -o "$T/no3"
    cp "$T/err" "$T/err1"
    expect_rc "... on 2 ranks: exit 2" 2 $MPX -n 2 "$MBIN" portfolio "$@" --threads 1 -q --no-plots -o "$T/no3"
    if [ -s "$T/err1" ] && cmp -s "$T/err1" "$T/err"; then ok "... the same message"; else
        not_ok "... the same message" "$(diff "$T/err1" "$T/err" | head -4)"; fi
    absent "... nothing written" "$T/no3"
}
refused "--select naming no initiative" "$PF" --select pricing=offshore,serch=ai-team --trials 3000
refused "a pool drawing on an unknown initiative" tests/bad-portfolio/pool-unknown-initiative.yaml
refused "--trials 0" "$PF" --trials 0

finish
