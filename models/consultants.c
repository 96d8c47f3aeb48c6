/*
 * consultants — a consultancy or systems integrator on rates or a retainer
 */
#include "models.h"

static const char *const pay_keys[] = {
    "hourly_rate", "hours_per_month", "monthly_fee", "min_months",
    NULL,
};

static const char *const required[] = {"hourly_rate+headcount|monthly_fee", "throughput|throughput_per_month", NULL};

const model_kind model_consultants = {
    .name = "consultants",
    .summary = "a consultancy or systems integrator on rates or a retainer",
    .help = "Consultants or a systems integrator: hourly_rate with headcount (time and materials)\n"
            "or a monthly_fee retainer, billed for at least min_months.  Typical extras:\n"
            "change_orders {probability_per_item, cost}, exit_cost (knowledge transfer).",
    .pay_keys = pay_keys,
    .required = required,
    .defaults = NULL,
    .example =
    "      - kind: consultants\n"
    "        name: si\n"
    "        monthly_fee: 95000               # or hourly_rate with headcount\n"
    "        min_months: 3\n"
    "        throughput: {observed: {items: 18, days: 60}}\n"
    "        outcomes: {accepted: 0.75, rework: 0.2, superseded: 0.05}\n"
    "        change_orders: {probability_per_item: 0.1, cost: {dist: gamma, mean: 20000, sd: 12000}}\n"
    "        exit_cost: 30000\n",
};
