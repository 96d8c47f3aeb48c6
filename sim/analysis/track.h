/*
 * track — re-forecasting a running alternative from its actuals
 * (capmix track; docs/model.md "Tracking actuals").
 *
 * The forecast is not a selection of simulated trials that happen to
 * resemble the actuals: it is the money already spent plus a simulation of
 * the remainder from the state at the last month, with each source's
 * uncertain rates updated by what the ledger observed:
 *   - observed throughput Gamma(items + 1/2, days) takes the passes seen
 *     (verdicts: accepted + rework + superseded) and their exposure (the
 *     source's effective working days up to the last month end, less the
 *     mean review wait, since a verdict lags its pass; rework passes count
 *     at the mean rework effort);
 *   - throughput given as a dist (not a constant) is first matched by its
 *     mean and sd to a Gamma, then updated the same way;
 *   - observed outcomes Dirichlet(count + 1) take the verdict counts;
 *     fixed outcome probabilities are certain and are not updated;
 *   - cost rates are not updated: the actual spend is added as it is,
 *     never re-simulated.
 * The remainder needs work.outcomes − accepted (− superseded when they are
 * not replaced) outcomes from day t0 = months × days_per_month, with the
 * contracts as they stand (eng_resume).  Correlations between inputs are
 * not applied to the remainder (every quantity is drawn independently).
 */
#ifndef CAPMIX_TRACK_H
#define CAPMIX_TRACK_H

#include <stdint.h>
#include <stdio.h>
#include "diag.h"
#include "costline.h"
#include "ledger.h"
#include "scenario.h"

/* What the ledger says at the end of month `month`. */
typedef struct trk_state {
    int month;
    double spent;                 /* cumulative, every source */
    const double *accepted;       /* cumulative per source [nsources] */
    const double *rework;
    const double *superseded;
    int mix_observed;             /* 0: rework and superseded were imputed, so the
                                   * verdicts inform the throughput only */
} trk_state;

/*
 * What `envelope --month M --actuals` knows (cumulative totals of the
 * alternative, not per source and not per month) as per-source counts
 * for a ledger (model §18.42): accepted is split in proportion to each
 * source's expected accepted outcomes by the month end at the prior means
 * (its effective working days to the last verdict × its pass rate × its
 * accepted share of verdicts); rework and superseded, when given (not
 * NaN), in proportion to the expected verdicts of that kind, and when not
 * given, imputed from each source's accepted count at its prior outcome
 * mix (rework verdicts per accepted outcome r1/(1−r2) / (a1 + r1·a2/(1−r2))
 * on the first-pass and later-pass probabilities, superseded alike).
 * acc, rew and sup have one slot per source.  Returns 0, or -1 with an
 * input diag (a fixed bid).
 */
int trk_split_totals(const scn_scenario *s, size_t a, int month, double accepted, double rework,
                     double superseded, double *acc, double *rew, double *sup, diag *d);

/* A scenario whose alternative a carries the updated sources (a shallow
 * copy of s: it borrows s's dists and must not outlive it). */
typedef struct trk_model {
    scn_scenario s;
    scn_alternative alt;
    src_params *src;
    size_t a;                     /* in the original scenario */
    double t0, spent;
    long long required;           /* outcomes still required (<= 0: done) */
    double prior_tp[8], post_tp[8];   /* mean throughput per month, first sources */
    double prior_acc[8], post_acc[8]; /* mean P(accepted), first sources */
} trk_model;

/* Build the updated model.  Returns 0, or -1 with an input diag (a bid,
 * a month at or past the horizon) or a runtime one (memory). */
int trk_model_init(const scn_scenario *s, size_t a, const trk_state *st, trk_model *m, diag *d);
void trk_model_release(trk_model *m);

/* The forecast's draws, n of each (final figures on the scenario's clock). */
typedef struct trk_draws {
    size_t n;
    double *cost, *blended, *day, *delivered;
} trk_draws;

/* Simulate n remainders on streams keyed by (seed, "track:" alternative,
 * block): the same draws for any caller.  Returns 0 or -1 (memory). */
int trk_simulate(const trk_model *m, uint64_t n, uint64_t seed, trk_draws *out, diag *d);
void trk_draws_release(trk_draws *t);

typedef struct trk_q {
    double p10, p50, p90, mean;
} trk_q;

/* The whole review, for the command. */
typedef struct trk_rule {
    const char *name;
    int month;                    /* fires at this month on the actuals; 0: does not */
    const char *then;             /* NULL: abandon */
} trk_rule;

typedef struct trk_transfer {
    const char *name;
    double blended_mean, gain, gain_se, breakeven;
} trk_transfer;

typedef struct trk_report {
    const scn_scenario *s;
    size_t a;
    int month;
    double t0, spent, accepted, rework, superseded;
    long long required;
    double confidence, envelope;  /* the alternative's envelope: its cost_total P(c) before it started */
    /* the actuals against the model before it started, at the same month */
    double spent_pct, spent_p1, spent_p50, spent_p99;
    double acc_pct, acc_p1, acc_p50, acc_p99;
    int recalibrate;
    trk_q cost, blended, day;
    double p_within, p_delivered, cost_at_c;
    trk_rule *rules;
    size_t nrules;
    trk_transfer *xfer;
    size_t nxfer;
    int best_xfer;                /* -1: none */
    char action[16];              /* continue, increase, cut, transfer */
    char advice[512], reason[512];
    warn_list warnings;
    trk_model model;
    uint64_t trials;
    trk_draws draws;              /* the forecast's draws, each column sorted (marginals) */
    /* the cone (trk_cone): at each month 1..ncone, the final cost re-forecast
     * from the ledger up to it (P10, P50, P90) and the spend to date */
    int ncone;
    double (*cone)[4];
    /* calendar: ledger month 1 is this month (12·year + month − 1), or -1 */
    int start_month;
    long long start_sec;          /* its first day, 00:00 UTC */
    /* cost lines (trk_lines) */
    struct trk_line *lines;
    size_t nlines;
    int above_line;               /* -1: no --above question */
    double above_amount;
    int above_month;
    cl_above above;
} trk_report;

/* One cost line's forecast: months from+1..to, P10/P50/P90 each. */
typedef struct trk_line {
    const char *name;
    int ok;                       /* 0: too few positive months to fit */
    cl_fit fit;
    int from, to;
    double q[3][48];              /* [P10, P50, P90][month − from − 1] */
} trk_line;

/* Re-forecast alternative a from ledger l with `trials` trials, at
 * confidence c (NaN: decision.confidence).  From a ledger of totals only
 * (l->totals_only), stop-loss rules are judged on the last month's state
 * alone.  Returns 0, or -1 with d set. */
int trk_build(const scn_scenario *s, size_t a, const ldg_ledger *l, uint64_t trials, int threads,
              double c, trk_report *out, diag *d);
void trk_report_release(trk_report *r);

/*
 * Forecast every cost line of the ledger through month `by` (at least six
 * months past the ledger, at most 48) and, with line >= 0 and amount > 0,
 * P(line > amount in month `by`) with its interval and the cumulative
 * bill's probability.  start_month (12·year + month − 1, or -1) names the
 * ledger's month 1 on the calendar.  Returns 0, or -1 with d set.
 */
int trk_lines(trk_report *r, const ldg_ledger *l, int start_month, int line, double amount, int by,
              diag *d);

/* The cone: re-forecast with the ledger up to each month, `trials` each
 * (same streams as the forecast).  Returns 0, or -1 with d set. */
int trk_cone(trk_report *r, const ldg_ledger *l, uint64_t trials, diag *d);

/* "YYYY-MM" of ledger month m when the calendar is known, else "month m". */
char *trk_month_label(const trk_report *r, int m, char *buf, size_t n);

/* The --above answer in one sentence. */
void trk_above_sentence(const trk_report *r, char *buf, size_t n);

void trk_print(FILE *fp, const trk_report *r);
/* trk_print without its first two lines (the version and the actuals):
 * from the trial count to the advice. */
void trk_print_review(FILE *fp, const trk_report *r);
struct json_writer;
void trk_json(struct json_writer *w, const trk_report *r);

/* Quantiles of n values (sorted in place). */
trk_q trk_quantiles(double *x, size_t n);

#endif
