/*
 * report — the summaries of a run (the writers are in sim/output:
 * summary.c for summary.json and trials.csv, runtable.c for the table).
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "report.h"
#include "spreadsheet.h"
#include "stream.h"

static void fan_free(report_fan *f)
{
    free(f->mean); /* one block: see fan_build */
    f->mean = f->p10 = f->p50 = f->p90 = NULL;
}

/* Fan of month-end values x[m·trials + trial]; scratch holds 2·trials.
 * The numbers are stats_fan_point's, found without copying or reordering
 * a month: the means side by side, the quantiles from a histogram. */
static int fan_build(report_fan *f, const double *x, size_t trials, int months, double *scratch)
{
    double *blk = malloc(4 * (size_t)months * sizeof(double));
    if (!blk)
        return -1;
    f->mean = blk;
    f->p10 = blk + months;
    f->p50 = blk + 2 * months;
    f->p90 = blk + 3 * months;
    stats_means(x, trials, trials, (size_t)months, f->mean);
    for (int m = 0; m < months; m++)
        stats_fan_quantiles(x + (size_t)m * trials, trials, scratch, &f->p10[m], &f->p50[m],
                            &f->p90[m]);
    return 0;
}

/* The charts' quantiles of n sorted values (stats_summarise leaves a
 * constant metric unsorted, which is sorted too). */
static void cdf_keep(report_cdf *c, const double *sorted, size_t n)
{
    for (int k = 0; k <= REPORT_CDF_STEPS; k++)
        c->q[k] = stats_quantile_sorted(sorted, n, k / (double)REPORT_CDF_STEPS);
    c->p995 = stats_quantile_sorted(sorted, n, 0.995);
}

static void cdf_none(report_cdf *c)
{
    for (int k = 0; k <= REPORT_CDF_STEPS; k++)
        c->q[k] = NAN;
    c->p995 = NAN;
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
        size_t n = (size_t)r->trials;
        stats_summarise_buf(x, n, scratch, scratch + n, &ra->m[what]);
        if (what == M_COST_TOTAL)
            cdf_keep(&ra->cdf_total, scratch, ra->m[what].n);
        else if (what == M_BLENDED_COST)
            cdf_keep(&ra->cdf_blended, scratch, ra->m[what].n);
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
    /* the sorted copy and the sort's second buffer, allocated once per
     * thread: an allocation per metric was a page fault per 4 KiB of it */
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
        cdf_none(&ra->cdf_total);
        cdf_none(&ra->cdf_blended);
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
