/*
 * metrics — the metric names (model §3).
 */
#include <string.h>

#include "metrics.h"

static const char *const metric_names[M_COUNT + 1] = {
    "cost_direct",    "cost_internal", "cost_support",  "cost_total",
    "accepted",       "passes",        "rework_passes", "superseded",
    "delivery_day",   "delivered",     "delay_cost",    "blended_cost",
    "cost_per_outcome", "cycle_days",  "flow_efficiency", NULL,
};

const char *eng_metric_name(eng_metric m)
{
    return (unsigned)m < M_COUNT ? metric_names[m] : "?";
}

const char *const *eng_metric_names(void)
{
    return metric_names;
}

int eng_metric_find(const char *name)
{
    for (int i = 0; i < M_COUNT; i++)
        if (strcmp(metric_names[i], name) == 0)
            return i;
    return -1;
}
