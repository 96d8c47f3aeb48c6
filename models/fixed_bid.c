/*
 * fixed_bid — a partner's fixed price for the whole scope (model §8).  Not
 * a source kind: an alternative of its own, read here so that every YAML
 * reader of the model lives in models/.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models.h"

const char *const model_bid_keys[] = {
    "price", "delivery_days", "late_penalty_per_day", "due_day", "penalty_cap",
    "change_orders", "oversight", "escaped_defects_per_outcome", "defect_cost",
    "warranty_covers_defects", NULL,
};
const char *const model_bid_co_keys[] = {"count_mean", "cost", NULL};

static int constant(const yt_doc *doc, const yt_node *v, const char *what, double *out, diag *d)
{
    if (yt_number(doc, v, what, out, d))
        return -1;
    if (*out < 0)
        return yt_error(doc, v, d, "'%s' must be >= 0, not %g", what, *out);
    return 0;
}

int model_read_fixed_bid(const yt_doc *doc, const yt_node *map, bid_params *b, diag *d)
{
    b->penalty_cap = INFINITY;
    if (map->kind != YT_MAP)
        return yt_error(doc, map, d, "'fixed_bid' must be a mapping, not %s", yt_kind_name(map));
    if (yt_check_keys(doc, map, "'fixed_bid'", model_bid_keys, d))
        return -1;
    const yt_node *v;
    if (!(v = yt_get(map, "price", NULL)))
        return yt_error(doc, map, d, "'fixed_bid' needs 'price'");
    if (dist_parse(doc, v, "fixed_bid.price", DOM_NONNEG, &b->price, d))
        return -1;
    if (!(v = yt_get(map, "delivery_days", NULL)))
        return yt_error(doc, map, d, "'fixed_bid' needs 'delivery_days'");
    if (dist_parse(doc, v, "fixed_bid.delivery_days", DOM_NONNEG, &b->delivery_days, d))
        return -1;
    const yt_node *lp = yt_get(map, "late_penalty_per_day", NULL), *due = yt_get(map, "due_day", NULL);
    if (lp && !due)
        return yt_error(doc, lp, d, "'late_penalty_per_day' needs 'due_day' (from when it runs)");
    if (lp && dist_parse(doc, lp, "fixed_bid.late_penalty_per_day", DOM_NONNEG,
                         &b->late_penalty_per_day, d))
        return -1;
    if (due) {
        if (constant(doc, due, "fixed_bid.due_day", &b->due_day, d))
            return -1;
        b->has_due_day = 1;
    }
    if ((v = yt_get(map, "penalty_cap", NULL))) {
        if (!lp)
            return yt_error(doc, v, d, "'penalty_cap' needs 'late_penalty_per_day'");
        if (constant(doc, v, "fixed_bid.penalty_cap", &b->penalty_cap, d))
            return -1;
    }
    if ((v = yt_get(map, "change_orders", NULL))) {
        const model_subkey sk[] = {{model_bid_co_keys[0], &b->co_count_mean, DOM_NONNEG},
                                   {model_bid_co_keys[1], &b->co_cost, DOM_NONNEG}};
        if (model_read_subkeys(doc, v, "fixed_bid.change_orders", sk, 2, 1, d))
            return -1;
    }
    if ((v = yt_get(map, "oversight", NULL))) {
        const model_subkey sk[] = {{model_oversight_keys[0], &b->senior_hours_per_week, DOM_NONNEG},
                                   {model_oversight_keys[1], &b->pm_hours_per_week, DOM_NONNEG}};
        if (model_read_subkeys(doc, v, "fixed_bid.oversight", sk, 2, 0, d))
            return -1;
    }
    const yt_node *ed = yt_get(map, "escaped_defects_per_outcome", NULL),
                  *dc = yt_get(map, "defect_cost", NULL);
    if (ed && !dc)
        return yt_error(doc, ed, d, "'escaped_defects_per_outcome' needs 'defect_cost' beside it");
    if (dc && !ed)
        return yt_error(doc, dc, d, "'defect_cost' needs 'escaped_defects_per_outcome' beside it");
    if (ed && (dist_parse(doc, ed, "fixed_bid.escaped_defects_per_outcome", DOM_NONNEG,
                          &b->defect_rate, d) ||
               dist_parse(doc, dc, "fixed_bid.defect_cost", DOM_NONNEG, &b->defect_cost, d)))
        return -1;
    if ((v = yt_get(map, "warranty_covers_defects", NULL)) &&
        yt_bool(doc, v, "fixed_bid.warranty_covers_defects", &b->warranty_covers_defects, d))
        return -1;
    return 0;
}
