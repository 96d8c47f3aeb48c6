/*
 * stats — summaries on GSL's statistics and sorting.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    if (x == y) /* −0 before +0, as the radix sort has them */
        return !!signbit(y) - !!signbit(x);
    return (x > y) - (x < y);
}

/* IEEE-754 doubles as unsigned integers in the same order: flip every bit
 * of a negative, only the sign bit of a positive (NaN never gets here). */
static inline uint64_t order_key(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return (u >> 63) ? ~u : u | 0x8000000000000000ULL;
}

enum { RADIX_BITS = 11, RADIX_BUCKETS = 1 << RADIX_BITS, RADIX_MASK = RADIX_BUCKETS - 1,
       RADIX_DIGITS = (64 + RADIX_BITS - 1) / RADIX_BITS };

/*
 * LSD radix sort of x[0..n) on order_key, 11-bit digits, moving the doubles
 * themselves between x and tmp (the key is recomputed from the bits, cheaper
 * than a key array of its own).  Summaries sort every metric of every
 * alternative, so the sort is a run's largest cost after the simulation:
 * one read pass counts every digit at once (the 48 KiB of counters stay in
 * cache), digits that all keys share are skipped (integer counts and
 * near-constant metrics need one or two passes), and nothing is allocated.
 * Stable on keys, and equal keys are equal bits: the result is the one
 * ascending order, whatever the algorithm.  n ≤ UINT32_MAX.
 */
static void radix_sort(double *x, size_t n, double *tmp)
{
    uint32_t count[RADIX_DIGITS][RADIX_BUCKETS];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = order_key(x[i]);
        for (int d = 0; d < RADIX_DIGITS; d++)
            count[d][(k >> (d * RADIX_BITS)) & RADIX_MASK]++;
    }
    double *src = x, *dst = tmp;
    for (int d = 0; d < RADIX_DIGITS; d++) {
        int shift = d * RADIX_BITS;
        uint32_t *c = count[d];
        if (c[(order_key(src[0]) >> shift) & RADIX_MASK] == n)
            continue; /* every key has this digit: the pass would not move anything */
        uint32_t sum = 0;
        for (size_t b = 0; b < RADIX_BUCKETS; b++) {
            uint32_t here = c[b];
            c[b] = sum;
            sum += here;
        }
        for (size_t i = 0; i < n; i++) {
            double v = src[i];
            dst[c[(order_key(v) >> shift) & RADIX_MASK]++] = v;
        }
        double *t = src;
        src = dst;
        dst = t;
    }
    if (src != x)
        memcpy(x, src, n * sizeof *x);
}

void stats_sort_buf(double *x, size_t n, double *tmp)
{
    if (n < 256 || n > UINT32_MAX) {
        qsort(x, n, sizeof *x, cmp_double);
        return;
    }
    if (tmp) {
        radix_sort(x, n, tmp);
        return;
    }
    tmp = malloc(n * sizeof *tmp);
    if (tmp)
        radix_sort(x, n, tmp);
    else /* no memory for the second buffer: slower, but the same order */
        qsort(x, n, sizeof *x, cmp_double);
    free(tmp);
}

void stats_sort(double *x, size_t n)
{
    stats_sort_buf(x, n, NULL);
}

/* Mean and sample sd by the two-pass formula.  GSL's gsl_stats_mean and
 * gsl_stats_sd_m update a running mean with a division per value, which
 * made them a sixth of a million-trial run's time; summing first is as
 * accurate here (the values arrive sorted, so the sum adds small to large)
 * and several times faster. */
static void two_pass(const double *x, size_t n, double *mean, double *sd)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    double m = sum / (double)n, q = 0, c = 0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - m;
        q += d * d;
        c += d;
    }
    /* the corrected two-pass variance (Chan, Golub & LeVeque): c is the
     * rounding left in m, zero in exact arithmetic; the mean itself stays
     * sum/n, exact for counts */
    *mean = m;
    *sd = n > 1 ? sqrt((q - c * c / (double)n) / (double)(n - 1)) : 0;
}

void stats_summarise(const double *x, size_t n, double *s, stats_summary *o)
{
    stats_summarise_buf(x, n, s, NULL, o);
}

void stats_summarise_buf(const double *x, size_t n, double *s, double *tmp, stats_summary *o)
{
    size_t m = 0, ninf = 0;
    int constant = 1;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        if (isinf(x[i]))
            ninf++;
        if (m && x[i] != s[0])
            constant = 0;
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
    if (!constant) /* constant metrics (a fixed monthly cost, a count) need no sort */
        stats_sort_buf(s, m, tmp);
    size_t nf = m - ninf; /* the finite values are s[0..nf) once sorted */
    if (nf > 0) {
        two_pass(s, nf, &o->mean, &o->sd);
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
    /* two passes (sum, then squared deviations), as two_pass: a running
     * mean would cost a division per trial */
    size_t k = 0, both = 0, lower = 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(a[i]) || isnan(b[i]))
            continue;
        both++;
        lower += a[i] < b[i];
        if (isinf(a[i]) || isinf(b[i]))
            continue;
        k++;
        sum += a[i] - b[i];
    }
    double mean = k ? sum / (double)k : 0, m2 = 0, c = 0;
    for (size_t i = 0; k && i < n; i++) {
        if (!isfinite(a[i]) || !isfinite(b[i]))
            continue;
        double dl = (a[i] - b[i]) - mean;
        m2 += dl * dl;
        c += dl;
    }
    m2 -= c * c / (double)(k ? k : 1);
    o->n = k;
    o->mean_diff = k ? mean : NAN;
    o->se = k > 1 ? sqrt((m2 > 0 ? m2 : 0) / (double)(k - 1) / (double)k) : (k == 1 ? 0 : NAN);
    o->p_lower = both ? (double)lower / (double)both : NAN;
}

/* One routine for both ratios: x = xa − xb (xb NULL: 0), likewise y. */
static void ratio(const double *xa, const double *xb, const double *ya, const double *yb, size_t n,
                  stats_ratio *o)
{
    size_t k = 0;
    double sx = 0, sy = 0;
    for (size_t i = 0; i < n; i++) {
        double x = xa[i] - (xb ? xb[i] : 0), y = ya[i] - (yb ? yb[i] : 0);
        if (!isfinite(x) || !isfinite(y))
            continue;
        k++;
        sx += x;
        sy += y;
    }
    o->n = k;
    o->num = k ? sx / (double)k : NAN;
    o->den = k ? sy / (double)k : NAN;
    o->value = k && o->den != 0 ? o->num / o->den : NAN;
    o->se = NAN;
    if (k < 2 || isnan(o->value))
        return;
    double vxx = 0, vyy = 0, vxy = 0;
    for (size_t i = 0; i < n; i++) {
        double x = xa[i] - (xb ? xb[i] : 0), y = ya[i] - (yb ? yb[i] : 0);
        if (!isfinite(x) || !isfinite(y))
            continue;
        double dx = x - o->num, dy = y - o->den;
        vxx += dx * dx;
        vyy += dy * dy;
        vxy += dx * dy;
    }
    double R = o->value, v = (vxx - 2 * R * vxy + R * R * vyy) / (double)(k - 1);
    o->se = sqrt((v > 0 ? v : 0) / (double)k) / fabs(o->den);
}

void stats_ratio_of_means(const double *x, const double *y, size_t n, stats_ratio *out)
{
    ratio(x, NULL, y, NULL, n, out);
}

void stats_ratio_of_diffs(const double *xa, const double *xb, const double *ya, const double *yb,
                          size_t n, stats_ratio *out)
{
    ratio(xa, xb, ya, yb, n, out);
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

/*
 * Quantile p of all n values, when x[from..to) holds exactly the order
 * statistics from..to−1 (a quickselect's partition: gsl_stats_select
 * leaves the k-th value at k, smaller ones before it and larger ones
 * after) and x[to], when to < n, is the to-th.  The (lo+1)-th order
 * statistic is then the smallest value after position lo of the part.
 */
static double select_in(double *x, size_t n, size_t from, size_t to, double p)
{
    double pos = (double)(n - 1) * p;
    size_t lo = (size_t)floor(pos);
    double a = gsl_stats_select(x + from, 1, to - from, lo - from);
    if (pos == (double)lo || lo + 1 >= n || isinf(a))
        return a;
    double b = INFINITY;
    if (lo + 1 < to)
        for (size_t i = lo + 1; i < to; i++)
            b = x[i] < b ? x[i] : b;
    else
        b = x[to];
    if (isinf(b))
        return INFINITY;
    double delta = pos - (double)lo;
    return (1 - delta) * a + delta * b;
}

double stats_quantile_select(double *x, size_t n, double p)
{
    return n ? select_in(x, n, 0, n, p) : NAN;
}

void stats_fan_point(double *x, size_t n, double *mean, double *p10, double *p50, double *p90)
{
    if (n == 0) {
        *mean = *p10 = *p50 = *p90 = NAN;
        return;
    }
    *mean = gsl_stats_mean(x, 1, n);
    /* the median first, on everything; then P10 among the values below it
     * and P90 among those above it: about half the work of three selects */
    size_t k50 = (size_t)floor((double)(n - 1) * 0.5);
    *p50 = select_in(x, n, 0, n, 0.50);
    size_t k10 = (size_t)floor((double)(n - 1) * 0.10), k90 = (size_t)floor((double)(n - 1) * 0.90);
    *p10 = k10 < k50 ? select_in(x, n, 0, k50, 0.10) : select_in(x, n, 0, n, 0.10);
    *p90 = k90 > k50 ? select_in(x, n, k50 + 1, n, 0.90) : select_in(x, n, 0, n, 0.90);
}

void stats_means(const double *x, size_t n, size_t stride, size_t k, double *mean)
{
    size_t j = 0;
    for (; j + 4 <= k; j += 4) {
        const double *a = x + j * stride, *b = a + stride, *c = b + stride, *e = c + stride;
        long double ma = 0, mb = 0, mc = 0, me = 0;
        for (size_t i = 0; i < n; i++) {
            long double w = (long double)(i + 1); /* GSL divides by (i + 1) so converted */
            ma += (a[i] - ma) / w;
            mb += (b[i] - mb) / w;
            mc += (c[i] - mc) / w;
            me += (e[i] - me) / w;
        }
        mean[j] = (double)ma;
        mean[j + 1] = (double)mb;
        mean[j + 2] = (double)mc;
        mean[j + 3] = (double)me;
    }
    for (; j < k; j++)
        mean[j] = gsl_stats_mean(x + j * stride, 1, n);
}

enum { FAN_BINS = 4096, FAN_SELECT = 512 };

/* The p-quantile from its two order statistics a (the lo-th) and b, with
 * select_in's arithmetic. */
static double fan_interp(size_t n, double p, double a, double b)
{
    double pos = (double)(n - 1) * p;
    size_t lo = (size_t)floor(pos);
    if (pos == (double)lo || lo + 1 >= n || isinf(a))
        return a;
    if (isinf(b))
        return INFINITY;
    double delta = pos - (double)lo;
    return (1 - delta) * a + delta * b;
}

/* Bin of v among FAN_BINS over [lo, lo + FAN_BINS/scale].  (v − lo)·scale
 * is monotone in v (each step rounds monotonically), so a lower bin holds
 * no larger value than a higher one, and equal values share a bin. */
static inline size_t fan_bin(double v, double lo, double scale)
{
    int64_t b = (int64_t)((v - lo) * scale); /* 0 up: v ≥ lo; one instruction, unlike size_t */
    return (size_t)(b < FAN_BINS ? b : FAN_BINS - 1);
}

/* The r-th smallest of v[0..m) (finite, no −0), v reordered: the bin that
 * holds it, again and again, until few values or one value are left. */
static double fan_kth(double *v, size_t m, size_t r, uint32_t *count)
{
    while (m > FAN_SELECT) {
        double lo = v[0], hi = v[0];
        for (size_t i = 1; i < m; i++) {
            lo = v[i] < lo ? v[i] : lo;
            hi = v[i] > hi ? v[i] : hi;
        }
        double scale = FAN_BINS / (hi - lo);
        if (lo == hi)
            return lo;
        if (!isfinite(scale) || scale == 0)
            break;
        memset(count, 0, FAN_BINS * sizeof *count);
        for (size_t i = 0; i < m; i++)
            count[fan_bin(v[i], lo, scale)]++;
        size_t b = 0, below = 0;
        while (below + count[b] <= r)
            below += count[b++];
        size_t w = 0; /* that bin's values to the front, in place */
        for (size_t i = 0; i < m; i++)
            if (fan_bin(v[i], lo, scale) == b)
                v[w++] = v[i];
        m = w;
        r -= below;
    }
    return gsl_stats_select(v, 1, m, r);
}

/* The histogram path of stats_fan_quantiles; -1 when the values do not
 * suit it (an infinity, a −0 that selection could order either way
 * against +0, a range the bins cannot divide). */
static int fan_hist(const double *x, size_t n, double *tmp, double q[3])
{
    static const double ps[3] = {0.10, 0.50, 0.90};
    double lo = x[0], hi = x[0];
    int odd = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        odd |= !isfinite(v) || (v == 0 && signbit(v));
    }
    double scale = FAN_BINS / (hi - lo);
    if (odd || (hi > lo && (!isfinite(scale) || scale == 0)))
        return -1;
    if (hi == lo) {
        for (int k = 0; k < 3; k++)
            q[k] = fan_interp(n, ps[k], lo, lo);
        return 0;
    }
    uint32_t count[FAN_BINS] = {0}, inner[FAN_BINS];
    for (size_t i = 0; i < n; i++)
        count[fan_bin(x[i], lo, scale)]++;
    size_t r[3], bin[3], below[3];
    for (int k = 0; k < 3; k++) {
        r[k] = (size_t)floor((double)(n - 1) * ps[k]);
        size_t b = k ? bin[k - 1] : 0, un = k ? below[k - 1] : 0; /* the ranks ascend */
        while (un + count[b] <= r[k])
            un += count[b++];
        bin[k] = b;
        below[k] = un;
    }
    /* the three bins' values into tmp, one after the other (a bin wanted
     * twice is gathered once) */
    size_t at[3], fill[3] = {0};
    for (int k = 0; k < 3; k++)
        at[k] = k == 0 ? 0 : bin[k] == bin[k - 1] ? at[k - 1] : at[k - 1] + count[bin[k - 1]];
    size_t used = at[2] + count[bin[2]];
    for (size_t i = 0; i < n; i++) {
        size_t b = fan_bin(x[i], lo, scale);
        for (int k = 0; k < 3; k++)
            if (b == bin[k]) {
                tmp[at[k] + fill[k]++] = x[i];
                break;
            }
    }
    for (int k = 0; k < 3; k++) {
        /* the r-th order statistic is the (r − below)-th of its bin */
        const double *v = tmp + at[k];
        size_t m = count[bin[k]];
        memcpy(tmp + used, v, m * sizeof *tmp);
        double a = fan_kth(tmp + used, m, r[k] - below[k], inner);
        /* the (r+1)-th: a again while a's ties last, else the next value
         * up, in this bin or a higher one (they hold only larger values) */
        size_t le = below[k];
        double next = INFINITY;
        for (size_t i = 0; i < m; i++) {
            le += v[i] <= a;
            next = v[i] > a && v[i] < next ? v[i] : next;
        }
        if (r[k] + 1 < n && r[k] + 1 >= le && next == INFINITY)
            for (size_t i = 0; i < n; i++)
                next = x[i] > a && x[i] < next ? x[i] : next;
        q[k] = fan_interp(n, ps[k], a, r[k] + 1 < le ? a : next);
    }
    return 0;
}

void stats_fan_quantiles(const double *x, size_t n, double *tmp, double *p10, double *p50,
                         double *p90)
{
    double q[3], mean;
    if (n == 0) {
        *p10 = *p50 = *p90 = NAN;
        return;
    }
    /* below a few bins' worth of values selection is as quick */
    if (n < FAN_BINS / 4 || fan_hist(x, n, tmp, q)) { /* as stats_fan_point, on a copy */
        memcpy(tmp, x, n * sizeof *tmp);
        stats_fan_point(tmp, n, &mean, p10, p50, p90);
        return;
    }
    *p10 = q[0];
    *p50 = q[1];
    *p90 = q[2];
}

void stats_quantile_ci(const double *sorted, size_t n, double p, double level, double *lo,
                       double *hi)
{
    *lo = *hi = NAN;
    if (n == 0)
        return;
    double a = (1 - level) / 2, z = gsl_cdf_ugaussian_Pinv(1 - a);
    double mu = (double)n * p, sd = sqrt(mu * (1 - p));
    long j = (long)floor(mu - z * sd), k = (long)ceil(mu + z * sd);
    unsigned N = (unsigned)(n > 4000000000u ? 4000000000u : n);
    /* order statistics j < k (1-based) with P(B < j) <= a and P(B < k) >= 1 − a,
     * B ~ Bin(n, p): started from the normal approximation, corrected on the
     * exact CDF */
    while (j > 1 && gsl_cdf_binomial_P((unsigned)(j - 1), p, N) > a)
        j--;
    while (j >= 1 && j < (long)n && gsl_cdf_binomial_P((unsigned)(j - 1), p, N) <= a &&
           gsl_cdf_binomial_P((unsigned)j, p, N) <= a)
        j++;
    while (k < (long)n && k >= 1 && gsl_cdf_binomial_P((unsigned)(k - 1), p, N) < 1 - a)
        k++;
    while (k > 1 && gsl_cdf_binomial_P((unsigned)(k - 2), p, N) >= 1 - a)
        k--;
    if (j < 1)
        j = 1;
    if (k > (long)n)
        k = (long)n;
    if (k < j)
        k = j;
    *lo = sorted[j - 1];
    *hi = sorted[k - 1];
}
