/*
 * Scenario loading (what is accepted and how it is read) and the
 * spreadsheet view's fluid arithmetic.  What must be rejected is covered
 * by the corpus in tests/bad/ through the CLI tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "models.h"
#include "scenario.h"
#include "scnload.h"
#include "spreadsheet.h"

static void expect_error(const char *yaml, int line, int col, const char *substr)
{
    scn_scenario *s = NULL;
    diag d;
    diag_clear(&d);
    assert_int_equal(scn_load_buffer("t.yaml", yaml, strlen(yaml), &s, &d), -1);
    assert_null(s);
    assert_int_equal(d.kind, DIAG_INPUT);
    if (!strstr(d.msg, substr) || d.line != line || d.col != col) {
        print_error("got %d:%d: %s\nwant %d:%d: ...%s...\n", d.line, d.col, d.msg, line, col, substr);
        fail();
    }
}

static void test_defaults(void **state)
{
    (void)state;
    scn_scenario *s = tu_load("capmix: 1\n"
                           "work: {horizon_months: 2}\n"
                           "alternatives:\n"
                           "  - name: a\n"
                           "    sources:\n"
                           "      - {kind: in_house, headcount: 3.6, loaded_annual: 100000, throughput_per_month: 4}\n");
    assert_string_equal(s->currency, "USD");
    assert_int_equal(s->trials, 10000);
    assert_near(s->cal.days_per_month, 365.0 / 12, 0);
    assert_near(s->cal.weeks_per_month, 52.0 / 12, 0);
    assert_near(s->cal.hours_per_year, 2080, 0);
    assert_near(s->cal.hours_per_month, 160, 0);
    assert_near(s->work.horizon_days, 2 * 365.0 / 12, 1e-12);
    assert_int_equal(s->work.outcomes, 0);
    assert_int_equal(s->work.replace_superseded, 1);
    assert_string_equal(s->name, "t");
    const src_params *p = &s->alts[0].sources[0];
    assert_string_equal(p->name, "in_house"); /* a source is named after its kind */
    assert_int_equal(p->max_rework_cycles, 5);
    assert_near(dist_mean(&p->rework_effort), 0.5, 0);
    assert_near(dist_mean(&p->ramp_from), 1, 0);
    src_draw m;
    src_draw_means(p, &s->cal, &m);
    assert_int_equal(m.lanes, 4); /* round(3.6) */
    assert_near(m.p1[OC_ACCEPTED], 1, 0);
    assert_near(m.p2[OC_ACCEPTED], 1, 0);
    assert_int_equal(s->baseline, 0);
    scn_free(s);
}

static void test_baseline_and_people(void **state)
{
    (void)state;
    scn_scenario *s = tu_load("capmix: 1\n"
                           "people: {senior_engineer: {hourly_rate: 150}, product_manager: {loaded_annual: 208000}}\n"
                           "work: {outcomes: 3}\n"
                           "alternatives:\n"
                           "  - {name: a, sources: [{kind: in_house, headcount: 1, loaded_annual: 1, throughput_per_month: 1}]}\n"
                           "  - {name: b, baseline: true, sources: [{kind: in_house, headcount: 1, loaded_annual: 1, throughput_per_month: 1,\n"
                           "     oversight: {senior_hours_per_week: 2, pm_hours_per_week: 1}}]}\n");
    assert_int_equal(s->baseline, 1);
    assert_true(s->senior.hourly);
    assert_false(s->pm.hourly);
    scn_free(s);
}

static void test_kind_rules(void **state)
{
    (void)state;
    expect_error("capmix: 1\nwork: {}\nalternatives:\n"
                 "  - name: a\n    sources:\n"
                 "      - kind: in_house\n        headcount: 2\n        hourly_rate: 80\n",
                 8, 9, "'hourly_rate' does not apply to kind 'in_house'");
    expect_error("capmix: 1\nwork: {}\nalternatives:\n"
                 "  - name: a\n    sources:\n"
                 "      - kind: in_house\n        headcount: 2\n        thruput: 80\n",
                 8, 9, "did you mean 'throughput'");
    expect_error("capmix: 1\nwork: {}\nalternatives:\n"
                 "  - name: a\n    sources:\n"
                 "      - kind: consultants\n        throughput_per_month: 3\n",
                 6, 9, "needs 'hourly_rate' and 'headcount', or 'monthly_fee'");
    expect_error("capmix: 1\nwork: {}\nalternatives:\n"
                 "  - name: a\n    sources:\n"
                 "      - kind: offshore_pd\n",
                 6, 15, "did you mean 'offshore_pod'");
}

/* Backlog mode fluid view: delivery = start + outcomes ÷ accepted rate. */
static void test_fluid_delivery(void **state)
{
    (void)state;
    scn_scenario *s = tu_load("capmix: 1\ncalendar: {days_per_month: 30}\n"
                           "work: {outcomes: 12, target_day: 100, cost_of_delay: {per_day: 10}}\n"
                           "alternatives:\n"
                           "  - {name: plain, sources: [{kind: consultants, monthly_fee: 3000, throughput_per_month: 3,\n"
                           "       start_delay_days: 10}]}\n"
                           "  - {name: rework, sources: [{kind: consultants, monthly_fee: 3000, throughput_per_month: 3,\n"
                           "       start_delay_days: 10, outcomes: {accepted: 0.5, rework: 0.5},\n"
                           "       rework_outcomes: {accepted: 1}}]}\n"
                           "  - {name: ramp, sources: [{kind: staff_augmentation, headcount: 1, hourly_rate: 0,\n"
                           "       throughput_per_month: 3, ramp_from: 0.5, ramp_days: 60}]}\n");
    double sh[M_COUNT];
    sheet_alternative(s, 0, sh);
    assert_near(sh[M_DELIVERY_DAY], 130, 1e-6);
    assert_near(sh[M_COST_TOTAL], 3000 * 120 / 30.0, 1e-6);
    assert_near(sh[M_DELAY_COST], 300, 1e-4);
    assert_near(sh[M_PASSES], 12, 1e-6);
    /* half come back for a half-effort pass: 1.25 units of work an outcome */
    sheet_alternative(s, 1, sh);
    assert_near(sh[M_DELIVERY_DAY], 160, 1e-6);
    assert_near(sh[M_PASSES], 18, 1e-6);
    assert_near(sh[M_REWORK_PASSES], 6, 1e-6);
    /* ramp: 45 effective days in the first 60, then 1 a day: 120 needed */
    sheet_alternative(s, 2, sh);
    assert_near(sh[M_DELIVERY_DAY], 135, 1e-6);
    scn_free(s);
}

static void test_registry(void **state)
{
    (void)state;
    for (size_t i = 0; model_kinds[i].name; i++) {
        const model_kind *k = &model_kinds[i];
        assert_ptr_equal(model_find(k->name), k);
        assert_non_null(k->help);
        /* every pay key of a kind is a source key that only pay lists admit */
        for (size_t j = 0; j < MODEL_MAX_PAY && k->pay_keys[j]; j++) {
            const model_key *key = &model_key_table[k->pay_keys[j]];
            assert_int_equal(key->section, MS_SOURCE);
            assert_int_equal(key->scope, KS_PAY);
            assert_true(model_kind_allows(k, k->pay_keys[j]));
        }
    }
    assert_null(model_find("nope"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),     cmocka_unit_test(test_baseline_and_people),
        cmocka_unit_test(test_kind_rules),   cmocka_unit_test(test_fluid_delivery),
        cmocka_unit_test(test_registry),
    };
    return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
