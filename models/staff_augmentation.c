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
    .example =
    "      - kind: staff_augmentation\n"
    "        name: contractors\n"
    "        headcount: 4\n"
    "        hourly_rate: 110\n"
    "        ramp_from: 0.3                   # productivity on day one\n"
    "        ramp_days: 45                    # full productivity after this\n"
    "        throughput_per_month: {dist: pert, min: 3, mode: 4, max: 5}\n"
    "        outcomes: {accepted: 0.75, rework: 0.2, superseded: 0.05}\n"
    "        oversight: {senior_hours_per_week: 4}\n"
    "        onboarding_cost: 8000\n",
};
