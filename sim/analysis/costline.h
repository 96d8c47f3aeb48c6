/*
 * costline — forecasts of a ledger's cost line (tokens above all) with
 * prediction intervals (docs/model.md, "Tracking actuals").
 *
 * Model: log y_m = a + b·m + ε_m, ε_m ~ N(0, σ²) independent, over the
 * months with a positive amount (y_m is the month's amount; growth e^b − 1
 * a month).  With the usual noninformative prior p(a, b, σ²) ∝ 1/σ², the
 * posterior predictive of a future month h is Student t with n − 2 degrees
 * of freedom around â + b̂h with scale s·sqrt(1 + 1/n + (h − m̄)²/Sxx): the
 * month-to-month noise (the 1) plus the uncertainty of the fitted line
 * (the rest).  The confidence interval of the line alone omits the 1 and
 * covers far less than its nominal share of future months.
 *
 * P(y_h > A) under the predictive is exact (the t tail).  Its interval is
 * over the posterior of (a, b, σ): the probability P(y_h > A | a, b, σ)
 * drawn at posterior draws, P5 to P95 — how much the answer depends on
 * which line the history really follows.
 */
#ifndef CAPMIX_COSTLINE_H
#define CAPMIX_COSTLINE_H

#include <stddef.h>
#include <stdint.h>

#define CL_MIN_MONTHS 3   /* positive months needed (n − 2 >= 1) */

typedef struct cl_fit {
    size_t n;               /* months used */
    double a, b;            /* log amount = a + b·month */
    double s;               /* residual sd of log amount (n − 2 d.o.f.) */
    double mbar, sxx;       /* mean month, Σ(m − m̄)² */
    double b_se;            /* s / sqrt(Sxx) */
} cl_fit;

/* Fit months m[i] (any order) with amounts y[i]; non-positive amounts are
 * left out.  Returns 0, or -1 when fewer than CL_MIN_MONTHS remain or the
 * months do not vary. */
int cl_fit_line(const double *m, const double *y, size_t n, cl_fit *f);

/* Centre, scale and degrees of freedom of log y_h's predictive t. */
void cl_predictive(const cl_fit *f, double h, double *centre, double *scale, double *df);

/* The predictive p-quantile of y_h. */
double cl_quantile(const cl_fit *f, double h, double p);

/* P(y_h > amount) under the predictive. */
double cl_prob_above(const cl_fit *f, double h, double amount);

/*
 * The same probability at `draws` posterior draws of (a, b, σ) from the
 * stream keyed by seed: its mean (which tends to cl_prob_above), P5 and
 * P95.  And P(Σ y over months known_through+1..h + known_sum > amount), the
 * cumulative bill, by drawing those months' amounts.  Returns 0 or -1
 * (memory).
 */
typedef struct cl_above {
    double p, p_mean, p5, p95;
    double p_cum, p_cum_se;
} cl_above;
int cl_above_draws(const cl_fit *f, double h, double amount, double known_sum, int known_through,
                   uint64_t draws, uint64_t seed, cl_above *out);

#endif
