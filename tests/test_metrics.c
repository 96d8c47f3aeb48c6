/*
 * Tests for models/metrics.{c,h} and models/passcost.h: the metric list,
 * the derived-metric formulas and the per-pass costs the engine and the
 * spreadsheet view share.
 *
 * The per-pass costs are checked the way the two callers use them: drawn
 * one pass at a time (the engine) at a fixed seed, their sample mean must
 * lie within 5 standard errors of what the mean mode books for one pass
 * (the spreadsheet view), component by component; the mean mode must be
 * exactly `passes` times its own one-pass figure in the contract's
 * operation order; costs a source does not have must neither add nor
 * draw.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "testutil.h"
#include "metrics.h"
#include "passcost.h"
#include "rng.h"

#define NDRAW 200000

static void test_names(void **state)
{
    (void)state;
    const char *const *names = eng_metric_names();
    for (int m = 0; m < M_COUNT; m++) {
        assert_non_null(names[m]);
        assert_string_equal(names[m], eng_metric_name((eng_metric)m));
        assert_int_equal(eng_metric_find(names[m]), m);
        for (int k = 0; k < m; k++)
            assert_true(strcmp(names[k], names[m]) != 0);
    }
    assert_null(names[M_COUNT]);
    assert_string_equal(eng_metric_name(M_COUNT), "?");
    assert_string_equal(eng_metric_name((eng_metric)-1), "?");
    assert_int_equal(eng_metric_find("blended_cost"), M_BLENDED_COST);
    assert_int_equal(eng_metric_find("blended"), -1);
    assert_int_equal(eng_metric_find(""), -1);
}

static void test_derived(void **state)
{
    (void)state;
    assert_true(met_total(1, 2, 4) == 7);
    /* late by 3 days at 100 a day; on the day and early cost nothing */
    assert_true(met_delay(13, 10, 100) == 300);
    assert_true(met_delay(10, 10, 100) == 0);
    assert_true(met_delay(7, 10, 100) == 0);

    double out[M_COUNT];
    memset(out, 0, sizeof out);
    out[M_COST_TOTAL] = 900;
    out[M_ACCEPTED] = 3;
    met_derive(out, 150);
    assert_true(out[M_DELAY_COST] == 150);
    assert_true(out[M_BLENDED_COST] == 1050);
    assert_true(out[M_COST_PER_OUTCOME] == 300);
    /* nothing accepted: the cost per outcome is +Inf, not NaN */
    out[M_ACCEPTED] = 0;
    met_derive(out, 0);
    assert_true(isinf(out[M_COST_PER_OUTCOME]) && out[M_COST_PER_OUTCOME] > 0);
    assert_true(out[M_BLENDED_COST] == 900);
    /* even when nothing was spent */
    out[M_COST_TOTAL] = 0;
    met_derive(out, 0);
    assert_true(isinf(out[M_COST_PER_OUTCOME]));
}

/* A source booking every per-pass cost: tokens Triangular(10, 20, 60)
 * (mean 30), a change order with probability Uniform(0.1, 0.3) (mean 0.2)
 * costing Uniform(1000, 3000) (mean 2000), review hours
 * Triangular(0.5, 1, 3) (mean 1.5). */
static src_params every_cost(void)
{
    src_params p;
    memset(&p, 0, sizeof p);
    p.has = SRC_HAS_TOKENS | SRC_HAS_CHANGE_ORDERS | SRC_HAS_REVIEW_HOURS;
    p.tok_per_item = (dist){.kind = DIST_TRIANGULAR, .a = 10, .b = 20, .c = 60};
    p.co_probability = (dist){.kind = DIST_UNIFORM, .a = 0.1, .b = 0.3};
    p.co_cost = (dist){.kind = DIST_UNIFORM, .a = 1000, .b = 3000};
    p.review_hours_per_item = (dist){.kind = DIST_TRIANGULAR, .a = 0.5, .b = 1, .c = 3};
    return p;
}

static void test_pass_draw_matches_mean(void **state)
{
    (void)state;
    const src_params p = every_cost();
    const double senior = 120;
    double mdirect = 0, minternal = 0;
    src_pass_costs(&p, SRC_PASS_MEAN, NULL, 1, &senior, &mdirect, &minternal);
    /* the analytic expectations: 30 + 0.2 * 2000, 1.5 * 120 */
    assert_near(mdirect, 430, 1e-9);
    assert_near(minternal, 180, 1e-9);

    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    assert_non_null(r);
    rng_seed_stream(r, rng_stream_key(20261206, RNG_DOMAIN_ALT, "passcost", 0));
    double sd = 0, sdd = 0, si = 0, sii = 0;
    for (int k = 0; k < NDRAW; k++) {
        double dx = 0, ix = 0;
        src_pass_costs(&p, SRC_PASS_DRAW, r, 1, &senior, &dx, &ix);
        sd += dx;
        sdd += dx * dx;
        si += ix;
        sii += ix * ix;
    }
    gsl_rng_free(r);
    double n = NDRAW, md = sd / n, mi = si / n;
    double se_d = sqrt((sdd / n - md * md) / n), se_i = sqrt((sii / n - mi * mi) / n);
    assert_true(se_d > 0 && se_i > 0);
    assert_near(md, mdirect, 5 * se_d);
    assert_near(mi, minternal, 5 * se_i);
}

static void test_pass_mean_scales(void **state)
{
    (void)state;
    const src_params p = every_cost();
    const double senior = 95.5, passes = 7.25;
    double direct = 11, internal = 13;
    src_pass_costs(&p, SRC_PASS_MEAN, NULL, passes, &senior, &direct, &internal);
    /* the contract's order: each component added to the account in turn */
    double want_d = 11, want_i = 13;
    want_d += passes * dist_mean(&p.tok_per_item);
    want_d += passes * dist_mean(&p.co_probability) * dist_mean(&p.co_cost);
    want_i += passes * dist_mean(&p.review_hours_per_item) * senior;
    assert_true(direct == want_d);
    assert_true(internal == want_i);
}

static void test_pass_absent_costs(void **state)
{
    (void)state;
    src_params p = every_cost();
    const double senior = 120;
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss), *twin = gsl_rng_alloc(rng_xoshiro256ss);
    assert_non_null(r);
    assert_non_null(twin);
    /* each cost alone, then none: only what the source has is booked */
    const unsigned bits[4] = {SRC_HAS_TOKENS, SRC_HAS_CHANGE_ORDERS, SRC_HAS_REVIEW_HOURS, 0};
    for (int k = 0; k < 4; k++) {
        p.has = bits[k] | SRC_HAS_DEFECTS | SRC_HAS_REVIEW_WAIT; /* not per-pass costs */
        double d = 0, i = 0;
        src_pass_costs(&p, SRC_PASS_MEAN, NULL, 3, &senior, &d, &i);
        assert_true(bits[k] == SRC_HAS_REVIEW_HOURS ? d == 0 && i > 0 : i == 0);
        assert_true(bits[k] == SRC_HAS_TOKENS || bits[k] == SRC_HAS_CHANGE_ORDERS ? d > 0 : d == 0);
    }
    /* with none of them, a drawn pass takes nothing from the generator */
    rng_seed_stream(r, rng_stream_key(7, RNG_DOMAIN_ALT, "passcost", 0));
    rng_seed_stream(twin, rng_stream_key(7, RNG_DOMAIN_ALT, "passcost", 0));
    double d = 0, i = 0;
    src_pass_costs(&p, SRC_PASS_DRAW, r, 1, &senior, &d, &i);
    assert_true(d == 0 && i == 0);
    assert_true(rng_uniform(r) == rng_uniform(twin));
    gsl_rng_free(r);
    gsl_rng_free(twin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_derived),
        cmocka_unit_test(test_pass_draw_matches_mean),
        cmocka_unit_test(test_pass_mean_scales),
        cmocka_unit_test(test_pass_absent_costs),
    };
    return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
