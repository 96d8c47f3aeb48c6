/*
 * Tests for sim/base/rng.c: the generator against an independent transcription
 * of the reference xoshiro256** and splitmix64, pinned stream keys (every
 * published number depends on them), stream separation, and basic
 * statistical sanity at fixed seeds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <gsl/gsl_sort.h>
#include <stdlib.h>

#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "rng.h"

static gsl_rng *new_rng(void)
{
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    assert_non_null(r);
    return r;
}

static void set_state(gsl_rng *r, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    uint64_t s[4] = {a, b, c, d};
    assert_int_equal(gsl_rng_size(r), sizeof s);
    memcpy(gsl_rng_state(r), s, sizeof s);
}

static void test_type_fields(void **state)
{
    (void)state;
    assert_string_equal(rng_xoshiro256ss->name, "xoshiro256**");
    assert_true(rng_xoshiro256ss->max == 0xffffffffUL);
    assert_true(rng_xoshiro256ss->min == 0);
    assert_int_equal(rng_xoshiro256ss->size, 4 * sizeof(uint64_t));
    gsl_rng *r = new_rng();
    assert_string_equal(gsl_rng_name(r), "xoshiro256**");
    gsl_rng_free(r);
}

/* The reference's own first outputs from state {1, 2, 3, 4}. */
static void test_reference_known_state(void **state)
{
    (void)state;
    static const uint64_t expect[] = {UINT64_C(11520), UINT64_C(0), UINT64_C(1509978240),
                                      UINT64_C(1215971899390074240)};
    uint64_t s[4] = {1, 2, 3, 4};
    for (size_t i = 0; i < 4; i++)
        assert_true(tu_ref_xoshiro_next(s) == expect[i]);

    /* Our gsl_rng_get is the upper half of the same outputs ... */
    gsl_rng *r = new_rng();
    set_state(r, 1, 2, 3, 4);
    for (size_t i = 0; i < 4; i++)
        assert_true(gsl_rng_get(r) == (unsigned long)(expect[i] >> 32));
    /* ... and gsl_rng_uniform their top 53 bits. */
    set_state(r, 1, 2, 3, 4);
    for (size_t i = 0; i < 4; i++)
        assert_true(gsl_rng_uniform(r) == (double)(expect[i] >> 11) * 0x1.0p-53);
    gsl_rng_free(r);
}

/* A long run from a splitmix64-expanded seed, against the reference. */
static void test_matches_reference_long_run(void **state)
{
    (void)state;
    const uint64_t seed = UINT64_C(0x0123456789abcdef);
    uint64_t x = seed, s[4];
    for (int i = 0; i < 4; i++)
        s[i] = tu_ref_splitmix(&x);

    gsl_rng *r = new_rng();
    rng_seed_stream(r, seed);
    for (int i = 0; i < 100000; i++) {
        uint64_t v = tu_ref_xoshiro_next(s);
        if (i % 2)
            assert_true(gsl_rng_get(r) == (unsigned long)(v >> 32));
        else
            assert_true(gsl_rng_uniform(r) == (double)(v >> 11) * 0x1.0p-53);
    }
    gsl_rng_free(r);
}

static void test_splitmix64(void **state)
{
    (void)state;
    /* Vigna's splitmix64 from 0: its widely published first outputs. */
    uint64_t x = 0;
    assert_true(rng_splitmix64(&x) == UINT64_C(0xe220a8397b1dcdaf));
    assert_true(rng_splitmix64(&x) == UINT64_C(0x6e789e6aa1b965f4));
    assert_true(rng_splitmix64(&x) == UINT64_C(0x06c45d188009454f));
    uint64_t a = 12345, b = 12345;
    for (int i = 0; i < 1000; i++)
        assert_true(rng_splitmix64(&a) == tu_ref_splitmix(&b));
}

static void test_state_never_zero(void **state)
{
    (void)state;
    gsl_rng *r = new_rng();
    static const uint64_t seeds[] = {0, 1, UINT64_C(0x9e3779b97f4a7c15),
                                     (uint64_t)0 - UINT64_C(0x9e3779b97f4a7c15), UINT64_MAX};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        rng_seed_stream(r, seeds[i]);
        const uint64_t *s = gsl_rng_state(r);
        assert_true((s[0] | s[1] | s[2] | s[3]) != 0);
    }
    gsl_rng_free(r);
}

/* Changing it changes every published number: pinned. */
static void test_stream_key_pinned(void **state)
{
    (void)state;
    assert_true(rng_stream_key(0, RNG_DOMAIN_WORK, "", 0) == UINT64_C(0x9528130b157b4aa7));
    assert_true(rng_stream_key(0, RNG_DOMAIN_ALT, "", 0) == UINT64_C(0x19df4f8def578785));
    assert_true(rng_stream_key(42, RNG_DOMAIN_ALT, "offshore", 0) ==
                UINT64_C(0xd8a57497ec8b1e25));
    assert_true(rng_stream_key(42, RNG_DOMAIN_ALT, "offshore", 1) ==
                UINT64_C(0x6e0e0a4167c51494));
    assert_true(rng_stream_key(42, RNG_DOMAIN_WORK, "work", 7) == UINT64_C(0xadb114ca20f6a1f4));
    assert_true(rng_stream_key(UINT64_MAX, RNG_DOMAIN_ALT, "ai-agents", 123456789) ==
                UINT64_C(0x63b5a432e9cc4294));
    /* A NULL name is the empty name, not a crash. */
    assert_true(rng_stream_key(0, RNG_DOMAIN_WORK, NULL, 0) == UINT64_C(0x9528130b157b4aa7));
}

static int popcount64(uint64_t x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void test_stream_keys_distinct(void **state)
{
    (void)state;
    static const char *const names[] = {"", "a", "b", "ab", "ba", "work", "offshore", "offshore "};
    const size_t nn = sizeof names / sizeof names[0], nb = 200, ns = 5;
    size_t total = nn * nb * ns * 2, k = 0;
    uint64_t *keys = malloc(total * sizeof *keys);
    assert_non_null(keys);
    for (size_t s = 0; s < ns; s++)
        for (int dom = RNG_DOMAIN_WORK; dom <= RNG_DOMAIN_ALT; dom++)
            for (size_t i = 0; i < nn; i++)
                for (size_t b = 0; b < nb; b++)
                    keys[k++] = rng_stream_key(s, (rng_domain)dom, names[i], b);
    qsort(keys, total, sizeof *keys, cmp_u64);
    for (size_t i = 1; i < total; i++)
        assert_true(keys[i] != keys[i - 1]);
    free(keys);
}

/* Nearby seeds and blocks must give unrelated keys: on average half of the
 * 64 bits flip, and never very few. */
static void test_stream_key_avalanche(void **state)
{
    (void)state;
    double sum = 0;
    int n = 0, fewest = 64;
    for (uint64_t i = 0; i < 2000; i++) {
        uint64_t k0 = rng_stream_key(i, RNG_DOMAIN_ALT, "pod", 0);
        uint64_t pairs[3] = {rng_stream_key(i + 1, RNG_DOMAIN_ALT, "pod", 0),
                             rng_stream_key(i, RNG_DOMAIN_ALT, "pod", 1),
                             rng_stream_key(i, RNG_DOMAIN_WORK, "pod", 0)};
        for (int j = 0; j < 3; j++) {
            int bits = popcount64(k0 ^ pairs[j]);
            sum += bits;
            n++;
            fewest = bits < fewest ? bits : fewest;
        }
    }
    /* Binomial(64, 1/2) per pair: mean 32, sd 4; 6000 pairs. */
    assert_near(sum / n, 32.0, 5 * 4 / sqrt(n));
    assert_true(fewest >= 8);
}

static void test_determinism(void **state)
{
    (void)state;
    gsl_rng *r1 = new_rng(), *r2 = new_rng();
    uint64_t key = rng_stream_key(7, RNG_DOMAIN_ALT, "pod", 3);
    rng_seed_stream(r1, key);
    rng_seed_stream(r2, key);
    for (int i = 0; i < 1000; i++)
        assert_true(gsl_rng_get(r1) == gsl_rng_get(r2));
    /* Reseeding restarts the stream. */
    rng_seed_stream(r1, key);
    rng_seed_stream(r2, key);
    assert_true(gsl_rng_uniform(r1) == gsl_rng_uniform(r2));
    /* A neighbouring block is another stream. */
    rng_seed_stream(r2, rng_stream_key(7, RNG_DOMAIN_ALT, "pod", 4));
    int same = 0;
    for (int i = 0; i < 1000; i++)
        same += gsl_rng_get(r1) == gsl_rng_get(r2);
    assert_true(same < 5);
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}

/* On LP64 gsl_rng_set must see all 64 bits of a key, and agree with
 * rng_seed_stream. */
static void test_set_uses_all_bits(void **state)
{
    (void)state;
    if (sizeof(unsigned long) < 8)
        skip();
    gsl_rng *r1 = new_rng(), *r2 = new_rng();
    uint64_t key = UINT64_C(0x00000001deadbeef);
    gsl_rng_set(r1, (unsigned long)key);
    gsl_rng_set(r2, (unsigned long)(key ^ (UINT64_C(1) << 40)));
    assert_memory_not_equal(gsl_rng_state(r1), gsl_rng_state(r2), gsl_rng_size(r1));
    rng_seed_stream(r2, key);
    assert_memory_equal(gsl_rng_state(r1), gsl_rng_state(r2), gsl_rng_size(r1));
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}

static void test_uniform_moments(void **state)
{
    (void)state;
    gsl_rng *r = new_rng();
    rng_seed_stream(r, rng_stream_key(1, RNG_DOMAIN_ALT, "uniform", 0));
    const int n = 2000000;
    double sum = 0, sq = 0, lo = 1, hi = 0;
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r);
        assert_true(u >= 0 && u < 1);
        sum += u;
        sq += (u - 0.5) * (u - 0.5);
        lo = u < lo ? u : lo;
        hi = u > hi ? u : hi;
    }
    /* Var(U) = 1/12; Var((U - 1/2)^2) = 1/80 - 1/144 = 1/180. */
    assert_near(sum / n, 0.5, 5 * sqrt(1.0 / 12 / n));
    assert_near(sq / n, 1.0 / 12, 5 * sqrt(1.0 / 180 / n));
    assert_true(lo < 1e-5 && hi > 1 - 1e-5);

    /* gsl_rng_get covers the 32-bit range evenly: check the top byte. */
    long counts[256] = {0};
    for (int i = 0; i < 256 * 4000; i++)
        counts[gsl_rng_get(r) >> 24]++;
    double chi2 = 0;
    for (int i = 0; i < 256; i++)
        chi2 += (counts[i] - 4000.0) * (counts[i] - 4000.0) / 4000.0;
    /* chi^2 with 255 df: the 0.999 quantile is about 330. */
    assert_true(chi2 < 330);
    gsl_rng_free(r);
}

/* From {1, 2, 3, 4} the second output is exactly 0: gsl_rng_uniform
 * returns it and gsl_rng_uniform_pos must skip it. */
static void test_uniform_pos_skips_zero(void **state)
{
    (void)state;
    gsl_rng *r = new_rng();
    set_state(r, 1, 2, 3, 4);
    (void)gsl_rng_uniform(r);
    assert_true(gsl_rng_uniform(r) == 0.0);

    set_state(r, 1, 2, 3, 4);
    (void)gsl_rng_uniform(r);
    double u = gsl_rng_uniform_pos(r);
    assert_true(u > 0);
    assert_true(u == (double)(UINT64_C(1509978240) >> 11) * 0x1.0p-53);

    set_state(r, 1, 2, 3, 4);
    (void)gsl_rng_uniform(r);
    /* the ziggurat maps this all-zero word to exactly 0, a valid (if
     * probability-2^-53) Exp(1) value; it must not be NaN or negative */
    double e = rng_exp1(r);
    assert_true(isfinite(e) && e >= 0);

    rng_seed_stream(r, 99);
    for (int i = 0; i < 1000000; i++)
        assert_true(gsl_rng_uniform_pos(r) > 0);
    gsl_rng_free(r);
}

static void test_exp1_moments(void **state)
{
    (void)state;
    gsl_rng *r = new_rng();
    rng_seed_stream(r, rng_stream_key(3, RNG_DOMAIN_WORK, "exp", 0));
    const int n = 1000000;
    double sum = 0, sq = 0;
    for (int i = 0; i < n; i++) {
        double e = rng_exp1(r);
        assert_true(e >= 0 && isfinite(e));
        sum += e;
        sq += (e - 1) * (e - 1);
    }
    /* Exp(1): mean 1, variance 1, Var((E-1)^2) = 9 - 1 = 8. */
    assert_near(sum / n, 1.0, 5 / sqrt(n));
    assert_near(sq / n, 1.0, 5 * sqrt(8.0 / n));
    gsl_rng_free(r);
}

/* The ziggurat exponential against the exact CDF: a KS test over 10^6
 * draws, and the tail beyond the base strip (r ≈ 7.697), where a wrong
 * tail sampler would show first. */
static void test_exp1_ziggurat_ks(void **state)
{
    (void)state;
    gsl_rng *r = new_rng();
    rng_seed_stream(r, rng_stream_key(11, RNG_DOMAIN_ALT, "ziggurat", 5));
    const size_t n = 1000000;
    double *x = malloc(n * sizeof *x);
    assert_non_null(x);
    size_t tail = 0, mid = 0;
    for (size_t i = 0; i < n; i++) {
        x[i] = rng_exp1(r);
        tail += x[i] > 8;
        mid += x[i] > 1 && x[i] <= 2;
    }
    gsl_sort(x, 1, n);
    double D = 0;
    for (size_t i = 0; i < n; i++) {
        double F = 1 - exp(-x[i]);
        double lo = F - (double)i / (double)n, hi = (double)(i + 1) / (double)n - F;
        if (lo > D)
            D = lo;
        if (hi > D)
            D = hi;
    }
    assert_true(D * sqrt((double)n) < 1.95); /* p ≈ 0.001 */
    double pt = exp(-8.0), pm = exp(-1.0) - exp(-2.0);
    assert_near((double)tail / (double)n, pt, 5 * sqrt(pt * (1 - pt) / (double)n));
    assert_near((double)mid / (double)n, pm, 5 * sqrt(pm * (1 - pm) / (double)n));
    free(x);
    gsl_rng_free(r);
}

/* On another generator type the exponential falls back to −log u. */
static void test_exp1_other_type(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 42);
    gsl_rng *ref = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(ref, 42);
    for (int i = 0; i < 100; i++)
        assert_true(rng_exp1(r) == -log(gsl_rng_uniform_pos(ref)));
    gsl_rng_free(r);
    gsl_rng_free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_fields),
        cmocka_unit_test(test_reference_known_state),
        cmocka_unit_test(test_matches_reference_long_run),
        cmocka_unit_test(test_splitmix64),
        cmocka_unit_test(test_state_never_zero),
        cmocka_unit_test(test_stream_key_pinned),
        cmocka_unit_test(test_stream_keys_distinct),
        cmocka_unit_test(test_stream_key_avalanche),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_set_uses_all_bits),
        cmocka_unit_test(test_uniform_moments),
        cmocka_unit_test(test_uniform_pos_skips_zero),
        cmocka_unit_test(test_exp1_moments),
        cmocka_unit_test(test_exp1_ziggurat_ks),
        cmocka_unit_test(test_exp1_other_type),
    };
    return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
