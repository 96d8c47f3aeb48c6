/*
 * Decision integrity (model §5, §6): cost per accepted outcome is a
 * ratio of totals with a delta-method SE that matches the spread of the
 * ratio across replications; the incremental figure of the shipped AI-team
 * scenario; an alternative that does not deliver is never the answer; a
 * stop-loss rule that hands the scope to a fixed bid costs what the closed
 * form says; a rule that only abandons scope is never "best"; the bid
 * verdict's flip tolerance is where the certainty equivalents cross.
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
#include <gsl/gsl_rng.h>

#include "testutil.h"
#include "answer.h"
#include "decision.h"
#include "engine.h"
#include "envelope.h"
#include "report.h"
#include "scenario.h"
#include "scnload.h"
#include "stats.h"

typedef struct run {
    scn_scenario *s;
    eng_results *r;
    report *rep;
} run;

static run simulate_s(scn_scenario *s, uint64_t trials)
{
    run R = {s, NULL, NULL};
    diag d;
    diag_clear(&d);
    eng_opts o = {.trials = trials, .seed = s->seed, .threads = 2, .monthly = 1};
    assert_int_equal(eng_run(s, &o, &R.r, &d), 0);
    report_meta meta = {.version = "test", .threads = 2};
    assert_int_equal(report_build(s, R.r, &meta, &R.rep, &d), 0);
    return R;
}

static run simulate(const char *yaml, uint64_t trials)
{
    return simulate_s(tu_load(yaml), trials);
}

static run simulate_file(const char *path, uint64_t trials)
{
    return simulate_s(tu_load_file(path), trials);
}

static void done(run *R)
{
    report_free(R->rep);
    eng_results_free(R->r);
    scn_free(R->s);
}

/* The ratio is sum(x)/sum(y) exactly, and its SE is the delta method's,
 * computed here directly from the sample moments. */
static void test_ratio_direct(void **state)
{
    (void)state;
    double x[6] = {10, 20, 35, 5, 60, 40}, y[6] = {1, 2, 3, 0, 5, 4};
    stats_ratio r;
    stats_ratio_of_means(x, y, 6, &r);
    double sx = 170, sy = 15, R = sx / sy, mx = sx / 6, my = sy / 6, vxx = 0, vyy = 0, vxy = 0;
    for (int i = 0; i < 6; i++) {
        vxx += (x[i] - mx) * (x[i] - mx);
        vyy += (y[i] - my) * (y[i] - my);
        vxy += (x[i] - mx) * (y[i] - my);
    }
    double se = sqrt((vxx - 2 * R * vxy + R * R * vyy) / 5 / 6) / my;
    assert_near(r.value, R, 1e-12);
    assert_near(r.se, se, 1e-12 * se);
    assert_int_equal(r.n, 6);
    /* the ratio of totals is not the mean of the finite per-trial ratios */
    double mean_ratio = (10.0 + 10 + 35.0 / 3 + 12 + 10) / 5;
    assert_true(fabs(r.value - mean_ratio) > 0.5);
}

/* Across 2,000 replications of n = 400 (cost = 40k + 20k·accepted +
 * noise, accepted ~ Poisson(2)), the sd of the ratio matches the mean
 * delta-method SE within sampling error (the SE of an sd estimate from
 * 2,000 replications is about 1.6 %: allow 8 %). */
static void test_ratio_se_calibrated(void **state)
{
    (void)state;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(g, 17);
    enum { N = 400, REPS = 2000 };
    static double x[N], y[N], ratios[REPS];
    double se_sum = 0;
    for (int k = 0; k < REPS; k++) {
        for (int i = 0; i < N; i++) {
            y[i] = gsl_ran_poisson(g, 2);
            x[i] = 40000 + 20000 * y[i] + gsl_ran_gaussian(g, 5000);
        }
        stats_ratio r;
        stats_ratio_of_means(x, y, N, &r);
        ratios[k] = r.value;
        se_sum += r.se;
    }
    double m = 0, v = 0;
    for (int k = 0; k < REPS; k++)
        m += ratios[k] / REPS;
    for (int k = 0; k < REPS; k++)
        v += (ratios[k] - m) * (ratios[k] - m) / (REPS - 1);
    double sd = sqrt(v), mean_se = se_sum / REPS;
    assert_near(sd / mean_se, 1, 0.08);
    /* and the estimator centres on the true ratio 40000/2 + 20000 = 40000 */
    assert_near(m, 40000, 5 * sd / sqrt(REPS) + 0.01 * 40000 / N);
    gsl_rng_free(g);
}

/* $31,000 of AI spend for 2 extra accepted outcomes: $15,500 each, with
 * the SE of a ratio whose numerator is constant. */
static void test_incremental_ai_team(void **state)
{
    (void)state;
    run R = simulate_file("scenarios/ai-team-run-rate.yaml", 40000);
    int w = scn_find_alt(R.s, "with-agents"), b = scn_find_alt(R.s, "before-agents");
    const report_alt *ra = &R.rep->alts[w];
    const stats_paired *da = &ra->vs[M_ACCEPTED];
    double se = 31000 * da->se / (da->mean_diff * da->mean_diff);
    assert_null(ra->incr_na);
    assert_near(ra->incr.value, 31000 / da->mean_diff, 1e-9 * 15500);
    assert_near(ra->incr.se, se, 1e-9 * se);
    assert_near(ra->incr.value, 15500, 5 * se);
    assert_near(ra->sheet_incr_cost_per_outcome, 15500, 1e-6);
    assert_non_null(R.rep->alts[b].incr_na); /* the baseline */
    /* cost per accepted outcome is the ratio of totals: 171000 / E[accepted] */
    assert_near(ra->cpo.value, 171000 / ra->m[M_ACCEPTED].mean, 1e-9 * ra->cpo.value);
    /* the answer ranks per accepted outcome, not on total cost */
    ans_answer an;
    ans_run(R.rep, &an);
    assert_int_equal(an.alt, w);
    assert_int_equal(an.runner_up, b);
    assert_string_equal(an.metric, "cost_per_accepted_outcome");
    assert_non_null(strstr(an.sentence, "each extra accepted outcome costs $15."));
    assert_non_null(strstr(an.sentence, "15,500"));
    done(&R);
}

/* Fewer accepted outcomes than the baseline: n/a with the reason. */
static void test_incremental_not_applicable(void **state)
{
    (void)state;
    run R = simulate("capmix: 1\nseed: 3\nwork: {horizon_days: 90}\nalternatives:\n"
                     "  - name: fast\n    sources: [{kind: in_house, headcount: 4, loaded_annual: 200000, "
                     "throughput_per_month: 6}]\n"
                     "  - name: slow\n    sources: [{kind: in_house, headcount: 2, loaded_annual: 200000, "
                     "throughput_per_month: 2}]\n",
                     8000);
    const report_alt *ra = &R.rep->alts[1];
    assert_true(isnan(ra->incr.value));
    assert_non_null(ra->incr_na);
    assert_non_null(strstr(ra->incr_na, "no more outcomes"));
    done(&R);
}

#define NODELIVERY                                                                                \
    "capmix: 1\nseed: 11\n"                                                                        \
    "work: {outcomes: 12, horizon_days: 200, target_day: 60, cost_of_delay: {per_day: 500}}\n"     \
    "alternatives:\n"                                                                              \
    "  - name: steady\n    sources: [{kind: in_house, headcount: 3, loaded_annual: 240000, "       \
    "throughput_per_month: 4}]\n"                                                                  \
    "  - name: cheap-slow\n    sources: [{kind: in_house, headcount: 1, loaded_annual: 60000, "    \
    "throughput_per_month: 0.3}]\n"

/* An alternative that delivers in ~0 % of trials has the lowest raw
 * blended cost (its delay is cut at the horizon) but is never the answer. */
static void test_nondelivery_is_never_the_answer(void **state)
{
    (void)state;
    run R = simulate(NODELIVERY, 4000);
    int steady = scn_find_alt(R.s, "steady"), slow = scn_find_alt(R.s, "cheap-slow");
    assert_true(R.rep->alts[slow].p_delivered < 0.01);
    assert_true(R.rep->alts[steady].p_delivered > 0.95);
    /* the trap: on raw means the slow one looks cheaper */
    assert_true(R.rep->alts[slow].m[M_BLENDED_COST].mean < R.rep->alts[steady].m[M_BLENDED_COST].mean);
    ans_answer an;
    ans_run(R.rep, &an);
    assert_int_equal(an.alt, steady);
    assert_string_equal(an.metric, "blended_cost");
    assert_non_null(strstr(an.sentence, "'cheap-slow' is left out: it delivers by day 200 in 0% of trials"));
    done(&R);
}

/* No alternative qualifies: no answer, and the sentence says why. */
static void test_no_alternative_delivers(void **state)
{
    (void)state;
    run R = simulate("capmix: 1\nseed: 2\nwork: {outcomes: 40, horizon_days: 60}\nalternatives:\n"
                     "  - name: a\n    sources: [{kind: in_house, headcount: 1, loaded_annual: 100000, "
                     "throughput_per_month: 1}]\n",
                     2000);
    ans_answer an;
    ans_run(R.rep, &an);
    assert_int_equal(an.alt, -1);
    assert_non_null(strstr(an.sentence, "No alternative delivers the 40 outcomes by day 60"));
    done(&R);
}

/* A rule that always fires at month 1, before the mix's source starts
 * (so nothing is accepted and the spend is the overhead alone), hands the
 * whole scope to a constant fixed bid: every trial costs
 * overhead + price and is late by (t0 + delivery − target) days. */
#define FALLBACK(then)                                                                            \
    "capmix: 1\nseed: 9\n"                                                                         \
    "work: {outcomes: 10, horizon_days: 730, target_day: 50, cost_of_delay: {per_day: 1000}}\n"    \
    "alternatives:\n"                                                                              \
    "  - name: mix\n    sources: [{kind: in_house, headcount: 2, loaded_annual: 200000, "          \
    "throughput_per_month: 3, start_delay_days: 60}]\n"                                            \
    "    overheads: [{name: office, monthly_cost: 10000}]\n"                                       \
    "    stop_loss:\n      - {name: bail, stop_if: {spent_over: 0, accepted_under: 1}, then: " then "}\n" \
    "  - name: partner\n    fixed_bid: {price: 500000, delivery_days: 100}\n"

static void test_fallback_closed_form(void **state)
{
    (void)state;
    run R = simulate(FALLBACK("partner"), 3000);
    env_report *er = NULL;
    diag d;
    diag_clear(&d);
    assert_int_equal(env_build(R.rep, 0.9, NULL, &er, &d), 0);
    int mix = scn_find_alt(R.s, "mix");
    const env_rule *r = &er->alts[mix].rules[0];
    double dpm = R.s->cal.days_per_month, t0 = dpm;
    double cost = 10000 + 500000, late = t0 + 100 - 50, blended = cost + 1000 * late;
    assert_int_equal(r->fallback, scn_find_alt(R.s, "partner"));
    assert_near(r->p_stop, 1, 0);
    assert_near(r->spend_with, cost, 1e-6 * cost);
    assert_near(r->blended_with, blended, 1e-6 * blended);
    assert_near(r->accepted_with, 10, 1e-12);
    assert_near(r->delivered_with, 1, 0);
    /* the scope is delivered in full: judged on blended cost */
    assert_int_equal(r->per_outcome, 0);
    assert_near(r->gain, r->blended_without - blended, 1e-6 * blended);
    env_free(er);
    done(&R);
}

/* The same rule abandoning the scope spends less and delivers nothing:
 * judged per accepted outcome, it is never best. */
static void test_abandon_is_never_best(void **state)
{
    (void)state;
    run R = simulate(FALLBACK("abandon"), 3000);
    env_report *er = NULL;
    diag d;
    diag_clear(&d);
    assert_int_equal(env_build(R.rep, 0.9, NULL, &er, &d), 0);
    int mix = scn_find_alt(R.s, "mix");
    const env_rule *r = &er->alts[mix].rules[0];
    assert_int_equal(r->fallback, -1);
    assert_true(r->spend_with < r->spend_without);
    assert_near(r->accepted_with, 0, 0);
    assert_int_equal(r->per_outcome, 1);
    assert_true(isinf(r->bpa_with));
    assert_int_equal(er->alts[mix].best_rule, -1);
    env_free(er);
    done(&R);
}

/* On the shipped envelope scenario no rule is best by abandoning scope. */
static void test_envelope_best_rule_delivers(void **state)
{
    (void)state;
    run R = simulate_file("scenarios/envelope.yaml", 8000);
    env_report *er = NULL;
    diag d;
    diag_clear(&d);
    assert_int_equal(env_build(R.rep, 0.9, NULL, &er, &d), 0);
    for (size_t a = 0; a < er->nalts; a++) {
        int b = er->alts[a].best_rule;
        if (b < 0)
            continue;
        const env_rule *r = &er->alts[a].rules[b];
        assert_true(r->accepted_with >= r->accepted_without * (1 - 1e-12) ||
                    r->bpa_with < r->bpa_without);
        assert_true(r->gain > 2 * r->gain_se);
    }
    env_free(er);
    done(&R);
}

/* The verdict's flip tolerance is the risk tolerance where CE(bid) =
 * CE(mix): recomputed here, the two agree to 1e-6 of the bid's CE. */
static void test_flip_tolerance(void **state)
{
    (void)state;
    run R = simulate_file("scenarios/fixed-bid-offer.yaml", 20000);
    dec_report *dr = NULL;
    diag d;
    diag_clear(&d);
    assert_int_equal(dec_build(R.rep, NAN, NAN, &dr, &d), 0);
    assert_true(dr->nverdicts >= 1);
    double Rf = dr->flip_R[0];
    assert_false(isnan(Rf));
    const dec_pair *p = dr->verdict_pair[0];
    size_t n = (size_t)R.r->trials;
    const double *xb = eng_metric_data(R.r, p->bid, p->metric), *xm = eng_metric_data(R.r, p->mix, p->metric);
    double cb = dec_ce(xb, n, Rf), cm = dec_ce(xm, n, Rf);
    assert_near(cb, cm, 1e-6 * cb);
    /* on the side it names, the bid is worth its price */
    double below = 0.8 * Rf;
    assert_int_equal(dec_ce(xb, n, below) < dec_ce(xm, n, below), dr->worth_below[0]);
    assert_non_null(strstr(dr->verdict[0], "The verdict flips at a risk tolerance of"));
    dec_free(dr);
    done(&R);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ratio_direct),
        cmocka_unit_test(test_ratio_se_calibrated),
        cmocka_unit_test(test_incremental_ai_team),
        cmocka_unit_test(test_incremental_not_applicable),
        cmocka_unit_test(test_nondelivery_is_never_the_answer),
        cmocka_unit_test(test_no_alternative_delivers),
        cmocka_unit_test(test_fallback_closed_form),
        cmocka_unit_test(test_abandon_is_never_best),
        cmocka_unit_test(test_envelope_best_rule_delivers),
        cmocka_unit_test(test_flip_tolerance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
