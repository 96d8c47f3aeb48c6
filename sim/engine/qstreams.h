/*
 * qstreams — the engine's per-quantity random streams (model §18.1): one
 * batched stream (rngbatch.h) per per-pass quantity, and one per source
 * for item sizes, all seeded from one key and kept across trials, so a
 * trial reseeds and allocates nothing.  Owned by an eng_scratch
 * (engine.c); eng_scratch_seed is its public face.
 *
 * Stream keys: quantity q's stream is seeded with a splitmix64 of
 * (key, q); source i's size stream with (key, EQS_SIZE + i).  Changing
 * either changes every published figure.
 */
#ifndef CAPMIX_QSTREAMS_H
#define CAPMIX_QSTREAMS_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "source.h"

/* The per-pass quantities with a stream of their own (item sizes aside). */
enum { EQS_VERDICT, EQS_COST, EQS_WAIT, EQS_REWORK, EQS_COUNT };
#define EQS_SIZE 16 /* + source index: item sizes */
#define EQS_SIZE_EXP (1u << 16) /* + source index: Exp(1) item sizes */

typedef struct eqs_size {
    gsl_rng *r;             /* of type rngb_gsl_type */
    gsl_rng *x;             /* of type rng_xoshiro256ss: Exp(1) sizes, drawn
                             * one at a time by rng_exp1's ziggurat */
    const src_params *p;    /* the source its buffer was filled for */
    uint64_t gen;           /* the seeding it belongs to (eqs.gen) */
} eqs_size;

typedef struct eqs {
    gsl_rng *q[EQS_COUNT];  /* of type rngb_gsl_type */
    eqs_size *sz;
    size_t sz_cap;          /* slots of sz, each holding a generator */
    uint64_t key, gen;
} eqs;

/* Allocate the quantity streams of a zeroed eqs and seed them with key 0.
 * Returns 0, or -1 (out of memory; eqs_release then frees what was
 * made). */
int eqs_init(eqs *e);

/* Free every stream; the eqs is then zeroed.  A zeroed eqs is a no-op. */
void eqs_release(eqs *e);

/* Seed every quantity stream from key; size streams are seeded on their
 * next use (eqs_size_for). */
void eqs_seed(eqs *e, uint64_t key);

/* Room for n size streams (allocated once, never per trial).  Returns 0
 * or -1 (out of memory). */
int eqs_size_room(eqs *e, size_t n);

/* Source i's size stream (i < n of the last eqs_size_room), seeded from
 * the key on its first use after eqs_seed, or when it last served
 * another source (its buffer then holds that source's draws); the caller
 * fills and transforms its buffer.  With exp1, the source draws the
 * default Exp(1) sizes: its stream is then a plain xoshiro256** for
 * rng_exp1 (the ziggurat takes about half the time of −log1p(−u) over
 * a batch: 4.4 % against 8.6 % of the default run, perf), keyed by
 * EQS_SIZE_EXP + i. */
gsl_rng *eqs_size_for(eqs *e, size_t i, const src_params *p, int exp1);

#endif
