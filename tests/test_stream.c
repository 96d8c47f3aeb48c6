/*
 * Tests for streaming statistics (sim/engine/stream.c, `run --stream`).
 *
 * The same scenario and seed are simulated with per-trial arrays and
 * streamed.  Exact against the arrays: counts, min, max, P(a < baseline),
 * P(metric > value) and the quantiles of count metrics; to rounding
 * (1e-12 relative): mean, sd, SE and the paired differences; within the
 * documented STM_REL_ERROR (relative): every other quantile and CVaR95.
 * Streams are bit-identical for any thread count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "testutil.h"
#include "engine.h"
#include "scenario.h"
#include "scnload.h"
#include "stats.h"
#include "stream.h"

/* Two alternatives; a short horizon so that some pod trials accept nothing
 * (cost_per_outcome +Inf, cycle_days null). */
static const char *const yaml =
    "capmix: 1\nseed: 9\n"
    "work: {outcomes: 6, horizon_days: 60, cost_of_delay: {per_day: {dist: uniform, min: 100, max: 900}}}\n"
    "alternatives:\n"
    "  - name: pod\n"
    "    sources:\n"
    "      - kind: offshore_pod\n"
    "        name: p\n"
    "        headcount: 3\n"
    "        hourly_rate: {dist: pert, min: 30, mode: 35, max: 60}\n"
    "        throughput_per_month: {dist: lognormal, median: 3, p90: 6}\n"
    "        outcomes: {observed: {accepted: 14, rework: 6, superseded: 4}}\n"
    "        review_wait_days: {dist: triangular, min: 1, mode: 3, max: 9}\n"
    "  - name: team\n"
    "    sources:\n"
    "      - kind: in_house\n"
    "        name: t\n"
    "        headcount: 2\n"
    "        loaded_annual: 200000\n"
    "        throughput_per_month: {dist: gamma, mean: 5, sd: 2}\n"
    "        outcomes: {accepted: 0.8, rework: 0.2}\n";

#define N 50000

static stm_run *stream_run(const scn_scenario *s, int threads, const eng_metric *am,
                           const double *av, int nabove)
{
    stm_run *st = stm_new(s->nalts, s->baseline, threads, am, av, nabove);
    assert_non_null(st);
    eng_opts o = {.trials = N, .seed = s->seed, .threads = threads, .on_block = stm_block,
                  .block_ctx = st};
    eng_results *r = NULL;
    diag d;
    diag_clear(&d);
    assert_int_equal(eng_run(s, &o, &r, &d), 0);
    assert_null(r->data);
    assert_int_equal(r->trials, N);
    eng_results_free(r);
    return st;
}

static int is_count(int m)
{
    return m == M_ACCEPTED || m == M_PASSES || m == M_REWORK_PASSES || m == M_SUPERSEDED ||
           m == M_DELIVERED;
}

static void near_rel(double got, double want, double rel, const char *what, int m)
{
    if (isinf(want) || isnan(want)) {
        if (!(got == want || (isnan(got) && isnan(want)))) {
            print_error("%s of %s: %.17g, want %.17g\n", what, eng_metric_name((eng_metric)m), got, want);
            fail();
        }
        return;
    }
    if (!(fabs(got - want) <= rel * fabs(want) + 1e-300)) {
        print_error("%s of %s: %.17g, want %.17g within %.3g relative\n", what,
                    eng_metric_name((eng_metric)m), got, want, rel);
        fail();
    }
}

static void test_against_arrays(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(yaml);
    eng_metric am[2] = {M_COST_TOTAL, M_DELIVERY_DAY};
    double av[2] = {60000, 59.5};
    stm_run *st = stream_run(s, 2, am, av, 2);
    eng_opts o = {.trials = N, .seed = s->seed, .threads = 2};
    eng_results *r = NULL;
    diag d;
    assert_int_equal(eng_run(s, &o, &r, &d), 0);
    double *scratch = malloc(N * sizeof *scratch);
    int saw_inf = 0;
    for (size_t a = 0; a < s->nalts; a++)
        for (int m = 0; m < M_COUNT; m++) {
            stats_summary want, got;
            stats_summarise(eng_metric_data(r, a, (eng_metric)m), N, scratch, &want);
            stm_summary(st, a, (eng_metric)m, &got);
            assert_int_equal(got.n, want.n);
            assert_int_equal(got.n_inf, want.n_inf);
            assert_int_equal(got.n_null, want.n_null);
            saw_inf |= want.n_inf > 0;
            if (!want.n)
                continue;
            assert_true(got.min == want.min);
            assert_true(got.max == want.max);
            near_rel(got.mean, want.mean, 1e-12, "mean", m);
            /* an sd that is pure rounding (a metric constant up to ulps)
             * is compared against the mean's scale */
            assert_near(got.sd, want.sd, 1e-9 * want.sd + 1e-12 * fabs(want.mean));
            assert_near(got.se, want.se, 1e-9 * want.se + 1e-12 * fabs(want.mean));
            double q = is_count(m) ? 0 : STM_REL_ERROR * (1 + 1e-9);
            const double *gq = &got.p5, *wq = &want.p5;
            for (int k = 0; k < 7; k++) /* p5 p10 p25 p50 p75 p90 p95 */
                near_rel(gq[k], wq[k], q, "quantile", m);
            near_rel(got.cvar95, want.cvar95, q, "cvar95", m);
            if (a != s->baseline) {
                stats_paired pw, pg;
                stats_paired_diff(eng_metric_data(r, a, (eng_metric)m),
                                  eng_metric_data(r, s->baseline, (eng_metric)m), N, &pw);
                stm_paired(st, a, (eng_metric)m, &pg);
                assert_int_equal(pg.n, pw.n);
                assert_true(pg.p_lower == pw.p_lower);
                assert_near(pg.mean_diff, pw.mean_diff, 1e-9 * (fabs(pw.mean_diff) + pw.se));
                near_rel(pg.se, pw.se, 1e-9, "paired se", m);
            }
        }
    /* the scenario was built to have trials with nothing accepted */
    assert_true(saw_inf);
    for (size_t a = 0; a < s->nalts; a++)
        for (int k = 0; k < 2; k++)
            assert_true(stm_prob_above(st, a, k) ==
                        stats_prob_above(eng_metric_data(r, a, am[k]), N, av[k]));
    free(scratch);
    eng_results_free(r);
    stm_free(st);
    scn_free(s);
}

static void test_thread_count(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(yaml);
    stm_run *a = stream_run(s, 1, NULL, NULL, 0), *b = stream_run(s, 3, NULL, NULL, 0);
    for (size_t k = 0; k < s->nalts; k++)
        for (int m = 0; m < M_COUNT; m++) {
            stats_summary x, y;
            stats_paired px, py;
            memset(&x, 0, sizeof x);
            memset(&y, 0, sizeof y);
            memset(&px, 0, sizeof px);
            memset(&py, 0, sizeof py);
            stm_summary(a, k, (eng_metric)m, &x);
            stm_summary(b, k, (eng_metric)m, &y);
            assert_memory_equal(&x, &y, sizeof x);
            if (k != s->baseline) {
                stm_paired(a, k, (eng_metric)m, &px);
                stm_paired(b, k, (eng_metric)m, &py);
                assert_memory_equal(&px, &py, sizeof px);
            }
        }
    stm_free(a);
    stm_free(b);
    scn_free(s);
}

/* A failing run (a NaN metric) must not leave a worker waiting for a
 * block that will never come: the run returns its error. */
static void test_abort(void **state)
{
    (void)state;
    stm_run *st = stm_new(1, 0, 2, NULL, NULL, 0);
    assert_non_null(st);
    stm_block(st, 0, UINT64_MAX, NULL, 0); /* the engine's "giving up" call */
    double m[M_COUNT * ENG_BLOCK];
    memset(m, 0, sizeof m);
    stm_block(st, 1, 500, m, 1); /* far beyond the window: returns at once */
    stm_free(st);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_arrays),
        cmocka_unit_test(test_thread_count),
        cmocka_unit_test(test_abort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
