/*
 * scenario — the operations on a typed scenario that need no file: release,
 * lookup and removal of an alternative, the cost of delay per day, and the
 * heavy-tail test of model §18.16.  The loader is sim/input/scenario.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static void alt_release(scn_alternative *a)
{
    bid_params_release(&a->bid);
    free(a->rules);
    for (size_t j = 0; j < a->nsources; j++)
        src_params_release(&a->sources[j]);
    for (size_t j = 0; j < a->noverheads; j++) {
        dist_release(&a->overheads[j].monthly_cost);
        dist_release(&a->overheads[j].wait_factor);
    }
    free(a->sources);
    free(a->overheads);
}

void scn_free(scn_scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nalts; i++)
        alt_release(&s->alts[i]);
    free(s->alts);
    dist_release(&s->senior.rate);
    dist_release(&s->pm.rate);
    dist_release(&s->work.target_day);
    dist_release(&s->work.cod);
    cop_release(&s->corr);
    scn_question *q[] = {&s->sweep, &s->breakeven};
    for (size_t i = 0; i < 2; i++) {
        free(q[i]->set);
        free(q[i]->x);
        free(q[i]->y);
        free(q[i]->metric);
        free(q[i]->between[0]);
        free(q[i]->between[1]);
    }
    free(s->file);
    free(s->path);
    free(s->text);
    free(s);
}

int scn_find_alt(const scn_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->nalts; i++)
        if (strcmp(s->alts[i].name, name) == 0)
            return (int)i;
    return -1;
}

char *scn_alt_hint(const scn_scenario *s, const char *name, char *buf, size_t n)
{
    const char *names[65];
    size_t k = 0;
    for (; k < s->nalts && k < 64; k++)
        names[k] = s->alts[k].name;
    names[k] = NULL;
    if (n)
        buf[0] = '\0';
    return diag_hint(buf, n, name, names);
}

void scn_remove_alt(scn_scenario *s, size_t i)
{
    if (i >= s->nalts)
        return;
    alt_release(&s->alts[i]);
    memmove(&s->alts[i], &s->alts[i + 1], (s->nalts - i - 1) * sizeof *s->alts);
    s->nalts--;
    if (s->baseline == i)
        s->baseline = 0;
    else if (s->baseline > i)
        s->baseline--;
}

double scn_cod_per_day(const scn_work *w, double drawn)
{
    return w->cod_annual ? drawn / w->cod_days_per_year : drawn;
}

/* Model §18.16: E[exp(C/R)] is infinite for a lognormal cost, and for a
 * gamma cost whose scale is at least R.  An input enters a cost multiplied
 * by k (months × headcount × hours for an hourly rate, days late for a cost
 * of delay, ...): a gamma input X contributes k·X, a gamma of scale k·θ, so
 * the test is k·θ >= R with k at its largest over the horizon (the run can
 * reach the horizon with positive probability).  Item-level costs are
 * summed, not multiplied: k = 1 for them.  Append the input's name to buf
 * when it is such. */
static void note_heavy(const dist *x, double k, double R, const char *name, char *buf, size_t n,
                       int *count)
{
    int heavy = k > 0 && (dist_heavy_tailed(x) || (x->kind == DIST_GAMMA && k * x->b >= R));
    if (!heavy)
        return;
    size_t used = strlen(buf);
    if (*count < 3 && used + strlen(name) + 3 < n)
        snprintf(buf + used, n - used, "%s%s", *count ? ", " : "", name);
    (*count)++;
}

/* The largest value a dist can take (+Inf when unbounded). */
static double top(const dist *x)
{
    double lo, hi;
    dist_support(x, &lo, &hi);
    return hi;
}

int scn_heavy_tails(const scn_scenario *s, double R, char *names, size_t nnames)
{
    names[0] = '\0';
    if (!isfinite(R))
        return 0;
    int count = 0;
    size_t nn = nnames;
    const src_calendar *cal = &s->cal;
    double months = s->work.horizon_days / cal->days_per_month;
    double senior = s->senior.present ? top(&s->senior.rate) / (s->senior.hourly ? 1 : cal->hours_per_year) : 0;
    double pm = s->pm.present ? top(&s->pm.rate) / (s->pm.hourly ? 1 : cal->hours_per_year) : 0;
    /* hours a week the internal roles can be asked for, over every source */
    double senior_hpw = 0, pm_hpw = 0, bid_days = 0;
    for (size_t a = 0; a < s->nalts; a++) {
        const scn_alternative *alt = &s->alts[a];
        if (alt->kind == ALT_BID) {
            senior_hpw += top(&alt->bid.senior_hours_per_week);
            pm_hpw += top(&alt->bid.pm_hours_per_week);
            bid_days = fmax(bid_days, top(&alt->bid.delivery_days));
        }
        for (size_t i = 0; i < alt->nsources; i++) {
            senior_hpw += top(&alt->sources[i].senior_hours_per_week);
            pm_hpw += top(&alt->sources[i].pm_hours_per_week);
        }
    }
    double span = fmax(s->work.horizon_days, bid_days);
    double span_months = span / cal->days_per_month;
    note_heavy(&s->senior.rate, senior_hpw * cal->weeks_per_month * span_months / (s->senior.hourly ? 1 : cal->hours_per_year),
               R, "people.senior_engineer", names, nn, &count);
    note_heavy(&s->pm.rate, pm_hpw * cal->weeks_per_month * span_months / (s->pm.hourly ? 1 : cal->hours_per_year), R,
               "people.product_manager", names, nn, &count);
    double target_lo, target_hi;
    dist_support(&s->work.target_day, &target_lo, &target_hi);
    double late_days = s->work.outcomes > 0 ? span - fmax(0, target_lo) : 0;
    note_heavy(&s->work.cod, late_days / (s->work.cod_annual ? s->work.cod_days_per_year : 1), R,
               "work.cost_of_delay", names, nn, &count);
    for (size_t a = 0; a < s->nalts; a++) {
        const scn_alternative *alt = &s->alts[a];
        char nm[160];
        if (alt->kind == ALT_BID) {
            const bid_params *b = &alt->bid;
            /* a bid is never cut at the horizon: its days multiply oversight and delay */
            double per_day = (top(&b->senior_hours_per_week) * senior + top(&b->pm_hours_per_week) * pm) *
                                 cal->weeks_per_month / cal->days_per_month +
                             (s->work.outcomes > 0 ? top(&s->work.cod) / (s->work.cod_annual ? s->work.cod_days_per_year : 1) : 0);
            const dist *bd[] = {&b->price, &b->co_cost, &b->defect_cost, &b->delivery_days,
                                &b->senior_hours_per_week, &b->pm_hours_per_week};
            const double bk[] = {1, 1, 1, per_day, senior * cal->weeks_per_month * bid_days / cal->days_per_month,
                                 pm * cal->weeks_per_month * bid_days / cal->days_per_month};
            const char *bn[] = {"price", "change_orders.cost", "defect_cost", "delivery_days",
                                "oversight.senior_hours_per_week", "oversight.pm_hours_per_week"};
            for (size_t k = 0; k < 6; k++) {
                snprintf(nm, sizeof nm, "%s.%s", alt->name, bn[k]);
                note_heavy(bd[k], bk[k], R, nm, names, nn, &count);
            }
        }
        for (size_t i = 0; i < alt->nsources; i++) {
            const src_params *p = &alt->sources[i];
            double hc = top(&p->headcount);
            double hpm = p->has_hours_per_month ? top(&p->hours_per_month) : cal->hours_per_month;
            double bill = fmax(months, p->min_months);
            double g = top(&p->tok_growth);
            double tok_k = src_token_cost(1, isfinite(g) ? g : 10, months);
            const dist *sd[] = {&p->hourly_rate, &p->monthly_fee, &p->loaded_annual, &p->tok_monthly,
                                &p->tok_per_item, &p->co_cost, &p->defect_cost, &p->onboarding_cost,
                                &p->exit_cost, &p->review_hours_per_item, &p->senior_hours_per_week,
                                &p->pm_hours_per_week};
            const double sk[] = {hc * hpm * bill, bill, hc * months / 12, tok_k, 1, 1, 1, 1, 1, senior,
                                 senior * cal->weeks_per_month * months, pm * cal->weeks_per_month * months};
            const char *sn[] = {"hourly_rate", "monthly_fee", "loaded_annual", "tokens.monthly",
                                "tokens.per_item", "change_orders.cost", "defect_cost",
                                "onboarding_cost", "exit_cost", "review_hours_per_item",
                                "oversight.senior_hours_per_week", "oversight.pm_hours_per_week"};
            for (size_t k = 0; k < 12; k++) {
                snprintf(nm, sizeof nm, "%s/%s.%s", alt->name, p->name, sn[k]);
                note_heavy(sd[k], sk[k], R, nm, names, nn, &count);
            }
        }
        for (size_t i = 0; i < alt->noverheads; i++) {
            snprintf(nm, sizeof nm, "%s.%s.monthly_cost", alt->name, alt->overheads[i].name);
            note_heavy(&alt->overheads[i].monthly_cost, months, R, nm, names, nn, &count);
        }
    }
    return count;
}

void scn_heavy_tail_warning(const scn_scenario *s, double R, char *buf, size_t n)
{
    char names[160];
    buf[0] = '\0';
    if (s->decision.measure != RISK_CE)
        return;
    int count = scn_heavy_tails(s, R, names, sizeof names);
    if (count)
        snprintf(buf, n,
                 "%d cost input%s heavy-tailed (%s%s): at a finite risk tolerance the certainty "
                 "equivalent does not exist and sample CEs are unstable; consider decision: "
                 "{risk_measure: cvar}",
                 count, count == 1 ? " is" : "s are", names, count > 3 ? ", ..." : "");
}
