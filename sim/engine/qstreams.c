/*
 * qstreams — the engine's per-quantity streams (see qstreams.h).
 */
#include "qstreams.h"

#include <stdlib.h>

#include "rng.h"
#include "rngbatch.h"

/* A quantity's key from the stream key: distinct quantities give distinct
 * splitmix64 inputs (an odd multiplier is a bijection). */
static uint64_t q_key(uint64_t key, unsigned q)
{
    uint64_t x = key ^ (UINT64_C(0x632be59bd9b4e019) * (q + 1));
    return rng_splitmix64(&x);
}

int eqs_init(eqs *e)
{
    for (int q = 0; q < EQS_COUNT; q++)
        if (!(e->q[q] = gsl_rng_alloc(rngb_gsl_type)))
            return -1;
    eqs_seed(e, 0);
    return 0;
}

void eqs_release(eqs *e)
{
    for (int q = 0; q < EQS_COUNT; q++)
        gsl_rng_free(e->q[q]);
    for (size_t i = 0; i < e->sz_cap; i++) {
        gsl_rng_free(e->sz[i].r);
        gsl_rng_free(e->sz[i].x);
    }
    free(e->sz);
    *e = (eqs){0};
}

void eqs_seed(eqs *e, uint64_t key)
{
    e->key = key;
    e->gen++;
    for (unsigned q = 0; q < EQS_COUNT; q++)
        rngb_seed(rngb_of(e->q[q]), q_key(key, q));
}

int eqs_size_room(eqs *e, size_t n)
{
    if (n <= e->sz_cap)
        return 0;
    size_t c = e->sz_cap ? e->sz_cap : 4;
    while (c < n)
        c *= 2;
    eqs_size *p = realloc(e->sz, c * sizeof *p);
    if (!p)
        return -1;
    e->sz = p;
    for (size_t i = e->sz_cap; i < c; i++) {
        e->sz[i] = (eqs_size){0};
        e->sz[i].r = gsl_rng_alloc(rngb_gsl_type);
        e->sz[i].x = gsl_rng_alloc(rng_xoshiro256ss);
        if (!e->sz[i].r || !e->sz[i].x) {
            gsl_rng_free(e->sz[i].r);
            gsl_rng_free(e->sz[i].x);
            e->sz[i] = (eqs_size){0};
            return -1;
        }
        e->sz_cap = i + 1; /* every slot below holds a generator */
    }
    return 0;
}

gsl_rng *eqs_size_for(eqs *e, size_t i, const src_params *p, int exp1)
{
    eqs_size *z = &e->sz[i];
    if (z->gen != e->gen || z->p != p) {
        /* one of the two serves the source; both are seeded so that the
         * pair's state depends only on (key, i, p) */
        rngb_seed(rngb_of(z->r), q_key(e->key, EQS_SIZE + (unsigned)i));
        rng_seed_stream(z->x, q_key(e->key, EQS_SIZE_EXP + (unsigned)i));
        z->gen = e->gen;
        z->p = p;
    }
    return exp1 ? z->x : z->r;
}
