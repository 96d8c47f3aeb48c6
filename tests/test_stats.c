/*
 * Statistics conventions (model §16) on data whose
 * answers are known by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "testutil.h"
#include "stats.h"

static void test_quantiles_excel(void **state)
{
    (void)state;
    double x[100], s[100];
    for (int i = 0; i < 100; i++)
        x[99 - i] = i + 1; /* unsorted on purpose */
    stats_summary st;
    stats_summarise(x, 100, s, &st);
    /* PERCENTILE.INC(1..100, p) = 1 + 99p */
    assert_near(st.p5, 5.95, 1e-12);
    assert_near(st.p10, 10.9, 1e-12);
    assert_near(st.p25, 25.75, 1e-12);
    assert_near(st.p50, 50.5, 1e-12);
    assert_near(st.p90, 90.1, 1e-12);
    assert_near(st.p95, 95.05, 1e-12);
    assert_near(st.min, 1, 0);
    assert_near(st.max, 100, 0);
    assert_near(st.mean, 50.5, 1e-12);
    assert_near(st.sd, sqrt(100.0 * 101 / 12), 1e-9); /* sample sd of 1..n: sqrt(n(n+1)/12) */
    assert_near(st.se, st.sd / 10, 1e-12);
    double t = gsl_cdf_tdist_Pinv(0.975, 99);
    assert_near(st.ci_hi - st.mean, t * st.se, 1e-12);
    /* CVaR95: the mean of the largest ceil(0.05·100) = 5 values */
    assert_near(st.cvar95, 98, 1e-12);
}

static void test_cvar_rounds_up(void **state)
{
    (void)state;
    double x[101], s[101];
    for (int i = 0; i < 101; i++)
        x[i] = i;
    stats_summary st;
    stats_summarise(x, 101, s, &st);
    /* ceil(5.05) = 6 values: 95..100 */
    assert_near(st.cvar95, 97.5, 1e-12);
}

static void test_infinity_and_null(void **state)
{
    (void)state;
    double x[10] = {1, 2, 3, 4, 5, 6, 7, 8, INFINITY, NAN}, s[10];
    stats_summary st;
    stats_summarise(x, 10, s, &st);
    assert_int_equal(st.n, 9);
    assert_int_equal(st.n_inf, 1);
    assert_int_equal(st.n_null, 1);
    assert_near(st.mean, 4.5, 1e-12); /* over the finite values */
    assert_true(isinf(st.max));
    assert_true(isinf(st.cvar95));
    assert_near(st.p50, 5, 1e-12); /* 9 values: the 5th */
    /* p95 at position 7.6 lies between 8 and +Inf */
    assert_true(isinf(st.p95));
    /* exactly on a finite order statistic next to +Inf: no 0·Inf NaN */
    assert_near(stats_quantile_sorted((double[]){1, 2, INFINITY}, 3, 0.5), 2, 0);
    assert_true(isinf(stats_quantile_sorted((double[]){1, 2, INFINITY}, 3, 1.0)));
}

static void test_all_null(void **state)
{
    (void)state;
    double x[3] = {NAN, NAN, NAN}, s[3];
    stats_summary st;
    stats_summarise(x, 3, s, &st);
    assert_int_equal(st.n, 0);
    assert_int_equal(st.n_null, 3);
    assert_true(isnan(st.mean) && isnan(st.p50) && isnan(st.cvar95));
}

static void test_paired(void **state)
{
    (void)state;
    double a[5] = {10, 12, 9, 15, NAN}, b[5] = {11, 11, 11, 11, 11};
    stats_paired p;
    stats_paired_diff(a, b, 5, &p);
    /* differences −1, 1, −2, 4: mean 0.5, sample sd sqrt(7), se sd/2 */
    assert_int_equal(p.n, 4);
    assert_near(p.mean_diff, 0.5, 1e-12);
    assert_near(p.se, sqrt(7.0) / 2, 1e-12);
    assert_near(p.p_lower, 0.5, 1e-12);
    assert_near(stats_prob_above(a, 5, 10), 2.0 / 4, 1e-12);
}

/* The radix sort agrees with a comparison sort on awkward values. */
static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_sort(void **state)
{
    (void)state;
    enum { N = 5000 };
    static double x[N], y[N];
    uint64_t z = 12345;
    for (int i = 0; i < N; i++) {
        z = z * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(z >> 11) * 0x1.0p-53;
        switch (i % 7) {
        case 0: x[i] = -u * 1e6; break;
        case 1: x[i] = u * 1e-300; break;
        case 2: x[i] = -0.0; break;
        case 3: x[i] = 0.0; break;
        case 4: x[i] = (i % 14 == 4) ? INFINITY : -INFINITY; break;
        case 5: x[i] = floor(u * 10); break;
        default: x[i] = u * 1e12; break;
        }
        y[i] = x[i];
    }
    stats_sort(x, N);
    qsort(y, N, sizeof *y, cmp);
    for (int i = 0; i < N; i++)
        assert_true(x[i] == y[i]);
    for (int i = 1; i < N; i++)
        assert_true(x[i - 1] <= x[i]);
}

/* Selection quantiles equal the sorted ones: distinct values, heavy ties
 * (month-end accepted counts) and +Inf (cost per outcome with nothing
 * accepted), at every small size and some large ones. */
static void test_fan_point(void **state)
{
    (void)state;
    enum { N = 1001 };
    static double x[N], y[N], s2[N];
    for (int kind = 0; kind < 3; kind++) {
        uint64_t z = 99 + (uint64_t)kind;
        for (int i = 0; i < N; i++) {
            z = z * 6364136223846793005ULL + 1442695040888963407ULL;
            y[i] = kind == 1 ? (double)((z >> 40) % 7) : (double)(z >> 40) / 7.0;
            if (kind == 2 && (z >> 33) % 5 == 0)
                y[i] = INFINITY;
        }
        for (int n = 1; n <= N; n += n < 64 ? 1 : 187) {
            double mean, p10, p50, p90;
            for (int i = 0; i < n; i++)
                x[i] = s2[i] = y[i];
            stats_fan_point(x, (size_t)n, &mean, &p10, &p50, &p90);
            stats_sort(s2, (size_t)n);
            double w10 = stats_quantile_sorted(s2, (size_t)n, 0.10),
                   w50 = stats_quantile_sorted(s2, (size_t)n, 0.50),
                   w90 = stats_quantile_sorted(s2, (size_t)n, 0.90);
            if (!(p10 == w10 && p50 == w50 && p90 == w90)) {
                print_error("kind %d n %d: %g %g %g, want %g %g %g\n", kind, n, p10, p50, p90, w10, w50, w90);
                fail();
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantiles_excel), cmocka_unit_test(test_cvar_rounds_up),
        cmocka_unit_test(test_infinity_and_null), cmocka_unit_test(test_all_null),
        cmocka_unit_test(test_paired), cmocka_unit_test(test_sort), cmocka_unit_test(test_fan_point),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
