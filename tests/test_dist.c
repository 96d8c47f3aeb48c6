/*
 * Tests for sim/base/dist.c.
 *
 * Every form is sampled at a fixed seed and checked against its own exact
 * moments and CDF: the mean within 5 standard errors, the variance within
 * 5 standard errors of the sample variance (estimated from the sample
 * fourth moment), and a Kolmogorov-Smirnov test (sqrt(n) D < 1.95, p about
 * 0.001) or, for discrete forms, a chi-square test.  The parameterisations
 * and the truncated normal's moments are checked against independent
 * computations.  Then every validation rule is fed a literal YAML snippet
 * with its expected message and position.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "testutil.h"
#include "dist.h"
#include "rng.h"
#include "distparse.h"
#include "yamltree.h"

#define NDRAW 200000

/* ------------------------------------------------------------ helpers */

/* Parse the value of key `q` in `yaml` as a quantity named "q". */
static int parse(const char *yaml, dist_domain dom, dist *x, diag *d)
{
    yt_doc *doc = NULL;
    diag_clear(d);
    if (yt_load_buffer("t.yaml", yaml, strlen(yaml), &doc, d)) {
        print_error("bad test YAML %s: %s\n", yaml, d->msg);
        fail();
    }
    int rc = dist_parse(doc, yt_get(doc->root, "q", NULL), "q", dom, x, d);
    yt_free(doc);
    return rc;
}

static dist parse_ok(const char *yaml, dist_domain dom)
{
    dist x;
    diag d;
    if (parse(yaml, dom, &x, &d)) {
        print_error("%s rejected: %d:%d: %s\n", yaml, d.line, d.col, d.msg);
        fail();
    }
    return x;
}

static gsl_rng *seeded(const char *name)
{
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    assert_non_null(r);
    rng_seed_stream(r, rng_stream_key(20240601, RNG_DOMAIN_ALT, name, 0));
    return r;
}

static double *draw(const dist *x, const char *seed_name, size_t n)
{
    gsl_rng *r = seeded(seed_name);
    double *v = malloc(n * sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < n; i++)
        v[i] = dist_sample(x, r);
    gsl_rng_free(r);
    return v;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Every draw inside dist_support; mean and variance within 5 SE. */
static void check_moments(const char *what, const dist *x, const double *v, size_t n)
{
    double lo, hi, m = 0, m2 = 0, m4 = 0;
    dist_support(x, &lo, &hi);
    for (size_t i = 0; i < n; i++) {
        if (!(v[i] >= lo && v[i] <= hi)) {
            print_error("%s: draw %.17g outside [%g, %g]\n", what, v[i], lo, hi);
            fail();
        }
        m += v[i];
    }
    m /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double e = (v[i] - m) * (v[i] - m);
        m2 += e;
        m4 += e * e;
    }
    m2 /= (double)n;
    m4 /= (double)n;
    double mu = dist_mean(x), sd = dist_sd(x);
    print_message("%-56.*s mean %-10.6g (exact %-10.6g) sd %-10.6g (exact %.6g)\n",
                  (int)strcspn(what, "\n"), what, m, mu, sqrt(m2), sd);
    assert_near(m, mu, 5 * sd / sqrt((double)n));
    /* Var(s^2) ~ (mu4 - sigma^4) / n. */
    assert_near(m2, sd * sd, 5 * sqrt((m4 - m2 * m2) / (double)n) + 1e-12 * sd * sd);
}

/* Kolmogorov-Smirnov against dist_cdf; sorts v. */
static void check_ks(const char *what, const dist *x, double *v, size_t n)
{
    double dmax = 0;
    qsort(v, n, sizeof *v, cmp_double);
    for (size_t i = 0; i < n; i++) {
        double f = dist_cdf(x, v[i]);
        double a = f - (double)i / (double)n, b = (double)(i + 1) / (double)n - f;
        dmax = a > dmax ? a : dmax;
        dmax = b > dmax ? b : dmax;
    }
    double stat = dmax * sqrt((double)n);
    if (!(stat < 1.95)) {
        print_error("%s: KS sqrt(n) D = %.4f >= 1.95\n", what, stat);
        fail();
    }
}

static void fit_continuous(const char *yaml, dist_domain dom)
{
    dist x = parse_ok(yaml, dom);
    double *v = draw(&x, yaml, NDRAW);
    check_moments(yaml, &x, v, NDRAW);
    check_ks(yaml, &x, v, NDRAW);
    free(v);
    dist_release(&x);
}

/* Chi-square over the categories (value, probability) of a discrete or
 * empirical dist; a draw outside them fails. */
static void fit_categorical(const char *yaml, const double *vals, const double *probs, size_t k)
{
    dist x = parse_ok(yaml, DOM_ANY);
    double *v = draw(&x, yaml, NDRAW);
    double *obs = calloc(k, sizeof *obs);
    assert_non_null(obs);
    check_moments(yaml, &x, v, NDRAW);
    for (size_t i = 0; i < NDRAW; i++) {
        size_t j = 0;
        while (j < k && vals[j] != v[i])
            j++;
        if (j == k) {
            print_error("%s: drew %g, not a category\n", yaml, v[i]);
            fail();
        }
        obs[j]++;
    }
    double chi2 = 0, cum = 0;
    for (size_t j = 0; j < k; j++) {
        double e = NDRAW * probs[j];
        chi2 += (obs[j] - e) * (obs[j] - e) / e;
        /* vals are ascending: the CDF steps by each probability. */
        cum += probs[j];
        assert_near(dist_cdf(&x, vals[j]), cum, 1e-12);
        if (j > 0)
            assert_near(dist_cdf(&x, (vals[j] + vals[j - 1]) / 2), cum - probs[j], 1e-12);
    }
    double crit = gsl_cdf_chisq_Qinv(0.001, (double)(k - 1));
    print_message("%-56.*s chi2 %.2f (critical %.2f, %zu df)\n", (int)strcspn(yaml, "\n"), yaml,
                  chi2, crit, k - 1);
    assert_true(chi2 < crit);
    assert_near(dist_cdf(&x, vals[0] - 1), 0, 0);
    assert_near(dist_cdf(&x, vals[k - 1]), 1, 1e-12);
    free(obs);
    free(v);
    dist_release(&x);
}

/* ------------------------------------------------------- fits per form */

static void test_uniform(void **state)
{
    (void)state;
    fit_continuous("q: {dist: uniform, min: 2, max: 5}\n", DOM_POSITIVE);
    fit_continuous("q: {dist: uniform, min: -3.5, max: 100}\n", DOM_ANY);

    /* min == max: a point, still one uniform per draw (the stream does not
     * shift when a sweep narrows the range to a point). */
    dist x = parse_ok("q: {dist: uniform, min: 3, max: 3}\n", DOM_POSITIVE);
    assert_int_equal(x.kind, DIST_UNIFORM);
    gsl_rng *r1 = seeded("point"), *r2 = seeded("point");
    for (int i = 0; i < 1000; i++)
        assert_true(dist_sample(&x, r1) == 3.0);
    for (int i = 0; i < 1000; i++)
        (void)gsl_rng_uniform(r2);
    assert_true(gsl_rng_get(r1) == gsl_rng_get(r2));
    assert_near(dist_mean(&x), 3, 0);
    assert_near(dist_sd(&x), 0, 0);
    assert_near(dist_cdf(&x, 2.999), 0, 0);
    assert_near(dist_cdf(&x, 3), 1, 0);
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}

static void test_triangular(void **state)
{
    (void)state;
    fit_continuous("q: {dist: triangular, min: 1, mode: 2, max: 6}\n", DOM_NONNEG);
    fit_continuous("q: {dist: triangular, min: 0, mode: 0, max: 1}\n", DOM_PROB);
    fit_continuous("q: {dist: triangular, min: -4, mode: 3, max: 3}\n", DOM_ANY);

    dist x = parse_ok("q: {dist: triangular, min: 1, mode: 2, max: 6}\n", DOM_ANY);
    assert_near(dist_mean(&x), 3, 1e-15);
    assert_near(dist_sd(&x), sqrt((1 + 4 + 36 - 2 - 6 - 12) / 18.0), 1e-15);
    assert_near(dist_cdf(&x, 2), 1.0 / 5, 1e-15);
    assert_near(dist_cdf(&x, 1), 0, 0);
    assert_near(dist_cdf(&x, 6), 1, 0);
    dist_release(&x);
}

static void test_pert(void **state)
{
    (void)state;
    fit_continuous("q: {dist: pert, min: 150, mode: 180, max: 260}\n", DOM_NONNEG);
    fit_continuous("q: {dist: pert, min: 0, mode: 0.9, max: 1, lambda: 2}\n", DOM_PROB);
    fit_continuous("q: {dist: pert, min: 10, mode: 10, max: 20}\n", DOM_NONNEG);
}

static void test_normal(void **state)
{
    (void)state;
    fit_continuous("q: {dist: normal, mean: 10, sd: 3}\n", DOM_ANY);
    fit_continuous("q: {dist: normal, mean: -1e6, sd: 2.5e4}\n", DOM_ANY);
}

/* Independent moments of a truncated normal by Simpson's rule. */
static void simpson_truncated(double mu, double sd, double lo, double hi, double *mean, double *sdv)
{
    double a = fmax(lo, mu - 12 * sd), b = fmin(hi, mu + 12 * sd);
    const int n = 20000;
    double h = (b - a) / n, z = 0, s1 = 0, s2 = 0;
    for (int i = 0; i <= n; i++) {
        double t = a + i * h, w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
        double p = gsl_ran_gaussian_pdf(t - mu, sd) * w;
        z += p;
        s1 += p * t;
        s2 += p * t * t;
    }
    *mean = s1 / z;
    *sdv = sqrt(s2 / z - *mean * *mean);
}

static void test_normal_truncated(void **state)
{
    (void)state;
    static const struct {
        const char *yaml;
        dist_domain dom;
        double mu, sd, lo, hi;
        int sample; /* 0: moments only (resampling would be slow) */
    } cases[] = {
        {"q: {dist: normal, mean: 10, sd: 8, min: 0}\n", DOM_NONNEG, 10, 8, 0, INFINITY, 1},
        {"q: {dist: normal, mean: 0.3, sd: 0.4, min: 0, max: 1}\n", DOM_PROB, 0.3, 0.4, 0, 1, 1},
        {"q: {dist: normal, mean: 5, sd: 2, max: 4}\n", DOM_ANY, 5, 2, -INFINITY, 4, 1},
        /* In the upper tail: 0.0228 of the mass survives. */
        {"q: {dist: normal, mean: 0, sd: 1, min: 2}\n", DOM_POSITIVE, 0, 1, 2, INFINITY, 1},
        {"q: {dist: normal, mean: 100, sd: 1, min: 99.9, max: 100.05}\n", DOM_POSITIVE, 100, 1,
         99.9, 100.05, 1},
        /* Far tails, where P(b) - P(a) would lose every digit. */
        {"q: {dist: normal, mean: 0, sd: 1, min: 4.5}\n", DOM_ANY, 0, 1, 4.5, INFINITY, 0},
        {"q: {dist: normal, mean: 0, sd: 1, min: 4.5, max: 5}\n", DOM_ANY, 0, 1, 4.5, 5, 0},
        {"q: {dist: normal, mean: 0, sd: 1, max: -4.6}\n", DOM_ANY, 0, 1, -INFINITY, -4.6, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dist x = parse_ok(cases[i].yaml, cases[i].dom);
        assert_true(x.lo == cases[i].lo && x.hi == cases[i].hi);
        double m, s;
        simpson_truncated(cases[i].mu, cases[i].sd, cases[i].lo, cases[i].hi, &m, &s);
        assert_near(dist_mean(&x), m, 1e-8 * (fabs(m) + s));
        assert_near(dist_sd(&x), s, 1e-7 * s);
        double lo, hi;
        dist_support(&x, &lo, &hi);
        assert_true(lo == cases[i].lo && hi == cases[i].hi);
        dist_release(&x);
        /* check_moments asserts that no draw leaves [min, max]. */
        if (cases[i].sample)
            fit_continuous(cases[i].yaml, cases[i].dom);
    }
}

static void test_lognormal(void **state)
{
    (void)state;
    fit_continuous("q: {dist: lognormal, median: 25000, p90: 80000}\n", DOM_POSITIVE);
    fit_continuous("q: {dist: lognormal, mu: 1, sigma: 0.4}\n", DOM_NONNEG);
    fit_continuous("q: {dist: lognormal, mean: 12, sd: 5}\n", DOM_NONNEG);
}

static void test_gamma(void **state)
{
    (void)state;
    fit_continuous("q: {dist: gamma, shape: 2, scale: 3}\n", DOM_POSITIVE);
    fit_continuous("q: {dist: gamma, shape: 0.5, scale: 2}\n", DOM_NONNEG);
    fit_continuous("q: {dist: gamma, mean: 40, sd: 10}\n", DOM_NONNEG);
}

static void test_beta(void **state)
{
    (void)state;
    fit_continuous("q: {dist: beta, alpha: 2, beta: 5}\n", DOM_PROB);
    fit_continuous("q: {dist: beta, alpha: 0.5, beta: 0.7}\n", DOM_PROB);
    fit_continuous("q: {dist: beta, alpha: 30, beta: 3}\n", DOM_PROB);
}

static void test_discrete(void **state)
{
    (void)state;
    static const double v1[] = {1, 2, 5}, p1[] = {0.2, 0.5, 0.3};
    fit_categorical("q: {dist: discrete, values: [2, 1, 5], weights: [5, 2, 3]}\n", v1, p1, 3);
    /* A value of weight 0 is never drawn (fit_categorical fails on it). */
    static const double v2[] = {-1, 0, 10}, p2[] = {0.25, 0.25, 0.5};
    fit_categorical("q: {dist: discrete, values: [10, 7, -1, 0], weights: [2, 0, 1, 1]}\n", v2,
                    p2, 3);
    /* Weights not summing to 1, one tiny category. */
    static const double v3[] = {0, 1, 2, 3}, p3[] = {0.99 / 1.999, 0.9 / 1.999, 0.1 / 1.999,
                                                     0.009 / 1.999};
    fit_categorical("q: {dist: discrete, values: [0, 1, 2, 3], weights: [0.99, 0.9, 0.1, 0.009]}\n",
                    v3, p3, 4);

    dist x = parse_ok("q: {dist: discrete, values: [4], weights: [0.5]}\n", DOM_POSITIVE);
    gsl_rng *r = seeded("one");
    for (int i = 0; i < 1000; i++)
        assert_true(dist_sample(&x, r) == 4);
    gsl_rng_free(r);
    assert_near(dist_mean(&x), 4, 0);
    assert_near(dist_sd(&x), 0, 0);
    dist_release(&x);

    x = parse_ok("q: {dist: discrete, values: [10, 7, -1, 0], weights: [2, 0, 1, 1]}\n", DOM_ANY);
    double lo, hi;
    dist_support(&x, &lo, &hi);
    assert_true(lo == -1 && hi == 10);
    assert_near(dist_mean(&x), (-1 + 0 + 20) / 4.0, 1e-15);
    dist_release(&x);
}

static void test_empirical(void **state)
{
    (void)state;
    static const double v[] = {1, 2, 3, 4, 5, 6, 9};
    static const double p[] = {2 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0, 2 / 9.0, 1 / 9.0, 1 / 9.0};
    fit_categorical("q: {dist: empirical, values: [3, 1, 4, 1, 5, 9, 2, 6, 5]}\n", v, p, 7);

    dist x = parse_ok("q: {dist: empirical, values: [3, 1, 4, 1, 5, 9, 2, 6, 5]}\n", DOM_ANY);
    /* The bootstrap distribution's population moments. */
    double m = 36 / 9.0, ss = 0;
    static const double raw[] = {3, 1, 4, 1, 5, 9, 2, 6, 5};
    for (int i = 0; i < 9; i++)
        ss += (raw[i] - m) * (raw[i] - m);
    assert_near(dist_mean(&x), m, 1e-14);
    assert_near(dist_sd(&x), sqrt(ss / 9), 1e-14);
    double lo, hi;
    dist_support(&x, &lo, &hi);
    assert_true(lo == 1 && hi == 9);
    dist_release(&x);
}

static void test_constant(void **state)
{
    (void)state;
    dist x = parse_ok("q: 85\n", DOM_POSITIVE);
    assert_true(dist_is_const(&x));
    assert_int_equal(x.kind, DIST_CONST);
    gsl_rng *r = seeded("const");
    unsigned long before = gsl_rng_get(r);
    (void)before;
    assert_true(dist_sample(&x, r) == 85);
    assert_near(dist_mean(&x), 85, 0);
    assert_near(dist_sd(&x), 0, 0);
    assert_near(dist_cdf(&x, 84.9), 0, 0);
    assert_near(dist_cdf(&x, 85), 1, 0);
    gsl_rng_free(r);
    dist_release(&x);

    dist c = dist_const(-2.5);
    assert_true(dist_is_const(&c));
    assert_true(c.values == NULL && c.table == NULL);
    assert_near(dist_mean(&c), -2.5, 0);
    /* A zero-initialised dist is the constant 0. */
    dist z = {0};
    assert_true(dist_is_const(&z));
    assert_near(dist_mean(&z), 0, 0);
    dist_release(&z);
}

/* ------------------------------------------- parameterisations, moments */

static void test_parameterisations(void **state)
{
    (void)state;
    const double z90 = gsl_cdf_ugaussian_Pinv(0.9);

    dist x = parse_ok("q: {dist: lognormal, median: 25000, p90: 80000}\n", DOM_ANY);
    assert_near(x.a, log(25000), 1e-12);
    assert_near(x.b, log(80000.0 / 25000) / z90, 1e-12);
    assert_near(dist_cdf(&x, 25000), 0.5, 1e-12);
    assert_near(dist_cdf(&x, 80000), 0.9, 1e-12);
    assert_true(dist_heavy_tailed(&x));
    dist_release(&x);

    x = parse_ok("q: {dist: lognormal, mean: 12, sd: 5}\n", DOM_ANY);
    assert_near(dist_mean(&x), 12, 1e-12);
    assert_near(dist_sd(&x), 5, 1e-12);
    dist_release(&x);

    x = parse_ok("q: {dist: lognormal, mu: 1, sigma: 0.4}\n", DOM_ANY);
    assert_near(dist_mean(&x), exp(1 + 0.08), 1e-12);
    dist_release(&x);

    x = parse_ok("q: {dist: gamma, mean: 40, sd: 10}\n", DOM_ANY);
    assert_near(x.a, 40.0 * 40 / 100, 1e-12); /* shape = mean^2 / sd^2 */
    assert_near(x.b, 100.0 / 40, 1e-12);      /* scale = sd^2 / mean */
    assert_near(dist_mean(&x), 40, 1e-12);
    assert_near(dist_sd(&x), 10, 1e-12);
    assert_false(dist_heavy_tailed(&x));
    dist_release(&x);

    x = parse_ok("q: {dist: pert, min: 150, mode: 180, max: 260}\n", DOM_ANY);
    assert_near(x.p[0], 1 + 4 * 30.0 / 110, 1e-12);
    assert_near(x.p[1], 1 + 4 * 80.0 / 110, 1e-12);
    assert_near(dist_mean(&x), (150 + 4 * 180 + 260) / 6.0, 1e-12);
    dist_release(&x);

    x = parse_ok("q: {dist: pert, min: 0, mode: 0.9, max: 1, lambda: 2}\n", DOM_ANY);
    assert_near(dist_mean(&x), (0 + 2 * 0.9 + 1) / 4.0, 1e-15);
    dist_release(&x);

    x = parse_ok("q: {dist: beta, alpha: 2, beta: 5}\n", DOM_ANY);
    assert_near(dist_mean(&x), 2.0 / 7, 1e-15);
    assert_near(dist_sd(&x), sqrt(10.0 / (49 * 8)), 1e-15);
    dist_release(&x);

    x = parse_ok("q: {dist: normal, mean: 10, sd: 3}\n", DOM_ANY);
    assert_true(isinf(x.lo) && x.lo < 0 && isinf(x.hi) && x.hi > 0);
    assert_near(dist_cdf(&x, 10), 0.5, 1e-15);
    dist_release(&x);
}

static void test_describe(void **state)
{
    (void)state;
    static const struct {
        const char *yaml, *expect;
    } cases[] = {
        {"q: 85\n", "85"},
        {"q: 0.125\n", "0.125"},
        {"q: {dist: uniform, min: 2, max: 5}\n", "uniform(2, 5)"},
        {"q: {dist: triangular, min: 1, mode: 2, max: 6}\n", "triangular(1, 2, 6)"},
        {"q: {dist: pert, min: 150, mode: 180, max: 260}\n", "pert(150, 180, 260)"},
        {"q: {dist: pert, min: 0, mode: 0.3, max: 1, lambda: 2}\n", "pert(0, 0.3, 1, lambda 2)"},
        {"q: {dist: normal, mean: 10, sd: 3}\n", "normal(mean 10, sd 3)"},
        {"q: {dist: normal, mean: 10, sd: 3, min: 0}\n", "normal(mean 10, sd 3, min 0)"},
        {"q: {dist: normal, mean: 0.5, sd: 3, min: 0, max: 1}\n",
         "normal(mean 0.5, sd 3, min 0, max 1)"},
        {"q: {dist: lognormal, median: 25000, p90: 80000}\n", "lognormal(median 25000, p90 80000)"},
        {"q: {dist: gamma, shape: 2, scale: 3}\n", "gamma(shape 2, scale 3)"},
        {"q: {dist: beta, alpha: 2, beta: 5}\n", "beta(2, 5)"},
        {"q: {dist: discrete, values: [1, 2], weights: [1, 3]}\n", "discrete(1: 0.25, 2: 0.75)"},
        {"q: {dist: discrete, values: [1, 2, 3, 4, 5, 6], weights: [1, 1, 1, 1, 1, 1]}\n",
         "discrete(6 values, mean 3.5)"},
        {"q: {dist: empirical, values: [1, 2, 6]}\n", "empirical(3 values, mean 3)"},
    };
    char buf[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dist x = parse_ok(cases[i].yaml, DOM_ANY);
        dist_describe(&x, buf, sizeof buf);
        assert_string_equal(buf, cases[i].expect);
        /* A short buffer truncates, never overflows. */
        char tiny[6];
        dist_describe(&x, tiny, sizeof tiny);
        assert_true(strlen(tiny) < sizeof tiny);
        assert_memory_equal(tiny, cases[i].expect, strlen(tiny));
        dist_release(&x);
    }
}

static void test_kind_names(void **state)
{
    (void)state;
    static const char *const names[] = {"constant", "uniform", "triangular", "pert", "normal",
                                        "lognormal", "gamma", "beta", "discrete", "empirical"};
    for (int k = DIST_CONST; k <= DIST_EMPIRICAL; k++)
        assert_string_equal(dist_kind_name((dist_kind)k), names[k]);
    assert_string_equal(dist_kind_name((dist_kind)99), "unknown");
}

static void test_support(void **state)
{
    (void)state;
    static const struct {
        const char *yaml;
        double lo, hi;
        int heavy;
    } cases[] = {
        {"q: 7\n", 7, 7, 0},
        {"q: {dist: uniform, min: 2, max: 5}\n", 2, 5, 0},
        {"q: {dist: pert, min: 1, mode: 2, max: 5}\n", 1, 5, 0},
        {"q: {dist: triangular, min: 1, mode: 2, max: 5}\n", 1, 5, 0},
        {"q: {dist: normal, mean: 1, sd: 2}\n", -INFINITY, INFINITY, 0},
        {"q: {dist: lognormal, mu: 1, sigma: 2}\n", 0, INFINITY, 1},
        {"q: {dist: gamma, shape: 1, scale: 2}\n", 0, INFINITY, 0},
        {"q: {dist: beta, alpha: 1, beta: 2}\n", 0, 1, 0},
        {"q: {dist: empirical, values: [4, -2, 3]}\n", -2, 4, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dist x = parse_ok(cases[i].yaml, DOM_ANY);
        double lo, hi;
        dist_support(&x, &lo, &hi);
        assert_true(lo == cases[i].lo && hi == cases[i].hi);
        assert_int_equal(dist_heavy_tailed(&x), cases[i].heavy);
        dist_release(&x);
    }
}

static void test_copy_release(void **state)
{
    (void)state;
    static const char *const yamls[] = {
        "q: {dist: discrete, values: [1, 2, 3], weights: [0.2, 0.3, 0.5]}\n",
        "q: {dist: empirical, values: [1, 2, 3, 10]}\n",
        "q: {dist: pert, min: 1, mode: 2, max: 5}\n",
    };
    for (size_t k = 0; k < sizeof yamls / sizeof yamls[0]; k++) {
        dist x = parse_ok(yamls[k], DOM_ANY), y;
        assert_int_equal(dist_copy(&y, &x), 0);
        assert_int_equal(y.kind, x.kind);
        if (x.values)
            assert_true(y.values != x.values);
        if (x.table)
            assert_true(y.table != x.table);
        /* The copy outlives the original and draws the same sequence. */
        gsl_rng *r1 = seeded("copy"), *r2 = seeded("copy");
        double expect[1000];
        for (int i = 0; i < 1000; i++)
            expect[i] = dist_sample(&x, r1);
        dist_release(&x);
        assert_true(dist_is_const(&x) && x.values == NULL && x.table == NULL);
        assert_near(dist_mean(&x), 0, 0);
        for (int i = 0; i < 1000; i++)
            assert_true(dist_sample(&y, r2) == expect[i]);
        gsl_rng_free(r1);
        gsl_rng_free(r2);
        dist_release(&y);
        dist_release(&y); /* releasing twice is harmless */
    }
    dist_release(NULL);
}

static void test_positions(void **state)
{
    (void)state;
    dist x = parse_ok("a: 1\nq:\n  dist: normal\n  mean: 3\n  sd: 1\n", DOM_ANY);
    assert_int_equal(x.line, 3);
    assert_int_equal(x.col, 3);
    dist_release(&x);
    x = parse_ok("a: 1\nb: 2\nq: {dist: beta, alpha: 1, beta: 2}\n", DOM_ANY);
    assert_int_equal(x.line, 3);
    assert_int_equal(x.col, 4);
    dist_release(&x);
    x = parse_ok("q:   12\n", DOM_ANY);
    assert_int_equal(x.line, 1);
    assert_int_equal(x.col, 6);
    dist_release(&x);
}

/* --------------------------------------------------------- validation */

static void test_valid_domains(void **state)
{
    (void)state;
    static const struct {
        const char *yaml;
        dist_domain dom;
    } ok[] = {
        {"q: -5\n", DOM_ANY},
        {"q: 0\n", DOM_NONNEG},
        {"q: 0\n", DOM_PROB},
        {"q: 1\n", DOM_PROB},
        {"q: 1e-300\n", DOM_POSITIVE},
        {"q: {dist: uniform, min: 0, max: 2}\n", DOM_POSITIVE},
        {"q: {dist: uniform, min: 3, max: 3}\n", DOM_POSITIVE},
        {"q: {dist: uniform, min: 0, max: 1}\n", DOM_PROB},
        {"q: {dist: triangular, min: 0, mode: 0, max: 1}\n", DOM_PROB},
        {"q: {dist: pert, min: 0, mode: 1, max: 1}\n", DOM_PROB},
        {"q: {dist: pert, min: 0, mode: 1, max: 2, lambda: 0.5}\n", DOM_POSITIVE},
        {"q: {dist: normal, mean: 10, sd: 2, min: 0}\n", DOM_NONNEG},
        {"q: {dist: normal, mean: 10, sd: 2, min: 0}\n", DOM_POSITIVE},
        {"q: {dist: normal, mean: 0.5, sd: 0.2, min: 0, max: 1}\n", DOM_PROB},
        {"q: {dist: normal, mean: -5, sd: 2}\n", DOM_ANY},
        {"q: {dist: normal, mean: 0, sd: 1, min: 4.7}\n", DOM_ANY},
        {"q: {dist: lognormal, median: 3, p90: 9}\n", DOM_POSITIVE},
        {"q: {dist: lognormal, mu: -3, sigma: 0.1}\n", DOM_NONNEG},
        {"q: {dist: gamma, shape: 0.3, scale: 2}\n", DOM_POSITIVE},
        {"q: {dist: beta, alpha: 2, beta: 3}\n", DOM_PROB},
        {"q: {dist: beta, alpha: 2, beta: 3}\n", DOM_POSITIVE},
        {"q: {dist: discrete, values: [0, 1], weights: [0.3, 0.7]}\n", DOM_PROB},
        {"q: {dist: discrete, values: [-1, 1], weights: [0, 1]}\n", DOM_ANY},
        {"q: {dist: empirical, values: [0.1, 0.9, 1]}\n", DOM_PROB},
        {"q: {dist: empirical, values: [7]}\n", DOM_POSITIVE},
        {"q:\n  dist: pert\n  min: 1\n  mode: 2\n  max: 3\n  lambda: 6\n", DOM_NONNEG},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        dist x = parse_ok(ok[i].yaml, ok[i].dom);
        dist_release(&x);
    }
}

typedef struct {
    const char *yaml;
    dist_domain dom;
    const char *msg; /* expected substring of the message */
    const char *at;  /* the error's position: the first occurrence of this */
} bad_case;

static const bad_case bad[] = {
    /* node kinds, numbers, the mapping itself */
    {"q: [1, 2]\n", DOM_ANY, "'q' must be a number or a {dist: ...} mapping, not a list", "["},
    {"q: .nan\n", DOM_ANY, "'q' must be a number", ".nan"},
    {"q: .inf\n", DOM_ANY, "'q' must be a number", ".inf"},
    {"q: 0x1F\n", DOM_ANY, "hexadecimal", "0x1F"},
    {"q: 0755\n", DOM_ANY, "leading zeros", "0755"},
    {"q: \"5\"\n", DOM_ANY, "not a quoted string", "\"5\""},
    {"q: {min: 1, max: 2}\n", DOM_ANY, "'q': a distribution needs 'dist:'", "{"},
    {"q: {dsit: pert, min: 1}\n", DOM_ANY, "unknown key 'dsit' in 'q' (did you mean 'dist'?)",
     "dsit"},
    {"q: {dist: pret, min: 1, mode: 2, max: 3}\n", DOM_ANY,
     "'q': unknown dist 'pret' (did you mean 'pert'?)", "pret"},
    {"q: {dist: lognorm, mu: 1, sigma: 1}\n", DOM_ANY,
     "'q': unknown dist 'lognorm' (did you mean 'lognormal'?)", "lognorm"},
    {"q: {dist: zipf, s: 1}\n", DOM_ANY, "'q': unknown dist 'zipf' (expected uniform, triangular",
     "zipf"},
    {"q: {dist: [pert]}\n", DOM_ANY, "'q.dist' must be a string, not a list", "[pert]"},
    {"q: {dist: pert, min: 1, modee: 2, max: 3}\n", DOM_ANY,
     "unknown key 'modee' in 'q' (did you mean 'mode'?)", "modee"},
    {"q: {dist: normal, mean: 1, sd: 1, mode: 3}\n", DOM_ANY, "unknown key 'mode' in 'q'", "mode"},
    {"q: {dist: pert, min: 1, max: 3}\n", DOM_ANY, "'q': a pert needs 'mode'", "{"},
    {"q: {dist: uniform, max: 3}\n", DOM_ANY, "'q': a uniform needs 'min'", "{"},
    {"q: {dist: normal, mean: 3}\n", DOM_ANY, "'q': a normal needs 'sd'", "{"},
    {"q: {dist: empirical}\n", DOM_ANY, "'q': an empirical needs 'values'", "{"},
    {"q: {dist: uniform, min: .nan, max: 2}\n", DOM_ANY, "'q.min' must be a number", ".nan"},
    {"q: {dist: uniform, min: 1, max: abc}\n", DOM_ANY, "'q.max' must be a number, not 'abc'",
     "abc"},
    {"q: {dist: uniform, min: -1e308, max: 1e308}\n", DOM_ANY,
     "'q': this uniform's mean or sd overflows", "{"},

    /* uniform, triangular, pert */
    {"q: {dist: uniform, min: 5, max: 3}\n", DOM_ANY, "'q': max (3) must not be below min (5)",
     "3}"},
    {"q: {dist: triangular, min: 5, mode: 6, max: 3}\n", DOM_ANY,
     "'q': max (3) must exceed min (5)", "3}"},
    {"q: {dist: triangular, min: 1, mode: 6, max: 3}\n", DOM_ANY,
     "'q': mode (6) must lie within [min, max] = [1, 3]", "6"},
    {"q: {dist: triangular, min: 2, mode: 2, max: 2}\n", DOM_ANY,
     "'q': max (2) must exceed min (2)", "2}"},
    {"q: {dist: pert, min: 10, mode: 5, max: 20}\n", DOM_ANY,
     "'q': mode (5) must lie within [min, max] = [10, 20]", "5,"},
    {"q: {dist: pert, min: 1, mode: 2, max: 3, lambda: 0}\n", DOM_ANY,
     "'q': lambda (0) must be positive", "0}"},
    {"q: {dist: pert, min: 4, mode: 4, max: 4}\n", DOM_ANY, "'q': max (4) must exceed min (4)",
     "4}"},

    /* normal */
    {"q: {dist: normal, mean: 5, sd: -1}\n", DOM_ANY, "'q': sd (-1) must be positive", "-1"},
    {"q: {dist: normal, mean: 5, sd: 0}\n", DOM_ANY,
     "'q': sd must be positive; for a fixed value write the number itself", "0}"},
    {"q: {dist: normal, mean: 5, sd: 1, min: 3, max: 2}\n", DOM_ANY,
     "'q': max (2) must exceed min (3)", "2}"},
    {"q: {dist: normal, mean: 0, sd: 1, min: 6}\n", DOM_ANY,
     "'q': the truncation keeps only", "6}"},
    {"q: {dist: normal, mean: 0, sd: 1, max: -6}\n", DOM_ANY, "resampling would never end", "-6"},
    {"q: {dist: normal, mean: 0, sd: 1, min: 3, max: 3.0000001}\n", DOM_ANY,
     "the truncation keeps only", "3,"},

    /* lognormal */
    {"q: {dist: lognormal, median: 5, p90: 3}\n", DOM_ANY, "'q': p90 (3) must exceed median (5)",
     "3}"},
    {"q: {dist: lognormal, median: 5, p90: 5}\n", DOM_ANY, "'q': p90 (5) must exceed median (5)",
     "5}"},
    {"q: {dist: lognormal, median: 0, p90: 5}\n", DOM_ANY, "'q': median (0) must be positive",
     "0,"},
    {"q: {dist: lognormal, mu: 1, sigma: 0}\n", DOM_ANY, "'q': sigma (0) must be positive", "0}"},
    {"q: {dist: lognormal, mean: -2, sd: 1}\n", DOM_ANY, "'q': mean (-2) must be positive", "-2"},
    {"q: {dist: lognormal, mean: 2, sd: 0}\n", DOM_ANY, "'q': sd (0) must be positive", "0}"},
    {"q: {dist: lognormal, median: 5, sigma: 1}\n", DOM_ANY,
     "'q': a lognormal takes {median, p90}, {mu, sigma} or {mean, sd}; 'sigma' cannot be "
     "combined with 'median'",
     "sigma"},
    {"q: {dist: lognormal, mean: 5, sd: 1, p90: 9}\n", DOM_ANY,
     "'p90' cannot be combined with 'mean'", "p90"},
    {"q: {dist: lognormal}\n", DOM_ANY,
     "'q': a lognormal needs one of {median, p90}, {mu, sigma} or {mean, sd}", "{"},
    {"q: {dist: lognormal, mu: 1}\n", DOM_ANY, "'q': a lognormal needs 'sigma'", "{"},
    {"q: {dist: lognormal, mu: 800, sigma: 1}\n", DOM_ANY,
     "'q': this lognormal's mean or sd overflows", "{"},
    {"q: {dist: lognormal, mean: 1, sd: 1e-200}\n", DOM_ANY, "degenerate lognormal", "{"},
    {"q: {dist: gamma, mean: 1, sd: 1e-200}\n", DOM_ANY, "degenerate gamma", "{"},

    /* gamma, beta */
    {"q: {dist: gamma, shape: 0, scale: 2}\n", DOM_ANY, "'q': shape (0) must be positive", "0,"},
    {"q: {dist: gamma, shape: 2, scale: -1}\n", DOM_ANY, "'q': scale (-1) must be positive", "-1"},
    {"q: {dist: gamma, mean: 3, sd: 0}\n", DOM_ANY, "'q': sd (0) must be positive", "0}"},
    {"q: {dist: gamma, mean: -3, sd: 1}\n", DOM_ANY, "'q': mean (-3) must be positive", "-3"},
    {"q: {dist: gamma, shape: 2, sd: 1}\n", DOM_ANY,
     "'q': a gamma takes {shape, scale} or {mean, sd}; 'sd' cannot be combined with 'shape'",
     "sd"},
    {"q: {dist: gamma, mean: 2}\n", DOM_ANY, "'q': a gamma needs 'sd'", "{"},
    {"q: {dist: beta, alpha: 0, beta: 2}\n", DOM_ANY, "'q': alpha (0) must be positive", "0,"},
    {"q: {dist: beta, alpha: 2, beta: -2}\n", DOM_ANY, "'q': beta (-2) must be positive", "-2"},
    {"q: {dist: beta, alpha: 2}\n", DOM_ANY, "'q': a beta needs 'beta'", "{"},

    /* discrete, empirical */
    {"q: {dist: discrete, values: [1, 2], weights: [0, 0]}\n", DOM_ANY,
     "'q': weights must sum to a positive, finite number", "[0"},
    {"q: {dist: discrete, values: [1, 2], weights: [0.5, -0.5]}\n", DOM_ANY,
     "'q': weights[1] (-0.5) must not be negative", "-0.5"},
    {"q: {dist: discrete, values: [1, 2, 3], weights: [1, 2]}\n", DOM_ANY,
     "'q': weights has 2 entries but values has 3", "[1, 2]}"},
    {"q: {dist: discrete, values: [], weights: []}\n", DOM_ANY,
     "'q': values must be a non-empty list of numbers", "[]"},
    {"q: {dist: discrete, values: 3, weights: [1]}\n", DOM_ANY,
     "'q': values must be a non-empty list of numbers", "3,"},
    {"q: {dist: discrete, values: [1, 2]}\n", DOM_ANY, "'q': a discrete needs 'weights'", "{"},
    {"q: {dist: discrete, values: [1, 2], weights: [1e308, 1e308]}\n", DOM_ANY,
     "'q': weights must sum to a positive, finite number", "[1e308"},
    {"q: {dist: discrete, values: [1, x], weights: [1, 1]}\n", DOM_ANY,
     "'q.values[1]' must be a number, not 'x'", "x]"},
    {"q: {dist: discrete, values: [1, 2], weights: [1, .inf]}\n", DOM_ANY,
     "'q.weights[1]' must be a number", ".inf"},
    {"q: {dist: discrete, values: [1, 2], weights: 1}\n", DOM_ANY,
     "'q': weights must be a list of numbers, not a scalar", "1}"},
    {"q: {dist: empirical, values: []}\n", DOM_ANY,
     "'q': values must be a non-empty list of numbers", "[]"},
    {"q: {dist: empirical, values: [1, .nan]}\n", DOM_ANY, "'q.values[1]' must be a number",
     ".nan"},

    /* DOM_NONNEG */
    {"q: {dist: normal, mean: 10, sd: 2}\n", DOM_NONNEG,
     "'q': a normal can go negative here; add 'min: 0' to truncate it", "normal"},
    {"q: {dist: normal, mean: 10, sd: 2, max: 20}\n", DOM_NONNEG,
     "'q': a normal can go negative here", "normal"},
    {"q: {dist: normal, mean: 10, sd: 2, min: -1}\n", DOM_NONNEG,
     "'q': min (-1) must not be negative", "-1"},
    {"q: {dist: uniform, min: -1, max: 2}\n", DOM_NONNEG, "'q': min (-1) must not be negative",
     "-1"},
    {"q: {dist: triangular, min: -1, mode: 0, max: 2}\n", DOM_NONNEG,
     "'q': min (-1) must not be negative", "-1"},
    {"q: {dist: pert, min: -5, mode: 0, max: 2}\n", DOM_NONNEG,
     "'q': min (-5) must not be negative", "-5"},
    {"q: -3\n", DOM_NONNEG, "'q' (-3) must not be negative", "-3"},
    {"q: {dist: discrete, values: [1, -1], weights: [1, 1]}\n", DOM_NONNEG,
     "'q': values[1] (-1) must not be negative", "-1"},
    {"q: {dist: empirical, values: [3, -0.5]}\n", DOM_NONNEG,
     "'q': values[1] (-0.5) must not be negative", "-0.5"},

    /* DOM_POSITIVE */
    {"q: 0\n", DOM_POSITIVE, "'q' (0) must be positive", "0"},
    {"q: {dist: discrete, values: [0, 1], weights: [1, 1]}\n", DOM_POSITIVE,
     "'q': values[0] (0) must be positive", "0,"},
    {"q: {dist: empirical, values: [2, 0]}\n", DOM_POSITIVE, "'q': values[1] (0) must be positive",
     "0]"},
    {"q: {dist: uniform, min: 0, max: 0}\n", DOM_POSITIVE, "'q': max (0) must be positive", "0}"},
    {"q: {dist: normal, mean: 1, sd: 1}\n", DOM_POSITIVE, "a normal can go negative here",
     "normal"},
    {"q: {dist: uniform, min: -1, max: 1}\n", DOM_POSITIVE, "'q': min (-1) must not be negative",
     "-1"},

    /* DOM_PROB */
    {"q: 1.5\n", DOM_PROB, "'q' (1.5) must lie within [0, 1] for a probability", "1.5"},
    {"q: -0.1\n", DOM_PROB, "'q' (-0.1) must lie within [0, 1] for a probability", "-0.1"},
    {"q: {dist: uniform, min: 0.2, max: 1.2}\n", DOM_PROB,
     "'q': max (1.2) must lie within [0, 1] for a probability", "1.2"},
    {"q: {dist: uniform, min: -0.2, max: 0.5}\n", DOM_PROB,
     "'q': min (-0.2) must lie within [0, 1] for a probability", "-0.2"},
    {"q: {dist: triangular, min: 0, mode: 0.5, max: 2}\n", DOM_PROB,
     "'q': max (2) must lie within [0, 1]", "2}"},
    {"q: {dist: pert, min: 0.1, mode: 0.5, max: 1.5}\n", DOM_PROB,
     "'q': max (1.5) must lie within [0, 1]", "1.5"},
    {"q: {dist: normal, mean: 0.5, sd: 0.1}\n", DOM_PROB,
     "'q': a normal can leave [0, 1] here; add 'min: 0' and 'max: 1' to truncate it", "normal"},
    {"q: {dist: normal, mean: 0.5, sd: 0.1, min: 0}\n", DOM_PROB, "add 'max: 1' to truncate it",
     "normal"},
    {"q: {dist: normal, mean: 0.5, sd: 0.1, max: 1}\n", DOM_PROB, "add 'min: 0' to truncate it",
     "normal"},
    {"q: {dist: normal, mean: 0.5, sd: 0.1, min: 0, max: 1.5}\n", DOM_PROB,
     "'q': max (1.5) must lie within [0, 1]", "1.5"},
    {"q: {dist: lognormal, median: 0.2, p90: 0.5}\n", DOM_PROB,
     "'q': a lognormal can exceed 1 here; use a beta or a pert for a probability", "lognormal"},
    {"q: {dist: gamma, shape: 2, scale: 0.1}\n", DOM_PROB, "'q': a gamma can exceed 1 here",
     "gamma"},
    {"q: {dist: discrete, values: [0.5, 2], weights: [1, 1]}\n", DOM_PROB,
     "'q': values[1] (2) must lie within [0, 1] for a probability", "2]"},
    {"q: {dist: empirical, values: [0.5, -0.1]}\n", DOM_PROB,
     "'q': values[1] (-0.1) must lie within [0, 1]", "-0.1"},

    /* block style: lines and columns beyond the first */
    {"a: 1\nq:\n  dist: pert\n  min: 1\n  max: 3\n", DOM_ANY, "'q': a pert needs 'mode'", "dist"},
    {"q:\n  dist: normal\n  mean: 10\n  sd: -2\n", DOM_ANY, "'q': sd (-2) must be positive", "-2"},
    {"q:\n  dist: uniform\n  min: 1\n  mxa: 3\n", DOM_ANY,
     "unknown key 'mxa' in 'q' (did you mean 'max'?)", "mxa"},
    {"q:\n  - 1\n  - 2\n", DOM_ANY, "'q' must be a number or a {dist: ...} mapping, not a list",
     "- 1"},
};

static void position_of(const char *yaml, const char *at, int *line, int *col)
{
    const char *p = strstr(yaml, at);
    assert_non_null(p);
    *line = 1;
    *col = 1;
    for (const char *s = yaml; s < p; s++) {
        if (*s == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static void test_invalid(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dist x;
        diag d;
        int line, col;
        position_of(bad[i].yaml, bad[i].at, &line, &col);
        int rc = parse(bad[i].yaml, bad[i].dom, &x, &d);
        if (rc == 0) {
            print_error("accepted: %s", bad[i].yaml);
            failures++;
            dist_release(&x);
            continue;
        }
        /* On failure the output owns nothing. */
        assert_true(x.kind == DIST_CONST && x.values == NULL && x.table == NULL);
        if (d.kind != DIAG_INPUT || !strstr(d.msg, bad[i].msg) || d.line != line ||
            d.col != col || strcmp(d.file, "t.yaml") != 0) {
            print_error("%s  got      %s:%d:%d: %s\n  expected %d:%d: ...%s...\n", bad[i].yaml,
                        d.file, d.line, d.col, d.msg, line, col, bad[i].msg);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* A missing node is an input error, not a crash. */
static void test_missing_node(void **state)
{
    (void)state;
    dist x;
    diag d;
    diag_clear(&d);
    assert_int_equal(dist_parse(NULL, NULL, "work.cod", DOM_ANY, &x, &d), -1);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_non_null(strstr(d.msg, "'work.cod' is missing"));
    assert_true(dist_is_const(&x));
}

/* The envelope sampler behind PERT and beta with shapes >= 1 (dist.c):
 * 2,000,000 draws each against the exact CDF, where a bias of a few parts
 * in a thousand in any region would show (KS at p ≈ 0.001), including
 * the shapes of 1 where the density is flat or does not vanish at an
 * end. */
static void test_beta_envelope(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "q: {dist: pert, min: 3, mode: 8, max: 20}",
        "q: {dist: pert, min: 0, mode: 0, max: 1}",
        "q: {dist: beta, alpha: 1.5, beta: 30}",
        "q: {dist: beta, alpha: 1, beta: 1}",
        "q: {dist: beta, alpha: 1, beta: 3}",
        "q: {dist: beta, alpha: 200, beta: 200}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dist x = parse_ok(cases[i], DOM_ANY);
        assert_non_null(x.table); /* the envelope is in use */
        double *v = draw(&x, cases[i], 2000000);
        check_moments(cases[i], &x, v, 2000000);
        check_ks(cases[i], &x, v, 2000000);
        free(v);
        dist_release(&x);
    }
}

/* dist_inv is the exact inverse of dist_cdf: F(F⁻¹(u)) = u on a grid for
 * every continuous form, and for the discrete forms the smallest value
 * whose CDF reaches u. */
static void test_inverse_cdf(void **state)
{
    (void)state;
    static const char *const cont[] = {
        "q: {dist: uniform, min: 2, max: 9}",
        "q: {dist: triangular, min: 2, mode: 4, max: 9}",
        "q: {dist: triangular, min: 2, mode: 2, max: 9}",
        "q: {dist: pert, min: 30, mode: 35, max: 60}",
        "q: {dist: pert, min: 0, mode: 1, max: 10, lambda: 8}",
        "q: {dist: normal, mean: 40, sd: 5}",
        "q: {dist: normal, mean: 40, sd: 20, min: 35, max: 90}",
        "q: {dist: normal, mean: 0, sd: 1, min: 4, max: 9}",
        "q: {dist: lognormal, median: 40, p90: 70}",
        "q: {dist: gamma, shape: 0.7, scale: 15}",
        "q: {dist: gamma, shape: 24.5, scale: 0.011}",
        "q: {dist: beta, alpha: 2, beta: 5}",
    };
    for (size_t i = 0; i < sizeof cont / sizeof cont[0]; i++) {
        dist x = parse_ok(cont[i], DOM_ANY);
        for (int k = 1; k < 1000; k++) {
            double u = k / 1000.0, v = dist_inv(&x, u);
            if (!(fabs(dist_cdf(&x, v) - u) < 1e-9)) {
                print_error("%s: F(F^-1(%g)) = %.12g\n", cont[i], u, dist_cdf(&x, v));
                fail();
            }
        }
        dist_release(&x);
    }
    static const char *const disc[] = {
        "q: {dist: discrete, values: [5, 1, 3], weights: [1, 2, 1]}",
        "q: {dist: empirical, values: [7, 2, 2, 9, 4]}",
    };
    for (size_t i = 0; i < 2; i++) {
        dist x = parse_ok(disc[i], DOM_ANY);
        for (int k = 1; k < 1000; k++) {
            double u = k / 1000.0, v = dist_inv(&x, u);
            assert_true(dist_cdf(&x, v) >= u - 1e-12);
            /* no smaller value of the support reaches u */
            for (size_t j = 0; j < x.n; j++)
                if (x.values[j] < v)
                    assert_true(dist_cdf(&x, x.values[j]) < u);
        }
        dist_release(&x);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inverse_cdf),
        cmocka_unit_test(test_beta_envelope),
        cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_triangular),
        cmocka_unit_test(test_pert),
        cmocka_unit_test(test_normal),
        cmocka_unit_test(test_normal_truncated),
        cmocka_unit_test(test_lognormal),
        cmocka_unit_test(test_gamma),
        cmocka_unit_test(test_beta),
        cmocka_unit_test(test_discrete),
        cmocka_unit_test(test_empirical),
        cmocka_unit_test(test_constant),
        cmocka_unit_test(test_parameterisations),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_support),
        cmocka_unit_test(test_copy_release),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_valid_domains),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_missing_node),
    };
    return cmocka_run_group_tests_name("dist", tests, NULL, NULL);
}
