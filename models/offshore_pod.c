/*
 * offshore_pod — a vendor team billed by the hour, in another time zone
 */
#include "models.h"

static const char *const pay_keys[] = {
    "hourly_rate", "hours_per_month", "monthly_fee", "min_months",
    NULL,
};

static const char *const required[] = {"headcount", "hourly_rate", "throughput|throughput_per_month", "outcomes", NULL};

const model_kind model_offshore_pod = {
    .name = "offshore_pod",
    .summary = "a vendor team billed by the hour, in another time zone",
    .help = "An offshore pod through a vendor: headcount x hourly_rate x hours_per_month a month\n"
            "(time and materials).  Outcomes (accepted/rework/superseded, or observed counts)\n"
            "are required: acceptance is the pod's main uncertainty.  Typical extras:\n"
            "oversight (time-zone clarification by a PM, review by a senior), review_wait_days.",
    .pay_keys = pay_keys,
    .required = required,
    .defaults = NULL,
    .example =
    "      - kind: offshore_pod\n"
    "        name: pod\n"
    "        headcount: 6\n"
    "        hourly_rate: 85\n"
    "        throughput: {observed: {items: 24, days: 90}}\n"
    "        outcomes: {observed: {accepted: 14, rework: 6, superseded: 4}}\n"
    "        review_wait_days: {dist: pert, min: 3, mode: 8, max: 20}\n"
    "        oversight: {senior_hours_per_week: 8, pm_hours_per_week: 4}\n",
};
