/*
 * backtest — scoring past forecasts against what happened (capmix
 * backtest): how often the truth fell below each quantile, how far off the
 * quantiles and the whole distribution were, and how sharp the binary
 * forecasts were.
 *
 *   pinball loss of quantile q at level τ for outcome y:
 *       (y − q)·(τ − 1{y < q})                   (lower is better)
 *   CRPS of a sample x_1..x_m for outcome y (the unbiased U-statistic):
 *       (1/m) Σ|x_i − y| − 1/(2m(m−1)) Σ_{i≠j} |x_i − x_j|
 *   CRPS of N(μ, σ²) (closed form, for checks):
 *       σ·[z(2Φ(z) − 1) + 2φ(z) − 1/√π],  z = (y − μ)/σ
 *   PIT: the forecast's CDF at the outcome, mid-rank for ties; uniform on
 *       (0, 1) for calibrated forecasts
 *   Brier score: mean (p − o)² over binary outcomes o ∈ {0, 1}
 *   coverage of a level τ: the share of outcomes at or below the forecast's
 *       τ-quantile, with its Wilson score interval; calibrated when τ lies
 *       inside it.
 */
#ifndef CAPMIX_BACKTEST_H
#define CAPMIX_BACKTEST_H

#include <stddef.h>

double bt_pinball(double q, double y, double tau);

/* Sorts x (m >= 2) in place. */
double bt_crps_sample(double *x, size_t m, double y);

double bt_crps_normal(double mu, double sigma, double y);

/* x sorted ascending. */
double bt_pit(const double *x, size_t m, double y);

double bt_brier(const double *p, const double *o, size_t n);

/* The Wilson score interval of hits/n at normal quantile z (1.96: 95 %). */
void bt_wilson(size_t hits, size_t n, double z, double *lo, double *hi);

typedef struct bt_cover {
    double tau;
    size_t n, hits;
    double rate, lo, hi;   /* share at or below, its 95 % Wilson interval */
    int calibrated;        /* tau inside [lo, hi] */
    double pinball;        /* mean pinball loss */
} bt_cover;

/* Coverage and mean pinball loss of level tau from n forecast quantiles
 * q[i] and outcomes y[i]. */
void bt_coverage(const double *q, const double *y, size_t n, double tau, bt_cover *out);

#endif
