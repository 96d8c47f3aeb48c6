/*
 * source — trial-level draws of a source and the cost formulas shared by
 * the engine and the spreadsheet view.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "source.h"

void src_params_release(src_params *p)
{
    if (!p)
        return;
    dist *all[] = {&p->headcount, &p->hourly_rate, &p->hours_per_month, &p->monthly_fee,
                   &p->loaded_annual, &p->tp_per_month, &p->item_size, &p->ramp_from,
                   &p->ramp_days, &p->rework_effort, &p->review_wait_days,
                   &p->review_hours_per_item, &p->senior_hours_per_week, &p->pm_hours_per_week,
                   &p->tok_monthly, &p->tok_growth, &p->tok_per_item, &p->co_probability,
                   &p->co_cost, &p->defect_rate, &p->defect_cost, &p->onboarding_cost,
                   &p->exit_cost, &p->start_delay_days};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        dist_release(all[i]);
}

void src_params_defaults(src_params *p)
{
    p->ramp_from = dist_const(1);
    p->rework_effort = dist_const(0.5);
    p->max_rework_cycles = 5;
    p->outcomes.p[OC_ACCEPTED] = 1;
}

/* Probabilities of one outcome set for this trial. */
static void draw_outcomes(const src_outcomes *o, gsl_rng *r, double out[OC_COUNT])
{
    if (o->observed) {
        double alpha[OC_COUNT];
        for (int i = 0; i < OC_COUNT; i++)
            alpha[i] = o->p[i] + 1; /* uniform prior */
        gsl_ran_dirichlet(r, OC_COUNT, alpha, out);
    } else {
        memcpy(out, o->p, sizeof o->p);
    }
}

/* The spreadsheet's point estimate: observed proportions, not the
 * posterior mean (resolution 17).  With no observation at all the
 * posterior is uniform and so is the estimate. */
static void mean_outcomes(const src_outcomes *o, double out[OC_COUNT])
{
    if (!o->observed) {
        memcpy(out, o->p, sizeof o->p);
        return;
    }
    double n = o->p[0] + o->p[1] + o->p[2];
    for (int i = 0; i < OC_COUNT; i++)
        out[i] = n > 0 ? o->p[i] / n : 1.0 / OC_COUNT;
}

static int lanes_of(const src_params *p, double headcount)
{
    if (p->lanes > 0)
        return p->lanes;
    double l = round(headcount);
    if (!(l >= 1))
        return 1;
    return l > 100000 ? 100000 : (int)l;
}

void src_draw_trial(const src_params *p, const src_calendar *cal, gsl_rng *r, src_draw *o)
{
    o->headcount = dist_sample(&p->headcount, r);
    o->lanes = lanes_of(p, o->headcount);
    o->hourly_rate = dist_sample(&p->hourly_rate, r);
    o->hours_per_month =
        p->has_hours_per_month ? dist_sample(&p->hours_per_month, r) : cal->hours_per_month;
    o->monthly_fee = dist_sample(&p->monthly_fee, r);
    o->loaded_annual = dist_sample(&p->loaded_annual, r);
    if (p->tp == TP_OBSERVED) /* Jeffreys prior: Gamma(items + 1/2, rate = days) */
        o->lambda = gsl_ran_gamma(r, p->tp_items + 0.5, 1.0 / p->tp_days);
    else
        o->lambda = dist_sample(&p->tp_per_month, r) / cal->days_per_month;
    o->ramp_from = dist_sample(&p->ramp_from, r);
    o->ramp_days = dist_sample(&p->ramp_days, r);
    draw_outcomes(&p->outcomes, r, o->p1);
    if (p->rework_outcomes.present)
        draw_outcomes(&p->rework_outcomes, r, o->p2);
    else
        memcpy(o->p2, o->p1, sizeof o->p1);
    o->senior_hours_per_week = dist_sample(&p->senior_hours_per_week, r);
    o->pm_hours_per_week = dist_sample(&p->pm_hours_per_week, r);
    o->tok_monthly = dist_sample(&p->tok_monthly, r);
    o->tok_growth = dist_sample(&p->tok_growth, r);
    o->defect_rate = dist_sample(&p->defect_rate, r);
    o->onboarding_cost = dist_sample(&p->onboarding_cost, r);
    o->exit_cost = dist_sample(&p->exit_cost, r);
    o->start = dist_sample(&p->start_delay_days, r);
}

void src_draw_means(const src_params *p, const src_calendar *cal, src_draw *o)
{
    o->headcount = dist_mean(&p->headcount);
    o->lanes = lanes_of(p, o->headcount);
    o->hourly_rate = dist_mean(&p->hourly_rate);
    o->hours_per_month =
        p->has_hours_per_month ? dist_mean(&p->hours_per_month) : cal->hours_per_month;
    o->monthly_fee = dist_mean(&p->monthly_fee);
    o->loaded_annual = dist_mean(&p->loaded_annual);
    if (p->tp == TP_OBSERVED)
        o->lambda = p->tp_items / p->tp_days;
    else
        o->lambda = dist_mean(&p->tp_per_month) / cal->days_per_month;
    o->ramp_from = dist_mean(&p->ramp_from);
    o->ramp_days = dist_mean(&p->ramp_days);
    mean_outcomes(&p->outcomes, o->p1);
    if (p->rework_outcomes.present)
        mean_outcomes(&p->rework_outcomes, o->p2);
    else
        memcpy(o->p2, o->p1, sizeof o->p1);
    o->senior_hours_per_week = dist_mean(&p->senior_hours_per_week);
    o->pm_hours_per_week = dist_mean(&p->pm_hours_per_week);
    o->tok_monthly = dist_mean(&p->tok_monthly);
    o->tok_growth = dist_mean(&p->tok_growth);
    o->defect_rate = dist_mean(&p->defect_rate);
    o->onboarding_cost = dist_mean(&p->onboarding_cost);
    o->exit_cost = dist_mean(&p->exit_cost);
    o->start = dist_mean(&p->start_delay_days);
}

double src_token_cost(double monthly, double growth, double months)
{
    if (monthly == 0 || months <= 0)
        return 0;
    /* ∫0^M m(1+g)^τ dτ = m((1+g)^M − 1)/ln(1+g); log1p/expm1 keep it exact
     * as g → 0, where it tends to m·M. */
    double lg = log1p(growth);
    if (fabs(lg) < 1e-300)
        return monthly * months;
    return monthly * expm1(months * lg) / lg;
}

src_costs src_accrued_costs(const src_draw *d, const src_calendar *cal, double senior_rate,
                            double pm_rate, double t)
{
    src_costs c = {0, 0};
    if (!(t > d->start))
        return c;
    double months = (t - d->start) / cal->days_per_month;
    c.direct = (d->headcount * d->hourly_rate * d->hours_per_month + d->monthly_fee +
                d->headcount * d->loaded_annual / 12) *
                   months +
               src_token_cost(d->tok_monthly, d->tok_growth, months) + d->onboarding_cost;
    c.internal = (d->senior_hours_per_week * senior_rate + d->pm_hours_per_week * pm_rate) *
                 cal->weeks_per_month * months;
    return c;
}

src_costs src_time_costs(const src_draw *d, double min_months, const src_calendar *cal,
                         double senior_rate, double pm_rate, double t_end)
{
    src_costs c = src_accrued_costs(d, cal, senior_rate, pm_rate, t_end);
    if (!(t_end > d->start))
        return c;
    double months = (t_end - d->start) / cal->days_per_month;
    if (months < min_months) /* billed labour and fees only (resolution 8) */
        c.direct += (d->headcount * d->hourly_rate * d->hours_per_month + d->monthly_fee) *
                    (min_months - months);
    c.direct += d->exit_cost;
    return c;
}

/* Productivity ramps linearly from ramp_from to 1 over ramp_days, so the
 * effective time u days after the start is rf·u + (1−rf)·u²/(2R) during
 * the ramp and R(1+rf)/2 + (u − R) after it. */
double src_effective(const src_draw *d, double t)
{
    double u = t - d->start;
    if (u <= 0)
        return 0;
    double R = d->ramp_days, rf = d->ramp_from;
    if (R <= 0 || rf >= 1)
        return u;
    if (u >= R)
        return R * (1 + rf) / 2 + (u - R);
    return rf * u + (1 - rf) * u * u / (2 * R);
}

double src_effective_inverse(const src_draw *d, double e)
{
    if (e <= 0)
        return d->start;
    double R = d->ramp_days, rf = d->ramp_from;
    if (R <= 0 || rf >= 1)
        return d->start + e;
    double er = R * (1 + rf) / 2;
    if (e >= er)
        return d->start + R + (e - er);
    /* Root of (1−rf)/(2R)·u² + rf·u − e = 0 in the form that stays exact
     * when rf → 1 (no cancellation) and when rf = 0. */
    double u = 2 * e / (rf + sqrt(rf * rf + 2 * (1 - rf) * e / R));
    return d->start + (u < R ? u : R);
}
