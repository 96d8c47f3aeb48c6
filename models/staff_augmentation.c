/*
 * staff_augmentation — contractors embedded in our teams, billed by the hour, who ramp up
 */
#include "models.h"

static const char *const pay_keys[] = {
    "hourly_rate", "hours_per_month", "min_months",
    NULL,
};

static const char *const required[] = {"headcount", "hourly_rate", "throughput|throughput_per_month", "ramp_days", NULL};

const model_kind model_staff_augmentation = {
    .name = "staff_augmentation",
    .summary = "contractors embedded in our teams, billed by the hour, who ramp up",
    .help = "Staff augmentation: contractors billed headcount x hourly_rate x hours_per_month,\n"
            "who ramp up linearly from ramp_from (default 1) to full productivity over\n"
            "ramp_days (required).  Typical extras: oversight (supervision),\n"
            "escaped_defects_per_outcome, onboarding_cost, min_months.",
    .pay_keys = pay_keys,
    .required = required,
    .defaults = NULL,
};
