/*
 * shard — one run split across processes through files: `capmix run
 * --shard I/N -o DIR` simulates the I-th of N contiguous ranges of the
 * run's blocks and writes DIR/shard-I-of-N.capmix-shard; `capmix merge
 * DIR...` reads a complete set and reports as the whole run would, byte
 * for byte (less timing).  Any process can compute any block because every
 * block's random streams are keyed by (seed, name, block) (rng.h).
 *
 * The deal: with B = ceil(trials / ENG_BLOCK) blocks, shard I (1-based)
 * takes blocks [(I−1)·B/N, I·B/N) (integer division), so N ≤ B.
 *
 * File format (version 1), native byte order and IEEE 754 doubles, so
 * shards and merge run on machines of one architecture:
 *
 *   "CAPMIXSH"            8 bytes
 *   u32 0x01020304        byte-order check
 *   u32 format version    1
 *   char[16]              capmix version, NUL-padded
 *   char[64]              SHA-256 of the scenario file's bytes, hex
 *   u32 kind              1 per-trial arrays (`run`), 2 streamed (`run --stream`)
 *   u32 I, u32 N
 *   u32 alternatives, u32 months (0: no month-end snapshots)
 *   u64 seed, trials (of the whole run), block_lo, block_hi
 *   u32 nargs, then per argument u32 length and its bytes: the run's
 *       arguments (scenario path included) without -o, --threads, -q,
 *       --no-plots and --shard, which merge replays
 *   payload:
 *     kind 1: u64 n (trials of the shard), f64 passes simulated,
 *             f64 metrics [alt][metric][n], cod_per_day[n], target_day[n],
 *             and with months: month_cost, month_accepted, month_stop_cost
 *             [alt][month][n]; then with months (or kept draws, never in
 *             a run): senior_rate[n], pm_rate[n]
 *     kind 2: f64 passes simulated, then the accumulators (stm_save)
 *   u8[32]                SHA-256 of every byte before it
 *
 * The process-wide state below is set by the CLI (run's --shard option,
 * the merge command) before the run pipeline runs, and read at the one
 * place where it simulates (shard_eng_run).
 */
#ifndef CAPMIX_SHARD_H
#define CAPMIX_SHARD_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "engine.h"
#include "report.h"
#include "scenario.h"

#define SHARD_FORMAT 1
#define SHARD_SUFFIX ".capmix-shard"

/* --shard I/N: 1 ≤ I ≤ N ≤ 65536.  Returns 0, or -1 with a usage diag. */
int shard_parse(const char *arg, diag *d);

/* Whether --shard was given (then the run writes a shard file, not a report). */
int shard_splitting(void);

/* Merge mode: the run pipeline takes its results from these shard files
 * (checked by shard_check_set, in block order) instead of simulating.  The
 * array is borrowed until shard_reset. */
void shard_set_merge(char *const *files, size_t n);
void shard_reset(void);

/*
 * Read and check a set of shard files: each one's checksum, format and
 * capmix version; and together: one kind, scenario digest, seed, trial
 * count, shard count and arguments, every shard 1..N exactly once with
 * the deal's block range.  On success sorts `files` into block order and
 * returns 0 with the arguments of the run in *args (nargs of them, one
 * allocation: free(*args)).  Otherwise -1 with an input diag naming the
 * file (missing, duplicated or mismatched shard; not a shard; damaged).
 */
int shard_check_set(char **files, size_t n, char ***args, int *nargs, diag *d);

/*
 * The run pipeline's simulation.  Without shard state: eng_run.  With
 * --shard: simulates the shard's blocks (eo->on_block, if set, must be
 * stm_block with block_ctx the stm_run) and writes the shard file into
 * the folder `out` atomically; returns 1 (nothing more to do).  In merge
 * mode: checks the scenario still has the shards' digest, seed and trial
 * count (an input diag if not) and fills *res (or the stream accumulators)
 * from the files.  Otherwise returns 0 with *res set, or -1 with d set.
 */
int shard_eng_run(const scn_scenario *s, eng_opts *eo, const report_meta *meta, const char *out,
                  eng_results **res, diag *d);

/*
 * Under mpiexec (cmpi.h): rank r of P simulates the r+1-th of P shards'
 * blocks and their results are gathered in rank order — on every rank
 * when `all`, else on rank 0 only: per-trial arrays by MPI straight into
 * the whole run's (cmpi_gather_rows; of the data, only the metrics and
 * snapshots in o->metrics_read and months_read when set, the others NaN),
 * a streamed run's accumulators (and a run of more than INT_MAX trials)
 * as payloads of the file format.  Returns 0 with
 * *out the whole run's results (eo->on_block: the stm_run in block_ctx
 * then holds the whole run's accumulators), 1 on a rank that receives
 * nothing, or -1 with d set on every rank when any rank failed (its own
 * diag, or that of the lowest failed rank).  The engine calls it for every
 * run under mpiexec with all = 1 (eng_distribute), so sweeps, tornado and
 * --precision see the same results on every rank.
 */
int shard_distribute(const scn_scenario *s, const eng_opts *o, eng_results **out, int all, diag *d);
/* shard_distribute(…, all = 1, …): the engine's eng_distribute. */
int shard_distribute_all(const scn_scenario *s, const eng_opts *o, eng_results **out, diag *d);

#endif
