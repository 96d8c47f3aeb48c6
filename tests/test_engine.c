/*
 * Engine tests against analytic results (model §2, §3, §18.1).  Each scenario
 * is chosen so the model admits an exact answer; Monte Carlo checks use a
 * fixed seed and |mean − μ| < 5·SE with SE from the sample.
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

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>
#include "testutil.h"
#include "engine.h"
#include "rng.h"
#include "report.h"
#include "scenario.h"
#include "scnload.h"
#include "spreadsheet.h"
#include "stats.h"

/* Load a scenario from text; fail the test with the diag if it is bad. */
static eng_results *run(const scn_scenario *s, uint64_t trials, int threads)
{
    eng_opts o = {.trials = trials, .seed = s->seed, .threads = threads};
    return tu_run(s, &o);
}

static stats_summary summary(const eng_results *r, size_t a, eng_metric m)
{
    stats_summary st;
    double *scratch = malloc((size_t)r->trials * sizeof(double));
    stats_summarise(eng_metric_data(r, a, m), (size_t)r->trials, scratch, &st);
    free(scratch);
    return st;
}

/* mean within 5 standard errors of mu */
#define assert_mean_5se(st, mu)                                                              \
    do {                                                                                     \
        stats_summary s_ = (st);                                                             \
        double tol_ = 5 * s_.se + 1e-12 * fabs((double)(mu));                                          \
        assert_near(s_.mean, (mu), tol_);                                                    \
    } while (0)

#define HEAD "capmix: 1\nseed: 7\n"

/* Run-rate, exponential passes: completions are Poisson(λT); thinning by
 * P(accepted) keeps them Poisson. */
static void test_run_rate_accepted_poisson(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "work: {horizon_months: 10}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: in_house, headcount: 3, loaded_annual: 0,\n"
                                "         throughput_per_month: 6,\n"
                                "         outcomes: {accepted: 0.7, superseded: 0.3}}\n");
    eng_results *r = run(s, 20000, 2);
    stats_summary acc = summary(r, 0, M_ACCEPTED), ps = summary(r, 0, M_PASSES);
    assert_mean_5se(acc, 42.0);
    assert_mean_5se(ps, 60.0);
    /* Poisson: variance equals the mean (SE of a variance ≈ σ²·sqrt(2/n) for
     * near-normal data; 5 of them) */
    assert_near(acc.sd * acc.sd, 42.0, 5 * 42.0 * sqrt(2.0 / 20000) + 0.5);
    eng_results_free(r);
    scn_free(s);
}

/* One lane, zero waits: an item is reworked until accepted before the next
 * starts, so passes = Σ of `outcomes` Geometric(1−q) counts. */
static void test_rework_passes_geometric(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "work: {outcomes: 200, horizon_days: 36500}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: in_house, headcount: 1, loaded_annual: 0,\n"
                                "         throughput_per_month: 30, max_rework_cycles: 1000,\n"
                                "         outcomes: {accepted: 0.6, rework: 0.4}}\n");
    eng_results *r = run(s, 20000, 2);
    stats_summary ps = summary(r, 0, M_PASSES), rw = summary(r, 0, M_REWORK_PASSES);
    assert_mean_5se(ps, 200 / 0.6);
    assert_mean_5se(rw, 200 / 0.6 - 200);
    /* Var of a sum of 200 Geometric(0.6): 200·0.4/0.36 */
    assert_near(ps.sd * ps.sd, 200 * 0.4 / 0.36, 5 * (200 * 0.4 / 0.36) * sqrt(2.0 / 20000));
    stats_summary acc = summary(r, 0, M_ACCEPTED);
    assert_near(acc.min, 200, 0);
    assert_near(acc.max, 200, 0);
    eng_results_free(r);
    scn_free(s);
}

/* The rework cap: with max_rework_cycles K an item gets at most 1+K
 * passes, so P(accepted) = a + r·a·Σ_{j<K} r^j.  One lane, no waits and no
 * replacement: every item is resolved before the next starts, so the
 * accepted count is Binomial(items, P) (a run-rate count would be biased:
 * items needing the most passes are the likeliest to be cut by the
 * horizon). */
static void test_rework_cap(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "work: {outcomes: 50, horizon_days: 36500, replace_superseded: false}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: in_house, headcount: 1, loaded_annual: 0,\n"
                                "         throughput_per_month: 20, max_rework_cycles: 2,\n"
                                "         outcomes: {accepted: 0.5, rework: 0.5}}\n");
    eng_results *r = run(s, 20000, 2);
    double p = 0.5 + 0.25 + 0.125;
    stats_summary acc = summary(r, 0, M_ACCEPTED), sup = summary(r, 0, M_SUPERSEDED);
    assert_near(acc.mean, 50 * p, 5 * sqrt(50 * p * (1 - p) / 20000));
    assert_near(acc.sd * acc.sd, 50 * p * (1 - p), 5 * 50 * p * (1 - p) * sqrt(2.0 / 20000) + 0.1);
    /* every item resolved: accepted + superseded = 50 in every trial */
    for (size_t t = 0; t < 20000; t++)
        assert_near(eng_metric_data(r, 0, M_ACCEPTED)[t] + eng_metric_data(r, 0, M_SUPERSEDED)[t], 50, 0);
    assert_near(sup.mean, 50 * (1 - p), 5 * sqrt(50 * p * (1 - p) / 20000));
    eng_results_free(r);
    scn_free(s);
}

/* Tokens: ∫0^M m(1+g)^τ dτ = m((1+g)^M − 1)/ln(1+g) exactly, every trial;
 * per-item tokens add passes × per_item in expectation. */
static void test_token_compounding(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "work: {horizon_months: 12}\n"
                                "alternatives:\n"
                                "  - name: fixed\n"
                                "    sources:\n"
                                "      - {kind: ai_team, headcount: 1, loaded_annual: 0, throughput_per_month: 4,\n"
                                "         tokens: {monthly: 1000, growth_per_month: 0.1}}\n"
                                "  - name: per-item\n"
                                "    sources:\n"
                                "      - {kind: ai_team, headcount: 1, loaded_annual: 0, throughput_per_month: 4,\n"
                                "         tokens: {monthly: 1000, growth_per_month: 0.1, per_item: 50}}\n");
    eng_results *r = run(s, 10000, 2);
    double exact = 1000 * (pow(1.1, 12) - 1) / log(1.1);
    stats_summary c = summary(r, 0, M_COST_TOTAL);
    assert_near(c.min, exact, 1e-6 * exact);
    assert_near(c.max, exact, 1e-6 * exact);
    /* +10 % a month means exactly that: month 1 to 2 costs 1.1 × month 0 to 1 */
    assert_near(src_token_cost(1000, 0.1, 2) - src_token_cost(1000, 0.1, 1),
                1.1 * src_token_cost(1000, 0.1, 1), 1e-9);
    assert_near(src_token_cost(1000, 0, 3), 3000, 1e-9);
    /* per item: E = exact + 50·λT with λT = 48 passes */
    stats_summary c2 = summary(r, 1, M_COST_TOTAL);
    assert_mean_5se(c2, exact + 50 * 48);
    eng_results_free(r);
    scn_free(s);
}

/* Ramp: completions are Poisson in effective time, so the count has mean
 * λ·(T − R(1 − ramp_from)/2). */
static void test_ramp_loss(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "calendar: {days_per_month: 30}\n"
                                "work: {horizon_days: 180}\n"
                                "alternatives:\n"
                                "  - name: ramped\n"
                                "    sources:\n"
                                "      - {kind: staff_augmentation, headcount: 2, hourly_rate: 0,\n"
                                "         throughput_per_month: 10, ramp_from: 0.5, ramp_days: 60}\n"
                                "  - name: flat\n"
                                "    sources:\n"
                                "      - {kind: staff_augmentation, headcount: 2, hourly_rate: 0,\n"
                                "         throughput_per_month: 10, ramp_days: 0}\n");
    eng_results *r = run(s, 20000, 2);
    double lam = 10.0 / 30;
    assert_mean_5se(summary(r, 0, M_PASSES), lam * (180 - 60 * 0.5 / 2));
    assert_mean_5se(summary(r, 1, M_PASSES), lam * 180);
    eng_results_free(r);
    scn_free(s);
}

/* Calibration: E[p_accepted] under Dirichlet(14+1, 6+1, 4+1) is 15/27;
 * E[λ] under Gamma(24 + 1/2, rate 90) is 24.5/90 a day. */
static void test_calibration_means(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "work: {horizon_days: 90}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: offshore_pod, headcount: 6, hourly_rate: 85,\n"
                                "         throughput: {observed: {items: 24, days: 90}},\n"
                                "         max_rework_cycles: 0,\n"
                                "         outcomes: {observed: {accepted: 14, rework: 6, superseded: 4}}}\n");
    eng_results *r = run(s, 40000, 2);
    assert_mean_5se(summary(r, 0, M_PASSES), 24.5);
    assert_mean_5se(summary(r, 0, M_ACCEPTED), 24.5 * 15 / 27);
    /* the spreadsheet uses observed proportions and rates instead */
    double sh[M_COUNT];
    sheet_alternative(s, 0, sh);
    assert_near(sh[M_PASSES], 24, 1e-9);
    assert_near(sh[M_ACCEPTED], 14, 1e-9);
    eng_results_free(r);
    scn_free(s);
}

/* The seeds' value stream: 10 days of work then 18 of waiting is a flow
 * efficiency of 10/28, deterministic with constant sizes and one lane. */
static void test_flow_efficiency_seed(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "calendar: {days_per_month: 30}\n"
                                "work: {outcomes: 5, horizon_days: 1000}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: in_house, headcount: 1, loaded_annual: 0,\n"
                                "         throughput_per_month: 3, item_size: 1, review_wait_days: 18}\n");
    eng_results *r = run(s, 100, 1);
    stats_summary fe = summary(r, 0, M_FLOW_EFFICIENCY), cy = summary(r, 0, M_CYCLE_DAYS),
                  dd = summary(r, 0, M_DELIVERY_DAY);
    assert_near(fe.min, 10.0 / 28, 1e-12);
    assert_near(fe.max, 10.0 / 28, 1e-12);
    assert_near(cy.mean, 28, 1e-9);
    /* the lane is freed at pass completion: item k ends work on day 10k */
    assert_near(dd.max, 5 * 10 + 18, 1e-9);
    eng_results_free(r);
    scn_free(s);
}

/* Rework goes back to the same source and has priority over the backlog;
 * a zero-wait verdict is decided before the freed lane pulls. */
static void test_rework_priority_deterministic(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "calendar: {days_per_month: 30}\n"
                                "work: {outcomes: 2, horizon_days: 1000}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: in_house, headcount: 1, loaded_annual: 0, throughput_per_month: 3,\n"
                                "         item_size: 1, rework_effort: 0.5, max_rework_cycles: 1,\n"
                                "         outcomes: {rework: 1}, rework_outcomes: {accepted: 1}}\n");
    eng_results *r = run(s, 10, 1);
    /* item 1: pass day 0–10, rework 10–15 (accepted day 15); item 2: 15–25,
     * rework 25–30: delivered on day 30 with 4 passes, 2 of them rework */
    assert_near(summary(r, 0, M_DELIVERY_DAY).max, 30, 1e-9);
    assert_near(summary(r, 0, M_PASSES).mean, 4, 0);
    assert_near(summary(r, 0, M_REWORK_PASSES).mean, 2, 0);
    assert_near(summary(r, 0, M_CYCLE_DAYS).mean, 15, 1e-9);
    eng_results_free(r);
    scn_free(s);
}

/* Lanes of all sources pull from one backlog; the faster source takes the
 * third item. */
static void test_shared_backlog(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "calendar: {days_per_month: 30}\n"
                                "work: {outcomes: 3, horizon_days: 1000}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: in_house, name: slow, headcount: 1, loaded_annual: 0, throughput_per_month: 3, item_size: 1}\n"
                                "      - {kind: in_house, name: fast, headcount: 1, loaded_annual: 0, throughput_per_month: 6, item_size: 1}\n");
    eng_results *r = run(s, 10, 1);
    assert_near(summary(r, 0, M_DELIVERY_DAY).max, 10, 1e-9);
    assert_near(summary(r, 0, M_PASSES).max, 3, 0);
    eng_results_free(r);
    scn_free(s);
}

/* Without replacement each superseded item shrinks the scope: accepted is
 * Binomial(n, a) and every trial is delivered. */
static void test_no_replacement(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "work: {outcomes: 10, horizon_days: 10000, replace_superseded: false}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: in_house, headcount: 2, loaded_annual: 0, throughput_per_month: 10,\n"
                                "         outcomes: {accepted: 0.5, superseded: 0.5}}\n");
    eng_results *r = run(s, 20000, 2);
    assert_mean_5se(summary(r, 0, M_ACCEPTED), 5);
    assert_near(summary(r, 0, M_DELIVERED).min, 1, 0);
    eng_results_free(r);
    scn_free(s);
}

/* min_months tops up billed fees; a source starting after the end costs
 * nothing; overheads accrue from day 0 to the end. */
static void test_min_months_start_delay_overheads(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "calendar: {days_per_month: 30}\n"
                                "work: {outcomes: 1, horizon_days: 1000}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: consultants, monthly_fee: 10000, min_months: 3, throughput_per_month: 3,\n"
                                "         item_size: 1, onboarding_cost: 500, exit_cost: 700}\n"
                                "      - {kind: consultants, name: late, monthly_fee: 99999, min_months: 3,\n"
                                "         throughput_per_month: 3, start_delay_days: 20, exit_cost: 1}\n"
                                "    overheads:\n"
                                "      - {name: coach, monthly_cost: 3000}\n");
    eng_results *r = run(s, 10, 1);
    /* delivered on day 10: fee billed for 3 months, coach for 1/3 month */
    stats_summary c = summary(r, 0, M_COST_TOTAL);
    assert_near(c.min, 30000 + 500 + 700 + 1000, 1e-6);
    assert_near(c.max, 30000 + 500 + 700 + 1000, 1e-6);
    eng_results_free(r);
    scn_free(s);
}

/* Escaped defects: E[support] = accepted·rate·cost; change orders:
 * E = passes·p·cost; review hours priced at the senior rate. */
static void test_defects_change_orders_review(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "people: {senior_engineer: {loaded_annual: 208000}}\n"
                                "work: {outcomes: 20, horizon_days: 10000}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: consultants, monthly_fee: 0, throughput_per_month: 10,\n"
                                "         escaped_defects_per_outcome: 2, defect_cost: {dist: uniform, min: 50, max: 150},\n"
                                "         change_orders: {probability_per_item: 0.25, cost: 1000},\n"
                                "         review_hours_per_item: {dist: triangular, min: 1, mode: 2, max: 3}}\n");
    eng_results *r = run(s, 20000, 2);
    assert_mean_5se(summary(r, 0, M_COST_SUPPORT), 20 * 2 * 100);
    /* one lane: exactly 20 passes; review 2 h × $100 each */
    assert_near(summary(r, 0, M_COST_INTERNAL).mean, 20 * 2 * 100, 5 * summary(r, 0, M_COST_INTERNAL).se);
    assert_mean_5se(summary(r, 0, M_COST_DIRECT), 20 * 0.25 * 1000);
    eng_results_free(r);
    scn_free(s);
}

/* The number of escaped defects is Poisson: over 20 outcomes at rate
 * 0.3 (the engine's inversion path) the total is Poisson(6), checked by a
 * chi-square over its counts (p ≈ 0.001); at rate 40 (GSL's sampler) the
 * total is Poisson(800), mean and variance within 5 SE. */
static void test_defect_counts(void **state)
{
    (void)state;
    for (int big = 0; big < 2; big++) {
        char y[1024];
        snprintf(y, sizeof y,
                 HEAD "work: {outcomes: 20, horizon_days: 10000}\n"
                      "alternatives:\n"
                      "  - name: a\n"
                      "    sources:\n"
                      "      - {kind: consultants, monthly_fee: 0, throughput_per_month: 10,\n"
                      "         escaped_defects_per_outcome: %s, defect_cost: 1}\n",
                 big ? "40" : "0.3");
        scn_scenario *s = tu_load(y);
        const size_t n = 50000;
        eng_results *r = run(s, n, 2);
        const double *k = eng_metric_data(r, 0, M_COST_SUPPORT), mu = big ? 800 : 6;
        if (!big) {
            enum { BINS = 16 };
            double obs[BINS] = {0}, chi2 = 0;
            for (size_t i = 0; i < n; i++)
                obs[k[i] < BINS - 1 ? (size_t)k[i] : BINS - 1]++;
            for (int b = 0; b < BINS; b++) {
                double p = b < BINS - 1 ? gsl_ran_poisson_pdf((unsigned)b, mu)
                                        : gsl_cdf_poisson_Q(BINS - 2, mu);
                chi2 += (obs[b] - n * p) * (obs[b] - n * p) / (n * p);
            }
            print_message("defects Poisson(6): chi2 %.2f, df %d\n", chi2, BINS - 1);
            assert_true(chi2 < gsl_cdf_chisq_Qinv(0.001, BINS - 1));
        }
        double m = gsl_stats_mean(k, 1, n), v = gsl_stats_variance(k, 1, n);
        assert_near(m, mu, 5 * sqrt(mu / n));
        /* Var(s²) of a Poisson: (μ + 2μ²(n/(n−1)))/n ≈ (μ + 2μ²)/n */
        assert_near(v, mu, 5 * sqrt((mu + 2 * mu * mu) / n));
        eng_results_free(r);
        scn_free(s);
    }
}

/* Bit-identical whatever the thread count; one alternative's numbers do
 * not depend on the others; work draws are shared across alternatives. */
static void test_reproducibility(void **state)
{
    (void)state;
    const char *yaml = HEAD "people: {senior_engineer: {loaded_annual: {dist: uniform, min: 200000, max: 300000}}}\n"
                            "work: {outcomes: 12, cost_of_delay: {per_day: {dist: gamma, mean: 800, sd: 200}}}\n"
                            "alternatives:\n"
                            "  - name: a\n"
                            "    sources:\n"
                            "      - {kind: offshore_pod, headcount: 4, hourly_rate: 80, throughput_per_month: 6,\n"
                            "         outcomes: {accepted: 0.6, rework: 0.3, superseded: 0.1},\n"
                            "         review_wait_days: {dist: pert, min: 1, mode: 3, max: 9},\n"
                            "         oversight: {senior_hours_per_week: 5}}\n"
                            "  - name: b\n"
                            "    sources:\n"
                            "      - {kind: in_house, headcount: 3, loaded_annual: 250000, throughput_per_month: 5}\n"
                            "  - name: c\n"
                            "    sources:\n"
                            "      - {kind: consultants, monthly_fee: 90000, throughput_per_month: 7}\n";
    scn_scenario *s = tu_load(yaml);
    eng_results *r1 = run(s, 5000, 1), *r2 = run(s, 5000, 2);
    size_t bytes = s->nalts * M_COUNT * 5000 * sizeof(double);
    assert_memory_equal(r1->data, r2->data, bytes);
    assert_memory_equal(r1->cod_per_day, r2->cod_per_day, 5000 * sizeof(double));
    scn_remove_alt(s, 1);
    eng_results *r3 = run(s, 5000, 2);
    size_t one = M_COUNT * 5000 * sizeof(double);
    assert_memory_equal(eng_metric_data(r1, 0, 0), eng_metric_data(r3, 0, 0), one);
    assert_memory_equal(eng_metric_data(r1, 2, 0), eng_metric_data(r3, 1, 0), one);
    /* common random numbers: delay cost per day late is the same draw for
     * every alternative in a trial */
    for (size_t t = 0; t < 5000; t++) {
        double dA = eng_metric_data(r1, 0, M_DELAY_COST)[t] / eng_metric_data(r1, 0, M_DELIVERY_DAY)[t];
        double dC = eng_metric_data(r1, 2, M_DELAY_COST)[t] / eng_metric_data(r1, 2, M_DELIVERY_DAY)[t];
        assert_near(dA, dC, 1e-9 * dA);
    }
    eng_results_free(r1);
    eng_results_free(r2);
    eng_results_free(r3);
    scn_free(s);
}

/* Nothing accepted: cost_per_outcome is +Inf, counted, and kept out of
 * the mean; cycle_days and flow_efficiency are null. */
static void test_nothing_accepted(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "work: {horizon_months: 1}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: offshore_pod, headcount: 1, hourly_rate: 100, throughput_per_month: 1,\n"
                                "         outcomes: {accepted: 1}}\n");
    eng_results *r = run(s, 20000, 2);
    stats_summary c = summary(r, 0, M_COST_PER_OUTCOME), cy = summary(r, 0, M_CYCLE_DAYS);
    /* P(no completion in a month at rate 1/month) = e^-1 */
    double share = (double)c.n_inf / (double)c.n;
    assert_near(share, exp(-1), 5 * sqrt(exp(-1) * (1 - exp(-1)) / 20000));
    assert_true(isfinite(c.mean));
    assert_true(isinf(c.p50) == 0 || share >= 0.5);
    assert_true(isinf(c.cvar95));
    assert_int_equal(cy.n_null, c.n_inf);
    eng_results_free(r);
    scn_free(s);
}

/* Backlog mode cut at the horizon: not delivered, delivery_day = horizon,
 * costs to the horizon, delay counted. */
static void test_horizon_cut(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "calendar: {days_per_month: 30}\n"
                                "work: {outcomes: 100, horizon_days: 60, target_day: 30, cost_of_delay: {per_day: 10}}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: consultants, monthly_fee: 3000, throughput_per_month: 3, item_size: 1}\n");
    eng_results *r = run(s, 10, 1);
    assert_near(summary(r, 0, M_DELIVERED).max, 0, 0);
    assert_near(summary(r, 0, M_DELIVERY_DAY).max, 60, 0);
    assert_near(summary(r, 0, M_COST_TOTAL).max, 6000, 1e-9);
    assert_near(summary(r, 0, M_DELAY_COST).max, 300, 1e-9);
    assert_near(summary(r, 0, M_ACCEPTED).max, 6, 0);
    eng_results_free(r);
    scn_free(s);
}

/* Month-end snapshots: what a review sees at each month end, then the
 * final figures once the alternative has ended. */
static void test_month_end_snapshots(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "calendar: {days_per_month: 30}\n"
                                "work: {outcomes: 5, horizon_days: 100}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: consultants, monthly_fee: 3000, min_months: 3, exit_cost: 500,\n"
                                "         throughput_per_month: 3, item_size: 1}\n");
    assert_int_equal(eng_months(s), 4);
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    eng_scratch *sc = eng_scratch_new();
    double out[M_COUNT], cost[4], acc[4], stop[4];
    eng_snaps sn = {4, cost, acc, stop, NULL, NULL};
    eng_work_draw w = {0, 0, 0, 0, NULL};
    assert_int_equal(eng_trial(s, 0, &w, r, sc, out, &sn), 0);
    /* items end on days 10, 20, 30 (counted at the day-30 review), 40, 50 */
    assert_near(acc[0], 3, 0);
    assert_near(cost[0], 3000, 1e-9);
    /* stopping at that review would top the fee up to 3 months, plus exit */
    assert_near(stop[0], 9000 + 500, 1e-9);
    /* delivered on day 50: min_months tops the fee up to 3 months, plus exit */
    assert_near(out[M_COST_TOTAL], 9000 + 500, 1e-9);
    for (int m = 1; m < 4; m++) {
        assert_near(acc[m], 5, 0);
        assert_near(cost[m], out[M_COST_TOTAL], 0);
    }
    eng_scratch_free(sc);
    gsl_rng_free(r);
    scn_free(s);
}

/* Snapshots through eng_run: cumulative cost never decreases and ends at
 * cost_total for a delivered trial. */
static void test_monthly_run(void **state)
{
    (void)state;
    scn_scenario *s = tu_load(HEAD "work: {outcomes: 12, horizon_days: 730}\n"
                                "alternatives:\n"
                                "  - name: a\n"
                                "    sources:\n"
                                "      - {kind: offshore_pod, headcount: 4, hourly_rate: 80, throughput_per_month: 6,\n"
                                "         outcomes: {accepted: 0.6, rework: 0.3, superseded: 0.1},\n"
                                "         review_wait_days: {dist: pert, min: 1, mode: 3, max: 9}, exit_cost: 1000}\n");
    eng_opts o = {.trials = 3000, .seed = 5, .threads = 2, .monthly = 1};
    eng_results *r = NULL;
    diag d;
    assert_int_equal(eng_run(s, &o, &r, &d), 0);
    int M = r->months;
    const double *c = r->month_cost, *a = r->month_accepted; /* [month][trial] */
    for (size_t t = 0; t < 3000; t++) {
        for (int m = 1; m < M; m++) {
            assert_true(c[m * 3000 + t] >= c[(m - 1) * 3000 + t]);
            assert_true(a[m * 3000 + t] >= a[(m - 1) * 3000 + t]);
        }
        assert_near(c[(M - 1) * 3000 + t], eng_metric_data(r, 0, M_COST_TOTAL)[t], 0);
        assert_near(a[(M - 1) * 3000 + t], eng_metric_data(r, 0, M_ACCEPTED)[t], 0);
    }
    eng_results_free(r);
    scn_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_rate_accepted_poisson),
        cmocka_unit_test(test_rework_passes_geometric),
        cmocka_unit_test(test_rework_cap),
        cmocka_unit_test(test_token_compounding),
        cmocka_unit_test(test_ramp_loss),
        cmocka_unit_test(test_calibration_means),
        cmocka_unit_test(test_flow_efficiency_seed),
        cmocka_unit_test(test_rework_priority_deterministic),
        cmocka_unit_test(test_shared_backlog),
        cmocka_unit_test(test_no_replacement),
        cmocka_unit_test(test_min_months_start_delay_overheads),
        cmocka_unit_test(test_defects_change_orders_review),
        cmocka_unit_test(test_defect_counts),
        cmocka_unit_test(test_reproducibility),
        cmocka_unit_test(test_nothing_accepted),
        cmocka_unit_test(test_horizon_cut),
        cmocka_unit_test(test_month_end_snapshots),
        cmocka_unit_test(test_monthly_run),
    };
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
