/*
 * fixedbid — one trial of a fixed-price offer.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "fixedbid.h"

void bid_params_release(bid_params *b)
{
    if (!b)
        return;
    dist *all[] = {&b->price,         &b->delivery_days, &b->late_penalty_per_day,
                   &b->co_count_mean, &b->co_cost,       &b->senior_hours_per_week,
                   &b->pm_hours_per_week, &b->defect_rate, &b->defect_cost};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        dist_release(all[i]);
}

static double penalty(const bid_params *b, double rate, double day)
{
    if (!b->has_due_day || day <= b->due_day)
        return 0;
    double p = rate * (day - b->due_day);
    return p < b->penalty_cap ? p : b->penalty_cap;
}

static double oversight(double senior_hpw, double pm_hpw, const src_calendar *cal,
                        double senior_rate, double pm_rate, double days)
{
    return (senior_hpw * senior_rate + pm_hpw * pm_rate) * cal->weeks_per_month * days /
           cal->days_per_month;
}

static const char *const bq_names[BQ_COUNT + 1] = {
    [BQ_PRICE] = "price",
    [BQ_DELIVERY_DAYS] = "delivery_days",
    [BQ_PENALTY_RATE] = "late_penalty_per_day",
    [BQ_CO_COUNT_MEAN] = "change_orders.count_mean",
    [BQ_SENIOR_HOURS] = "oversight.senior_hours_per_week",
    [BQ_PM_HOURS] = "oversight.pm_hours_per_week",
    [BQ_DEFECT_RATE] = "escaped_defects_per_outcome",
    [BQ_COUNT] = NULL,
};

const char *bid_quantity_name(bid_quantity q)
{
    return q >= 0 && q < BQ_COUNT ? bq_names[q] : "?";
}

const char *const *bid_quantity_names(void)
{
    return bq_names;
}

int bid_quantity_find(const char *key)
{
    for (int q = 0; q < BQ_COUNT; q++)
        if (!strcmp(key, bq_names[q]))
            return q;
    return -1;
}

const dist *bid_quantity_dist(const bid_params *b, bid_quantity q)
{
    switch (q) {
    case BQ_PRICE: return &b->price;
    case BQ_DELIVERY_DAYS: return &b->delivery_days;
    case BQ_PENALTY_RATE: return &b->late_penalty_per_day;
    case BQ_CO_COUNT_MEAN: return &b->co_count_mean;
    case BQ_SENIOR_HOURS: return &b->senior_hours_per_week;
    case BQ_PM_HOURS: return &b->pm_hours_per_week;
    case BQ_DEFECT_RATE: return &b->defect_rate;
    default: return NULL;
    }
}

static inline double draw_q(const bid_params *b, bid_quantity q, const dist *x, gsl_rng *r,
                            const double *u)
{
    if (u && b->cslot[q])
        return dist_inv(x, u[b->cslot[q] - 1]);
    return dist_sample(x, r);
}

void bid_trial(const bid_params *b, long long outcomes, const src_calendar *cal,
               double senior_rate, double pm_rate, gsl_rng *r, const double *u, bid_outcome *o)
{
    o->price = draw_q(b, BQ_PRICE, &b->price, r, u);
    o->delivery_day = draw_q(b, BQ_DELIVERY_DAYS, &b->delivery_days, r, u);
    double rate = draw_q(b, BQ_PENALTY_RATE, &b->late_penalty_per_day, r, u);
    double co_mean = draw_q(b, BQ_CO_COUNT_MEAN, &b->co_count_mean, r, u);
    double senior = draw_q(b, BQ_SENIOR_HOURS, &b->senior_hours_per_week, r, u);
    double pm = draw_q(b, BQ_PM_HOURS, &b->pm_hours_per_week, r, u);
    double defects = draw_q(b, BQ_DEFECT_RATE, &b->defect_rate, r, u);
    double co = 0;
    unsigned n = co_mean > 0 ? gsl_ran_poisson(r, co_mean) : 0;
    for (unsigned i = 0; i < n; i++)
        co += dist_sample(&b->co_cost, r);
    o->direct = o->price + co - penalty(b, rate, o->delivery_day);
    o->internal = oversight(senior, pm, cal, senior_rate, pm_rate, o->delivery_day);
    o->support = 0;
    /* Σ over outcomes of Poisson(rate) defects is Poisson(rate × outcomes):
     * one draw, the same distribution.  Drawn even under warranty, so the
     * warranty flag does not shift the stream. */
    unsigned k = defects > 0 ? gsl_ran_poisson(r, defects * (double)outcomes) : 0;
    for (unsigned i = 0; i < k; i++) {
        double c = dist_sample(&b->defect_cost, r);
        if (!b->warranty_covers_defects)
            o->support += c;
    }
}

void bid_means(const bid_params *b, long long outcomes, const src_calendar *cal,
               double senior_rate, double pm_rate, bid_outcome *o)
{
    o->price = dist_mean(&b->price);
    o->delivery_day = dist_mean(&b->delivery_days);
    o->direct = o->price + dist_mean(&b->co_count_mean) * dist_mean(&b->co_cost) -
                penalty(b, dist_mean(&b->late_penalty_per_day), o->delivery_day);
    o->internal = oversight(dist_mean(&b->senior_hours_per_week), dist_mean(&b->pm_hours_per_week),
                            cal, senior_rate, pm_rate, o->delivery_day);
    o->support = b->warranty_covers_defects
                     ? 0
                     : dist_mean(&b->defect_rate) * (double)outcomes * dist_mean(&b->defect_cost);
}

double bid_cost_by(const bid_outcome *o, double t)
{
    if (t >= o->delivery_day)
        return o->direct + o->internal + o->support;
    return o->internal * (t > 0 ? t / o->delivery_day : 0);
}
