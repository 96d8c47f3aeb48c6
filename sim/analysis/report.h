/*
 * report — the results of a run, summarised and written out.
 *
 * report_build turns the engine's per-trial arrays into the figures of
 * model §16 (summaries, paired differences against the baseline, the
 * spreadsheet view); the writers in sim/output then print them: the human
 * table (runtable.h), the summary.json document and the per-trial CSV for
 * auditors (summary.h), report.html/.md (html.h), the workbook and
 * comparison.csv (xlsx.h).  Writers only format: every number is computed
 * in report_build.
 */
#ifndef CAPMIX_REPORT_H
#define CAPMIX_REPORT_H

#include <stdio.h>
#include "diag.h"
#include "engine.h"
#include "scenario.h"
#include "stats.h"

#define REPORT_MAX_THRESHOLDS 8

/* Month-end fan of one quantity: mean and P10/P50/P90 at each month end. */
typedef struct report_fan {
    double *mean, *p10, *p50, *p90; /* months values each */
} report_fan;

/* What the charts need of a metric's distribution (plot.h), taken from
 * the summary's own sort so that no chart sorts again: the quantiles at
 * p = k/REPORT_CDF_STEPS, k = 0..REPORT_CDF_STEPS, and P99.5, as
 * stats_quantile_sorted gives them.  NaN when the run kept no per-trial
 * data (--stream). */
#define REPORT_CDF_STEPS 200
typedef struct report_cdf {
    double q[REPORT_CDF_STEPS + 1];
    double p995;
} report_cdf;

typedef struct report_alt {
    stats_summary m[M_COUNT];
    stats_paired vs[M_COUNT];      /* against the baseline (unused for it) */
    double sheet[M_COUNT];         /* spreadsheet view */
    /* Cost per accepted outcome as finance means it: E[cost_total] /
     * E[accepted], with its delta-method SE (stats_ratio).  The per-trial
     * ratio (metric cost_per_outcome) stays a distribution for quantiles. */
    stats_ratio cpo;
    /* Run-rate mode, against the baseline: Δ E[cost_total] / Δ E[accepted]
     * on paired trials; value NaN with the reason in incr_na when it is not
     * meaningful (backlog mode, the baseline itself, Δ accepted not
     * positive or within 3 SE of 0). */
    stats_ratio incr;
    const char *incr_na;
    double sheet_incr_cost_per_outcome;
    double p_delivered;            /* P(delivered by the horizon) */
    report_fan cost_fan, accepted_fan; /* with monthly snapshots, else NULLs */
    double p_above[REPORT_MAX_THRESHOLDS]; /* for meta.above */
    report_cdf cdf_total, cdf_blended; /* cost_total, blended_cost */
} report_alt;

/* Provenance and run facts, printed in every output. */
/* P(metric > value), asked for on the command line (model §16). */
typedef struct report_threshold {
    eng_metric metric;
    double value;
} report_threshold;

typedef struct report_meta {
    const char *version;
    report_threshold above[REPORT_MAX_THRESHOLDS];
    int nabove;
    int threads;
    double elapsed_s;
    double ns_per_pass;          /* wall time × threads / passes */
    char note[256];              /* a line for the table's foot, or "" */
    /* how the run was asked for, so it can be replayed: the command and its
     * arguments without output folder, threads and verbosity */
    const char *command;
    char *const *args;
    int nargs;
    /* --precision: the target, and what the last run achieved */
    double conv_target;        /* 0: a fixed trial count */
    eng_metric conv_metric;
    unsigned long long conv_max;
    int conv_met;
    double conv_rse, conv_p90;
    int stream;                /* --stream: quantiles estimated (stream.h) */
} report_meta;

typedef struct report {
    const scn_scenario *s;
    const eng_results *r;
    report_alt *alts;
    report_meta meta;
} report;

/* Compute every figure.  Returns 0, or -1 with a runtime diag (memory). */
int report_build(const scn_scenario *s, const eng_results *r, const report_meta *meta,
                 report **out, diag *d);
void report_free(report *rep);

/* The same from streamed accumulators (`run --stream`): r carries the
 * trial count and no per-trial array; quantiles and CVaR are estimates
 * (stream.h). */
struct stm_run;
int report_build_stream(const scn_scenario *s, const eng_results *r, const report_meta *meta,
                        struct stm_run *st, report **out, diag *d);

/* fmt_grouped (numfmt.h) under the name its callers know: a number with
 * thousands separators and `dec` decimals; "inf" for +Inf, "-" for NaN.
 * Returns buf. */
char *report_fmt(char *buf, size_t n, double v, int dec);

#endif
