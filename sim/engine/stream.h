/*
 * stream — constant-memory statistics for very large runs (`run --stream`).
 *
 * The engine hands every finished block of trials (all alternatives, all
 * metrics) to stm_block; nothing per trial is kept.  What is computed:
 *
 *   - counts (n, +Inf, null, P(a < baseline), P(metric > threshold)),
 *     minimum and maximum: exact;
 *   - mean, sd, SE and the paired differences against the baseline: exact
 *     up to rounding, by Welford within a block and Chan's formula across
 *     blocks, merged in block order (a small reorder window), so results
 *     are bit-identical for any thread count;
 *   - quantiles and CVaR95: from a log-linear histogram (256 buckets per
 *     power of two, integer counts, so merging threads' histograms is
 *     exact and order-free).  A quantile is within 0.2 % (relative) of the
 *     order statistics it lies between; count metrics (accepted, passes,
 *     rework_passes, superseded, delivered) are histogrammed exactly below
 *     4,096.  Values beyond 2^52 or below 2^-32 in size share the end
 *     buckets (min and max stay exact and every quantile is clamped to
 *     them).
 *
 * Memory: about 190 KiB per alternative and metric per thread, whatever
 * the trial count.
 */
#ifndef CAPMIX_STREAM_H
#define CAPMIX_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include "engine.h"
#include "stats.h"

/* Relative accuracy of a streamed quantile (half a bucket). */
#define STM_REL_ERROR (1.0 / 512)

typedef struct stm_run stm_run;

/* Accumulators for nalts alternatives (baseline index `baseline`), up to
 * `threads` engine workers, and P(metric > value) for each of the nabove
 * thresholds.  NULL when out of memory. */
stm_run *stm_new(size_t nalts, size_t baseline, int threads, const eng_metric *above_metric,
                 const double *above_value, int nabove);
void stm_free(stm_run *st);

/* The engine's block callback (eng_opts.on_block with block_ctx = st). */
void stm_block(void *st, int worker, uint64_t block, const double *m, size_t n);

/* The figures, once the run is over: summaries and paired differences
 * [alt][metric], and P(above) [alt][threshold]. */
void stm_summary(stm_run *st, size_t a, eng_metric m, stats_summary *out);
void stm_paired(stm_run *st, size_t a, eng_metric m, stats_paired *out);
double stm_prob_above(stm_run *st, size_t a, int k);

/*
 * Shards (shard.h).  stm_shard: this run computes only blocks [lo, hi) of
 * a larger one; their moments are merged from block lo and each block's
 * kept, so that stm_save can hand them on.  Returns 0, or -1 when out of
 * memory.  Call before the engine runs.
 *
 * stm_save writes the finished run's state through `put` (native byte
 * order; layout in stream.c); stm_load adds a saved state of `nblocks`
 * blocks to a fresh one-thread run: counts and histograms summed, block
 * moments folded after those loaded before.  Loading shards in block order
 * gives the figures of one run over all their blocks, bit for bit.  Both
 * return 0, or -1 when put/get failed (stm_load also: out of memory, or a
 * block count other than `nblocks`).  An io function returns 0 when it
 * moved exactly n bytes.
 */
typedef int (*stm_io_fn)(void *ctx, void *p, size_t n);
int stm_shard(stm_run *st, uint64_t lo, uint64_t hi);
int stm_save(stm_run *st, stm_io_fn put, void *ctx);
int stm_load(stm_run *st, uint64_t nblocks, stm_io_fn get, void *ctx);
/* Back to the state stm_new left (for stm_load after stm_save). */
void stm_reset(stm_run *st);

/* Bytes stm_new would allocate (for the memory estimate). */
double stm_bytes(size_t nalts, int threads);

#endif
