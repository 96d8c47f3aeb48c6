/*
 * callanes — how many passes a source works on at once, from its ticket
 * rows (`capmix calibrate`, model §10): Little's law L = λ·W,
 * computed exactly as the time-average of the number of passes in
 * progress over the observed window [t0, t1], that is the sum of the
 * pass durations (clipped to the window) over its length, with a standard
 * error from batch means: the window cut into B equal batches, each
 * batch's own time-average, SE = sd(batch averages) / sqrt(B).  A batch
 * lasts at least two mean pass durations (so neighbouring batches are
 * nearly independent), B at most CAL_LANES_BATCH_MAX; with fewer than
 * CAL_LANES_BATCH_MIN batches the SE is unknown (NaN).  Pure computation.
 */
#ifndef CAPMIX_CALLANES_H
#define CAPMIX_CALLANES_H

#include <stddef.h>

#define CAL_LANES_BATCH_MAX 20
#define CAL_LANES_BATCH_MIN 3

typedef struct cal_lanes {
    double mean;   /* time-average passes in progress over the window */
    double se;     /* its batch-means SE; NaN with too few batches */
    int batches;   /* B (0 when the SE is unknown) */
    int lanes;     /* mean rounded, at least 1: what the fragment writes */
} cal_lanes;

/* From n passes [start[i], finish[i]] (seconds) over the window [t0, t1]
 * (t1 > t0).  Returns 0, or -1 when the window is empty (out untouched). */
int cal_lanes_estimate(const long long *start, const long long *finish, size_t n, long long t0,
                       long long t1, cal_lanes *out);

#endif
