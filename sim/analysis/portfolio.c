/*
 * portfolio — choose a portfolio's selection and walk the order of cuts
 * (portfolio.h; the file is loaded by portfolio_load.c, simulated by
 * pf_sim.c).
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portfolio.h"

/* ---- the problem of a simulation ------------------------------------------ */

void pf_problem_of(const pf_portfolio *p, const pf_sim *s, int *must, unsigned long long *excl,
                   pf_problem *pb)
{
    for (size_t i = 0; i < p->n; i++) {
        must[i] = p->in[i].must_fund;
        excl[i] = p->in[i].excl;
    }
    *pb = (pf_problem){
        .n = p->n,
        .trials = (size_t)s->trials,
        .nopt = s->nopt,
        .cost = (const double *const *const *)s->cost,
        .gain = (const double *const *const *)s->gain,
        .must_fund = must,
        .excl = excl,
        .budget = p->budget,
        .alpha = 1 - p->confidence,
    };
}

/* ---- selection ----------------------------------------------------------- */

/* Trials allowed over budget: P(over) <= alpha on T trials. */
static size_t allowed_over(const pf_problem *pb)
{
    double k = floor(pb->alpha * (double)pb->trials + 1e-9);
    return k < 0 ? 0 : (size_t)k;
}

void pf_mean_gains(const pf_problem *pb, double **mean)
{
    for (size_t i = 0; i < pb->n; i++) {
        mean[i][0] = 0;
        for (size_t o = 1; o <= pb->nopt[i]; o++) {
            const double *g = pb->gain[i][o - 1];
            double sum = 0;
            for (size_t t = 0; t < pb->trials; t++)
                sum += g[t];
            mean[i][o] = sum / (double)pb->trials;
        }
    }
}

typedef struct search {
    const pf_problem *pb;
    double **mean;
    int **order;           /* options of each initiative, best mean first */
    size_t *norder;
    double *maxrem;        /* [k]: Σ_{i>=k} best allowed mean */
    double **part;         /* [k+1]: partial total cost after initiative k */
    const double **cur;    /* [k]: the partial total in force at depth k */
    size_t kmax;
    uint64_t nodes, limit;
    int stopped;
    double open_bound;
    int sel[PF_MAX_INITIATIVES];
    pf_choice *best;
} search;

static void dfs(search *S, size_t k, double obj, unsigned long long funded)
{
    const pf_problem *pb = S->pb;
    if (S->stopped) {
        if (obj + S->maxrem[k] > S->open_bound)
            S->open_bound = obj + S->maxrem[k];
        return;
    }
    if (k == pb->n) {
        if (!S->best->feasible || obj > S->best->objective) {
            size_t over = 0;
            for (size_t t = 0; t < pb->trials; t++)
                over += S->cur[k][t] > pb->budget;
            S->best->feasible = 1;
            S->best->objective = obj;
            S->best->p_over = (double)over / (double)pb->trials;
            memcpy(S->best->sel, S->sel, pb->n * sizeof *S->sel);
        }
        return;
    }
    if (S->best->feasible) {
        double b = obj + S->maxrem[k], best = S->best->objective;
        if (b <= best - 1e-9 * (1 + fabs(best)))
            return;
    }
    if (++S->nodes > S->limit) {
        S->stopped = 1;
        dfs(S, k, obj, funded);
        return;
    }
    for (size_t q = 0; q < S->norder[k]; q++) {
        int o = S->order[k][q];
        if (o && pb->excl && (pb->excl[k] & funded))
            continue;
        S->sel[k] = o;
        if (o == 0) {
            S->cur[k + 1] = S->cur[k];
        } else {
            const double *c = pb->cost[k][o - 1], *prev = S->cur[k];
            double *nx = S->part[k + 1], B = pb->budget;
            size_t over = 0;
            for (size_t t = 0; t < pb->trials; t++) {
                nx[t] = prev[t] + c[t];
                over += nx[t] > B;
            }
            /* costs are non-negative: no completion can bring it back */
            if (over > S->kmax)
                continue;
            S->cur[k + 1] = nx;
        }
        dfs(S, k + 1, obj + S->mean[k][o], o ? funded | 1ULL << k : funded);
    }
}

/* One allocation holds every array the search and its helpers need. */
typedef struct pf_work {
    double **mean;
    int **order;
    size_t *norder;
    double *maxrem;
    double **part;
    const double **cur;
    void *block;
} pf_work;

static void work_free(pf_work *w)
{
    if (!w)
        return;
    for (size_t i = 0; w->part && w->part[i]; i++)
        free(w->part[i]);
    free(w->part);
    if (w->mean)
        for (size_t i = 0; w->mean[i]; i++)
            free(w->mean[i]);
    free(w->mean);
    if (w->order)
        for (size_t i = 0; w->order[i]; i++)
            free(w->order[i]);
    free(w->order);
    free(w->norder);
    free(w->maxrem);
    free(w->cur);
}

/* Options best mean first, ties by index: a stable insertion sort (an
 * initiative has a handful of options, and qsort would need the means
 * through a global). */
static void order_by_mean(int *order, size_t q, const double *mean)
{
    for (size_t a = 1; a < q; a++) {
        int x = order[a];
        size_t b = a;
        while (b > 0 && mean[order[b - 1]] < mean[x]) {
            order[b] = order[b - 1];
            b--;
        }
        order[b] = x;
    }
}

static int work_init(const pf_problem *pb, int with_part, pf_work *w, diag *d)
{
    memset(w, 0, sizeof *w);
    size_t n = pb->n;
    w->mean = calloc(n + 1, sizeof *w->mean);
    w->order = calloc(n + 1, sizeof *w->order);
    w->norder = calloc(n + 1, sizeof *w->norder);
    w->maxrem = calloc(n + 1, sizeof *w->maxrem);
    w->part = calloc(n + 2, sizeof *w->part);
    w->cur = calloc(n + 1, sizeof *w->cur);
    if (!w->mean || !w->order || !w->norder || !w->maxrem || !w->part || !w->cur)
        goto oom;
    for (size_t i = 0; i < n; i++)
        if (!(w->mean[i] = calloc(pb->nopt[i] + 1, sizeof **w->mean)) ||
            !(w->order[i] = calloc(pb->nopt[i] + 1, sizeof **w->order)))
            goto oom;
    for (size_t i = 0; with_part && i <= n; i++)
        if (!(w->part[i] = calloc(pb->trials ? pb->trials : 1, sizeof **w->part)))
            goto oom;
    pf_mean_gains(pb, w->mean);
    for (size_t i = n; i-- > 0;) {
        size_t q = 0;
        int must = pb->must_fund && pb->must_fund[i];
        for (size_t o = must ? 1 : 0; o <= pb->nopt[i]; o++)
            w->order[i][q++] = (int)o;
        w->norder[i] = q;
        order_by_mean(w->order[i], q, w->mean[i]);
        w->maxrem[i] = w->maxrem[i + 1] + (q ? w->mean[i][w->order[i][0]] : 0);
    }
    return 0;
oom:
    work_free(w);
    return diag_runtime(d, "out of memory");
}

static int cmp_double(const void *a, const void *b);

/*
 * A bound that sees the budget, for a search that stopped.  A feasible
 * selection has at least m = T − kmax trials within budget, so the mean of
 * its m smallest totals is <= B; and the m smallest of a sum add up to at
 * least the sum of each option's m smallest (any m trials of a sum hold at
 * least each term's m smallest).  With w_io the mean of option io's m
 * smallest costs, every feasible selection has Σ_i w_i,o_i <= B: a
 * multiple-choice knapsack, whose Lagrangian
 *   L(λ) = λ·B + Σ_i max_o (mean_io − λ·w_io),  λ >= 0,
 * is an upper bound on the objective at every λ (weak duality); the
 * smallest found by a ternary search on the convex L is reported.
 * Exclusivity is relaxed (still a bound); must_fund is kept.
 */
static double lagrangian_bound(const pf_problem *pb, double **mean, double *scratch)
{
    size_t T = pb->trials, m = T - (size_t)floor(pb->alpha * (double)T + 1e-9);
    double wmax = 0, gmax = 0;
    double *w[PF_MAX_INITIATIVES];
    for (size_t i = 0; i < pb->n; i++)
        w[i] = NULL;
    double res = INFINITY;
    for (size_t i = 0; i < pb->n; i++) {
        if (!(w[i] = calloc(pb->nopt[i] + 1, sizeof **w)))
            goto out;
        for (size_t o = 1; o <= pb->nopt[i]; o++) {
            memcpy(scratch, pb->cost[i][o - 1], T * sizeof *scratch);
            qsort(scratch, T, sizeof *scratch, cmp_double);
            double sum = 0;
            for (size_t t = 0; t < m; t++)
                sum += scratch[t];
            w[i][o] = m ? sum / (double)m : 0;
            if (w[i][o] > 0 && w[i][o] > wmax)
                wmax = w[i][o];
            if (fabs(mean[i][o]) > gmax)
                gmax = fabs(mean[i][o]);
        }
    }
    double lo = 0, hi = 1;
    /* a λ past which every funded option loses: gains over the smallest weight */
    double wmin = INFINITY;
    for (size_t i = 0; i < pb->n; i++)
        for (size_t o = 1; o <= pb->nopt[i]; o++)
            if (w[i][o] > 0 && w[i][o] < wmin)
                wmin = w[i][o];
    if (isfinite(wmin))
        hi = 2 * (gmax + 1) / wmin;
    for (int it = 0; it < 200; it++) {
        double a = lo + (hi - lo) / 3, b = hi - (hi - lo) / 3, L[2];
        for (int q = 0; q < 2; q++) {
            double lam = q ? b : a, v = lam * pb->budget;
            for (size_t i = 0; i < pb->n; i++) {
                int must = pb->must_fund && pb->must_fund[i];
                double best = must ? -INFINITY : 0;
                for (size_t o = 1; o <= pb->nopt[i]; o++)
                    if (mean[i][o] - lam * w[i][o] > best)
                        best = mean[i][o] - lam * w[i][o];
                v += best;
            }
            L[q] = v;
            if (v < res)
                res = v;
        }
        if (L[0] < L[1])
            hi = b;
        else
            lo = a;
    }
out:
    for (size_t i = 0; i < pb->n; i++)
        free(w[i]);
    return res;
}

/* Whether sel meets must_fund and exclusivity. */
static int sel_allowed(const pf_problem *pb, const int *sel)
{
    unsigned long long funded = 0;
    for (size_t i = 0; i < pb->n; i++) {
        if (pb->must_fund && pb->must_fund[i] && !sel[i])
            return 0;
        if (sel[i])
            funded |= 1ULL << i;
    }
    for (size_t i = 0; pb->excl && i < pb->n; i++)
        if (sel[i] && (pb->excl[i] & funded))
            return 0;
    return 1;
}

/*
 * After a stopped search: local search from the incumbent.  Moves: change
 * one initiative's option (funding, dropping, switching), or two at once
 * (a swap: drop or downgrade one to make room for another).  Each pass
 * takes the best improving feasible move; stops when none improves.
 * `total` holds T doubles.
 */
static void local_search(const pf_problem *pb, double **mean, pf_choice *best, double *total)
{
    size_t T = pb->trials, kmax = (size_t)floor(pb->alpha * (double)T + 1e-9);
    for (int pass = 0; pass < 1000; pass++) {
        pf_total(pb, best->sel, total);
        int bi = -1, bo = 0, bj = -1, bq = 0;
        double bobj = best->objective, bp = best->p_over;
        for (size_t i = 0; i < pb->n; i++)
            for (int o = 0; o <= (int)pb->nopt[i]; o++) {
                if (o == best->sel[i])
                    continue;
                for (size_t j = i; j < pb->n; j++)
                    for (int q = 0; q <= (int)pb->nopt[j]; q++) {
                        if (j == i ? q != 0 : q == best->sel[j])
                            continue; /* j == i: the single move */
                        int sel[PF_MAX_INITIATIVES];
                        memcpy(sel, best->sel, pb->n * sizeof *sel);
                        sel[i] = o;
                        if (j != i)
                            sel[j] = q;
                        double obj = 0;
                        for (size_t k = 0; k < pb->n; k++)
                            obj += mean[k][sel[k]];
                        if (!(obj > bobj + 1e-9 * (1 + fabs(bobj))) || !sel_allowed(pb, sel))
                            continue;
                        const double *ci = best->sel[i] ? pb->cost[i][best->sel[i] - 1] : NULL,
                                     *ni = o ? pb->cost[i][o - 1] : NULL;
                        const double *cj = j != i && best->sel[j] ? pb->cost[j][best->sel[j] - 1] : NULL,
                                     *nj = j != i && q ? pb->cost[j][q - 1] : NULL;
                        size_t over = 0;
                        for (size_t t = 0; t < T && over <= kmax; t++) {
                            double v = total[t] - (ci ? ci[t] : 0) + (ni ? ni[t] : 0) -
                                       (cj ? cj[t] : 0) + (nj ? nj[t] : 0);
                            over += v > pb->budget;
                        }
                        if (over > kmax)
                            continue;
                        bobj = obj;
                        bp = (double)over / (double)T;
                        bi = (int)i, bo = o, bj = (int)j, bq = q;
                    }
            }
        if (bi < 0)
            return;
        best->sel[bi] = bo;
        if (bj != bi)
            best->sel[bj] = bq;
        best->objective = bobj;
        best->p_over = bp;
        best->feasible = 1;
    }
}

int pf_choose(const pf_problem *pb, uint64_t node_limit, pf_choice *out, diag *d)
{
    memset(out, 0, sizeof *out);
    if (pb->n > PF_MAX_INITIATIVES)
        return diag_runtime(d, "at most %d initiatives", PF_MAX_INITIATIVES);
    pf_work w;
    if (work_init(pb, 1, &w, d))
        return -1;
    search S = {0};
    S.pb = pb;
    S.mean = w.mean;
    S.order = w.order;
    S.norder = w.norder;
    S.maxrem = w.maxrem;
    S.part = w.part;
    S.cur = w.cur;
    S.cur[0] = w.part[0]; /* zeros */
    S.kmax = allowed_over(pb);
    S.limit = node_limit ? node_limit : PF_NODE_LIMIT;
    S.open_bound = -INFINITY;
    S.best = out;
    dfs(&S, 0, 0, 0);
    out->nodes = S.nodes > S.limit ? S.limit : S.nodes;
    out->exact = !S.stopped;
    if (S.stopped) {
        if (out->feasible)
            local_search(pb, w.mean, out, w.part[1]);
        /* the tighter of the unexplored branches' bound and the budget-aware one */
        double lb = lagrangian_bound(pb, w.mean, w.part[1]);
        double b = S.open_bound < lb ? S.open_bound : lb;
        out->bound = out->feasible && out->objective > b ? out->objective : b;
    } else {
        out->bound = out->feasible ? out->objective : NAN;
    }
    work_free(&w);
    return 0;
}

void pf_total(const pf_problem *pb, const int *sel, double *total)
{
    memset(total, 0, pb->trials * sizeof *total);
    for (size_t i = 0; i < pb->n; i++) {
        if (!sel[i])
            continue;
        const double *c = pb->cost[i][sel[i] - 1];
        for (size_t t = 0; t < pb->trials; t++)
            total[t] += c[t];
    }
}

void pf_evaluate(const pf_problem *pb, const int *sel, double *objective, double *p_over)
{
    double obj = 0;
    for (size_t i = 0; i < pb->n; i++) {
        if (!sel[i])
            continue;
        const double *g = pb->gain[i][sel[i] - 1];
        double sum = 0;
        for (size_t t = 0; t < pb->trials; t++)
            sum += g[t];
        obj += sum / (double)pb->trials;
    }
    *objective = obj;
    size_t over = 0;
    /* the same summation order as the search, so the same verdicts */
    for (size_t t = 0; t < pb->trials; t++) {
        double tot = 0;
        for (size_t i = 0; i < pb->n; i++)
            if (sel[i])
                tot += pb->cost[i][sel[i] - 1][t];
        over += tot > pb->budget;
    }
    *p_over = pb->trials ? (double)over / (double)pb->trials : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double pf_required_budget(const pf_problem *pb, const int *sel, double *scratch)
{
    if (!pb->trials)
        return 0;
    pf_total(pb, sel, scratch);
    qsort(scratch, pb->trials, sizeof *scratch, cmp_double);
    size_t k = allowed_over(pb);
    if (k >= pb->trials)
        return 0;
    return scratch[pb->trials - 1 - k];
}

int pf_cuts(const pf_problem *pb, const int *start, pf_cut *steps, size_t max, diag *d)
{
    if (!max)
        return 0;
    pf_work w;
    if (work_init(pb, 0, &w, d))
        return -1;
    double *scratch = malloc((pb->trials ? pb->trials : 1) * sizeof *scratch);
    if (!scratch) {
        work_free(&w);
        return diag_runtime(d, "out of memory");
    }
    size_t ns = 0;
    pf_cut cur = {0};
    memcpy(cur.sel, start, pb->n * sizeof *start);
    cur.need = pf_required_budget(pb, cur.sel, scratch);
    cur.objective = 0;
    for (size_t i = 0; i < pb->n; i++)
        cur.objective += w.mean[i][cur.sel[i]];
    cur.moved = -1;
    steps[ns++] = cur;
    while (ns < max) {
        int bi = -1, bo = 0;
        double bratio = INFINITY, bneed = 0, bobj = 0;
        for (size_t i = 0; i < pb->n; i++) {
            int o0 = cur.sel[i];
            if (!o0)
                continue;
            int must = pb->must_fund && pb->must_fund[i];
            for (int o = must ? 1 : 0; o <= (int)pb->nopt[i]; o++) {
                if (o == o0)
                    continue;
                /* only a cheaper option of a funded initiative: the funded
                 * set can shrink, never grow */
                int trial[PF_MAX_INITIATIVES];
                memcpy(trial, cur.sel, pb->n * sizeof *trial);
                trial[i] = o;
                double need = pf_required_budget(pb, trial, scratch);
                double released = cur.need - need;
                if (!(released > 0))
                    continue;
                double obj = cur.objective - w.mean[i][o0] + w.mean[i][o];
                double ratio = (cur.objective - obj) / released;
                if (ratio < bratio) {
                    bratio = ratio;
                    bi = (int)i;
                    bo = o;
                    bneed = need;
                    bobj = obj;
                }
            }
        }
        if (bi < 0)
            break;
        cur.sel[bi] = bo;
        cur.need = bneed;
        cur.objective = bobj;
        cur.moved = bi;
        steps[ns++] = cur;
    }
    free(scratch);
    work_free(&w);
    return (int)ns;
}


void pf_wilson(double k, double n, double z, double *lo, double *hi)
{
    if (!(n > 0)) {
        *lo = *hi = NAN;
        return;
    }
    double ph = k / n, z2 = z * z, den = 1 + z2 / n;
    double c = (ph + z2 / (2 * n)) / den;
    double h = z * sqrt(ph * (1 - ph) / n + z2 / (4 * n * n)) / den;
    *lo = c - h < 0 ? 0 : c - h;
    *hi = c + h > 1 ? 1 : c + h;
}
