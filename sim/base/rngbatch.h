/*
 * rngbatch — a batched random stream: RNGB_LANES xoshiro256** generators
 * side by side, refilled RNGB_N uniforms at a time into a buffer that the
 * hot loop reads one double at a time (issue 19 item 2, model §18.1).
 *
 * Why: a draw from rng.h is one xoshiro step on the critical path of the
 * caller, through a type check; here the steps of RNGB_LANES independent
 * generators are laid out lane by lane (state word-major, s[word][lane]),
 * so the refill loop is a loop of 64-bit shifts, xors and adds over
 * contiguous lanes that the compiler turns into SIMD at -O2 (gcc's
 * very-cheap vectoriser: fixed trip count, no aliasing, no epilogue;
 * clang's SLP vectoriser), and a draw in the caller is a load and an
 * index test.  Baseline x86-64 has 2 lanes a vector (SSE2): about 19
 * instructions a uniform under callgrind, against 29 for an inline
 * rng_uniform; on gcc/x86-64 the refill is also built for AVX2 and chosen
 * at load time (target_clones: 4 lanes, about 8 a uniform).  Integer
 * operations and an exact subtraction only, so every clone gives the same
 * bits.
 *
 * The uniforms: each 64-bit output gives (top 52 bits) · 2^-52 in [0, 1),
 * built by placing the bits under the exponent of 1.0 and subtracting 1
 * (exact, and vectorisable with SSE2, which has no 64-bit integer to
 * double conversion).  52 bits rather than rng.h's 53: below any
 * quantity's resolution that matters here.
 *
 * A stream is seeded from a 64-bit key (rng_stream_key) by one splitmix64
 * run continued over the lanes (lane j takes its words 4j to 4j + 3), so
 * a stream is a function of its key alone; two streams with different
 * (hashed) keys share no state but with negligible probability.  The order of
 * the buffer (lane j of round k at index k·RNGB_LANES + j) is part of the
 * contract: published figures depend on it.
 *
 * An rngb is a plain struct (no heap): embed it, or allocate it with the
 * structure that owns it.  rngb_gsl_type wraps one as a gsl_rng_type, so
 * any GSL sampler (the rejection samplers of gamma and beta, for PERT)
 * draws from the same buffer: gsl_rng_alloc(rngb_gsl_type) then
 * rngb_of(r) to reach the rngb.
 */
#ifndef CAPMIX_RNGBATCH_H
#define CAPMIX_RNGBATCH_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

#define RNGB_LANES 8
#define RNGB_N 256 /* uniforms a refill: a multiple of RNGB_LANES */

typedef struct rngb {
    double buf[RNGB_N];
    unsigned pos;                 /* next unread index; RNGB_N: empty */
    uint64_t s[4][RNGB_LANES];   /* s[word][lane]: treat as private */
} rngb;

/* Seed from a stream key; the buffer starts empty (the first draw
 * refills). */
void rngb_seed(rngb *b, uint64_t key);

/* Refill the buffer with the next RNGB_N uniforms and rewind it. */
void rngb_refill(rngb *b);

/* The next uniform in [0, 1). */
static inline double rngb_uniform(rngb *b)
{
    if (b->pos == RNGB_N)
        rngb_refill(b);
    return b->buf[b->pos++];
}

/* The stream as a gsl_rng_type: get_double is rngb_uniform, get the
 * uniform's top 32 bits (max 2^32 − 1, as rng_xoshiro256ss).  Seeding
 * through gsl_rng_set(r, s) is rngb_seed with key s. */
extern const gsl_rng_type *rngb_gsl_type;

/* The rngb inside a generator of type rngb_gsl_type. */
static inline rngb *rngb_of(gsl_rng *r)
{
    return (rngb *)r->state;
}

#endif
