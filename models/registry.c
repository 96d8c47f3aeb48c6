/*
 * registry — the table of kinds and the keys they understand.  Each kind
 * only says which keys it allows and requires (its own file); the one
 * reader that turns a source's YAML mapping into src_params is
 * sim/input/kindread.c.
 */
#include <stddef.h>
#include <string.h>

#include "models.h"

const model_kind *const model_kinds[] = {
    &model_in_house, &model_ai_team, &model_offshore_pod, &model_staff_augmentation,
    &model_consultants, NULL,
};

const char *const model_all_keys[] = {
    "name", "kind", "headcount", "lanes", "hourly_rate", "hours_per_month", "monthly_fee",
    "loaded_annual", "throughput", "throughput_per_month", "item_size", "ramp_from",
    "ramp_days", "outcomes", "rework_outcomes", "rework_effort", "max_rework_cycles",
    "review_wait_days", "review_hours_per_item", "oversight", "tokens", "change_orders",
    "escaped_defects_per_outcome", "defect_cost", "onboarding_cost", "exit_cost",
    "min_months", "start_delay_days", NULL,
};

const char *const model_common_keys[] = {
    "kind", "name", "headcount", "lanes", "throughput", "throughput_per_month", "item_size",
    "ramp_from", "ramp_days", "outcomes", "rework_outcomes", "rework_effort",
    "max_rework_cycles", "review_wait_days", "review_hours_per_item", "oversight", "tokens",
    "change_orders", "escaped_defects_per_outcome", "defect_cost", "onboarding_cost",
    "exit_cost", "start_delay_days", NULL,
};

/* Sub-mapping keys, named once here for the reader and for `capmix help`. */
const char *const model_outcome_keys[] = {"accepted", "rework", "superseded", NULL};
const char *const model_observed_key[] = {"observed", NULL};
const char *const model_tp_keys[] = {"items", "days", NULL};
const char *const model_oversight_keys[] = {"senior_hours_per_week", "pm_hours_per_week", NULL};
const char *const model_tokens_keys[] = {"monthly", "growth_per_month", "per_item", NULL};
const char *const model_co_keys[] = {"probability_per_item", "cost", NULL};

const char *const *model_keys(const char *section)
{
    static const struct {
        const char *section;
        const char *const *keys;
    } tables[] = {
        {"source", model_all_keys},       {"outcomes", model_outcome_keys},
        {"outcomes.observed", model_outcome_keys},   {"throughput", model_observed_key},
        {"throughput.observed", model_tp_keys}, {"oversight", model_oversight_keys},
        {"tokens", model_tokens_keys},          {"change_orders", model_co_keys},
        {"fixed_bid", model_bid_keys},    {"fixed_bid.change_orders", model_bid_co_keys},
        {"fixed_bid.oversight", model_oversight_keys},
    };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (!strcmp(tables[i].section, section))
            return tables[i].keys;
    return NULL;
}

const model_kind *model_find(const char *name)
{
    for (size_t i = 0; model_kinds[i]; i++)
        if (strcmp(model_kinds[i]->name, name) == 0)
            return model_kinds[i];
    return NULL;
}

const char *const *model_kind_names(void)
{
    static const char *const names[] = {"in_house", "ai_team", "offshore_pod",
                                        "staff_augmentation", "consultants", NULL};
    return names;
}
