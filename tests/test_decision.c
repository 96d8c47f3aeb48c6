/*
 * Fixed bids and the CFO's figures (model §4, §18.15, §18.16): certainty
 * equivalents against analytic results, the penalty cap, the break-even
 * price, P(cheaper) and the degenerate cases.
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
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>

#include "testutil.h"
#include "decision.h"
#include "engine.h"
#include "report.h"
#include "rng.h"
#include "scenario.h"
#include "scnload.h"

typedef struct run {
    scn_scenario *s;
    eng_results *r;
    report *rep;
    dec_report *dr;
} run;

static run simulate(const char *yaml, uint64_t trials)
{
    run R = {tu_load(yaml), NULL, NULL, NULL};
    eng_opts o = {.trials = trials, .seed = R.s->seed, .threads = 2};
    diag d;
    diag_clear(&d);
    assert_int_equal(eng_run(R.s, &o, &R.r, &d), 0);
    report_meta meta = {.version = "test", .threads = 2};
    assert_int_equal(report_build(R.s, R.r, &meta, &R.rep, &d), 0);
    assert_int_equal(dec_build(R.rep, NAN, NAN, &R.dr, &d), 0);
    return R;
}

static void done(run *R)
{
    dec_free(R->dr);
    report_free(R->rep);
    eng_results_free(R->r);
    scn_free(R->s);
}

/* CE of a normal cost is μ + σ²/(2R); the estimator's SE by the delta
 * method is R·sd(Y)/(sqrt(n)·mean(Y)) with Y = exp(C/R). */
static void test_ce_normal(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    rng_seed_stream(r, 77);
    const size_t n = 1000000;
    double *x = malloc(n * sizeof *x);
    double mu = 1e6, sigma = 1e5, R = 2e5;
    for (size_t i = 0; i < n; i++)
        x[i] = mu + gsl_ran_gaussian_ziggurat(r, sigma);
    double ce = dec_ce(x, n, R);
    double sy = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        double y = exp((x[i] - mu) / R);
        sy += y;
        syy += y * y;
    }
    double my = sy / (double)n, vy = syy / (double)n - my * my;
    double se = R * sqrt(vy / (double)n) / my;
    assert_near(ce, mu + sigma * sigma / (2 * R), 5 * se);
    free(x);
    gsl_rng_free(r);
}

/* R → ∞ gives the mean, R → 0 the maximum, with no overflow on the way. */
static void test_ce_limits(void **state)
{
    (void)state;
    double x[5] = {1e6, 2e6, 3e6, 4e6, 5e6};
    assert_near(dec_ce(x, 5, INFINITY), 3e6, 0);
    /* large R: CE ≈ mean + var/(2R) (population variance 2e12 here), a
     * correction of 0.001 that a naive log(mean(exp)) would drown in
     * rounding */
    assert_near(dec_ce(x, 5, 1e15), 3e6 + 2e12 / (2 * 1e15), 1e-6);
    double tiny = dec_ce(x, 5, 1e-3);
    assert_true(isfinite(tiny));
    assert_near(tiny, 5e6, 1e-3 * log(5.0) + 1e-6);
    /* 1 % of the mean cost, the smallest tolerance the bid figures use */
    double small = dec_ce(x, 5, 3e4);
    assert_true(isfinite(small) && small < 5e6 && small > 3e6);
    /* monotone in R: more risk tolerance, smaller CE */
    assert_true(dec_ce(x, 5, 1e5) > dec_ce(x, 5, 1e6));
    double with_nan[3] = {1, NAN, 3};
    assert_near(dec_ce(with_nan, 3, INFINITY), 2, 0);
    double with_inf[2] = {1, INFINITY};
    assert_true(isinf(dec_ce(with_inf, 2, 10)));
}

static void test_cvar(void **state)
{
    (void)state;
    double x[100], scratch[100];
    for (int i = 0; i < 100; i++)
        x[i] = 100 - i;
    assert_near(dec_cvar(x, 100, 0.95, scratch), 98, 1e-12);
    assert_near(dec_cvar(x, 100, 0.5, scratch), 75.5, 1e-12);
}

#define PEOPLE "people: {senior_engineer: {loaded_annual: 208000}}\n"

/* Liquidated damages: 2,000 a day for 120 days late is 240,000, capped at
 * 150,000; the cap binds exactly, in every trial. */
static void test_penalty_cap(void **state)
{
    (void)state;
    run R = simulate("capmix: 1\nseed: 3\n"
                     "work: {outcomes: 10, target_day: 100, cost_of_delay: {per_day: 10}}\n"
                     "alternatives:\n"
                     "  - {name: capped, fixed_bid: {price: 500000, delivery_days: 300, due_day: 180,\n"
                     "     late_penalty_per_day: 2000, penalty_cap: 150000}}\n"
                     "  - {name: uncapped, fixed_bid: {price: 500000, delivery_days: 300, due_day: 180,\n"
                     "     late_penalty_per_day: 2000}}\n"
                     "  - {name: on-time, fixed_bid: {price: 500000, delivery_days: 170, due_day: 180,\n"
                     "     late_penalty_per_day: 2000}}\n"
                     "  - {name: mix, sources: [{kind: in_house, headcount: 1, loaded_annual: 100000,\n"
                     "     throughput_per_month: 4}]}\n",
                     200);
    const report_alt *a = R.rep->alts;
    assert_near(a[0].m[M_COST_DIRECT].min, 350000, 0);
    assert_near(a[0].m[M_COST_DIRECT].max, 350000, 0);
    assert_near(a[1].m[M_COST_DIRECT].max, 260000, 0);
    assert_near(a[2].m[M_COST_DIRECT].max, 500000, 0);
    /* never cut at the horizon; delay counted on the delivery day */
    assert_near(a[0].m[M_DELIVERY_DAY].max, 300, 0);
    assert_near(a[0].m[M_DELAY_COST].max, 2000, 1e-9);
    assert_near(a[0].m[M_DELIVERED].min, 1, 0);
    assert_int_equal(a[0].m[M_PASSES].n_null, 200);
    assert_int_equal(R.s->baseline, 3); /* the first mix, not a bid */
    done(&R);
}

/* A bid with no randomness has CE = price at any tolerance. */
static void test_zero_variance_bid(void **state)
{
    (void)state;
    run R = simulate("capmix: 1\nseed: 3\n"
                     "decision: {risk_tolerance: 50000}\n"
                     "work: {outcomes: 10}\n"
                     "alternatives:\n"
                     "  - {name: bid, fixed_bid: {price: 640000, delivery_days: 120}}\n"
                     "  - {name: mix, sources: [{kind: in_house, headcount: 2, loaded_annual: 150000,\n"
                     "     throughput_per_month: 3}]}\n",
                     2000);
    for (size_t k = 0; k < R.dr->npairs; k++)
        assert_near(R.dr->pairs[k].b.risk, 640000, 1e-9 * 640000);
    done(&R);
}

static const char *break_even_yaml(double price)
{
    static char buf[2048];
    snprintf(buf, sizeof buf,
             "capmix: 1\nseed: 11\n" PEOPLE
             "decision: {risk_tolerance: 300000, partner_margin: 0.15}\n"
             "work: {outcomes: 12, target_day: 90, cost_of_delay: {per_day: 500}}\n"
             "alternatives:\n"
             "  - name: bid\n"
             "    fixed_bid:\n"
             "      price: %.17g\n"
             "      delivery_days: {dist: pert, min: 80, mode: 100, max: 160}\n"
             "      due_day: 100\n"
             "      late_penalty_per_day: 1000\n"
             "      penalty_cap: 30000\n"
             "      change_orders: {count_mean: 2, cost: {dist: gamma, mean: 20000, sd: 15000}}\n"
             "      oversight: {senior_hours_per_week: 4}\n"
             "  - name: mix\n"
             "    sources:\n"
             "      - {kind: offshore_pod, headcount: 4, hourly_rate: 80, throughput_per_month: 6,\n"
             "         outcomes: {accepted: 0.7, rework: 0.2, superseded: 0.1},\n"
             "         review_wait_days: {dist: triangular, min: 1, mode: 3, max: 8}}\n",
             price);
    return buf;
}

typedef struct shift_ctx {
    const double *bid;
    const double *mix;
    size_t n;
    double price, R;
    double *tmp;
} shift_ctx;

/* CE(bid at price p) − CE(mix), the bid's costs shifted by p − price. */
static double ce_gap_at(double p, void *arg)
{
    shift_ctx *c = arg;
    for (size_t i = 0; i < c->n; i++)
        c->tmp[i] = c->bid[i] - c->price + p;
    return dec_ce(c->tmp, c->n, c->R) - dec_ce(c->mix, c->n, c->R);
}

/* The break-even price equalises the two certainty equivalents: checked by
 * running the bid again at that price (same streams: a constant price draws
 * nothing) and by GSL's Brent solver on the shifted costs. */
static void test_break_even(void **state)
{
    (void)state;
    run R = simulate(break_even_yaml(700000), 20000);
    const dec_pair *p = NULL;
    for (size_t k = 0; k < R.dr->npairs; k++)
        if (R.dr->pairs[k].metric == M_BLENDED_COST)
            p = &R.dr->pairs[k];
    assert_non_null(p);
    double be = p->break_even;
    size_t n = (size_t)R.r->trials;
    const double *xb = eng_metric_data(R.r, 0, M_BLENDED_COST), *xm = eng_metric_data(R.r, 1, M_BLENDED_COST);

    /* P(mix cheaper) is the direct count */
    size_t cheaper = 0;
    for (size_t t = 0; t < n; t++)
        cheaper += xm[t] < xb[t];
    assert_near(p->p_mix_cheaper, (double)cheaper / (double)n, 0);
    assert_near(p->risk_premium, R.rep->alts[0].m[M_BLENDED_COST].mean - R.rep->alts[1].m[M_BLENDED_COST].mean, 1e-6);

    /* Brent on the shifted costs */
    double *tmp = malloc(n * sizeof *tmp);
    shift_ctx c = {xb, xm, n, 700000, 300000, tmp};
    gsl_function fn = {ce_gap_at, &c};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    assert_int_equal(gsl_root_fsolver_set(s, &fn, 0, 5e6), GSL_SUCCESS);
    double root = NAN;
    for (int it = 0; it < 200; it++) {
        gsl_root_fsolver_iterate(s);
        root = gsl_root_fsolver_root(s);
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), 0,
                                   1e-9) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    assert_near(root, be, 1e-6 * be);
    free(tmp);

    /* the whole pipeline again at the break-even price */
    run R2 = simulate(break_even_yaml(be), 20000);
    for (size_t k = 0; k < R2.dr->npairs; k++)
        if (R2.dr->pairs[k].metric == M_BLENDED_COST) {
            double cb = R2.dr->pairs[k].b.risk, cm = R2.dr->pairs[k].m.risk;
            assert_near(cb, cm, 1e-6 * cm);
            assert_near(R2.dr->pairs[k].break_even, be, 1e-6 * be);
        }
    done(&R2);
    done(&R);
}

/* With risk neutrality the break-even price is E[price] + E[mix] − E[bid]. */
static void test_neutral(void **state)
{
    (void)state;
    run R = simulate(break_even_yaml(700000), 5000);
    diag d;
    dec_report *dr = NULL;
    assert_int_equal(dec_build(R.rep, INFINITY, NAN, &dr, &d), 0);
    for (size_t k = 0; k < dr->npairs; k++) {
        const dec_pair *p = &dr->pairs[k];
        assert_near(p->b.risk, p->b.mean, 1e-9 * p->b.mean);
        assert_near(p->break_even, p->break_even_neutral, 1e-9 * p->break_even);
    }
    assert_near(dr->margin, 0.15, 0);
    dec_free(dr);
    done(&R);
}

/* The verdict quotes the figures it is built from. */
static void test_verdict(void **state)
{
    (void)state;
    run R = simulate(break_even_yaml(700000), 5000);
    assert_int_equal(R.dr->nverdicts, 1);
    const dec_pair *p = NULL;
    for (size_t k = 0; k < R.dr->npairs; k++)
        if (R.dr->pairs[k].metric == M_BLENDED_COST)
            p = &R.dr->pairs[k];
    char be[64];
    dec_money(be, sizeof be, p->break_even, "USD");
    assert_non_null(strstr(R.dr->verdict[0], be));
    assert_non_null(strstr(R.dr->verdict[0], "$700k"));
    assert_non_null(strstr(R.dr->verdict[0], p->break_even < 700000 ? "above" : "below"));
    done(&R);
}

static void test_money(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(dec_money(b, sizeof b, 1060000, "USD"), "$1.06M");
    assert_string_equal(dec_money(b, sizeof b, 140000, "USD"), "$140k");
    assert_string_equal(dec_money(b, sizeof b, -950, "USD"), "-$950");
    assert_string_equal(dec_money(b, sizeof b, 2000000, "CHF"), "CHF 2.00M");
}

/* No fixed bid, or no mix: the figures cannot be built (input error). */
static void test_needs_both(void **state)
{
    (void)state;
    scn_scenario *s = tu_load("capmix: 1\nwork: {outcomes: 2}\n"
                           "alternatives: [{name: m, sources: [{kind: in_house, headcount: 1, loaded_annual: 1, throughput_per_month: 1}]}]\n");
    eng_opts o = {.trials = 10, .seed = 1, .threads = 1};
    eng_results *r;
    diag d;
    assert_int_equal(eng_run(s, &o, &r, &d), 0);
    report_meta meta = {.version = "t", .threads = 1};
    report *rep;
    assert_int_equal(report_build(s, r, &meta, &rep, &d), 0);
    dec_report *dr = NULL;
    assert_int_equal(dec_build(rep, NAN, NAN, &dr, &d), -1);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_null(dr);
    report_free(rep);
    eng_results_free(r);
    scn_free(s);
}

/* Model §18.16 with the multipliers: a gamma salary whose own scale is
 * below R still makes an infinite CE once multiplied by the months a team
 * can run; item-level costs are sums, judged by their own scale. */
static void test_heavy_tails(void **state)
{
    (void)state;
    const char *yaml =
        "capmix: 1\npeople: {senior_engineer: {loaded_annual: 208000}}\n"
        "work: {outcomes: 20, horizon_days: 1825}\n"
        "alternatives:\n"
        "  - name: mix\n"
        "    sources:\n"
        "      - {kind: in_house, headcount: 1, throughput_per_month: 1,\n"
        "         loaded_annual: {dist: gamma, mean: 120000, sd: 40000},\n"
        "         change_orders: {probability_per_item: 0.1, cost: {dist: gamma, mean: 20000, sd: 15000}}}\n"
        "  - name: bid\n"
        "    fixed_bid: {price: 60000, delivery_days: {dist: lognormal, median: 100, p90: 400},\n"
        "                oversight: {senior_hours_per_week: 10}}\n";
    scn_scenario *s = tu_load(yaml);
    char names[160];
    /* loaded_annual: scale 13,333 × 5 years = 66,667 >= 50,000; the bid's
     * delivery days are lognormal; change orders (scale 11,250) are not */
    assert_int_equal(scn_heavy_tails(s, 50000, names, sizeof names), 2);
    assert_non_null(strstr(names, "mix/in_house.loaded_annual"));
    assert_non_null(strstr(names, "bid.delivery_days"));
    assert_null(strstr(names, "change_orders"));
    /* with a tolerance above 5 × the scale only the lognormal stays */
    assert_int_equal(scn_heavy_tails(s, 100000, names, sizeof names), 1);
    /* risk neutral: nothing to warn about */
    assert_int_equal(scn_heavy_tails(s, INFINITY, names, sizeof names), 0);
    scn_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ce_normal),     cmocka_unit_test(test_ce_limits),
        cmocka_unit_test(test_cvar),          cmocka_unit_test(test_penalty_cap),
        cmocka_unit_test(test_zero_variance_bid), cmocka_unit_test(test_break_even),
        cmocka_unit_test(test_neutral),       cmocka_unit_test(test_verdict),
        cmocka_unit_test(test_money),         cmocka_unit_test(test_needs_both),
        cmocka_unit_test(test_heavy_tails),
    };
    return cmocka_run_group_tests_name("decision", tests, NULL, NULL);
}
