/*
 * Tests for what MPI ranks rest on, in one process (sim/output/shard.h,
 * sim/engine/cmpi.h): shard_distribute, whose per-trial arrays move by
 * cmpi_gather_rows, gives eng_run's arrays bit for bit, and with
 * eng_opts.metrics_read / months_read the rows read bit for bit and the
 * others NaN; cmpi_deal is the sequential loop (records in order, the
 * first failing job's diag, nothing run after it).  tests/cli/mpi.sh runs
 * the same code on 1 to 4 ranks.
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

#include <gsl/gsl_errno.h>

#include "testutil.h"
#include "cmpi.h"
#include "engine.h"
#include "scenario.h"
#include "shard.h"

static const char *const yaml =
    "capmix: 1\nseed: 9\n"
    "work: {outcomes: 6, horizon_days: 90, cost_of_delay: {per_day: {dist: uniform, min: 100, max: 900}}}\n"
    "alternatives:\n"
    "  - name: pod\n"
    "    sources:\n"
    "      - kind: offshore_pod\n"
    "        name: p\n"
    "        headcount: 3\n"
    "        hourly_rate: {dist: pert, min: 30, mode: 35, max: 60}\n"
    "        throughput_per_month: {dist: lognormal, median: 3, p90: 6}\n"
    "        outcomes: {observed: {accepted: 14, rework: 6, superseded: 4}}\n"
    "  - name: team\n"
    "    baseline: true\n"
    "    sources:\n"
    "      - kind: in_house\n"
    "        name: t\n"
    "        headcount: 2\n"
    "        loaded_annual: 200000\n"
    "        throughput_per_month: {dist: gamma, mean: 5, sd: 2}\n"
    "        outcomes: {accepted: 0.8, rework: 0.2}\n";

/* 3 blocks, the last one short */
#define N (2 * ENG_BLOCK + 77)

static int all_nan(const double *x, size_t n)
{
    for (size_t t = 0; t < n; t++)
        if (!isnan(x[t]))
            return 0;
    return 1;
}

/* Every metric and snapshot as eng_run's; then only the metrics and
 * snapshots read, the rest NaN. */
static void test_distribute_rows(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(yaml);
    eng_opts o = {.trials = N, .seed = s->seed, .threads = 2, .monthly = 1};
    eng_results *ref = tu_run(s, &o), *got = NULL;
    diag d = {0};
    assert_int_equal(shard_distribute(s, &o, &got, 1, &d), 0);
    assert_int_equal(got->trials, N);
    assert_int_equal(got->months, ref->months);
    const size_t cells = s->nalts * M_COUNT * (size_t)N, mc = s->nalts * (size_t)ref->months * N;
    assert_memory_equal(got->data, ref->data, cells * sizeof(double));
    assert_memory_equal(got->month_cost, ref->month_cost, mc * sizeof(double));
    assert_memory_equal(got->month_accepted, ref->month_accepted, mc * sizeof(double));
    assert_memory_equal(got->month_stop_cost, ref->month_stop_cost, mc * sizeof(double));
    assert_memory_equal(got->cod_per_day, ref->cod_per_day, N * sizeof(double));
    assert_memory_equal(got->senior_rate, ref->senior_rate, N * sizeof(double));
    assert_true(got->pass_count == ref->pass_count);
    eng_results_free(got);

    o.metrics_read = 1u << M_COST_TOTAL | 1u << M_DELIVERED;
    o.months_read = 2; /* month_accepted */
    assert_int_equal(shard_distribute(s, &o, &got, 1, &d), 0);
    for (size_t a = 0; a < s->nalts; a++)
        for (int m = 0; m < M_COUNT; m++) {
            const double *x = eng_metric_data(got, a, (eng_metric)m);
            if (m == M_COST_TOTAL || m == M_DELIVERED)
                assert_memory_equal(x, eng_metric_data(ref, a, (eng_metric)m), N * sizeof(double));
            else
                assert_true(all_nan(x, N));
        }
    assert_memory_equal(got->month_accepted, ref->month_accepted, mc * sizeof(double));
    assert_true(all_nan(got->month_cost, mc));
    assert_true(all_nan(got->month_stop_cost, mc));
    assert_memory_equal(got->target_day, ref->target_day, N * sizeof(double));
    eng_results_free(got);
    eng_results_free(ref);
    scn_free(s);
}

typedef struct jobs {
    int ran[8];
    int fail_at; /* -1: none */
} jobs;

static int job(void *ctx, size_t i, void *rec, diag *d)
{
    jobs *J = ctx;
    J->ran[i]++;
    if ((int)i >= J->fail_at && J->fail_at >= 0)
        return diag_input(d, "x.yaml", (int)i + 1, 1, "job %zu refused", i);
    *(double *)rec = 10.0 * (double)i + 0.5;
    return 0;
}

static void test_deal_is_the_loop(void **state)
{
    (void)state;
    jobs J = {{0}, -1};
    double rec[6] = {0};
    diag d = {0};
    assert_int_equal(cmpi_deal(6, sizeof rec[0], rec, job, &J, &d), 0);
    for (int i = 0; i < 6; i++) {
        assert_true(rec[i] == 10.0 * i + 0.5);
        assert_int_equal(J.ran[i], 1);
    }
    /* jobs 3, 4, 5 would fail: the loop stops at 3 with its diag */
    jobs K = {{0}, 3};
    double r2[6] = {0};
    assert_int_equal(cmpi_deal(6, sizeof r2[0], r2, job, &K, &d), -1);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_int_equal(d.line, 4);
    assert_string_equal(d.msg, "job 3 refused");
    assert_true(r2[2] == 20.5);
    assert_int_equal(K.ran[3], 1);
    assert_int_equal(K.ran[4], 0);
    assert_int_equal(K.ran[5], 0);
    /* no jobs: nothing to do */
    assert_int_equal(cmpi_deal(0, sizeof r2[0], r2, job, &K, &d), 0);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distribute_rows),
        cmocka_unit_test(test_deal_is_the_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
