/*
 * stream — block partials merged in order, histograms merged at the end.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "stream.h"

enum {
    EXP_MIN = -32,                      /* 2^-32: smallest bucketed size */
    EXP_MAX = 52,                       /* 2^52: largest */
    SUB_BITS = 8,
    SUB = 1 << SUB_BITS,                /* buckets per power of two */
    NB = (EXP_MAX - EXP_MIN) * SUB,
    NI = 4096,                          /* exact counts for count metrics */
    WINDOW_MIN = 64
};

/* One metric's histogram: zero, negative and positive log-linear buckets,
 * and exact counts of small integers (count metrics only). */
typedef struct sketch {
    uint64_t zero;
    uint32_t *neg, *pos, *ints;
} sketch;

/* Order-free tallies of one metric, kept per thread. */
typedef struct tally {
    uint64_t n, n_inf, n_null;
    double min, max;
    uint64_t pair_both, pair_lower;  /* vs the baseline */
} tally;

/* A block's (or the run's) order-dependent moments of one metric:
 * finite count, mean, sum of squared deviations; and of the paired
 * difference against the baseline. */
typedef struct moments {
    double n, mean, m2;
    double pn, pmean, pm2;
} moments;

typedef struct thread_state {
    sketch *sk;              /* [alt][metric] */
    tally *t;                /* [alt][metric] */
    uint64_t *above;         /* [alt][threshold]: m, above */
    moments *partial;        /* [alt][metric]: this thread's current block */
    uint32_t *pool;          /* the sketches' buckets */
} thread_state;

struct stm_run {
    size_t nalts, baseline;
    int threads, nabove;
    eng_metric above_metric[8];
    double above_value[8];
    thread_state *th;
    /* in-order merge of block moments */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t next;           /* the next block to merge */
    size_t window;
    moments *slots;          /* [window][alt][metric] */
    unsigned char *ready;    /* [window] */
    int aborted;
    moments *total;          /* [alt][metric] */
    int merged;              /* thread sketches folded into th[0] */
    /* a shard's blocks [first, first + nkept), each block's moments kept
     * ([block − first][alt][metric]) for stm_save */
    uint64_t first;
    uint64_t nkept;
    moments *kept;
};

static int is_count_metric(int m)
{
    return m == M_ACCEPTED || m == M_PASSES || m == M_REWORK_PASSES || m == M_SUPERSEDED ||
           m == M_DELIVERED;
}

/* Bucket of a positive finite x: exponent and the top SUB_BITS mantissa
 * bits, i.e. [2^e(1 + k/256), 2^e(1 + (k+1)/256)). */
static inline size_t bucket_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    int e = (int)((u >> 52) & 0x7ff) - 1023;
    if (e < EXP_MIN)
        return 0;
    if (e >= EXP_MAX)
        return NB - 1;
    return (size_t)(e - EXP_MIN) * SUB + (size_t)((u >> (52 - SUB_BITS)) & (SUB - 1));
}

/* The middle of bucket i (relative error at most 1/512 for any value in it). */
static double bucket_mid(size_t i)
{
    int e = (int)(i / SUB) + EXP_MIN;
    double k = (double)(i % SUB);
    return ldexp(1 + (k + 0.5) / SUB, e);
}

double stm_bytes(size_t nalts, int threads)
{
    double per = (2.0 * NB + NI) * sizeof(uint32_t) + sizeof(sketch) + sizeof(tally) +
                 sizeof(moments) * (WINDOW_MIN + 3);
    return per * (double)nalts * M_COUNT * (threads > 0 ? threads : 1);
}

stm_run *stm_new(size_t nalts, size_t baseline, int threads, const eng_metric *above_metric,
                 const double *above_value, int nabove)
{
    stm_run *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    if (threads < 1)
        threads = 1;
    st->nalts = nalts;
    st->baseline = baseline;
    st->threads = threads;
    st->nabove = nabove > 8 ? 8 : nabove;
    for (int k = 0; k < st->nabove; k++) {
        st->above_metric[k] = above_metric[k];
        st->above_value[k] = above_value[k];
    }
    size_t cells = nalts * M_COUNT;
    st->window = (size_t)(4 * threads > WINDOW_MIN ? 4 * threads : WINDOW_MIN);
    st->th = calloc((size_t)threads, sizeof *st->th);
    st->slots = calloc(st->window * cells, sizeof *st->slots);
    st->ready = calloc(st->window, 1);
    st->total = calloc(cells, sizeof *st->total);
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    if (!st->th || !st->slots || !st->ready || !st->total) {
        stm_free(st);
        return NULL;
    }
    for (int w = 0; w < threads; w++) {
        thread_state *T = &st->th[w];
        T->sk = calloc(cells, sizeof *T->sk);
        T->t = calloc(cells, sizeof *T->t);
        T->above = calloc(nalts * 16 + 1, sizeof *T->above);
        T->partial = calloc(cells, sizeof *T->partial);
        T->pool = calloc(cells * (2 * (size_t)NB + NI), sizeof *T->pool);
        if (!T->sk || !T->t || !T->above || !T->partial || !T->pool) {
            stm_free(st);
            return NULL;
        }
        for (size_t c = 0; c < cells; c++) {
            uint32_t *p = T->pool + c * (2 * (size_t)NB + NI);
            T->sk[c] = (sketch){0, p, p + NB, p + 2 * NB};
            T->t[c].min = INFINITY;
            T->t[c].max = -INFINITY;
        }
    }
    return st;
}

void stm_free(stm_run *st)
{
    if (!st)
        return;
    for (int w = 0; st->th && w < st->threads; w++) {
        free(st->th[w].sk);
        free(st->th[w].t);
        free(st->th[w].above);
        free(st->th[w].partial);
        free(st->th[w].pool);
    }
    free(st->th);
    free(st->slots);
    free(st->ready);
    free(st->total);
    free(st->kept);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    free(st);
}

/* Chan et al.: fold (nb, mb, qb) into (na, ma, qa). */
static inline void chan(double *na, double *ma, double *qa, double nb, double mb, double qb)
{
    if (nb == 0)
        return;
    double n = *na + nb, dl = mb - *ma;
    *ma += dl * nb / n;
    *qa += qb + dl * dl * *na * nb / n;
    *na = n;
}

static inline void sketch_add(sketch *s, double x, int count_metric)
{
    if (x == 0) {
        s->zero++;
    } else if (x > 0) {
        if (count_metric && x < NI)
            s->ints[(size_t)x]++;
        else
            s->pos[bucket_of(x)]++;
    } else {
        s->neg[bucket_of(-x)]++;
    }
}

void stm_block(void *ctx, int worker, uint64_t block, const double *m, size_t n)
{
    stm_run *st = ctx;
    if (!m) { /* the engine gave up: never wait for blocks that will not come */
        pthread_mutex_lock(&st->mu);
        st->aborted = 1;
        pthread_cond_broadcast(&st->cv);
        pthread_mutex_unlock(&st->mu);
        return;
    }
    thread_state *T = &st->th[worker];
    const size_t cells = st->nalts * M_COUNT;
    const double *base = m + st->baseline * M_COUNT * ENG_BLOCK;
    for (size_t a = 0; a < st->nalts; a++) {
        for (int k = 0; k < M_COUNT; k++) {
            size_t c = a * M_COUNT + (size_t)k;
            const double *x = m + c * ENG_BLOCK, *b = base + (size_t)k * ENG_BLOCK;
            sketch *sk = &T->sk[c];
            tally *t = &T->t[c];
            const int cm = is_count_metric(k), paired = a != st->baseline;
            double sum = 0, nf = 0, psum = 0, pn = 0;
            for (size_t i = 0; i < n; i++) {
                double v = x[i];
                if (isnan(v)) {
                    t->n_null++;
                    continue;
                }
                t->n++;
                if (v < t->min)
                    t->min = v;
                if (v > t->max)
                    t->max = v;
                if (isinf(v))
                    t->n_inf++;
                else {
                    sum += v;
                    nf++;
                    sketch_add(sk, v, cm);
                }
                if (paired && !isnan(b[i])) {
                    t->pair_both++;
                    t->pair_lower += v < b[i];
                    if (!isinf(v) && !isinf(b[i])) {
                        psum += v - b[i];
                        pn++;
                    }
                }
            }
            /* two passes over a block in cache: no division per value */
            double mean = nf ? sum / nf : 0, q = 0, pmean = pn ? psum / pn : 0, pq = 0;
            for (size_t i = 0; i < n; i++) {
                double v = x[i];
                if (isfinite(v)) {
                    q += (v - mean) * (v - mean);
                    if (paired && isfinite(b[i])) {
                        double dd = (v - b[i]) - pmean;
                        pq += dd * dd;
                    }
                }
            }
            T->partial[c] = (moments){nf, mean, q, pn, pmean, pq};
        }
        for (int k = 0; k < st->nabove; k++) {
            const double *x = m + (a * M_COUNT + (size_t)st->above_metric[k]) * ENG_BLOCK;
            uint64_t *ab = &T->above[(a * 8 + (size_t)k) * 2];
            for (size_t i = 0; i < n; i++)
                if (!isnan(x[i])) {
                    ab[0]++;
                    ab[1] += x[i] > st->above_value[k];
                }
        }
    }
    /* merge the moments in block order, whoever finishes first */
    pthread_mutex_lock(&st->mu);
    while (block >= st->next + st->window && !st->aborted)
        pthread_cond_wait(&st->cv, &st->mu);
    if (!st->aborted) {
        size_t s = (size_t)(block % st->window);
        memcpy(st->slots + s * cells, T->partial, cells * sizeof *T->partial);
        st->ready[s] = 1;
        for (;;) {
            size_t h = (size_t)(st->next % st->window);
            if (!st->ready[h])
                break;
            const moments *p = st->slots + h * cells;
            if (st->kept && st->next - st->first < st->nkept)
                memcpy(st->kept + (st->next - st->first) * cells, p, cells * sizeof *p);
            for (size_t c = 0; c < cells; c++) {
                moments *tt = &st->total[c];
                chan(&tt->n, &tt->mean, &tt->m2, p[c].n, p[c].mean, p[c].m2);
                chan(&tt->pn, &tt->pmean, &tt->pm2, p[c].pn, p[c].pmean, p[c].pm2);
            }
            st->ready[h] = 0;
            st->next++;
        }
        pthread_cond_broadcast(&st->cv);
    }
    pthread_mutex_unlock(&st->mu);
}

/* Fold every thread's histograms and tallies into thread 0's (integer
 * counts: the order does not matter). */
static void merge_threads(stm_run *st)
{
    if (st->merged)
        return;
    st->merged = 1;
    size_t cells = st->nalts * M_COUNT, len = 2 * (size_t)NB + NI;
    thread_state *T0 = &st->th[0];
    for (int w = 1; w < st->threads; w++) {
        thread_state *T = &st->th[w];
        for (size_t i = 0; i < cells * len; i++)
            T0->pool[i] += T->pool[i];
        for (size_t c = 0; c < cells; c++) {
            tally *a = &T0->t[c];
            const tally *b = &T->t[c];
            T0->sk[c].zero += T->sk[c].zero;
            a->n += b->n;
            a->n_inf += b->n_inf;
            a->n_null += b->n_null;
            a->min = fmin(a->min, b->min);
            a->max = fmax(a->max, b->max);
            a->pair_both += b->pair_both;
            a->pair_lower += b->pair_lower;
        }
        for (size_t i = 0; i < st->nalts * 16; i++)
            T0->above[i] += T->above[i];
    }
}

/* The value of rank r (0-based) among the finite values, from the
 * histogram, clamped to [lo, hi]. */
static double rank_value(const sketch *s, uint64_t r, double lo, double hi)
{
    uint64_t c = 0;
    double v = hi;
    for (size_t i = NB; i-- > 0;) /* most negative first */
        if ((c += s->neg[i]) > r) {
            v = -bucket_mid(i);
            goto out;
        }
    if ((c += s->zero) > r) {
        v = 0;
        goto out;
    }
    for (size_t i = 1; i < NI; i++)
        if ((c += s->ints[i]) > r) {
            v = (double)i;
            goto out;
        }
    for (size_t i = 0; i < NB; i++)
        if ((c += s->pos[i]) > r) {
            v = bucket_mid(i);
            goto out;
        }
out:
    return v < lo ? lo : v > hi ? hi : v;
}

/* Quantile p as stats_quantile_sorted defines it, over nf finite values
 * followed by ninf infinite ones. */
static double quantile(const sketch *s, uint64_t nf, uint64_t ninf, double p, double lo, double hi)
{
    uint64_t n = nf + ninf;
    if (n == 0)
        return NAN;
    double pos = (double)(n - 1) * p;
    uint64_t k = (uint64_t)floor(pos);
    double frac = pos - (double)k;
    if (k >= nf)
        return INFINITY;
    double a = rank_value(s, k, lo, hi);
    if (frac == 0 || k + 1 >= n)
        return a;
    if (k + 1 >= nf)
        return INFINITY;
    double b = rank_value(s, k + 1, lo, hi);
    return a + frac * (b - a);
}

/* Mean of the largest k finite values, from the top of the histogram. */
static double top_mean(const sketch *s, uint64_t k, double lo, double hi)
{
    double sum = 0;
    uint64_t left = k;
#define TAKE(count, value)                                                                       \
    do {                                                                                       \
        uint64_t c_ = (count) < left ? (count) : left;                                          \
        double v_ = (value);                                                                   \
        v_ = v_ < lo ? lo : v_ > hi ? hi : v_;                                                  \
        sum += (double)c_ * v_;                                                                \
        left -= c_;                                                                            \
        if (!left)                                                                             \
            return sum / (double)k;                                                            \
    } while (0)
    for (size_t i = NB; i-- > 0;)
        if (s->pos[i])
            TAKE(s->pos[i], bucket_mid(i));
    for (size_t i = NI; i-- > 1;)
        if (s->ints[i])
            TAKE(s->ints[i], (double)i);
    if (s->zero)
        TAKE(s->zero, 0.0);
    for (size_t i = 0; i < NB; i++)
        if (s->neg[i])
            TAKE(s->neg[i], -bucket_mid(i));
#undef TAKE
    return k ? sum / (double)(k - left) : NAN;
}

void stm_summary(stm_run *st, size_t a, eng_metric m, stats_summary *o)
{
    merge_threads(st);
    size_t c = a * M_COUNT + (size_t)m;
    const tally *t = &st->th[0].t[c];
    const sketch *s = &st->th[0].sk[c];
    const moments *mo = &st->total[c];
    o->n = (size_t)t->n;
    o->n_inf = (size_t)t->n_inf;
    o->n_null = (size_t)t->n_null;
    double *f = &o->mean;
    for (double *q = f; q <= &o->cvar95; q++)
        *q = NAN;
    if (!t->n)
        return;
    uint64_t nf = t->n - t->n_inf;
    if (nf > 0) {
        o->mean = mo->mean;
        o->sd = nf > 1 ? sqrt(mo->m2 / (double)(nf - 1)) : 0;
        o->se = o->sd / sqrt((double)nf);
        double tq = nf > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(nf - 1)) : 0;
        o->ci_lo = o->mean - tq * o->se;
        o->ci_hi = o->mean + tq * o->se;
    }
    double lo = t->min, hi = nf ? t->max : t->min;
    if (t->n_inf && nf) { /* the largest finite value: max is +Inf */
        hi = -INFINITY;
        for (size_t i = NB; i-- > 0 && isinf(hi);)
            if (s->pos[i])
                hi = bucket_mid(i);
        for (size_t i = NI; i-- > 1 && isinf(hi);)
            if (s->ints[i])
                hi = (double)i;
        if (isinf(hi))
            hi = s->zero ? 0 : t->min;
    }
    o->min = t->min;
    o->max = t->max;
    o->p5 = quantile(s, nf, t->n_inf, 0.05, lo, hi);
    o->p10 = quantile(s, nf, t->n_inf, 0.10, lo, hi);
    o->p25 = quantile(s, nf, t->n_inf, 0.25, lo, hi);
    o->p50 = quantile(s, nf, t->n_inf, 0.50, lo, hi);
    o->p75 = quantile(s, nf, t->n_inf, 0.75, lo, hi);
    o->p90 = quantile(s, nf, t->n_inf, 0.90, lo, hi);
    o->p95 = quantile(s, nf, t->n_inf, 0.95, lo, hi);
    uint64_t k = (uint64_t)ceil(0.05 * (double)t->n - 1e-9);
    if (k < 1)
        k = 1;
    o->cvar95 = t->n_inf ? INFINITY : top_mean(s, k, lo, hi);
}

void stm_paired(stm_run *st, size_t a, eng_metric m, stats_paired *o)
{
    merge_threads(st);
    size_t c = a * M_COUNT + (size_t)m;
    const tally *t = &st->th[0].t[c];
    const moments *mo = &st->total[c];
    uint64_t k = (uint64_t)mo->pn;
    o->n = (size_t)k;
    o->mean_diff = k ? mo->pmean : NAN;
    o->se = k > 1 ? sqrt(mo->pm2 / (double)(k - 1) / (double)k) : (k == 1 ? 0 : NAN);
    o->p_lower = t->pair_both ? (double)t->pair_lower / (double)t->pair_both : NAN;
}

double stm_prob_above(stm_run *st, size_t a, int k)
{
    merge_threads(st);
    const uint64_t *ab = &st->th[0].above[(a * 8 + (size_t)k) * 2];
    return ab[0] ? (double)ab[1] / (double)ab[0] : NAN;
}

int stm_shard(stm_run *st, uint64_t lo, uint64_t hi)
{
    size_t cells = st->nalts * M_COUNT;
    free(st->kept);
    st->kept = calloc((size_t)(hi - lo) * cells, sizeof *st->kept);
    if (!st->kept)
        return -1;
    st->first = st->next = lo;
    st->nkept = hi - lo;
    return 0;
}

/* The saved state, in this order: per cell the tally (n, n_inf, n_null,
 * pair_both, pair_lower as u64; min, max as double), the zero count (u64)
 * and the histogram (2·NB + NI u32); then the P(above) counts
 * (nalts · 16 u64); then the block count (u64) and every block's moments
 * (6 doubles per cell), in block order. */
int stm_save(stm_run *st, stm_io_fn put, void *ctx)
{
    merge_threads(st);
    const thread_state *T = &st->th[0];
    size_t cells = st->nalts * M_COUNT, len = 2 * (size_t)NB + NI;
    for (size_t c = 0; c < cells; c++) {
        const tally *t = &T->t[c];
        uint64_t u[6] = {t->n, t->n_inf, t->n_null, t->pair_both, t->pair_lower, T->sk[c].zero};
        double mm[2] = {t->min, t->max};
        if (put(ctx, u, sizeof u) || put(ctx, mm, sizeof mm) ||
            put(ctx, T->pool + c * len, len * sizeof *T->pool))
            return -1;
    }
    uint64_t nk = st->kept ? st->nkept : 0;
    if (put(ctx, T->above, st->nalts * 16 * sizeof *T->above) || put(ctx, &nk, sizeof nk))
        return -1;
    for (uint64_t b = 0; b < nk; b++)
        if (put(ctx, st->kept + b * cells, cells * sizeof *st->kept))
            return -1;
    return 0;
}

int stm_load(stm_run *st, uint64_t nblocks, stm_io_fn get, void *ctx)
{
    merge_threads(st);
    thread_state *T = &st->th[0];
    size_t cells = st->nalts * M_COUNT, len = 2 * (size_t)NB + NI;
    uint32_t *h = malloc(len * sizeof *h);
    moments *p = malloc(cells * sizeof *p);
    int rc = -1;
    if (!h || !p)
        goto out;
    for (size_t c = 0; c < cells; c++) {
        tally *t = &T->t[c];
        uint64_t u[6];
        double mm[2];
        if (get(ctx, u, sizeof u) || get(ctx, mm, sizeof mm) || get(ctx, h, len * sizeof *h))
            goto out;
        t->n += u[0];
        t->n_inf += u[1];
        t->n_null += u[2];
        t->pair_both += u[3];
        t->pair_lower += u[4];
        T->sk[c].zero += u[5];
        t->min = fmin(t->min, mm[0]);
        t->max = fmax(t->max, mm[1]);
        uint32_t *pool = T->pool + c * len;
        for (size_t i = 0; i < len; i++)
            pool[i] += h[i];
    }
    uint64_t ab[8 * 16], nk;
    for (size_t a = 0; a < st->nalts; a++) {
        if (get(ctx, ab, 16 * sizeof *ab))
            goto out;
        for (size_t i = 0; i < 16; i++)
            T->above[a * 16 + i] += ab[i];
    }
    if (get(ctx, &nk, sizeof nk) || nk != nblocks)
        goto out;
    /* Chan's formula in block order, as stm_block folds them: the shards'
     * blocks come in order, so the totals are the whole run's, bit for bit */
    for (uint64_t b = 0; b < nk; b++) {
        if (get(ctx, p, cells * sizeof *p))
            goto out;
        for (size_t c = 0; c < cells; c++) {
            moments *tt = &st->total[c];
            chan(&tt->n, &tt->mean, &tt->m2, p[c].n, p[c].mean, p[c].m2);
            chan(&tt->pn, &tt->pmean, &tt->pm2, p[c].pn, p[c].pmean, p[c].pm2);
        }
    }
    rc = 0;
out:
    free(h);
    free(p);
    return rc;
}

void stm_reset(stm_run *st)
{
    size_t cells = st->nalts * M_COUNT, len = 2 * (size_t)NB + NI;
    for (int w = 0; w < st->threads; w++) {
        thread_state *T = &st->th[w];
        memset(T->pool, 0, cells * len * sizeof *T->pool);
        memset(T->above, 0, (st->nalts * 16 + 1) * sizeof *T->above);
        for (size_t c = 0; c < cells; c++) {
            T->sk[c].zero = 0;
            T->t[c] = (tally){0, 0, 0, INFINITY, -INFINITY, 0, 0};
        }
    }
    memset(st->total, 0, cells * sizeof *st->total);
    memset(st->ready, 0, st->window);
    free(st->kept);
    st->kept = NULL;
    st->nkept = st->first = st->next = 0;
    st->aborted = st->merged = 0;
}
