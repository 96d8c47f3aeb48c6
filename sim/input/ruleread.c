/*
 * ruleread — the `stop_loss:` rules of a capacity mix (model §5), read for
 * the scenario loader (scenario.c), with their fallbacks checked once
 * every alternative is known.
 */
#include <stdlib.h>
#include <string.h>

#include "loader.h"

const char *const ld_rule_keys[] = {"name", "review_every_months", "stop_if",
                                    "forecast_over_envelope", "then", NULL};
const char *const ld_stop_if_keys[] = {"spent_over", "accepted_under", NULL};

/* stop_loss: a list of named rules, each with stop_if and/or
 * forecast_over_envelope (model §5). */
int ld_read_rules(loader *L, const yt_node *n, scn_alternative *a)
{
    if (n->kind != YT_SEQ)
        return yt_error(L->doc, n, L->d, "'stop_loss' must be a list of rules, not %s", yt_kind_name(n));
    if (n->n == 0)
        return yt_error(L->doc, n, L->d, "'stop_loss' is empty");
    a->rules = calloc(n->n, sizeof *a->rules);
    if (!a->rules)
        return diag_runtime(L->d, "out of memory");
    for (size_t i = 0; i < n->n; i++) {
        const yt_node *m = n->items[i], *v;
        sl_rule *r = &a->rules[i];
        a->nrules = i + 1;
        r->every = 1;
        r->line = m->line;
        r->col = m->col;
        if (m->kind != YT_MAP)
            return yt_error(L->doc, m, L->d, "each stop-loss rule must be a mapping with a 'name', not %s",
                            yt_kind_name(m));
        if (yt_check_keys(L->doc, m, "a stop-loss rule", ld_rule_keys, L->d))
            return -1;
        if (!(v = yt_get(m, "name", NULL)))
            return yt_error(L->doc, m, L->d, "stop-loss rule %zu of '%s' needs a 'name'", i + 1, a->name);
        if (ld_check_name(L, v, "stop_loss.name", r->name, sizeof r->name))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(a->rules[j].name, r->name))
                return yt_error(L->doc, v, L->d, "two stop-loss rules of '%s' are named '%s'", a->name,
                                r->name);
        if ((v = yt_get(m, "review_every_months", NULL))) {
            long long every;
            if (yt_integer(L->doc, v, "review_every_months", 1, 1200, &every, L->d))
                return -1;
            r->every = (int)every;
        }
        const yt_node *si = yt_get(m, "stop_if", NULL), *fo = yt_get(m, "forecast_over_envelope", NULL);
        if (!si && !fo)
            return yt_error(L->doc, m, L->d,
                            "stop-loss rule '%s' needs 'stop_if' or 'forecast_over_envelope'", r->name);
        if (si) {
            if (si->kind != YT_MAP)
                return yt_error(L->doc, si, L->d, "'stop_if' must be a mapping {spent_over, accepted_under}, not %s",
                                yt_kind_name(si));
            if (yt_check_keys(L->doc, si, "'stop_if'", ld_stop_if_keys, L->d))
                return -1;
            const yt_node *so = yt_get(si, "spent_over", NULL), *au = yt_get(si, "accepted_under", NULL);
            if (!so && !au)
                return yt_error(L->doc, si, L->d, "'stop_if' needs 'spent_over' and/or 'accepted_under'");
            if (so) {
                if (yt_number(L->doc, so, "stop_if.spent_over", &r->spent_over, L->d))
                    return -1;
                if (r->spent_over < 0)
                    return yt_error(L->doc, so, L->d, "'stop_if.spent_over' must be >= 0, not %g", r->spent_over);
                r->has_spent = 1;
            }
            if (au) {
                if (yt_number(L->doc, au, "stop_if.accepted_under", &r->accepted_under, L->d))
                    return -1;
                if (r->accepted_under < 0)
                    return yt_error(L->doc, au, L->d, "'stop_if.accepted_under' must be >= 0, not %g",
                                    r->accepted_under);
                r->has_accepted = 1;
            }
        }
        if (fo) {
            if (L->s->work.outcomes == 0)
                return yt_error(L->doc, fo, L->d,
                                "'forecast_over_envelope' needs backlog mode: give 'work.outcomes'");
            if (yt_number(L->doc, fo, "forecast_over_envelope", &r->forecast_over, L->d))
                return -1;
            if (r->forecast_over < 0)
                return yt_error(L->doc, fo, L->d, "'forecast_over_envelope' must be >= 0 (0.2 for 20 %%), not %g",
                                r->forecast_over);
            r->has_forecast = 1;
        }
        /* then: what happens to the scope still required (model §5);
         * the name is resolved once every alternative is read */
        r->then_name[0] = '\0';
        if ((v = yt_get(m, "then", NULL))) {
            const char *t;
            if (yt_string(L->doc, v, "then", &t, L->d))
                return -1;
            r->then_line = v->line;
            r->then_col = v->col;
            if (strcmp(t, "abandon") != 0) {
                if (L->s->work.outcomes == 0)
                    return yt_error(L->doc, v, L->d,
                                    "'then: %s' hands the outcomes still required to another alternative, "
                                    "which needs backlog mode: give 'work.outcomes' (or write 'then: abandon')",
                                    t);
                if (ld_check_name(L, v, "then", r->then_name, sizeof r->then_name))
                    return -1;
            }
        }
    }
    return 0;
}

/* Every `then: ALT` must name another alternative of the scenario. */
int ld_resolve_fallbacks(loader *L, const yt_node *alts)
{
    scn_scenario *s = L->s;
    const char **names = malloc((s->nalts + 2) * sizeof *names);
    if (!names)
        return diag_runtime(L->d, "out of memory");
    for (size_t i = 0; i < s->nalts; i++)
        names[i] = s->alts[i].name;
    names[s->nalts] = "abandon";
    names[s->nalts + 1] = NULL;
    int rc = 0;
    for (size_t a = 0; a < s->nalts && !rc; a++)
        for (size_t k = 0; k < s->alts[a].nrules && !rc; k++) {
            const sl_rule *r = &s->alts[a].rules[k];
            if (!r->then_name[0])
                continue;
            const yt_node *rn = yt_get(alts->items[a], "stop_loss", NULL);
            const yt_node *v = rn && k < rn->n ? yt_get(rn->items[k], "then", NULL) : NULL;
            int at = scn_find_alt(s, r->then_name);
            if (at == (int)a)
                rc = yt_error(L->doc, v ? v : alts, L->d,
                              "stop-loss rule '%s' of '%s' cannot hand its scope to '%s' itself: name "
                              "another alternative, or 'abandon'",
                              r->name, s->alts[a].name, r->then_name);
            else if (at < 0) {
                const char *near = diag_suggest(r->then_name, names);
                rc = yt_error(L->doc, v ? v : alts, L->d,
                              "stop-loss rule '%s' of '%s' hands its scope to '%s', which is not an "
                              "alternative of this scenario%s%s%s",
                              r->name, s->alts[a].name, r->then_name, near ? " (did you mean '" : "",
                              near ? near : "", near ? "'?)" : "");
            }
        }
    free(names);
    return rc;
}
