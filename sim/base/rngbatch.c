/*
 * rngbatch — RNGB_LANES xoshiro256** streams refilled side by side (see
 * rngbatch.h).  The step is the reference algorithm with its two
 * multiplications written as shifts and adds (x·5 = x + 4x, x·9 = x + 8x:
 * the same numbers), because SSE2 and AVX2 have no 64-bit multiply and a
 * multiply would stop the loop from vectorising.
 */
#include "rngbatch.h"

#include <string.h>

#include "rng.h"

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rngb_seed(rngb *b, uint64_t key)
{
    /* one splitmix64 run, as rng.c seeds one generator, continued over
     * the lanes: lane j takes its words 4j to 4j + 3, all distinct (the
     * splitmix64 output is a bijection of a counter) */
    uint64_t sm = key;
    for (int j = 0; j < RNGB_LANES; j++) {
        uint64_t any = 0;
        for (int w = 0; w < 4; w++) {
            b->s[w][j] = rng_splitmix64(&sm);
            any |= b->s[w][j];
        }
        if (!any) /* unreachable (distinct words); xoshiro's zero state is a fixed point */
            b->s[0][j] = UINT64_C(0x9e3779b97f4a7c15);
    }
    b->pos = RNGB_N;
}

/* -O2 targets baseline x86-64 (2 lanes of SSE2); an AVX2 clone, picked by
 * the loader where the CPU has it, does 4 lanes a vector with the same
 * bits (gcc only: clang 14's target_clones is incomplete). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void rngb_refill(rngb *b)
{
    /* local copies: the compiler then knows the state does not alias the
     * buffer, and keeps the lanes in vector registers across rounds */
    uint64_t s0[RNGB_LANES], s1[RNGB_LANES], s2[RNGB_LANES], s3[RNGB_LANES];
    memcpy(s0, b->s[0], sizeof s0);
    memcpy(s1, b->s[1], sizeof s1);
    memcpy(s2, b->s[2], sizeof s2);
    memcpy(s3, b->s[3], sizeof s3);
    for (int k = 0; k < RNGB_N; k += RNGB_LANES) {
        double *out = b->buf + k;
        for (int j = 0; j < RNGB_LANES; j++) {
            uint64_t x = s1[j] + (s1[j] << 2);
            uint64_t r = rotl(x, 7);
            r += r << 3;
            uint64_t t = s1[j] << 17;
            s2[j] ^= s0[j];
            s3[j] ^= s1[j];
            s1[j] ^= s2[j];
            s0[j] ^= s3[j];
            s2[j] ^= t;
            s3[j] = rotl(s3[j], 45);
            uint64_t bits = (r >> 12) | UINT64_C(0x3ff0000000000000);
            double d;
            memcpy(&d, &bits, sizeof d);
            out[j] = d - 1.0;
        }
    }
    memcpy(b->s[0], s0, sizeof s0);
    memcpy(b->s[1], s1, sizeof s1);
    memcpy(b->s[2], s2, sizeof s2);
    memcpy(b->s[3], s3, sizeof s3);
    b->pos = 0;
}

static void gb_set(void *state, unsigned long int seed)
{
    rngb_seed(state, (uint64_t)seed);
}

static unsigned long int gb_get(void *state)
{
    /* the uniform's top 32 bits: exact, it has 52 */
    return (unsigned long int)(rngb_uniform(state) * 4294967296.0);
}

static double gb_get_double(void *state)
{
    return rngb_uniform(state);
}

static const gsl_rng_type rngb_type = {
    "capmix-rngbatch", 0xffffffffUL, 0, sizeof(rngb), &gb_set, &gb_get, &gb_get_double,
};

const gsl_rng_type *rngb_gsl_type = &rngb_type;
