/*
 * Issue 14's limits (classes 2, 4 and 8): samplers bounded for every
 * parameter the loader accepts, with draws still from the distribution;
 * ordinary parameters keep their random stream; and the load-time bounds
 * (horizon, passes a trial, token bill, trials) refuse with a position.
 *
 * The statistical checks follow test_dist.c: a fixed seed, the mean within
 * 5 standard errors of the exact mean.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>

#include "testutil.h"
#include "bounds.h"
#include "dist.h"
#include "rng.h"
#include "scenario.h"
#include "scnload.h"
#include "distparse.h"
#include "yamltree.h"

#define NDRAW 100000

static dist parse_ok(const char *yaml, dist_domain dom)
{
    yt_doc *doc = NULL;
    diag d;
    dist x = dist_const(0);
    diag_clear(&d);
    if (yt_load_buffer("t.yaml", yaml, strlen(yaml), &doc, &d) ||
        dist_parse(doc, yt_get(doc->root, "q", NULL), "q", dom, &x, &d)) {
        print_error("%s rejected: %d:%d: %s\n", yaml, d.line, d.col, d.msg);
        yt_free(doc);
        fail();
    }
    yt_free(doc);
    return x;
}

static gsl_rng *seeded(const char *name)
{
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    assert_non_null(r);
    rng_seed_stream(r, rng_stream_key(20261206, RNG_DOMAIN_ALT, name, 0));
    return r;
}

/* NDRAW draws: their mean within 5 SE of the exact mean, every draw inside
 * the support, and the time taken bounded (seconds, not hours). */
static void check_draws(const char *yaml, dist_domain dom)
{
    dist x = parse_ok(yaml, dom);
    gsl_rng *r = seeded(yaml);
    double lo, hi, sum = 0, sum2 = 0, mean = dist_mean(&x);
    dist_support(&x, &lo, &hi);
    clock_t t0 = clock();
    for (int i = 0; i < NDRAW; i++) {
        double v = dist_sample(&x, r);
        if (!(v >= lo && v <= hi)) {
            print_error("%s: draw %d = %.17g outside [%g, %g]\n", yaml, i, v, lo, hi);
            fail();
        }
        /* deviations, not values: a sum of values near 5 would round away
         * a spread of 1e-12 */
        sum += v - mean;
        sum2 += (v - mean) * (v - mean);
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* 1e5 draws: about 2 ms on the fast paths, at most 0.5 s with the
     * 256-try cap; an unbounded loop would take hours */
    if (secs > 10) {
        print_error("%s: %d draws took %.1f s\n", yaml, NDRAW, secs);
        fail();
    }
    /* 5 SE (from the sample's own SD: dist_sd loses its digits for a
     * window of 1e-5 sd), and no less than two units in the last place of
     * the mean, which draws near it are rounded to */
    double var = (sum2 - sum * sum / NDRAW) / (NDRAW - 1);
    assert_near(sum / NDRAW, 0, fmax(5 * sqrt(var > 0 ? var : 0) / sqrt((double)NDRAW), 2 * DBL_EPSILON * fabs(mean)));
    gsl_rng_free(r);
    dist_release(&x);
}

/* Shapes so peaked that the envelope accepted about one point in 1e12:
 * now gsl_ran_beta's bounded method, still Beta(a, b). */
static void test_peaked_beta_and_pert(void **state)
{
    (void)state;
    check_draws("q: {dist: beta, alpha: 1e15, beta: 1}", DOM_PROB);
    check_draws("q: {dist: beta, alpha: 1, beta: 1e15}", DOM_PROB);
    check_draws("q: {dist: beta, alpha: 1e12, beta: 1e12}", DOM_PROB);
    check_draws("q: {dist: beta, alpha: 2e5, beta: 3e5}", DOM_PROB);
    check_draws("q: {dist: pert, min: 0, mode: 5, max: 5, lambda: 1e12}", DOM_NONNEG);
    check_draws("q: {dist: pert, min: 1, mode: 1, max: 9, lambda: 1e9}", DOM_NONNEG);
    check_draws("q: {dist: pert, min: 1, mode: 3, max: 9, lambda: 1e7}", DOM_NONNEG);
}

/* Which beta and pert keep the envelope: the shapes people write, yes;
 * the spikes, no (their tables would be wasted). */
static void test_envelope_only_where_it_accepts(void **state)
{
    static const char *const kept[] = {
        "q: {dist: pert, min: 1, mode: 2, max: 6}",
        "q: {dist: pert, min: 0, mode: 10, max: 10}",
        "q: {dist: pert, min: 0, mode: 3, max: 10, lambda: 40}",
        "q: {dist: beta, alpha: 2, beta: 5}",
        "q: {dist: beta, alpha: 1, beta: 1}",
        "q: {dist: beta, alpha: 300, beta: 100}",
        "q: {dist: beta, alpha: 1000, beta: 1000}",
        "q: {dist: beta, alpha: 4000, beta: 1}",
    };
    static const char *const dropped[] = {
        "q: {dist: beta, alpha: 1e15, beta: 1}",
        "q: {dist: pert, min: 0, mode: 5, max: 5, lambda: 1e12}",
        "q: {dist: beta, alpha: 1e7, beta: 1e7}",
        "q: {dist: beta, alpha: 1e6, beta: 1}",
    };
    (void)state;
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        dist x = parse_ok(kept[i], DOM_NONNEG);
        if (!x.table) {
            print_error("%s: no envelope\n", kept[i]);
            fail();
        }
        dist_release(&x);
    }
    for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++) {
        dist x = parse_ok(dropped[i], DOM_NONNEG);
        if (x.table) {
            print_error("%s: an envelope that would almost never accept\n", dropped[i]);
            fail();
        }
        dist_release(&x);
    }
}

/* A truncation window holding 1e-6 of the normal (the least the loader
 * takes): resampling needed a million draws a value; after 256 tries the
 * exact inverse CDF takes over. */
static void test_narrow_truncated_normal(void **state)
{
    (void)state;
    check_draws("q: {dist: normal, mean: 0, sd: 1, min: 4.7, max: 5}", DOM_ANY);
    check_draws("q: {dist: normal, mean: 0, sd: 1, max: -4.75}", DOM_ANY);
    check_draws("q: {dist: normal, mean: 10, sd: 2, min: 10.00001, max: 10.00002}", DOM_NONNEG);
}

/* An ordinary truncation draws exactly what plain resampling draws: the
 * cap never bites, so no existing figure moves. */
static void test_ordinary_stream_unchanged(void **state)
{
    dist x = parse_ok("q: {dist: normal, mean: 1, sd: 2, min: 0}", DOM_NONNEG);
    gsl_rng *r1 = seeded("same"), *r2 = seeded("same");
    (void)state;
    for (int i = 0; i < NDRAW; i++) {
        double v;
        do
            v = x.a + gsl_ran_gaussian_ziggurat(r2, x.b);
        while (v < x.lo || v > x.hi);
        double w = dist_sample(&x, r1);
        if (v != w) {
            print_error("draw %d: %.17g, plain resampling %.17g\n", i, w, v);
            fail();
        }
    }
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}

/* ---- load-time bounds ------------------------------------------------- */

/* a token bill the bounds accept, for the checks of other bounds */
#define TOK "        tokens: {monthly: 100}\n"

static const char *const tail =
    "alternatives:\n"
    "  - name: a\n"
    "    sources:\n"
    "      - kind: ai_team\n"
    "        headcount: 2\n"
    "        loaded_annual: 200000\n";

/* Load "capmix: 1\n" + head + tail + extra; returns 0 or -1 with d set. */
static int load(const char *head, const char *extra, diag *d)
{
    char buf[2048];
    scn_scenario *s = NULL;
    snprintf(buf, sizeof buf, "capmix: 1\n%s%s%s", head, tail, extra);
    diag_clear(d);
    int rc = scn_load_buffer("t.yaml", buf, strlen(buf), &s, d);
    scn_free(s);
    return rc;
}

static void expect_error(const char *head, const char *extra, int line, int col, const char *sub)
{
    diag d;
    if (load(head, extra, &d) == 0) {
        print_error("accepted: %s ... %s\n", head, extra);
        fail();
    }
    if (d.kind != DIAG_INPUT || d.line != line || d.col != col || !strstr(d.msg, sub)) {
        print_error("%d:%d: %s (kind %d), want %d:%d: ...%s...\n", d.line, d.col, d.msg, d.kind,
                    line, col, sub);
        fail();
    }
}

static void expect_ok(const char *head, const char *extra)
{
    diag d;
    if (load(head, extra, &d)) {
        print_error("rejected: %d:%d: %s\n", d.line, d.col, d.msg);
        fail();
    }
}

static void test_horizon_limit(void **state)
{
    (void)state;
    expect_ok("work: {horizon_days: 36500}\n", "        throughput_per_month: 3\n" TOK);
    expect_ok("work: {horizon_months: 1200}\n", "        throughput_per_month: 3\n" TOK);
    expect_error("work: {horizon_days: 36501}\n", "        throughput_per_month: 3\n", 2, 22,
                 "'work.horizon_days' is 36501 days, beyond the 36500 days (a century)");
    expect_error("work: {horizon_months: 1201}\n", "        throughput_per_month: 3\n", 2, 24,
                 "'work.horizon_months' is 36530.4 days");
    /* where the month count overflowed an int */
    expect_error("work: {horizon_days: 6.5e10}\n", "        throughput_per_month: 3\n", 2, 22,
                 "beyond the 36500 days");
}

static void test_passes_limit(void **state)
{
    (void)state;
    /* 1e7 passes over 365 days: 833,333 a month is at the limit */
    expect_ok("work: {horizon_days: 365}\n", "        throughput_per_month: 8e5\n" TOK);
    expect_error("work: {horizon_days: 365}\n", "        throughput_per_month: 9e5\n" TOK, 6, 9,
                 "alternative 'a' would simulate about 1.08e+07 passes a trial");
    /* small items make more passes of the same throughput */
    expect_error("work: {horizon_days: 365}\n",
                 "        throughput_per_month: 3e5\n        item_size: {dist: uniform, min: 0, max: 0.1}\n" TOK,
                 6, 9, "passes a trial");
}

static void test_token_bill_limit(void **state)
{
    (void)state;
    /* 1.1^1200 = 1e49.7: finite, accepted */
    expect_ok("work: {horizon_months: 1200}\n",
              "        throughput_per_month: 3\n        tokens: {monthly: 1000, growth_per_month: 0.1}\n");
    /* 11^1200 overflows; so does 3^700 */
    expect_error("work: {horizon_months: 1200}\n",
                 "        throughput_per_month: 3\n        tokens: {monthly: 1000, growth_per_month: 10}\n",
                 10, 51, "the token bill reaches inf");
    expect_error("work: {horizon_months: 700}\n",
                 "        throughput_per_month: 3\n        tokens: {monthly: 1, growth_per_month: 2}\n",
                 10, 48, "beyond the 1e+150 a run can add up");
    /* a lognormal bill is bounded by its 1 - 1e-12 quantile, not refused
     * for its infinite support */
    expect_ok("work: {horizon_months: 120}\n",
              "        throughput_per_month: 3\n"
              "        tokens: {monthly: {dist: lognormal, median: 1000, p90: 3000}, growth_per_month: 0.1}\n");
}

static void test_trials_at_least_two(void **state)
{
    (void)state;
    expect_ok("trials: 2\nwork: {horizon_days: 90}\n", "        throughput_per_month: 3\n" TOK);
    expect_error("trials: 1\nwork: {horizon_days: 90}\n", "        throughput_per_month: 3\n", 2, 9,
                 "'trials' must be an integer from 2 to 100000000");
    assert_int_equal(SCN_MIN_TRIALS, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peaked_beta_and_pert),
        cmocka_unit_test(test_envelope_only_where_it_accepts),
        cmocka_unit_test(test_narrow_truncated_normal),
        cmocka_unit_test(test_ordinary_stream_unchanged),
        cmocka_unit_test(test_horizon_limit),
        cmocka_unit_test(test_passes_limit),
        cmocka_unit_test(test_token_bill_limit),
        cmocka_unit_test(test_trials_at_least_two),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
