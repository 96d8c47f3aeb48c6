/*
 * Tests for the block-range hook of the engine and the stream
 * accumulators' save/load (sim/engine/engine.c, sim/engine/stream.c), on which shards
 * and MPI ranks rest (sim/output/shard.h, sim/engine/cmpi.h): a run's blocks computed in
 * ranges, in any split, give every trial bit for bit, and streamed ranges
 * saved and loaded in block order give the whole run's figures bit for
 * bit.  The CLI side (files, merge, refusals) is tests/cli/shard.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "testutil.h"
#include "engine.h"
#include "scenario.h"
#include "scnload.h"
#include "stats.h"
#include "stream.h"

static const char *const yaml =
    "capmix: 1\nseed: 5\n"
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

/* 7 blocks, the last one short */
#define N (6 * ENG_BLOCK + 300)

static eng_results *run(const scn_scenario *s, uint64_t lo, uint64_t hi, int threads, int monthly)
{
    eng_opts o = {.trials = N, .seed = s->seed, .threads = threads, .monthly = monthly,
                  .block_lo = lo, .block_hi = hi};
    return tu_run(s, &o);
}

/* Ranges [0,2) [2,3) [3,7) on 1 and 2 threads: every metric, work draw and
 * month-end snapshot of every trial as in the whole run. */
static void test_ranges_bit_identical(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(yaml);
    eng_results *all = run(s, 0, 0, 2, 1);
    assert_int_equal(all->trials, N);
    const uint64_t cut[] = {0, 2, 3, 7};
    for (int k = 0; k < 3; k++) {
        eng_results *p = run(s, cut[k], cut[k + 1], 1 + k % 2, 1);
        uint64_t t0 = cut[k] * ENG_BLOCK, end = cut[k + 1] * ENG_BLOCK < N ? cut[k + 1] * ENG_BLOCK : N;
        assert_int_equal(p->trials, end - t0);
        assert_int_equal(p->months, all->months);
        for (size_t a = 0; a < s->nalts; a++) {
            for (int m = 0; m < M_COUNT; m++)
                assert_memory_equal(eng_metric_data(p, a, (eng_metric)m),
                                    eng_metric_data(all, a, (eng_metric)m) + t0,
                                    p->trials * sizeof(double));
            for (int mo = 0; mo < p->months; mo++)
                assert_memory_equal(p->month_cost + ((size_t)a * (size_t)p->months + (size_t)mo) * p->trials,
                                    all->month_cost + ((size_t)a * (size_t)all->months + (size_t)mo) * N + t0,
                                    p->trials * sizeof(double));
        }
        assert_memory_equal(p->cod_per_day, all->cod_per_day + t0, p->trials * sizeof(double));
        assert_memory_equal(p->target_day, all->target_day + t0, p->trials * sizeof(double));
        eng_results_free(p);
    }
    eng_results_free(all);
    scn_free(s);
}

static void test_bad_range(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(yaml);
    diag d;
    diag_clear(&d);
    eng_results *r = NULL;
    eng_opts o = {.trials = N, .seed = 1, .threads = 1, .block_lo = 3, .block_hi = 8};
    assert_int_equal(eng_run(s, &o, &r, &d), -1);
    assert_null(r);
    assert_int_equal(d.kind, DIAG_RUNTIME);
    o.block_lo = 3;
    o.block_hi = 3;
    assert_int_equal(eng_run(s, &o, &r, &d), -1);
    scn_free(s);
}

/* stm_save/stm_load through a memory file */
typedef struct mem {
    FILE *fp;
} mem;

static int mput(void *ctx, void *p, size_t n)
{
    return fwrite(p, 1, n, ((mem *)ctx)->fp) == n ? 0 : -1;
}

static int mget(void *ctx, void *p, size_t n)
{
    return fread(p, 1, n, ((mem *)ctx)->fp) == n ? 0 : -1;
}

static stm_run *stream(const scn_scenario *s, uint64_t lo, uint64_t hi, int threads)
{
    eng_metric am[1] = {M_COST_TOTAL};
    double av[1] = {150000};
    stm_run *st = stm_new(s->nalts, s->baseline, threads, am, av, 1);
    assert_non_null(st);
    if (hi)
        assert_int_equal(stm_shard(st, lo, hi), 0);
    eng_opts o = {.trials = N, .seed = s->seed, .threads = threads, .on_block = stm_block,
                  .block_ctx = st, .block_lo = lo, .block_hi = hi};
    eng_results *r = NULL;
    diag d;
    diag_clear(&d);
    assert_int_equal(eng_run(s, &o, &r, &d), 0);
    eng_results_free(r);
    return st;
}

/* Three streamed ranges saved, then loaded in block order into a fresh
 * accumulator (and, the second time, into one that held other data and
 * was reset): every figure as the whole run's, bit for bit. */
static void test_stream_save_load(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(yaml);
    stm_run *whole = stream(s, 0, 0, 2);
    char *buf = NULL;
    size_t len = 0;
    mem m = {open_memstream(&buf, &len)};
    assert_non_null(m.fp);
    const uint64_t cut[] = {0, 1, 4, 7};
    for (int k = 0; k < 3; k++) {
        stm_run *p = stream(s, cut[k], cut[k + 1], 1 + k % 2);
        assert_int_equal(stm_save(p, mput, &m), 0);
        stm_free(p);
    }
    assert_int_equal(fclose(m.fp), 0);
    for (int pass = 0; pass < 2; pass++) {
        eng_metric am[1] = {M_COST_TOTAL};
        double av[1] = {150000};
        stm_run *got = pass ? stream(s, 0, 0, 2) : stm_new(s->nalts, s->baseline, 3, am, av, 1);
        assert_non_null(got);
        if (pass)
            stm_reset(got);
        mem r = {fmemopen(buf, len, "rb")};
        assert_non_null(r.fp);
        for (int k = 0; k < 3; k++)
            assert_int_equal(stm_load(got, cut[k + 1] - cut[k], mget, &r), 0);
        assert_int_equal(fgetc(r.fp), EOF);
        fclose(r.fp);
        for (size_t a = 0; a < s->nalts; a++) {
            for (int mt = 0; mt < M_COUNT; mt++) {
                stats_summary x, y;
                stm_summary(whole, a, (eng_metric)mt, &x);
                stm_summary(got, a, (eng_metric)mt, &y);
                assert_memory_equal(&x, &y, sizeof x);
                stats_paired px, py;
                stm_paired(whole, a, (eng_metric)mt, &px);
                stm_paired(got, a, (eng_metric)mt, &py);
                assert_memory_equal(&px, &py, sizeof px);
            }
            double pa = stm_prob_above(whole, a, 0), pb = stm_prob_above(got, a, 0);
            assert_memory_equal(&pa, &pb, sizeof pa);
        }
        stm_free(got);
    }
    /* a wrong block count is refused */
    stm_run *bad = stm_new(s->nalts, s->baseline, 1, NULL, NULL, 0);
    mem r = {fmemopen(buf, len, "rb")};
    assert_int_equal(stm_load(bad, 2, mget, &r), -1);
    fclose(r.fp);
    stm_free(bad);
    free(buf);
    stm_free(whole);
    scn_free(s);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges_bit_identical),
        cmocka_unit_test(test_bad_range),
        cmocka_unit_test(test_stream_save_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
