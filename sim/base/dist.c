/*
 * dist — parsing, validating and sampling the uncertain quantities of a
 * scenario (model §3, resolutions 16 and 18).
 *
 * All checking happens in dist_parse, so dist_sample is a switch and one
 * GSL call: no allocation, no set-up, no error path.  Each form is one row
 * of `forms[]` (name, allowed keys, parse function); the domain a key
 * requires (resolution 16) is checked by the parse functions through the
 * check_lower/check_upper/check_atom helpers so every message points at
 * the parameter that breaks it.
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

/* Below this, resampling a truncated normal would need on average more
 * than a million draws per value: the window is a mistake, not a model. */
#define TRUNC_MIN_PROB 1e-6

/* Long enough for any key path a scenario can produce plus a parameter;
 * a longer one is only truncated in the message. */
#define WHAT_MAX 320

typedef struct {
    const yt_doc *doc;
    const yt_node *map;  /* the {dist: ...} mapping */
    const yt_node *form; /* the value of `dist:` */
    const char *what;    /* the key the quantity sits under */
    const char *name;    /* the form's name */
    dist_domain dom;
    diag *d;
} pctx;

/* ---------------------------------------------------------------------
 * Small parsing helpers
 * ------------------------------------------------------------------- */

/* User text quoted in a message: bounded, and without control characters
 * that would break the one-line format. */
static const char *echo(char *buf, size_t n, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 4 < n && i < 40; i++)
        buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    if (s[i] && i + 3 < n)
        for (int k = 0; k < 3; k++)
            buf[i++] = '.';
    buf[i] = '\0';
    return buf;
}

/* "an empirical", but "a uniform": of the form names only those starting
 * with a, e, i or o take "an". */
static const char *article(const char *word)
{
    return strchr("aeio", word[0]) ? "an" : "a";
}

static int num_at(const pctx *c, const yt_node *n, const char *param, double *v)
{
    char w[WHAT_MAX];
    snprintf(w, sizeof w, "%s.%s", c->what, param);
    return yt_number(c->doc, n, w, v, c->d);
}

/* A required numeric parameter; *at receives its node for later errors. */
static int need(const pctx *c, const char *key, double *v, const yt_node **at)
{
    const yt_node *n = yt_get(c->map, key, NULL);
    *at = n;
    if (!n) {
        yt_error(c->doc, c->map, c->d, "'%s': %s %s needs '%s'", c->what, article(c->name),
                 c->name, key);
        return -1;
    }
    return num_at(c, n, key, v);
}

/* An optional numeric parameter: *at is NULL and *v untouched when absent. */
static int opt(const pctx *c, const char *key, double *v, const yt_node **at)
{
    const yt_node *n = yt_get(c->map, key, NULL);
    *at = n;
    return n ? num_at(c, n, key, v) : 0;
}

static int positive(const pctx *c, const char *param, double v, const yt_node *at)
{
    if (v > 0)
        return 0;
    return yt_error(c->doc, at, c->d, "'%s': %s (%g) must be positive", c->what, param, v);
}

/* Alternative parameterisations, e.g. {median, p90} | {mu, sigma}. */
typedef struct {
    const char *k1, *k2;
} key_pair;

/*
 * Which of the pairs the mapping uses.  Keys of two different pairs are an
 * error at the later key (in file order), because a mixed mapping has no
 * single meaning; `list` spells the choices for messages.
 */
static int pick_pair(const pctx *c, const key_pair *ps, size_t np, const char *list, size_t *which)
{
    const yt_node *first = NULL;
    size_t g = 0;

    *which = 0;
    for (size_t i = 0; i < c->map->n; i++) {
        const yt_node *k = c->map->keys[i];
        for (size_t j = 0; j < np; j++) {
            if (strcmp(k->str, ps[j].k1) != 0 && strcmp(k->str, ps[j].k2) != 0)
                continue;
            if (!first) {
                first = k;
                g = j;
            } else if (j != g) {
                yt_error(c->doc, k, c->d, "'%s': %s %s takes %s; '%s' cannot be combined with '%s'",
                         c->what, article(c->name), c->name, list, k->str, first->str);
                return -1;
            }
        }
    }
    if (!first) {
        yt_error(c->doc, c->map, c->d, "'%s': %s %s needs one of %s", c->what, article(c->name),
                 c->name, list);
        return -1;
    }
    *which = g;
    return 0;
}

/* ---------------------------------------------------------------------
 * Domain checks (resolution 16)
 * ------------------------------------------------------------------- */

/* `v`, the lower end of the support, given as parameter `param` at `at`.
 * A lower end of exactly 0 is fine even for DOM_POSITIVE: a continuous
 * dist takes it with probability zero. */
static int check_lower(const pctx *c, const char *param, double v, const yt_node *at)
{
    if (c->dom == DOM_ANY || v >= 0)
        return 0;
    if (c->dom == DOM_PROB)
        return yt_error(c->doc, at, c->d, "'%s': %s (%g) must lie within [0, 1] for a probability",
                        c->what, param, v);
    return yt_error(c->doc, at, c->d, "'%s': %s (%g) must not be negative", c->what, param, v);
}

/* `v`, the upper end of the support.  A DOM_POSITIVE upper end of 0 means
 * the whole dist sits at 0 (uniform(0, 0)). */
static int check_upper(const pctx *c, const char *param, double v, const yt_node *at)
{
    if (c->dom == DOM_PROB && v > 1)
        return yt_error(c->doc, at, c->d, "'%s': %s (%g) must lie within [0, 1] for a probability",
                        c->what, param, v);
    if (c->dom == DOM_POSITIVE && !(v > 0))
        return yt_error(c->doc, at, c->d, "'%s': %s (%g) must be positive", c->what, param, v);
    return 0;
}

/* A value taken with positive probability (a constant, a discrete or
 * empirical value); `prefix` is "'KEY'" or "'KEY': values[i]". */
static int check_atom(const yt_doc *doc, const yt_node *at, dist_domain dom, const char *prefix,
                      double v, diag *d)
{
    switch (dom) {
    case DOM_NONNEG:
        if (v < 0)
            return yt_error(doc, at, d, "%s (%g) must not be negative", prefix, v);
        break;
    case DOM_POSITIVE:
        if (!(v > 0))
            return yt_error(doc, at, d, "%s (%g) must be positive", prefix, v);
        break;
    case DOM_PROB:
        if (v < 0 || v > 1)
            return yt_error(doc, at, d, "%s (%g) must lie within [0, 1] for a probability", prefix,
                            v);
        break;
    case DOM_ANY:
        break;
    }
    return 0;
}

/* lognormal and gamma are unbounded above. */
static int check_unbounded(const pctx *c)
{
    if (c->dom != DOM_PROB)
        return 0;
    return yt_error(c->doc, c->form, c->d,
                    "'%s': %s %s can exceed 1 here; use a beta or a pert for a probability",
                    c->what, article(c->name), c->name);
}

/* ---------------------------------------------------------------------
 * Truncated normal arithmetic
 * ------------------------------------------------------------------- */

/* Probability of [al, be] under N(0, 1), computed in the tail that keeps
 * precision: far in the upper tail, P(be) - P(al) would be 1 - 1. */
static double std_normal_mass(double al, double be)
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
    double z = std_normal_mass(al, be);
    double r = (phi_at(al) - phi_at(be)) / z;
    double v = 1 + (zphi_at(al) - zphi_at(be)) / z - r * r;
    double m = x->a + x->b * r;
    /* Rounding must not push the mean outside the window it averages. */
    *mean = m < x->lo ? x->lo : m > x->hi ? x->hi : m;
    *sd = x->b * sqrt(v > 0 ? v : 0);
}

/* ---------------------------------------------------------------------
 * One parse function per form.  Each fills *x (kind already set) and
 * returns 0, or -1 with the diag set and *x owning nothing.
 * ------------------------------------------------------------------- */

static int parse_uniform(const pctx *c, dist *x)
{
    const yt_node *nmin, *nmax;
    if (need(c, "min", &x->a, &nmin) || need(c, "max", &x->b, &nmax))
        return -1;
    /* min == max is allowed and stays a uniform: it still consumes one
     * uniform draw, so narrowing a range to a point in a sweep does not
     * shift every later draw of the stream. */
    if (x->b < x->a)
        return yt_error(c->doc, nmax, c->d, "'%s': max (%g) must not be below min (%g)", c->what,
                        x->b, x->a);
    return check_lower(c, "min", x->a, nmin) || check_upper(c, "max", x->b, nmax) ? -1 : 0;
}

/* min < max and min <= mode <= max, shared by triangular and pert. */
static int parse_min_mode_max(const pctx *c, double *lo, double *mode, double *hi)
{
    const yt_node *nmin, *nmode, *nmax;
    if (need(c, "min", lo, &nmin) || need(c, "mode", mode, &nmode) || need(c, "max", hi, &nmax))
        return -1;
    if (!(*hi > *lo))
        return yt_error(c->doc, nmax, c->d, "'%s': max (%g) must exceed min (%g)", c->what, *hi,
                        *lo);
    if (*mode < *lo || *mode > *hi)
        return yt_error(c->doc, nmode, c->d,
                        "'%s': mode (%g) must lie within [min, max] = [%g, %g]", c->what, *mode,
                        *lo, *hi);
    return check_lower(c, "min", *lo, nmin) || check_upper(c, "max", *hi, nmax) ? -1 : 0;
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

static int build_envelope(dist *x, double a, double b, diag *d)
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

static int parse_triangular(const pctx *c, dist *x)
{
    return parse_min_mode_max(c, &x->a, &x->b, &x->c);
}

static int parse_pert(const pctx *c, dist *x)
{
    double mode, lambda = 4;
    const yt_node *nl;
    if (parse_min_mode_max(c, &x->a, &mode, &x->c) || opt(c, "lambda", &lambda, &nl))
        return -1;
    if (nl && positive(c, "lambda", lambda, nl))
        return -1;
    double w = x->c - x->a;
    x->p[0] = 1 + lambda * (mode - x->a) / w;
    x->p[1] = 1 + lambda * (x->c - mode) / w;
    return build_envelope(x, x->p[0], x->p[1], c->d);
}

static int parse_normal(const pctx *c, dist *x)
{
    const yt_node *nmean, *nsd, *nmin, *nmax;
    x->lo = -INFINITY;
    x->hi = INFINITY;
    if (need(c, "mean", &x->a, &nmean) || need(c, "sd", &x->b, &nsd) ||
        opt(c, "min", &x->lo, &nmin) || opt(c, "max", &x->hi, &nmax))
        return -1;
    if (x->b == 0)
        return yt_error(c->doc, nsd, c->d,
                        "'%s': sd must be positive; for a fixed value write the number itself",
                        c->what);
    if (positive(c, "sd", x->b, nsd))
        return -1;
    if (nmin && nmax && !(x->hi > x->lo))
        return yt_error(c->doc, nmax, c->d, "'%s': max (%g) must exceed min (%g)", c->what, x->hi,
                        x->lo);
    if (nmin || nmax) {
        double mass = std_normal_mass((x->lo - x->a) / x->b, (x->hi - x->a) / x->b);
        if (!(mass >= TRUNC_MIN_PROB))
            return yt_error(c->doc, nmin ? nmin : nmax, c->d,
                            "'%s': the truncation keeps only %.3g of this normal's probability; "
                            "resampling would never end (keep at least %g)",
                            c->what, mass, TRUNC_MIN_PROB);
    }
    switch (c->dom) {
    case DOM_ANY:
        return 0;
    case DOM_NONNEG:
    case DOM_POSITIVE:
        if (!nmin)
            return yt_error(c->doc, c->form, c->d,
                            "'%s': a normal can go negative here; add 'min: 0' to truncate it",
                            c->what);
        return check_lower(c, "min", x->lo, nmin);
    case DOM_PROB:
        if (!nmin || !nmax)
            return yt_error(c->doc, c->form, c->d,
                            "'%s': a normal can leave [0, 1] here; add %s to truncate it", c->what,
                            !nmin && !nmax ? "'min: 0' and 'max: 1'"
                            : !nmin        ? "'min: 0'"
                                           : "'max: 1'");
        return check_lower(c, "min", x->lo, nmin) || check_upper(c, "max", x->hi, nmax) ? -1 : 0;
    }
    return 0;
}

static int parse_lognormal(const pctx *c, dist *x)
{
    static const key_pair pairs[] = {{"median", "p90"}, {"mu", "sigma"}, {"mean", "sd"}};
    const char *list = "{median, p90}, {mu, sigma} or {mean, sd}";
    const yt_node *n1, *n2;
    double v1, v2;
    size_t g;

    if (pick_pair(c, pairs, 3, list, &g) || need(c, pairs[g].k1, &v1, &n1) ||
        need(c, pairs[g].k2, &v2, &n2))
        return -1;
    switch (g) {
    case 0: /* median, p90 */
        if (positive(c, "median", v1, n1))
            return -1;
        if (!(v2 > v1))
            return yt_error(c->doc, n2, c->d, "'%s': p90 (%g) must exceed median (%g)", c->what,
                            v2, v1);
        x->a = log(v1);
        /* log of the ratio, not a difference of logs: for a p90 close to
         * a large median the two logs would round to the same value. */
        x->b = log(v2 / v1) / gsl_cdf_ugaussian_Pinv(0.9);
        break;
    case 1: /* mu, sigma */
        if (positive(c, "sigma", v2, n2))
            return -1;
        x->a = v1;
        x->b = v2;
        break;
    default: { /* mean, sd */
        if (positive(c, "mean", v1, n1) || positive(c, "sd", v2, n2))
            return -1;
        double cv = v2 / v1, s2 = log1p(cv * cv);
        x->b = sqrt(s2);
        x->a = log(v1) - s2 / 2;
        break;
    }
    }
    /* An sd negligible against the mean (or a p90 within rounding of the
     * median) leaves sigma at 0: a constant in disguise. */
    if (!(x->b > 0) || !isfinite(x->a) || !isfinite(x->b))
        return yt_error(c->doc, c->map, c->d,
                        "'%s': these parameters give a degenerate lognormal; write a plain number "
                        "for a fixed value",
                        c->what);
    return check_unbounded(c);
}

static int parse_gamma(const pctx *c, dist *x)
{
    static const key_pair pairs[] = {{"shape", "scale"}, {"mean", "sd"}};
    const yt_node *n1, *n2;
    double v1, v2;
    size_t g;

    if (pick_pair(c, pairs, 2, "{shape, scale} or {mean, sd}", &g) ||
        need(c, pairs[g].k1, &v1, &n1) || need(c, pairs[g].k2, &v2, &n2) ||
        positive(c, pairs[g].k1, v1, n1) || positive(c, pairs[g].k2, v2, n2))
        return -1;
    if (g == 0) {
        x->a = v1;
        x->b = v2;
    } else {
        double cv = v2 / v1;
        x->a = 1 / (cv * cv);
        x->b = v2 * cv;
    }
    if (!(x->a > 0) || !(x->b > 0) || !isfinite(x->a) || !isfinite(x->b))
        return yt_error(c->doc, c->map, c->d,
                        "'%s': these parameters give a degenerate gamma (shape %g, scale %g)",
                        c->what, x->a, x->b);
    return check_unbounded(c);
}

static int parse_beta(const pctx *c, dist *x)
{
    const yt_node *na, *nb;
    if (need(c, "alpha", &x->a, &na) || need(c, "beta", &x->b, &nb) ||
        positive(c, "alpha", x->a, na) || positive(c, "beta", x->b, nb))
        return -1;
    return build_envelope(x, x->a, x->b, c->d);
}

/* `values:` as a non-empty list of numbers in the key's domain, into
 * v[0..n). */
static int parse_values(const pctx *c, const yt_node *list, double *v)
{
    char w[WHAT_MAX];
    for (size_t i = 0; i < list->n; i++) {
        snprintf(w, sizeof w, "%s.values[%zu]", c->what, i);
        if (yt_number(c->doc, list->items[i], w, &v[i], c->d))
            return -1;
        snprintf(w, sizeof w, "'%s': values[%zu]", c->what, i);
        if (check_atom(c->doc, list->items[i], c->dom, w, v[i], c->d))
            return -1;
    }
    return 0;
}

static const yt_node *values_list(const pctx *c)
{
    const yt_node *list = yt_get(c->map, "values", NULL);
    if (!list) {
        yt_error(c->doc, c->map, c->d, "'%s': %s %s needs 'values'", c->what, article(c->name),
                 c->name);
        return NULL;
    }
    if (list->kind != YT_SEQ || list->n == 0) {
        yt_error(c->doc, list, c->d, "'%s': values must be a non-empty list of numbers", c->what);
        return NULL;
    }
    return list;
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
static int build_sorted(dist *x, diag *d)
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

static double *alloc_doubles(size_t n, diag *d)
{
    double *p = n <= SIZE_MAX / sizeof(double) ? malloc(n * sizeof(double)) : NULL;
    if (!p)
        diag_runtime(d, "out of memory");
    return p;
}

static int parse_discrete(const pctx *c, dist *x)
{
    const yt_node *vals = values_list(c), *wts;
    char w[WHAT_MAX];
    double sum = 0;

    if (!vals)
        return -1;
    if (!(wts = yt_get(c->map, "weights", NULL)))
        return yt_error(c->doc, c->map, c->d, "'%s': a discrete needs 'weights'", c->what);
    if (wts->kind != YT_SEQ)
        return yt_error(c->doc, wts, c->d, "'%s': weights must be a list of numbers, not %s",
                        c->what, yt_kind_name(wts));
    if (wts->n != vals->n)
        return yt_error(c->doc, wts, c->d, "'%s': weights has %zu entries but values has %zu",
                        c->what, wts->n, vals->n);
    size_t n = vals->n;
    if (n > SIZE_MAX / 4)
        return diag_runtime(c->d, "out of memory");
    if (!(x->values = alloc_doubles(4 * n, c->d)))
        return -1;
    x->n = n;
    double *p = x->values + n;
    if (parse_values(c, vals, x->values))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        snprintf(w, sizeof w, "%s.weights[%zu]", c->what, i);
        if (yt_number(c->doc, wts->items[i], w, &p[i], c->d))
            goto fail;
        if (p[i] < 0) {
            yt_error(c->doc, wts->items[i], c->d, "'%s': weights[%zu] (%g) must not be negative",
                     c->what, i, p[i]);
            goto fail;
        }
        sum += p[i];
    }
    if (!(sum > 0) || !isfinite(sum)) {
        yt_error(c->doc, wts, c->d, "'%s': weights must sum to a positive, finite number",
                 c->what);
        goto fail;
    }
    /* The table is built from the weights as written, so it does not
     * depend on how the division below rounds. */
    if (!(x->table = gsl_ran_discrete_preproc(n, p))) {
        diag_runtime(c->d, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++)
        p[i] /= sum;
    if (build_sorted(x, c->d))
        goto fail;
    return 0;
fail:
    dist_release(x);
    return -1;
}

static int parse_empirical(const pctx *c, dist *x)
{
    const yt_node *vals = values_list(c);
    if (!vals || vals->n > SIZE_MAX / 2 || !(x->values = alloc_doubles(2 * vals->n, c->d)))
        return -1;
    x->n = vals->n;
    if (parse_values(c, vals, x->values) || build_sorted(x, c->d)) {
        dist_release(x);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * The forms
 * ------------------------------------------------------------------- */

static const char *const k_uniform[] = {"dist", "min", "max", NULL};
static const char *const k_triangular[] = {"dist", "min", "mode", "max", NULL};
static const char *const k_pert[] = {"dist", "min", "mode", "max", "lambda", NULL};
static const char *const k_normal[] = {"dist", "mean", "sd", "min", "max", NULL};
static const char *const k_lognormal[] = {"dist", "median", "p90", "mu", "sigma", "mean", "sd",
                                          NULL};
static const char *const k_gamma[] = {"dist", "shape", "scale", "mean", "sd", NULL};
static const char *const k_beta[] = {"dist", "alpha", "beta", NULL};
static const char *const k_discrete[] = {"dist", "values", "weights", NULL};
static const char *const k_empirical[] = {"dist", "values", NULL};

static const struct form {
    const char *name;
    const char *const *keys; /* allowed in the mapping, `dist` included */
    int (*parse)(const pctx *c, dist *x);
} forms[] = {
    [DIST_CONST] = {"constant", NULL, NULL},
    [DIST_UNIFORM] = {"uniform", k_uniform, parse_uniform},
    [DIST_TRIANGULAR] = {"triangular", k_triangular, parse_triangular},
    [DIST_PERT] = {"pert", k_pert, parse_pert},
    [DIST_NORMAL] = {"normal", k_normal, parse_normal},
    [DIST_LOGNORMAL] = {"lognormal", k_lognormal, parse_lognormal},
    [DIST_GAMMA] = {"gamma", k_gamma, parse_gamma},
    [DIST_BETA] = {"beta", k_beta, parse_beta},
    [DIST_DISCRETE] = {"discrete", k_discrete, parse_discrete},
    [DIST_EMPIRICAL] = {"empirical", k_empirical, parse_empirical},
};
#define NFORMS (sizeof forms / sizeof forms[0])

/* What may follow `dist:`, for "did you mean" (the constant is written as
 * a plain number, never as a form). */
static const char *const form_names[] = {"uniform",   "triangular", "pert", "normal",
                                         "lognormal", "gamma",      "beta", "discrete",
                                         "empirical", NULL};

const char *dist_kind_name(dist_kind k)
{
    return (size_t)k < NFORMS ? forms[k].name : "unknown";
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

static int parse_map(const yt_doc *doc, const yt_node *n, const char *what, dist_domain dom,
                     dist *x, diag *d)
{
    static const char *const dist_key[] = {"dist", NULL};
    const yt_node *form = yt_get(n, "dist", NULL);
    const char *name;
    char ctx[WHAT_MAX];
    char msg[WHAT_MAX + 160];
    char e[48];

    if (!form) {
        /* "dsit: pert" is a typo of the one key every form needs. */
        for (size_t i = 0; i < n->n; i++)
            if (diag_suggest(n->keys[i]->str, dist_key))
                return yt_error(doc, n->keys[i], d,
                                "unknown key '%s' in '%s' (did you mean 'dist'?)",
                                echo(e, sizeof e, n->keys[i]->str), what);
        return yt_error(doc, n, d,
                        "'%s': a distribution needs 'dist:' (uniform, triangular, pert, normal, "
                        "lognormal, gamma, beta, discrete or empirical)",
                        what);
    }
    snprintf(ctx, sizeof ctx, "%s.dist", what);
    if (yt_string(doc, form, ctx, &name, d))
        return -1;
    size_t k = 1;
    while (k < NFORMS && strcmp(forms[k].name, name) != 0)
        k++;
    if (k == NFORMS) {
        snprintf(msg, sizeof msg, "'%s': unknown dist '%s'", what, echo(e, sizeof e, name));
        if (!diag_suggest(name, form_names))
            return yt_error(doc, form, d,
                            "%s (expected uniform, triangular, pert, normal, lognormal, gamma, "
                            "beta, discrete or empirical)",
                            msg);
        return yt_error(doc, form, d, "%s", diag_hint(msg, sizeof msg, name, form_names));
    }
    snprintf(ctx, sizeof ctx, "'%s'", what);
    if (yt_check_keys(doc, n, ctx, forms[k].keys, d))
        return -1;

    pctx c = {doc, n, form, what, forms[k].name, dom, d};
    x->kind = (dist_kind)k;
    if (forms[k].parse(&c, x))
        return -1;
    /* Parameters near the limits of double (a lognormal with sigma 30)
     * would make the spreadsheet view and the statistics infinite. */
    double m = dist_mean(x), s = dist_sd(x);
    if (!isfinite(m) || !isfinite(s)) {
        yt_error(doc, n, d, "'%s': this %s's mean or sd overflows; check its parameters", what,
                 forms[k].name);
        dist_release(x);
        return -1;
    }
    return 0;
}

int dist_parse(const yt_doc *doc, const yt_node *n, const char *what, dist_domain dom, dist *out,
               diag *d)
{
    dist x = dist_const(0);

    *out = x;
    if (!what)
        what = "?";
    if (!n)
        return diag_input(d, doc ? doc->file : NULL, 0, 0, "'%s' is missing", what);
    switch (n->kind) {
    case YT_SCALAR: {
        char prefix[WHAT_MAX];
        if (yt_number(doc, n, what, &x.a, d))
            return -1;
        snprintf(prefix, sizeof prefix, "'%s'", what);
        if (check_atom(doc, n, dom, prefix, x.a, d))
            return -1;
        break;
    }
    case YT_MAP:
        if (parse_map(doc, n, what, dom, &x, d))
            return -1;
        break;
    default:
        return yt_error(doc, n, d, "'%s' must be a number or a {dist: ...} mapping, not %s", what,
                        yt_kind_name(n));
    }
    /* Beyond +-1e15 (a quadrillion of money, days or items) no input is
     * meant literally, and products of such values (headcount x salary x
     * months, days late x cost per day) could overflow to a non-finite
     * metric at run time: refuse at load time, where the position is known. */
    double lo, hi, mean = dist_mean(&x), sd = dist_sd(&x);
    dist_support(&x, &lo, &hi);
    if (fabs(mean) > DIST_MAX_MAGNITUDE || sd > DIST_MAX_MAGNITUDE ||
        (isfinite(lo) && fabs(lo) > DIST_MAX_MAGNITUDE) ||
        (isfinite(hi) && fabs(hi) > DIST_MAX_MAGNITUDE)) {
        dist_release(&x);
        return yt_error(doc, n, d, "'%s' is too large: values beyond 1e15 in size are not supported", what);
    }
    x.line = n->line;
    x.col = n->col;
    *out = x;
    return 0;
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
        /* Resampling keeps the shape inside the window (resolution 16);
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
        double z = std_normal_mass(al, be);
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
