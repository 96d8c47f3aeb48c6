/*
 * The seed figures (the founding documents' worked numbers) reproduced by
 * the shipped scenarios: exactly where they are deterministic, within
 * Monte Carlo error where they are not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "engine.h"
#include "report.h"
#include "scenario.h"
#include "scnload.h"
#include "spreadsheet.h"

static report *run_report(const scn_scenario *s, uint64_t trials, eng_results **res)
{
    eng_opts o = {.trials = trials, .seed = s->seed, .threads = 2};
    diag d;
    diag_clear(&d);
    assert_int_equal(eng_run(s, &o, res, &d), 0);
    report_meta meta = {.version = "test", .threads = 2};
    report *rep = NULL;
    assert_int_equal(report_build(s, *res, &meta, &rep, &d), 0);
    return rep;
}

static int alt(const scn_scenario *s, const char *name)
{
    int i = scn_find_alt(s, name);
    assert_true(i >= 0);
    return i;
}

/* 6 × $85 × 160 h = $81,600; senior 8 h/week at 280,000/2,080; PM 4 h/week
 * at 208,000/2,080; 52/12 weeks a month: $88,000.00 a month. */
static void test_pod_monthly_cost(void **state)
{
    (void)state;
    scn_scenario *s = tu_load_file("scenarios/pod-run-rate.yaml");
    const src_params *p = &s->alts[alt(s, "pod")].sources[0];
    src_draw m;
    src_draw_means(p, &s->cal, &m);
    double senior = 280000.0 / 2080, pm = 208000.0 / 2080;
    assert_near(senior, 134.615, 0.001); /* "about $135/hour" */
    src_costs c = src_time_costs(&m, 0, &s->cal, senior, pm, s->cal.days_per_month);
    assert_near(c.direct, 81600, 1e-6);
    assert_near(8 * s->cal.weeks_per_month * senior, 4666.67, 0.005);
    assert_near(4 * s->cal.weeks_per_month * pm, 1733.33, 0.005);
    assert_near(c.direct + c.internal, 88000, 1e-6);
    scn_free(s);
}

/* Every trial of the three-month run costs exactly 264,000.00; at 2 and 4
 * accepted outcomes a month the spreadsheet says 44,000 and 22,000 per
 * accepted outcome, and the simulated accepted counts agree in the mean. */
static void test_pod_run_rate(void **state)
{
    (void)state;
    scn_scenario *s = tu_load_file("scenarios/pod-run-rate.yaml");
    eng_results *r;
    report *rep = run_report(s, 20000, &r);
    for (size_t a = 0; a < s->nalts; a++) {
        assert_near(rep->alts[a].m[M_COST_TOTAL].min, 264000, 0.005);
        assert_near(rep->alts[a].m[M_COST_TOTAL].max, 264000, 0.005);
        assert_near(rep->alts[a].sheet[M_COST_TOTAL], 264000, 0.005);
    }
    int a2 = alt(s, "at-2-a-month"), a4 = alt(s, "at-4-a-month");
    assert_near(rep->alts[a2].sheet[M_COST_PER_OUTCOME], 44000, 0.005);
    assert_near(rep->alts[a4].sheet[M_COST_PER_OUTCOME], 22000, 0.005);
    assert_near(rep->alts[a2].m[M_ACCEPTED].mean, 6, 5 * rep->alts[a2].m[M_ACCEPTED].se);
    assert_near(rep->alts[a4].m[M_ACCEPTED].mean, 12, 5 * rep->alts[a4].m[M_ACCEPTED].se);
    /* first-pass acceptance 14/24 = 58 % in the spreadsheet view */
    src_draw m;
    src_draw_means(&s->alts[alt(s, "pod")].sources[0], &s->cal, &m);
    assert_near(m.p1[OC_ACCEPTED], 14.0 / 24, 1e-12);
    assert_near(round(100 * m.p1[OC_ACCEPTED]), 58, 0);
    report_free(rep);
    eng_results_free(r);
    scn_free(s);
}

/* $31,000 of AI spend for 2 extra accepted outcomes: $15,500 each. */
static void test_ai_team_incremental(void **state)
{
    (void)state;
    scn_scenario *s = tu_load_file("scenarios/ai-team-run-rate.yaml");
    eng_results *r;
    report *rep = run_report(s, 40000, &r);
    int w = alt(s, "with-agents"), b = alt(s, "before-agents");
    assert_int_equal(s->baseline, b);
    assert_near(rep->alts[b].sheet[M_COST_TOTAL], 140000, 1e-6);
    assert_near(rep->alts[w].sheet_incr_cost_per_outcome, 15500, 1e-6);
    /* simulated: the cost difference is exactly the token bill in every
     * trial, the accepted difference is 2 in the mean */
    const stats_paired *dc = &rep->alts[w].vs[M_COST_TOTAL], *da = &rep->alts[w].vs[M_ACCEPTED];
    assert_near(dc->mean_diff, 31000, 1e-6);
    assert_near(dc->se, 0, 1e-6);
    assert_near(da->mean_diff, 2, 5 * da->se);
    /* the ratio's SE by the delta method: 31000·se(Δacc)/Δacc² */
    double se_ratio = 31000 * da->se / (da->mean_diff * da->mean_diff);
    assert_near(rep->alts[w].incr.value, 15500, 5 * se_ratio);
    report_free(rep);
    eng_results_free(r);
    scn_free(s);
}

/* $320,000 a year is $876.71 a day over 365 days and $1,280 over 250. */
static void test_cost_of_delay(void **state)
{
    (void)state;
    const char *y365 = "capmix: 1\nwork: {outcomes: 1, cost_of_delay: {annual_value: 320000}}\n"
                       "alternatives: [{name: a, sources: [{kind: in_house, headcount: 1, "
                       "loaded_annual: 1, throughput_per_month: 1}]}]\n";
    const char *y250 = "capmix: 1\nwork: {outcomes: 1, cost_of_delay: {annual_value: 320000, "
                       "days_per_year: 250}}\n"
                       "alternatives: [{name: a, sources: [{kind: in_house, headcount: 1, "
                       "loaded_annual: 1, throughput_per_month: 1}]}]\n";
    scn_scenario *s;
    diag d;
    assert_int_equal(scn_load_buffer("a.yaml", y365, strlen(y365), &s, &d), 0);
    assert_near(scn_cod_per_day(&s->work, dist_mean(&s->work.cod)), 876.71, 0.005);
    scn_free(s);
    assert_int_equal(scn_load_buffer("b.yaml", y250, strlen(y250), &s, &d), 0);
    assert_near(scn_cod_per_day(&s->work, dist_mean(&s->work.cod)), 1280, 1e-9);
    scn_free(s);
    /* the default scenario uses the 365-day figure */
    s = tu_load_file("scenarios/offshore-vs-ai.yaml");
    assert_near(scn_cod_per_day(&s->work, dist_mean(&s->work.cod)), 320000.0 / 365, 1e-9);
    scn_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pod_monthly_cost),
        cmocka_unit_test(test_pod_run_rate),
        cmocka_unit_test(test_ai_team_incremental),
        cmocka_unit_test(test_cost_of_delay),
    };
    return cmocka_run_group_tests_name("seed figures", tests, NULL, NULL);
}
