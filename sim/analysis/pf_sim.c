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

#include "cmpi.h"
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
            if (s->month_part && s->month_part[i])
                free(s->month_part[i][o]);
        }
        if (s->cost)
            free(s->cost[i]);
        if (s->gain)
            free(s->gain[i]);
        if (s->month_cost)
            free(s->month_cost[i]);
        if (s->month_part)
            free(s->month_part[i]);
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
    free(s->month_part);
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
            for (int mo = 0; s->month_cost[i] && s->month_cost[i][o] && mo < s->months_of[i]; mo++)
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

/* ---- trials shared across MPI ranks ------------------------------------ */

/*
 * Under MPI (cmpi_sharing) every rank simulates its blocks of each run —
 * rank r of P blocks [r·B/P, (r+1)·B/P), as shard_distribute deals a
 * run's — and sends rank 0 only the rows the portfolio reads (each
 * option's cost and gain, its count of trials delivered, and, once rank 0
 * has chosen, the chosen options' month-end spend): rank 0 alone
 * chooses, so the others need no arrays, and the engine's other metrics
 * and alternatives never move.  Every trial lands at its index, so the
 * arrays are the one process's byte for byte.  One process: P = 1, the
 * whole run, no copy it can avoid.
 */
typedef struct pf_share {
    int P, me;
    unsigned long long *first; /* [P + 1]: rank r holds trials [first[r], first[r+1]) */
    double *each;              /* [P]: cmpi_gather_rows's scratch */
    size_t lo, n;              /* this rank's trials */
} pf_share;

static void share_release(pf_share *sh)
{
    free(sh->first);
    free(sh->each);
}

static int share_init(pf_share *sh, uint64_t trials, diag *d)
{
    sh->P = cmpi_sharing() ? cmpi_size() : 1;
    sh->me = sh->P > 1 ? cmpi_rank() : 0;
    sh->first = malloc(((size_t)sh->P + 1) * sizeof *sh->first);
    sh->each = malloc((size_t)sh->P * sizeof *sh->each);
    if (!sh->first || !sh->each) {
        share_release(sh);
        sh->first = NULL;
        sh->each = NULL;
        return diag_runtime(d, "out of memory");
    }
    const uint64_t B = (trials + ENG_BLOCK - 1) / ENG_BLOCK;
    for (int r = 0; r <= sh->P; r++) {
        uint64_t t = B * (uint64_t)r / (uint64_t)sh->P * ENG_BLOCK;
        sh->first[r] = t < trials ? t : trials;
    }
    sh->lo = (size_t)sh->first[sh->me];
    sh->n = (size_t)(sh->first[sh->me + 1] - sh->first[sh->me]);
    return 0;
}

/* This rank's blocks of a run (*r NULL when it has none). */
static int run_part(const scn_scenario *scn, eng_opts *o, const pf_share *sh, eng_results **r, diag *d)
{
    *r = NULL;
    if (sh->P > 1) {
        if (!sh->n)
            return 0;
        o->block_lo = sh->lo / ENG_BLOCK;
        o->block_hi = (sh->lo + sh->n + ENG_BLOCK - 1) / ENG_BLOCK;
    }
    if (eng_run(scn, o, r, d))
        return -1;
    if ((*r)->trials != sh->n)
        return diag_runtime(d, "rank %d simulated %llu trials, not %zu", sh->me,
                            (unsigned long long)(*r)->trials, sh->n);
    return 0;
}

/* The rows into rank 0's whole arrays (cmpi_gather_rows, or a copy in one
 * process, where a row already in place is left alone).  Every rank calls
 * it with its own `failed`; -1 on every rank if any failed. */
static int gather_rows(int failed, const cmpi_rows *set, int nsets, const pf_share *sh, diag *d)
{
    if (sh->P > 1)
        return cmpi_gather_rows(failed, set, nsets, sh->first, 0, sh->each, 0, d);
    if (failed)
        return -1;
    for (int i = 0; i < nsets; i++)
        for (size_t k = 0; sh->n && set[i].base != set[i].mine && k < set[i].rows; k++)
            memcpy((char *)set[i].base + k * set[i].stride, (const char *)set[i].mine + k * set[i].mine_stride,
                   sh->n * set[i].elem);
    return 0;
}

static cmpi_rows row_set(void *whole, const void *mine, size_t rows, size_t T, size_t n)
{
    return (cmpi_rows){whole, mine, rows, sizeof(double), T * sizeof(double), n * sizeof(double)};
}

static int sel_sink(void *ctx, int r, const void *buf, size_t len, diag *d)
{
    int *sel = ctx;
    if (r != 0 || buf == sel)
        return 0;
    if (len != PF_MAX_INITIATIVES * sizeof *sel)
        return diag_runtime(d, "rank 0's selection does not add up (a capmix of another version?)");
    memcpy(sel, buf, len);
    return 0;
}

int pf_share_selection(int *sel, diag *d)
{
    if (!cmpi_sharing())
        return 0;
    size_t len = cmpi_rank() == 0 ? PF_MAX_INITIATIVES * sizeof *sel : 0;
    return cmpi_gather(0, sel, len, 1, sel_sink, sel, d);
}

/* The delivered counts of every rank (each holding its own in
 * s->p_delivered) summed on rank 0 and made shares of the trials: counts
 * of 0s and 1s, so exact in any order and one process's shares. */
static int count_sink(void *ctx, int r, const void *buf, size_t len, diag *d)
{
    pf_sim *s = ctx;
    size_t m = 0, q = 0;
    for (size_t i = 0; i < s->n; i++)
        m += s->nopt[i];
    if (len != m * sizeof(double))
        return diag_runtime(d, "rank %d's results do not add up (a capmix of another version?)", r);
    const double *c = buf;
    for (size_t i = 0; r && i < s->n; i++) /* rank 0's own are in place */
        for (size_t k = 0; k < s->nopt[i]; k++)
            s->p_delivered[i][k] += c[q++];
    return 0;
}

static int share_counts(pf_sim *s, const pf_share *sh, diag *d)
{
    if (sh->P == 1)
        return 0;
    size_t m = 0, q = 0;
    for (size_t i = 0; i < s->n; i++)
        m += s->nopt[i];
    double *c = malloc((m + 1) * sizeof *c);
    int failed = c ? 0 : diag_runtime(d, "out of memory");
    for (size_t i = 0; c && i < s->n; i++)
        for (size_t k = 0; k < s->nopt[i]; k++)
            c[q++] = s->p_delivered[i][k];
    int rc = cmpi_gather(failed, c, m * sizeof *c, 0, count_sink, s, d);
    free(c);
    for (size_t i = 0; !rc && sh->me == 0 && i < s->n; i++)
        for (size_t k = 0; k < s->nopt[i]; k++)
            s->p_delivered[i][k] /= (double)s->trials;
    return rc;
}

/* Initiative i's options into s: on rank 0 the whole arrays, elsewhere
 * nothing but this rank's part sent there. */
static int sim_one(const pf_portfolio *p, size_t i, uint64_t seed, uint64_t trials, int threads,
                   int monthly, const pf_share *sh, pf_sim *s, diag *d)
{
    const pf_initiative *in = &p->in[i];
    eng_opts o = {0};
    o.trials = trials;
    o.seed = init_seed(seed, in->name);
    o.threads = threads;
    o.monthly = monthly;
    o.metrics_read = 1u << M_COST_TOTAL | 1u << M_BLENDED_COST | 1u << M_DELIVERED;
    o.months_read = 1; /* month_cost */
    const size_t T = (size_t)trials, n = sh->n, K = in->nopt;
    const int one = sh->P == 1;
    const size_t months = monthly ? (size_t)eng_months(in->scn) : 0;
    s->months_of[i] = (int)months;
    eng_results *r = NULL;
    /* value: its stream is drawn from trial 0, so up to this rank's last */
    double *value = malloc((sh->lo + n + 1) * sizeof *value), *gn = NULL;
    gsl_rng *g = gsl_rng_alloc(rng_xoshiro256ss);
    cmpi_rows *set = malloc((3 * K + 1) * sizeof *set);
    int failed = 0, nsets = 0;
    if (!value || !g || !set || (!one && !(gn = malloc((K * n + 1) * sizeof *gn))))
        failed = diag_runtime(d, "out of memory");
    if (!failed)
        failed = run_part(in->scn, &o, sh, &r, d);
    for (size_t k = 0; !failed && sh->me == 0 && k < K; k++) {
        s->cost[i][k] = malloc(T * sizeof(double));
        s->gain[i][k] = malloc(T * sizeof(double));
        if (months && one)
            s->month_cost[i][k] = malloc(months * T * sizeof(double));
        if (!s->cost[i][k] || !s->gain[i][k] || (months && one && !s->month_cost[i][k]))
            failed = diag_runtime(d, "out of memory");
    }
    /* shared: each rank keeps its trials' month-end spend until rank 0
     * knows which option it reads (pf_sim_months) */
    for (size_t k = 0; !failed && months && !one && k < K; k++)
        if (!(s->month_part[i][k] = malloc((months * n + 1) * sizeof(double))))
            failed = diag_runtime(d, "out of memory");
        else if (n)
            memcpy(s->month_part[i][k], r->month_cost + in->opt_alt[k] * months * n, months * n * sizeof(double));
    if (!failed)
        draw_values(in, seed, g, sh->lo + n, value);
    for (size_t k = 0; !failed && k < K; k++) {
        size_t a = in->opt_alt[k];
        const double *tc = r ? eng_metric_data(r, a, M_COST_TOTAL) : NULL;
        const double *bl = r ? eng_metric_data(r, a, M_BLENDED_COST) : NULL;
        const double *dv = r ? eng_metric_data(r, a, M_DELIVERED) : NULL;
        double *gk = one ? s->gain[i][k] : gn + k * n, nd = 0;
        for (size_t t = 0; t < n; t++) {
            gk[t] = value[sh->lo + t] * dv[t] - bl[t];
            nd += dv[t];
        }
        s->p_delivered[i][k] = one ? nd / (double)T : nd; /* shared: this rank's count */
        int whole = sh->me == 0;
        set[nsets++] = row_set(whole ? s->cost[i][k] : NULL, tc, 1, T, n);
        set[nsets++] = row_set(whole ? s->gain[i][k] : NULL, n ? gk : NULL, 1, T, n);
        if (months && one)
            set[nsets++] = row_set(s->month_cost[i][k], r->month_cost + a * months * n, months, T, n);
    }
    int rc = gather_rows(failed, set, nsets, sh, d);
    eng_results_free(r);
    free(value);
    free(gn);
    free(set);
    if (g)
        gsl_rng_free(g);
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
    if (monthly && cmpi_sharing()) {
        if (!(s->month_part = calloc(p->n, sizeof *s->month_part)))
            goto oom;
        for (size_t i = 0; i < p->n; i++)
            if (!(s->month_part[i] = calloc(p->in[i].nopt, sizeof **s->month_part)))
                goto oom;
    }
    pf_share sh;
    if (share_init(&sh, trials, d))
        goto fail;
    s->part = sh.me != 0;
    for (size_t i = 0; i < p->n; i++)
        if (sim_one(p, i, seed, trials, threads, monthly, &sh, s, d)) {
            share_release(&sh);
            goto fail;
        }
    if (share_counts(s, &sh, d)) {
        share_release(&sh);
        goto fail;
    }
    share_release(&sh);
    for (size_t i = 0; i < p->n; i++)
        if (s->months_of[i] > s->months)
            s->months = s->months_of[i];
    if (p->ncorr && !s->part && correlate(p, seed, s, d))
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

int pf_sim_months(pf_sim *s, const int *sel, diag *d)
{
    if (!s->month_part)
        return 0;
    pf_share sh;
    if (share_init(&sh, s->trials, d))
        return -1;
    const size_t T = (size_t)s->trials;
    double *tmp = sh.me ? NULL : malloc((T + 1) * sizeof *tmp);
    int rc = 0, failed = !sh.me && !tmp ? diag_runtime(d, "out of memory") : 0;
    for (size_t i = 0; !rc && i < s->n; i++) {
        if (!sel[i] || !s->months_of[i])
            continue;
        const size_t k = (size_t)sel[i] - 1, months = (size_t)s->months_of[i];
        if (!failed && !sh.me && !(s->month_cost[i][k] = malloc(months * T * sizeof(double))))
            failed = diag_runtime(d, "out of memory");
        cmpi_rows set = row_set(sh.me ? NULL : s->month_cost[i][k], sh.n ? s->month_part[i][k] : NULL, months, T, sh.n);
        rc = gather_rows(failed, &set, 1, &sh, d);
        /* in the order of the correlated initiative's trials, as correlate left its other arrays */
        for (size_t mo = 0; !rc && !sh.me && s->perm[i] && mo < months; mo++)
            permute(s->month_cost[i][k] + mo * T, s->perm[i], T, tmp);
    }
    if (failed && !rc) /* nothing selected has months: no gather told the others */
        rc = -1;
    for (size_t i = 0; i < s->n; i++)
        for (size_t k = 0; k < s->nopt[i]; k++) {
            free(s->month_part[i][k]);
            s->month_part[i][k] = NULL;
        }
    free(tmp);
    share_release(&sh);
    return rc;
}

int pf_pool_margins(const pf_portfolio *p, const pf_sim *s, const pf_pool *pool, const int *sel,
                    int threads, double *mean, double *se, double *p_first, int *top,
                    double *p_flip, diag *d)
{
    size_t T = (size_t)s->trials, nd = pool->ndraws;
    pf_share sh = {0};
    double *delta = NULL, *value = NULL, *gp = NULL, *gw = NULL;
    gsl_rng *g = gsl_rng_alloc(rng_xoshiro256ss);
    int rc = -1, failed = 0;
    *top = -1;
    *p_flip = NAN;
    if (share_init(&sh, s->trials, d))
        goto out;
    const size_t lo = sh.lo, n = sh.n;
    value = malloc((lo + n + 1) * sizeof *value);
    gp = malloc((n + 1) * sizeof *gp);
    if (!sh.me) {
        delta = calloc(nd * T, sizeof *delta);
        gw = malloc(T * sizeof *gw);
    }
    if (!g || !value || !gp || (!sh.me && (!delta || !gw)))
        failed = diag_runtime(d, "out of memory");
    for (size_t k = 0; k < nd; k++) {
        const pf_draw *dr = &pool->draws[k];
        const pf_initiative *in = &p->in[dr->init];
        mean[k] = se[k] = p_first[k] = NAN;
        if (sel[dr->init] != dr->opt)
            continue;
        /* each rank its trials' gain with one more unit; rank 0 lines them up */
        eng_opts o = {0};
        o.trials = s->trials;
        o.seed = init_seed(s->seed, in->name);
        o.threads = threads;
        o.metrics_read = 1u << M_BLENDED_COST | 1u << M_DELIVERED;
        eng_results *r = NULL;
        if (!failed)
            failed = run_part(dr->plus, &o, &sh, &r, d);
        if (!failed) {
            draw_values(in, s->seed, g, lo + n, value);
            const double *bl = r ? eng_metric_data(r, 0, M_BLENDED_COST) : NULL;
            const double *dv = r ? eng_metric_data(r, 0, M_DELIVERED) : NULL;
            for (size_t t = 0; t < n; t++)
                gp[t] = value[lo + t] * dv[t] - bl[t];
        }
        eng_results_free(r);
        cmpi_rows set = row_set(gw, n ? gp : NULL, 1, T, n);
        if (gather_rows(failed, &set, 1, &sh, d))
            goto out;
        if (sh.me)
            continue;
        const double *base = s->gain[dr->init][dr->opt - 1];
        const size_t *perm = s->perm[dr->init];
        double *x = delta + k * T, sum = 0, ss = 0;
        for (size_t t = 0; t < T; t++) {
            x[t] = gw[perm ? perm[t] : t] - base[t];
            sum += x[t];
        }
        mean[k] = sum / (double)T;
        for (size_t t = 0; t < T; t++)
            ss += (x[t] - mean[k]) * (x[t] - mean[k]);
        se[k] = T > 1 ? sqrt(ss / (double)(T - 1) / (double)T) : NAN;
        p_first[k] = 0;
        if (*top < 0 || mean[k] > mean[*top])
            *top = (int)k;
    }
    if (failed) /* no draw applied: nobody gathered */
        goto out;
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
    share_release(&sh);
    free(delta);
    free(value);
    free(gp);
    free(gw);
    if (g)
        gsl_rng_free(g);
    return rc;
}
