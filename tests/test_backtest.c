/*
 * Backtest scores: pinball, Brier and Wilson against hand-computed
 * tables; the sample CRPS against the closed form for normal forecasts;
 * coverage that passes forecasts drawn from the truth and fails forecasts
 * with half its spread.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "testutil.h"
#include "backtest.h"
#include "rng.h"
#include "stats.h"

static void test_tables(void **state)
{
    (void)state;
    /* pinball: (q, y, tau, loss) */
    static const double pin[][4] = {{10, 12, 0.9, 1.8}, {10, 8, 0.9, 0.2}, {10, 10, 0.5, 0},
                                    {5, 3, 0.1, 1.8},   {5, 7, 0.1, 0.2}, {0, -4, 0.5, 2}};
    for (size_t i = 0; i < sizeof pin / sizeof pin[0]; i++)
        assert_near(bt_pinball(pin[i][0], pin[i][1], pin[i][2]), pin[i][3], 1e-12);
    /* Brier: (0.01 + 0.04 + 0.25 + 1) / 4 */
    double p[4] = {0.9, 0.2, 0.5, 1.0}, o[4] = {1, 0, 1, 0};
    assert_near(bt_brier(p, o, 4), 0.325, 1e-12);
    /* Wilson 95 % of 9 in 10: 0.5958 to 0.9821 (Wilson 1927; Newcombe 1998, table I) */
    double lo, hi;
    bt_wilson(9, 10, 1.959963984540054, &lo, &hi);
    assert_near(lo, 0.5958, 5e-5);
    assert_near(hi, 0.9821, 5e-5);
    bt_wilson(0, 10, 1.959963984540054, &lo, &hi);
    assert_near(lo, 0, 1e-12);
    assert_near(hi, 0.2775, 5e-5);
    /* PIT, mid-rank on ties */
    double x[4] = {1, 2, 2, 3};
    assert_near(bt_pit(x, 4, 2), 0.5, 1e-12);
    assert_near(bt_pit(x, 4, 0), 0, 1e-12);
    assert_near(bt_pit(x, 4, 9), 1, 1e-12);
    assert_near(bt_pit(x, 4, 2.5), 0.75, 1e-12);
}

/* The sorted-sum CRPS equals the double sum, and tends to the normal
 * closed form: 200 replicates of 200 draws, within 3 SE. */
static void test_crps(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    rng_seed_stream(r, 42);
    double x[200], y = 0.7;
    for (int i = 0; i < 50; i++)
        x[i] = gsl_ran_gaussian(r, 2);
    double a = 0, pairs = 0;
    for (int i = 0; i < 50; i++) {
        a += fabs(x[i] - y);
        for (int j = 0; j < 50; j++)
            pairs += fabs(x[i] - x[j]);
    }
    double direct = a / 50 - pairs / (2.0 * 50 * 49);
    assert_near(bt_crps_sample(x, 50, y), direct, 1e-12);
    static const double cases[][3] = {{0, 1, 0}, {0, 1, 1.5}, {2, 0.5, 1}, {10, 3, 18}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double mu = cases[c][0], sd = cases[c][1], yy = cases[c][2], s = 0, sq = 0;
        enum { R = 200 };
        for (int k = 0; k < R; k++) {
            for (int i = 0; i < 200; i++)
                x[i] = mu + gsl_ran_gaussian(r, sd);
            double v = bt_crps_sample(x, 200, yy);
            s += v;
            sq += v * v;
        }
        double mean = s / R, se = sqrt((sq / R - mean * mean) / (R - 1));
        double want = bt_crps_normal(mu, sd, yy);
        print_message("CRPS N(%g, %g) at %g: sample %.5f ± %.5f, closed form %.5f\n", mu, sd, yy, mean, se, want);
        assert_near(mean, want, 3 * se);
    }
    /* closed-form spot value: CRPS of N(0,1) at 0 is 2φ(0) − 1/√π */
    assert_near(bt_crps_normal(0, 1, 0), 2 / sqrt(2 * M_PI) - 1 / sqrt(M_PI), 1e-12);
    gsl_rng_free(r);
}

/* 500 cases, each a forecast of 400 draws from N(μ_i, s²) and a truth
 * from N(μ_i, 1): s = 1 is calibrated at P10/P50/P80/P90 (each level
 * inside its Wilson interval); s = 1/2 fails at P10, P80 and P90. */
static void coverage_case(double spread, bt_cover out[4], double *pit_mean)
{
    enum { N = 500, M = 400 };
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    rng_seed_stream(r, 7);
    static const double taus[4] = {0.1, 0.5, 0.8, 0.9};
    double *q = malloc(4 * N * sizeof *q), y[N], x[M], pit = 0;
    for (int i = 0; i < N; i++) {
        double mu = 100 * gsl_rng_uniform(r);
        for (int j = 0; j < M; j++)
            x[j] = mu + gsl_ran_gaussian(r, spread);
        y[i] = mu + gsl_ran_gaussian(r, 1);
        stats_sort(x, M);
        for (int k = 0; k < 4; k++)
            q[k * N + i] = stats_quantile_sorted(x, M, taus[k]);
        pit += bt_pit(x, M, y[i]);
    }
    for (int k = 0; k < 4; k++)
        bt_coverage(q + k * N, y, N, taus[k], &out[k]);
    *pit_mean = pit / N;
    free(q);
    gsl_rng_free(r);
}

static void test_coverage(void **state)
{
    (void)state;
    bt_cover c[4];
    double pit;
    coverage_case(1, c, &pit);
    for (int k = 0; k < 4; k++) {
        print_message("truth's spread: P%.0f covers %.3f [%.3f, %.3f]\n", 100 * c[k].tau, c[k].rate, c[k].lo, c[k].hi);
        assert_true(c[k].calibrated);
    }
    assert_near(pit, 0.5, 3 * sqrt(1.0 / 12 / 500));
    coverage_case(0.5, c, &pit);
    for (int k = 0; k < 4; k++)
        print_message("half the spread: P%.0f covers %.3f [%.3f, %.3f]\n", 100 * c[k].tau, c[k].rate, c[k].lo, c[k].hi);
    assert_false(c[0].calibrated);
    assert_false(c[2].calibrated);
    assert_false(c[3].calibrated);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_crps),
        cmocka_unit_test(test_coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
