/*
 * stats — summaries on GSL's statistics and sorting.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

double stats_quantile_sorted(const double *x, size_t n, double p)
{
    if (n == 0)
        return NAN;
    double pos = (double)(n - 1) * p;
    size_t lo = (size_t)floor(pos);
    if (lo + 1 >= n)
        return x[n - 1];
    /* GSL would compute (1−δ)·x_lo + δ·x_hi, which is NaN when x_hi is
     * +Inf and δ = 0: decide the infinite cases first. */
    if (pos == (double)lo || isinf(x[lo]))
        return x[lo];
    if (isinf(x[lo + 1]))
        return INFINITY;
    return gsl_stats_quantile_from_sorted_data(x, 1, n, p);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void stats_summarise(const double *x, size_t n, double *s, stats_summary *o)
{
    size_t m = 0, ninf = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        if (isinf(x[i]))
            ninf++;
        s[m++] = x[i];
    }
    o->n = m;
    o->n_inf = ninf;
    o->n_null = n - m;
    double *f = &o->mean;
    for (double *q = f; q <= &o->cvar95; q++)
        *q = NAN;
    if (m == 0)
        return;
    qsort(s, m, sizeof *s, cmp_double);
    size_t nf = m - ninf; /* the finite values are s[0..nf) once sorted */
    if (nf > 0) {
        o->mean = gsl_stats_mean(s, 1, nf);
        o->sd = nf > 1 ? gsl_stats_sd_m(s, 1, nf, o->mean) : 0;
        o->se = o->sd / sqrt((double)nf);
        double t = nf > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(nf - 1)) : 0;
        o->ci_lo = o->mean - t * o->se;
        o->ci_hi = o->mean + t * o->se;
    }
    o->min = s[0];
    o->max = s[m - 1];
    o->p5 = stats_quantile_sorted(s, m, 0.05);
    o->p10 = stats_quantile_sorted(s, m, 0.10);
    o->p25 = stats_quantile_sorted(s, m, 0.25);
    o->p50 = stats_quantile_sorted(s, m, 0.50);
    o->p75 = stats_quantile_sorted(s, m, 0.75);
    o->p90 = stats_quantile_sorted(s, m, 0.90);
    o->p95 = stats_quantile_sorted(s, m, 0.95);
    size_t k = (size_t)ceil(0.05 * (double)m - 1e-9);
    if (k < 1)
        k = 1;
    o->cvar95 = ninf ? INFINITY : gsl_stats_mean(s + (m - k), 1, k);
}

void stats_paired_diff(const double *a, const double *b, size_t n, stats_paired *o)
{
    /* Welford's update keeps the difference's variance exact without a
     * second pass or a buffer. */
    size_t k = 0, both = 0, lower = 0;
    double mean = 0, m2 = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(a[i]) || isnan(b[i]))
            continue;
        both++;
        lower += a[i] < b[i];
        if (isinf(a[i]) || isinf(b[i]))
            continue;
        double dlt = (a[i] - b[i]) - mean;
        k++;
        mean += dlt / (double)k;
        m2 += dlt * ((a[i] - b[i]) - mean);
    }
    o->n = k;
    o->mean_diff = k ? mean : NAN;
    o->se = k > 1 ? sqrt(m2 / (double)(k - 1) / (double)k) : (k == 1 ? 0 : NAN);
    o->p_lower = both ? (double)lower / (double)both : NAN;
}

double stats_prob_above(const double *x, size_t n, double thr)
{
    size_t m = 0, above = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        m++;
        above += x[i] > thr;
    }
    return m ? (double)above / (double)m : NAN;
}
