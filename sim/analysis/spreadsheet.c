/*
 * spreadsheet — the point-estimate view of each alternative.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "passcost.h"
#include "spreadsheet.h"
#include "source.h"

#define MAX_SOURCES_FLUID 64

typedef struct fluid_src {
    src_draw d;
    double rho;      /* items resolved per effective day */
    double pacc;     /* P(item accepted) */
    double ppass;    /* passes per item */
    double prework;  /* rework passes per item */
} fluid_src;

static void fluid_init(const src_params *p, const src_calendar *cal, fluid_src *f)
{
    src_draw_means(p, cal, &f->d);
    double a = f->d.p1[OC_ACCEPTED], r = f->d.p1[OC_REWORK];
    double a2 = f->d.p2[OC_ACCEPTED], r2 = f->d.p2[OC_REWORK];
    double G = 0, pw = 1;
    for (int j = 0; j < p->max_rework_cycles; j++, pw *= r2)
        G += pw;
    double e = dist_mean(&p->rework_effort);
    double size = p->has_item_size ? dist_mean(&p->item_size) : 1;
    double effort = (1 + e * r * G) * size;
    f->pacc = a + r * a2 * G;
    f->ppass = 1 + r * G;
    f->prework = r * G;
    f->rho = effort > 0 ? f->d.lambda / effort : 0;
}

typedef struct fluid {
    const fluid_src *src;
    size_t n;
    int count_items; /* 1: items resolved, 0: items accepted */
    double target;
} fluid;

static double fluid_gap(double t, void *arg)
{
    const fluid *F = arg;
    double sum = 0;
    for (size_t i = 0; i < F->n; i++) {
        const fluid_src *f = &F->src[i];
        sum += f->rho * (F->count_items ? 1 : f->pacc) * src_effective(&f->d, t);
    }
    return sum - F->target;
}

/* First day the fluid count reaches its target, -1 if not by `hi`, or NaN
 * when the solver cannot be allocated. */
static double fluid_solve(fluid *F, double hi)
{
    if (fluid_gap(hi, F) < 0)
        return -1;
    if (fluid_gap(0, F) >= 0)
        return 0;
    gsl_function fn = {fluid_gap, F};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return NAN; /* not `hi`: a wrong delivery day would pass for a figure */
    double lo = 0, root = hi;
    gsl_root_fsolver_set(s, &fn, lo, hi);
    for (int it = 0; it < 200; it++) {
        if (gsl_root_fsolver_iterate(s))
            break;
        root = gsl_root_fsolver_root(s);
        lo = gsl_root_fsolver_x_lower(s);
        hi = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(lo, hi, 0, 1e-12) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    return root;
}

static double person_mean(const scn_person *p, const src_calendar *cal)
{
    if (!p->present)
        return 0;
    double v = dist_mean(&p->rate);
    return p->hourly ? v : v / cal->hours_per_year;
}

static void sheet_bid(const scn_scenario *s, const scn_alternative *alt, double senior,
                      double pm, double out[M_COUNT])
{
    bid_outcome o;
    bid_means(&alt->bid, s->work.outcomes, &s->cal, senior, pm, &o);
    double total = met_total(o.direct, o.internal, o.support);
    double per_day = scn_cod_per_day(&s->work, dist_mean(&s->work.cod));
    double target = dist_mean(&s->work.target_day);
    out[M_COST_DIRECT] = o.direct;
    out[M_COST_INTERNAL] = o.internal;
    out[M_COST_SUPPORT] = o.support;
    out[M_COST_TOTAL] = total;
    out[M_ACCEPTED] = (double)s->work.outcomes;
    out[M_DELIVERY_DAY] = o.delivery_day;
    out[M_DELIVERED] = 1;
    met_derive(out, met_delay(o.delivery_day, target, per_day));
}

int sheet_alternative(const scn_scenario *s, size_t a, double out[M_COUNT])
{
    const scn_alternative *alt = &s->alts[a];
    if (alt->kind == ALT_BID) {
        for (int m = 0; m < M_COUNT; m++)
            out[m] = NAN;
        sheet_bid(s, alt, person_mean(&s->senior, &s->cal), person_mean(&s->pm, &s->cal), out);
        return 0;
    }
    fluid_src src[MAX_SOURCES_FLUID];
    size_t n = alt->nsources < MAX_SOURCES_FLUID ? alt->nsources : MAX_SOURCES_FLUID;
    for (int m = 0; m < M_COUNT; m++)
        out[m] = NAN;
    for (size_t i = 0; i < n; i++)
        fluid_init(&alt->sources[i], &s->cal, &src[i]);

    double H = s->work.horizon_days, T = H;
    int delivered = 1;
    if (s->work.outcomes > 0) {
        fluid F = {src, n, !s->work.replace_superseded, (double)s->work.outcomes};
        double t = fluid_solve(&F, H);
        if (isnan(t))
            return -1;
        if (t < 0)
            delivered = 0;
        else
            T = t;
    }
    double senior = person_mean(&s->senior, &s->cal), pm = person_mean(&s->pm, &s->cal);
    double direct = 0, internal = 0, support = 0;
    double accepted = 0, passes = 0, rework = 0, superseded = 0;
    for (size_t i = 0; i < n; i++) {
        const fluid_src *f = &src[i];
        const src_params *p = &alt->sources[i];
        double items = f->rho * src_effective(&f->d, T);
        double acc = items * f->pacc, ps = items * f->ppass;
        accepted += acc;
        passes += ps;
        rework += items * f->prework;
        superseded += items * (1 - f->pacc);
        src_costs c = src_time_costs(&f->d, p->min_months, &s->cal, senior, pm, T);
        direct += c.direct;
        internal += c.internal;
        src_pass_costs(p, SRC_PASS_MEAN, NULL, ps, &senior, &direct, &internal);
        support += acc * f->d.defect_rate * dist_mean(&p->defect_cost);
    }
    for (size_t i = 0; i < alt->noverheads; i++)
        direct += dist_mean(&alt->overheads[i].monthly_cost) * T / s->cal.days_per_month;
    double total = met_total(direct, internal, support);
    double delay = 0;
    if (s->work.outcomes > 0) {
        double per_day = scn_cod_per_day(&s->work, dist_mean(&s->work.cod));
        double target = dist_mean(&s->work.target_day);
        delay = met_delay(T, target, per_day);
        /* The fluid count reaches exactly `outcomes`. */
        if (delivered && s->work.replace_superseded)
            accepted = (double)s->work.outcomes;
    }
    out[M_COST_DIRECT] = direct;
    out[M_COST_INTERNAL] = internal;
    out[M_COST_SUPPORT] = support;
    out[M_COST_TOTAL] = total;
    out[M_ACCEPTED] = accepted;
    out[M_PASSES] = passes;
    out[M_REWORK_PASSES] = rework;
    out[M_SUPERSEDED] = superseded;
    out[M_DELIVERY_DAY] = T;
    out[M_DELIVERED] = delivered;
    met_derive(out, delay);
    return 0;
}
