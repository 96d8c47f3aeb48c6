/*
 * calcheck: calibrate's self-check (model §10) on the shipped history
 * (scenarios/history): every source simulated, its simulated cycle-time
 * P50 inside the observed P50's order-statistic interval and its observed
 * pass time and throughput inside the simulated P5-P95; a fragment with
 * the wrong lanes is caught; the median interval's ranks; the warning
 * line of the rendered table.
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

#include "calcheck.h"
#include "calfrag.h"
#include "calibrate.h"
#include "csv.h"
#include "models.h"

typedef struct hist {
    csv_table *t, *i;
    cal_result *r;
    calfrag_spec sp[3];
    char *frag, *warn;
    size_t flen, wlen;
} hist;

static void load_history(hist *h)
{
    static const char *const kinds[] = {"offshore_pod", "staff_augmentation", "ai_team"};
    static const double heads[] = {6, 4, 4};
    cal_opts o = {0, 0.5};
    diag d;
    diag_clear(&d);
    memset(h, 0, sizeof *h);
    assert_int_equal(csv_load_file("scenarios/history/tickets.csv", &h->t, &d), 0);
    assert_int_equal(csv_load_file("scenarios/history/invoices.csv", &h->i, &d), 0);
    assert_int_equal(cal_estimate(h->t, h->i, &o, &h->r, &d), 0);
    assert_int_equal(h->r->nsources, 3); /* pod, contractors, team */
    for (size_t k = 0; k < 3; k++) {
        h->sp[k].kind = model_find(kinds[k]);
        assert_non_null(h->sp[k].kind);
        h->sp[k].headcount = heads[k];
        h->sp[k].loaded_annual = k == 2 ? 280000 : NAN;
    }
    assert_string_equal(h->r->sources[1].name, "contractors");
    assert_int_equal(calfrag_render(h->r, h->sp, &o, h->t, h->i, &h->frag, &h->flen, &h->warn,
                                    &h->wlen, &d),
                     0);
}

static void free_history(hist *h)
{
    free(h->frag);
    free(h->warn);
    cal_result_free(h->r);
    csv_free(h->t);
    csv_free(h->i);
}

static void check(const char *frag, size_t flen, const cal_result *r, cal_check **c, size_t *n)
{
    static const int cost[] = {1, 1, 0};
    diag d;
    diag_clear(&d);
    assert_int_equal(cal_selfcheck(frag, flen, r, cost, CAL_CHECK_TRIALS, c, n, &d), 0);
    assert_int_equal(*n, 3);
}

static int inside(double x, const cal_q *q)
{
    return x >= q->p5 && x <= q->p95;
}

static void test_history_reproduced(void **state)
{
    hist h;
    cal_check *c;
    size_t n;
    (void)state;
    load_history(&h);
    check(h.frag, h.flen, h.r, &c, &n);
    for (size_t k = 0; k < n; k++) {
        const cal_check *x = &c[k];
        print_message("%-12s pass %.3g [%.3g %.3g %.3g]  cycle P50 %.3g (%.3g-%.3g) mean %.3g "
                      "[%.3g %.3g %.3g]  tp %.3g [%.3g %.3g %.3g]  cost %.0f [%.0f %.0f %.0f]\n",
                      x->name, x->obs_pass_mean, x->sim_pass.p5, x->sim_pass.p50, x->sim_pass.p95,
                      x->obs_cycle_p50, x->obs_cycle_lo, x->obs_cycle_hi, x->obs_cycle_mean,
                      x->sim_cycle.p5, x->sim_cycle.p50, x->sim_cycle.p95, x->obs_tp, x->sim_tp.p5,
                      x->sim_tp.p50, x->sim_tp.p95, x->obs_cost, x->sim_cost.p5, x->sim_cost.p50,
                      x->sim_cost.p95);
        assert_true(x->simulated);
        assert_true(isfinite(x->obs_cycle_lo));
        assert_true(x->sim_cycle.p50 >= x->obs_cycle_lo && x->sim_cycle.p50 <= x->obs_cycle_hi);
        assert_true(inside(x->obs_cycle_mean, &x->sim_cycle));
        assert_true(inside(x->obs_pass_mean, &x->sim_pass));
        assert_true(inside(x->obs_tp, &x->sim_tp));
        assert_int_equal(x->has_cost, k < 2);
        if (x->has_cost)
            assert_true(inside(x->obs_cost, &x->sim_cost));
    }
    /* a run is the same run: fixed seed */
    cal_check *c2;
    size_t n2;
    check(h.frag, h.flen, h.r, &c2, &n2);
    assert_memory_equal(c, c2, n * sizeof *c);
    free(c2);
    free(c);
    free_history(&h);
}

/* The pod's entry with one lane instead of six: passes six times as fast,
 * which the check must see. */
static void test_wrong_lanes_caught(void **state)
{
    hist h;
    cal_check *c;
    size_t n;
    (void)state;
    load_history(&h);
    char *p = strstr(h.frag, "        lanes: 6\n");
    assert_non_null(p);
    p[15] = '1';
    check(h.frag, h.flen, h.r, &c, &n);
    assert_string_equal(c[0].name, "pod");
    assert_true(c[0].simulated);
    assert_false(inside(c[0].obs_pass_mean, &c[0].sim_pass));
    assert_false(inside(c[0].obs_cycle_mean, &c[0].sim_cycle));
    char *txt;
    size_t len;
    diag d;
    assert_int_equal(calfrag_check_render(c, n, CAL_CHECK_TRIALS, &txt, &len, &d), 0);
    assert_non_null(strstr(txt, "capmix: warning: self-check: source 'pod': observed mean pass "
                                "time (days) 9.14 is outside the simulated P5-P95"));
    assert_null(strstr(txt, "source 'team'"));
    free(txt);
    free(c);
    free_history(&h);
}

/* An entry that does not load is a row that says why, not a failure. */
static void test_unloadable_entry(void **state)
{
    hist h;
    cal_check *c;
    size_t n;
    (void)state;
    load_history(&h);
    char *p = strstr(h.frag, "        kind: ai_team\n");
    assert_non_null(p);
    memcpy(p + 14, "nobody!", 7);
    check(h.frag, h.flen, h.r, &c, &n);
    assert_false(c[2].simulated);
    assert_true(strlen(c[2].why) > 0);
    assert_true(c[0].simulated);
    free(c);
    free_history(&h);
}

static void test_median_interval(void **state)
{
    double v[30], lo, hi;
    (void)state;
    for (int i = 0; i < 30; i++)
        v[i] = i + 1;
    /* n 30: P(Bin <= 9) = 0.021 <= 0.025 < P(Bin <= 10) = 0.049: ranks 10 and 21 */
    cal_median_interval(v, 30, &lo, &hi);
    assert_true(lo == 10 && hi == 21);
    /* n 6: P(Bin <= 0) = 1/64: the extremes; n 5: 1/32 > 0.025, none */
    cal_median_interval(v, 6, &lo, &hi);
    assert_true(lo == 1 && hi == 6);
    cal_median_interval(v, 5, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_median_interval),
        cmocka_unit_test(test_history_reproduced),
        cmocka_unit_test(test_wrong_lanes_caught),
        cmocka_unit_test(test_unloadable_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
