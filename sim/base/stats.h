/*
 * stats — what a run reports about each metric (model §16), on GSL.
 *
 * Conventions (model resolutions 19, 20):
 *   - NaN in the input means "null for this trial" (e.g. cycle_days with
 *     nothing accepted): such trials are left out and counted in n_null.
 *   - +Inf (cost_per_outcome with nothing accepted) is counted in n_inf;
 *     mean, sd, SE and the 95 % interval are over the finite values, while
 *     quantiles, max and CVaR include the infinite ones.
 *   - Quantiles interpolate linearly between order statistics at (n−1)·p,
 *     as gsl_stats_quantile_from_sorted_data and Excel's PERCENTILE.INC.
 *   - CVaR95 is the mean of the largest ⌈0.05·n⌉ values.
 *   - The 95 % interval of the mean uses Student's t with n−1 degrees of
 *     freedom.
 */
#ifndef CAPMIX_STATS_H
#define CAPMIX_STATS_H

#include <stddef.h>
#include <stdint.h>

typedef struct stats_summary {
    size_t n;          /* trials with a value (non-null) */
    size_t n_inf;      /* of which +Inf */
    size_t n_null;     /* trials without a value */
    double mean, se, sd, ci_lo, ci_hi;
    double min, p5, p10, p25, p50, p75, p90, p95, max, cvar95;
} stats_summary;

/*
 * Summarise x[0..n).  `scratch` must hold n doubles (it is overwritten
 * with the sorted non-null values, which callers may reuse for further
 * quantiles via stats_quantile_sorted).  With no non-null value every
 * field but n_null is NaN.
 */
void stats_summarise(const double *x, size_t n, double *scratch, stats_summary *out);

/* stats_summarise with `tmp` (n doubles, or NULL) as the sort's second
 * buffer, so that a caller summarising many arrays allocates once: tmp's
 * contents are undefined afterwards.  The figures are bit-identical to
 * stats_summarise's. */
void stats_summarise_buf(const double *x, size_t n, double *scratch, double *tmp,
                         stats_summary *out);

/* Sort n doubles ascending (no NaN; ±Inf allowed; −0 before +0). */
void stats_sort(double *x, size_t n);

/* The same with `tmp` (n doubles, contents undefined afterwards) as its
 * working buffer; NULL: allocated here, and a comparison sort when that
 * fails. */
void stats_sort_buf(double *x, size_t n, double *tmp);

/* Quantile p (0 ≤ p ≤ 1) of n unsorted values (no NaN; +Inf allowed) by
 * selection, O(n): the same two order statistics and the same arithmetic
 * as stats_quantile_sorted, so the same number (only the sign of a zero
 * may differ: selection does not order −0 before +0).  x is reordered.
 * NaN when n is 0.  Use it when one or two quantiles are wanted and
 * nothing else needs the order (a mean summed in sorted order does: see
 * stats_summarise). */
double stats_quantile_select(double *x, size_t n, double p);

/* Quantile p of sorted data (may end in +Inf values). */
double stats_quantile_sorted(const double *sorted, size_t n, double p);

/* A distribution-free interval at `level` (e.g. 0.9) for the p-quantile of
 * n sorted values: order statistics from the binomial distribution of the
 * number of values below the quantile.  NaN when n is 0. */
void stats_quantile_ci(const double *sorted, size_t n, double p, double level, double *lo,
                       double *hi);

/* Mean and P10/P50/P90 of n values (no NaN), by selection; x is
 * reordered.  The quantiles equal stats_quantile_sorted's. */
void stats_fan_point(double *x, size_t n, double *mean, double *p10, double *p50, double *p90);

/* gsl_stats_mean of k arrays, x + j·stride for j < k, n values each, bit
 * for bit: GSL's recurrence m += (x_i − m)/(i + 1) in long double, four
 * recurrences side by side, because each is a chain of divisions waiting
 * on itself (a month-end fan has one mean per month). */
void stats_means(const double *x, size_t n, size_t stride, size_t k, double *mean);

/* P10, P50 and P90 of n values (no NaN), the numbers stats_fan_point
 * gives, with x left as it is: a histogram over the values' range finds
 * the bin that holds each order statistic wanted, which is then found
 * among that bin's values only (binned again while many).  tmp holds 2n
 * doubles (contents undefined afterwards). */
void stats_fan_quantiles(const double *x, size_t n, double *tmp, double *p10, double *p50,
                         double *p90);

/* Paired difference a − b over trials where both are finite; p_lower is
 * the share of trials (both non-null) where a < b strictly. */
typedef struct stats_paired {
    size_t n;
    double mean_diff, se, p_lower;
} stats_paired;

void stats_paired_diff(const double *a, const double *b, size_t n, stats_paired *out);

/*
 * A ratio of means, E[x] / E[y], with its delta-method standard error:
 * Var(x̄/ȳ) ≈ (s_x² − 2R·s_xy + R²·s_y²) / (n·ȳ²), R = x̄/ȳ.  This is what
 * finance means by "cost per accepted outcome" (total cost over total
 * outcomes), not the mean of per-trial ratios, which over-weights the
 * trials that accepted little.  value is NaN when ȳ is 0; se is NaN with
 * fewer than two trials.  Trials where either value is not finite are left
 * out (n counts the rest).
 */
typedef struct stats_ratio {
    size_t n;
    double value, se;
    double num, den;   /* the two means */
} stats_ratio;

void stats_ratio_of_means(const double *x, const double *y, size_t n, stats_ratio *out);

/* The same for paired differences: (E[xa] − E[xb]) / (E[ya] − E[yb]), trial
 * by trial (e.g. the incremental cost per incremental accepted outcome of
 * one alternative against another on common random numbers). */
void stats_ratio_of_diffs(const double *xa, const double *xb, const double *ya, const double *yb,
                          size_t n, stats_ratio *out);

/* Share of non-null values strictly above thr. */
double stats_prob_above(const double *x, size_t n, double thr);

#endif
