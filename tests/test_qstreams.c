/*
 * Tests for the engine's per-quantity streams (sim/engine/engine.c,
 * eng_scratch_seed, model §18.1): a trial's result is a function of the
 * stream key, the trial generator and the trials run before it on the
 * scratch — never of which scratch, which other alternatives ran on it,
 * or where a batch refill fell.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "testutil.h"
#include "engine.h"
#include "rng.h"

/* Every per-pass quantity drawn: triangular and Exp(1) item sizes, PERT
 * and triangular review waits, verdicts with rework and supersession,
 * tokens per item, change orders, review hours, defects. */
static const char *YAML =
    "capmix: 1\nname: t\nseed: 5\ntrials: 100\n"
    "people: {senior_engineer: {loaded_annual: 250000}}\n"
    "work: {outcomes: 30, horizon_days: 2000, target_day: 200, cost_of_delay: {per_day: 10}}\n"
    "alternatives:\n"
    "  - name: a\n"
    "    sources:\n"
    "      - kind: ai_team\n"
    "        name: team\n"
    "        headcount: 3\n"
    "        loaded_annual: 280000\n"
    "        throughput_per_month: 6\n"
    "        item_size: {dist: triangular, min: 0.4, mode: 0.8, max: 1.8}\n"
    "        outcomes: {accepted: 0.7, rework: 0.2, superseded: 0.1}\n"
    "        review_wait_days: {dist: pert, min: 1, mode: 2, max: 6}\n"
    "        tokens: {monthly: 1000, per_item: {dist: lognormal, median: 300, p90: 900}}\n"
    "        escaped_defects_per_outcome: 0.4\n"
    "        defect_cost: {dist: triangular, min: 100, mode: 200, max: 900}\n"
    "      - kind: offshore_pod\n"
    "        name: pod\n"
    "        headcount: 4\n"
    "        hourly_rate: 60\n"
    "        throughput_per_month: 4\n"
    "        outcomes: {accepted: 0.6, rework: 0.3, superseded: 0.1}\n"
    "        review_wait_days: {dist: triangular, min: 0.5, mode: 1, max: 3}\n"
    "  - name: b\n"
    "    sources:\n"
    "      - kind: consultants\n"
    "        name: c\n"
    "        monthly_fee: 20000\n"
    "        throughput_per_month: 5\n"
    "        item_size: {dist: uniform, min: 0.5, max: 1.5}\n"
    "        outcomes: {accepted: 0.8, rework: 0.2}\n";

enum { TRIALS = 40 };

/* TRIALS trials of alternative a on sc, seeded with key (and the trial
 * generator with key too), into out[TRIALS][M_COUNT]. */
static void run(const scn_scenario *s, size_t a, eng_scratch *sc, uint64_t key,
                double out[TRIALS][M_COUNT])
{
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    assert_non_null(r);
    rng_seed_stream(r, key);
    eng_scratch_seed(sc, key);
    eng_work_draw w = {0, 200, 100, 80, NULL};
    for (int t = 0; t < TRIALS; t++)
        assert_int_equal(eng_trial(s, a, &w, r, sc, out[t], NULL), 0);
    gsl_rng_free(r);
}

static int same(double x[TRIALS][M_COUNT], double y[TRIALS][M_COUNT])
{
    /* NaN (a null metric) equals NaN here: compare the bytes */
    return memcmp(x, y, sizeof(double) * TRIALS * M_COUNT) == 0;
}

/* Two scratches seeded alike give the same trials; the scratch's history
 * (another alternative run on it, another key, a half-used buffer) does
 * not reach a trial after eng_scratch_seed. */
static void test_seed_fixes_everything(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(YAML);
    static double x[TRIALS][M_COUNT], y[TRIALS][M_COUNT], z[TRIALS][M_COUNT];
    eng_scratch *s1 = eng_scratch_new(), *s2 = eng_scratch_new();
    assert_non_null(s1);
    assert_non_null(s2);
    run(s, 0, s1, 11, x);
    run(s, 1, s2, 99, z); /* another alternative, another key, first */
    run(s, 0, s2, 99, z);
    run(s, 0, s2, 11, y);
    assert_true(same(x, y));
    run(s, 0, s1, 11, y); /* the same scratch again: same trials */
    assert_true(same(x, y));
    run(s, 0, s1, 12, y); /* another key: other trials */
    assert_false(same(x, y));
    eng_scratch_free(s1);
    eng_scratch_free(s2);
    scn_free(s);
}

/* The streams are kept across trials, not restarted: with the trial
 * generator reseeded to the same state before each trial, two trials on
 * one scratch still differ (their per-pass draws come from further along
 * the streams), and a fresh scratch seeded alike repeats the pair. */
static void test_streams_persist(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(YAML);
    eng_scratch *sc = eng_scratch_new(), *sc2 = eng_scratch_new();
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    assert_non_null(sc);
    assert_non_null(sc2);
    eng_work_draw w = {0, 200, 100, 80, NULL};
    double a1[M_COUNT], a2[M_COUNT], b1[M_COUNT], b2[M_COUNT];
    eng_scratch_seed(sc, 3);
    eng_scratch_seed(sc2, 3);
    rng_seed_stream(r, 7);
    assert_int_equal(eng_trial(s, 0, &w, r, sc, a1, NULL), 0);
    rng_seed_stream(r, 7);
    assert_int_equal(eng_trial(s, 0, &w, r, sc, a2, NULL), 0);
    assert_true(a1[M_PASSES] != a2[M_PASSES] || a1[M_COST_TOTAL] != a2[M_COST_TOTAL]);
    rng_seed_stream(r, 7);
    assert_int_equal(eng_trial(s, 0, &w, r, sc2, b1, NULL), 0);
    rng_seed_stream(r, 7);
    assert_int_equal(eng_trial(s, 0, &w, r, sc2, b2, NULL), 0);
    assert_memory_equal(a1, b1, sizeof a1);
    assert_memory_equal(a2, b2, sizeof a2);
    gsl_rng_free(r);
    eng_scratch_free(sc);
    eng_scratch_free(sc2);
    scn_free(s);
}

/* eng_run: one alternative's numbers do not depend on the others (its
 * streams are keyed by its name), for a scenario that draws every
 * per-pass quantity. */
static void test_alternatives_independent(void **state)
{
    (void)state;
    scn_scenario *both = tu_load(YAML);
    /* the same scenario without alternative b */
    const char *cut = strstr(YAML, "  - name: b\n");
    assert_non_null(cut);
    char only_a[4096];
    assert_true((size_t)(cut - YAML) < sizeof only_a);
    memcpy(only_a, YAML, (size_t)(cut - YAML));
    only_a[cut - YAML] = 0;
    scn_scenario *one = tu_load(only_a);
    eng_opts o = {.trials = 3000, .seed = 5, .threads = 2};
    eng_results *r2 = tu_run(both, &o), *r1 = tu_run(one, &o);
    for (int m = 0; m < M_COUNT; m++)
        assert_memory_equal(eng_metric_data(r2, 0, (eng_metric)m),
                            eng_metric_data(r1, 0, (eng_metric)m), 3000 * sizeof(double));
    eng_results_free(r1);
    eng_results_free(r2);
    scn_free(one);
    scn_free(both);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_fixes_everything),
        cmocka_unit_test(test_streams_persist),
        cmocka_unit_test(test_alternatives_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
