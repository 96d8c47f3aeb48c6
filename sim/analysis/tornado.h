/*
 * tornado — what drives a statistic of one alternative: every uncertain
 * input (each {dist: ...} of the alternative, of `work` and of `people`) in
 * turn held at its P10 and at its P90, everything else random, on the same
 * random numbers; inputs ranked by the swing.  Observed-count calibrations
 * are swung too, at their posteriors' P10 and P90: throughput `observed:`
 * as PATH.throughput (throughput per month), outcomes `observed:` as
 * PATH.outcomes.accepted (the accepted share; the rest split in the
 * posterior-mean proportions of rework and superseded).
 */
#ifndef CAPMIX_TORNADO_H
#define CAPMIX_TORNADO_H

#include "sweep.h"

typedef struct trn_input {
    char path[PRM_PATH_MAX];
    double q10, q90;           /* the input at its P10 and P90 */
    double at10, at90;         /* the statistic with the input there */
    double swing;              /* |at90 − at10| */
    double spearman;           /* rank correlation of the input's draws with
                                * the metric across trials of the base run;
                                * NaN for an input drawn per item (or not
                                * recorded: overheads, a bid's) */
    int per_item;              /* 1: drawn afresh per item (no trial value) */
} trn_input;

typedef struct trn_result {
    double base;               /* the statistic with every input random */
    trn_input *inputs;         /* sorted by swing, widest first */
    size_t n;
} trn_result;

/* Swing every uncertain input of alternative `alt` (S->pair[0], S->pair[1]
 * set to it by the caller).  Returns 0, or -1 with d set. */
int trn_run(swp_setup *S, const char *alt, trn_result *out, diag *d);
void trn_release(trn_result *r);

#endif
