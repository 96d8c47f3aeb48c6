/*
 * in_house — a salaried internal team paid whether or not it ships
 */
#include "models.h"

static const char *const pay_keys[] = {
    "loaded_annual", "hours_per_month",
    NULL,
};

static const char *const required[] = {"headcount", "loaded_annual", "throughput|throughput_per_month", NULL};

const model_kind model_in_house = {
    .name = "in_house",
    .summary = "a salaried internal team paid whether or not it ships",
    .help = "An internal team on salary: headcount x loaded_annual / 12 a month, from its start\n"
            "to the end of the alternative.  Throughput is required (observed items and days,\n"
            "or throughput_per_month).  Typical extras: oversight, review_wait_days, outcomes.",
    .pay_keys = pay_keys,
    .required = required,
    .defaults = NULL,
    .example =
    "      - kind: in_house\n"
    "        name: team\n"
    "        headcount: 5\n"
    "        loaded_annual: 250000            # per person, fully loaded\n"
    "        throughput: {observed: {items: 30, days: 90}}   # passes completed lately\n"
    "        outcomes: {accepted: 0.8, rework: 0.15, superseded: 0.05}\n"
    "        review_wait_days: {dist: triangular, min: 1, mode: 2, max: 6}\n",
};
