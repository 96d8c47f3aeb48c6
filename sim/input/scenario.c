/*
 * scenario — YAML tree → validated, typed scenario (format version 1).
 *
 * Order of checks: structure and key names first (so a typo is reported
 * as a typo, not as a missing key), then values, then cross-references
 * (oversight needs a senior rate, baseline marked at most once, …).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caldate.h"
#include "distparse.h"
#include "kindread.h"
#include "models.h"
#include "scenario.h"
#include "scnload.h"
#include "bounds.h"
#include "digest.h"
#include "loader.h"
#include "readfile.h"
#include "textesc.h"
#include "yamltree.h"

#define DEFAULT_TRIALS 10000

static const char *const top_keys[] = {"capmix", "name", "description", "currency", "seed",
                                       "trials", "calendar", "people", "work", "alternatives",
                                       "decision", "sweep", "breakeven", "correlations", NULL};
static const char *const decision_keys[] = {"risk_tolerance", "partner_margin", "risk_measure",
                                            "cvar_level", "confidence", "min_delivery", NULL};
static const char *const calendar_keys[] = {"days_per_month", "weeks_per_month",
                                            "hours_per_year", "hours_per_month",
                                            "fiscal_year_start", NULL};
static const char *const people_keys[] = {"senior_engineer", "product_manager", NULL};
static const char *const person_keys[] = {"loaded_annual", "hourly_rate", NULL};
static const char *const work_keys[] = {"outcomes", "horizon_days", "horizon_months",
                                        "target_day", "cost_of_delay", "replace_superseded",
                                        "start_date", NULL};
static const char *const cod_keys[] = {"per_day", "annual_value", "days_per_year", NULL};
static const char *const alt_keys[] = {"name", "baseline", "sources", "overheads", "fixed_bid",
                                       "stop_loss", NULL};
static const char *const overhead_keys[] = {"name", "monthly_cost", "wait_factor", NULL};
static const char *const sweep_keys[] = {"set", "metric", "between", NULL};
static const char *const breakeven_keys[] = {"x", "y", "metric", "between", NULL};

/* Names become stream seeds, file names and (later) parameter paths
 * "ALT/SOURCE.key": keep them to a safe alphabet. */
int ld_check_name(loader *L, const yt_node *n, const char *what, char *dst, size_t cap)
{
    const char *s;
    if (yt_string(L->doc, n, what, &s, L->d))
        return -1;
    size_t len = strlen(s);
    if (len == 0 || len >= cap)
        return yt_error(L->doc, n, L->d, "'%s' must be 1 to %zu characters long", what, cap - 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || ((c == '-' || c == '_') && i > 0)))
            return yt_error(L->doc, n, L->d,
                            "'%s' must start with a letter or digit and use only letters, "
                            "digits, '-' and '_' (found '%c' in '%s')",
                            what, isprint(c) ? c : '?', s);
    }
    memcpy(dst, s, len + 1);
    return 0;
}

/* The scenario's own texts: any language, but one line for the name (it
 * heads report.md and titles the charts), no control characters, and
 * refused, never cut, past the room kept for them (textesc.h). */
static int free_text(loader *L, const yt_node *n, const char *what, unsigned flags, char *dst,
                     size_t cap)
{
    const char *s;
    char why[128];
    if (yt_string(L->doc, n, what, &s, L->d))
        return -1;
    size_t len = strlen(s);
    if (txt_check(s, len, flags, why, sizeof why))
        return yt_error(L->doc, n, L->d, "'%s' %s", what, why);
    if (len >= cap)
        return yt_error(L->doc, n, L->d, "'%s' is %zu bytes long; the limit is %zu bytes", what, len,
                        cap - 1);
    memcpy(dst, s, len + 1);
    return 0;
}

static int positive_number(loader *L, const yt_node *n, const char *what, double *out)
{
    if (yt_number(L->doc, n, what, out, L->d))
        return -1;
    if (!(*out > 0))
        return yt_error(L->doc, n, L->d, "'%s' must be > 0, not %g", what, *out);
    return 0;
}

static int read_calendar(loader *L, const yt_node *n)
{
    src_calendar *c = &L->s->cal;
    c->days_per_month = 365.0 / 12;
    c->weeks_per_month = 52.0 / 12;
    c->hours_per_year = 2080;
    c->hours_per_month = 160;
    L->s->fy_month = L->s->fy_day = 1;
    if (!n)
        return 0;
    if (yt_check_keys(L->doc, n, "'calendar'", calendar_keys, L->d))
        return -1;
    double *dst[] = {&c->days_per_month, &c->weeks_per_month, &c->hours_per_year,
                     &c->hours_per_month};
    for (int i = 0; i < 4; i++) {
        const yt_node *v = yt_get(n, calendar_keys[i], NULL);
        if (v && positive_number(L, v, calendar_keys[i], dst[i]))
            return -1;
    }
    const yt_node *fy = yt_get(n, "fiscal_year_start", NULL);
    const char *str;
    if (!fy)
        return 0;
    if (yt_string(L->doc, fy, "calendar.fiscal_year_start", &str, L->d))
        return -1;
    if (cal_parse_mmdd(str, &L->s->fy_month, &L->s->fy_day))
        return yt_error(L->doc, fy, L->d,
                        "'calendar.fiscal_year_start' must be a month and day MM-DD (e.g. 07-01; "
                        "not 02-29), not '%s'",
                        str);
    return 0;
}

static int read_person(loader *L, const yt_node *n, const char *what, scn_person *p)
{
    char ctx[64], w[96];
    snprintf(ctx, sizeof ctx, "'people.%s'", what);
    if (yt_check_keys(L->doc, n, ctx, person_keys, L->d))
        return -1;
    const yt_node *la = yt_get(n, "loaded_annual", NULL), *hr = yt_get(n, "hourly_rate", NULL);
    if (la && hr)
        return yt_error(L->doc, hr, L->d, "%s: give 'loaded_annual' or 'hourly_rate', not both", ctx);
    if (!la && !hr)
        return yt_error(L->doc, n, L->d, "%s needs 'loaded_annual' (or 'hourly_rate')", ctx);
    snprintf(w, sizeof w, "people.%s.%s", what, la ? "loaded_annual" : "hourly_rate");
    if (dist_parse(L->doc, la ? la : hr, w, DOM_NONNEG, &p->rate, L->d))
        return -1;
    p->present = 1;
    p->hourly = hr != NULL;
    return 0;
}

static int read_people(loader *L, const yt_node *n)
{
    if (!n)
        return 0;
    if (yt_check_keys(L->doc, n, "'people'", people_keys, L->d))
        return -1;
    const yt_node *v;
    if ((v = yt_get(n, "senior_engineer", NULL)) &&
        read_person(L, v, "senior_engineer", &L->s->senior))
        return -1;
    if ((v = yt_get(n, "product_manager", NULL)) &&
        read_person(L, v, "product_manager", &L->s->pm))
        return -1;
    return 0;
}

static int read_work(loader *L, const yt_node *n)
{
    scn_work *w = &L->s->work;
    w->horizon_days = 730;
    w->replace_superseded = 1;
    w->cod_days_per_year = 365;
    if (!n)
        return yt_error(L->doc, L->doc->root, L->d, "the scenario needs a 'work' section");
    if (yt_check_keys(L->doc, n, "'work'", work_keys, L->d))
        return -1;
    const yt_node *v, *hd = yt_get(n, "horizon_days", NULL), *hm = yt_get(n, "horizon_months", NULL);
    if ((v = yt_get(n, "outcomes", NULL)) &&
        yt_integer(L->doc, v, "work.outcomes", 1, 10000000, &w->outcomes, L->d))
        return -1;
    if (hd && hm)
        return yt_error(L->doc, hm, L->d, "give 'horizon_days' or 'horizon_months', not both");
    if (hd && positive_number(L, hd, "work.horizon_days", &w->horizon_days))
        return -1;
    if (hm) {
        double m;
        if (positive_number(L, hm, "work.horizon_months", &m))
            return -1;
        w->horizon_days = m * L->s->cal.days_per_month;
    }
    if (w->horizon_days > SCN_MAX_HORIZON_DAYS)
        return yt_error(L->doc, hm ? hm : hd, L->d,
                        "'work.%s' is %g days, beyond the %.0f days (a century) capmix simulates",
                        hm ? "horizon_months" : "horizon_days", w->horizon_days, SCN_MAX_HORIZON_DAYS);
    /* month counts are ints and size the snapshot arrays: a calendar of
     * tiny months must not multiply them past what a century of days has */
    double months = w->horizon_days / L->s->cal.days_per_month;
    if (months > SCN_MAX_HORIZON_DAYS) {
        const yt_node *dpm = yt_get(yt_get(L->doc->root, "calendar", NULL), "days_per_month", NULL);
        return yt_error(L->doc, dpm ? dpm : hm ? hm : hd, L->d,
                        "the horizon is %g months of 'calendar.days_per_month' (%g days); at most %.0f "
                        "months are supported",
                        months, L->s->cal.days_per_month, SCN_MAX_HORIZON_DAYS);
    }
    if ((v = yt_get(n, "target_day", NULL)) &&
        dist_parse(L->doc, v, "work.target_day", DOM_NONNEG, &w->target_day, L->d))
        return -1;
    if ((v = yt_get(n, "replace_superseded", NULL)) &&
        yt_bool(L->doc, v, "work.replace_superseded", &w->replace_superseded, L->d))
        return -1;
    if ((v = yt_get(n, "start_date", NULL))) {
        const char *str;
        if (yt_string(L->doc, v, "work.start_date", &str, L->d))
            return -1;
        if (cal_parse(str, &w->start_date))
            return yt_error(L->doc, v, L->d,
                            "'work.start_date' must be a date YYYY-MM-DD (ISO 8601, from 1900), not '%s'",
                            str);
        w->has_start_date = 1;
    }
    if ((v = yt_get(n, "cost_of_delay", NULL))) {
        if (v->kind != YT_MAP)
            return yt_error(L->doc, v, L->d,
                            "'work.cost_of_delay' must be a mapping ({per_day: ...} or "
                            "{annual_value: ..., days_per_year: ...}), not %s",
                            yt_kind_name(v));
        if (yt_check_keys(L->doc, v, "'work.cost_of_delay'", cod_keys, L->d))
            return -1;
        const yt_node *pd = yt_get(v, "per_day", NULL), *av = yt_get(v, "annual_value", NULL),
                      *dy = yt_get(v, "days_per_year", NULL);
        if (pd && av)
            return yt_error(L->doc, av, L->d,
                            "'work.cost_of_delay': give 'per_day' or 'annual_value', not both");
        if (!pd && !av)
            return yt_error(L->doc, v, L->d, "'work.cost_of_delay' needs 'per_day' or 'annual_value'");
        if (dy && !av)
            return yt_error(L->doc, dy, L->d, "'days_per_year' goes with 'annual_value'");
        if (dy && positive_number(L, dy, "work.cost_of_delay.days_per_year", &w->cod_days_per_year))
            return -1;
        w->cod_annual = av != NULL;
        if (dist_parse(L->doc, pd ? pd : av,
                       pd ? "work.cost_of_delay.per_day" : "work.cost_of_delay.annual_value",
                       DOM_NONNEG, &w->cod, L->d))
            return -1;
    }
    return 0;
}

static int read_overheads(loader *L, const yt_node *n, scn_alternative *a)
{
    if (n->kind != YT_SEQ)
        return yt_error(L->doc, n, L->d, "'overheads' must be a list, not %s", yt_kind_name(n));
    a->overheads = calloc(n->n ? n->n : 1, sizeof *a->overheads);
    if (!a->overheads)
        return diag_runtime(L->d, "out of memory");
    for (size_t i = 0; i < n->n; i++) {
        const yt_node *m = n->items[i];
        scn_overhead *o = &a->overheads[i];
        a->noverheads = i + 1;
        o->wait_factor = dist_const(1);
        if (m->kind != YT_MAP)
            return yt_error(L->doc, m, L->d, "each overhead must be a mapping {name, monthly_cost, wait_factor}, not %s",
                            yt_kind_name(m));
        if (yt_check_keys(L->doc, m, "an overhead", overhead_keys, L->d))
            return -1;
        const yt_node *v = yt_get(m, "name", NULL);
        if (!v)
            return yt_error(L->doc, m, L->d, "an overhead needs a 'name'");
        if (ld_check_name(L, v, "overheads.name", o->name, sizeof o->name))
            return -1;
        if (!(v = yt_get(m, "monthly_cost", NULL)))
            return yt_error(L->doc, m, L->d, "overhead '%s' needs 'monthly_cost'", o->name);
        if (dist_parse(L->doc, v, "monthly_cost", DOM_NONNEG, &o->monthly_cost, L->d))
            return -1;
        if ((v = yt_get(m, "wait_factor", NULL)) &&
            dist_parse(L->doc, v, "wait_factor", DOM_NONNEG, &o->wait_factor, L->d))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->overheads[j].name, o->name) == 0)
                return yt_error(L->doc, yt_get(m, "name", NULL), L->d,
                                "two overheads of '%s' are named '%s'", a->name, o->name);
    }
    return 0;
}

/* Cross-checks a source needs from the rest of the scenario. */
static int check_source_refs(loader *L, const yt_node *m, const src_params *p)
{
    const scn_scenario *s = L->s;
    const yt_node *k;
    if (p->has & SRC_HAS_OVERSIGHT) {
        const yt_node *ov = yt_get(m, "oversight", &k);
        int senior = yt_get(ov, "senior_hours_per_week", NULL) != NULL;
        int pm = yt_get(ov, "pm_hours_per_week", NULL) != NULL;
        if (senior && !s->senior.present)
            return yt_error(L->doc, k, L->d,
                            "oversight of source '%s' needs 'people.senior_engineer' (its rate prices the hours)",
                            p->name);
        if (pm && !s->pm.present)
            return yt_error(L->doc, k, L->d,
                            "oversight of source '%s' needs 'people.product_manager' (its rate prices the hours)",
                            p->name);
    }
    if ((p->has & SRC_HAS_REVIEW_HOURS) && !s->senior.present) {
        yt_get(m, "review_hours_per_item", &k);
        return yt_error(L->doc, k, L->d,
                        "'review_hours_per_item' of source '%s' needs 'people.senior_engineer' (its rate prices the hours)",
                        p->name);
    }
    return 0;
}

static int read_sources(loader *L, const yt_node *n, scn_alternative *a)
{
    if (n->kind != YT_SEQ)
        return yt_error(L->doc, n, L->d, "'sources' must be a list, not %s", yt_kind_name(n));
    if (n->n == 0)
        return yt_error(L->doc, n, L->d, "alternative '%s' has no sources", a->name);
    a->sources = calloc(n->n, sizeof *a->sources);
    if (!a->sources)
        return diag_runtime(L->d, "out of memory");
    for (size_t i = 0; i < n->n; i++) {
        const yt_node *m = n->items[i];
        src_params *p = &a->sources[i];
        a->nsources = i + 1;
        if (m->kind != YT_MAP)
            return yt_error(L->doc, m, L->d, "each source must be a mapping with a 'kind', not %s",
                            yt_kind_name(m));
        const yt_node *kn = yt_get(m, "kind", NULL);
        if (!kn && yt_check_keys(L->doc, m, "a source", model_section_keys(MS_SOURCE), L->d))
            return -1; /* e.g. 'kidn': a typo, not a missing kind */
        if (!kn) {
            char kinds[256];
            return yt_error(L->doc, m, L->d, "source %zu of '%s' needs a 'kind' (one of %s)", i + 1,
                            a->name, model_kind_list(kinds, sizeof kinds));
        }
        const char *kind;
        if (yt_string(L->doc, kn, "kind", &kind, L->d))
            return -1;
        const model_kind *mk = model_find(kind);
        if (!mk) {
            char hint[96] = "";
            diag_hint(hint, sizeof hint, kind, model_kind_names());
            return yt_error(L->doc, kn, L->d, "unknown kind '%s'%s", kind, hint);
        }
        const yt_node *nn = yt_get(m, "name", NULL);
        if (nn) {
            if (ld_check_name(L, nn, "name", p->name, sizeof p->name))
                return -1;
        } else {
            snprintf(p->name, sizeof p->name, "%s", mk->name);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->sources[j].name, p->name) == 0)
                return yt_error(L->doc, nn ? nn : m, L->d,
                                "two sources of '%s' are named '%s' (give each a distinct 'name')",
                                a->name, p->name);
        p->line = m->line;
        p->col = m->col;
        if (kind_read_source(mk, L->doc, m, p, L->d))
            return -1;
        if (check_source_refs(L, m, p))
            return -1;
    }
    return 0;
}

static int read_alternative(loader *L, const yt_node *m, scn_alternative *a, size_t idx)
{
    if (m->kind != YT_MAP)
        return yt_error(L->doc, m, L->d, "each alternative must be a mapping with a 'name', not %s",
                        yt_kind_name(m));
    if (yt_check_keys(L->doc, m, "an alternative", alt_keys, L->d))
        return -1;
    a->line = m->line;
    a->col = m->col;
    const yt_node *v = yt_get(m, "name", NULL);
    if (!v)
        return yt_error(L->doc, m, L->d, "alternative %zu needs a 'name'", idx + 1);
    if (ld_check_name(L, v, "name", a->name, sizeof a->name))
        return -1;
    if ((v = yt_get(m, "baseline", NULL)) && yt_bool(L->doc, v, "baseline", &a->baseline, L->d))
        return -1;
    const yt_node *fb = yt_get(m, "fixed_bid", NULL), *sl = yt_get(m, "stop_loss", NULL);
    if (fb && sl)
        return yt_error(L->doc, sl, L->d,
                        "a fixed bid takes no stop-loss: the partner carries the overrun");
    if (sl && ld_read_rules(L, sl, a))
        return -1;
    if (fb) {
        const yt_node *other = yt_get(m, "sources", NULL);
        if (!other)
            other = yt_get(m, "overheads", NULL);
        if (other)
            return yt_error(L->doc, other, L->d,
                            "alternative '%s' is a fixed bid: it takes no sources or overheads",
                            a->name);
        if (L->s->work.outcomes == 0)
            return yt_error(L->doc, fb, L->d,
                            "a fixed bid needs backlog mode: give 'work.outcomes' (the scope it prices)");
        a->kind = ALT_BID;
        if (kind_read_fixed_bid(L->doc, fb, &a->bid, L->d))
            return -1;
        const yt_node *ov = yt_get(fb, "oversight", NULL);
        if (yt_get(ov, "senior_hours_per_week", NULL) && !L->s->senior.present)
            return yt_error(L->doc, ov, L->d,
                            "oversight of '%s' needs 'people.senior_engineer' (its rate prices the hours)",
                            a->name);
        if (yt_get(ov, "pm_hours_per_week", NULL) && !L->s->pm.present)
            return yt_error(L->doc, ov, L->d,
                            "oversight of '%s' needs 'people.product_manager' (its rate prices the hours)",
                            a->name);
        return 0;
    }
    if (!(v = yt_get(m, "sources", NULL)))
        return yt_error(L->doc, m, L->d, "alternative '%s' needs 'sources' (or 'fixed_bid')", a->name);
    if (read_sources(L, v, a))
        return -1;
    if ((v = yt_get(m, "overheads", NULL)) && read_overheads(L, v, a))
        return -1;
    return 0;
}

static int read_alternatives(loader *L, const yt_node *n)
{
    scn_scenario *s = L->s;
    if (!n)
        return yt_error(L->doc, L->doc->root, L->d, "the scenario needs 'alternatives'");
    if (n->kind != YT_SEQ)
        return yt_error(L->doc, n, L->d, "'alternatives' must be a list, not %s", yt_kind_name(n));
    if (n->n == 0)
        return yt_error(L->doc, n, L->d, "'alternatives' is empty");
    s->alts = calloc(n->n, sizeof *s->alts);
    if (!s->alts)
        return diag_runtime(L->d, "out of memory");
    int marked = -1;
    for (size_t i = 0; i < n->n; i++) {
        scn_alternative *a = &s->alts[i];
        s->nalts = i + 1;
        if (read_alternative(L, n->items[i], a, i))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->alts[j].name, a->name) == 0)
                return yt_error(L->doc, yt_get(n->items[i], "name", NULL), L->d,
                                "two alternatives are named '%s' (names seed the random streams and must be unique)",
                                a->name);
        if (a->baseline) {
            if (marked >= 0)
                return yt_error(L->doc, yt_get(n->items[i], "baseline", NULL), L->d,
                                "'%s' and '%s' are both marked 'baseline: true'",
                                s->alts[marked].name, a->name);
            marked = (int)i;
        }
    }
    /* Without a mark, the baseline is the first capacity mix: a fixed bid
     * is what the mixes are weighed against, not the reference itself. */
    size_t first_mix = 0;
    while (first_mix + 1 < s->nalts && s->alts[first_mix].kind == ALT_BID)
        first_mix++;
    s->baseline = marked >= 0 ? (size_t)marked : first_mix;
    return 0;
}

static int read_decision(loader *L, const yt_node *n)
{
    scn_decision *dc = &L->s->decision;
    dc->risk_tolerance = INFINITY;
    dc->partner_margin = NAN;
    dc->cvar_level = 0.95;
    dc->confidence = 0.9;
    dc->min_delivery = 0.9;
    if (!n)
        return 0;
    if (yt_check_keys(L->doc, n, "'decision'", decision_keys, L->d))
        return -1;
    const yt_node *v;
    if ((v = yt_get(n, "risk_tolerance", NULL))) {
        if (v->kind == YT_SCALAR && v->plain && !strcmp(v->str, "infinity")) {
            dc->risk_tolerance = INFINITY;
        } else {
            if (v->kind != YT_SCALAR || !v->plain || yt_number(L->doc, v, "decision.risk_tolerance", &dc->risk_tolerance, NULL))
                return yt_error(L->doc, v, L->d,
                                "'decision.risk_tolerance' must be a positive amount of money, or 'infinity' for risk neutrality, not %s%s%s",
                                v->kind == YT_SCALAR ? "'" : "",
                                v->kind == YT_SCALAR ? v->str : yt_kind_name(v),
                                v->kind == YT_SCALAR ? "'" : "");
            if (!(dc->risk_tolerance > 0))
                return yt_error(L->doc, v, L->d,
                                "'decision.risk_tolerance' must be > 0 (money), or 'infinity' for risk neutrality");
        }
    }
    if ((v = yt_get(n, "partner_margin", NULL))) {
        if (yt_number(L->doc, v, "decision.partner_margin", &dc->partner_margin, L->d))
            return -1;
        if (dc->partner_margin < 0 || dc->partner_margin >= 10)
            return yt_error(L->doc, v, L->d,
                            "'decision.partner_margin' is a fraction of cost (0.15 for 15 %%): from 0 to 10");
    }
    if ((v = yt_get(n, "risk_measure", NULL))) {
        const char *m;
        if (yt_string(L->doc, v, "decision.risk_measure", &m, L->d))
            return -1;
        if (!strcmp(m, "ce"))
            dc->measure = RISK_CE;
        else if (!strcmp(m, "cvar"))
            dc->measure = RISK_CVAR;
        else
            return yt_error(L->doc, v, L->d,
                            "'decision.risk_measure' must be 'ce' (certainty equivalent) or 'cvar', not '%s'", m);
    }
    if ((v = yt_get(n, "confidence", NULL))) {
        if (yt_number(L->doc, v, "decision.confidence", &dc->confidence, L->d))
            return -1;
        if (!(dc->confidence > 0 && dc->confidence < 1))
            return yt_error(L->doc, v, L->d, "'decision.confidence' must be between 0 and 1, e.g. 0.9");
    }
    if ((v = yt_get(n, "min_delivery", NULL))) {
        if (yt_number(L->doc, v, "decision.min_delivery", &dc->min_delivery, L->d))
            return -1;
        if (!(dc->min_delivery >= 0 && dc->min_delivery <= 1))
            return yt_error(L->doc, v, L->d,
                            "'decision.min_delivery' is the least share of trials that must deliver by the "
                            "horizon for an alternative to be the answer: between 0 and 1, e.g. 0.9");
    }
    if ((v = yt_get(n, "cvar_level", NULL))) {
        if (yt_number(L->doc, v, "decision.cvar_level", &dc->cvar_level, L->d))
            return -1;
        if (!(dc->cvar_level > 0 && dc->cvar_level < 1))
            return yt_error(L->doc, v, L->d, "'decision.cvar_level' must be between 0 and 1, e.g. 0.95");
    }
    return 0;
}

static void warn(scn_scenario *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(scn_scenario *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    warn_vadd(&s->warnings, fmt, ap);
    va_end(ap);
}

/* A copy of str into *dst, owned by the scenario. */
static int keep(loader *L, char **dst, const char *str)
{
    if (!(*dst = strdup(str)))
        return diag_runtime(L->d, "out of memory");
    return 0;
}

/* sweep: / breakeven: sections hold the question a sweep command asks;
 * their values are checked in full by the command, their shape here so
 * that `validate` reports a typo.  They are kept typed in the scenario,
 * the commands' defaults. */

static int read_question(loader *L, const char *section, const char *const *keys, scn_question *q)
{
    const yt_node *n = yt_get(L->doc->root, section, NULL);
    if (!n)
        return 0;
    q->present = 1;
    char ctx[32];
    snprintf(ctx, sizeof ctx, "'%s'", section);
    if (yt_check_keys(L->doc, n, ctx, keys, L->d))
        return -1;
    for (size_t i = 0; i < n->n; i++) {
        const yt_node *v = n->items[i];
        const char *k = n->keys[i]->str, *str;
        char what[64];
        snprintf(what, sizeof what, "%s.%s", section, k);
        if (!strcmp(k, "between")) {
            if (v->kind != YT_SEQ || v->n != 2)
                return yt_error(L->doc, v, L->d, "'%s' must be a list of two alternatives, e.g. [ai-team, offshore]", what);
            const char *first = NULL;
            for (size_t j = 0; j < 2; j++) {
                if (yt_string(L->doc, v->items[j], what, &str, L->d))
                    return -1;
                if (scn_find_alt(L->s, str) < 0)
                    return yt_error(L->doc, v->items[j], L->d, "'%s': no alternative '%s'", what, str);
                if (first && !strcmp(first, str))
                    return yt_error(L->doc, v->items[j], L->d,
                                    "'%s' needs two different alternatives, not '%s' twice", what, str);
                first = str;
            }
            for (size_t j = 0; j < 2; j++)
                if (keep(L, &q->between[j], v->items[j]->str))
                    return -1;
        } else if (yt_string(L->doc, v, what, &str, L->d)) {
            return -1;
        } else {
            char **dst = !strcmp(k, "set") ? &q->set
                         : !strcmp(k, "x") ? &q->x
                         : !strcmp(k, "y") ? &q->y
                                           : &q->metric;
            if (keep(L, dst, str))
                return -1;
        }
    }
    return 0;
}

/* Things that are valid but probably not what the author meant. */
static void check_warnings(loader *L, const yt_node *root)
{
    scn_scenario *s = L->s;
    const yt_node *w = yt_get(root, "work", NULL);
    if (s->work.outcomes == 0 && (yt_get(w, "cost_of_delay", NULL) || yt_get(w, "target_day", NULL)))
        warn(s, "run-rate mode (no work.outcomes): cost_of_delay and target_day are ignored");
    double tlo, thi;
    dist_support(&s->work.target_day, &tlo, &thi);
    if (s->work.outcomes > 0 && s->work.horizon_days <= dist_mean(&s->work.target_day))
        warn(s, "work.horizon_days (%g) is not after work.target_day (mean %g): every delay is cut at the "
                "horizon, so delay costs are not counted at all",
             s->work.horizon_days, dist_mean(&s->work.target_day));
    else if (s->work.outcomes > 0 && s->work.horizon_days <= thi)
        warn(s, "work.horizon_days (%g) is within work.target_day's range (up to %g): in some trials no "
                "delay can be counted",
             s->work.horizon_days, thi);
    for (size_t a = 0; a < s->nalts; a++)
        for (size_t i = 0; i < s->alts[a].nsources; i++) {
            const src_params *p = &s->alts[a].sources[i];
            double lo, hi;
            dist_support(&p->start_delay_days, &lo, &hi);
            if (lo >= s->work.horizon_days)
                warn(s, "source '%s' of '%s' starts after the horizon: it never works and costs nothing",
                     p->name, s->alts[a].name);
        }
}

static int read_top(loader *L)
{
    const yt_doc *doc = L->doc;
    const yt_node *root = doc->root;
    scn_scenario *s = L->s;
    if (!root)
        return diag_input(L->d, doc->file, 0, 0, "the scenario is empty (it needs at least 'capmix: 1', 'work' and 'alternatives')");
    if (root->kind != YT_MAP)
        return yt_error(doc, root, L->d, "a scenario must be a mapping, not %s", yt_kind_name(root));
    const yt_node *v = yt_get(root, "capmix", NULL);
    if (!v && yt_check_keys(doc, root, "the scenario", top_keys, L->d))
        return -1; /* a typo of 'capmix' is reported as a typo */
    if (!v)
        return yt_error(doc, root, L->d, "the scenario must start with 'capmix: 1' (the format version)");
    long long ver;
    if (yt_integer(doc, v, "capmix", 0, LLONG_MAX, &ver, L->d))
        return -1;
    if (ver != 1)
        return yt_error(doc, v, L->d, "format version %lld is not supported (this capmix reads version 1)", ver);
    if (yt_check_keys(doc, root, "the scenario", top_keys, L->d))
        return -1;
    const char *str;
    snprintf(s->currency, sizeof s->currency, "USD");
    if ((v = yt_get(root, "name", NULL))) {
        if (free_text(L, v, "name", 0, s->name, sizeof s->name))
            return -1;
    }
    if ((v = yt_get(root, "description", NULL))) {
        if (free_text(L, v, "description", TXT_LINES, s->description, sizeof s->description))
            return -1;
    }
    if ((v = yt_get(root, "currency", NULL))) {
        if (yt_string(doc, v, "currency", &str, L->d))
            return -1;
        size_t n = strlen(str);
        int ok = n == 3;
        for (size_t i = 0; ok && i < n; i++)
            ok = isupper((unsigned char)str[i]);
        if (!ok)
            return yt_error(doc, v, L->d, "'currency' must be a three-letter ISO 4217 code such as USD, not '%s'", str);
        snprintf(s->currency, sizeof s->currency, "%s", str);
    }
    long long ll;
    s->seed = 1;
    if ((v = yt_get(root, "seed", NULL))) {
        if (yt_integer(doc, v, "seed", 0, LLONG_MAX, &ll, L->d))
            return -1;
        s->seed = (uint64_t)ll;
    }
    s->trials = DEFAULT_TRIALS;
    if ((v = yt_get(root, "trials", NULL))) {
        if (yt_integer(doc, v, "trials", (long long)SCN_MIN_TRIALS, (long long)SCN_MAX_TRIALS, &ll, L->d))
            return -1;
        s->trials = (uint64_t)ll;
    }
    if (read_calendar(L, yt_get(root, "calendar", NULL)) ||
        read_people(L, yt_get(root, "people", NULL)) || read_work(L, yt_get(root, "work", NULL)) ||
        read_alternatives(L, yt_get(root, "alternatives", NULL)) ||
        ld_resolve_fallbacks(L, yt_get(root, "alternatives", NULL)) ||
        read_decision(L, yt_get(root, "decision", NULL)) ||
        ld_read_correlations(L, yt_get(root, "correlations", NULL)))
        return -1;
    if (read_question(L, "sweep", sweep_keys, &s->sweep) ||
        read_question(L, "breakeven", breakeven_keys, &s->breakeven))
        return -1;
    if (scn_check_limits(s, L->d))
        return -1;
    check_warnings(L, root);
    if (!s->name[0]) {
        const char *base = strrchr(doc->file, '/');
        /* the file's name is the user's too: made printable, cut on a character */
        txt_term(s->name, sizeof s->name, base ? base + 1 : doc->file);
        char *dot = strrchr(s->name, '.');
        if (dot && dot != s->name)
            *dot = '\0';
    }
    return 0;
}

int scn_load_doc(const yt_doc *doc, const char *sha256, scn_scenario **out, diag *d)
{
    *out = NULL;
    scn_scenario *s = calloc(1, sizeof *s);
    if (!s || !(s->file = strdup(doc->file))) {
        free(s);
        return diag_runtime(d, "out of memory");
    }
    snprintf(s->sha256, sizeof s->sha256, "%s", sha256);
    loader L = {doc, s, d};
    if (read_top(&L)) {
        scn_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

/* scn_load_buffer, and with `tree` the parsed document handed back (on
 * success only) rather than freed. */
static int load_buffer(const char *name, const char *buf, size_t len, scn_scenario **out,
                       yt_doc **tree, diag *d)
{
    *out = NULL;
    yt_doc *doc = NULL;
    if (yt_load_buffer(name, buf, len, &doc, d))
        return -1;
    char sha[65];
    if (digest_sha256_hex(buf, len, sha)) {
        yt_free(doc);
        return diag_runtime(d, "cannot compute the SHA-256 of '%s'", name);
    }
    int rc = scn_load_doc(doc, sha, out, d);
    if (rc == 0) {
        char *text = malloc(len + 1);
        if (!text) {
            scn_free(*out);
            *out = NULL;
            yt_free(doc);
            return diag_runtime(d, "out of memory");
        }
        memcpy(text, buf, len);
        text[len] = '\0';
        (*out)->text = text;
        (*out)->text_len = len;
    }
    if (rc == 0 && tree)
        *tree = doc;
    else
        yt_free(doc);
    return rc;
}

int scn_load_buffer(const char *name, const char *buf, size_t len, scn_scenario **out, diag *d)
{
    return load_buffer(name, buf, len, out, NULL, d);
}

static int load_file(const char *path, scn_scenario **out, yt_doc **tree, diag *d)
{
    *out = NULL;
    char *buf;
    size_t len;
    int e;
    switch (rf_load(path, YT_MAX_FILE_BYTES, &buf, &len, &e)) {
    case RF_OK:
        break;
    case RF_OPEN:
        return diag_input(d, path, 0, 0, "cannot open '%s': %s", path, strerror(e));
    case RF_READ:
        return diag_input(d, path, 0, 0, "cannot read '%s' (is it a directory?)", path);
    case RF_TOO_LARGE:
        return diag_input(d, path, 0, 0, "'%s' is larger than %u bytes: not a scenario", path,
                          YT_MAX_FILE_BYTES);
    case RF_NOMEM:
        return diag_runtime(d, "out of memory");
    }
    int rc = load_buffer(path, buf, len, out, tree, d);
    free(buf);
    if (rc == 0)
        (*out)->path = realpath(path, NULL); /* NULL is allowed: no replay */
    return rc;
}

int scn_load(const char *path, scn_scenario **out, diag *d)
{
    return load_file(path, out, NULL, d);
}

int scn_load_tree(const char *path, scn_scenario **out, yt_doc **tree, diag *d)
{
    *tree = NULL;
    return load_file(path, out, tree, d);
}

const char *const *scn_keys(const char *section)
{
    static const struct {
        const char *section;
        const char *const *keys;
    } tables[] = {
        {"scenario", top_keys},        {"calendar", calendar_keys},
        {"people", people_keys},       {"people.ROLE", person_keys},
        {"work", work_keys},           {"work.cost_of_delay", cod_keys},
        {"alternatives", alt_keys},    {"overheads", overhead_keys},
        {"stop_loss", ld_rule_keys},   {"stop_loss.stop_if", ld_stop_if_keys},
        {"decision", decision_keys},   {"correlations", ld_corr_keys},
        {"sweep", sweep_keys},         {"breakeven", breakeven_keys},
    };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (!strcmp(tables[i].section, section))
            return tables[i].keys;
    return NULL;
}
