/*
 * kinds — one row per kind of capacity source (model §5): its name,
 * summary, help, pay basis, the pay keys it takes (models/keylist.h), its
 * required sets as data, its defaults and an example for `capmix init`.
 * Adding a kind is one row here; the reader, validate, help, init and
 * calibrate find it through model_kinds.
 */
#include <stddef.h>

#include "models.h"

#define K(key) MK_SOURCE_##key

const model_kind model_kinds[] = {
    /* in_house — a salaried internal team paid whether or not it ships */
    {
        .name = "in_house",
        .summary = "a salaried internal team paid whether or not it ships",
        .help = "An internal team on salary: headcount x loaded_annual / 12 a month, from its start\n"
                "to the end of the alternative.  Throughput is required (observed items and days,\n"
                "or throughput_per_month).  Typical extras: oversight, review_wait_days, outcomes.",
        .pay = MODEL_PAY_SALARIED,
        .pay_keys = {K(loaded_annual), K(hours_per_month)},
        .required = {{{K(headcount)}}, {{K(loaded_annual)}}, {{K(throughput)}, {K(throughput_per_month)}}},
        .defaults = NULL,
        .example =
        "      - kind: in_house\n"
        "        name: team\n"
        "        headcount: 5\n"
        "        loaded_annual: 250000            # per person, fully loaded\n"
        "        throughput: {observed: {items: 30, days: 90}}   # passes completed lately\n"
        "        outcomes: {accepted: 0.8, rework: 0.15, superseded: 0.05}\n"
        "        review_wait_days: {dist: triangular, min: 1, mode: 2, max: 6}\n",
    },
    /* ai_team — an internal team with AI tools that pays an inference (token) bill */
    {
        .name = "ai_team",
        .summary = "an internal team with AI tools that pays an inference (token) bill",
        .help = "An AI-augmented internal team: salaried (headcount x loaded_annual) plus tokens:\n"
                "{monthly, growth_per_month, per_item} — the monthly bill compounds continuously\n"
                "at growth_per_month, plus a per-pass charge.  Typical extras:\n"
                "escaped_defects_per_outcome with defect_cost (the support tail).",
        .pay = MODEL_PAY_METERED,
        .pay_keys = {K(loaded_annual), K(hours_per_month)},
        .required = {{{K(headcount)}}, {{K(loaded_annual)}}, {{K(throughput)}, {K(throughput_per_month)}}, {{K(tokens)}}},
        .defaults = NULL,
        .example =
        "      - kind: ai_team\n"
        "        name: team\n"
        "        headcount: 4\n"
        "        loaded_annual: 280000\n"
        "        throughput_per_month: {dist: pert, min: 3.5, mode: 5, max: 6.5}\n"
        "        outcomes: {accepted: 0.85, rework: 0.12, superseded: 0.03}\n"
        "        tokens:\n"
        "          monthly: 22000                 # the inference bill at the start\n"
        "          growth_per_month: 0.05         # +5 % a month, compounding\n"
        "          per_item: {dist: gamma, mean: 400, sd: 250}\n"
        "        escaped_defects_per_outcome: 0.3\n"
        "        defect_cost: {dist: triangular, min: 1000, mode: 2500, max: 9000}\n",
    },
    /* offshore_pod — a vendor team billed by the hour, in another time zone */
    {
        .name = "offshore_pod",
        .summary = "a vendor team billed by the hour, in another time zone",
        .help = "An offshore pod through a vendor: headcount x hourly_rate x hours_per_month a month\n"
                "(time and materials).  Outcomes (accepted/rework/superseded, or observed counts)\n"
                "are required: acceptance is the pod's main uncertainty.  Typical extras:\n"
                "oversight (time-zone clarification by a PM, review by a senior), review_wait_days.",
        .pay = MODEL_PAY_HOURLY,
        .pay_keys = {K(hourly_rate), K(hours_per_month), K(monthly_fee), K(min_months)},
        .required = {{{K(headcount)}}, {{K(hourly_rate)}}, {{K(throughput)}, {K(throughput_per_month)}}, {{K(outcomes)}}},
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
    },
    /* staff_augmentation — contractors embedded in our teams, billed by the hour, who ramp up */
    {
        .name = "staff_augmentation",
        .summary = "contractors embedded in our teams, billed by the hour, who ramp up",
        .help = "Staff augmentation: contractors billed headcount x hourly_rate x hours_per_month,\n"
                "who ramp up linearly from ramp_from (default 1) to full productivity over\n"
                "ramp_days (required).  Typical extras: oversight (supervision),\n"
                "escaped_defects_per_outcome, onboarding_cost, min_months.",
        .pay = MODEL_PAY_HOURLY,
        .pay_keys = {K(hourly_rate), K(hours_per_month), K(min_months)},
        .required = {{{K(headcount)}}, {{K(hourly_rate)}}, {{K(throughput)}, {K(throughput_per_month)}}, {{K(ramp_days)}}},
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
    },
    /* consultants — a consultancy or systems integrator on rates or a retainer */
    {
        .name = "consultants",
        .summary = "a consultancy or systems integrator on rates or a retainer",
        .help = "Consultants or a systems integrator: hourly_rate with headcount (time and materials)\n"
                "or a monthly_fee retainer, billed for at least min_months.  Typical extras:\n"
                "change_orders {probability_per_item, cost}, exit_cost (knowledge transfer).",
        .pay = MODEL_PAY_RETAINER,
        .pay_keys = {K(hourly_rate), K(hours_per_month), K(monthly_fee), K(min_months)},
        .required = {{{K(hourly_rate), K(headcount)}, {K(monthly_fee)}}, {{K(throughput)}, {K(throughput_per_month)}}},
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
    },
    {.name = NULL},
};
