/*
 * rng — random streams for capmix (model §18.1).
 *
 * Every (alternative name, block of trials) pair and every (work, block)
 * pair gets its own generator, seeded from a 64-bit hash of
 * (scenario seed, stream name, block index).  Consequences: results do not
 * depend on the number of threads, adding or removing an alternative does
 * not change another's numbers, and work-level quantities are one draw per
 * trial shared by every alternative (common random numbers).
 *
 * The generator is xoshiro256** (Blackman & Vigna), wrapped as a
 * gsl_rng_type so every GSL sampler can use it.  Why not a GSL generator:
 * taus2 is fast but takes a 32-bit seed, so hashed stream seeds could
 * collide (two streams silently identical); mt19937 and gfsr4 reseed in
 * microseconds to milliseconds, too slow for one generator per block.
 * xoshiro256** is seeded with 256 bits expanded from the 64-bit hash by
 * splitmix64, reseeds in nanoseconds and passes BigCrush.
 *
 * gsl_rng_get returns the upper 32 bits (max 2^32-1, so GSL code that
 * scales integer draws behaves as with its own 32-bit generators);
 * gsl_rng_uniform returns 53-bit doubles in [0, 1).
 */
#ifndef CAPMIX_RNG_H
#define CAPMIX_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "rngbatch.h"

/* The generator type, for gsl_rng_alloc(rng_xoshiro256ss). */
extern const gsl_rng_type *rng_xoshiro256ss;

/* xoshiro256** state (exposed so the hot loop can draw without GSL's
 * indirect call; treat as private). */
typedef struct rng_xs_state {
    uint64_t s[4];
} rng_xs_state;

static inline uint64_t rng_xs_next(rng_xs_state *st)
{
    uint64_t *s = st->s;
    const uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* A uniform in [0, 1): the same number gsl_rng_uniform(r) returns, drawn
 * directly when r is an rng_xoshiro256ss or a batched (rngbatch.h)
 * generator. */
static inline double rng_uniform(gsl_rng *r)
{
    if (r->type == rng_xoshiro256ss)
        return (double)(rng_xs_next((rng_xs_state *)r->state) >> 11) * 0x1.0p-53;
    if (r->type == rngb_gsl_type)
        return rngb_uniform(rngb_of(r));
    return gsl_rng_uniform(r);
}

/* Stream domains, so an alternative named "work" cannot share a stream
 * with the work quantities. */
typedef enum { RNG_DOMAIN_WORK = 1, RNG_DOMAIN_ALT = 2, RNG_DOMAIN_COPULA = 3 } rng_domain;

/* 64-bit stream key of (seed, domain, name, block): FNV-1a over the name,
 * mixed with splitmix64.  Stable across platforms and releases: changing
 * it changes every published number, so it is pinned by a test. */
uint64_t rng_stream_key(uint64_t seed, rng_domain dom, const char *name, uint64_t block);

/* Seed `r` (which must be of type rng_xoshiro256ss) from a stream key. */
void rng_seed_stream(gsl_rng *r, uint64_t key);

/* splitmix64 step (exposed for tests and for seeding). */
uint64_t rng_splitmix64(uint64_t *state);

/* Exponential(1) draw: a ziggurat on rng_xoshiro256ss generators (exact
 * in distribution; see rng.c), -log of a uniform in (0, 1] on any other
 * type.  rng_init (called by rng_seed_stream) must have run first.
 * The engine draws the default Exp(1) item sizes with it, from a
 * xoshiro256** stream per source (qstreams.h). */
double rng_exp1(gsl_rng *r);

/* Build the ziggurat tables once per process; thread-safe, idempotent. */
void rng_init(void);

#endif
