/*
 * callanes: lanes (passes in progress, Little's law) recovered from
 * synthetic ticket histories drawn with known lanes, utilisation,
 * throughput and outcome mix; each estimate within 3 of its SEs of the
 * truth, over several cases (model §10).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "calibrate.h"
#include "callanes.h"
#include "csv.h"

#define DAY 86400LL
#define T0 (18262LL * DAY) /* 2020-01-01 */

typedef struct lane_truth {
    int lanes;
    double pass_mean, gap_mean; /* days: a lane's pass, then its idle gap (0: never idle) */
    double days;                /* passes start before this */
    double p[3];                /* verdicts: accepted, rework, superseded */
    unsigned long seed;
} lane_truth;

typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        assert_true(k >= 0);
        if ((size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return;
        }
        b->cap = 2 * b->cap + (size_t)k + 64;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
}

static const char *iso(char *o, size_t n, long long sec)
{
    char day[16];
    long long in_day = sec % DAY;
    cal_format_day(sec - in_day, 0, day, sizeof day);
    snprintf(o, n, "%sT%02lld:%02lld:%02lldZ", day, in_day / 3600, in_day / 60 % 60, in_day % 60);
    return o;
}

/* A history: every lane alternates passes and idle gaps (exponential),
 * from the stationary state at day 0; a pass started before tr->days is
 * in the export, finished.  One ticket per pass, its verdict drawn from p.
 * Returns the CSV; *counts the verdicts drawn. */
static char *draw(const lane_truth *tr, double counts[3])
{
    static const char *const oc[] = {"accepted", "rework", "superseded"};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, tr->seed);
    buf b = {NULL, 0, 0};
    char a[40], c[40];
    size_t id = 0;
    put(&b, "id,source,started,finished,outcome\n");
    counts[0] = counts[1] = counts[2] = 0;
    double u = tr->pass_mean / (tr->pass_mean + tr->gap_mean);
    for (int l = 0; l < tr->lanes; l++) {
        double t = 0;
        if (tr->gap_mean > 0 && gsl_rng_uniform(rng) >= u)
            t = gsl_ran_exponential(rng, tr->gap_mean); /* idle at day 0 */
        else if (tr->gap_mean > 0)
            t = -gsl_ran_exponential(rng, tr->pass_mean); /* the pass began before day 0 */
        while (t < tr->days) {
            double s = t < 0 ? 0 : t, f = t + gsl_ran_exponential(rng, tr->pass_mean);
            if (t < 0)
                f = gsl_ran_exponential(rng, tr->pass_mean); /* memoryless: what is left */
            double x = gsl_rng_uniform(rng);
            int v = x < tr->p[0] ? 0 : x < tr->p[0] + tr->p[1] ? 1 : 2;
            counts[v]++;
            put(&b, "T%zu,src,%s,%s,%s\n", id++, iso(a, sizeof a, T0 + llround(s * DAY)),
                iso(c, sizeof c, T0 + llround(f * DAY)), oc[v]);
            t = f + (tr->gap_mean > 0 ? gsl_ran_exponential(rng, tr->gap_mean) : 0);
        }
    }
    gsl_rng_free(rng);
    return b.s;
}

static void recover(const lane_truth *tr)
{
    double counts[3];
    char *text = draw(tr, counts);
    csv_table *t = NULL;
    cal_result *r = NULL;
    cal_opts o = {0, 0.5};
    diag d;
    diag_clear(&d);
    assert_int_equal(csv_load_buffer("t.csv", text, strlen(text), &t, &d), 0);
    assert_int_equal(cal_estimate(t, NULL, &o, &r, &d), 0);
    const cal_source *s = cal_find(r, "src");
    assert_non_null(s);
    assert_true(s->has_lanes);
    double u = tr->pass_mean / (tr->pass_mean + tr->gap_mean), L = tr->lanes * u;
    const cal_lanes *l = &s->lanes;
    print_message("lanes %d, pass %g, gap %g: true %.3f, est %.3f (SE %.3f, %d batches), "
                  "written %d\n",
                  tr->lanes, tr->pass_mean, tr->gap_mean, L, l->mean, l->se, l->batches, l->lanes);
    if (tr->gap_mean > 0) {
        assert_true(l->batches >= CAL_LANES_BATCH_MIN);
        assert_true(l->se > 0);
        if (!(fabs(l->mean - L) < 3 * l->se)) {
            print_error("lanes: est %g, true %g, SE %g\n", l->mean, L, l->se);
            fail();
        }
    } else {
        /* always busy: the count is constant but for the edges */
        assert_int_equal(l->lanes, tr->lanes);
        assert_true(fabs(l->mean - L) < 0.05 * L);
    }
    assert_int_equal(l->lanes, l->mean < 1.5 ? 1 : (int)lround(l->mean));
    /* throughput: passes a day, L / pass_mean, against its renewal SE */
    double lam = tr->lanes / (tr->pass_mean + tr->gap_mean), mu = tr->pass_mean + tr->gap_mean;
    double var1 = tr->pass_mean * tr->pass_mean + tr->gap_mean * tr->gap_mean;
    double se_lam = sqrt(tr->lanes * tr->days * var1 / (mu * mu * mu)) / tr->days;
    double lam_hat = s->items / s->days;
    if (!(fabs(lam_hat - lam) < 3 * se_lam + 0.02 * lam)) { /* + the edge of the window */
        print_error("throughput: est %g, true %g, SE %g\n", lam_hat, lam, se_lam);
        fail();
    }
    /* the outcome mix, against its binomial SE */
    double n = (double)s->tickets;
    for (int k = 0; k < OC_COUNT; k++) {
        double p = tr->p[k], se = sqrt(p * (1 - p) / n);
        assert_true(s->first[k] == counts[k]);
        if (!(fabs(s->first[k] / n - p) < 3 * se + 1e-9)) {
            print_error("outcome %d: est %g, true %g, SE %g\n", k, s->first[k] / n, p, se);
            fail();
        }
    }
    /* exact: the time-average is the clipped durations over the span */
    double busy = 0;
    busy = s->pass_first.mean * (double)s->pass_first.n;
    assert_true(fabs(l->mean - busy / s->days) < 1e-6 * l->mean);
    cal_result_free(r);
    csv_free(t);
    free(text);
}

static void test_recover_lanes(void **state)
{
    static const lane_truth cases[] = {
        {6, 10, 2, 4000, {0.6, 0.3, 0.1}, 1},  {6, 10, 2, 4000, {0.6, 0.3, 0.1}, 2},
        {3, 4, 4, 3000, {0.8, 0.15, 0.05}, 3}, {12, 6, 3, 2500, {0.5, 0.4, 0.1}, 4},
        {2, 12, 1, 6000, {0.7, 0.2, 0.1}, 5},  {8, 3, 9, 2000, {0.9, 0.05, 0.05}, 6},
        {1, 5, 5, 3000, {0.6, 0.3, 0.1}, 7},   {5, 8, 0, 1500, {0.6, 0.3, 0.1}, 8},
        {4, 2, 0, 600, {0.6, 0.3, 0.1}, 9},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        recover(&cases[i]);
}

/* Hand-checked: two passes overlapping for a day over a 4-day window. */
static void test_exact_small(void **state)
{
    const long long a[] = {0, 1 * DAY, 3 * DAY}, b[] = {2 * DAY, 3 * DAY, 4 * DAY};
    cal_lanes l;
    (void)state;
    assert_int_equal(cal_lanes_estimate(a, b, 3, 0, 4 * DAY, &l), 0);
    assert_true(fabs(l.mean - 5.0 / 4) < 1e-12); /* 2 + 2 + 1 days over 4 */
    assert_int_equal(l.lanes, 1);
    assert_int_equal(l.batches, 0);             /* 4 days < 6 mean passes of 5/3 */
    assert_true(isnan(l.se));
    assert_int_equal(cal_lanes_estimate(a, b, 3, 5, 5, &l), -1);
    /* clipped to the window: only [1, 3] of the passes counts */
    assert_int_equal(cal_lanes_estimate(a, b, 3, 1 * DAY, 3 * DAY, &l), 0);
    assert_true(fabs(l.mean - 3.0 / 2) < 1e-12); /* 1 + 2 + 0 days over 2 */
    assert_int_equal(l.lanes, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_small),
        cmocka_unit_test(test_recover_lanes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
