/*
 * The month-end fan's fast paths (stats_means, stats_fan_quantiles) give
 * the very numbers of the slow ones (gsl_stats_mean, stats_fan_point), bit
 * for bit, on the data a fan meets and on the data that sends the
 * histogram to its fallback.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "stats.h"

static uint64_t lcg(uint64_t *z)
{
    *z = *z * 6364136223846793005ULL + 1442695040888963407ULL;
    return *z >> 11;
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* k arrays side by side, k from 1 to 9 (the four-wide loop and its
 * remainder), a stride longer than n, values over many magnitudes */
static void test_means(void **state)
{
    (void)state;
    enum { N = 3001, STRIDE = 3007, K = 9 };
    double *x = malloc((size_t)K * STRIDE * sizeof *x);
    assert_non_null(x);
    uint64_t z = 5;
    for (size_t i = 0; i < (size_t)K * STRIDE; i++)
        x[i] = (double)lcg(&z) / 9007199254740992.0 * pow(10, (double)(i % 13)) - (i % 5 == 0 ? 3e5 : 0);
    for (size_t k = 1; k <= K; k++)
        for (size_t n = 1; n <= N; n += n < 40 ? 1 : 331) {
            double got[K];
            stats_means(x, n, STRIDE, k, got);
            for (size_t j = 0; j < k; j++) {
                double want = gsl_stats_mean(x + j * STRIDE, 1, n);
                if (!same_bits(got[j], want)) {
                    print_error("k %zu n %zu array %zu: %.17g, gsl %.17g\n", k, n, j, got[j], want);
                    fail();
                }
            }
        }
    free(x);
}

enum { N = 20000 };

/* stats_fan_quantiles on y[0..n) against stats_fan_point on a copy; y
 * must be left as it was */
static void check_kind(const char *kind, const double *y, size_t n)
{
    static double x[N], keep[N], tmp[2 * N];
    double mean, w10, w50, w90, p10, p50, p90;
    memcpy(x, y, n * sizeof *x);
    stats_fan_point(x, n, &mean, &w10, &w50, &w90);
    memcpy(keep, y, n * sizeof *keep);
    stats_fan_quantiles(y, n, tmp, &p10, &p50, &p90);
    if (!same_bits(p10, w10) || !same_bits(p50, w50) || !same_bits(p90, w90)) {
        print_error("%s, n %zu: %.17g %.17g %.17g, want %.17g %.17g %.17g\n", kind, n, p10, p50, p90, w10,
                    w50, w90);
        fail();
    }
    if (memcmp(keep, y, n * sizeof *y)) {
        print_error("%s, n %zu: the values were moved\n", kind, n);
        fail();
    }
}

static void test_quantiles(void **state)
{
    (void)state;
    static double y[N];
    static const char *const kinds[] = {
        "continuous",        /* month-end cost */
        "counts 0..24",      /* month-end accepted: every bin wanted is one value */
        "one far outlier",   /* all but one value in the lowest bin */
        "clustered",         /* two clusters, a few bins hold everything */
        "constant",
        "two values",
        "+Inf among them",   /* the fallback */
        "-0 and +0",         /* the fallback: selection may order them either way */
        "huge range",        /* hi − lo overflows: one bin */
        "subnormal range",   /* the bins cannot divide it: the fallback */
        "negative",
    };
    for (size_t kind = 0; kind < sizeof kinds / sizeof kinds[0]; kind++) {
        uint64_t z = 11 + kind;
        for (size_t i = 0; i < N; i++) {
            double u = (double)lcg(&z) / 9007199254740992.0;
            switch (kind) {
            case 0: y[i] = 1e5 + 4e5 * u * u; break;
            case 1: y[i] = floor(25 * u); break;
            case 2: y[i] = i == 7 ? 1e15 : u; break;
            case 3: y[i] = u < 0.5 ? 100 + u : 1e9 + u; break;
            case 4: y[i] = 1234.5; break;
            case 5: y[i] = u < 0.3 ? 0.1 : 0.7; break;
            case 6: y[i] = u < 0.15 ? INFINITY : u; break;
            case 7: y[i] = u < 0.5 ? -0.0 : (u < 0.8 ? 0.0 : u); break;
            case 8: y[i] = u < 0.5 ? -1.5e308 * u : 1.5e308 * u; break;
            case 9: y[i] = 4.9e-324 * floor(3 * u); break;
            default: y[i] = -1e6 * u; break;
            }
        }
        for (size_t n = 1; n <= N; n = n < 8 ? n + 1 : n * 3 + 1)
            check_kind(kinds[kind], y, n);
        check_kind(kinds[kind], y, N);
        check_kind(kinds[kind], y, 1024);
        check_kind(kinds[kind], y, 1025);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_means),
        cmocka_unit_test(test_quantiles),
    };
    return cmocka_run_group_tests_name("fan", tests, NULL, NULL);
}
