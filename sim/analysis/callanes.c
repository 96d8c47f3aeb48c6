/*
 * callanes — passes in progress, averaged over the observed window
 * (callanes.h).
 */
#include "callanes.h"

#include <math.h>

static double overlap(long long a, long long b, double lo, double hi)
{
    double x = (double)a > lo ? (double)a : lo, y = (double)b < hi ? (double)b : hi;
    return y > x ? y - x : 0;
}

int cal_lanes_estimate(const long long *start, const long long *finish, size_t n, long long t0,
                       long long t1, cal_lanes *out)
{
    if (!(t1 > t0))
        return -1;
    double T = (double)(t1 - t0), busy = 0;
    for (size_t i = 0; i < n; i++)
        busy += overlap(start[i], finish[i], (double)t0, (double)t1);
    out->mean = busy / T;
    out->lanes = out->mean < 1.5 ? 1 : (int)lround(out->mean);
    out->se = NAN;
    out->batches = 0;
    /* batches of at least two mean pass durations */
    double w = n ? busy / (double)n : 0;
    int B = w > 0 ? (int)fmin(floor(T / (2 * w)), CAL_LANES_BATCH_MAX) : 0;
    if (B < CAL_LANES_BATCH_MIN)
        return 0;
    double len = T / B, sum = 0, sum2 = 0;
    for (int b = 0; b < B; b++) {
        double lo = (double)t0 + b * len, hi = b == B - 1 ? (double)t1 : lo + len, in = 0;
        for (size_t i = 0; i < n; i++)
            in += overlap(start[i], finish[i], lo, hi);
        double m = in / (hi - lo);
        sum += m;
        sum2 += m * m;
    }
    double mb = sum / B, var = (sum2 - B * mb * mb) / (B - 1);
    out->se = sqrt(var > 0 ? var : 0) / sqrt((double)B);
    out->batches = B;
    return 0;
}
