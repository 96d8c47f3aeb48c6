/*
 * pf_result — the figures of `capmix portfolio` (pf_result.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "pf_result.h"
#include "portfolio.h"
#include "report.h"
#include "rng.h"
#include "stats.h"

const char *pf_option_name(const pf_portfolio *p, size_t i, int o)
{
    if (!o)
        return NULL;
    return p->in[i].scn->alts[p->in[i].opt_alt[o - 1]].name;
}

static char *money(char *buf, size_t n, double v)
{
    return report_fmt(buf, n, v, 0);
}

void pf_label(const pf_portfolio *p, const int *sel, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->n && o < n; i++)
        if (sel[i])
            o += (size_t)snprintf(buf + o, n - o, "%s%s=%s", o ? ", " : "", p->in[i].name,
                                  pf_option_name(p, i, sel[i]));
    if (!buf[0])
        snprintf(buf, n, "nothing funded");
}

/* The out-of-sample check's seed: independent of the file's. */
static uint64_t oos_seed(const pf_portfolio *p)
{
    return rng_stream_key(p->seed, RNG_DOMAIN_COPULA, "portfolio/out-of-sample", 0) >> 1;
}

/* Everything printed and written, computed once. */
int pf_result_compute(pf_result *R, const int *given, int threads, uint64_t check_trials, diag *d)
{
    const pf_portfolio *p = R->p;
    const pf_problem *pb = R->pb;
    size_t T = pb->trials;
    R->candidates = 1;
    for (size_t i = 0; i < p->n; i++)
        R->candidates = R->candidates > UINT64_MAX / (pb->nopt[i] + 1) ? UINT64_MAX
                                                                       : R->candidates * (pb->nopt[i] + 1);
    if (given) {
        memset(&R->ch, 0, sizeof R->ch);
        memcpy(R->ch.sel, given, p->n * sizeof *given);
        pf_evaluate(pb, given, &R->ch.objective, &R->ch.p_over);
        R->ch.feasible = R->ch.p_over <= pb->alpha + 1e-12;
        R->ch.exact = 1;
        R->ch.bound = NAN;
        size_t o = 0;
        for (size_t i = 0; i < p->n && o < sizeof R->note; i++) {
            if (p->in[i].must_fund && !given[i])
                o += (size_t)snprintf(R->note + o, sizeof R->note - o, "%s'%s' is must_fund but not funded",
                                      o ? "; " : "", p->in[i].name);
            for (size_t j = i + 1; j < p->n && o < sizeof R->note; j++)
                if (given[i] && given[j] && (p->in[i].excl >> j & 1))
                    o += (size_t)snprintf(R->note + o, sizeof R->note - o,
                                          "%s'%s' and '%s' are exclusive but both funded", o ? "; " : "",
                                          p->in[i].name, p->in[j].name);
        }
    } else if (pf_choose(pb, 0, &R->ch, d)) {
        return -1;
    }
    const int *sel = R->ch.sel;
    double *total = malloc(T * sizeof *total), *tmp = malloc(T * sizeof *tmp);
    if (!total || !tmp) {
        free(total);
        free(tmp);
        return diag_runtime(d, "out of memory");
    }
    for (size_t i = 0; i < p->n; i++) {
        R->gain_of[i] = 0;
        if (!sel[i])
            continue;
        const double *c = pb->cost[i][sel[i] - 1], *g = pb->gain[i][sel[i] - 1];
        double sc = 0, sg = 0;
        for (size_t t = 0; t < T; t++) {
            sc += c[t];
            sg += g[t];
            tmp[t] = c[t];
        }
        R->mean_cost[i] = sc / (double)T;
        R->gain_of[i] = sg / (double)T;
        R->p90_cost[i] = stats_quantile_select(tmp, T, 0.9); /* one quantile: no sort */
        R->sum_p90 += R->p90_cost[i];
    }
    pf_total(pb, sel, total);
    stats_sort(total, T);
    static const double lv[3] = {0.8, 0.9, 0.95};
    for (int k = 0; k < 3; k++)
        R->env[k] = env_quantile_ci(total, T, lv[k]);
    R->p90 = stats_quantile_sorted(total, T, 0.9);
    /* burn fan: month m of an initiative past its horizon holds its final
     * spend; under MPI the other ranks send the selection's only now */
    pf_sim *s = R->s;
    if (pf_share_selection(R->ch.sel, d) || pf_sim_months(s, sel, d))
        goto fail;
    R->fan = calloc((size_t)(s->months ? s->months : 1) * 4, sizeof *R->fan);
    if (!R->fan)
        goto oom;
    for (int m = 0; m < s->months; m++) {
        memset(tmp, 0, T * sizeof *tmp);
        for (size_t i = 0; i < p->n; i++) {
            if (!sel[i] || !s->months_of[i])
                continue;
            int mm = m < s->months_of[i] ? m : s->months_of[i] - 1;
            const double *mc = s->month_cost[i][sel[i] - 1] + (size_t)mm * T;
            for (size_t t = 0; t < T; t++)
                tmp[t] += mc[t];
        }
        double *f = R->fan + 4 * m;
        stats_fan_point(tmp, T, &f[0], &f[1], &f[2], &f[3]);
    }
    /* where the next unit of each pool goes, for this selection */
    for (size_t k = 0; k < p->npools; k++)
        if (pf_pool_margins(p, s, &p->pools[k], sel, threads, R->pool[k].mean, R->pool[k].se,
                            R->pool[k].p_first, &R->pool[k].top, &R->pool[k].p_flip, d))
            goto fail;
    /* the order of cuts, from the selection down */
    int nc = pf_cuts(pb, sel, R->cuts, PF_MAX_CUTS, d);
    if (nc < 0)
        goto fail;
    R->ncuts = nc;
    /* what the budget is holding back: the choice with no budget limit */
    pf_problem loose = *pb;
    loose.budget = INFINITY;
    pf_choice fc;
    if (pf_choose(&loose, 0, &fc, d))
        goto fail;
    memcpy(R->free_sel, fc.sel, sizeof fc.sel);
    R->free_obj = fc.objective;
    R->free_need = pf_required_budget(pb, fc.sel, tmp);
    R->free_differs = memcmp(fc.sel, sel, p->n * sizeof *sel) != 0;
    free(total);
    free(tmp);
    total = tmp = NULL;
    /* out of sample: every initiative again on an independent seed */
    R->oos_seed = oos_seed(p);
    R->oos_trials = check_trials;
    pf_sim *s2;
    if (pf_simulate_ex(p, R->oos_seed, check_trials, threads, 0, &s2, d))
        return -1;
    int must[PF_MAX_INITIATIVES];
    unsigned long long excl[PF_MAX_INITIATIVES];
    pf_problem pb2;
    pf_problem_of(p, s2, must, excl, &pb2);
    double obj2;
    pf_evaluate(&pb2, sel, &obj2, &R->oos_p);
    pf_wilson(R->oos_p * (double)check_trials, (double)check_trials, 1.959963984540054, &R->oos_lo,
              &R->oos_hi);
    pf_sim_free(s2);
    pf_label(p, sel, R->label, sizeof R->label);
    if (R->chosen && !R->ch.feasible) {
        /* nothing to report on: no selection meets the constraint */
        R->ch.objective = R->ch.p_over = R->oos_p = R->oos_lo = R->oos_hi = NAN;
        snprintf(R->label, sizeof R->label, "no feasible selection");
    }
    return 0;
oom:
    diag_runtime(d, "out of memory");
fail:
    free(total);
    free(tmp);
    return -1;
}

int pf_result_assist(const pf_portfolio *p, pf_sim *s, int threads, uint64_t check_trials, diag *d)
{
    int sel[PF_MAX_INITIATIVES] = {0};
    double mean[PF_MAX_INITIATIVES], se[PF_MAX_INITIATIVES], p_first[PF_MAX_INITIATIVES], p_flip;
    int top;
    if (pf_share_selection(sel, d) || pf_sim_months(s, sel, d))
        return -1;
    for (size_t k = 0; k < p->npools; k++)
        if (pf_pool_margins(p, s, &p->pools[k], sel, threads, mean, se, p_first, &top, &p_flip, d))
            return -1;
    pf_sim *s2;
    if (pf_simulate_ex(p, oos_seed(p), check_trials, threads, 0, &s2, d))
        return -1;
    pf_sim_free(s2);
    return 0;
}

/* The answer: what is funded, on which metric, the runner-up (the first
 * cut) and what would change it. */
void pf_result_answer(pf_result *R)
{
    const pf_portfolio *p = R->p;
    char b1[64], b2[64], b3[64], b4[64];
    double alpha = R->pb->alpha;
    if (!R->ch.feasible) {
        snprintf(R->sentence, sizeof R->sentence,
                 "%s: no selection keeps P(total cost > %s) within %.0f%%%s.",
                 p->name, money(b1, sizeof b1, p->budget), 100 * alpha,
                 R->chosen ? "" : " with the selection given");
        /* the least any selection can need: must-fund initiatives only, each
         * at its option of lowest required budget */
        int sel[PF_MAX_INITIATIVES] = {0};
        double *scratch = malloc(R->pb->trials * sizeof *scratch), least = NAN;
        for (size_t i = 0; scratch && i < p->n; i++) {
            if (!p->in[i].must_fund)
                continue;
            double best = INFINITY;
            int bo = 1;
            for (size_t o = 1; o <= R->pb->nopt[i]; o++) {
                sel[i] = (int)o;
                double need = pf_required_budget(R->pb, sel, scratch);
                if (need < best) {
                    best = need;
                    bo = (int)o;
                }
            }
            sel[i] = bo;
        }
        if (scratch)
            least = pf_required_budget(R->pb, sel, scratch);
        free(scratch);
        if (R->chosen)
            snprintf(R->reason, sizeof R->reason,
                     "the must-fund initiatives alone need %s at %.0f%% confidence: raise the budget, "
                     "lower the confidence or release a must_fund",
                     money(b2, sizeof b2, least), 100 * p->confidence);
        else
            snprintf(R->reason, sizeof R->reason, "the selection needs %s at %.0f%% confidence",
                     money(b2, sizeof b2, R->cuts[0].need), 100 * p->confidence);
        return;
    }
    int n = snprintf(R->sentence, sizeof R->sentence,
                     "%s %s: E[value delivered - blended cost] %s with P(total cost > %s) %.1f%% "
                     "(%.1f%% out of sample)",
                     R->chosen ? "Fund" : "The selection", R->label,
                     money(b1, sizeof b1, R->ch.objective), money(b2, sizeof b2, p->budget),
                     100 * R->ch.p_over, 100 * R->oos_p);
    if (R->ncuts > 1 && n > 0 && (size_t)n < sizeof R->sentence) {
        const pf_cut *c = &R->cuts[1];
        int i = c->moved;
        const char *to = pf_option_name(p, (size_t)i, c->sel[i]);
        snprintf(R->sentence + n, sizeof R->sentence - (size_t)n,
                 "; runner-up, below a budget of %s: %s %s%s%s (E %s).",
                 money(b3, sizeof b3, R->cuts[0].need), to ? "move" : "drop", p->in[i].name,
                 to ? " to " : "", to ? to : "", money(b4, sizeof b4, c->objective));
    } else if (n > 0 && (size_t)n < sizeof R->sentence) {
        snprintf(R->sentence + n, sizeof R->sentence - (size_t)n, ".");
    }
    if (R->free_differs) {
        char lab[1024];
        pf_label(p, R->free_sel, lab, sizeof lab);
        snprintf(R->reason, sizeof R->reason,
                 "the budget binds: at %s (P%.0f of its total cost) the choice would be %.600s, "
                 "E %s; below %s the first cut applies",
                 money(b1, sizeof b1, R->free_need), 100 * p->confidence, lab,
                 money(b2, sizeof b2, R->free_obj), money(b3, sizeof b3, R->cuts[0].need));
    } else {
        snprintf(R->reason, sizeof R->reason,
                 "the budget does not bind the choice: every option with positive expected gain "
                 "that fits is funded; below %s (the selection's P%.0f total cost) the first cut applies",
                 money(b1, sizeof b1, R->cuts[0].need), 100 * p->confidence);
    }
}

void pf_result_release(pf_result *R)
{
    if (R)
        free(R->fan);
}
