/*
 * source — trial-level draws of a source and the cost formulas shared by
 * the engine and the spreadsheet view.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "models.h"
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

/* Probabilities of one outcome set for this trial; `cu` is the copula's
 * uniform for the acceptance probability, or NaN. */
static void draw_outcomes(const src_outcomes *o, gsl_rng *r, double cu, double out[OC_COUNT])
{
    if (o->observed && !isnan(cu)) {
        /* Dirichlet(α) by its aggregation property: p_acc ~ Beta(α_a,
         * α_r + α_s) at the copula's uniform, then the rest split by an
         * independent Beta(α_r, α_s) — the same joint law. */
        double aa = o->p[OC_ACCEPTED] + 1, ar = o->p[OC_REWORK] + 1, as = o->p[OC_SUPERSEDED] + 1;
        double pa = gsl_cdf_beta_Pinv(cu, aa, ar + as);
        double b = gsl_ran_beta(r, ar, as);
        out[OC_ACCEPTED] = pa;
        out[OC_REWORK] = (1 - pa) * b;
        out[OC_SUPERSEDED] = (1 - pa) * (1 - b);
    } else if (o->observed) {
        double alpha[OC_COUNT];
        for (int i = 0; i < OC_COUNT; i++)
            alpha[i] = o->p[i] + 1; /* uniform prior */
        gsl_ran_dirichlet(r, OC_COUNT, alpha, out);
    } else {
        memcpy(out, o->p, sizeof o->p);
    }
}

/* The spreadsheet's point estimate: observed proportions, not the
 * posterior mean (model §18.11).  With no observation at all the
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

/* Quantity q of p: from the copula when it has a coordinate, else a
 * fresh draw from r. */
static inline double draw_q(const src_params *p, src_quantity q, const dist *x, gsl_rng *r,
                            const double *u)
{
    if (u && p->cslot[q])
        return dist_inv(x, u[p->cslot[q] - 1]);
    return dist_sample(x, r);
}

/* The copula's uniform for q, or NaN when q is drawn independently. */
static inline double copula_u(const src_params *p, src_quantity q, const double *u)
{
    return u && p->cslot[q] ? u[p->cslot[q] - 1] : NAN;
}

void src_draw_trial(const src_params *p, const src_calendar *cal, gsl_rng *r, const double *u,
                    src_draw *o)
{
    o->headcount = draw_q(p, SQ_HEADCOUNT, &p->headcount, r, u);
    o->lanes = lanes_of(p, o->headcount);
    o->hourly_rate = draw_q(p, SQ_HOURLY_RATE, &p->hourly_rate, r, u);
    o->hours_per_month = p->has_hours_per_month
                             ? draw_q(p, SQ_HOURS_PER_MONTH, &p->hours_per_month, r, u)
                             : cal->hours_per_month;
    o->monthly_fee = draw_q(p, SQ_MONTHLY_FEE, &p->monthly_fee, r, u);
    o->loaded_annual = draw_q(p, SQ_LOADED_ANNUAL, &p->loaded_annual, r, u);
    if (p->tp == TP_OBSERVED) { /* Jeffreys prior: Gamma(items + 1/2, rate = days) */
        double cu = copula_u(p, SQ_THROUGHPUT, u);
        o->lambda = isnan(cu) ? gsl_ran_gamma(r, p->tp_items + 0.5, 1.0 / p->tp_days)
                              : gsl_cdf_gamma_Pinv(cu, p->tp_items + 0.5, 1.0 / p->tp_days);
    } else {
        o->lambda = draw_q(p, SQ_THROUGHPUT, &p->tp_per_month, r, u) / cal->days_per_month;
    }
    o->ramp_from = draw_q(p, SQ_RAMP_FROM, &p->ramp_from, r, u);
    o->ramp_days = draw_q(p, SQ_RAMP_DAYS, &p->ramp_days, r, u);
    draw_outcomes(&p->outcomes, r, copula_u(p, SQ_ACCEPTED, u), o->p1);
    if (p->rework_outcomes.present)
        draw_outcomes(&p->rework_outcomes, r, copula_u(p, SQ_REWORK_ACCEPTED, u), o->p2);
    else
        memcpy(o->p2, o->p1, sizeof o->p1);
    o->senior_hours_per_week = draw_q(p, SQ_SENIOR_HOURS, &p->senior_hours_per_week, r, u);
    o->pm_hours_per_week = draw_q(p, SQ_PM_HOURS, &p->pm_hours_per_week, r, u);
    o->tok_monthly = draw_q(p, SQ_TOK_MONTHLY, &p->tok_monthly, r, u);
    o->tok_growth = draw_q(p, SQ_TOK_GROWTH, &p->tok_growth, r, u);
    o->defect_rate = draw_q(p, SQ_DEFECT_RATE, &p->defect_rate, r, u);
    o->onboarding_cost = draw_q(p, SQ_ONBOARDING, &p->onboarding_cost, r, u);
    o->exit_cost = draw_q(p, SQ_EXIT, &p->exit_cost, r, u);
    o->start = draw_q(p, SQ_START_DELAY, &p->start_delay_days, r, u);
}

static const char *const quantity_names[SQ_COUNT + 1] = {
    [SQ_HEADCOUNT] = "headcount",
    [SQ_HOURLY_RATE] = "hourly_rate",
    [SQ_HOURS_PER_MONTH] = "hours_per_month",
    [SQ_MONTHLY_FEE] = "monthly_fee",
    [SQ_LOADED_ANNUAL] = "loaded_annual",
    [SQ_THROUGHPUT] = "throughput_per_month",
    [SQ_RAMP_FROM] = "ramp_from",
    [SQ_RAMP_DAYS] = "ramp_days",
    [SQ_ACCEPTED] = "outcomes.accepted",
    [SQ_REWORK_ACCEPTED] = "rework_outcomes.accepted",
    [SQ_SENIOR_HOURS] = "oversight.senior_hours_per_week",
    [SQ_PM_HOURS] = "oversight.pm_hours_per_week",
    [SQ_TOK_MONTHLY] = "tokens.monthly",
    [SQ_TOK_GROWTH] = "tokens.growth_per_month",
    [SQ_DEFECT_RATE] = "escaped_defects_per_outcome",
    [SQ_ONBOARDING] = "onboarding_cost",
    [SQ_EXIT] = "exit_cost",
    [SQ_START_DELAY] = "start_delay_days",
    [SQ_COUNT] = NULL,
};

int src_key_item_level(const char *key)
{
    return model_key_item_level(key);
}

const char *src_quantity_name(src_quantity q)
{
    return q >= 0 && q < SQ_COUNT ? quantity_names[q] : "?";
}

const char *const *src_quantity_names(void)
{
    return quantity_names;
}

int src_quantity_find(const char *key)
{
    if (!strcmp(key, "throughput"))
        return SQ_THROUGHPUT;
    for (int q = 0; q < SQ_COUNT; q++)
        if (!strcmp(key, quantity_names[q]))
            return q;
    return -1;
}

/* The dist behind q, or NULL for the calibrated forms. */
static const dist *quantity_dist(const src_params *p, src_quantity q)
{
    switch (q) {
    case SQ_HEADCOUNT: return &p->headcount;
    case SQ_HOURLY_RATE: return &p->hourly_rate;
    case SQ_HOURS_PER_MONTH: return p->has_hours_per_month ? &p->hours_per_month : NULL;
    case SQ_MONTHLY_FEE: return &p->monthly_fee;
    case SQ_LOADED_ANNUAL: return &p->loaded_annual;
    case SQ_THROUGHPUT: return p->tp == TP_OBSERVED ? NULL : &p->tp_per_month;
    case SQ_RAMP_FROM: return &p->ramp_from;
    case SQ_RAMP_DAYS: return &p->ramp_days;
    case SQ_SENIOR_HOURS: return &p->senior_hours_per_week;
    case SQ_PM_HOURS: return &p->pm_hours_per_week;
    case SQ_TOK_MONTHLY: return &p->tok_monthly;
    case SQ_TOK_GROWTH: return &p->tok_growth;
    case SQ_DEFECT_RATE: return &p->defect_rate;
    case SQ_ONBOARDING: return &p->onboarding_cost;
    case SQ_EXIT: return &p->exit_cost;
    case SQ_START_DELAY: return &p->start_delay_days;
    default: return NULL;
    }
}

int src_quantity_uncertain(const src_params *p, src_quantity q)
{
    switch (q) {
    case SQ_THROUGHPUT:
        if (p->tp == TP_OBSERVED)
            return 1;
        break;
    case SQ_HOURS_PER_MONTH:
        if (!p->has_hours_per_month)
            return 0;
        break;
    case SQ_ACCEPTED:
        return p->outcomes.observed;
    case SQ_REWORK_ACCEPTED:
        return p->rework_outcomes.present && p->rework_outcomes.observed;
    default:
        break;
    }
    const dist *x = quantity_dist(p, q);
    return x && !dist_is_const(x);
}

double src_quantity_value(const src_draw *d, const src_calendar *cal, src_quantity q)
{
    switch (q) {
    case SQ_HEADCOUNT: return d->headcount;
    case SQ_HOURLY_RATE: return d->hourly_rate;
    case SQ_HOURS_PER_MONTH: return d->hours_per_month;
    case SQ_MONTHLY_FEE: return d->monthly_fee;
    case SQ_LOADED_ANNUAL: return d->loaded_annual;
    case SQ_THROUGHPUT: return d->lambda * cal->days_per_month;
    case SQ_RAMP_FROM: return d->ramp_from;
    case SQ_RAMP_DAYS: return d->ramp_days;
    case SQ_ACCEPTED: return d->p1[OC_ACCEPTED];
    case SQ_REWORK_ACCEPTED: return d->p2[OC_ACCEPTED];
    case SQ_SENIOR_HOURS: return d->senior_hours_per_week;
    case SQ_PM_HOURS: return d->pm_hours_per_week;
    case SQ_TOK_MONTHLY: return d->tok_monthly;
    case SQ_TOK_GROWTH: return d->tok_growth;
    case SQ_DEFECT_RATE: return d->defect_rate;
    case SQ_ONBOARDING: return d->onboarding_cost;
    case SQ_EXIT: return d->exit_cost;
    case SQ_START_DELAY: return d->start;
    default: return NAN;
    }
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

double src_end_terms(const src_draw *d, double min_months, const src_calendar *cal, double t_end)
{
    if (!(t_end > d->start))
        return 0;
    double months = (t_end - d->start) / cal->days_per_month, c = d->exit_cost;
    if (months < min_months) /* billed labour and fees only (model §3) */
        c += (d->headcount * d->hourly_rate * d->hours_per_month + d->monthly_fee) *
             (min_months - months);
    return c;
}

src_costs src_time_costs(const src_draw *d, double min_months, const src_calendar *cal,
                         double senior_rate, double pm_rate, double t_end)
{
    src_costs c = src_accrued_costs(d, cal, senior_rate, pm_rate, t_end);
    c.direct += src_end_terms(d, min_months, cal, t_end);
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
