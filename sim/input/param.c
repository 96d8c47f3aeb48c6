/*
 * param — resolve and set parameter paths; parse metric.stat.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "param.h"

static const char *const stat_names[PS_COUNT] = {"mean", "sd",  "min", "p5",  "p10", "p25",
                                                 "p50",  "p75", "p90", "p95", "max", "cvar95"};

const char *prm_stat_name(prm_stat st)
{
    return (unsigned)st < PS_COUNT ? stat_names[st] : "?";
}

double prm_stat_value(const stats_summary *s, prm_stat st)
{
    switch (st) {
    case PS_MEAN: return s->mean;
    case PS_SD: return s->sd;
    case PS_MIN: return s->min;
    case PS_P5: return s->p5;
    case PS_P10: return s->p10;
    case PS_P25: return s->p25;
    case PS_P50: return s->p50;
    case PS_P75: return s->p75;
    case PS_P90: return s->p90;
    case PS_P95: return s->p95;
    case PS_MAX: return s->max;
    default: return s->cvar95;
    }
}

double prm_stat_quantile(prm_stat st)
{
    static const double q[PS_COUNT] = {NAN, NAN, 0, 0.05, 0.10, 0.25, 0.5, 0.75, 0.9, 0.95, 1, NAN};
    return (unsigned)st < PS_COUNT ? q[st] : NAN;
}

int prm_parse_metric(const char *s, eng_metric *m, prm_stat *st, diag *d)
{
    char name[64];
    const char *dot = strrchr(s, '.');
    size_t len = dot ? (size_t)(dot - s) : strlen(s);
    if (len >= sizeof name)
        return diag_input(d, NULL, 0, 0, "metric '%s' is too long", s);
    memcpy(name, s, len);
    name[len] = '\0';
    int mi = eng_metric_find(name);
    if (mi < 0) {
        char hint[96] = "";
        diag_hint(hint, sizeof hint, name, eng_metric_names());
        return diag_input(d, NULL, 0, 0, "unknown metric '%s'%s (give METRIC.STAT, e.g. cost_total.mean)",
                          name, hint);
    }
    if (!dot)
        return diag_input(d, NULL, 0, 0, "'%s' needs a statistic: %s.mean, %s.p50, %s.p90, ...", s,
                          name, name, name);
    for (int i = 0; i < PS_COUNT; i++)
        if (!strcmp(dot + 1, stat_names[i])) {
            *m = (eng_metric)mi;
            *st = (prm_stat)i;
            return 0;
        }
    const char *snames[PS_COUNT + 1];
    for (int i = 0; i < PS_COUNT; i++)
        snames[i] = stat_names[i];
    snames[PS_COUNT] = NULL;
    char hint[96] = "";
    diag_hint(hint, sizeof hint, dot + 1, snames);
    return diag_input(d, NULL, 0, 0,
                      "unknown statistic '%s'%s (mean, sd, min, p5, p10, p25, p50, p75, p90, p95, max, cvar95)",
                      dot + 1, hint);
}

int prm_decimal(const char *s, double *out)
{
    /* decimal only, as in scenario files: strtod alone would also take hex,
     * "inf" and "nan" */
    char *end;
    errno = 0;
    if (!*s || strspn(s, "0123456789+-.eE") != strlen(s))
        return -1;
    *out = strtod(s, &end);
    return errno || *end || !isfinite(*out) ? -1 : 0;
}

int prm_parse_spec(const char *arg, const char *opt, int need_n, prm_spec *out, diag *d)
{
    const char *form = need_n ? "PATH=LO:HI:N" : "PATH=LO:HI";
    const char *eq = strrchr(arg, '=');
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof out->path)
        return diag_input(d, NULL, 0, 0, "%s needs %s, not '%s'", opt, form, arg);
    memcpy(out->path, arg, (size_t)(eq - arg));
    out->path[eq - arg] = '\0';
    char buf[128];
    if (strlen(eq + 1) >= sizeof buf)
        return diag_input(d, NULL, 0, 0, "%s: range '%s' is too long", opt, eq + 1);
    strcpy(buf, eq + 1);
    /* split by hand: strtok would skip an empty field ("40:120::3") */
    char *parts[4] = {NULL};
    int np = 0;
    for (char *t = buf; np < 4;) {
        parts[np++] = t;
        char *colon = strchr(t, ':');
        if (!colon)
            break;
        *colon = '\0';
        t = colon + 1;
        if (np == 4)
            np = 5; /* too many fields */
    }
    double n = 0;
    if (np != (need_n ? 3 : 2) || prm_decimal(parts[0], &out->lo) || prm_decimal(parts[1], &out->hi) ||
        (need_n && (prm_decimal(parts[2], &n) || n != floor(n))))
        return diag_input(d, NULL, 0, 0, "%s needs %s with decimal numbers, not '%s'", opt, form, arg);
    if (!(out->lo < out->hi))
        return diag_input(d, NULL, 0, 0, "%s: the range %g:%g must go from low to high", opt, out->lo,
                          out->hi);
    if (need_n && (n < 2 || n > 1000))
        return diag_input(d, NULL, 0, 0, "%s: %g points; give 2 to 1000", opt, n);
    out->n = (int)n;
    return 0;
}

/* Names of a mapping's keys, or of a list's items' `name`s, for messages. */
static void list_names(const yt_node *n, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; n && i < n->n && o + 4 < cap; i++) {
        const char *name = NULL;
        if (n->kind == YT_MAP)
            name = n->keys[i]->str;
        else if (n->kind == YT_SEQ) {
            const yt_node *nm = yt_get(n->items[i], "name", NULL);
            name = nm && nm->kind == YT_SCALAR ? nm->str : NULL;
        }
        if (name)
            o += (size_t)snprintf(buf + o, cap - o, "%s%s", o ? ", " : "", name);
    }
    if (o >= cap)
        buf[cap - 1] = '\0';
}

/* Item of list n whose `name` is `name` (sources default to their kind). */
static const yt_node *named_item(const yt_node *n, const char *name)
{
    for (size_t i = 0; n && n->kind == YT_SEQ && i < n->n; i++) {
        const yt_node *nm = yt_get(n->items[i], "name", NULL);
        if (!nm)
            nm = yt_get(n->items[i], "kind", NULL);
        if (nm && nm->kind == YT_SCALAR && !strcmp(nm->str, name))
            return n->items[i];
    }
    return NULL;
}

static int is_dist(const yt_node *n)
{
    return n && n->kind == YT_MAP && yt_get(n, "dist", NULL);
}

yt_node *prm_resolve(const yt_doc *doc, const char *path, diag *d)
{
    char buf[PRM_PATH_MAX], names[512], where[2 * PRM_PATH_MAX + 8];
    if (strlen(path) >= sizeof buf)
        return diag_input(d, NULL, 0, 0, "path '%s' is too long", path), NULL;
    size_t pl = strlen(path);
    if (!pl || path[0] == '.' || path[pl - 1] == '.' || strstr(path, "..") || strstr(path, "/.") ||
        strstr(path, "./") || path[0] == '/' || path[pl - 1] == '/')
        return diag_input(d, NULL, 0, 0, "path '%s' has an empty name between its separators", path),
               NULL;
    strcpy(buf, path);
    const yt_node *root = doc->root, *alts = yt_get(root, "alternatives", NULL), *n = NULL;
    char *rest;
    char *slash = strchr(buf, '/');
    if (slash) {
        *slash = '\0';
        const yt_node *alt = named_item(alts, buf);
        if (!alt) {
            list_names(alts, names, sizeof names);
            return diag_input(d, NULL, 0, 0, "path '%s': no alternative '%s' (alternatives: %s)", path, buf,
                              names),
                   NULL;
        }
        char *src = slash + 1, *dot = strchr(src, '.');
        if (!dot)
            return diag_input(d, NULL, 0, 0, "path '%s' needs a key after the source: %s.KEY", path, path),
                   NULL;
        *dot = '\0';
        const yt_node *sources = yt_get(alt, "sources", NULL);
        n = named_item(sources, src);
        if (!n) {
            list_names(sources, names, sizeof names);
            return diag_input(d, NULL, 0, 0, "path '%s': alternative '%s' has no source '%s' (sources: %s)",
                              path, buf, src, names[0] ? names : "none"),
                   NULL;
        }
        snprintf(where, sizeof where, "%s/%s", buf, src);
        rest = dot + 1;
    } else {
        char *dot = strchr(buf, '.');
        if (!dot)
            return diag_input(d, NULL, 0, 0,
                              "path '%s' needs a key: ALTERNATIVE/SOURCE.key, ALTERNATIVE.key or work.key",
                              path),
                   NULL;
        *dot = '\0';
        static const char *const sections[] = {"work", "people", "calendar", "decision", NULL};
        int section = 0;
        for (size_t i = 0; sections[i]; i++)
            section |= !strcmp(buf, sections[i]);
        n = section ? yt_get(root, buf, NULL) : named_item(alts, buf);
        if (!n) {
            list_names(alts, names, sizeof names);
            return diag_input(d, NULL, 0, 0,
                              section ? "path '%s': the scenario has no '%s' section"
                                      : "path '%s': no alternative or section '%s' (alternatives: %s; "
                                        "sections: work, people, calendar, decision)",
                              path, buf, names),
                   NULL;
        }
        snprintf(where, sizeof where, "%s", buf);
        rest = dot + 1;
    }
    char *save = NULL;
    for (char *key = strtok_r(rest, ".", &save); key; key = strtok_r(NULL, ".", &save)) {
        const yt_node *next = NULL;
        if (n->kind == YT_MAP)
            next = yt_get(n, key, NULL);
        else if (n->kind == YT_SEQ)
            next = named_item(n, key);
        else
            return diag_input(d, NULL, 0, 0, "path '%s': '%s' is a number, it has no '%s'", path, where, key),
                   NULL;
        if (!next) {
            list_names(n, names, sizeof names);
            const char *cands[64];
            size_t nc = 0;
            for (size_t i = 0; n->kind == YT_MAP && i < n->n && nc < 63; i++)
                cands[nc++] = n->keys[i]->str;
            cands[nc] = NULL;
            char hint[96] = "";
            diag_hint(hint, sizeof hint, key, cands);
            return diag_input(d, NULL, 0, 0, "path '%s': '%s' has no '%s'%s (it has: %s)", path, where, key,
                              hint, names[0] ? names : "nothing"),
                   NULL;
        }
        size_t wl = strlen(where);
        snprintf(where + wl, sizeof where - wl, ".%s", key);
        n = next;
    }
    if (n->kind == YT_SEQ || (n->kind == YT_MAP && !is_dist(n))) {
        list_names(n, names, sizeof names);
        return diag_input(d, NULL, 0, 0, "path '%s' names %s, not a number: go on to one of %s", path,
                          yt_kind_name(n), names),
               NULL;
    }
    return (yt_node *)n;
}

int prm_set(yt_doc *doc, yt_node *n, double v, diag *d)
{
    char text[64];
    snprintf(text, sizeof text, "%.17g", v);
    /* a scenario number is decimal: "1e+20" is, "inf" never gets here */
    return yt_set_scalar(doc, n, text, d);
}
