/*
 * blocks — the block/thread loop of eng_run (model §18.1): threads take
 * blocks of ENG_BLOCK trials from a shared counter, seed each block's
 * streams from (seed, domain, name, block), run every alternative-trial
 * with eng_trial and store, check or stream its metrics.  Each worker
 * allocates its scratch once, before its first block.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "bigmem.h"
#include "copula.h"
#include "engine.h"
#include "recost.h"
#include "rng.h"

typedef struct shared {
    const scn_scenario *s;
    const eng_opts *o;
    eng_results *res;
    uint64_t nblocks;       /* one past the last block to simulate */
    uint64_t base;          /* first trial kept in the arrays */
    atomic_uint_fast64_t next_block;
    atomic_uint_fast64_t done_trials;
    atomic_int next_worker;
    atomic_int failed;      /* 0, or an error code below */
    char bad_alt[SCN_NAME_MAX];
    int bad_metric;
    pthread_mutex_t mu;
    double passes;
} shared;

enum { FAIL_OOM = 1, FAIL_NAN = 2, FAIL_CANCEL = 3 };

static int metric_ok(int m, double v, int bid)
{
    if (m == M_CYCLE_DAYS || m == M_FLOW_EFFICIENCY)
        return !isinf(v); /* NaN means null here */
    if (bid && (m == M_PASSES || m == M_REWORK_PASSES || m == M_SUPERSEDED))
        return isnan(v); /* a bid has no passes: null */
    if (m == M_COST_PER_OUTCOME)
        return !isnan(v);
    return isfinite(v);
}

static void *worker(void *arg)
{
    shared *S = arg;
    const scn_scenario *s = S->s;
    eng_results *res = S->res;
    gsl_rng *wr = gsl_rng_alloc(rng_xoshiro256ss), *ar = gsl_rng_alloc(rng_xoshiro256ss);
    eng_scratch *sc = eng_scratch_new();
    eng_work_draw *wd = malloc(ENG_BLOCK * sizeof *wd);
    const int worker_id = atomic_fetch_add(&S->next_worker, 1);
    /* streaming: one block of every metric of every alternative */
    double *bbuf = S->o->on_block ? malloc(s->nalts * M_COUNT * ENG_BLOCK * sizeof *bbuf) : NULL;
    /* the copula's uniforms for a block, and its scratch */
    const size_t ck = s->corr.k;
    gsl_rng *cr = ck ? gsl_rng_alloc(rng_xoshiro256ss) : NULL;
    double *cbuf = ck ? malloc((ENG_BLOCK + 1) * ck * sizeof *cbuf) : NULL;
    double passes = 0;
    eng_snaps snap = {res->months, NULL, NULL, NULL, NULL, NULL};
    double *snapbuf = res->months ? malloc(3 * (size_t)res->months * sizeof(double)) : NULL;
    snap.cost = snapbuf;
    snap.accepted = snapbuf ? snapbuf + res->months : NULL;
    snap.stop_cost = snapbuf ? snapbuf + 2 * res->months : NULL;
    if (!wr || !ar || !sc || !wd || (res->months && !snapbuf) || (ck && (!cr || !cbuf)) ||
        (S->o->on_block && !bbuf)) {
        atomic_store(&S->failed, FAIL_OOM);
        goto out;
    }
    eng_scratch_watch(sc, S->o->cancel);
    for (;;) {
        if (atomic_load(&S->failed))
            break;
        if (S->o->cancel && *S->o->cancel) {
            atomic_store(&S->failed, FAIL_CANCEL);
            break;
        }
        uint64_t b = atomic_fetch_add(&S->next_block, 1);
        if (b >= S->nblocks)
            break;
        uint64_t bt = b * ENG_BLOCK, t0 = bt - S->base;
        size_t n = (size_t)(S->o->trials - bt < ENG_BLOCK ? S->o->trials - bt : ENG_BLOCK);
        rng_seed_stream(wr, rng_stream_key(S->o->seed, RNG_DOMAIN_WORK, "", b));
        if (ck)
            rng_seed_stream(cr, rng_stream_key(S->o->seed, RNG_DOMAIN_COPULA, "", b));
        for (size_t i = 0; i < n; i++) {
            wd[i].u = NULL;
            if (ck) {
                cop_draw(&s->corr, cr, cbuf + ENG_BLOCK * ck, cbuf + i * ck);
                wd[i].u = cbuf + i * ck;
            }
            eng_draw_work(s, wr, &wd[i]);
            if (bbuf)
                continue;
            res->cod_per_day[t0 + i] = wd[i].cod_per_day;
            res->target_day[t0 + i] = wd[i].target_day;
            if (res->senior_rate) {
                res->senior_rate[t0 + i] = wd[i].senior_rate;
                res->pm_rate[t0 + i] = wd[i].pm_rate;
            }
        }
        for (size_t a = 0; a < s->nalts; a++) {
            uint64_t key = rng_stream_key(S->o->seed, RNG_DOMAIN_ALT, s->alts[a].name, b);
            rng_seed_stream(ar, key);
            eng_scratch_seed(sc, key);
            for (size_t i = 0; i < n; i++) {
                double m[M_COUNT];
                eng_snaps *snp = NULL;
                if (res->months)
                    snp = &snap;
                int trc = eng_trial(s, a, &wd[i], ar, sc, m, snp);
                if (trc) {
                    atomic_store(&S->failed, trc > 0 ? FAIL_CANCEL : FAIL_OOM);
                    goto out;
                }
                for (int k = 0; k < M_COUNT; k++) {
                    if (!metric_ok(k, m[k], s->alts[a].kind == ALT_BID)) {
                        pthread_mutex_lock(&S->mu);
                        if (!atomic_load(&S->failed)) {
                            snprintf(S->bad_alt, sizeof S->bad_alt, "%s", s->alts[a].name);
                            S->bad_metric = k;
                            atomic_store(&S->failed, FAIL_NAN);
                        }
                        pthread_mutex_unlock(&S->mu);
                        goto out;
                    }
                    if (bbuf)
                        bbuf[(a * M_COUNT + (size_t)k) * ENG_BLOCK + i] = m[k];
                    else
                        eng_metric_data(res, a, (eng_metric)k)[t0 + i] = m[k];
                }
                if (s->alts[a].kind != ALT_BID)
                    passes += m[M_PASSES];
                if (S->o->tapes && S->o->tapes[a])
                    eng_tape_put(S->o->tapes[a], t0 + i, m, sc);
                if (res->draws && a == S->o->draws_alt)
                    for (size_t j = 0; j < res->draws_nsrc; j++)
                        res->draws[(t0 + i) * res->draws_nsrc + j] = *eng_scratch_draw(sc, j);
                /* [alt][month][trial]: each month's values contiguous, as
                 * the fans read them */
                for (int k = 0; k < res->months; k++) {
                    size_t at = ((size_t)a * (size_t)res->months + (size_t)k) * res->trials + t0 + i;
                    res->month_cost[at] = snap.cost[k];
                    res->month_accepted[at] = snap.accepted[k];
                    res->month_stop_cost[at] = snap.stop_cost[k];
                }
            }
        }
        if (bbuf)
            S->o->on_block(S->o->block_ctx, worker_id, b, bbuf, n);
        uint64_t done = atomic_fetch_add(&S->done_trials, n) + n;
        if (S->o->progress)
            S->o->progress(S->o->progress_ctx, done, res->trials);
    }
out:
    if (S->o->on_block && atomic_load(&S->failed))
        S->o->on_block(S->o->block_ctx, worker_id, UINT64_MAX, NULL, 0);
    free(bbuf);
    pthread_mutex_lock(&S->mu);
    S->passes += passes;
    pthread_mutex_unlock(&S->mu);
    free(wd);
    free(cbuf);
    gsl_rng_free(cr);
    free(snapbuf);
    eng_scratch_free(sc);
    gsl_rng_free(wr);
    gsl_rng_free(ar);
    return NULL;
}

void eng_results_free(eng_results *r)
{
    if (!r)
        return;
    free(r->data);
    free(r->draws);
    free(r->senior_rate);
    free(r->pm_rate);
    free(r->month_cost);
    free(r->month_accepted);
    free(r->month_stop_cost);
    free(r->cod_per_day);
    free(r->target_day);
    free(r);
}

int (*eng_distribute)(const scn_scenario *s, const eng_opts *o, eng_results **out, diag *d);

int eng_run(const scn_scenario *s, const eng_opts *o, eng_results **out, diag *d)
{
    *out = NULL;
    if (eng_distribute && !o->block_hi)
        return eng_distribute(s, o, out, d);
    eng_results *res = calloc(1, sizeof *res);
    if (!res)
        return diag_runtime(d, "out of memory");
    res->nalts = s->nalts;
    res->trials = o->trials;
    uint64_t nblocks = (o->trials + ENG_BLOCK - 1) / ENG_BLOCK, lo = 0;
    if (o->block_hi) {
        if (o->block_lo >= o->block_hi || o->block_hi > nblocks) {
            eng_results_free(res);
            return diag_runtime(d, "block range [%llu, %llu) outside the run's %llu blocks",
                                (unsigned long long)o->block_lo, (unsigned long long)o->block_hi,
                                (unsigned long long)nblocks);
        }
        lo = o->block_lo;
        nblocks = o->block_hi;
        uint64_t end = nblocks * ENG_BLOCK < o->trials ? nblocks * ENG_BLOCK : o->trials;
        res->trials = end - lo * ENG_BLOCK;
    }
    const uint64_t kept = res->trials;
    size_t cells = s->nalts * (size_t)M_COUNT * (size_t)kept;
    if (o->on_block && (o->monthly || o->keep_draws)) {
        eng_results_free(res);
        return diag_runtime(d, "streaming keeps no per-trial data (no monthly snapshots or draws)");
    }
    if (!o->on_block) {
        res->data = bigmem_alloc(cells * sizeof(double));
        res->cod_per_day = malloc((size_t)kept * sizeof(double));
        res->target_day = malloc((size_t)kept * sizeof(double));
    }
    if (o->monthly) {
        res->months = eng_months(s);
        size_t mc = s->nalts * (size_t)kept * (size_t)res->months;
        res->month_cost = bigmem_alloc(mc * sizeof(double));
        res->month_accepted = bigmem_alloc(mc * sizeof(double));
        res->month_stop_cost = bigmem_alloc(mc * sizeof(double));
        /* the internal rates too: a stop-loss fallback's oversight (eng_takeover) */
        res->senior_rate = malloc((size_t)kept * sizeof(double));
        res->pm_rate = malloc((size_t)kept * sizeof(double));
        if (!res->month_cost || !res->month_accepted || !res->month_stop_cost || !res->senior_rate ||
            !res->pm_rate) {
            eng_results_free(res);
            return diag_runtime(d, "out of memory for month-end snapshots (%.0f MiB)",
                                (double)mc * ENG_SNAP_BYTES / (1 << 20));
        }
    }
    if (o->keep_draws && o->draws_alt < s->nalts && s->alts[o->draws_alt].kind == ALT_MIX) {
        res->draws_nsrc = s->alts[o->draws_alt].nsources;
        res->draws = malloc((size_t)kept * res->draws_nsrc * sizeof *res->draws);
        if (!res->senior_rate)
            res->senior_rate = malloc((size_t)kept * sizeof(double));
        if (!res->pm_rate)
            res->pm_rate = malloc((size_t)kept * sizeof(double));
        if (!res->draws || !res->senior_rate || !res->pm_rate) {
            eng_results_free(res);
            return diag_runtime(d, "out of memory for the trial-level draws");
        }
    }
    if (!o->on_block && (!res->data || !res->cod_per_day || !res->target_day)) {
        eng_results_free(res);
        return diag_runtime(d, "out of memory for %llu trials of %zu alternatives (%.0f MiB)",
                            (unsigned long long)o->trials, s->nalts,
                            (double)cells * 8 / (1 << 20));
    }
    shared S = {.s = s, .o = o, .res = res};
    S.nblocks = nblocks;
    S.base = lo * ENG_BLOCK;
    atomic_init(&S.next_block, lo);
    atomic_init(&S.done_trials, 0);
    atomic_init(&S.next_worker, 0);
    atomic_init(&S.failed, 0);
    pthread_mutex_init(&S.mu, NULL);
    int nth = o->threads < 1 ? 1 : o->threads;
    if ((uint64_t)nth > S.nblocks - lo)
        nth = (int)(S.nblocks - lo);
    pthread_t *th = calloc((size_t)nth, sizeof *th);
    int started = 0;
    if (th)
        for (; started < nth - 1; started++)
            if (pthread_create(&th[started], NULL, worker, &S))
                break;
    worker(&S); /* the calling thread works too */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    pthread_mutex_destroy(&S.mu);
    res->pass_count = S.passes;
    switch (atomic_load(&S.failed)) {
    case 0:
        /* a tape holds every trial only when this process ran them all */
        for (size_t a = 0; o->tapes && !o->block_hi && a < s->nalts; a++)
            if (o->tapes[a])
                o->tapes[a]->complete = 1;
        *out = res;
        return 0;
    case FAIL_NAN:
        eng_results_free(res);
        return diag_runtime(d, "alternative '%s': metric '%s' is not a number in some trial (a parameter outside what the model handles); no result was written",
                            S.bad_alt, eng_metric_name((eng_metric)S.bad_metric));
    case FAIL_CANCEL:
        eng_results_free(res);
        return diag_runtime(d, "interrupted after %llu of %llu trials; no result was written",
                            (unsigned long long)atomic_load(&S.done_trials),
                            (unsigned long long)o->trials);
    default:
        eng_results_free(res);
        return diag_runtime(d, "out of memory during the simulation");
    }
}
