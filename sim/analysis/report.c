/*
 * report — summaries of a run and their writers.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_version.h>
#include <yaml.h>

#include "answer.h"
#include "json.h"
#include "numfmt.h"
#include "report.h"
#include "xlsx.h"
#include "dates.h"
#include "spreadsheet.h"
#include "stream.h"
#include "textesc.h"

static void fan_free(report_fan *f)
{
    free(f->mean); /* one block: see fan_build */
    f->mean = f->p10 = f->p50 = f->p90 = NULL;
}

/* Fan of month-end values x[m·trials + trial]; scratch holds trials. */
static int fan_build(report_fan *f, const double *x, size_t trials, int months, double *scratch)
{
    double *blk = malloc(4 * (size_t)months * sizeof(double));
    if (!blk)
        return -1;
    f->mean = blk;
    f->p10 = blk + months;
    f->p50 = blk + 2 * months;
    f->p90 = blk + 3 * months;
    for (int m = 0; m < months; m++) {
        memcpy(scratch, x + (size_t)m * trials, trials * sizeof *scratch);
        stats_fan_point(scratch, trials, &f->mean[m], &f->p10[m], &f->p50[m], &f->p90[m]);
    }
    return 0;
}

/* The summary work of a run, cut into jobs so that two threads share it
 * even for a single alternative: per alternative, one job per metric
 * (summary and paired difference), one for the spreadsheet view and the
 * thresholds, one per month-end fan. */
enum { JOB_SHEET = M_COUNT, JOB_COST_FAN, JOB_ACCEPTED_FAN, JOBS_PER_ALT };

static int build_job_run(report *rep, size_t job, double *scratch)
{
    const scn_scenario *s = rep->s;
    const eng_results *r = rep->r;
    size_t a = job / JOBS_PER_ALT;
    int what = (int)(job % JOBS_PER_ALT);
    report_alt *ra = &rep->alts[a];
    size_t off = a * (size_t)r->trials * (size_t)r->months;
    switch (what) {
    case JOB_SHEET:
        if (sheet_alternative(s, a, ra->sheet))
            return -1;
        for (int k = 0; k < rep->meta.nabove; k++)
            ra->p_above[k] = stats_prob_above(eng_metric_data(r, a, rep->meta.above[k].metric),
                                              (size_t)r->trials, rep->meta.above[k].value);
        return 0;
    case JOB_COST_FAN:
        return r->months ? fan_build(&ra->cost_fan, r->month_cost + off, (size_t)r->trials,
                                     r->months, scratch)
                         : 0;
    case JOB_ACCEPTED_FAN:
        return r->months ? fan_build(&ra->accepted_fan, r->month_accepted + off,
                                     (size_t)r->trials, r->months, scratch)
                         : 0;
    default: {
        const double *x = eng_metric_data(r, a, (eng_metric)what);
        stats_summarise(x, (size_t)r->trials, scratch, &ra->m[what]);
        if (a != s->baseline) /* the baseline is not compared with itself */
            stats_paired_diff(x, eng_metric_data(r, s->baseline, (eng_metric)what),
                              (size_t)r->trials, &ra->vs[what]);
        return 0;
    }
    }
}

/* After the simulation itself, sorting every metric is the largest cost
 * of a run: the jobs above go to every thread. */
typedef struct build_job {
    report *rep;
    atomic_size_t next;
    atomic_int failed;
} build_job;

static void *build_worker(void *arg)
{
    build_job *J = arg;
    double *scratch = malloc(2 * (size_t)J->rep->r->trials * sizeof(double));
    if (!scratch) {
        atomic_store(&J->failed, 1);
        return NULL;
    }
    size_t njobs = J->rep->s->nalts * JOBS_PER_ALT;
    for (;;) {
        size_t job = atomic_fetch_add(&J->next, 1);
        if (job >= njobs || atomic_load(&J->failed))
            break;
        if (build_job_run(J->rep, job, scratch))
            atomic_store(&J->failed, 1);
    }
    free(scratch);
    return NULL;
}

/* Incremental cost per incremental outcome answers "what does the extra
 * output cost?": meaningful in run-rate mode (same period, different
 * output), not in backlog mode where every delivered trial has the same
 * scope.  Δ accepted that is not positive, or within 3 SE of 0, would make
 * the ratio meaningless or noise: then it is n/a with the reason. */
static void incremental(report *rep)
{
    const scn_scenario *s = rep->s;
    size_t b = s->baseline;
    int run_rate = s->work.outcomes == 0;
    const eng_results *r = rep->r;
    for (size_t a = 0; a < s->nalts; a++) {
        report_alt *ra = &rep->alts[a];
        const report_alt *rb = &rep->alts[b];
        const stats_paired *acc = &ra->vs[M_ACCEPTED];
        ra->p_delivered = ra->m[M_DELIVERED].mean;
        if (r->data)
            stats_ratio_of_means(eng_metric_data(r, a, M_COST_TOTAL), eng_metric_data(r, a, M_ACCEPTED),
                                 (size_t)r->trials, &ra->cpo);
        else { /* streamed: the means are exact, the covariance is not kept */
            ra->cpo = (stats_ratio){ra->m[M_COST_TOTAL].n, NAN, NAN, ra->m[M_COST_TOTAL].mean,
                                    ra->m[M_ACCEPTED].mean};
            if (ra->cpo.den > 0)
                ra->cpo.value = ra->cpo.num / ra->cpo.den;
        }
        ra->incr = (stats_ratio){0, NAN, NAN, NAN, NAN};
        ra->sheet_incr_cost_per_outcome = NAN;
        if (a == b) {
            ra->incr_na = "the baseline";
            continue;
        }
        if (!run_rate) {
            ra->incr_na = "backlog mode: every delivered trial has the same scope";
            continue;
        }
        ra->incr.num = ra->vs[M_COST_TOTAL].mean_diff;
        ra->incr.den = acc->mean_diff;
        if (!(acc->mean_diff > 0))
            ra->incr_na = "it accepts no more outcomes than the baseline";
        else if (acc->mean_diff <= 3 * acc->se)
            ra->incr_na = "its extra accepted outcomes are within 3 standard errors of zero";
        else {
            ra->incr_na = NULL;
            if (r->data)
                stats_ratio_of_diffs(eng_metric_data(r, a, M_COST_TOTAL), eng_metric_data(r, b, M_COST_TOTAL),
                                     eng_metric_data(r, a, M_ACCEPTED), eng_metric_data(r, b, M_ACCEPTED),
                                     (size_t)r->trials, &ra->incr);
            else
                ra->incr.value = ra->incr.num / ra->incr.den;
        }
        double sacc = ra->sheet[M_ACCEPTED] - rb->sheet[M_ACCEPTED];
        if (fabs(sacc) > 1e-9 * (fabs(rb->sheet[M_ACCEPTED]) + 1))
            ra->sheet_incr_cost_per_outcome =
                (ra->sheet[M_COST_TOTAL] - rb->sheet[M_COST_TOTAL]) / sacc;
    }
}

/* An empty report of s's alternatives, or NULL (out of memory). */
static report *report_new(const scn_scenario *s, const eng_results *r, const report_meta *meta)
{
    report *rep = calloc(1, sizeof *rep);
    if (rep)
        rep->alts = calloc(s->nalts, sizeof *rep->alts);
    if (!rep || !rep->alts) {
        free(rep);
        return NULL;
    }
    rep->s = s;
    rep->r = r;
    rep->meta = *meta;
    return rep;
}

int report_build_stream(const scn_scenario *s, const eng_results *r, const report_meta *meta,
                        stm_run *st, report **out, diag *d)
{
    *out = NULL;
    report *rep = report_new(s, r, meta);
    if (!rep)
        return diag_runtime(d, "out of memory while summarising");
    for (size_t a = 0; a < s->nalts; a++) {
        report_alt *ra = &rep->alts[a];
        for (int m = 0; m < M_COUNT; m++) {
            stm_summary(st, a, (eng_metric)m, &ra->m[m]);
            if (a != s->baseline)
                stm_paired(st, a, (eng_metric)m, &ra->vs[m]);
        }
        for (int k = 0; k < rep->meta.nabove; k++)
            ra->p_above[k] = stm_prob_above(st, a, k);
        if (sheet_alternative(s, a, ra->sheet)) {
            report_free(rep);
            return diag_runtime(d, "out of memory while summarising");
        }
    }
    incremental(rep);
    *out = rep;
    return 0;
}

int report_build(const scn_scenario *s, const eng_results *r, const report_meta *meta,
                 report **out, diag *d)
{
    *out = NULL;
    report *rep = report_new(s, r, meta);
    if (!rep)
        return diag_runtime(d, "out of memory while summarising");
    build_job J = {.rep = rep};
    atomic_init(&J.next, 0);
    atomic_init(&J.failed, 0);
    size_t nth = meta->threads > 1 ? (size_t)meta->threads : 1;
    if (nth > s->nalts * JOBS_PER_ALT)
        nth = s->nalts * JOBS_PER_ALT;
    pthread_t th[64];
    size_t started = 0;
    for (; started + 1 < nth && started < 64; started++)
        if (pthread_create(&th[started], NULL, build_worker, &J))
            break;
    build_worker(&J);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    if (atomic_load(&J.failed)) {
        report_free(rep);
        return diag_runtime(d, "out of memory while summarising");
    }
    incremental(rep);
    *out = rep;
    return 0;
}

void report_free(report *rep)
{
    if (!rep)
        return;
    for (size_t a = 0; rep->alts && a < rep->s->nalts; a++) {
        fan_free(&rep->alts[a].cost_fan);
        fan_free(&rep->alts[a].accepted_fan);
    }
    free(rep->alts);
    free(rep);
}

char *report_fmt(char *buf, size_t n, double v, int dec)
{
    return fmt_grouped(buf, n, v, dec);
}

/* The rows of the human table: the figures a decision turns on. */
typedef struct row {
    eng_metric m;
    const char *label;
    int dec;
} row;

static const row table_rows[] = {
    {M_COST_PER_OUTCOME, "  per-trial ratio", 0},
    {M_COST_TOTAL, "total cost", 0},
    {M_DELIVERY_DAY, "delivery day", 1},
    {M_DELAY_COST, "delay cost", 0},
    {M_BLENDED_COST, "blended cost", 0},
    {M_ACCEPTED, "accepted outcomes", 2},
};

static int alt_has_delay(const scn_scenario *s)
{
    return s->work.outcomes > 0;
}

/* The headline, under every table: the same sentence report.html leads with. */
static void answer_line(FILE *fp, const report *rep)
{
    ans_answer an;
    ans_run(rep, &an);
    fprintf(fp, "\nanswer: %s\n", an.sentence);
}

void report_table(FILE *fp, const report *rep)
{
    const scn_scenario *s = rep->s;
    char b[8][48];
    char shown[600]; /* the path as given: printable (textesc.h) */
    fprintf(fp, "capmix %s  %s  (%s, sha256 %s)\n", rep->meta.version, s->name,
            txt_term(shown, sizeof shown, s->file), s->sha256);
    if (s->work.outcomes > 0)
        fprintf(fp, "backlog mode: %lld accepted outcomes needed, horizon %s days; ",
                s->work.outcomes, report_fmt(b[0], sizeof b[0], s->work.horizon_days, 1));
    else
        fprintf(fp, "run-rate mode: %s days; ", report_fmt(b[0], sizeof b[0], s->work.horizon_days, 2));
    fprintf(fp, "seed %llu, %llu trials, %d thread%s, %.2f s; money in %s\n",
            (unsigned long long)s->seed, (unsigned long long)rep->r->trials, rep->meta.threads,
            rep->meta.threads == 1 ? "" : "s", rep->meta.elapsed_s, s->currency);
    for (int i = 0; i < s->nwarnings; i++)
        fprintf(fp, "warning: %s\n", s->warnings[i]);
    for (size_t a = 0; a < s->nalts; a++) {
        const report_alt *ra = &rep->alts[a];
        const scn_alternative *alt = &s->alts[a];
        fprintf(fp, "\n== %s%s  (", alt->name, a == s->baseline ? "  [baseline]" : "");
        if (alt->kind == ALT_BID) {
            char d1[64], d2[64];
            dist_describe(&alt->bid.price, d1, sizeof d1);
            dist_describe(&alt->bid.delivery_days, d2, sizeof d2);
            fprintf(fp, "fixed bid: price %s, delivery in %s days", d1, d2);
        }
        for (size_t i = 0; i < alt->nsources; i++)
            fprintf(fp, "%s%s %s", i ? ", " : "", alt->sources[i].name, alt->sources[i].kind);
        for (size_t i = 0; i < alt->noverheads; i++)
            fprintf(fp, ", overhead %s", alt->overheads[i].name);
        fprintf(fp, ")\n");
        fprintf(fp, "  %-26s %14s %10s %13s %13s %13s %13s %13s %13s\n", "", "mean", "± se", "P10",
                "P50", "P90", "P95", "CVaR95", "spreadsheet");
        /* cost per accepted outcome: the ratio of totals with its SE; the
         * per-trial ratio's quantiles on the next line */
        fprintf(fp, "  %-26s %14s %10s %13s %13s %13s %13s %13s %13s\n", "cost per accepted outcome",
                report_fmt(b[0], 48, ra->cpo.value, 0), report_fmt(b[1], 48, ra->cpo.se, 0), "", "", "", "",
                "", report_fmt(b[7], 48, ra->sheet[M_COST_PER_OUTCOME], 0));
        for (size_t k = 0; k < sizeof table_rows / sizeof table_rows[0]; k++) {
            const row *rw = &table_rows[k];
            if ((rw->m == M_DELAY_COST || rw->m == M_BLENDED_COST) && !alt_has_delay(s))
                continue;
            const stats_summary *st = &ra->m[rw->m];
            fprintf(fp, "  %-26s %14s %10s %13s %13s %13s %13s %13s %13s\n", rw->label,
                    report_fmt(b[0], 48, st->mean, rw->dec), report_fmt(b[1], 48, st->se, rw->dec),
                    report_fmt(b[2], 48, st->p10, rw->dec), report_fmt(b[3], 48, st->p50, rw->dec),
                    report_fmt(b[4], 48, st->p90, rw->dec), report_fmt(b[5], 48, st->p95, rw->dec),
                    report_fmt(b[6], 48, st->cvar95, rw->dec),
                    report_fmt(b[7], 48, ra->sheet[rw->m], rw->dec));
        }
        const stats_summary *cpo = &ra->m[M_COST_PER_OUTCOME];
        if (cpo->n_inf)
            fprintf(fp, "  (in %.2f%% of trials nothing was accepted: the per-trial ratio is infinite there; "
                        "its mean is over the rest)\n",
                    100.0 * (double)cpo->n_inf / (double)cpo->n);
        if (alt->kind == ALT_BID)
            fprintf(fp, "  a fixed bid always delivers the scope (never cut at the horizon); "
                        "'capmix bid' weighs it against the mixes\n");
        else if (s->work.outcomes > 0)
            fprintf(fp, "  delivered by the horizon in %.2f%% of trials%s; flow efficiency %s%%, cycle %s days\n",
                    100 * ra->m[M_DELIVERED].mean,
                    ra->m[M_DELIVERED].mean < 1
                        ? " (blended cost is a lower bound: an undelivered trial counts delay only to the horizon)"
                        : "",
                    report_fmt(b[0], 48, 100 * ra->m[M_FLOW_EFFICIENCY].mean, 1),
                    report_fmt(b[1], 48, ra->m[M_CYCLE_DAYS].mean, 1));
        else
            fprintf(fp, "  flow efficiency %s%%, cycle %s days\n",
                    report_fmt(b[0], 48, 100 * ra->m[M_FLOW_EFFICIENCY].mean, 1),
                    report_fmt(b[1], 48, ra->m[M_CYCLE_DAYS].mean, 1));
        dates_delivery_line(fp, rep, a);
    }
    for (int k = 0; k < rep->meta.nabove; k++) {
        const report_threshold *th = &rep->meta.above[k];
        fprintf(fp, "\nP(%s > %s):", eng_metric_name(th->metric), report_fmt(b[0], 48, th->value, 2));
        for (size_t a = 0; a < s->nalts; a++)
            fprintf(fp, "%s %s %.4f", a ? ";" : "", s->alts[a].name, rep->alts[a].p_above[k]);
        fputc('\n', fp);
    }
    if (rep->meta.note[0])
        fprintf(fp, "\nnote: %s\n", rep->meta.note);
    if (s->nalts < 2) {
        answer_line(fp, rep);
        return;
    }
    eng_metric cmp = alt_has_delay(s) ? M_BLENDED_COST : M_COST_TOTAL;
    fprintf(fp, "\n== against the baseline '%s' (paired: same trials, same work draws)\n",
            s->alts[s->baseline].name);
    fprintf(fp, "  %-22s %16s %10s %16s %10s %12s %12s %16s\n", "alternative", "Δ total cost", "± se",
            cmp == M_BLENDED_COST ? "Δ blended cost" : "Δ accepted", "± se",
            cmp == M_BLENDED_COST ? "Δ delivery" : "", "P(cheaper)",
            cmp == M_BLENDED_COST ? "" : "incr. cost/outc.");
    for (size_t a = 0; a < s->nalts; a++) {
        if (a == s->baseline)
            continue;
        const report_alt *ra = &rep->alts[a];
        eng_metric second = cmp == M_BLENDED_COST ? M_BLENDED_COST : M_ACCEPTED;
        fprintf(fp, "  %-22s %16s %10s %16s %10s %12s %12.3f %16s\n", s->alts[a].name,
                report_fmt(b[0], 48, ra->vs[M_COST_TOTAL].mean_diff, 0),
                report_fmt(b[1], 48, ra->vs[M_COST_TOTAL].se, 0),
                report_fmt(b[2], 48, ra->vs[second].mean_diff, second == M_ACCEPTED ? 2 : 0),
                report_fmt(b[3], 48, ra->vs[second].se, second == M_ACCEPTED ? 2 : 0),
                cmp == M_BLENDED_COST ? report_fmt(b[4], 48, ra->vs[M_DELIVERY_DAY].mean_diff, 1) : "",
                ra->vs[cmp].p_lower,
                cmp == M_BLENDED_COST ? "" : isnan(ra->incr.value) ? "n/a" : report_fmt(b[5], 48, ra->incr.value, 0));
    }
    fprintf(fp, "  (P(cheaper): share of trials where the alternative's %s is below the baseline's)\n",
            cmp == M_BLENDED_COST ? "blended cost" : "total cost");
    if (cmp == M_COST_TOTAL) {
        fprintf(fp, "  incremental cost per incremental accepted outcome, spreadsheet view:");
        for (size_t a = 0; a < s->nalts; a++)
            if (a != s->baseline)
                fprintf(fp, " %s %s;", s->alts[a].name,
                        report_fmt(b[0], 48, rep->alts[a].sheet_incr_cost_per_outcome, 0));
        fputc('\n', fp);
    }
    answer_line(fp, rep);
}

static void json_summary(json_writer *w, const stats_summary *st)
{
    json_obj_begin(w);
    json_key(w, "mean"), json_num(w, st->mean);
    json_key(w, "se"), json_num(w, st->se);
    json_key(w, "ci95"), json_arr_begin(w), json_num(w, st->ci_lo), json_num(w, st->ci_hi),
        json_arr_end(w);
    json_key(w, "sd"), json_num(w, st->sd);
    json_key(w, "min"), json_num(w, st->min);
    json_key(w, "p5"), json_num(w, st->p5);
    json_key(w, "p10"), json_num(w, st->p10);
    json_key(w, "p25"), json_num(w, st->p25);
    json_key(w, "p50"), json_num(w, st->p50);
    json_key(w, "p75"), json_num(w, st->p75);
    json_key(w, "p90"), json_num(w, st->p90);
    json_key(w, "p95"), json_num(w, st->p95);
    json_key(w, "max"), json_num(w, st->max);
    json_key(w, "cvar95"), json_num(w, st->cvar95);
    json_key(w, "n"), json_u64(w, st->n);
    json_key(w, "n_inf"), json_u64(w, st->n_inf);
    json_key(w, "share_inf"), json_num(w, st->n ? (double)st->n_inf / (double)st->n : 0);
    json_key(w, "n_null"), json_u64(w, st->n_null);
    json_obj_end(w);
}

static void json_series(json_writer *w, const char *key, const double *v, int n)
{
    json_key(w, key);
    json_arr_begin(w);
    for (int i = 0; i < n; i++)
        json_num(w, v[i]);
    json_arr_end(w);
}

static void json_fan(json_writer *w, const report_fan *f, int n)
{
    json_obj_begin(w);
    json_series(w, "mean", f->mean, n);
    json_series(w, "p10", f->p10, n);
    json_series(w, "p50", f->p50, n);
    json_series(w, "p90", f->p90, n);
    json_obj_end(w);
}

int report_json(FILE *fp, const report *rep, report_json_extra extra, const void *ctx)
{
    const scn_scenario *s = rep->s;
    json_writer w;
    json_init(&w, fp);
    json_obj_begin(&w);
    json_key(&w, "capmix"), json_str(&w, rep->meta.version);
    json_key(&w, "scenario"), json_str(&w, s->name);
    json_key(&w, "scenario_file"), json_str(&w, s->file);
    json_key(&w, "scenario_path");
    if (s->path)
        json_str(&w, s->path);
    else
        json_null(&w);
    json_key(&w, "input_sha256"), json_str(&w, s->sha256);
    json_key(&w, "seed"), json_u64(&w, s->seed);
    json_key(&w, "trials"), json_u64(&w, rep->r->trials);
    json_key(&w, "currency"), json_str(&w, s->currency);
    json_key(&w, "mode"), json_str(&w, s->work.outcomes > 0 ? "backlog" : "run-rate");
    json_key(&w, "outcomes_required");
    if (s->work.outcomes > 0)
        json_int(&w, s->work.outcomes);
    else
        json_null(&w);
    json_key(&w, "horizon_days"), json_num(&w, s->work.horizon_days);
    json_key(&w, "correlations"), json_arr_begin(&w);
    for (size_t i = 0; i < s->corr.npairs; i++) {
        const cop_pair *q = &s->corr.pairs[i];
        json_obj_begin(&w);
        json_key(&w, "between"), json_arr_begin(&w), json_str(&w, s->corr.path[q->i]),
            json_str(&w, s->corr.path[q->j]), json_arr_end(&w);
        json_key(&w, "rank"), json_num(&w, q->rank);
        json_key(&w, "copula_pearson"), json_num(&w, q->pearson);
        json_obj_end(&w);
    }
    json_arr_end(&w);
    json_key(&w, "alternatives");
    json_arr_begin(&w);
    for (size_t a = 0; a < s->nalts; a++) {
        const report_alt *ra = &rep->alts[a];
        json_obj_begin(&w);
        json_key(&w, "name"), json_str(&w, s->alts[a].name);
        json_key(&w, "kind"), json_str(&w, s->alts[a].kind == ALT_BID ? "fixed_bid" : "mix");
        json_key(&w, "baseline"), json_bool(&w, a == s->baseline);
        json_key(&w, "sources"), json_arr_begin(&w);
        for (size_t i = 0; i < s->alts[a].nsources; i++) {
            json_obj_begin(&w);
            json_key(&w, "name"), json_str(&w, s->alts[a].sources[i].name);
            json_key(&w, "kind"), json_str(&w, s->alts[a].sources[i].kind);
            json_obj_end(&w);
        }
        json_arr_end(&w);
        json_key(&w, "p_delivered"), json_num(&w, ra->p_delivered);
        json_key(&w, "cost_per_accepted_outcome"), json_obj_begin(&w);
        json_key(&w, "value"), json_num(&w, ra->cpo.value);
        json_key(&w, "se"), json_num(&w, ra->cpo.se);
        json_key(&w, "definition"), json_str(&w, "mean cost_total / mean accepted (ratio of totals); "
                                                  "metrics.cost_per_outcome is the per-trial ratio");
        json_obj_end(&w);
        json_key(&w, "metrics"), json_obj_begin(&w);
        for (int m = 0; m < M_COUNT; m++) {
            json_key(&w, eng_metric_name((eng_metric)m));
            json_summary(&w, &ra->m[m]);
        }
        json_obj_end(&w);
        json_key(&w, "vs_baseline");
        if (a == s->baseline) {
            json_null(&w);
        } else {
            json_obj_begin(&w);
            for (int m = 0; m < M_COUNT; m++) {
                json_key(&w, eng_metric_name((eng_metric)m));
                json_obj_begin(&w);
                json_key(&w, "mean_diff"), json_num(&w, ra->vs[m].mean_diff);
                json_key(&w, "se"), json_num(&w, ra->vs[m].se);
                json_key(&w, "p_lower"), json_num(&w, ra->vs[m].p_lower);
                json_obj_end(&w);
            }
            json_key(&w, "incremental_cost_per_outcome"), json_num(&w, ra->incr.value);
            json_key(&w, "incremental_cost_per_accepted_outcome"), json_obj_begin(&w);
            json_key(&w, "value"), json_num(&w, ra->incr.value);
            json_key(&w, "se"), json_num(&w, ra->incr.se);
            json_key(&w, "delta_cost_total"), json_num(&w, ra->incr.num);
            json_key(&w, "delta_accepted"), json_num(&w, ra->incr.den);
            json_key(&w, "not_applicable");
            if (ra->incr_na)
                json_str(&w, ra->incr_na);
            else
                json_null(&w);
            json_obj_end(&w);
            json_obj_end(&w);
        }
        json_key(&w, "spreadsheet"), json_obj_begin(&w);
        for (int m = 0; m < M_COUNT; m++) {
            json_key(&w, eng_metric_name((eng_metric)m));
            json_num(&w, ra->sheet[m]);
        }
        json_key(&w, "incremental_cost_per_outcome");
        json_num(&w, ra->sheet_incr_cost_per_outcome);
        json_obj_end(&w);
        json_key(&w, "p_above"), json_arr_begin(&w);
        for (int k = 0; k < rep->meta.nabove; k++) {
            json_obj_begin(&w);
            json_key(&w, "metric"), json_str(&w, eng_metric_name(rep->meta.above[k].metric));
            json_key(&w, "value"), json_num(&w, rep->meta.above[k].value);
            json_key(&w, "p"), json_num(&w, ra->p_above[k]);
            json_obj_end(&w);
        }
        json_arr_end(&w);
        json_key(&w, "monthly");
        if (rep->r->months) {
            json_obj_begin(&w);
            json_key(&w, "day"), json_arr_begin(&w);
            for (int m = 0; m < rep->r->months; m++)
                json_num(&w, (m + 1) * s->cal.days_per_month);
            json_arr_end(&w);
            json_key(&w, "cost"), json_fan(&w, &ra->cost_fan, rep->r->months);
            json_key(&w, "accepted"), json_fan(&w, &ra->accepted_fan, rep->r->months);
            json_obj_end(&w);
        } else {
            json_null(&w);
        }
        json_obj_end(&w);
    }
    json_arr_end(&w);
    ans_answer an;
    ans_run(rep, &an);
    json_key(&w, "answer"), ans_json(&w, &an, s);
    if (extra)
        extra(&w, ctx);
    json_key(&w, "manifest"), json_obj_begin(&w);
    json_key(&w, "capmix_version"), json_str(&w, rep->meta.version);
    json_key(&w, "gsl_version"), json_str(&w, GSL_VERSION);
    json_key(&w, "libyaml_version"), json_str(&w, yaml_get_version_string());
    json_key(&w, "rng"), json_str(&w, "xoshiro256** per (stream, block), seeded by splitmix64(hash)");
    json_key(&w, "block_size"), json_int(&w, ENG_BLOCK);
    json_key(&w, "command"), json_str(&w, rep->meta.command ? rep->meta.command : "run");
    json_key(&w, "arguments"), json_arr_begin(&w);
    for (int i = 0; i < rep->meta.nargs; i++)
        json_str(&w, rep->meta.args[i]);
    json_arr_end(&w);
    json_key(&w, "convergence");
    if (rep->meta.conv_target > 0) {
        json_obj_begin(&w);
        json_key(&w, "target"), json_num(&w, rep->meta.conv_target);
        json_key(&w, "metric"), json_str(&w, eng_metric_name(rep->meta.conv_metric));
        json_key(&w, "met"), json_bool(&w, rep->meta.conv_met);
        json_key(&w, "relative_se"), json_num(&w, rep->meta.conv_rse);
        json_key(&w, "p90_relative_half_width"), json_num(&w, rep->meta.conv_p90);
        json_key(&w, "max_trials"), json_u64(&w, rep->meta.conv_max);
        json_obj_end(&w);
    } else {
        json_null(&w);
    }
    json_key(&w, "streamed");
    if (rep->meta.stream) {
        json_obj_begin(&w);
        json_key(&w, "exact"), json_str(&w, "n, n_inf, n_null, min, max, mean, se, ci95, sd, "
                                             "vs_baseline, p_above; quantiles of count metrics below 4096");
        json_key(&w, "estimated"), json_str(&w, "p5, p10, p25, p50, p75, p90, p95, cvar95");
        json_key(&w, "relative_error"), json_num(&w, STM_REL_ERROR);
        json_obj_end(&w);
    } else {
        json_null(&w);
    }
    json_key(&w, "threads"), json_int(&w, rep->meta.threads);
    json_key(&w, "elapsed_seconds"), json_num(&w, rep->meta.elapsed_s);
    json_obj_end(&w);
    json_obj_end(&w);
    return json_finish(&w);
}

static void csv_num(FILE *fp, double v)
{
    if (isnan(v))
        return; /* null: an empty cell */
    if (isinf(v))
        fputs(v > 0 ? "inf" : "-inf", fp);
    else
        fprintf(fp, "%.17g", v);
}

int report_trials_csv(FILE *fp, const report *rep)
{
    const scn_scenario *s = rep->s;
    const eng_results *r = rep->r;
    fputs("trial,alternative", fp);
    for (int m = 0; m < M_COUNT; m++)
        fprintf(fp, ",%s", eng_metric_name((eng_metric)m));
    fputs(",cod_per_day,target_day\r\n", fp);
    for (uint64_t t = 0; t < r->trials; t++) {
        for (size_t a = 0; a < s->nalts; a++) {
            /* names are [A-Za-z0-9_-] starting with a letter or digit, but
             * every CSV text field goes through the one guard */
            fprintf(fp, "%llu,", (unsigned long long)t + 1);
            xlsx_csv_text(fp, s->alts[a].name);
            for (int m = 0; m < M_COUNT; m++) {
                fputc(',', fp);
                csv_num(fp, eng_metric_data(r, a, (eng_metric)m)[t]);
            }
            fputc(',', fp);
            csv_num(fp, r->cod_per_day[t]);
            fputc(',', fp);
            csv_num(fp, r->target_day[t]);
            fputs("\r\n", fp);
        }
        if (ferror(fp))
            return -1;
    }
    return ferror(fp) ? -1 : 0;
}
