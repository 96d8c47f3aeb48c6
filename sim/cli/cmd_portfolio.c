/*
 * cmd_portfolio — `capmix portfolio FILE`: which initiatives to fund under
 * one budget envelope, with which option, and the order of cuts
 * (portfolio.h has the method).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "cancel.h"
#include "cli.h"
#include "envelope.h"
#include "json.h"
#include "plot.h"
#include "portfolio.h"
#include "report.h"
#include "rng.h"
#include "stats.h"

static const char usage[] =
    "usage: capmix portfolio PORTFOLIO.yaml [-o DIR] [--select INIT=OPTION,...] [options]\n"
    "\n"
    "Several initiatives under one budget: simulate every option of every initiative once\n"
    "on common trials and choose one option per initiative (or none) to maximise the\n"
    "expected value delivered minus blended cost, subject to P(total cost > budget) <=\n"
    "1 - confidence on those trials; then re-check that probability on an independent seed,\n"
    "give the envelope of total cost, the diversification, the burn fan by month, and the\n"
    "order of cuts as the budget shrinks.\n"
    "\n"
    "options:\n"
    "  -o, --out DIR          write summary.json, portfolio.log, report.html and the burn\n"
    "                         fan chart there (all or nothing)\n"
    "      --select LIST      evaluate INIT=OPTION,... (OPTION 'none': not funded; an\n"
    "                         initiative not listed is not funded) instead of choosing\n"
    "      --trials N         trials (default: the file's)\n"
    "      --seed S           seed (default: the file's)\n"
    "      --check-trials N   trials of the out-of-sample check (default 100000)\n"
    "      --threads N        worker threads (default: online CPUs); results do not depend on it\n"
    "      --no-plots         do not draw the chart\n"
    "  -q, --quiet            print nothing on success\n"
    "\n"
    "exit status: 0 ok, 1 runtime failure, 2 bad input or usage\n";

#define MAX_CUTS 256

typedef struct pf_out {
    const pf_portfolio *p;
    const pf_sim *s;
    const pf_problem *pb;
    pf_choice ch;
    int chosen;                 /* 1: chosen; 0: --select */
    uint64_t candidates;        /* Π (options + 1), saturating */
    double mean_cost[PF_MAX_INITIATIVES], p90_cost[PF_MAX_INITIATIVES];
    double gain_of[PF_MAX_INITIATIVES];
    env_quantile env[3];        /* P80, P90, P95 of total cost */
    double sum_p90, p90;
    uint64_t oos_seed, oos_trials;
    double oos_p, oos_lo, oos_hi;
    pf_cut cuts[MAX_CUTS];
    int ncuts;
    int free_sel[PF_MAX_INITIATIVES]; /* the choice with no budget limit */
    double free_obj, free_need;
    int free_differs;
    double *fan;                /* [month][4]: mean, p10, p50, p90 */
    struct {
        double mean[PF_MAX_INITIATIVES], se[PF_MAX_INITIATIVES], p_first[PF_MAX_INITIATIVES];
        int top;
        double p_flip;
    } pool[PF_MAX_POOLS];
    char label[1024];           /* the selection in one line */
    char sentence[1024], reason[1024];
    char currency[16];
    char note[512];             /* --select: what the given selection breaks */
} pf_out;

static const char *opt_name(const pf_portfolio *p, size_t i, int o)
{
    if (!o)
        return NULL;
    return p->in[i].scn->alts[p->in[i].opt_alt[o - 1]].name;
}

static char *money(char *buf, size_t n, double v)
{
    return report_fmt(buf, n, v, 0);
}

static int parse_select(const pf_portfolio *p, const char *arg, int *sel, diag *d)
{
    memset(sel, 0, p->n * sizeof *sel);
    char *copy = strdup(arg);
    if (!copy)
        return diag_runtime(d, "out of memory");
    int rc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            rc = diag_input(d, NULL, 0, 0, "--select: '%s' is not INIT=OPTION", tok);
            break;
        }
        *eq = '\0';
        int i = pf_find(p, tok);
        if (i < 0) {
            const char *names[PF_MAX_INITIATIVES + 1];
            for (size_t k = 0; k < p->n; k++)
                names[k] = p->in[k].name;
            names[p->n] = NULL;
            char hint[128] = "";
            diag_hint(hint, sizeof hint, tok, names);
            rc = diag_input(d, NULL, 0, 0, "--select: unknown initiative '%s'%s", tok, hint);
            break;
        }
        const char *on = eq + 1;
        if (!strcmp(on, "none")) {
            sel[i] = 0;
            continue;
        }
        int found = 0;
        for (size_t o = 0; o < p->in[i].nopt; o++)
            if (!strcmp(opt_name(p, (size_t)i, (int)o + 1), on)) {
                sel[i] = (int)o + 1;
                found = 1;
            }
        if (!found) {
            const char *names[65];
            size_t k = 0;
            for (size_t o = 0; o < p->in[i].nopt && k < 63; o++)
                names[k++] = opt_name(p, (size_t)i, (int)o + 1);
            names[k++] = "none";
            names[k] = NULL;
            char hint[128] = "";
            diag_hint(hint, sizeof hint, on, names);
            rc = diag_input(d, NULL, 0, 0, "--select: initiative '%s' has no option '%s'%s", tok, on,
                            hint);
        }
    }
    free(copy);
    return rc ? -1 : 0;
}

static void label_of(const pf_portfolio *p, const int *sel, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->n && o < n; i++)
        if (sel[i])
            o += (size_t)snprintf(buf + o, n - o, "%s%s=%s", o ? ", " : "", p->in[i].name,
                                  opt_name(p, i, sel[i]));
    if (!buf[0])
        snprintf(buf, n, "nothing funded");
}

/* Everything printed and written, computed once. */
static int compute(pf_out *R, const int *given, int threads, uint64_t check_trials, diag *d)
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
        stats_sort(tmp, T);
        R->p90_cost[i] = stats_quantile_sorted(tmp, T, 0.9);
        R->sum_p90 += R->p90_cost[i];
    }
    pf_total(pb, sel, total);
    stats_sort(total, T);
    static const double lv[3] = {0.8, 0.9, 0.95};
    for (int k = 0; k < 3; k++)
        R->env[k] = env_quantile_ci(total, T, lv[k]);
    R->p90 = stats_quantile_sorted(total, T, 0.9);
    /* burn fan: month m of an initiative past its horizon holds its final spend */
    const pf_sim *s = R->s;
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
    int nc = pf_cuts(pb, sel, R->cuts, MAX_CUTS, d);
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
    R->oos_seed = rng_stream_key(p->seed, RNG_DOMAIN_COPULA, "portfolio/out-of-sample", 0) >> 1;
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
    label_of(p, sel, R->label, sizeof R->label);
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

/* The answer: what is funded, on which metric, the runner-up (the first
 * cut) and what would change it. */
static void answer(pf_out *R)
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
        const char *to = opt_name(p, (size_t)i, c->sel[i]);
        snprintf(R->sentence + n, sizeof R->sentence - (size_t)n,
                 "; runner-up, below a budget of %s: %s %s%s%s (E %s).",
                 money(b3, sizeof b3, R->cuts[0].need), to ? "move" : "drop", p->in[i].name,
                 to ? " to " : "", to ? to : "", money(b4, sizeof b4, c->objective));
    } else if (n > 0 && (size_t)n < sizeof R->sentence) {
        snprintf(R->sentence + n, sizeof R->sentence - (size_t)n, ".");
    }
    if (R->free_differs) {
        char lab[1024];
        label_of(p, R->free_sel, lab, sizeof lab);
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

static void print_table(FILE *fp, const pf_out *R)
{
    const pf_portfolio *p = R->p;
    const pf_problem *pb = R->pb;
    char b1[64], b2[64], b3[64], b4[64];
    fprintf(fp, "portfolio %s: %zu initiatives, budget %s at %.0f%% confidence, %llu trials (seed %llu)\n\n",
            p->name, p->n, money(b1, sizeof b1, p->budget), 100 * p->confidence,
            (unsigned long long)pb->trials, (unsigned long long)p->seed);
    if (R->chosen && !R->ch.feasible) {
        fprintf(fp, "%s\n%s\n", R->sentence, R->reason);
        return;
    }
    fprintf(fp, "%-20s %-20s %14s %14s %10s %16s\n", "initiative", "option", "E[cost]", "P90 cost",
            "P(deliver)", "E[value-blended]");
    for (size_t i = 0; i < p->n; i++) {
        int o = R->ch.sel[i];
        if (!o) {
            fprintf(fp, "%-20s %-20s %14s %14s %10s %16s\n", p->in[i].name, "(not funded)", "-", "-",
                    "-", "0");
            continue;
        }
        fprintf(fp, "%-20s %-20s %14s %14s %9.1f%% %16s\n", p->in[i].name, opt_name(p, i, o),
                money(b1, sizeof b1, R->mean_cost[i]), money(b2, sizeof b2, R->p90_cost[i]),
                100 * R->s->p_delivered[i][o - 1], money(b3, sizeof b3, R->gain_of[i]));
    }
    fprintf(fp, "\nselection: E[value delivered - blended cost] %s\n", money(b1, sizeof b1, R->ch.objective));
    fprintf(fp, "P(total cost > budget): %.2f%% on these trials (limit %.0f%%); %.2f%% out of sample "
                "(95%% Wilson %.2f%%-%.2f%%, %llu trials, another seed)\n",
            100 * R->ch.p_over, 100 * pb->alpha, 100 * R->oos_p, 100 * R->oos_lo, 100 * R->oos_hi,
            (unsigned long long)R->oos_trials);
    if (!R->chosen)
        fprintf(fp, "search: none (--select)%s\n", R->ch.feasible ? "" : "; the selection breaks the budget constraint");
    if (R->note[0])
        fprintf(fp, "note: the given selection breaks the portfolio's rules: %s\n", R->note);
    else if (R->ch.exact)
        fprintf(fp, "search: exact (branch and bound over %llu candidates, %llu nodes)\n",
                (unsigned long long)R->candidates, (unsigned long long)R->ch.nodes);
    else
        fprintf(fp, "search: stopped after %llu nodes of %llu candidates; bound %s, gap %s\n",
                (unsigned long long)R->ch.nodes, (unsigned long long)R->candidates,
                money(b1, sizeof b1, R->ch.bound), money(b2, sizeof b2, R->ch.bound - R->ch.objective));
    fprintf(fp, "\nenvelope of total cost (90%% intervals):\n");
    static const char *const names[3] = {"P80", "P90", "P95"};
    for (int k = 0; k < 3; k++)
        fprintf(fp, "  %s %14s  [%s, %s]\n", names[k], money(b1, sizeof b1, R->env[k].value),
                money(b2, sizeof b2, R->env[k].lo), money(b3, sizeof b3, R->env[k].hi));
    fprintf(fp, "diversification: sum of stand-alone P90s %s - portfolio P90 %s = %s\n",
            money(b1, sizeof b1, R->sum_p90), money(b2, sizeof b2, R->p90),
            money(b3, sizeof b3, R->sum_p90 - R->p90));
    fprintf(fp, "\norder of cuts as the budget shrinks (each step keeps what is funded below it):\n");
    fprintf(fp, "  %14s  %-44s %16s\n", "budget needed", "selection change", "E[value-blended]");
    for (int k = 0; k < R->ncuts; k++) {
        const pf_cut *c = &R->cuts[k];
        char what[256];
        if (k == 0) {
            snprintf(what, sizeof what, "%s", R->chosen ? "(the selection)" : "(the given selection)");
        } else {
            int i = c->moved;
            const char *to = opt_name(p, (size_t)i, c->sel[i]);
            if (to)
                snprintf(what, sizeof what, "move %s to %s", p->in[i].name, to);
            else
                snprintf(what, sizeof what, "drop %s", p->in[i].name);
        }
        fprintf(fp, "  %14s  %-44s %16s\n", money(b1, sizeof b1, c->need), what,
                money(b4, sizeof b4, c->objective));
    }
    for (size_t k = 0; k < p->npools; k++) {
        const pf_pool *pool = &p->pools[k];
        fprintf(fp, "\nwhere the next unit of '%s' goes (one more %g; change in E[value - blended], "
                    "same trials):\n", pool->name, pool->unit);
        fprintf(fp, "  %-20s %-36s %14s %10s %12s\n", "initiative", "parameter", "E[change]", "+-2se",
                "P(largest)");
        for (size_t q = 0; q < pool->ndraws; q++) {
            const pf_draw *dr = &pool->draws[q];
            char what[300];
            snprintf(what, sizeof what, "%s = %g", dr->path, dr->base);
            if (isnan(R->pool[k].mean[q])) {
                fprintf(fp, "  %-20s %-36s %14s\n", p->in[dr->init].name, what,
                        R->ch.sel[dr->init] ? "(funded with another option)" : "(not funded)");
                continue;
            }
            fprintf(fp, "  %-20s %-36s %14s %10s %11.1f%%\n", p->in[dr->init].name, what,
                    money(b1, sizeof b1, R->pool[k].mean[q]), money(b2, sizeof b2, 2 * R->pool[k].se[q]),
                    100 * R->pool[k].p_first[q]);
        }
        if (R->pool[k].top >= 0 && R->pool[k].mean[R->pool[k].top] <= 0)
            fprintf(fp, "  no initiative gains from one more unit: the least loss is %s's; P(the ranking "
                        "flips in a trial: another initiative does better) %.1f%%\n",
                    p->in[pool->draws[R->pool[k].top].init].name, 100 * R->pool[k].p_flip);
        else if (R->pool[k].top >= 0)
            fprintf(fp, "  the next unit goes to %s; P(the ranking flips in a trial: another initiative "
                        "gains more) %.1f%%\n",
                    p->in[pool->draws[R->pool[k].top].init].name, 100 * R->pool[k].p_flip);
        else
            fprintf(fp, "  no funded initiative draws on this pool\n");
    }
    fprintf(fp, "\nburn fan, cumulative spend of the selection at month ends:\n");
    fprintf(fp, "  %5s %14s %14s %14s %14s\n", "month", "mean", "P10", "P50", "P90");
    for (int m = 0; m < R->s->months; m++) {
        const double *f = R->fan + 4 * m;
        fprintf(fp, "  %5d %14s %14s %14s %14s\n", m + 1, money(b1, sizeof b1, f[0]),
                money(b2, sizeof b2, f[1]), money(b3, sizeof b3, f[2]), money(b4, sizeof b4, f[3]));
    }
    fprintf(fp, "\n%s\n%s\n", R->sentence, R->reason);
}

static void json_quantile(json_writer *w, const char *k, const env_quantile *q)
{
    json_key(w, k);
    json_obj_begin(w);
    json_key(w, "value");
    json_num(w, q->value);
    json_key(w, "lo");
    json_num(w, q->lo);
    json_key(w, "hi");
    json_num(w, q->hi);
    json_obj_end(w);
}

static int write_json(FILE *fp, const pf_out *R)
{
    const pf_portfolio *p = R->p;
    const pf_problem *pb = R->pb;
    json_writer w;
    json_init(&w, fp);
    json_obj_begin(&w);
    json_key(&w, "capmix");
    json_str(&w, CAPMIX_VERSION);
    json_key(&w, "command");
    json_str(&w, "portfolio");
    json_key(&w, "portfolio");
    json_obj_begin(&w);
    json_key(&w, "name");
    json_str(&w, p->name);
    json_key(&w, "file");
    json_str(&w, p->file);
    json_key(&w, "seed");
    json_u64(&w, p->seed);
    json_key(&w, "trials");
    json_u64(&w, pb->trials);
    json_key(&w, "budget");
    json_num(&w, p->budget);
    json_key(&w, "confidence");
    json_num(&w, p->confidence);
    json_key(&w, "selected");
    json_obj_begin(&w);
    for (size_t i = 0; i < p->n; i++) {
        json_key(&w, p->in[i].name);
        json_str(&w, opt_name(p, i, R->ch.sel[i]));
    }
    json_obj_end(&w);
    json_key(&w, "feasible");
    json_bool(&w, R->ch.feasible);
    json_key(&w, "rules_broken");
    json_str(&w, R->note[0] ? R->note : NULL);
    json_key(&w, "objective");
    json_num(&w, R->ch.objective);
    json_key(&w, "p_over_budget");
    json_num(&w, R->ch.p_over);
    json_key(&w, "out_of_sample");
    json_obj_begin(&w);
    json_key(&w, "seed");
    json_u64(&w, R->oos_seed);
    json_key(&w, "trials");
    json_u64(&w, R->oos_trials);
    json_key(&w, "p_over_budget");
    json_num(&w, R->oos_p);
    json_key(&w, "wilson95");
    json_arr_begin(&w);
    json_num(&w, R->oos_lo);
    json_num(&w, R->oos_hi);
    json_arr_end(&w);
    json_obj_end(&w);
    json_key(&w, "search");
    json_obj_begin(&w);
    json_key(&w, "method");
    json_str(&w, !R->chosen ? "given (--select)" : R->ch.exact ? "exact" : "branch and bound, stopped");
    json_key(&w, "candidates");
    json_u64(&w, R->candidates);
    json_key(&w, "nodes");
    json_u64(&w, R->ch.nodes);
    json_key(&w, "bound");
    json_num(&w, R->ch.bound);
    json_key(&w, "gap");
    json_num(&w, R->ch.bound - R->ch.objective);
    json_obj_end(&w);
    json_key(&w, "envelope");
    json_obj_begin(&w);
    json_quantile(&w, "p80", &R->env[0]);
    json_quantile(&w, "p90", &R->env[1]);
    json_quantile(&w, "p95", &R->env[2]);
    json_obj_end(&w);
    json_key(&w, "diversification");
    json_obj_begin(&w);
    json_key(&w, "sum_standalone_p90");
    json_num(&w, R->sum_p90);
    json_key(&w, "portfolio_p90");
    json_num(&w, R->p90);
    json_key(&w, "benefit");
    json_num(&w, R->sum_p90 - R->p90);
    json_obj_end(&w);
    json_key(&w, "initiatives");
    json_arr_begin(&w);
    double **mean = NULL;
    for (size_t i = 0; i < p->n; i++) {
        json_obj_begin(&w);
        json_key(&w, "name");
        json_str(&w, p->in[i].name);
        json_key(&w, "scenario");
        json_str(&w, p->in[i].scenario);
        json_key(&w, "must_fund");
        json_bool(&w, p->in[i].must_fund);
        json_key(&w, "option");
        json_str(&w, opt_name(p, i, R->ch.sel[i]));
        json_key(&w, "options");
        json_arr_begin(&w);
        for (size_t o = 0; o < pb->nopt[i]; o++) {
            const double *c = pb->cost[i][o], *g = pb->gain[i][o];
            double sc = 0, sg = 0;
            for (size_t t = 0; t < pb->trials; t++) {
                sc += c[t];
                sg += g[t];
            }
            json_obj_begin(&w);
            json_key(&w, "name");
            json_str(&w, opt_name(p, i, (int)o + 1));
            json_key(&w, "mean_cost_total");
            json_num(&w, sc / (double)pb->trials);
            json_key(&w, "mean_gain");
            json_num(&w, sg / (double)pb->trials);
            json_key(&w, "p_delivered");
            json_num(&w, R->s->p_delivered[i][o]);
            json_obj_end(&w);
        }
        json_arr_end(&w);
        json_obj_end(&w);
    }
    (void)mean;
    json_arr_end(&w);
    json_key(&w, "cuts");
    json_arr_begin(&w);
    for (int k = 0; k < R->ncuts; k++) {
        const pf_cut *c = &R->cuts[k];
        json_obj_begin(&w);
        json_key(&w, "budget_needed");
        json_num(&w, c->need);
        json_key(&w, "objective");
        json_num(&w, c->objective);
        json_key(&w, "initiative");
        json_str(&w, k ? p->in[c->moved].name : NULL);
        json_key(&w, "option");
        json_str(&w, k ? opt_name(p, (size_t)c->moved, c->sel[c->moved]) : NULL);
        json_obj_end(&w);
    }
    json_arr_end(&w);
    json_key(&w, "pools");
    json_arr_begin(&w);
    for (size_t k = 0; k < p->npools; k++) {
        const pf_pool *pool = &p->pools[k];
        json_obj_begin(&w);
        json_key(&w, "name");
        json_str(&w, pool->name);
        json_key(&w, "unit");
        json_num(&w, pool->unit);
        json_key(&w, "next_unit_to");
        json_str(&w, R->pool[k].top >= 0 ? p->in[pool->draws[R->pool[k].top].init].name : NULL);
        json_key(&w, "p_ranking_flips");
        json_num(&w, R->pool[k].p_flip);
        json_key(&w, "draws");
        json_arr_begin(&w);
        for (size_t q = 0; q < pool->ndraws; q++) {
            const pf_draw *dr = &pool->draws[q];
            json_obj_begin(&w);
            json_key(&w, "initiative");
            json_str(&w, p->in[dr->init].name);
            json_key(&w, "parameter");
            json_str(&w, dr->path);
            json_key(&w, "value");
            json_num(&w, dr->base);
            json_key(&w, "marginal_gain");
            json_num(&w, R->pool[k].mean[q]);
            json_key(&w, "se");
            json_num(&w, R->pool[k].se[q]);
            json_key(&w, "p_largest");
            json_num(&w, R->pool[k].p_first[q]);
            json_obj_end(&w);
        }
        json_arr_end(&w);
        json_obj_end(&w);
    }
    json_arr_end(&w);
    json_key(&w, "burn_fan");
    json_arr_begin(&w);
    for (int m = 0; m < R->s->months; m++) {
        const double *f = R->fan + 4 * m;
        json_obj_begin(&w);
        json_key(&w, "month");
        json_int(&w, m + 1);
        json_key(&w, "mean");
        json_num(&w, f[0]);
        json_key(&w, "p10");
        json_num(&w, f[1]);
        json_key(&w, "p50");
        json_num(&w, f[2]);
        json_key(&w, "p90");
        json_num(&w, f[3]);
        json_obj_end(&w);
    }
    json_arr_end(&w);
    json_obj_end(&w);
    json_key(&w, "answer");
    json_obj_begin(&w);
    json_key(&w, "alternative");
    json_str(&w, R->label);
    json_key(&w, "metric");
    json_str(&w, "E[value delivered - blended cost] subject to P(total cost > budget) <= 1 - confidence");
    json_key(&w, "sentence");
    json_str(&w, R->sentence);
    json_key(&w, "reason");
    json_str(&w, R->reason);
    json_obj_end(&w);
    json_obj_end(&w);
    return json_finish(&w);
}

static void esc(FILE *fp, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&#39;", fp); break;
        default: fputc(*s, fp);
        }
    }
}

static int write_html(FILE *fp, const pf_out *R, const char *svg)
{
    const pf_portfolio *p = R->p;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>capmix portfolio ", fp);
    esc(fp, p->name);
    fputs("</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
          "pre{background:#f6f6f6;padding:1em;overflow-x:auto}p.answer{font-size:1.15em}"
          "svg{max-width:100%;height:auto}</style>\n</head><body>\n<h1>Portfolio ", fp);
    esc(fp, p->name);
    fputs("</h1>\n<p class=\"answer\">", fp);
    esc(fp, R->sentence);
    fputs("</p>\n<p>", fp);
    esc(fp, R->reason);
    fputs(".</p>\n<h2>Selection, envelope and order of cuts</h2>\n<pre>", fp);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return -1;
    print_table(mem, R);
    if (fclose(mem)) {
        free(buf);
        return -1;
    }
    esc(fp, buf);
    free(buf);
    fputs("</pre>\n", fp);
    if (svg) {
        fputs("<h2>Burn fan</h2>\n<figure>", fp);
        fputs(svg, fp);
        fputs("<figcaption>Cumulative spend of the selection at month ends: P10-P90 band, median, "
              "and the budget.</figcaption></figure>\n",
              fp);
    }
    fputs("<h2>Method</h2>\n<p>Every option of every initiative is simulated once on the same trials; "
          "a selection's total cost in a trial is the sum of its options' costs in that trial. The "
          "selection maximises the expected value delivered (value counted in the trials where the "
          "option delivers by its scenario's horizon) minus blended cost, subject to P(total cost &gt; "
          "budget) at most 1 - confidence on those trials (sample-average approximation); that "
          "probability is then re-estimated on an independent seed. See docs/model.md, "
          "section Portfolio.</p>\n</body></html>\n",
          fp);
    return ferror(fp) ? -1 : 0;
}

static int write_fan(FILE *dat, FILE *gp, const pf_out *R)
{
    fprintf(dat, "\"month\" \"mean\" \"p10\" \"p50\" \"p90\"\n0 0 0 0 0\n");
    for (int m = 0; m < R->s->months; m++) {
        const double *f = R->fan + 4 * m;
        fprintf(dat, "%d %.17g %.17g %.17g %.17g\n", m + 1, f[0], f[1], f[2], f[3]);
    }
    const char *t = plot_template("portfolio_fan");
    if (!t)
        return -1;
    char q[600];
    fprintf(gp, "# capmix portfolio: redraw with `gnuplot portfolio_fan.gp` in this folder\n");
    fprintf(gp, "datafile = 'portfolio_fan.dat'\n");
    fprintf(gp, "portfolio = %s\n", plot_quote(q, sizeof q, R->p->name));
    fprintf(gp, "currency = %s\n", plot_quote(q, sizeof q, R->currency));
    fprintf(gp, "budget = %.17g\nconf = %.17g\n%s", R->p->budget, R->p->confidence, t);
    return ferror(dat) || ferror(gp) ? -1 : 0;
}

enum { F_SUMMARY, F_LOG, F_FAN_DAT, F_FAN_GP, F_COUNT };

static int join(char *buf, size_t n, const char *dir, const char *name, diag *d)
{
    if ((size_t)snprintf(buf, n, "%s/%s", dir, name) >= n)
        return diag_input(d, NULL, 0, 0, "output path '%s/%s' is too long", dir, name);
    return 0;
}

static int write_outputs(const char *dir, const pf_out *R, int plots, diag *d)
{
    static const char *const names[F_COUNT] = {"summary.json", "portfolio.log", "portfolio_fan.dat",
                                               "portfolio_fan.gp"};
    atomic_file f[F_COUNT], h = {0};
    memset(f, 0, sizeof f);
    char path[1024], made[1024] = "";
    char *svg = NULL;
    size_t svg_len = 0;
    if (atomic_mkdirs_made(dir, made, sizeof made, d))
        goto fail;
    for (int k = 0; k < F_COUNT; k++) {
        struct stat st;
        if (join(path, sizeof path, dir, names[k], d))
            goto fail;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            diag_runtime(d, "cannot write '%s': a folder of that name is in the way", path);
            goto fail;
        }
        if (atomic_open(&f[k], path, d))
            goto fail;
    }
    if (write_json(f[F_SUMMARY].fp, R)) {
        diag_runtime(d, "cannot write '%s/summary.json'", dir);
        goto fail;
    }
    print_table(f[F_LOG].fp, R);
    if (write_fan(f[F_FAN_DAT].fp, f[F_FAN_GP].fp, R)) {
        diag_runtime(d, "cannot write the burn fan's files in '%s'", dir);
        goto fail;
    }
    if (atomic_commit_all(f, F_COUNT, d))
        goto fail;
    if (plots) {
        plot_draw_one(dir, dir, "portfolio_fan", stderr);
        if (plot_svg(dir, "portfolio_fan", &svg, &svg_len))
            svg = NULL;
    }
    /* the report last, embedding the chart drawn from the data just landed */
    if (join(path, sizeof path, dir, "report.html", d) || atomic_open(&h, path, d) ||
        write_html(h.fp, R, svg) || atomic_commit(&h, d)) {
        if (d->kind == DIAG_NONE)
            diag_runtime(d, "cannot write '%s/report.html'", dir);
        atomic_abort(&h);
        atomic_undo(f, F_COUNT);
        goto fail;
    }
    atomic_keep(f, F_COUNT);
    free(svg);
    return 0;
fail:
    free(svg);
    for (int k = 0; k < F_COUNT; k++)
        atomic_abort(&f[k]);
    atomic_rmdirs(dir, made);
    return -1;
}

/* The -o folder replaced as a whole (atomic.h): built in a sibling, swapped
 * in when complete; a signal leaves the previous folder. */
static int write_folder(const char *out, const pf_out *R, int plots, diag *d)
{
    atomic_dir od;
    cancel_signal = 0;
    cancel_install();
    int rc = atomic_dir_begin(&od, out, d);
    if (!rc) {
        rc = write_outputs(od.tmp, R, plots, d);
        if (!rc)
            rc = atomic_dir_commit(&od, d);
    }
    atomic_dir_abort(&od);
    cancel_restore();
    return rc;
}

int cmd_portfolio(int argc, char **argv, diag *d)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},     {"select", required_argument, NULL, 'S'},
        {"trials", required_argument, NULL, 't'},  {"seed", required_argument, NULL, 's'},
        {"check-trials", required_argument, NULL, 'c'},
        {"threads", required_argument, NULL, 'j'}, {"no-plots", no_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},         {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *select = NULL;
    unsigned long long trials = 0, seed = 0, threads = 0, check = 100000;
    int have_seed = 0, quiet = 0, plots = 1, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            if (!*out) {
                diag_input(d, NULL, 0, 0, "portfolio: -o needs a folder name, not an empty string");
                return CM_EXIT_INPUT;
            }
            break;
        case 'S':
            select = optarg;
            break;
        case 't':
            if (cli_parse_u64("--trials", optarg, SCN_MIN_TRIALS, SCN_MAX_TRIALS, &trials, d))
                return CM_EXIT_INPUT;
            break;
        case 's':
            if (cli_parse_u64("--seed", optarg, 0, INT64_MAX, &seed, d))
                return CM_EXIT_INPUT;
            have_seed = 1;
            break;
        case 'c':
            if (cli_parse_u64("--check-trials", optarg, SCN_MIN_TRIALS, SCN_MAX_TRIALS, &check, d))
                return CM_EXIT_INPUT;
            break;
        case 'j':
            if (cli_parse_u64("--threads", optarg, 1, 1024, &threads, d))
                return CM_EXIT_INPUT;
            break;
        case 'P':
            plots = 0;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(usage, stdout);
            return CM_EXIT_OK;
        case ':':
            diag_input(d, NULL, 0, 0, "portfolio: option '%s' needs a value", argv[optind - 1]);
            return CM_EXIT_INPUT;
        default:
            diag_input(d, NULL, 0, 0, "portfolio: unknown option '%s'", argv[optind - 1]);
            return CM_EXIT_INPUT;
        }
    }
    if (optind != argc - 1) {
        diag_input(d, NULL, 0, 0, "portfolio: give one portfolio file (capmix portfolio --help)");
        return CM_EXIT_INPUT;
    }
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned long long)n : 1;
    }
    pf_portfolio *p;
    if (pf_load(argv[optind], &p, d))
        return d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
    if (trials)
        p->trials = trials;
    if (have_seed)
        p->seed = seed;
    int given[PF_MAX_INITIATIVES];
    if (select && parse_select(p, select, given, d)) {
        pf_free(p);
        return d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
    }
    pf_sim *s = NULL;
    pf_out *R = calloc(1, sizeof *R);
    int rc = CM_EXIT_RUNTIME;
    if (!R) {
        diag_runtime(d, "out of memory");
        goto out;
    }
    if (pf_simulate(p, p->seed, p->trials, (int)threads, &s, d))
        goto out;
    int must[PF_MAX_INITIATIVES];
    unsigned long long excl[PF_MAX_INITIATIVES];
    pf_problem pb;
    pf_problem_of(p, s, must, excl, &pb);
    R->p = p;
    R->s = s;
    R->pb = &pb;
    R->chosen = select == NULL;
    snprintf(R->currency, sizeof R->currency, "%s", p->in[0].scn->currency);
    if (compute(R, select ? given : NULL, (int)threads, check, d))
        goto out;
    answer(R);
    if (out && write_folder(out, R, plots, d)) {
        if (cancel_signal)
            rc = cancel_exit_code();
        goto out;
    }
    if (!quiet) {
        print_table(stdout, R);
        if (out)
            printf("\nwrote %s/summary.json, portfolio.log, report.html\n", out);
    }
    rc = CM_EXIT_OK;
out:
    if (R)
        free(R->fan);
    free(R);
    pf_sim_free(s);
    pf_free(p);
    return rc;
}
