/*
 * ai_team — an internal team with AI tools that pays an inference (token) bill
 */
#include "models.h"

static const char *const pay_keys[] = {
    "loaded_annual", "hours_per_month",
    NULL,
};

static const char *const required[] = {"headcount", "loaded_annual", "throughput|throughput_per_month", "tokens", NULL};

const model_kind model_ai_team = {
    .name = "ai_team",
    .summary = "an internal team with AI tools that pays an inference (token) bill",
    .help = "An AI-augmented internal team: salaried (headcount x loaded_annual) plus tokens:\n"
            "{monthly, growth_per_month, per_item} — the monthly bill compounds continuously\n"
            "at growth_per_month, plus a per-pass charge.  Typical extras:\n"
            "escaped_defects_per_outcome with defect_cost (the support tail).",
    .pay_keys = pay_keys,
    .required = required,
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
};
