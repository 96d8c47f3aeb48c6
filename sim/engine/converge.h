/*
 * converge — `--precision`: run until the figures are as precise as asked.
 *
 * eng_converge doubles the trial count, from 4 blocks, until every
 * alternative's mean of one metric has a relative standard error under the
 * target and its P90 a 90 % interval of relative half-width under it too,
 * or the cap is reached.  Blocks are seeded by their index, so the final
 * run is bit-identical to a plain run of that many trials.
 */
#ifndef CAPMIX_CONVERGE_H
#define CAPMIX_CONVERGE_H

#include "diag.h"
#include "engine.h"

typedef struct eng_conv {
    double target;            /* relative error asked for, > 0 */
    eng_metric metric;
    unsigned long long max;   /* the cap on trials */
    /* what the last run achieved: */
    int met;                  /* 1: both under the target */
    double rse, p90;          /* worst relative SE of the mean, and worst
                               * relative half-width of the P90's interval */
} eng_conv;

/*
 * Judge r against cv->target, filling met, rse and p90.  A metric that is
 * 0 on average (or infinite) cannot be judged relatively: it does not
 * count as met.  Returns 0, or -1 with a runtime diag (memory).
 */
int eng_conv_check(const eng_results *r, eng_conv *cv, diag *d);

/*
 * Run s with eo, doubling the trials until cv is met or cv->max is
 * reached; s->trials and eo->trials end at the count of the final run.
 * Month-end snapshots are kept when `monthly` asks for them always, or
 * when they fit the budget (eng_monthly_fits) at each count.  On success
 * *res holds the final run's results (the caller frees them).  Returns 0,
 * or -1 with d set (eng_run's failures, memory).
 */
int eng_converge(scn_scenario *s, eng_opts *eo, int monthly, eng_conv *cv, eng_results **res, diag *d);

#endif
