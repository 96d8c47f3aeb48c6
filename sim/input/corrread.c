/*
 * corrread — the `correlations:` section (copula.h): pairs of trial-level
 * quantities named by path, read for the scenario loader (scenario.c) once
 * every alternative is known.
 */
#include <stdlib.h>
#include <string.h>

#include "loader.h"

#define CORR_NAMES_MAX 32

const char *const ld_corr_keys[] = {"between", "rank", NULL};

/* `key` names no trial-level quantity of `owner` ("a source", "a fixed
 * bid"): an item-level key says so, anything else gets the nearest key. */
static int no_quantity(loader *L, const yt_node *pn, const char *path, const char *key,
                       const char *const *names, const char *owner)
{
    if (src_key_item_level(key))
        return yt_error(L->doc, pn, L->d,
                        "'%s' is drawn afresh for every item or event, not once per trial: only "
                        "trial-level quantities can be correlated",
                        path);
    char hint[96] = "";
    diag_hint(hint, sizeof hint, key, names);
    return yt_error(L->doc, pn, L->d, "'%s': not a trial-level quantity of %s%s", path, owner, hint);
}

/* The copula slot of the trial-level quantity a path names
 * (ALT/SOURCE.KEY, ALT.fixed_bid.KEY or work.KEY), checked to be
 * uncertain; *slot points into the scenario. */
static int corr_target(loader *L, const yt_node *pn, unsigned short **slot)
{
    const char *path;
    if (yt_string(L->doc, pn, "correlations.between", &path, L->d))
        return -1;
    scn_scenario *s = L->s;
    const char *constant = NULL;
    if (!strncmp(path, "work.", 5)) {
        static const char *const wk[] = {"cost_of_delay", "target_day", NULL};
        const char *key = path + 5;
        int q = -1;
        if (!strcmp(key, "cost_of_delay") || !strcmp(key, "cost_of_delay.per_day") ||
            !strcmp(key, "cost_of_delay.annual_value"))
            q = WQ_COST_OF_DELAY;
        else if (!strcmp(key, "target_day"))
            q = WQ_TARGET_DAY;
        if (q < 0) {
            char hint[96] = "";
            diag_hint(hint, sizeof hint, key, wk);
            return yt_error(L->doc, pn, L->d,
                            "'%s': not a trial-level work quantity%s; those are "
                            "work.cost_of_delay and work.target_day",
                            path, hint);
        }
        const dist *x = q == WQ_COST_OF_DELAY ? &s->work.cod : &s->work.target_day;
        if (dist_is_const(x))
            constant = "a constant";
        else
            *slot = &s->work.cslot[q];
    } else {
        const char *slash = strchr(path, '/'), *dot = strchr(path, '.');
        int bid = !slash || (dot && dot < slash);
        const char *sep = bid ? dot : slash;
        size_t alen = sep ? (size_t)(sep - path) : strlen(path);
        char alt[SCN_NAME_MAX];
        if (alen == 0 || alen >= sizeof alt || !sep)
            return yt_error(L->doc, pn, L->d,
                            "'%s' is not a quantity path: write ALTERNATIVE/SOURCE.KEY, "
                            "ALTERNATIVE.fixed_bid.KEY or work.KEY",
                            path);
        memcpy(alt, path, alen);
        alt[alen] = '\0';
        int ai = scn_find_alt(s, alt);
        if (ai < 0) {
            const char *names[CORR_NAMES_MAX + 1];
            size_t nn = 0;
            for (size_t i = 0; i < s->nalts && nn < CORR_NAMES_MAX; i++)
                names[nn++] = s->alts[i].name;
            names[nn] = NULL;
            char hint[96] = "";
            diag_hint(hint, sizeof hint, alt, names);
            return yt_error(L->doc, pn, L->d, "'%s': no alternative '%s'%s", path, alt, hint);
        }
        scn_alternative *a = &s->alts[ai];
        const char *rest = path + alen + 1;
        if (bid) {
            const char *key = !strncmp(rest, "fixed_bid.", 10) ? rest + 10 : NULL;
            if (a->kind != ALT_BID || !key)
                return yt_error(L->doc, pn, L->d,
                                "'%s': name a source's quantity as %s/SOURCE.KEY%s", path, alt,
                                a->kind == ALT_BID ? " or the bid's as ALT.fixed_bid.KEY" : "");
            int q = bid_quantity_find(key);
            if (q < 0)
                return no_quantity(L, pn, path, key, bid_quantity_names(), "a fixed bid");
            if (dist_is_const(bid_quantity_dist(&a->bid, (bid_quantity)q)))
                constant = "a constant";
            else
                *slot = &a->bid.cslot[q];
        } else {
            const char *kdot = strchr(rest, '.');
            char src[SCN_NAME_MAX];
            size_t slen = kdot ? (size_t)(kdot - rest) : 0;
            if (!kdot || slen == 0 || slen >= sizeof src || !kdot[1])
                return yt_error(L->doc, pn, L->d,
                                "'%s' is not a quantity path: write %s/SOURCE.KEY", path, alt);
            memcpy(src, rest, slen);
            src[slen] = '\0';
            src_params *p = NULL;
            const char *names[CORR_NAMES_MAX + 1];
            size_t nn = 0;
            for (size_t i = 0; i < a->nsources; i++) {
                if (!strcmp(a->sources[i].name, src))
                    p = &a->sources[i];
                if (nn < CORR_NAMES_MAX)
                    names[nn++] = a->sources[i].name;
            }
            names[nn] = NULL;
            if (!p) {
                char hint[96] = "";
                diag_hint(hint, sizeof hint, src, names);
                return yt_error(L->doc, pn, L->d, "'%s': '%s' has no source '%s'%s", path, alt,
                                src, hint);
            }
            const char *key = kdot + 1;
            int q = src_quantity_find(key);
            if (q < 0)
                return no_quantity(L, pn, path, key, src_quantity_names(), "a source");
            if (!src_quantity_uncertain(p, (src_quantity)q))
                constant = q == SQ_ACCEPTED || q == SQ_REWORK_ACCEPTED
                               ? "fixed outcome probabilities; observed counts would make them "
                                 "uncertain"
                               : "a constant, or not given";
            else
                *slot = &p->cslot[q];
        }
    }
    if (constant)
        return yt_error(L->doc, pn, L->d, "'%s' does not vary from trial to trial (%s): "
                                          "nothing to correlate",
                        path, constant);
    return 0;
}

int ld_read_correlations(loader *L, const yt_node *n)
{
    scn_scenario *s = L->s;
    if (!n)
        return 0;
    if (n->kind != YT_SEQ)
        return yt_error(L->doc, n, L->d,
                        "'correlations' must be a list of {between: [A, B], rank: R}, not %s",
                        yt_kind_name(n));
    for (size_t e = 0; e < n->n; e++) {
        const yt_node *m = n->items[e], *bt, *rk;
        if (m->kind != YT_MAP)
            return yt_error(L->doc, m, L->d,
                            "each correlation must be a mapping {between: [A, B], rank: R}, not %s",
                            yt_kind_name(m));
        if (yt_check_keys(L->doc, m, "a correlation", ld_corr_keys, L->d))
            return -1;
        if (!(bt = yt_get(m, "between", NULL)))
            return yt_error(L->doc, m, L->d, "a correlation needs 'between' (two quantity paths)");
        if (!(rk = yt_get(m, "rank", NULL)))
            return yt_error(L->doc, m, L->d,
                            "a correlation needs 'rank' (the Spearman rank correlation, between -1 and 1)");
        if (bt->kind != YT_SEQ || bt->n != 2)
            return yt_error(L->doc, bt, L->d,
                            "'between' must be a list of two quantity paths, e.g. "
                            "[offshore/pod.throughput_per_month, offshore/pod.outcomes.accepted]");
        double rank;
        if (yt_number(L->doc, rk, "correlations.rank", &rank, L->d))
            return -1;
        if (!(rank > -1 && rank < 1))
            return yt_error(L->doc, rk, L->d,
                            "'rank' must lie strictly between -1 and 1, not %g (a correlation of "
                            "±1 would make the two one quantity)",
                            rank);
        int c[2];
        unsigned short *slot[2] = {NULL, NULL};
        for (int j = 0; j < 2; j++) {
            if (corr_target(L, bt->items[j], &slot[j]))
                return -1;
            if (j == 1 && slot[1] == slot[0])
                return yt_error(L->doc, bt->items[1], L->d,
                                "a correlation needs two different quantities, not '%s' twice",
                                bt->items[1]->str);
            if (*slot[j]) {
                c[j] = *slot[j] - 1;
            } else {
                c[j] = cop_coordinate(&s->corr, bt->items[j]->str);
                if (c[j] < 0)
                    return yt_error(L->doc, bt->items[j], L->d,
                                    "at most %d quantities can be correlated", COP_MAX);
                *slot[j] = (unsigned short)(c[j] + 1);
            }
        }
        for (size_t p = 0; p < s->corr.npairs; p++) {
            const cop_pair *q = &s->corr.pairs[p];
            if ((q->i == c[0] && q->j == c[1]) || (q->i == c[1] && q->j == c[0]))
                return yt_error(L->doc, bt, L->d,
                                "the pair '%s', '%s' is already correlated at line %d",
                                s->corr.path[c[0]], s->corr.path[c[1]], q->line);
        }
        if (cop_add_pair(&s->corr, c[0], c[1], rank, rk->line, rk->col))
            return diag_runtime(L->d, "out of memory");
    }
    return cop_factor(&s->corr, L->doc->file, L->d);
}
