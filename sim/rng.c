/*
 * rng — xoshiro256** as a gsl_rng_type, and the stream keys that give every
 * (domain, name, block) its own generator (model §10).
 *
 * The generator is the reference algorithm of Blackman & Vigna
 * (https://prng.di.unimi.it/xoshiro256starstar.c); splitmix64 is Vigna's
 * seeding companion.  Both are pinned by tests/test_rng.c against an
 * independent transcription, because every published number depends on
 * them.
 */
#include "rng.h"

#include <math.h>
#include <stddef.h>

typedef struct {
    uint64_t s[4];
} xoshiro_state;

static inline uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t xoshiro_next(xoshiro_state *st)
{
    uint64_t *s = st->s;
    const uint64_t result = rotl64(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* The splitmix64 output function: a bijection on 64-bit words whose every
 * input bit affects every output bit (Stafford's "mix13" constants). */
static inline uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

#define GOLDEN_GAMMA UINT64_C(0x9e3779b97f4a7c15)

uint64_t rng_splitmix64(uint64_t *state)
{
    *state += GOLDEN_GAMMA;
    return mix64(*state);
}

static void xoshiro_seed(xoshiro_state *st, uint64_t seed)
{
    uint64_t sm = seed;
    for (int i = 0; i < 4; i++)
        st->s[i] = rng_splitmix64(&sm);
    /* mix64 is a bijection and the four inputs differ, so at most one word
     * can be zero; the guard documents the invariant xoshiro needs (an
     * all-zero state would emit zeros forever) rather than a reachable
     * case. */
    if ((st->s[0] | st->s[1] | st->s[2] | st->s[3]) == 0)
        st->s[0] = GOLDEN_GAMMA;
}

static void xs_set(void *vstate, unsigned long int seed)
{
    /* unsigned long is 64-bit on LP64, so gsl_rng_set passes every bit of
     * a stream key through; rng_seed_stream bypasses this on platforms
     * where it is narrower. */
    xoshiro_seed(vstate, (uint64_t)seed);
}

static unsigned long int xs_get(void *vstate)
{
    /* The upper bits of xoshiro256** are its best; GSL's integer samplers
     * assume a generator of at most 32 bits (max 2^32-1). */
    return (unsigned long int)(xoshiro_next(vstate) >> 32);
}

static double xs_get_double(void *vstate)
{
    return (double)(xoshiro_next(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro256ss_type = {
    "xoshiro256**",        /* name */
    0xffffffffUL,          /* max */
    0,                     /* min */
    sizeof(xoshiro_state), /* size */
    &xs_set,
    &xs_get,
    &xs_get_double,
};

const gsl_rng_type *rng_xoshiro256ss = &xoshiro256ss_type;

uint64_t rng_stream_key(uint64_t seed, rng_domain dom, const char *name, uint64_t block)
{
    /* FNV-1a: simple, byte-order independent, and its 64-bit output makes
     * a name collision between two streams of one scenario negligible. */
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p; p++) {
        h ^= *p;
        h *= UINT64_C(0x100000001b3);
    }
    /* Absorb one word at a time through the bijective mixer, adding the
     * golden gamma between rounds so a zero word is not a fixed point:
     * with the other inputs fixed, the key is a bijection of each one, so
     * two seeds (or two blocks) can never share a stream, and seeds or
     * blocks that differ in one bit give unrelated keys. */
    uint64_t k = mix64(seed + GOLDEN_GAMMA);
    k = mix64((k ^ (uint64_t)dom) + GOLDEN_GAMMA);
    k = mix64((k ^ h) + GOLDEN_GAMMA);
    k = mix64((k ^ block) + GOLDEN_GAMMA);
    return k;
}

void rng_seed_stream(gsl_rng *r, uint64_t key)
{
    if (r->type == rng_xoshiro256ss)
        xoshiro_seed(r->state, key);
    else
        gsl_rng_set(r, (unsigned long int)key);
}

double rng_exp1(gsl_rng *r)
{
    return -log(gsl_rng_uniform_pos(r));
}
