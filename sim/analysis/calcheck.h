/*
 * calcheck — calibrate's posterior predictive self-check (model §10): each
 * source entry of the fragment calibrate wrote is put, alone, into a
 * minimal run-rate scenario over its observed window (horizon = the
 * observed days), loaded as any scenario is (scn_load_buffer) and run
 * (eng_run, one thread, a fixed seed); its trials' pass time, cycle time,
 * throughput and monthly cost are set against what the tickets and
 * invoices showed.  Pure computation: calfrag.c prints the table.
 *
 * The engine reports per-trial figures, so the simulated pass time is a
 * trial's lanes x days / passes (its lanes are never idle in run-rate
 * mode) and the simulated cycle time a trial's mean over its accepted
 * items: their P5, P50 and P95 over the trials.  The observed cycle time
 * is given as its mean and as its median with a distribution-free 95 %
 * interval from order statistics (ranks r and n + 1 - r, the largest r
 * with P(Binomial(n, 1/2) <= r - 1) <= 0.025).
 */
#ifndef CAPMIX_CALCHECK_H
#define CAPMIX_CALCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "calibrate.h"
#include "diag.h"

#define CAL_CHECK_TRIALS 2000
#define CAL_CHECK_SEED 20260401

typedef struct cal_q {
    double p5, p50, p95; /* NaN when no trial has the figure */
} cal_q;

typedef struct cal_check {
    char name[CAL_NAME_MAX];
    int simulated;            /* 0: why[] says why not */
    char why[768];            /* as a diag message */
    double days;              /* the window simulated */
    double obs_pass_mean;     /* mean pass duration, first and rework passes */
    cal_q sim_pass;
    size_t n_cycle;
    double obs_cycle_mean, obs_cycle_p50, obs_cycle_lo, obs_cycle_hi; /* lo, hi NaN: n < 6 */
    cal_q sim_cycle;
    double obs_tp;            /* passes per month */
    cal_q sim_tp;
    int has_cost;             /* the invoices are the direct cost */
    double obs_cost;          /* mean monthly invoice */
    cal_q sim_cost;           /* direct cost per month */
} cal_check;

/* The order-statistic interval for the median of n sorted values: *lo,
 * *hi (NaN when n < 6, where no ranks give 95 %). */
void cal_median_interval(const double *sorted, size_t n, double *lo, double *hi);

/*
 * Check each source of r that has tickets against its entry in the
 * fragment frag (flen bytes, as calfrag_render wrote it).  cost[i]
 * non-zero: source i's invoices are its direct cost (compare them).
 * Returns 0 with *out (*n of them, owned by the caller, free()) or -1 with
 * a runtime diag (memory, a failed run); an entry that does not load is
 * a row with simulated = 0, not a failure.
 */
int cal_selfcheck(const char *frag, size_t flen, const cal_result *r, const int *cost,
                  uint64_t trials, cal_check **out, size_t *n, diag *d);

#endif
