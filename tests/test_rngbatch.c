/*
 * Tests for sim/base/rngbatch.c: each lane is the reference xoshiro256**
 * seeded as documented (so the vectorised refill computes the reference
 * numbers), the buffer order, refill boundaries, reproducibility, lanes
 * and keys independent, and uniformity (chi-square, KS) at fixed seeds;
 * the batch inverse CDFs of sim/base/dist.c that a refill applies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "dist.h"
#include "rng.h"
#include "rngbatch.h"

/* The documented stream, from the reference algorithms of testutil.h
 * (not rngbatch.c's shift-and-add form): one splitmix64 run from key, lane j its words
 * 4j..4j+3; uniform = top 52 bits · 2^-52; buffer index k·LANES + j is
 * lane j's k-th output. */
static void ref_stream(uint64_t key, size_t n, double *out)
{
    uint64_t s[RNGB_LANES][4], sm = key;
    for (int j = 0; j < RNGB_LANES; j++)
        for (int w = 0; w < 4; w++)
            s[j][w] = tu_ref_splitmix(&sm);
    for (size_t i = 0; i < n; i++)
        out[i] = (double)(tu_ref_xoshiro_next(s[i % RNGB_LANES]) >> 12) * 0x1.0p-52;
}

static void test_matches_reference(void **state)
{
    (void)state;
    const size_t n = 5 * RNGB_N + 3; /* several refills and a partial one */
    double *want = malloc(n * sizeof *want);
    assert_non_null(want);
    const uint64_t keys[] = {0, 1, 42, UINT64_MAX, rng_stream_key(7, RNG_DOMAIN_ALT, "x", 3)};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        ref_stream(keys[k], n, want);
        rngb b;
        rngb_seed(&b, keys[k]);
        for (size_t i = 0; i < n; i++) {
            double u = rngb_uniform(&b);
            if (u != want[i]) {
                print_error("key %zu draw %zu: %.17g, expected %.17g\n", k, i, u, want[i]);
                fail();
            }
        }
    }
    free(want);
}

/* The first draw refills; the RNGB_N-th is the last of the buffer; the
 * next one refills again and continues the lanes (no draw lost or
 * repeated at the boundary). */
static void test_refill_boundary(void **state)
{
    (void)state;
    rngb b;
    rngb_seed(&b, 99);
    assert_int_equal(b.pos, RNGB_N);
    double first = rngb_uniform(&b);
    assert_int_equal(b.pos, 1);
    for (int i = 1; i < RNGB_N; i++)
        (void)rngb_uniform(&b);
    assert_int_equal(b.pos, RNGB_N);
    double last = b.buf[RNGB_N - 1], next = rngb_uniform(&b);
    assert_int_equal(b.pos, 1);
    double want[RNGB_N + 1];
    ref_stream(99, RNGB_N + 1, want);
    assert_true(first == want[0]);
    assert_true(last == want[RNGB_N - 1]);
    assert_true(next == want[RNGB_N]);
}

static void test_reproducible_and_keyed(void **state)
{
    (void)state;
    rngb a, b, c;
    rngb_seed(&a, 12345);
    rngb_seed(&b, 12345);
    rngb_seed(&c, 12346);
    int same_c = 0;
    for (int i = 0; i < 3 * RNGB_N; i++) {
        double x = rngb_uniform(&a), y = rngb_uniform(&b), z = rngb_uniform(&c);
        assert_true(x == y);
        same_c += x == z;
    }
    assert_true(same_c < 3); /* chance agreement of 52-bit numbers: none */
    /* reseeding restarts the stream and empties the buffer */
    rngb_seed(&a, 12345);
    rngb_seed(&b, 12345);
    (void)rngb_uniform(&b);
    rngb_seed(&b, 12345);
    for (int i = 0; i < 10; i++)
        assert_true(rngb_uniform(&a) == rngb_uniform(&b));
}

/* Lanes are independent: the correlation of lane j's and lane j+1's k-th
 * outputs, and of consecutive draws in the buffer, is 0 within 4 SE
 * (SE = 1/sqrt(n)). */
static void test_lanes_independent(void **state)
{
    (void)state;
    enum { ROUNDS = 20000 };
    static double lane[RNGB_LANES][ROUNDS];
    rngb b;
    rngb_seed(&b, 2026);
    for (int k = 0; k < ROUNDS; k++)
        for (int j = 0; j < RNGB_LANES; j++)
            lane[j][k] = rngb_uniform(&b);
    double tol = 4 / sqrt((double)ROUNDS);
    for (int j = 0; j + 1 < RNGB_LANES; j++) {
        double r = gsl_stats_correlation(lane[j], 1, lane[j + 1], 1, ROUNDS);
        assert_near(r, 0, tol);
        /* a lane against itself one round later */
        double r1 = gsl_stats_correlation(lane[j], 1, lane[j] + 1, 1, ROUNDS - 1);
        assert_near(r1, 0, tol);
    }
    /* no two lanes start equal (distinct seeds) */
    for (int i = 0; i < RNGB_LANES; i++)
        for (int j = i + 1; j < RNGB_LANES; j++)
            assert_true(lane[i][0] != lane[j][0]);
}

/* Chi-square over 256 equal bins: 1,024,000 draws, 255 df; the 0.999
 * quantile is about 330.  Mean and variance within 4 SE of 1/2, 1/12. */
static void test_uniform_chisq(void **state)
{
    (void)state;
    enum { N = 1024000, BINS = 256 };
    static unsigned counts[BINS];
    memset(counts, 0, sizeof counts);
    rngb b;
    rngb_seed(&b, rng_stream_key(1, RNG_DOMAIN_ALT, "chisq", 0));
    double sum = 0, sum2 = 0;
    for (int i = 0; i < N; i++) {
        double u = rngb_uniform(&b);
        assert_true(u >= 0 && u < 1);
        counts[(int)(u * BINS)]++;
        sum += u;
        sum2 += u * u;
    }
    double e = (double)N / BINS, chi2 = 0;
    for (int i = 0; i < BINS; i++)
        chi2 += (counts[i] - e) * (counts[i] - e) / e;
    assert_true(chi2 < gsl_cdf_chisq_Pinv(0.999, BINS - 1));
    double mean = sum / N, var = sum2 / N - mean * mean;
    assert_near(mean, 0.5, 4 * sqrt(1.0 / 12 / N));
    assert_near(var, 1.0 / 12, 4 * sqrt(1.0 / 180 / N)); /* Var(U²)-based SE */
}

/* Kolmogorov–Smirnov on 100,000 draws: sqrt(n)·D below 1.95 (p = 0.001). */
static void test_uniform_ks(void **state)
{
    (void)state;
    enum { N = 100000 };
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    rngb b;
    rngb_seed(&b, 77);
    for (int i = 0; i < N; i++)
        x[i] = rngb_uniform(&b);
    gsl_sort(x, 1, N);
    double d = 0;
    for (int i = 0; i < N; i++) {
        double lo = x[i] - (double)i / N, hi = (double)(i + 1) / N - x[i];
        d = fmax(d, fmax(lo, hi));
    }
    assert_true(sqrt((double)N) * d < 1.95);
    free(x);
}

/* Through GSL: get_double is the stream, get its top 32 bits, and
 * gsl_rng_set seeds it as rngb_seed. */
static void test_gsl_type(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(rngb_gsl_type);
    assert_non_null(r);
    assert_int_equal(gsl_rng_size(r), sizeof(rngb));
    assert_true(gsl_rng_max(r) == 0xffffffffUL);
    gsl_rng_set(r, 5);
    double want[4];
    ref_stream(5, 4, want);
    assert_true(gsl_rng_uniform(r) == want[0]);
    assert_true(gsl_rng_get(r) == (unsigned long)(want[1] * 4294967296.0));
    rngb_seed(rngb_of(r), 5);
    assert_true(rngb_uniform(rngb_of(r)) == want[0]);
    gsl_rng_free(r);
}

/* A batch inverse is dist_sample on the same uniform, bit for bit (a
 * generator that returns the batch's uniforms in order feeds
 * dist_sample), for each form dist_batch_ok accepts; and the two sides of
 * a triangular's mode, and its ends, land where the closed form says. */
static void test_inv_batch_is_dist_sample(void **state)
{
    (void)state;
    const dist forms[] = {
        {.kind = DIST_CONST, .a = 2.5},
        {.kind = DIST_UNIFORM, .a = -1, .b = 3},
        {.kind = DIST_TRIANGULAR, .a = 0.4, .b = 0.8, .c = 1.8},
        {.kind = DIST_TRIANGULAR, .a = 1, .b = 1, .c = 4}, /* mode at the left end */
        {.kind = DIST_TRIANGULAR, .a = 1, .b = 4, .c = 4}, /* ... at the right end */
    };
    gsl_rng *r = gsl_rng_alloc(rngb_gsl_type);
    assert_non_null(r);
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        assert_true(dist_batch_ok(&forms[f]));
        rngb_seed(rngb_of(r), 1000 + f);
        rngb b;
        rngb_seed(&b, 1000 + f);
        for (int k = 0; k < 3; k++) {
            rngb_refill(&b);
            dist_inv_batch(&forms[f], b.buf, RNGB_N);
            for (int i = 0; i < RNGB_N; i++) {
                double want = dist_sample(&forms[f], r);
                if (b.buf[i] != want) {
                    print_error("form %zu draw %d: %.17g, dist_sample %.17g\n", f, k * RNGB_N + i,
                                b.buf[i], want);
                    fail();
                }
            }
        }
    }
    double u[3] = {0, 0.999999999, 0.4 / 1.4};
    dist_inv_batch(&forms[2], u, 3);
    assert_near(u[0], 0.4, 1e-15);
    assert_near(u[1], 1.8, 1e-4);
    assert_near(u[2], 0.8, 1e-12); /* F(mode) = (b − a)/(c − a) */
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_reference),
        cmocka_unit_test(test_refill_boundary),
        cmocka_unit_test(test_reproducible_and_keyed),
        cmocka_unit_test(test_lanes_independent),
        cmocka_unit_test(test_uniform_chisq),
        cmocka_unit_test(test_uniform_ks),
        cmocka_unit_test(test_gsl_type),
        cmocka_unit_test(test_inv_batch_is_dist_sample),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
