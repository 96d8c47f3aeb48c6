/*
 * rng — xoshiro256** as a gsl_rng_type, and the stream keys that give every
 * (domain, name, block) its own generator (model §18.1).
 *
 * The generator is the reference algorithm of Blackman & Vigna
 * (https://prng.di.unimi.it/xoshiro256starstar.c); splitmix64 is Vigna's
 * seeding companion.  Both are pinned by tests/test_rng.c against an
 * independent transcription, because every published number depends on
 * them.
 */
#include "rng.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>

/* The state and step live in rng.h (rng_xs_state, rng_xs_next), so the
 * engine's hot loop can draw without GSL's indirect call. */
typedef rng_xs_state xoshiro_state;

static inline uint64_t xoshiro_next(xoshiro_state *st)
{
    return rng_xs_next(st);
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
    rng_init();
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
    rng_init();
    if (r->type == rng_xoshiro256ss)
        xoshiro_seed(r->state, key);
    else
        gsl_rng_set(r, (unsigned long int)key);
}

/*
 * Exponential(1) by the ziggurat method (Marsaglia & Tsang, "The Ziggurat
 * Method for Generating Random Variables", 2000), 256 layers of equal area
 * v under e^-x.  GSL has a ziggurat normal but no exponential, and −log u
 * costs a logarithm per draw: the default item-size draw of every work
 * pass (−log1p(−u) over a batch of uniforms took twice this one's time).
 *
 * Layer i spans [0, X[i]] between heights e^-X[i] and e^-X[i+1]; layer 0 is
 * the base strip [0, r] plus the tail beyond r, of virtual width v·e^r.
 * One 64-bit draw gives the layer (low 8 bits) and, independently, the
 * position (high 53 bits): the original's reuse of the same bits for both
 * is avoided.  The tail is sampled exactly as r + Exp(1) (memorylessness).
 */
#define ZIG_R 7.69711747013104972
#define ZIG_V 3.949659822581572e-3

static double zig_x[257], zig_k[256], zig_f[257];
static pthread_once_t zig_once = PTHREAD_ONCE_INIT;

static void zig_init(void)
{
    zig_x[0] = ZIG_V * exp(ZIG_R);
    zig_x[1] = ZIG_R;
    for (int i = 1; i < 255; i++)
        zig_x[i + 1] = -log(ZIG_V / zig_x[i] + exp(-zig_x[i]));
    zig_x[256] = 0;
    for (int i = 0; i < 257; i++)
        zig_f[i] = exp(-zig_x[i]);
    for (int i = 0; i < 256; i++)
        zig_k[i] = zig_x[i + 1] / zig_x[i];
}

void rng_init(void)
{
    pthread_once(&zig_once, zig_init);
}

double rng_exp1(gsl_rng *r)
{
    if (r->type != rng_xoshiro256ss)
        return -log(gsl_rng_uniform_pos(r));
    xoshiro_state *st = r->state;
    for (;;) {
        uint64_t w = xoshiro_next(st);
        unsigned i = (unsigned)(w & 255);
        double u = (double)(w >> 11) * 0x1.0p-53;
        if (u < zig_k[i])
            return u * zig_x[i]; /* inside the layer's rectangle */
        if (i == 0) {
            double t;
            do
                t = (double)(xoshiro_next(st) >> 11) * 0x1.0p-53;
            while (t == 0);
            return ZIG_R - log(t);
        }
        double x = u * zig_x[i];
        double y = zig_f[i] + (double)(xoshiro_next(st) >> 11) * 0x1.0p-53 * (zig_f[i + 1] - zig_f[i]);
        if (y < exp(-x))
            return x;
    }
}
