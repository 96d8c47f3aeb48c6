/*
 * dist — the uncertain quantities of a scenario (model §1): their maths
 * and their sampling.  Nothing here knows YAML: sim/input/distparse.h
 * reads a dist from a scenario, with every parameter validated against its
 * form and against the domain of the key it sits under, so that sampling
 * never meets an invalid parameter (GSL's samplers check nothing).
 * Parameters are stored normalised (a lognormal given by median and p90
 * is kept as mu, sigma), so sampling does no set-up work.
 *
 * Ownership: a dist may own heap memory (discrete/empirical tables, a
 * beta envelope); release it with dist_release.  A zero-initialised dist
 * is the constant 0 and owns nothing.
 */
#ifndef CAPMIX_DIST_H
#define CAPMIX_DIST_H

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <math.h>

#include "diag.h"
#include "rng.h"

/* Largest magnitude of a quantity's mean, sd or support ends (see dist.c). */
#define DIST_MAX_MAGNITUDE 1e15

typedef enum {
    DIST_CONST = 0,
    DIST_UNIFORM,
    DIST_TRIANGULAR,
    DIST_PERT,
    DIST_NORMAL,
    DIST_LOGNORMAL,
    DIST_GAMMA,
    DIST_BETA,
    DIST_DISCRETE,
    DIST_EMPIRICAL
} dist_kind;

/* The support a key requires; checked at load time (model §18.2). */
typedef enum {
    DOM_ANY = 0,   /* any real */
    DOM_NONNEG,    /* >= 0: durations, rates, money, counts */
    DOM_POSITIVE,  /* > 0 almost surely: e.g. a divisor */
    DOM_PROB       /* within [0, 1] */
} dist_domain;

typedef struct dist {
    dist_kind kind;
    /*
     * Normalised parameters:
     *   CONST      a = value
     *   UNIFORM    a = min, b = max
     *   TRIANGULAR a = min, b = mode, c = max
     *   PERT       a = min, c = max, alpha = p[0], beta = p[1] (on [a, c])
     *   NORMAL     a = mean, b = sd, lo/hi = truncation (-inf/+inf if none)
     *   LOGNORMAL  a = mu, b = sigma
     *   GAMMA      a = shape, b = scale
     *   BETA       a = alpha, b = beta
     *   DISCRETE   values[n], table (Walker alias, GSL)
     *   EMPIRICAL  values[n]
     */
    double a, b, c;
    double p[2];
    double lo, hi;
    double *values;
    size_t n;
    gsl_ran_discrete_t *table;
    int line, col; /* where the quantity was written (1-based) */
} dist;

/*
 * For the parser, which fills a dist's kind and normalised parameters and
 * then builds its sampling tables here.  Each returns 0, or -1 with d set
 * (out of memory) and x owning what it owned before.
 *
 * dist_beta_envelope: the rejection envelope of a Beta(a, b) (a PERT's
 * shapes, or a beta's) into x->values and x->table; nothing when a shape
 * is below 1 or the density too peaked for it (gsl_ran_beta then draws).
 * dist_sort_values: x->values[0..n) (and, for a discrete, its normalised
 * probabilities after them) sorted into the second half, for dist_inv.
 */
int dist_beta_envelope(dist *x, double a, double b, diag *d);
int dist_sort_values(dist *x, diag *d);

/* Probability of [al, be] under N(0, 1), precise in either tail. */
double dist_std_normal_mass(double al, double be);

/* A constant (owns nothing). */
dist dist_const(double v);

/* 1 when the dist is a constant. */
int dist_is_const(const dist *x);

/* Release owned memory and reset to the constant 0; NULL is a no-op. */
void dist_release(dist *x);

/* Deep copy; returns 0 or -1 (out of memory). */
int dist_copy(dist *dst, const dist *src);

/* 1 when x and y are the same law drawn the same way: the same form and
 * bit-identical parameters and tables (where they were written aside), so
 * that each gives the same draws from the same generator. */
int dist_same(const dist *x, const dist *y);

/* One draw.  Never allocates; uses only `r`.  The cheap forms are inline
 * (a constant, a uniform and a triangular are drawn on every pass of the
 * hot loop); the others go through dist_sample_other. */
double dist_sample_other(const dist *x, gsl_rng *r);

static inline double dist_sample(const dist *x, gsl_rng *r)
{
    switch (x->kind) {
    case DIST_CONST:
        return x->a;
    case DIST_UNIFORM:
        return x->a + (x->b - x->a) * rng_uniform(r);
    case DIST_TRIANGULAR: {
        /* Inverse CDF: one uniform per draw, monotone in it. */
        double u = rng_uniform(r), w = x->c - x->a, l = x->b - x->a;
        return u * w < l ? x->a + sqrt(u * w * l) : x->c - sqrt((1 - u) * w * (x->c - x->b));
    }
    default:
        return dist_sample_other(x, r);
    }
}

/*
 * Batch inverse CDFs, in place: u[i] (uniforms in [0, 1)) becomes a draw
 * of x.  For the forms whose inverse is one closed expression
 * (dist_batch_ok: constant, uniform, triangular) that is the number
 * dist_sample would give for the same uniform; any other form goes
 * through dist_inv, which is not what dist_sample draws (and is -inf at
 * u = 0 for an unbounded form): callers batch only dist_batch_ok forms.  A
 * batched stream (rngbatch.h) transforms its whole buffer at refill, so
 * the hot loop reads a finished draw.
 */
int dist_batch_ok(const dist *x);
void dist_inv_batch(const dist *x, double *u, size_t n);

/* The exact mean (truncated normal included): the spreadsheet view. */
double dist_mean(const dist *x);

/* The exact standard deviation (0 for a constant). */
double dist_sd(const dist *x);

/* Lower and upper end of the support (may be -inf/+inf). */
void dist_support(const dist *x, double *lo, double *hi);

/* CDF at v (used by goodness-of-fit tests and, later, copulas). */
double dist_cdf(const dist *x, double v);

/* The exact inverse CDF at u in [0, 1] (GSL's gsl_cdf_*_Pinv, closed
 * forms, or a binary search of the sorted values; for the discrete forms
 * the smallest value whose CDF reaches u).  Feeding it a uniform gives a
 * draw of the dist: the Gaussian copula's marginals (copula.h).  Never
 * allocates. */
double dist_inv(const dist *x, double u);

/* The p-quantile: dist_inv(x, p). */
double dist_quantile(const dist *x, double p);

/* Short human form for digests, e.g. "pert(150, 180, 260)" or "85". */
void dist_describe(const dist *x, char *buf, size_t n);

/* 1 when the right tail is heavy enough that E[exp(tX)] is infinite for
 * every t > 0 (lognormal): model §18.16. */
int dist_heavy_tailed(const dist *x);

/* Name of a kind ("pert"), for messages. */
const char *dist_kind_name(dist_kind k);

#endif
