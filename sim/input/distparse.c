/*
 * distparse — reading and validating the uncertain quantities of a
 * scenario from YAML (model §1, §13, §18.2); the maths and the
 * sampling are sim/base/dist.c.
 *
 * All checking happens here, so dist_sample is a switch and one GSL call:
 * no allocation, no set-up, no error path.  Each form is one row of
 * `forms[]` (allowed keys, parse function; its name is dist_kind_name);
 * the domain a key requires (model §18.2) is checked by the parse
 * functions through the check_lower/check_upper/check_atom helpers so
 * every message points at the parameter that breaks it.
 */
#include "distparse.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

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
 * Domain checks (model §18.2)
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
    return dist_beta_envelope(x, x->p[0], x->p[1], c->d);
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
        double mass = dist_std_normal_mass((x->lo - x->a) / x->b, (x->hi - x->a) / x->b);
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
    return dist_beta_envelope(x, x->a, x->b, c->d);
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
    if (dist_sort_values(x, c->d))
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
    if (parse_values(c, vals, x->values) || dist_sort_values(x, c->d)) {
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
    const char *const *keys; /* allowed in the mapping, `dist` included */
    int (*parse)(const pctx *c, dist *x);
} forms[] = {
    [DIST_CONST] = {NULL, NULL},
    [DIST_UNIFORM] = {k_uniform, parse_uniform},
    [DIST_TRIANGULAR] = {k_triangular, parse_triangular},
    [DIST_PERT] = {k_pert, parse_pert},
    [DIST_NORMAL] = {k_normal, parse_normal},
    [DIST_LOGNORMAL] = {k_lognormal, parse_lognormal},
    [DIST_GAMMA] = {k_gamma, parse_gamma},
    [DIST_BETA] = {k_beta, parse_beta},
    [DIST_DISCRETE] = {k_discrete, parse_discrete},
    [DIST_EMPIRICAL] = {k_empirical, parse_empirical},
};
#define NFORMS (sizeof forms / sizeof forms[0])

/* What may follow `dist:`, for "did you mean" (the constant is written as
 * a plain number, never as a form). */
static const char *const form_names[] = {"uniform",   "triangular", "pert", "normal",
                                         "lognormal", "gamma",      "beta", "discrete",
                                         "empirical", NULL};

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
    while (k < NFORMS && strcmp(dist_kind_name((dist_kind)k), name) != 0)
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

    pctx c = {doc, n, form, what, dist_kind_name((dist_kind)k), dom, d};
    x->kind = (dist_kind)k;
    if (forms[k].parse(&c, x))
        return -1;
    /* Parameters near the limits of double (a lognormal with sigma 30)
     * would make the spreadsheet view and the statistics infinite. */
    double m = dist_mean(x), s = dist_sd(x);
    if (!isfinite(m) || !isfinite(s)) {
        yt_error(doc, n, d, "'%s': this %s's mean or sd overflows; check its parameters", what,
                 dist_kind_name((dist_kind)k));
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
