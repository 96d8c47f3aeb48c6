/*
 * envelope — the sponsor's figures (model §5): the budget envelope of each
 * alternative with its Monte Carlo uncertainty, how each stop-loss rule
 * would have behaved, and the monthly review against actuals.
 *
 * The envelope at confidence c is the c-quantile of cost_total (and of
 * blended_cost).  Its 90 % interval is distribution-free: the order
 * statistics j and k around n·c with the binomial's normal approximation,
 * j, k = n·c ∓ z·sqrt(n·c·(1−c)), z the 95th normal percentile.
 *
 * The monthly review re-forecasts one alternative from its actuals at the
 * end of a month exactly as `capmix track` does (track.h): money already
 * spent plus a simulation of the remainder with the rates updated by what
 * was observed.  The actuals here are cumulative totals of the
 * alternative; trk_split_totals turns them into per-source counts and
 * ldg_from_totals into a ledger (model §18.42).
 */
#ifndef CAPMIX_ENVELOPE_H
#define CAPMIX_ENVELOPE_H

#include <stdio.h>
#include "diag.h"
#include "report.h"
#include "track.h"

#define ENV_LEVELS 3   /* P80, P90, P95 */

typedef struct env_quantile {
    double p, value, lo, hi;   /* the quantile and its 90 % interval */
} env_quantile;

/* One rule's figures, paired trial by trial with the alternative run
 * without it.  "With" includes the fallback's costs, outcomes and delay
 * when the rule hands the scope on (then: ALT). */
typedef struct env_rule {
    const sl_rule *rule;
    int fallback;              /* index of the then: alternative, -1 abandon */
    size_t n_stopped;
    double p_stop;
    double median_month;       /* of the trials it stops; NaN if none */
    double spend_with, spend_without;       /* mean cost_total */
    double blended_with, blended_without;   /* mean blended_cost */
    double accepted_with, accepted_without; /* mean accepted outcomes */
    double delivered_with, delivered_without; /* P(delivered by the horizon) */
    double bpa_with, bpa_without;  /* blended cost per accepted outcome (ratio of totals) */
    double loss_avoided;       /* mean over stopped trials of (without − with) */
    size_t false_stops;        /* stopped trials that would have finished within the envelope */
    /* The criterion (model §5): blended cost when the rule delivers
     * no less than running without it (a fallback that finishes the scope),
     * else blended cost per accepted outcome.  gain = without − with, > 0
     * when the rule helps; gain_se its paired (delta-method) SE. */
    int per_outcome;
    double gain, gain_se;
} env_rule;

typedef struct env_alt {
    env_quantile total[ENV_LEVELS], blended[ENV_LEVELS];
    env_quantile at_c_total, at_c_blended; /* at the chosen confidence */
    env_rule *rules;
    size_t nrules;
    int best_rule;             /* the largest gain more than 2 SE above 0, -1 if none */
} env_alt;

/* The actuals of the review. */
typedef struct env_actuals {
    int month;                    /* 0: no review */
    double spent, accepted;       /* cumulative to the month's end */
    double rework, superseded;    /* NaN: not given (imputed, model §18.42) */
    const char *alternative;      /* NULL: the baseline */
    int threads;                  /* for the model check; no figure depends on it */
} env_actuals;

typedef struct env_report {
    double c;
    env_alt *alts;
    size_t nalts;
    trk_report *review;        /* NULL when no actuals were given */
    int rework_imputed, superseded_imputed; /* not given: imputed (model §18.42) */
    char (*sentence)[512];     /* one per alternative at most */
    int nsentences;
} env_report;

/* Quantile p of n sorted values with its 90 % order-statistic interval. */
env_quantile env_quantile_ci(const double *sorted, size_t n, double p);

/*
 * Build the figures at confidence c.  rep's results must carry month-end
 * snapshots.  With ac->month > 0, also the review of the actuals: the
 * re-forecast of ac->alternative with min(trials, 100,000) trials, as
 * track's.  Returns 0, or -1 with d set.
 */
int env_build(const report *rep, double c, const env_actuals *ac, env_report **out, diag *d);
/* The actuals checked against s before anything is simulated: the
 * alternative (ac->alternative or the baseline, a capacity mix) into *alt,
 * a month before the horizon, no more accepted than the work needs, and
 * superseded= given when superseded items are not replaced.  Returns 0,
 * or -1 with an input diag. */
int env_actuals_check(const scn_scenario *s, const env_actuals *ac, size_t *alt, diag *d);

void env_free(env_report *er);

void env_print(FILE *fp, const report *rep, const env_report *er);

struct json_writer;
void env_json(struct json_writer *w, const report *rep, const env_report *er);

/* The figures of one stop-loss rule on alternative a, given its envelope.
 * A rule with a fallback simulates it in every trial it stops, on streams
 * keyed by (seed, alternative and rule, block): the same numbers for any
 * thread count.  Returns 0, or -1 with d set (memory; a fallback that
 * `run --only` removed). */
int env_rule_figures(const report *rep, size_t a, const sl_rule *r, double envelope, env_rule *out,
                     diag *d);

#endif
