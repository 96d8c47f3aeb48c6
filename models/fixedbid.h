/*
 * fixedbid — a partner's fixed-price offer for the whole scope (model §4):
 * risk transfer.  The parameters as read from a `fixed_bid:` alternative,
 * and one trial of it.
 *
 * Per trial: cost_direct = price + change orders − late penalties (capped);
 * cost_internal = vendor-management oversight over the delivery period;
 * cost_support = escaped defects unless the warranty covers them.  A bid is
 * never cut at the horizon: it always delivers all `work.outcomes`, on its
 * drawn delivery day (model §4).
 */
#ifndef CAPMIX_FIXEDBID_H
#define CAPMIX_FIXEDBID_H

#include <gsl/gsl_rng.h>
#include "dist.h"
#include "source.h"

/* A bid's trial-level quantities by key (ALT.fixed_bid.KEY): what
 * `correlations:` may couple (see source.h's src_quantity). */
typedef enum {
    BQ_PRICE = 0, BQ_DELIVERY_DAYS, BQ_PENALTY_RATE, BQ_CO_COUNT_MEAN, BQ_SENIOR_HOURS,
    BQ_PM_HOURS, BQ_DEFECT_RATE, BQ_COUNT
} bid_quantity;

typedef struct bid_params {
    dist price;                /* trial */
    dist delivery_days;        /* trial */
    dist late_penalty_per_day; /* trial; paid back to us after due_day */
    int has_due_day;
    double due_day;            /* contract term: a constant */
    double penalty_cap;        /* +Inf when absent */
    dist co_count_mean;        /* trial: Poisson mean of scope changes */
    dist co_cost;              /* item: each change order */
    dist senior_hours_per_week, pm_hours_per_week; /* trial */
    dist defect_rate;          /* trial: escaped defects per outcome */
    dist defect_cost;          /* item */
    int warranty_covers_defects; /* default 0 */
    unsigned short cslot[BQ_COUNT]; /* copula coordinate + 1, or 0 (source.h) */
} bid_params;

/* One trial's figures of a bid. */
typedef struct bid_outcome {
    double delivery_day;
    double direct, internal, support;
    double price;              /* the drawn price (break-even needs E[price]) */
} bid_outcome;

void bid_params_release(bid_params *b);

/* Simulate one trial: `outcomes` accepted outcomes, internal hourly rates
 * senior_rate and pm_rate; `u` the trial's copula vector or NULL (as in
 * src_draw_trial).  Never allocates. */
void bid_trial(const bid_params *b, long long outcomes, const src_calendar *cal,
               double senior_rate, double pm_rate, gsl_rng *r, const double *u,
               bid_outcome *out);

/* Key of a bid quantity ("delivery_days", "change_orders.count_mean"),
 * the quantity a key names (or -1), all keys NULL-terminated, and the
 * quantity's dist. */
const char *bid_quantity_name(bid_quantity q);
int bid_quantity_find(const char *key);
const char *const *bid_quantity_names(void);
const dist *bid_quantity_dist(const bid_params *b, bid_quantity q);

/* The spreadsheet view: every dist at its mean, counts at their means. */
void bid_means(const bid_params *b, long long outcomes, const src_calendar *cal,
               double senior_rate, double pm_rate, bid_outcome *out);

/* Cumulative cost by day t of a bid delivering on `o->delivery_day`:
 * oversight accrues over the delivery period; the price, change orders,
 * penalties and defects are booked on delivery. */
double bid_cost_by(const bid_outcome *o, double t);

#endif
