/*
 * portfolio_out — the table and the -o folder of `capmix portfolio`
 * (portfolio_out.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "cancel.h"
#include "envelope.h"
#include "json.h"
#include "pf_result.h"
#include "plot.h"
#include "portfolio.h"
#include "portfolio_out.h"
#include "report.h"

static char *money(char *buf, size_t n, double v)
{
    return report_fmt(buf, n, v, 0);
}

void pfo_print(FILE *fp, const pf_result *R)
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
        fprintf(fp, "%-20s %-20s %14s %14s %9.1f%% %16s\n", p->in[i].name, pf_option_name(p, i, o),
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
            const char *to = pf_option_name(p, (size_t)i, c->sel[i]);
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

/* Every option of every initiative, and the order of cuts. */
static void json_initiatives(json_writer *w, const pf_result *R)
{
    const pf_portfolio *p = R->p;
    const pf_problem *pb = R->pb;
    json_key(w, "initiatives");
    json_arr_begin(w);
    for (size_t i = 0; i < p->n; i++) {
        json_obj_begin(w);
        json_key(w, "name");
        json_str(w, p->in[i].name);
        json_key(w, "scenario");
        json_str(w, p->in[i].scenario);
        json_key(w, "must_fund");
        json_bool(w, p->in[i].must_fund);
        json_key(w, "option");
        json_str(w, pf_option_name(p, i, R->ch.sel[i]));
        json_key(w, "options");
        json_arr_begin(w);
        for (size_t o = 0; o < pb->nopt[i]; o++) {
            const double *c = pb->cost[i][o], *g = pb->gain[i][o];
            double sc = 0, sg = 0;
            for (size_t t = 0; t < pb->trials; t++) {
                sc += c[t];
                sg += g[t];
            }
            json_obj_begin(w);
            json_key(w, "name");
            json_str(w, pf_option_name(p, i, (int)o + 1));
            json_key(w, "mean_cost_total");
            json_num(w, sc / (double)pb->trials);
            json_key(w, "mean_gain");
            json_num(w, sg / (double)pb->trials);
            json_key(w, "p_delivered");
            json_num(w, R->s->p_delivered[i][o]);
            json_obj_end(w);
        }
        json_arr_end(w);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "cuts");
    json_arr_begin(w);
    for (int k = 0; k < R->ncuts; k++) {
        const pf_cut *c = &R->cuts[k];
        json_obj_begin(w);
        json_key(w, "budget_needed");
        json_num(w, c->need);
        json_key(w, "objective");
        json_num(w, c->objective);
        json_key(w, "initiative");
        json_str(w, k ? p->in[c->moved].name : NULL);
        json_key(w, "option");
        json_str(w, k ? pf_option_name(p, (size_t)c->moved, c->sel[c->moved]) : NULL);
        json_obj_end(w);
    }
    json_arr_end(w);
}

/* The shared pools and the burn fan. */
static void json_pools(json_writer *w, const pf_result *R)
{
    const pf_portfolio *p = R->p;
    json_key(w, "pools");
    json_arr_begin(w);
    for (size_t k = 0; k < p->npools; k++) {
        const pf_pool *pool = &p->pools[k];
        json_obj_begin(w);
        json_key(w, "name");
        json_str(w, pool->name);
        json_key(w, "unit");
        json_num(w, pool->unit);
        json_key(w, "next_unit_to");
        json_str(w, R->pool[k].top >= 0 ? p->in[pool->draws[R->pool[k].top].init].name : NULL);
        json_key(w, "p_ranking_flips");
        json_num(w, R->pool[k].p_flip);
        json_key(w, "draws");
        json_arr_begin(w);
        for (size_t q = 0; q < pool->ndraws; q++) {
            const pf_draw *dr = &pool->draws[q];
            json_obj_begin(w);
            json_key(w, "initiative");
            json_str(w, p->in[dr->init].name);
            json_key(w, "parameter");
            json_str(w, dr->path);
            json_key(w, "value");
            json_num(w, dr->base);
            json_key(w, "marginal_gain");
            json_num(w, R->pool[k].mean[q]);
            json_key(w, "se");
            json_num(w, R->pool[k].se[q]);
            json_key(w, "p_largest");
            json_num(w, R->pool[k].p_first[q]);
            json_obj_end(w);
        }
        json_arr_end(w);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "burn_fan");
    json_arr_begin(w);
    for (int m = 0; m < R->s->months; m++) {
        const double *f = R->fan + 4 * m;
        json_obj_begin(w);
        json_key(w, "month");
        json_int(w, m + 1);
        json_key(w, "mean");
        json_num(w, f[0]);
        json_key(w, "p10");
        json_num(w, f[1]);
        json_key(w, "p50");
        json_num(w, f[2]);
        json_key(w, "p90");
        json_num(w, f[3]);
        json_obj_end(w);
    }
    json_arr_end(w);
}

static int write_json(FILE *fp, const pf_result *R)
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
        json_str(&w, pf_option_name(p, i, R->ch.sel[i]));
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
    json_initiatives(&w, R);
    json_pools(&w, R);
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

static int write_html(FILE *fp, const pf_result *R, const char *svg)
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
    pfo_print(mem, R);
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

static int write_fan(FILE *dat, FILE *gp, const pf_result *R)
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

static int write_outputs(const char *dir, const pf_result *R, int plots, diag *d)
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
    pfo_print(f[F_LOG].fp, R);
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
int pfo_write_folder(const char *out, const pf_result *R, int plots, diag *d)
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
