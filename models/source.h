/*
 * source — the generic parameters of one capacity source, as the engine
 * sees them (model §2).  Every kind in models/ (offshore pod, AI team, …)
 * reads its YAML into this one struct; the engine never names a kind.
 *
 * Absent cost keys are the constant 0, so every cost formula applies to
 * every source: a salaried team simply has hourly_rate 0.
 *
 * A src_draw holds one trial's trial-level values (drawn by
 * src_draw_trial) or their point estimates (src_draw_means, for the
 * spreadsheet view); src_time_costs turns a draw and an end day into the
 * time-based and one-off costs, and is shared by the engine and the
 * spreadsheet view so the two cannot disagree on a formula.
 */
#ifndef CAPMIX_SOURCE_H
#define CAPMIX_SOURCE_H

#include <gsl/gsl_rng.h>
#include "dist.h"

enum { OC_ACCEPTED = 0, OC_REWORK = 1, OC_SUPERSEDED = 2, OC_COUNT = 3 };

/* Outcome probabilities: fixed, or observed counts calibrated per trial by
 * Dirichlet(count + 1) (uniform prior, model §1). */
/* Largest max_rework_cycles a scenario takes (calibrate caps at it). */
#define SRC_MAX_REWORK_CYCLES 1000

typedef struct src_outcomes {
    int present;          /* 0: not given (defaults apply) */
    int observed;         /* 1: counts below; 0: fixed probabilities */
    double p[OC_COUNT];   /* fixed probabilities, or counts when observed */
    int line, col;
} src_outcomes;

typedef enum { TP_NONE = 0, TP_OBSERVED, TP_PER_MONTH } src_tp_form;

/*
 * The trial-level quantities of a source, by the key that names them in a
 * path (ALT/SOURCE.KEY): what `correlations:` may couple and what a
 * tornado ranks by rank correlation.  `outcomes.accepted` is the
 * first-pass acceptance probability (with observed counts, its marginal is
 * Beta(a+1, r+s+2) and the rest of the Dirichlet split is drawn given it).
 */
typedef enum {
    SQ_HEADCOUNT = 0, SQ_HOURLY_RATE, SQ_HOURS_PER_MONTH, SQ_MONTHLY_FEE, SQ_LOADED_ANNUAL,
    SQ_THROUGHPUT, SQ_RAMP_FROM, SQ_RAMP_DAYS, SQ_ACCEPTED, SQ_REWORK_ACCEPTED,
    SQ_SENIOR_HOURS, SQ_PM_HOURS, SQ_TOK_MONTHLY, SQ_TOK_GROWTH, SQ_DEFECT_RATE,
    SQ_ONBOARDING, SQ_EXIT, SQ_START_DELAY, SQ_COUNT
} src_quantity;

typedef struct src_params {
    char name[64];
    const char *kind;     /* the model's name, static storage */
    int line, col;

    /* labour and fees (trial level) */
    dist headcount;
    int lanes;            /* 0: round(headcount), at least 1 */
    dist hourly_rate, hours_per_month, monthly_fee, loaded_annual;
    int has_hours_per_month; /* 0: the calendar's hours_per_month */

    /* throughput (trial level): items (passes) per day */
    src_tp_form tp;
    double tp_items, tp_days;   /* observed: Gamma(items + 1/2, rate days) */
    dist tp_per_month;

    /* the work (item level unless noted) */
    int has_item_size;    /* 0: S ~ Exp(1) */
    dist item_size;
    dist ramp_from, ramp_days;          /* trial level */
    src_outcomes outcomes, rework_outcomes;
    dist rework_effort;                 /* default 0.5 */
    int max_rework_cycles;              /* default 5, at most SRC_MAX_REWORK_CYCLES */
    dist review_wait_days, review_hours_per_item;

    /* costs */
    dist senior_hours_per_week, pm_hours_per_week;  /* oversight, trial */
    dist tok_monthly, tok_growth;                   /* trial */
    dist tok_per_item;                              /* item */
    dist co_probability, co_cost;                   /* item */
    dist defect_rate;                               /* trial */
    dist defect_cost;                               /* item */
    dist onboarding_cost, exit_cost;                /* trial */
    double min_months;
    dist start_delay_days;                          /* trial */

    /* which optional cost keys are present: lets the digest and the
     * engine skip work for absent ones */
    unsigned has;

    /* Gaussian copula (copula.h): 0 = drawn independently; k + 1 = drawn
     * as the inverse CDF of coordinate k of the trial's uniform vector.
     * Zero-initialised means no correlation. */
    unsigned short cslot[SQ_COUNT];
} src_params;

/* bits of src_params.has */
enum {
    SRC_HAS_OVERSIGHT = 1u << 0,
    SRC_HAS_TOKENS = 1u << 1,
    SRC_HAS_CHANGE_ORDERS = 1u << 2,
    SRC_HAS_DEFECTS = 1u << 3,
    SRC_HAS_REVIEW_HOURS = 1u << 4,
    SRC_HAS_REVIEW_WAIT = 1u << 5,
    SRC_HAS_RAMP = 1u << 6
};

/* Calendar constants (model §1). */
typedef struct src_calendar {
    double days_per_month, weeks_per_month, hours_per_year, hours_per_month;
} src_calendar;

/* One trial's trial-level values of a source. */
typedef struct src_draw {
    double headcount, hourly_rate, hours_per_month, monthly_fee, loaded_annual;
    double lambda;        /* passes per day with every lane busy */
    int lanes;
    double ramp_from, ramp_days;
    double p1[OC_COUNT];  /* first-pass outcome probabilities */
    double p2[OC_COUNT];  /* later passes */
    double senior_hours_per_week, pm_hours_per_week;
    double tok_monthly, tok_growth;
    double defect_rate;
    double onboarding_cost, exit_cost;
    double start;         /* start day */
} src_draw;

/* Costs of a source over one alternative-trial, by component. */
typedef struct src_costs {
    double direct;        /* labour, fees, tokens, one-offs */
    double internal;      /* oversight */
} src_costs;

/* Release every dist of p; NULL-safe. */
void src_params_release(src_params *p);

/* Set the documented defaults (all-accepted outcomes, rework_effort 0.5,
 * max_rework_cycles 5, ramp_from 1, …) on a zeroed struct. */
void src_params_defaults(src_params *p);

/* Draw one trial's values.  `u` is the trial's copula vector (NULL when
 * the scenario correlates nothing): a quantity with cslot k + 1 is the
 * inverse CDF of its dist at u[k]; every other one is drawn from `r`.
 * Never allocates. */
void src_draw_trial(const src_params *p, const src_calendar *cal, gsl_rng *r, const double *u,
                    src_draw *out);

/* The key of quantity q ("throughput_per_month", "outcomes.accepted"). */
const char *src_quantity_name(src_quantity q);

/* The quantity a key names (also "throughput"), or -1. */
int src_quantity_find(const char *key);

/* 1 when a source's (or a bid's) key names an item-level quantity, drawn
 * afresh for every item or event ("review_wait_days", "defect_cost"). */
int src_key_item_level(const char *key);

/* Every quantity key, NULL-terminated (for "did you mean"). */
const char *const *src_quantity_names(void);

/* 1 when q varies from trial to trial for this source (a dist that is not
 * a constant, observed throughput, observed outcomes). */
int src_quantity_uncertain(const src_params *p, src_quantity q);

/* The value of q in one trial's draw, in the unit of its key (throughput
 * per month, hours per week, …). */
double src_quantity_value(const src_draw *d, const src_calendar *cal, src_quantity q);

/* Point estimates for the spreadsheet view (model §18.11): the
 * mean of every dist, observed proportions and observed rates. */
void src_draw_means(const src_params *p, const src_calendar *cal, src_draw *out);

/*
 * Time-based and one-off costs of a source that runs from d->start to
 * t_end (nothing if t_end <= d->start: a source that never starts costs
 * nothing, model §3).  min_months tops up billed labour and fees only.
 * senior_rate/pm_rate are internal hourly rates for oversight.
 */
src_costs src_time_costs(const src_draw *d, double min_months, const src_calendar *cal,
                         double senior_rate, double pm_rate, double t_end);

/* The end-of-contract terms of stopping at t_end (direct cost): the
 * min_months top-up of billed labour and fees, and exit_cost; 0 for a
 * source that has not started.  src_time_costs = accrued + these. */
double src_end_terms(const src_draw *d, double min_months, const src_calendar *cal, double t_end);

/* Costs accrued by day t by a source still running: time-based costs and
 * the onboarding one-off, without the end-of-contract terms (min_months
 * top-up, exit_cost).  What a month-end review sees. */
src_costs src_accrued_costs(const src_draw *d, const src_calendar *cal, double senior_rate,
                            double pm_rate, double t);

/* Token spend of a source active for `months` months: the integral of
 * monthly·(1+g)^τ for τ in [0, months] (model §3). */
double src_token_cost(double monthly, double growth, double months);

/* Effective working time of a ramping source between its start and day t
 * (model §3), and its inverse. */
double src_effective(const src_draw *d, double t);
double src_effective_inverse(const src_draw *d, double e);

#endif
