/*
 * fixedbid — one trial of a fixed-price offer.
 */
#include <math.h>

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

void bid_trial(const bid_params *b, long long outcomes, const src_calendar *cal,
               double senior_rate, double pm_rate, gsl_rng *r, bid_outcome *o)
{
    o->price = dist_sample(&b->price, r);
    o->delivery_day = dist_sample(&b->delivery_days, r);
    double rate = dist_sample(&b->late_penalty_per_day, r);
    double co_mean = dist_sample(&b->co_count_mean, r);
    double senior = dist_sample(&b->senior_hours_per_week, r);
    double pm = dist_sample(&b->pm_hours_per_week, r);
    double defects = dist_sample(&b->defect_rate, r);
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
