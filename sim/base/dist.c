/*
 * dist — the maths and sampling of the uncertain quantities of a scenario
 * (model §1, §13, §18.2).  Reading them from YAML, and every
 * check of a parameter against its form and its key's domain, is
 * sim/input/distparse.c, which fills the normalised parameters and asks
 * this file for the sampling tables (dist_beta_envelope, dist_sort_values),
 * so dist_sample is a switch and one GSL call: no allocation, no set-up,
 * no error path.
 *
 * Private layout beyond dist.h: a DIST_DISCRETE's `values` holds 4n
 * doubles: the n values, their n normalised probabilities (GSL's alias
 * table does not keep them and dist_mean/dist_sd/dist_cdf need them), the
 * values sorted and their cumulative probabilities in that order (for
 * dist_inv).  A DIST_EMPIRICAL's holds 2n: the values as written (the
 * bootstrap draws by index) and the same sorted.  A DIST_PERT or
 * DIST_BETA with both shapes >= 1 (and a density not too peaked for it,
 * ENV_MIN_ACCEPT) holds its sampling envelope (below):
 * `table` is the alias table of its bins and `values` 2n + 1 doubles,
 * each bin's largest then smallest density (n = ENV_BINS), then the log
 * density at the mode that scales them.
 */
#include "dist.h"
#include "rng.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>


/* ---------------------------------------------------------------------
 * Truncated normal arithmetic
 * ------------------------------------------------------------------- */

/* Probability of [al, be] under N(0, 1), computed in the tail that keeps
 * precision: far in the upper tail, P(be) - P(al) would be 1 - 1. */
double dist_std_normal_mass(double al, double be)
{
    if (al > 0)
        return gsl_cdf_ugaussian_Q(al) - gsl_cdf_ugaussian_Q(be);
    return gsl_cdf_ugaussian_P(be) - gsl_cdf_ugaussian_P(al);
}

/* phi(z) and z*phi(z), 0 at +-inf (where z*phi(z) would be inf*0). */
static double phi_at(double z)
{
    return isinf(z) ? 0 : gsl_ran_ugaussian_pdf(z);
}

static double zphi_at(double z)
{
    return isinf(z) ? 0 : z * gsl_ran_ugaussian_pdf(z);
}

static int is_truncated(const dist *x)
{
    return !(isinf(x->lo) && x->lo < 0 && isinf(x->hi) && x->hi > 0);
}

static void normal_moments(const dist *x, double *mean, double *sd)
{
    if (!is_truncated(x)) {
        *mean = x->a;
        *sd = x->b;
        return;
    }
    double al = (x->lo - x->a) / x->b, be = (x->hi - x->a) / x->b;
    double z = dist_std_normal_mass(al, be);
    double r = (phi_at(al) - phi_at(be)) / z;
    double v = 1 + (zphi_at(al) - zphi_at(be)) / z - r * r;
    double m = x->a + x->b * r;
    /* Rounding must not push the mean outside the window it averages. */
    *mean = m < x->lo ? x->lo : m > x->hi ? x->hi : m;
    *sd = x->b * sqrt(v > 0 ? v : 0);
}

/*
 * An exact Beta(α, β) sampler for α, β >= 1 (PERT review waits are drawn
 * on every pass; gsl_ran_beta costs two gamma variates, about 30 ns):
 * rejection from a piecewise-constant envelope.  [0, 1] is cut into
 * ENV_BINS equal bins; a bin is chosen with probability proportional to the
 * largest density in it (Walker's alias table, GSL), a point uniformly in
 * the bin, and a height uniformly under that largest density.  The point is
 * accepted when the height is under the bin's smallest density (the
 * density is unimodal, so its minimum over a bin is at an end) — almost
 * always, with no logarithm — and otherwise when it is under the density
 * itself.  Accepted points are exactly Beta(α, β) distributed.
 */
#define ENV_BINS 512

/* log density, up to a constant, with 0·log 0 = 0 for a shape of 1 */
static double beta_logf(double a, double b, double x)
{
    return (a > 1 ? (a - 1) * log(x) : 0) + (b > 1 ? (b - 1) * log1p(-x) : 0);
}

/* Below this share of accepted points the envelope is not worth its
 * table: the density is a spike a few bins wide or narrower, where
 * acceptance falls towards 512 x the spike's width (measured: Beta(5000,
 * 1) 0.10, Beta(1e7, 1e7) 0.07, Beta(1e6, 1) 5e-4, Beta(1e15, 1) about
 * 5e-13: hours a draw).  gsl_ran_beta's two gamma variates take a bounded
 * number of tries for every shape.  The shapes estimates are written with
 * keep the envelope: a pert with lambda 4 accepts 0.995, Beta(30, 10)
 * 0.989, Beta(1000, 1000) 0.93. */
#define ENV_MIN_ACCEPT 0.1

/* Tries of a rejection loop before the exact fallback takes over.  A draw
 * accepted at any try and the fallback's draw have the same distribution,
 * so the cap changes no distribution; at an acceptance of 0.1 or more
 * (above; a truncated normal keeping 10 % of its mass) it is reached with
 * probability below 0.9^256 = 2e-12 a draw, so no ordinary draw changes
 * either.  It bounds the time of one draw. */
#define REJECT_MAX_TRIES 256

int dist_beta_envelope(dist *x, double a, double b, diag *d)
{
    if (!(a >= 1 && b >= 1))
        return 0; /* unbounded density: gsl_ran_beta */
    double mode = a + b > 2 ? (a - 1) / (a + b - 2) : 0.5, top = beta_logf(a, b, mode);
    double *g = malloc((2 * ENV_BINS + 1) * sizeof *g);
    if (!g)
        return diag_runtime(d, "out of memory");
    double prev = exp(beta_logf(a, b, 0) - top);
    for (int k = 0; k < ENV_BINS; k++) {
        double lo = (double)k / ENV_BINS, hi = (double)(k + 1) / ENV_BINS;
        double next = exp(beta_logf(a, b, hi) - top);
        g[k] = mode >= lo && mode <= hi ? 1 : fmax(prev, next);
        g[ENV_BINS + k] = fmin(prev, next);
        prev = next;
    }
    g[2 * ENV_BINS] = top;
    /* acceptance = the density's area over the envelope's, both scaled by
     * exp(-top): the density's is B(a, b) exp(-top) */
    double area = 0;
    for (int k = 0; k < ENV_BINS; k++)
        area += g[k] / ENV_BINS;
    if (!(exp(gsl_sf_lnbeta(a, b) - top) >= ENV_MIN_ACCEPT * area)) {
        free(g);
        return 0;
    }
    gsl_ran_discrete_t *t = gsl_ran_discrete_preproc(ENV_BINS, g);
    if (!t) {
        free(g);
        return diag_runtime(d, "out of memory");
    }
    x->values = g;
    x->n = ENV_BINS;
    x->table = t;
    return 0;
}

/* One draw from the envelope (x->table set); a and b are the shapes. */
static double beta_env(const dist *x, double a, double b, gsl_rng *r)
{
    const gsl_ran_discrete_t *t = x->table;
    const double *gmax = x->values, *gmin = x->values + ENV_BINS, top = x->values[2 * ENV_BINS];
    for (int tries = 0; tries < REJECT_MAX_TRIES; tries++) {
        /* Walker's alias lookup exactly as gsl_ran_discrete does it (its F
         * holds (k + p_k)/K, compared with u itself), on the inline uniform */
        double u = rng_uniform(r);
        size_t k = (size_t)(u * (double)t->K);
        if (t->F[k] != 1.0 && !(u < t->F[k]))
            k = t->A[k];
        double v = ((double)k + rng_uniform(r)) / ENV_BINS;
        double y = rng_uniform(r) * gmax[k];
        if (y <= gmin[k] || y <= exp(beta_logf(a, b, v) - top))
            return v;
    }
    return gsl_ran_beta(r, a, b);
}
/* Doubles in a dist's `values` (layout above). */
static size_t values_len(const dist *x)
{
    switch (x->kind) {
    case DIST_DISCRETE: return 4 * x->n;
    case DIST_EMPIRICAL: return 2 * x->n;
    case DIST_PERT:
    case DIST_BETA: return x->values ? 2 * x->n + 1 : 0;
    default: return 0;
    }
}


/* Fill the sorted half of `values` (and, for a discrete, the cumulative
 * probabilities in sorted order), so dist_inv is a binary search. */
int dist_sort_values(dist *x, diag *d)
{
    size_t n = x->n;
    double *sorted = x->values + (x->kind == DIST_DISCRETE ? 2 * n : n);
    size_t *idx = n <= SIZE_MAX / sizeof(size_t) ? malloc(n * sizeof *idx) : NULL;
    if (!idx)
        return diag_runtime(d, "out of memory");
    gsl_sort_index(idx, x->values, 1, n);
    double cum = 0;
    for (size_t i = 0; i < n; i++) {
        sorted[i] = x->values[idx[i]];
        if (x->kind == DIST_DISCRETE) {
            cum += x->values[n + idx[i]];
            sorted[n + i] = cum;
        }
    }
    if (x->kind == DIST_DISCRETE)
        sorted[2 * n - 1] = 1; /* no rounding gap at the top */
    free(idx);
    return 0;
}

/* The names a scenario writes after `dist:` (the constant is a plain
 * number); sim/input/distparse.c matches them through dist_kind_name. */
static const char *const kind_names[] = {
    [DIST_CONST] = "constant",   [DIST_UNIFORM] = "uniform",     [DIST_TRIANGULAR] = "triangular",
    [DIST_PERT] = "pert",        [DIST_NORMAL] = "normal",       [DIST_LOGNORMAL] = "lognormal",
    [DIST_GAMMA] = "gamma",      [DIST_BETA] = "beta",           [DIST_DISCRETE] = "discrete",
    [DIST_EMPIRICAL] = "empirical",
};

const char *dist_kind_name(dist_kind k)
{
    return (size_t)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "unknown";
}

dist dist_const(double v)
{
    dist x = {0};
    x.kind = DIST_CONST;
    x.a = v;
    return x;
}

int dist_is_const(const dist *x)
{
    return x->kind == DIST_CONST;
}

void dist_release(dist *x)
{
    if (!x)
        return;
    free(x->values);
    gsl_ran_discrete_free(x->table);
    *x = dist_const(0);
}


int dist_copy(dist *dst, const dist *src)
{
    dist x = *src;
    x.values = NULL;
    x.table = NULL;
    if (src->values) {
        size_t len = values_len(src);
        if (!(x.values = malloc(len * sizeof(double))))
            goto fail;
        memcpy(x.values, src->values, len * sizeof(double));
    }
    if (src->table) {
        /* Copy the alias table rather than rebuild it: a rebuild from the
         * normalised probabilities could round differently and make the
         * copy draw differently from the original.  gsl_ran_discrete_free
         * releases with free(), so malloc'd parts are compatible. */
        size_t k = src->table->K;
        gsl_ran_discrete_t *t = malloc(sizeof *t);
        if (!t)
            goto fail;
        t->K = k;
        t->A = malloc(k * sizeof *t->A);
        t->F = malloc(k * sizeof *t->F);
        x.table = t;
        if (!t->A || !t->F)
            goto fail;
        memcpy(t->A, src->table->A, k * sizeof *t->A);
        memcpy(t->F, src->table->F, k * sizeof *t->F);
    }
    *dst = x;
    return 0;
fail:
    dist_release(&x);
    *dst = dist_const(0);
    return -1;
}

int dist_same(const dist *x, const dist *y)
{
    /* bitwise, not ==: a parameter that compares equal but differs in
     * bits (-0.0 and 0.0) could still draw differently */
    if (x->kind != y->kind || x->n != y->n || memcmp(&x->a, &y->a, sizeof x->a) ||
        memcmp(&x->b, &y->b, sizeof x->b) || memcmp(&x->c, &y->c, sizeof x->c) ||
        memcmp(x->p, y->p, sizeof x->p) || memcmp(&x->lo, &y->lo, sizeof x->lo) ||
        memcmp(&x->hi, &y->hi, sizeof x->hi) || !x->values != !y->values || !x->table != !y->table)
        return 0;
    size_t len = values_len(x);
    if (x->values && len && memcmp(x->values, y->values, len * sizeof(double)))
        return 0;
    /* the alias table is built from the values at load, the same way */
    return 1;
}

/* ---------------------------------------------------------------------
 * Sampling and moments
 * ------------------------------------------------------------------- */

double dist_sample_other(const dist *x, gsl_rng *r)
{
    switch (x->kind) {
    case DIST_CONST:
    case DIST_UNIFORM:
    case DIST_TRIANGULAR:
        return dist_sample(x, r);
    case DIST_PERT:
        return x->a + (x->c - x->a) * (x->table ? beta_env(x, x->p[0], x->p[1], r)
                                                  : gsl_ran_beta(r, x->p[0], x->p[1]));
    case DIST_NORMAL: {
        /* Resampling keeps the shape inside the window (model §18.2);
         * dist_parse guarantees the window holds at least 1e-6. */
        for (int tries = 0; tries < REJECT_MAX_TRIES; tries++) {
            double v = x->a + gsl_ran_gaussian_ziggurat(r, x->b);
            if (v >= x->lo && v <= x->hi)
                return v;
        }
        /* a window of little mass: the exact inverse CDF, bounded time */
        return dist_inv(x, rng_uniform(r));
    }
    case DIST_LOGNORMAL:
        /* The ziggurat is ~2.5x faster than gsl_ran_lognormal's
         * Box-Muller (notes/samplers.md). */
        return exp(x->a + x->b * gsl_ran_gaussian_ziggurat(r, 1.0));
    case DIST_GAMMA:
        return gsl_ran_gamma(r, x->a, x->b);
    case DIST_BETA:
        return x->table ? beta_env(x, x->a, x->b, r) : gsl_ran_beta(r, x->a, x->b);
    case DIST_DISCRETE:
        return x->values[gsl_ran_discrete(r, x->table)];
    case DIST_EMPIRICAL:
        return x->values[gsl_rng_uniform_int(r, x->n)];
    }
    return NAN;
}

static void moments(const dist *x, double *mean, double *sd)
{
    switch (x->kind) {
    case DIST_CONST:
        *mean = x->a;
        *sd = 0;
        return;
    case DIST_UNIFORM:
        *mean = x->a + (x->b - x->a) / 2;
        *sd = (x->b - x->a) / sqrt(12.0);
        return;
    case DIST_TRIANGULAR: {
        /* Shifted to min, so large values with a small spread do not
         * cancel. */
        double m = x->b - x->a, h = x->c - x->a;
        *mean = x->a + (m + h) / 3;
        *sd = sqrt((m * m + h * h - m * h) / 18);
        return;
    }
    case DIST_PERT: {
        double w = x->c - x->a, al = x->p[0], be = x->p[1], s = al + be;
        *mean = x->a + w * al / s;
        *sd = w * sqrt(al * be / (s * s * (s + 1)));
        return;
    }
    case DIST_NORMAL:
        normal_moments(x, mean, sd);
        return;
    case DIST_LOGNORMAL: {
        double s2 = x->b * x->b;
        *mean = exp(x->a + s2 / 2);
        *sd = *mean * sqrt(expm1(s2));
        return;
    }
    case DIST_GAMMA:
        *mean = x->a * x->b;
        *sd = sqrt(x->a) * x->b;
        return;
    case DIST_BETA: {
        double s = x->a + x->b;
        *mean = x->a / s;
        *sd = sqrt(x->a * x->b / (s * s * (s + 1)));
        return;
    }
    case DIST_DISCRETE:
    case DIST_EMPIRICAL: {
        const double *v = x->values, *p = x->kind == DIST_DISCRETE ? x->values + x->n : NULL;
        double m = 0, ss = 0, inv = 1.0 / (double)x->n;
        for (size_t i = 0; i < x->n; i++)
            m += (p ? p[i] : inv) * v[i];
        for (size_t i = 0; i < x->n; i++)
            ss += (p ? p[i] : inv) * (v[i] - m) * (v[i] - m);
        *mean = m;
        *sd = sqrt(ss);
        return;
    }
    }
    *mean = *sd = NAN;
}

double dist_mean(const dist *x)
{
    double m, s;
    moments(x, &m, &s);
    return m;
}

double dist_sd(const dist *x)
{
    double m, s;
    moments(x, &m, &s);
    return s;
}

void dist_support(const dist *x, double *lo, double *hi)
{
    double l = -INFINITY, h = INFINITY;
    switch (x->kind) {
    case DIST_CONST:
        l = h = x->a;
        break;
    case DIST_UNIFORM:
        l = x->a;
        h = x->b;
        break;
    case DIST_TRIANGULAR:
    case DIST_PERT:
        l = x->a;
        h = x->c;
        break;
    case DIST_NORMAL:
        l = x->lo;
        h = x->hi;
        break;
    case DIST_LOGNORMAL:
    case DIST_GAMMA:
        l = 0;
        break;
    case DIST_BETA:
        l = 0;
        h = 1;
        break;
    case DIST_DISCRETE:
    case DIST_EMPIRICAL:
        l = INFINITY;
        h = -INFINITY;
        for (size_t i = 0; i < x->n; i++) {
            /* A value of weight 0 is never drawn: not in the support. */
            if (x->kind == DIST_DISCRETE && !(x->values[x->n + i] > 0))
                continue;
            if (x->values[i] < l)
                l = x->values[i];
            if (x->values[i] > h)
                h = x->values[i];
        }
        break;
    }
    *lo = l;
    *hi = h;
}

double dist_cdf(const dist *x, double v)
{
    switch (x->kind) {
    case DIST_CONST:
        return v < x->a ? 0 : 1;
    case DIST_UNIFORM:
        return v < x->a ? 0 : v >= x->b ? 1 : (v - x->a) / (x->b - x->a);
    case DIST_TRIANGULAR: {
        double a = x->a, m = x->b, c = x->c;
        if (v <= a)
            return 0;
        if (v >= c)
            return 1;
        if (v <= m)
            return (v - a) * (v - a) / ((c - a) * (m - a));
        return 1 - (c - v) * (c - v) / ((c - a) * (c - m));
    }
    case DIST_PERT:
        if (v <= x->a)
            return 0;
        if (v >= x->c)
            return 1;
        return gsl_cdf_beta_P((v - x->a) / (x->c - x->a), x->p[0], x->p[1]);
    case DIST_NORMAL: {
        if (v < x->lo)
            return 0;
        if (v >= x->hi)
            return 1;
        double t = (v - x->a) / x->b;
        if (!is_truncated(x))
            return gsl_cdf_ugaussian_P(t);
        double al = (x->lo - x->a) / x->b, be = (x->hi - x->a) / x->b;
        double z = dist_std_normal_mass(al, be);
        double f = al > 0 ? (gsl_cdf_ugaussian_Q(al) - gsl_cdf_ugaussian_Q(t)) / z
                          : (gsl_cdf_ugaussian_P(t) - gsl_cdf_ugaussian_P(al)) / z;
        return f < 0 ? 0 : f > 1 ? 1 : f;
    }
    case DIST_LOGNORMAL:
        return v <= 0 ? 0 : gsl_cdf_lognormal_P(v, x->a, x->b);
    case DIST_GAMMA:
        return v <= 0 ? 0 : gsl_cdf_gamma_P(v, x->a, x->b);
    case DIST_BETA:
        return v <= 0 ? 0 : v >= 1 ? 1 : gsl_cdf_beta_P(v, x->a, x->b);
    case DIST_DISCRETE:
    case DIST_EMPIRICAL: {
        double f = 0;
        for (size_t i = 0; i < x->n; i++)
            if (x->values[i] <= v)
                f += x->kind == DIST_DISCRETE ? x->values[x->n + i] : 1;
        f = x->kind == DIST_DISCRETE ? f : f / (double)x->n;
        return f > 1 ? 1 : f;
    }
    }
    return NAN;
}

int dist_heavy_tailed(const dist *x)
{
    return x->kind == DIST_LOGNORMAL;
}

/* ---------------------------------------------------------------------
 * Description
 * ------------------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t n, used;
} sbuf;

static void put(sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(sbuf *s, const char *fmt, ...)
{
    if (s->used >= s->n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(s->buf + s->used, s->n - s->used, fmt, ap);
    va_end(ap);
    if (k > 0)
        s->used += (size_t)k;
}

void dist_describe(const dist *x, char *buf, size_t n)
{
    /* %.10g: enough to show what was written (values back-converted from
     * the normalised parameters round to it), short enough for a digest. */
    sbuf s = {buf, n, 0};
    if (!buf || n == 0)
        return;
    buf[0] = '\0';
    switch (x->kind) {
    case DIST_CONST:
        put(&s, "%.10g", x->a);
        break;
    case DIST_UNIFORM:
        put(&s, "uniform(%.10g, %.10g)", x->a, x->b);
        break;
    case DIST_TRIANGULAR:
        put(&s, "triangular(%.10g, %.10g, %.10g)", x->a, x->b, x->c);
        break;
    case DIST_PERT: {
        double lambda = x->p[0] + x->p[1] - 2;
        double mode = x->a + (x->p[0] - 1) / lambda * (x->c - x->a);
        put(&s, "pert(%.10g, %.10g, %.10g", x->a, mode, x->c);
        if (fabs(lambda - 4) > 1e-9)
            put(&s, ", lambda %.10g", lambda);
        put(&s, ")");
        break;
    }
    case DIST_NORMAL:
        put(&s, "normal(mean %.10g, sd %.10g", x->a, x->b);
        if (!isinf(x->lo))
            put(&s, ", min %.10g", x->lo);
        if (!isinf(x->hi))
            put(&s, ", max %.10g", x->hi);
        put(&s, ")");
        break;
    case DIST_LOGNORMAL:
        put(&s, "lognormal(median %.10g, p90 %.10g)", exp(x->a),
            exp(x->a + x->b * gsl_cdf_ugaussian_Pinv(0.9)));
        break;
    case DIST_GAMMA:
        put(&s, "gamma(shape %.10g, scale %.10g)", x->a, x->b);
        break;
    case DIST_BETA:
        put(&s, "beta(%.10g, %.10g)", x->a, x->b);
        break;
    case DIST_DISCRETE:
    case DIST_EMPIRICAL:
        /* A short discrete reads best as its table; anything longer as a
         * count and a mean. */
        if (x->kind == DIST_DISCRETE && x->n <= 5) {
            put(&s, "discrete(");
            for (size_t i = 0; i < x->n; i++)
                put(&s, "%s%.10g: %.4g", i ? ", " : "", x->values[i], x->values[x->n + i]);
            put(&s, ")");
        } else {
            put(&s, "%s(%zu values, mean %.10g)", dist_kind_name(x->kind), x->n, dist_mean(x));
        }
        break;
    }
}

/* Standard normal quantile of p within [Φ(al), Φ(be)], working on the
 * upper tail when the window lies above the mean so that a window far out
 * in the tail keeps its digits. */
static double truncated_std_inv(double al, double be, double u)
{
    if (al > 0) {
        double ql = gsl_cdf_ugaussian_Q(al), qh = gsl_cdf_ugaussian_Q(be);
        return gsl_cdf_ugaussian_Qinv(ql - u * (ql - qh));
    }
    double pl = gsl_cdf_ugaussian_P(al), ph = gsl_cdf_ugaussian_P(be);
    return gsl_cdf_ugaussian_Pinv(pl + u * (ph - pl));
}

double dist_inv(const dist *x, double u)
{
    if (x->kind == DIST_CONST)
        return x->a;
    if (!(u > 0))
        u = 0;
    if (!(u < 1))
        u = 1;
    switch (x->kind) {
    case DIST_CONST:
        return x->a;
    case DIST_UNIFORM:
        return x->a + u * (x->b - x->a);
    case DIST_TRIANGULAR: {
        double a = x->a, m = x->b, c = x->c;
        if (u * (c - a) <= m - a)
            return a + sqrt(u * (c - a) * (m - a));
        return c - sqrt((1 - u) * (c - a) * (c - m));
    }
    case DIST_PERT:
        return x->a + (x->c - x->a) * gsl_cdf_beta_Pinv(u, x->p[0], x->p[1]);
    case DIST_NORMAL: {
        double t;
        if (!is_truncated(x))
            t = gsl_cdf_ugaussian_Pinv(u);
        else
            t = truncated_std_inv((x->lo - x->a) / x->b, (x->hi - x->a) / x->b, u);
        double v = x->a + x->b * t;
        return v < x->lo ? x->lo : v > x->hi ? x->hi : v;
    }
    case DIST_LOGNORMAL:
        return gsl_cdf_lognormal_Pinv(u, x->a, x->b);
    case DIST_GAMMA:
        return gsl_cdf_gamma_Pinv(u, x->a, x->b);
    case DIST_BETA:
        return gsl_cdf_beta_Pinv(u, x->a, x->b);
    case DIST_DISCRETE: {
        /* the smallest sorted value whose cumulative probability reaches u */
        const double *v = x->values + 2 * x->n, *cum = v + x->n;
        size_t lo = 0, hi = x->n - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cum[mid] < u)
                lo = mid + 1;
            else
                hi = mid;
        }
        return v[lo];
    }
    case DIST_EMPIRICAL: {
        /* each value carries mass 1/n: the ceil(u·n)-th smallest */
        double k = ceil(u * (double)x->n) - 1;
        size_t i = k < 0 ? 0 : k >= (double)x->n ? x->n - 1 : (size_t)k;
        return x->values[x->n + i];
    }
    }
    return NAN;
}

double dist_quantile(const dist *x, double p)
{
    return dist_inv(x, p);
}

int dist_batch_ok(const dist *x)
{
    return x->kind == DIST_CONST || x->kind == DIST_UNIFORM || x->kind == DIST_TRIANGULAR;
}

/* Not vectorised by gcc at -O2 (sqrt may set errno, so it is a call
 * guarded by a branch; neither optimize("no-math-errno") nor the cost
 * model attribute lifts that in gcc 12, only -O3 -fno-math-errno), but a
 * tight loop of independent square roots still overlaps them, off the
 * engine's critical path. */
static void tri_batch(double *u, size_t n, double a, double b, double c)
{
    const double w = c - a, l = b - a, r = c - b;
    for (size_t i = 0; i < n; i++) {
        double v = u[i] * w;
        u[i] = v < l ? a + sqrt(v * l) : c - sqrt((1 - u[i]) * w * r);
    }
}

void dist_inv_batch(const dist *x, double *u, size_t n)
{
    switch (x->kind) {
    case DIST_CONST:
        for (size_t i = 0; i < n; i++)
            u[i] = x->a;
        break;
    case DIST_UNIFORM:
        for (size_t i = 0; i < n; i++)
            u[i] = x->a + (x->b - x->a) * u[i];
        break;
    case DIST_TRIANGULAR:
        tri_batch(u, n, x->a, x->b, x->c);
        break;
    default:
        for (size_t i = 0; i < n; i++)
            u[i] = dist_inv(x, u[i]);
        break;
    }
}

