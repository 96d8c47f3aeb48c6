/*
 * kindread — a source's YAML mapping read into src_params, and a
 * `fixed_bid:` mapping into bid_params, against the tables of models/
 * (models.h): which keys a kind allows and requires, and their domains.
 * The reading and validating of a key is the same for every kind, so it
 * lives here once.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "distparse.h"
#include "kindread.h"
#include "scenario.h"

static int in_list(const char *const *list, const char *k)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], k) == 0)
            return 1;
    return 0;
}

static int read_outcomes(const yt_doc *doc, const yt_node *n, const char *what, src_outcomes *o,
                         diag *d)
{
    char ctx[96];
    o->present = 1;
    o->line = n->line;
    o->col = n->col;
    if (n->kind != YT_MAP)
        return yt_error(doc, n, d, "'%s' must be a mapping of accepted/rework/superseded, not %s",
                        what, yt_kind_name(n));
    const yt_node *obs = yt_get(n, "observed", NULL);
    const yt_node *src = n;
    if (obs) {
        if (yt_check_keys(doc, n, what, model_section_keys(MS_OBSERVED), d))
            return -1;
        snprintf(ctx, sizeof ctx, "'%s.observed'", what);
        if (yt_check_keys(doc, obs, ctx, model_section_keys(MS_OUTCOMES), d))
            return -1;
        o->observed = 1;
        src = obs;
    } else {
        snprintf(ctx, sizeof ctx, "'%s'", what);
        if (yt_check_keys(doc, n, ctx, model_section_keys(MS_OUTCOMES), d))
            return -1;
    }
    double sum = 0;
    for (int i = 0; i < OC_COUNT; i++) {
        const yt_node *v = yt_get(src, model_section_keys(MS_OUTCOMES)[i], NULL);
        double x = 0;
        char w[96];
        snprintf(w, sizeof w, "%s.%s%s", what, obs ? "observed." : "", model_section_keys(MS_OUTCOMES)[i]);
        if (v && yt_number(doc, v, w, &x, d))
            return -1;
        if (v && o->observed && x < 0)
            return yt_error(doc, v, d, "'%s' is a count and must be >= 0, not %g", w, x);
        if (v && !o->observed && (x < 0 || x > 1))
            return yt_error(doc, v, d, "'%s' is a probability and must be within [0, 1], not %g",
                            w, x);
        o->p[i] = x;
        sum += x;
    }
    if (!o->observed && fabs(sum - 1) > 1e-9)
        return yt_error(doc, n, d, "'%s': probabilities must sum to 1, not %.12g", what, sum);
    return 0;
}

static int read_throughput(const yt_doc *doc, const yt_node *n, src_params *p, diag *d)
{
    if (yt_check_keys(doc, n, "'throughput'", model_section_keys(MS_OBSERVED), d))
        return -1;
    const yt_node *obs = yt_get(n, "observed", NULL);
    if (!obs)
        return yt_error(doc, n, d, "'throughput' needs 'observed: {items, days}'");
    if (yt_check_keys(doc, obs, "'throughput.observed'", model_section_keys(MS_TP_OBSERVED), d))
        return -1;
    const yt_node *it = yt_get(obs, "items", NULL), *dy = yt_get(obs, "days", NULL);
    if (!it || !dy)
        return yt_error(doc, obs, d, "'throughput.observed' needs both 'items' and 'days'");
    if (yt_number(doc, it, "throughput.observed.items", &p->tp_items, d) ||
        yt_number(doc, dy, "throughput.observed.days", &p->tp_days, d))
        return -1;
    if (p->tp_items < 0)
        return yt_error(doc, it, d, "'throughput.observed.items' must be >= 0, not %g", p->tp_items);
    if (p->tp_days <= 0)
        return yt_error(doc, dy, d, "'throughput.observed.days' must be > 0, not %g", p->tp_days);
    p->tp = TP_OBSERVED;
    return 0;
}

/*
 * Read the sub-mapping n of key `what` ("tokens", "fixed_bid.oversight"),
 * which holds the keys of section `sec`: unknown keys are errors with a
 * suggestion, every value is parsed as a dist of its key's domain into
 * its sk[] destination; with need_all every key is required, else at
 * least one.  Returns 0, or -1 with d set.
 */
typedef struct kind_subkey {
    model_key_id id;
    dist *dst;
} kind_subkey;

static int read_subkeys(const yt_doc *doc, const yt_node *n, const char *what, model_section sec,
                        const kind_subkey *sk, size_t nk, int need_all, diag *d)
{
    char ctx[96], w[128];
    snprintf(ctx, sizeof ctx, "'%s'", what);
    if (yt_check_keys(doc, n, ctx, model_section_keys(sec), d))
        return -1;
    int found = 0;
    for (size_t i = 0; i < nk; i++) {
        const model_key *k = &model_key_table[sk[i].id];
        const yt_node *v = yt_get(n, k->name, NULL);
        if (!v) {
            if (need_all)
                return yt_error(doc, n, d, "'%s' needs '%s'", what, k->name);
            continue;
        }
        snprintf(w, sizeof w, "%s.%s", what, k->name);
        dist_release(sk[i].dst);
        if (dist_parse(doc, v, w, k->dom, sk[i].dst, d))
            return -1;
        found++;
    }
    if (!found)
        return yt_error(doc, n, d, "'%s' is empty", what);
    return 0;
}

static int yaml_has(const char *key, void *map)
{
    return yt_get(map, key, NULL) != NULL;
}

int kind_read_source(const model_kind *k, const yt_doc *doc, const yt_node *map, src_params *p,
                     diag *d)
{
    char ctx[128];
    snprintf(ctx, sizeof ctx, "source '%s' (kind %s)", p->name, k->name);
    src_params_defaults(p);
    p->kind = k->name;
    if (k->defaults)
        k->defaults(p);

    /* Unknown keys: distinguish a typo (suggest the nearest key of this
     * kind) from a real key that belongs to another kind. */
    const char *allowed[MK_COUNT + 1];
    size_t na = 0;
    for (model_key_id id = model_section_first(MS_SOURCE); model_key_table[id].name; id++)
        if (model_kind_allows(k, id))
            allowed[na++] = model_key_table[id].name;
    allowed[na] = NULL;
    for (size_t i = 0; i < map->n; i++) {
        const char *key = map->keys[i]->str;
        if (in_list(allowed, key))
            continue;
        if (model_key_find(MS_SOURCE, key))
            return yt_error(doc, map->keys[i], d,
                            "key '%s' does not apply to kind '%s' (see 'capmix help %s')", key,
                            k->name, k->name);
        char hint[96] = "";
        diag_hint(hint, sizeof hint, key, allowed);
        return yt_error(doc, map->keys[i], d, "unknown key '%s' in %s%s", key, ctx, hint);
    }
    for (size_t i = 0; i < MODEL_MAX_NEEDS && k->required[i][0][0]; i++) {
        if (!model_need_met(&k->required[i], yaml_has, (void *)map)) {
            char need[160];
            model_need_describe(&k->required[i], 0, need, sizeof need);
            return yt_error(doc, map, d, "%s needs %s", ctx, need);
        }
    }

    /* the plain quantities, in table order, each into its field */
    for (model_key_id id = model_section_first(MS_SOURCE); model_key_table[id].name; id++) {
        const model_key *pk = &model_key_table[id];
        const yt_node *v = pk->field == MODEL_NO_FIELD ? NULL : yt_get(map, pk->name, NULL);
        if (!v)
            continue;
        dist *dst = (dist *)((char *)p + pk->field);
        dist_release(dst);
        if (dist_parse(doc, v, pk->name, pk->dom, dst, d))
            return -1;
        p->has |= pk->has;
        if (id == MK_SOURCE_item_size)
            p->has_item_size = 1;
        if (id == MK_SOURCE_hours_per_month)
            p->has_hours_per_month = 1;
        if (id == MK_SOURCE_throughput_per_month)
            p->tp = TP_PER_MONTH;
    }

    const yt_node *v;
    if ((v = yt_get(map, "lanes", NULL))) {
        long long lanes;
        if (yt_integer(doc, v, "lanes", 1, 100000, &lanes, d))
            return -1;
        p->lanes = (int)lanes;
    }
    if ((v = yt_get(map, "max_rework_cycles", NULL))) {
        long long m;
        if (yt_integer(doc, v, "max_rework_cycles", 0, SRC_MAX_REWORK_CYCLES, &m, d))
            return -1;
        p->max_rework_cycles = (int)m;
    }
    if ((v = yt_get(map, "min_months", NULL))) {
        if (yt_number(doc, v, "min_months", &p->min_months, d))
            return -1;
        if (p->min_months < 0)
            return yt_error(doc, v, d, "'min_months' must be >= 0, not %g", p->min_months);
        /* a minimum term bills months nobody works: unbounded, its cost
         * overflows (or, at 1e300 months, passes every cost check as a
         * finite number no sum can hold) */
        if (p->min_months > SCN_MAX_MIN_MONTHS)
            return yt_error(doc, v, d, "'min_months' is %g, beyond the %d months (a century) capmix simulates",
                            p->min_months, SCN_MAX_MIN_MONTHS);
    }
    const yt_node *tp = yt_get(map, "throughput", NULL);
    if (tp && yt_get(map, "throughput_per_month", NULL))
        return yt_error(doc, tp, d, "give either 'throughput' or 'throughput_per_month', not both");
    if (tp && read_throughput(doc, tp, p, d))
        return -1;
    if ((v = yt_get(map, "outcomes", NULL)) && read_outcomes(doc, v, "outcomes", &p->outcomes, d))
        return -1;
    if ((v = yt_get(map, "rework_outcomes", NULL)) &&
        read_outcomes(doc, v, "rework_outcomes", &p->rework_outcomes, d))
        return -1;
    if ((v = yt_get(map, "oversight", NULL))) {
        const kind_subkey sk[] = {{MK_OVERSIGHT_senior_hours_per_week, &p->senior_hours_per_week},
                                   {MK_OVERSIGHT_pm_hours_per_week, &p->pm_hours_per_week}};
        if (read_subkeys(doc, v, "oversight", MS_OVERSIGHT, sk, 2, 0, d))
            return -1;
        p->has |= SRC_HAS_OVERSIGHT;
    }
    if ((v = yt_get(map, "tokens", NULL))) {
        const kind_subkey sk[] = {{MK_TOKENS_monthly, &p->tok_monthly},
                                   {MK_TOKENS_growth_per_month, &p->tok_growth},
                                   {MK_TOKENS_per_item, &p->tok_per_item}};
        if (read_subkeys(doc, v, "tokens", MS_TOKENS, sk, 3, 0, d))
            return -1;
        double lo, hi;
        dist_support(&p->tok_growth, &lo, &hi);
        const yt_node *gn = yt_get(v, "growth_per_month", NULL);
        /* +1000 % a month compounds past any finite bill within a horizon */
        if (dist_mean(&p->tok_growth) > 10 || (isfinite(hi) && hi > 10))
            return yt_error(doc, gn ? gn : v, d,
                            "'tokens.growth_per_month' above 10 (+1000%% a month) is not supported");
        if (lo <= -1) {
            const yt_node *g = yt_get(v, "growth_per_month", NULL);
            return yt_error(doc, g ? g : v, d,
                            "'tokens.growth_per_month' must stay above -1 (a -100%% month), "
                            "but its support reaches %g",
                            lo);
        }
        p->has |= SRC_HAS_TOKENS;
    }
    if ((v = yt_get(map, "change_orders", NULL))) {
        const kind_subkey sk[] = {{MK_CHANGE_ORDERS_probability_per_item, &p->co_probability},
                                   {MK_CHANGE_ORDERS_cost, &p->co_cost}};
        if (read_subkeys(doc, v, "change_orders", MS_CHANGE_ORDERS, sk, 2, 1, d))
            return -1;
        p->has |= SRC_HAS_CHANGE_ORDERS;
    }
    if ((p->has & SRC_HAS_DEFECTS) && !yt_get(map, "defect_cost", NULL)) {
        const yt_node *k2;
        yt_get(map, "escaped_defects_per_outcome", &k2);
        return yt_error(doc, k2, d, "'escaped_defects_per_outcome' needs 'defect_cost' beside it");
    }
    if (!(p->has & SRC_HAS_DEFECTS) && (v = yt_get(map, "defect_cost", NULL))) {
        const yt_node *k2;
        yt_get(map, "defect_cost", &k2);
        return yt_error(doc, k2, d, "'defect_cost' needs 'escaped_defects_per_outcome' beside it");
    }
    return 0;
}

static int constant(const yt_doc *doc, const yt_node *v, const char *what, double *out, diag *d)
{
    if (yt_number(doc, v, what, out, d))
        return -1;
    if (*out < 0)
        return yt_error(doc, v, d, "'%s' must be >= 0, not %g", what, *out);
    return 0;
}

int kind_read_fixed_bid(const yt_doc *doc, const yt_node *map, bid_params *b, diag *d)
{
    b->penalty_cap = INFINITY;
    if (map->kind != YT_MAP)
        return yt_error(doc, map, d, "'fixed_bid' must be a mapping, not %s", yt_kind_name(map));
    if (yt_check_keys(doc, map, "'fixed_bid'", model_section_keys(MS_FIXED_BID), d))
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
        const kind_subkey sk[] = {{MK_BID_CHANGE_ORDERS_count_mean, &b->co_count_mean},
                                   {MK_BID_CHANGE_ORDERS_cost, &b->co_cost}};
        if (read_subkeys(doc, v, "fixed_bid.change_orders", MS_BID_CHANGE_ORDERS, sk, 2, 1, d))
            return -1;
    }
    if ((v = yt_get(map, "oversight", NULL))) {
        const kind_subkey sk[] = {{MK_OVERSIGHT_senior_hours_per_week, &b->senior_hours_per_week},
                                   {MK_OVERSIGHT_pm_hours_per_week, &b->pm_hours_per_week}};
        if (read_subkeys(doc, v, "fixed_bid.oversight", MS_OVERSIGHT, sk, 2, 0, d))
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
