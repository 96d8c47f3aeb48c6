/*
 * cmpi — capmix as one program on many processes (`mpiexec -n P capmix …`).
 *
 * Built with `make MPI=1` (mpicc, CAPMIX_MPI defined) this module starts
 * MPI when the process was launched by mpiexec (PMI_RANK / PMI_SIZE from
 * MPICH's Hydra or Slurm's PMI, OMPI_COMM_WORLD_SIZE from Open MPI) or
 * when `--mpi` is the first argument; built without, the same functions
 * say "one process" (and --mpi is refused).  Nothing else in capmix calls
 * MPI.
 *
 * Every rank runs the same command on the same arguments, so every
 * decision made from the results (a sweep's next point, --precision's next
 * trial count) is the same everywhere; the engine deals each run's blocks
 * across the ranks and gathers them (shard_distribute), and a command
 * with independent simulations (a sweep's points, a tornado's swings)
 * deals them whole to ranks instead (cmpi_deal).  Rank 0 alone
 * prints and writes: the other ranks run with standard output and error
 * on /dev/null and without -o/--out and --export-trials, and a command
 * that simulates nothing (or a --replay) runs on rank 0 only.
 */
#ifndef CAPMIX_CMPI_H
#define CAPMIX_CMPI_H

#include <stddef.h>
#include "diag.h"

/* Start MPI if launched by mpiexec or asked with a leading --mpi (removed
 * from argv).  Returns 0 (this rank runs argv, possibly rewritten as
 * above), 1 (this rank has nothing to do: exit with cmpi_end(0)), or -1
 * with an input diag (--mpi without an MPI build, or MPI would not start). */
int cmpi_start(int *argc, char ***argv, diag *d);

/* This process's rank and the number of ranks (0 and 1 without MPI). */
int cmpi_rank(void);
int cmpi_size(void);

/* Whether the ranks share this command's runs (more than one rank, and a
 * command that simulates: run, bid, envelope, sweep, breakeven, tornado,
 * portfolio, but not a --replay).  When not, rank 0 runs the command alone. */
int cmpi_sharing(void);

/*
 * Called by every rank after cmpi_start and again after the command:
 * whether any rank failed (`failed` is this rank's own outcome, with its
 * diag in d when set).  Returns 0 if none did; else -1, with d the diag
 * of the lowest failed rank (prefixed "rank R of P: " when another's).
 * Once a handshake (this or a gather's) has told every rank of a failure,
 * returns -1 at once and leaves d alone.  A rank that fails outside a
 * gather meets the others here or in the gather they are in, so that they
 * fail too instead of waiting for it.  Without MPI, or on one rank: -1 if
 * `failed`, else 0.
 */
int cmpi_settle(int failed, diag *d);

/* Finish MPI (if started) and return the process's exit code: `rc` on
 * rank 0 (and without MPI), 0 on the others, since Hydra combines every
 * rank's status and rank 0's is the job's after cmpi_settle.  With
 * CAPMIX_MPI_STATS set, rank 0 first prints on standard error its wall
 * time since cmpi_start, its processor time, and its time in the gathers
 * (waiting for the other ranks, and moving and merging their results). */
int cmpi_end(int rc);

/*
 * Gather one buffer from every rank, in rank order.  Each rank passes its
 * own `failed` flag (with its diag in d when set), its buffer and length.
 * If any rank failed, every rank returns -1 with the diag of the lowest
 * failed rank.  Otherwise each receiving rank — every rank when `all`,
 * else rank 0 — calls sink(ctx, r, buf, len) for r = 0 … P−1 in order
 * (its own buffer included; other buffers live only during the call) and
 * returns -1 at the first sink that does (d set by the sink), else 0.  A
 * rank that receives nothing returns 0 after sending.  Without MPI:
 * sink(ctx, 0, buf, len) on the caller's own buffer.  Messages go in
 * pieces of at most 1 GiB (MPI counts are int).
 */
typedef int (*cmpi_sink)(void *ctx, int rank, const void *buf, size_t len, diag *d);
int cmpi_gather(int failed, const void *buf, size_t len, int all, cmpi_sink sink, void *ctx,
                diag *d);

/*
 * Arrays of per-trial values gathered without encoding them: each rank
 * holds elements [first[r], first[r+1]) of every row of each set (a
 * contiguous range, its blocks), and they are moved by MPI collectives
 * straight into the whole arrays, byte for byte — on every rank when
 * `all`, else on rank 0 only.  A set is `rows` rows of `elem`-byte
 * elements: element e of row k is at base + k·stride + e·elem in the whole
 * arrays (every receiving rank's, allocated by the caller) and at
 * mine + k·mine_stride + (e − first[me])·elem in this rank's own part.
 * `first` has P + 1 entries, the same on every rank, and no count or
 * offset above INT_MAX (MPI counts are int: the caller falls back to
 * cmpi_gather beyond).  The failure handshake is cmpi_gather's: if any
 * rank failed, every rank returns -1 with the diag of the lowest failed
 * rank and nothing is moved.  Each rank's `passes` reaches each[r] of
 * every receiving rank (P entries).  Returns 0, or -1 with d set.
 */
typedef struct cmpi_rows {
    void *base;          /* receiving ranks: the whole arrays */
    const void *mine;    /* this rank's part (NULL when it holds none) */
    size_t rows, elem, stride, mine_stride; /* strides in bytes */
} cmpi_rows;
int cmpi_gather_rows(int failed, const cmpi_rows *sets, int nsets, const unsigned long long *first,
                     double passes, double *each, int all, diag *d);

/*
 * n independent jobs dealt across the ranks that share the command (job i
 * to rank i mod P), each run whole where it lands — eng_run does not
 * share its blocks meanwhile (eng_distribute is off) — then every rank
 * gets every job's record, in job order: rec_size bytes each, at
 * recs + i·rec_size (plain bytes: no pointers in a record).  A job
 * returns 0, or -1 with d set; a rank stops at its first failing job.
 * The outcome is the sequential loop's: 0 with every record set, or -1
 * with the diag of the lowest failing job, its message as one process
 * gives it (no rank prefix).  A rank that fails outside its jobs (out of
 * memory for the exchange, CAPMIX_MPI_FAULT) fails every rank as
 * cmpi_gather does.  Every rank calls it with the same n and rec_size.
 * Not sharing (no MPI, one rank, rank 0 alone), it is that loop.  The
 * jobs pay off when each is a whole simulation: nothing but the records
 * moves, where a run's blocks dealt move every per-trial array.
 */
typedef int (*cmpi_job)(void *ctx, size_t i, void *rec, diag *d);
int cmpi_deal(size_t n, size_t rec_size, void *recs, cmpi_job job, void *ctx, diag *d);

/* Seconds this rank spent inside cmpi_gather and cmpi_gather_rows so far
 * (communication time, for `make bench`). */
double cmpi_comm_seconds(void);

#endif
