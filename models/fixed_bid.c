/*
 * fixed_bid — a partner's fixed price for the whole scope (model §8).  Not
 * a source kind: an alternative of its own; its keys are named here, its
 * reader is sim/input/kindread.c.
 */
#include "models.h"

const char *const model_bid_keys[] = {
    "price", "delivery_days", "late_penalty_per_day", "due_day", "penalty_cap",
    "change_orders", "oversight", "escaped_defects_per_outcome", "defect_cost",
    "warranty_covers_defects", NULL,
};
const char *const model_bid_co_keys[] = {"count_mean", "cost", NULL};
