/*
 * engine — the Monte Carlo loop (model §2, §3, §18.1).
 *
 * eng_run simulates every alternative of a scenario for n trials and keeps
 * each metric of each alternative-trial in compact arrays (struct of
 * arrays: one double per trial per metric).  Trials are processed in fixed
 * blocks of ENG_BLOCK; each block draws its work-level quantities from the
 * (work, block) stream and each alternative from its (name, block) stream
 * (rng.h) and that key's per-quantity streams (eng_scratch_seed), so
 * results are bit-identical for any thread count and one alternative's
 * numbers do not depend on the others.  Threads take blocks
 * from a shared counter; each owns its scratch, allocated once and grown
 * only when a trial needs more room than any before it.
 *
 * A metric that does not exist for a trial (cycle_days with nothing
 * accepted) is NaN in the arrays and reported as null; cost_per_outcome is
 * +Inf when nothing was accepted.
 */
#ifndef CAPMIX_ENGINE_H
#define CAPMIX_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "metrics.h"
#include "scenario.h"

#define ENG_BLOCK 1024

/* Bytes of month-end snapshots per trial, alternative and month. */
#define ENG_SNAP_BYTES 24

/* Progress callback: called from worker threads (must be thread-safe),
 * with the number of trials done so far. */
typedef void (*eng_progress_fn)(void *ctx, uint64_t done, uint64_t total);

typedef struct eng_opts {
    uint64_t trials;
    uint64_t seed;
    int threads;              /* >= 1 */
    eng_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    /* Set asynchronously (e.g. by a SIGINT handler) to stop early; the run
     * then fails with a runtime diag "interrupted". */
    volatile int *cancel;
    /* Keep each trial's cumulative cost, accepted count and stop cost at
     * every month end (for fan charts and stop-loss reviews):
     * ENG_SNAP_BYTES (24) per trial, alternative and month, plus the two
     * internal hourly rates (16 bytes) per trial. */
    int monthly;
    /* Keep each trial's trial-level draws of the sources of alternative
     * `draws_alt` (a tornado's rank correlations): sizeof(src_draw) per
     * trial and source. */
    int keep_draws;
    size_t draws_alt;
    /* Streaming (stream.h): with on_block set, no per-trial array is kept;
     * each finished block's metrics, [alt][metric][ENG_BLOCK] with n valid
     * trials, go to on_block, from the worker numbered `worker` (0 to
     * threads − 1), blocks in any order.  When the run fails or is
     * cancelled, each worker that stops calls it once with m == NULL, so a
     * consumer waiting for a block that will not come can give up.
     * Incompatible with monthly and keep_draws. */
    void (*on_block)(void *ctx, int worker, uint64_t block, const double *m, size_t n);
    void *block_ctx;
    /* Shards (shard.h): with block_hi > 0, simulate only blocks
     * [block_lo, block_hi) of the `trials`-trial run; the arrays then hold
     * those blocks' trials only (eng_results.trials of them, from trial
     * block_lo·ENG_BLOCK), each bit-identical to the same trial of the
     * whole run. */
    uint64_t block_lo, block_hi;
    /* The metrics the caller reads, bit m for metric m (0: all).  eng_run
     * computes them all, but a run dealt across MPI ranks (eng_distribute)
     * may move only these between ranks, leaving the others NaN: read no
     * other.  The same for the month-end snapshots (monthly): bit 0
     * month_cost, 1 month_accepted, 2 month_stop_cost. */
    uint32_t metrics_read, months_read;
    /* Re-costing (recost.h, model §18.46): with tapes set, tapes[a] (NULL
     * for none) records alternative a's timelines, one row per trial,
     * for eng_recost.  Not with block_hi or a distributed run. */
    struct eng_tape *const *tapes;
} eng_opts;

typedef struct eng_results {
    size_t nalts;
    uint64_t trials;
    double *data;             /* [alt][metric][trial] */
    /* Work-level draws of each trial, shared by every alternative: */
    double *cod_per_day;      /* [trial] */
    double *target_day;       /* [trial] */
    double pass_count;        /* total work passes simulated (for ns/pass) */
    /* With eng_opts.monthly: month ends 1..months (day m·days_per_month;
     * the last may pass the horizon), [alt][month][trial]. */
    int months;
    double *month_cost;
    double *month_accepted;
    double *month_stop_cost;  /* cost if stopped at that review: spend plus
                               * end-of-contract terms (stop-loss, model §5) */
    /* With eng_opts.keep_draws: [trial][source] of alternative draws_alt;
     * with keep_draws or monthly, the internal hourly rates of each trial. */
    src_draw *draws;
    size_t draws_nsrc;
    double *senior_rate, *pm_rate;  /* [trial] */
} eng_results;

/* Number of month ends covering the horizon: ceil(horizon / days_per_month). */
int eng_months(const scn_scenario *s);

/* Cumulative cost and accepted count of one alternative-trial at month
 * ends 1..n; after the alternative ends they hold its final figures
 * (cost_total, including end-of-contract terms). */
typedef struct eng_snaps {
    int n;
    double *cost;
    double *accepted;
    double *stop_cost;   /* cost + min_months top-up + exit costs if stopped there */
    /* Optional (NULL: not kept): cumulative rework and superseded
     * verdicts, what a ledger reports beside the accepted count. */
    double *rework, *superseded;
} eng_snaps;

/* Run.  Returns 0, or -1 with d set (runtime: out of memory, a NaN reached
 * a metric, cancelled). */
int eng_run(const scn_scenario *s, const eng_opts *o, eng_results **out, diag *d);

void eng_results_free(eng_results *r);

/* When set (by main, under mpiexec: shard_distribute), eng_run hands it
 * every run that is not already a block range, so that processes share
 * the blocks.  It must return what eng_run would. */
extern int (*eng_distribute)(const scn_scenario *s, const eng_opts *o, eng_results **out, diag *d);

/* The n-trial array of metric m of alternative a. */
static inline double *eng_metric_data(const eng_results *r, size_t a, eng_metric m)
{
    return r->data + ((size_t)a * M_COUNT + (size_t)m) * r->trials;
}

/*
 * One alternative-trial, for tests and for later month-end reviews: runs
 * alternative a with its own generator `rng`, work draws cod_per_day and
 * target_day, senior_rate and pm_rate (hourly), writing the metrics
 * into out[M_COUNT], and month-end snapshots into `snap` when non-NULL.
 * `scratch` comes from eng_scratch_new.
 */
typedef struct eng_scratch eng_scratch;
eng_scratch *eng_scratch_new(void);
void eng_scratch_free(eng_scratch *sc);

/* Seed the scratch's per-pass streams (model §18.1): item sizes (one
 * stream per source), review verdicts, per-pass costs, review waits, and
 * rework effort with defects each draw from their own stream, keyed by
 * (key, quantity) and kept across the trials run on sc until the next
 * seeding, so a trial allocates and reseeds nothing.  eng_run seeds with
 * the (alternative, block) key of rng_stream_key before each alternative's
 * block; any other caller of eng_trial, eng_takeover or eng_resume seeds
 * with the key it gives its own generator, whenever it reseeds that.  A
 * new scratch is seeded with key 0.  Results then depend only on the
 * keys and the order of the trials run on sc. */
void eng_scratch_seed(eng_scratch *sc, uint64_t key);

/* Make eng_trial on `sc` watch *cancel (NULL: never) inside a trial, so
 * that one long trial (a high rate over a long horizon) still stops on an
 * interrupt. */
void eng_scratch_watch(eng_scratch *sc, volatile int *cancel);

/* The trial-level draw of source i (0 <= i < that alternative's sources)
 * in the last capacity-mix trial run on sc; valid until the next trial. */
const src_draw *eng_scratch_draw(const eng_scratch *sc, size_t i);

/* What source i booked during the last capacity-mix trial run on sc,
 * besides its time-based and one-off costs: per-pass direct (tokens,
 * change orders) and internal (review hours) costs, per-outcome support
 * (defects), each summed in the order booked, and its passes finished
 * (model §18.46); valid until the next trial. */
#define ENG_BOOKED 4
void eng_scratch_booked(const eng_scratch *sc, size_t i, double out[ENG_BOOKED]);

typedef struct eng_work_draw {
    double cod_per_day, target_day, senior_rate, pm_rate;
    const double *u;      /* the trial's copula uniforms (copula.h), or NULL */
} eng_work_draw;

/* Returns 0, -1 when scratch could not grow (out of memory), or 1 when
 * the flag given to eng_scratch_watch was set (the metrics are then not
 * set). */
int eng_trial(const scn_scenario *s, size_t a, const eng_work_draw *w, gsl_rng *rng,
              eng_scratch *sc, double out[M_COUNT], const eng_snaps *snap);

/*
 * A stop-loss fallback (model §5): alternative a takes over the
 * `required` outcomes still needed, starting t0 days into the scenario,
 * with the trial's work draws w and its own generator.  A capacity mix
 * starts its sources at t0 (start delays, ramps and minimum terms counted
 * from there) and works until the outcomes are accepted or the horizon; a
 * fixed bid prices the part pro rata — price, change orders, penalties,
 * oversight and delivery days all scaled by required / work.outcomes,
 * defects on the outcomes it delivers — and always delivers.  out gets the
 * fallback's own costs and counts; its delivery day is on the scenario's
 * clock and its delay cost runs from the trial's target day.  Returns 0,
 * or -1 when scratch could not grow.
 */
int eng_takeover(const scn_scenario *s, size_t a, const eng_work_draw *w, gsl_rng *rng,
                 eng_scratch *sc, long long required, double t0, double out[M_COUNT]);

/*
 * The rest of a running capacity mix (capmix track, model "Tracking
 * actuals"): alternative a has run since day 0 and still needs `required`
 * outcomes at day t0.  As eng_takeover, but each source's terms count from
 * its own start: a source already started owes no start delay and no
 * onboarding, is t0 − start into its ramp and its minimum term, and its
 * token bill has grown for that long.  Work in flight at t0 is not carried
 * over: every pass starts afresh (exact in law for the default Exp(1) item
 * sizes, which are memoryless).  out holds the remainder's own costs.
 * Capacity mixes only.  Returns 0, or -1 when scratch could not grow.
 */
int eng_resume(const scn_scenario *s, size_t a, const eng_work_draw *w, gsl_rng *rng,
               eng_scratch *sc, long long required, double t0, double out[M_COUNT]);

/* Draw one trial's work-level quantities from the work stream (w->u must
 * be set first: the copula's uniforms or NULL). */
void eng_draw_work(const scn_scenario *s, gsl_rng *rng, eng_work_draw *w);

#endif
