/*
 * backtest — the scores of backtest.h.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "backtest.h"
#include "stats.h"

double bt_pinball(double q, double y, double tau)
{
    return (y - q) * (tau - (y < q ? 1.0 : 0.0));
}

double bt_crps_sample(double *x, size_t m, double y)
{
    stats_sort(x, m);
    /* Σ_{i<j} (x_(j) − x_(i)) = Σ_i x_(i)·(2i − m − 1), i from 1 */
    double a = 0, pairs = 0;
    for (size_t i = 0; i < m; i++) {
        a += fabs(x[i] - y);
        pairs += x[i] * (2.0 * (double)(i + 1) - (double)m - 1);
    }
    double M = (double)m;
    return a / M - pairs / (M * (M - 1));
}

double bt_crps_normal(double mu, double sigma, double y)
{
    double z = (y - mu) / sigma;
    return sigma * (z * (2 * gsl_cdf_ugaussian_P(z) - 1) + 2 * gsl_ran_ugaussian_pdf(z) - 1 / sqrt(M_PI));
}

double bt_pit(const double *x, size_t m, double y)
{
    size_t lo = 0, hi = m;
    while (lo < hi) { /* first >= y */
        size_t mid = (lo + hi) / 2;
        if (x[mid] < y)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t below = lo;
    hi = m;
    while (lo < hi) { /* first > y */
        size_t mid = (lo + hi) / 2;
        if (x[mid] <= y)
            lo = mid + 1;
        else
            hi = mid;
    }
    return ((double)below + (double)lo) / (2.0 * (double)m);
}

double bt_brier(const double *p, const double *o, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (p[i] - o[i]) * (p[i] - o[i]);
    return n ? s / (double)n : NAN;
}

void bt_wilson(size_t hits, size_t n, double z, double *lo, double *hi)
{
    if (!n) {
        *lo = *hi = NAN;
        return;
    }
    double N = (double)n, p = (double)hits / N, z2 = z * z;
    double c = (p + z2 / (2 * N)) / (1 + z2 / N);
    double h = z / (1 + z2 / N) * sqrt(p * (1 - p) / N + z2 / (4 * N * N));
    *lo = c - h;
    *hi = c + h;
}

void bt_coverage(const double *q, const double *y, size_t n, double tau, bt_cover *o)
{
    o->tau = tau;
    o->n = n;
    o->hits = 0;
    double pin = 0;
    for (size_t i = 0; i < n; i++) {
        o->hits += y[i] <= q[i];
        pin += bt_pinball(q[i], y[i], tau);
    }
    o->rate = n ? (double)o->hits / (double)n : NAN;
    bt_wilson(o->hits, n, 1.959963984540054, &o->lo, &o->hi);
    o->calibrated = tau >= o->lo && tau <= o->hi;
    o->pinball = n ? pin / (double)n : NAN;
}
