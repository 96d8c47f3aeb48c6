/*
 * Envelope and stop-loss (model §5): the envelope is the empirical
 * quantile, its interval covers the true quantile at its nominal rate,
 * rules that never or always fire behave exactly, stopped trials never
 * deliver, and the review selects the trials that match the actuals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "testutil.h"
#include "engine.h"
#include "envelope.h"
#include "report.h"
#include "rng.h"
#include "scenario.h"
#include "scnload.h"
#include "stats.h"

typedef struct run {
    scn_scenario *s;
    eng_results *r;
    report *rep;
} run;

static run simulate(const char *yaml, uint64_t trials)
{
    run R = {tu_load(yaml), NULL, NULL};
    diag d;
    diag_clear(&d);
    eng_opts o = {.trials = trials, .seed = R.s->seed, .threads = 2, .monthly = 1};
    assert_int_equal(eng_run(R.s, &o, &R.r, &d), 0);
    report_meta meta = {.version = "test", .threads = 2};
    assert_int_equal(report_build(R.s, R.r, &meta, &R.rep, &d), 0);
    return R;
}

static void done(run *R)
{
    report_free(R->rep);
    eng_results_free(R->r);
    scn_free(R->s);
}

#define SCENARIO(rules)                                                                          \
    "capmix: 1\nseed: 5\ncalendar: {days_per_month: 30}\n"                                     \
    "work: {outcomes: 20, horizon_days: 720, target_day: 60, cost_of_delay: {per_day: 100}}\n"   \
    "alternatives:\n"                                                                            \
    "  - name: a\n"                                                                              \
    "    sources:\n"                                                                             \
    "      - {kind: consultants, monthly_fee: 30000, throughput_per_month: {dist: uniform, min: 2, max: 8},\n" \
    "         outcomes: {accepted: 0.8, rework: 0.2}, review_wait_days: {dist: triangular, min: 1, mode: 2, max: 6}}\n" \
    rules

static void test_envelope_is_the_quantile(void **state)
{
    (void)state;
    run R = simulate(SCENARIO(""), 5000);
    env_report *er = NULL;
    diag d;
    assert_int_equal(env_build(R.rep, 0.9, NULL, &er, &d), 0);
    double *x = malloc(5000 * sizeof *x);
    memcpy(x, eng_metric_data(R.r, 0, M_COST_TOTAL), 5000 * sizeof *x);
    stats_sort(x, 5000);
    assert_near(er->alts[0].at_c_total.value, stats_quantile_sorted(x, 5000, 0.9), 0);
    assert_near(er->alts[0].total[2].value, stats_quantile_sorted(x, 5000, 0.95), 0);
    assert_true(er->alts[0].at_c_total.lo <= er->alts[0].at_c_total.value);
    assert_true(er->alts[0].at_c_total.hi >= er->alts[0].at_c_total.value);
    free(x);
    env_free(er);
    done(&R);
}

/* Over repeated seeds the 90 % interval covers the true quantile of a
 * known distribution (Exp(1): −ln(1 − p)) about 90 % of the time. */
static void test_interval_coverage(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    const int reps = 400;
    const size_t n = 1000;
    double *x = malloc(n * sizeof *x), truth = -log(1 - 0.9);
    int covered = 0;
    for (int k = 0; k < reps; k++) {
        rng_seed_stream(r, rng_stream_key(99, RNG_DOMAIN_ALT, "coverage", (uint64_t)k));
        for (size_t i = 0; i < n; i++)
            x[i] = rng_exp1(r);
        stats_sort(x, n);
        env_quantile q = env_quantile_ci(x, n, 0.9);
        covered += q.lo <= truth && truth <= q.hi;
    }
    double share = (double)covered / reps;
    /* at least nominal, and not absurdly wide: 5 binomial SEs around 0.9 */
    assert_near(share, 0.9, 5 * sqrt(0.9 * 0.1 / reps));
    free(x);
    gsl_rng_free(r);
}

static const env_rule *rule_of(const env_report *er, const char *name)
{
    for (size_t k = 0; k < er->alts[0].nrules; k++)
        if (!strcmp(er->alts[0].rules[k].rule->name, name))
            return &er->alts[0].rules[k];
    fail();
    return NULL;
}

static void test_rules(void **state)
{
    (void)state;
    run R = simulate(SCENARIO("    stop_loss:\n"
                              "      - {name: never, stop_if: {spent_over: 1e12}}\n"
                              "      - {name: always, stop_if: {accepted_under: 1e9}}\n"
                              "      - {name: burn, stop_if: {spent_over: 100000, accepted_under: 12}}\n"
                              "      - {name: forecast, review_every_months: 2, forecast_over_envelope: 0.1}\n"),
                     5000);
    env_report *er = NULL;
    diag d;
    assert_int_equal(env_build(R.rep, 0.9, NULL, &er, &d), 0);
    const env_rule *nv = rule_of(er, "never"), *al = rule_of(er, "always"),
                   *bu = rule_of(er, "burn"), *fo = rule_of(er, "forecast");
    /* a rule that can never fire changes nothing */
    assert_int_equal(nv->n_stopped, 0);
    assert_near(nv->spend_with, nv->spend_without, 0);
    assert_near(nv->blended_with, nv->blended_without, 0);
    /* one that always fires at month 1 spends exactly one month of fee */
    assert_int_equal(al->n_stopped, 5000);
    assert_near(al->spend_with, 30000, 1e-6);
    assert_near(al->median_month, 1, 0);
    assert_near(al->delivered_with, 0, 0);
    /* stopped trials never count as delivered */
    for (const env_rule *rr = bu; rr; rr = rr == bu ? fo : NULL) {
        assert_true(rr->n_stopped > 0);
        assert_true(rr->delivered_with <= 1 - rr->p_stop + 1e-12);
        assert_true(rr->spend_with < rr->spend_without);
        assert_true(fmod(rr->median_month, rr == fo ? 2 : 1) == 0);
    }
    env_free(er);
    done(&R);
}

/* The review is track's re-forecast (model §18.42): from a trial's own
 * month-m state, the final cost is at least what was spent, more spend
 * moves every quantile by exactly as much, and a month past the horizon or
 * an unknown alternative is an input error. */
static void test_review_reforecasts(void **state)
{
    (void)state;
    run R = simulate(SCENARIO(""), 4000);
    size_t n = 4000, t = 1234;
    int m = 2;
    double spent = R.r->month_cost[(size_t)(m - 1) * n + t];
    double acc = R.r->month_accepted[(size_t)(m - 1) * n + t];
    env_report *er = NULL;
    diag d;
    env_actuals ac = {m, spent, acc, NAN, NAN, NULL, 1};
    assert_int_equal(env_build(R.rep, 0.9, &ac, &er, &d), 0);
    const trk_report *r = er->review;
    assert_non_null(r);
    assert_int_equal(r->month, m);
    assert_true(r->cost.p10 >= spent && r->cost.p10 <= r->cost.p50 && r->cost.p50 <= r->cost.p90);
    assert_true(r->p_within >= 0 && r->p_within <= 1);
    assert_true(er->rework_imputed && er->superseded_imputed);
    trk_q q = r->cost;
    env_free(er);
    ac.spent = spent + 5000;
    assert_int_equal(env_build(R.rep, 0.9, &ac, &er, &d), 0);
    assert_near(er->review->cost.p10, q.p10 + 5000, 1e-6);
    assert_near(er->review->cost.p50, q.p50 + 5000, 1e-6);
    assert_near(er->review->cost.p90, q.p90 + 5000, 1e-6);
    env_free(er);
    ac.month = 99;
    assert_int_equal(env_build(R.rep, 0.9, &ac, &er, &d), -1);
    assert_int_equal(d.kind, DIAG_INPUT);
    ac.month = m;
    ac.alternative = "no-such-alternative";
    assert_int_equal(env_build(R.rep, 0.9, &ac, &er, &d), -1);
    assert_int_equal(d.kind, DIAG_INPUT);
    done(&R);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_envelope_is_the_quantile),
        cmocka_unit_test(test_interval_coverage),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_review_reforecasts),
    };
    return cmocka_run_group_tests_name("envelope", tests, NULL, NULL);
}
