/*
 * pf_sim — simulate a portfolio's initiatives on one set of trials, and
 * the pools' extra draws (portfolio.h); split from portfolio.c, which
 * keeps the selection.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "copula.h"
#include "engine.h"
#include "portfolio.h"
#include "rng.h"

/* ---- simulation ---------------------------------------------------------- */

void pf_sim_free(pf_sim *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        for (size_t o = 0; s->nopt && o < s->nopt[i]; o++) {
            if (s->cost && s->cost[i])
                free(s->cost[i][o]);
            if (s->gain && s->gain[i])
                free(s->gain[i][o]);
            if (s->month_cost && s->month_cost[i])
                free(s->month_cost[i][o]);
        }
        if (s->cost)
            free(s->cost[i]);
        if (s->gain)
            free(s->gain[i]);
        if (s->month_cost)
            free(s->month_cost[i]);
        if (s->p_delivered)
            free(s->p_delivered[i]);
        if (s->perm)
            free(s->perm[i]);
    }
    free(s->p_delivered);
    free(s->perm);
    free(s->cost);
    free(s->gain);
    free(s->month_cost);
    free(s->months_of);
    free(s->nopt);
    free(s);
}

/* Initiative i's engine seed: distinct per initiative (see portfolio.h). */
static uint64_t init_seed(uint64_t seed, const char *name)
{
    char key[SCN_NAME_MAX + 16];
    snprintf(key, sizeof key, "portfolio/%s", name);
    return rng_stream_key(seed, RNG_DOMAIN_WORK, key, 0);
}

typedef struct keyed {
    double key;
    size_t idx;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void permute(double *x, const size_t *from, size_t n, double *tmp)
{
    for (size_t t = 0; t < n; t++)
        tmp[t] = x[from[t]];
    memcpy(x, tmp, n * sizeof *x);
}

/* Iman–Conover: reorder each correlated initiative's trials so that the
 * ranks of its reference cost follow the copula's scores. */
static int correlate(const pf_portfolio *p, uint64_t seed, pf_sim *s, diag *d)
{
    cop_model m;
    if (pf_copula(p, &m, d))
        return -1;
    size_t T = s->trials, k = m.k;
    double *u = malloc(T * k * sizeof *u), *tmp = malloc(T * sizeof *tmp), z[COP_MAX], uu[COP_MAX];
    keyed *ks = malloc(T * sizeof *ks), *kc = malloc(T * sizeof *kc);
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    int rc = -1;
    if (!u || !tmp || !ks || !kc || !r) {
        diag_runtime(d, "out of memory");
        goto out;
    }
    rng_seed_stream(r, rng_stream_key(seed, RNG_DOMAIN_COPULA, "portfolio", 0));
    for (size_t t = 0; t < T; t++) {
        cop_draw(&m, r, z, uu);
        for (size_t c = 0; c < k; c++)
            u[c * T + t] = uu[c];
    }
    for (size_t c = 0; c < k; c++) {
        int i = pf_find(p, m.path[c]);
        const pf_initiative *in = &p->in[i];
        /* reference: the baseline alternative's cost when it is an option */
        size_t ref = 0;
        for (size_t o = 0; o < in->nopt; o++)
            if (in->opt_alt[o] == in->scn->baseline)
                ref = o;
        for (size_t t = 0; t < T; t++) {
            ks[t] = (keyed){u[c * T + t], t};
            kc[t] = (keyed){s->cost[i][ref][t], t};
        }
        qsort(ks, T, sizeof *ks, keyed_cmp);
        qsort(kc, T, sizeof *kc, keyed_cmp);
        size_t *from = s->perm[i] = malloc(T * sizeof *from);
        if (!from) {
            diag_runtime(d, "out of memory");
            goto out;
        }
        for (size_t q = 0; q < T; q++)
            from[ks[q].idx] = kc[q].idx;
        for (size_t o = 0; o < in->nopt; o++) {
            permute(s->cost[i][o], from, T, tmp);
            permute(s->gain[i][o], from, T, tmp);
            for (int mo = 0; s->month_cost[i] && mo < s->months_of[i]; mo++)
                permute(s->month_cost[i][o] + (size_t)mo * T, from, T, tmp);
        }
    }
    rc = 0;
out:
    cop_release(&m);
    free(u);
    free(tmp);
    free(ks);
    free(kc);
    if (r)
        gsl_rng_free(r);
    return rc;
}

/* The initiative's value in each trial: its own stream, so the same
 * numbers whenever the initiative is simulated at this seed. */
static void draw_values(const pf_initiative *in, uint64_t seed, gsl_rng *g, size_t T, double *value)
{
    char key[SCN_NAME_MAX + 16];
    snprintf(key, sizeof key, "value/%s", in->name);
    rng_seed_stream(g, rng_stream_key(seed, RNG_DOMAIN_ALT, key, 0));
    for (size_t t = 0; t < T; t++)
        value[t] = dist_sample(&in->value, g);
}

static int sim_one(const pf_portfolio *p, size_t i, uint64_t seed, uint64_t trials, int threads,
                   int monthly, pf_sim *s, diag *d)
{
    const pf_initiative *in = &p->in[i];
    eng_opts o = {0};
    o.trials = trials;
    o.seed = init_seed(seed, in->name);
    o.threads = threads;
    o.monthly = monthly;
    o.metrics_read = 1u << M_COST_TOTAL | 1u << M_BLENDED_COST | 1u << M_DELIVERED;
    o.months_read = 1; /* month_cost */
    eng_results *r = NULL;
    if (eng_run(in->scn, &o, &r, d))
        return -1;
    size_t T = (size_t)trials;
    double *value = malloc(T * sizeof *value);
    gsl_rng *g = gsl_rng_alloc(rng_xoshiro256ss);
    int rc = -1;
    if (!value || !g) {
        diag_runtime(d, "out of memory");
        goto out;
    }
    draw_values(in, seed, g, T, value);
    s->months_of[i] = monthly ? r->months : 0;
    for (size_t k = 0; k < in->nopt; k++) {
        size_t a = in->opt_alt[k];
        double *c = malloc(T * sizeof *c), *gn = malloc(T * sizeof *gn);
        s->cost[i][k] = c;
        s->gain[i][k] = gn;
        if (!c || !gn) {
            diag_runtime(d, "out of memory");
            goto out;
        }
        const double *tc = eng_metric_data(r, a, M_COST_TOTAL);
        const double *bl = eng_metric_data(r, a, M_BLENDED_COST);
        const double *dv = eng_metric_data(r, a, M_DELIVERED);
        double nd = 0;
        for (size_t t = 0; t < T; t++) {
            c[t] = tc[t];
            gn[t] = value[t] * dv[t] - bl[t];
            nd += dv[t];
        }
        s->p_delivered[i][k] = nd / (double)T;
        if (monthly) {
            size_t sz = (size_t)r->months * T;
            if (!(s->month_cost[i][k] = malloc(sz * sizeof(double)))) {
                diag_runtime(d, "out of memory");
                goto out;
            }
            memcpy(s->month_cost[i][k], r->month_cost + (size_t)a * sz, sz * sizeof(double));
        }
    }
    rc = 0;
out:
    free(value);
    if (g)
        gsl_rng_free(g);
    eng_results_free(r);
    return rc;
}

int pf_simulate_ex(const pf_portfolio *p, uint64_t seed, uint64_t trials, int threads, int monthly,
                   pf_sim **out, diag *d)
{
    *out = NULL;
    pf_sim *s = calloc(1, sizeof *s);
    if (!s)
        return diag_runtime(d, "out of memory");
    s->n = p->n;
    s->trials = trials;
    s->cost = calloc(p->n, sizeof *s->cost);
    s->gain = calloc(p->n, sizeof *s->gain);
    s->month_cost = calloc(p->n, sizeof *s->month_cost);
    s->months_of = calloc(p->n, sizeof *s->months_of);
    s->nopt = calloc(p->n, sizeof *s->nopt);
    s->p_delivered = calloc(p->n, sizeof *s->p_delivered);
    s->perm = calloc(p->n, sizeof *s->perm);
    s->seed = seed;
    if (!s->perm || !s->cost || !s->gain || !s->month_cost || !s->months_of || !s->nopt || !s->p_delivered)
        goto oom;
    for (size_t i = 0; i < p->n; i++) {
        s->nopt[i] = p->in[i].nopt;
        s->cost[i] = calloc(p->in[i].nopt, sizeof **s->cost);
        s->gain[i] = calloc(p->in[i].nopt, sizeof **s->gain);
        if (monthly)
            s->month_cost[i] = calloc(p->in[i].nopt, sizeof **s->month_cost);
        s->p_delivered[i] = calloc(p->in[i].nopt, sizeof **s->p_delivered);
        if (!s->cost[i] || !s->gain[i] || !s->p_delivered[i] || (monthly && !s->month_cost[i]))
            goto oom;
    }
    for (size_t i = 0; i < p->n; i++)
        if (sim_one(p, i, seed, trials, threads, monthly, s, d))
            goto fail;
    for (size_t i = 0; i < p->n; i++)
        if (s->months_of[i] > s->months)
            s->months = s->months_of[i];
    if (p->ncorr && correlate(p, seed, s, d))
        goto fail;
    *out = s;
    return 0;
oom:
    diag_runtime(d, "out of memory");
fail:
    pf_sim_free(s);
    return -1;
}

int pf_simulate(const pf_portfolio *p, uint64_t seed, uint64_t trials, int threads, pf_sim **out,
                diag *d)
{
    return pf_simulate_ex(p, seed, trials, threads, 1, out, d);
}

int pf_pool_margins(const pf_portfolio *p, const pf_sim *s, const pf_pool *pool, const int *sel,
                    int threads, double *mean, double *se, double *p_first, int *top,
                    double *p_flip, diag *d)
{
    size_t T = (size_t)s->trials, nd = pool->ndraws;
    double *delta = calloc(nd * T, sizeof *delta), *value = malloc(T * sizeof *value);
    gsl_rng *g = gsl_rng_alloc(rng_xoshiro256ss);
    int rc = -1;
    *top = -1;
    *p_flip = NAN;
    if (!delta || !value || !g) {
        diag_runtime(d, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < nd; k++) {
        const pf_draw *dr = &pool->draws[k];
        const pf_initiative *in = &p->in[dr->init];
        mean[k] = se[k] = p_first[k] = NAN;
        if (sel[dr->init] != dr->opt)
            continue;
        eng_opts o = {0};
        o.trials = s->trials;
        o.seed = init_seed(s->seed, in->name);
        o.threads = threads;
        o.metrics_read = 1u << M_BLENDED_COST | 1u << M_DELIVERED;
        eng_results *r = NULL;
        if (eng_run(dr->plus, &o, &r, d))
            goto out;
        draw_values(in, s->seed, g, T, value);
        const double *bl = eng_metric_data(r, 0, M_BLENDED_COST), *dv = eng_metric_data(r, 0, M_DELIVERED);
        const double *base = s->gain[dr->init][dr->opt - 1];
        const size_t *perm = s->perm[dr->init];
        double *x = delta + k * T, sum = 0, ss = 0;
        for (size_t t = 0; t < T; t++) {
            size_t e = perm ? perm[t] : t;
            x[t] = value[e] * dv[e] - bl[e] - base[t];
            sum += x[t];
        }
        eng_results_free(r);
        mean[k] = sum / (double)T;
        for (size_t t = 0; t < T; t++)
            ss += (x[t] - mean[k]) * (x[t] - mean[k]);
        se[k] = T > 1 ? sqrt(ss / (double)(T - 1) / (double)T) : NAN;
        p_first[k] = 0;
        if (*top < 0 || mean[k] > mean[*top])
            *top = (int)k;
    }
    if (*top >= 0) {
        size_t flips = 0;
        for (size_t t = 0; t < T; t++) {
            size_t best = (size_t)*top;
            int flip = 0;
            for (size_t k = 0; k < nd; k++) {
                if (isnan(mean[k]))
                    continue;
                /* rounding is no ranking: equal changes computed along
                 * different paths differ in the last bits */
                double dk = delta[k * T + t], db = delta[best * T + t], dt = delta[(size_t)*top * T + t];
                if (dk > db + 1e-9 * (fabs(db) + 1))
                    best = k;
                if (k != (size_t)*top && dk > dt + 1e-9 * (fabs(dt) + 1))
                    flip = 1;
            }
            p_first[best] += 1;
            flips += (size_t)flip;
        }
        for (size_t k = 0; k < nd; k++)
            if (!isnan(mean[k]))
                p_first[k] /= (double)T;
        *p_flip = (double)flips / (double)T;
    }
    rc = 0;
out:
    free(delta);
    free(value);
    if (g)
        gsl_rng_free(g);
    return rc;
}
