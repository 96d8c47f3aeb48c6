/*
 * decision — the CFO's figures for a fixed bid against each capacity mix
 * (model §4): risk premium, certainty equivalents, break-even price, the
 * market's answer, and the verdict in a sentence.
 *
 * Certainty equivalent of a cost C under exponential utility with risk
 * tolerance R: CE = R · ln E[exp(C/R)], estimated from the trials by
 * log-sum-exp (CE = max + R · ln mean exp((C − max)/R)), which neither
 * overflows for small R (CE → max) nor loses precision for large R;
 * R = +Inf gives the mean.  With decision.risk_measure: cvar the
 * risk-adjusted cost is the CVaR at decision.cvar_level instead
 * (model §18.16).  Both are translation-equivariant, so a bid's risk figure
 * is its price plus that of its random parts, and the break-even price
 * E[price] + risk(mix) − risk(bid) is exact for a constant price
 * (model §4).
 */
#ifndef CAPMIX_DECISION_H
#define CAPMIX_DECISION_H

#include <stddef.h>
#include "diag.h"
#include "engine.h"
#include "report.h"
#include "scenario.h"

/* CE of x[0..n) at tolerance R (NaN values skipped; any +Inf gives +Inf). */
double dec_ce(const double *x, size_t n, double R);

/* Mean of the worst ⌈(1 − level)·n⌉ values; `scratch` holds n doubles. */
double dec_cvar(const double *x, size_t n, double level, double *scratch);

/* One side of a pair on one metric. */
typedef struct dec_side {
    double mean, p50, p90, p95, cvar95;
    double risk;          /* CE at R, or CVaR at the level */
} dec_side;

typedef struct dec_pair {
    size_t bid, mix;      /* alternative indices */
    eng_metric metric;    /* M_COST_TOTAL or M_BLENDED_COST */
    dec_side b, m;
    double p_mix_cheaper; /* share of trials where the mix costs strictly less */
    double risk_premium;  /* E[bid] − E[mix]: what certainty costs */
    double break_even;    /* E[price] + risk(mix) − risk(bid) */
    double break_even_neutral; /* the same at risk neutrality */
    double crossing_R;    /* CE measure: tolerance where CE(bid) = CE(mix), NaN if none in range */
} dec_pair;

typedef struct dec_report {
    double R;                 /* risk tolerance used (+Inf: neutral) */
    scn_risk_measure measure;
    double level;             /* CVaR level */
    double margin;            /* partner margin, NaN if none */
    dec_pair *pairs;
    size_t npairs;
    char verdict[8][1024];    /* one sentence per bid */
    int nverdicts;
    /* per verdict: the pair it rests on, the risk tolerance where it flips
     * (CE(bid) = CE(mix); NaN when it does not flip between 1 % and 100×
     * the bid's mean cost, or with CVaR), whether the bid is worth its price
     * below that tolerance, and the break-even price at R/2, R and 2R */
    const dec_pair *verdict_pair[8];
    double flip_R[8];
    int worth_below[8];
    double be_at[8][3];
} dec_report;

/* One line on choosing R, for every report that shows a verdict. */
extern const char dec_R_explained[];

/* Figures for every (bid, mix) pair on cost_total and blended_cost, with
 * risk tolerance R (overriding the scenario's when R_override is not NaN)
 * and partner margin (likewise).  rep gives the summaries.  Returns 0, or
 * -1 with d set (no fixed bid or no mix: input error; memory: runtime). */
int dec_build(const report *rep, double R_override, double margin_override, dec_report **out,
              diag *d);
void dec_free(dec_report *dr);

/* The CFO's screen. */
void dec_print(FILE *fp, const report *rep, const dec_report *dr);

/* The "bid" section of summary.json (the writer is inside an object). */
struct json_writer;
void dec_json(struct json_writer *w, const report *rep, const dec_report *dr);

/* Money in a sentence: $1.06M, $140k, $950 (currency symbol for USD/EUR/GBP,
 * else the code); fmt_money (numfmt.h) under the name its callers know. */
char *dec_money(char *buf, size_t n, double v, const char *currency);

#endif
