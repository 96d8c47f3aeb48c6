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
};
