/*
 * costonly — the cost-only test of model §18.46 (see costonly.h).
 */
#include <string.h>

#include "costonly.h"

/* Tripwires: this test lists fields, so a field added to any of these
 * structs would be taken as "unchanged" and a point that changes it could
 * be re-costed into wrong figures.  When one fires, decide whether the new
 * field is cost-only (cost_leaf), timeline (same_timeline, same_world) or
 * neither, then update the size here.  Checked on LP64 x86-64 only, where
 * the sizes are known. */
#if defined(__x86_64__) && defined(__LP64__)
_Static_assert(sizeof(src_params) == 2560, "src_params changed: revisit source_cost_only/same_timeline");
_Static_assert(sizeof(scn_alternative) == 1040, "scn_alternative changed: revisit scn_cost_only_change");
_Static_assert(sizeof(scn_overhead) == 256, "scn_overhead changed: revisit scn_cost_only_change");
_Static_assert(sizeof(scn_work) == 248, "scn_work changed: revisit same_world");
_Static_assert(sizeof(scn_person) == 104, "scn_person changed: revisit same_person");
_Static_assert(sizeof(src_calendar) == 32, "src_calendar changed: revisit same_world");
_Static_assert(sizeof(scn_scenario) == 20568, "scn_scenario changed: revisit same_world");
#endif

/* Bitwise: -0.0 and 0.0 compare equal but are not the same input. */
static int same_bits(double x, double y)
{
    return !memcmp(&x, &y, sizeof x);
}

/* A cost-only quantity may change between constants (no draw either way). */
static int cost_leaf(const dist *x, const dist *y)
{
    return dist_same(x, y) || (dist_is_const(x) && dist_is_const(y));
}

static int same_outcomes(const src_outcomes *x, const src_outcomes *y)
{
    if (x->present != y->present || x->observed != y->observed)
        return 0;
    for (int i = 0; i < OC_COUNT; i++)
        if (!same_bits(x->p[i], y->p[i]))
            return 0;
    return 1;
}

/* Everything the timeline or a stream's draw count reads. */
static int same_timeline(const src_params *x, const src_params *y)
{
    return !strcmp(x->name, y->name) && !strcmp(x->kind, y->kind) && x->lanes == y->lanes &&
           x->has == y->has && x->has_hours_per_month == y->has_hours_per_month &&
           x->tp == y->tp && same_bits(x->tp_items, y->tp_items) && same_bits(x->tp_days, y->tp_days) &&
           x->has_item_size == y->has_item_size && x->max_rework_cycles == y->max_rework_cycles &&
           !memcmp(x->cslot, y->cslot, sizeof x->cslot) && same_outcomes(&x->outcomes, &y->outcomes) &&
           same_outcomes(&x->rework_outcomes, &y->rework_outcomes) &&
           dist_same(&x->headcount, &y->headcount) && dist_same(&x->tp_per_month, &y->tp_per_month) &&
           dist_same(&x->item_size, &y->item_size) && dist_same(&x->ramp_from, &y->ramp_from) &&
           dist_same(&x->ramp_days, &y->ramp_days) && dist_same(&x->rework_effort, &y->rework_effort) &&
           dist_same(&x->review_wait_days, &y->review_wait_days) &&
           /* per-pass draws from the cost stream, summed in pass order */
           dist_same(&x->review_hours_per_item, &y->review_hours_per_item) &&
           dist_same(&x->co_probability, &y->co_probability) && dist_same(&x->co_cost, &y->co_cost) &&
           /* defects share the rework stream with rework efforts */
           dist_same(&x->defect_rate, &y->defect_rate) && dist_same(&x->defect_cost, &y->defect_cost) &&
           dist_same(&x->start_delay_days, &y->start_delay_days);
}

static int source_cost_only(const src_params *x, const src_params *y)
{
    if (!same_timeline(x, y))
        return 0;
    const dist *cx[] = {&x->hourly_rate, &x->hours_per_month, &x->monthly_fee, &x->loaded_annual,
                        &x->senior_hours_per_week, &x->pm_hours_per_week, &x->tok_monthly,
                        &x->tok_growth, &x->onboarding_cost, &x->exit_cost};
    const dist *cy[] = {&y->hourly_rate, &y->hours_per_month, &y->monthly_fee, &y->loaded_annual,
                        &y->senior_hours_per_week, &y->pm_hours_per_week, &y->tok_monthly,
                        &y->tok_growth, &y->onboarding_cost, &y->exit_cost};
    for (size_t i = 0; i < sizeof cx / sizeof cx[0]; i++)
        if (!cost_leaf(cx[i], cy[i]))
            return 0;
    /* with change orders, token charges and change orders interleave in
     * one per-pass sum that cannot be re-added without the order */
    if (dist_same(&x->tok_per_item, &y->tok_per_item))
        return 1;
    return !(x->has & SRC_HAS_CHANGE_ORDERS) && dist_is_const(&x->tok_per_item) &&
           dist_is_const(&y->tok_per_item);
}

static int same_person(const scn_person *x, const scn_person *y)
{
    return x->present == y->present && x->hourly == y->hourly && dist_same(&x->rate, &y->rate);
}

/* What the work stream and the timeline's clock read. */
static int same_world(const scn_scenario *a, const scn_scenario *b)
{
    const scn_work *x = &a->work, *y = &b->work;
    return a->seed == b->seed && a->trials == b->trials && !a->corr.k && !b->corr.k &&
           same_bits(a->cal.days_per_month, b->cal.days_per_month) &&
           same_bits(a->cal.weeks_per_month, b->cal.weeks_per_month) &&
           same_bits(a->cal.hours_per_year, b->cal.hours_per_year) &&
           same_bits(a->cal.hours_per_month, b->cal.hours_per_month) && same_person(&a->senior, &b->senior) &&
           same_person(&a->pm, &b->pm) && x->outcomes == y->outcomes &&
           same_bits(x->horizon_days, y->horizon_days) && dist_same(&x->target_day, &y->target_day) &&
           x->cod_annual == y->cod_annual && dist_same(&x->cod, &y->cod) &&
           same_bits(x->cod_days_per_year, y->cod_days_per_year) &&
           x->replace_superseded == y->replace_superseded && !memcmp(x->cslot, y->cslot, sizeof x->cslot);
}

int scn_cost_only_change(const scn_scenario *a, size_t ia, const scn_scenario *b, size_t ib)
{
    if (ia >= a->nalts || ib >= b->nalts || !same_world(a, b))
        return 0;
    const scn_alternative *x = &a->alts[ia], *y = &b->alts[ib];
    if (strcmp(x->name, y->name) || x->kind != ALT_MIX || y->kind != ALT_MIX || x->nrules || y->nrules ||
        x->nsources != y->nsources || x->noverheads != y->noverheads)
        return 0;
    for (size_t i = 0; i < x->nsources; i++)
        if (!source_cost_only(&x->sources[i], &y->sources[i]))
            return 0;
    for (size_t i = 0; i < x->noverheads; i++)
        if (strcmp(x->overheads[i].name, y->overheads[i].name) ||
            !dist_same(&x->overheads[i].wait_factor, &y->overheads[i].wait_factor) ||
            !cost_leaf(&x->overheads[i].monthly_cost, &y->overheads[i].monthly_cost))
            return 0;
    return 1;
}
