/*
 * tornado — enumerate the dists in the scenario tree and swing each.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tornado.h"

typedef struct found {
    char path[PRM_PATH_MAX];
    yt_node *node;
} found;

typedef struct walk {
    found *f;
    size_t n, cap;
    int oom;
} walk;

static void add(walk *w, const char *path, yt_node *node)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 16;
        found *nf = realloc(w->f, cap * sizeof *nf);
        if (!nf) {
            w->oom = 1;
            return;
        }
        w->f = nf;
        w->cap = cap;
    }
    snprintf(w->f[w->n].path, PRM_PATH_MAX, "%s", path);
    w->f[w->n++].node = node;
}

/* Every {dist: ...} below n, with its parameter path. */
static void collect(walk *w, yt_node *n, const char *path)
{
    if (!n || n->kind != YT_MAP)
        return;
    if (yt_get(n, "dist", NULL)) {
        add(w, path, n);
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        char p[PRM_PATH_MAX];
        yt_node *v = n->items[i];
        if (v->kind == YT_SEQ) {
            /* named items (overheads): path.NAME */
            for (size_t j = 0; j < v->n; j++) {
                const yt_node *nm = yt_get(v->items[j], "name", NULL);
                if (nm && nm->kind == YT_SCALAR) {
                    snprintf(p, sizeof p, "%s.%s.%s", path, n->keys[i]->str, nm->str);
                    collect(w, v->items[j], p);
                }
            }
            continue;
        }
        snprintf(p, sizeof p, "%s.%s", path, n->keys[i]->str);
        collect(w, v, p);
    }
}

static int cmp_swing(const void *a, const void *b)
{
    const trn_input *x = a, *y = b;
    if (x->swing != y->swing)
        return x->swing < y->swing ? 1 : -1;
    return strcmp(x->path, y->path);
}

void trn_release(trn_result *r)
{
    free(r->inputs);
    r->inputs = NULL;
    r->n = 0;
}

int trn_run(swp_setup *S, const char *alt, trn_result *out, diag *d)
{
    memset(out, 0, sizeof *out);
    yt_node *root = S->doc->root, *alts = (yt_node *)yt_get(root, "alternatives", NULL);
    walk w = {0};
    collect(&w, (yt_node *)yt_get(root, "work", NULL), "work");
    collect(&w, (yt_node *)yt_get(root, "people", NULL), "people");
    for (size_t i = 0; alts && i < alts->n; i++) {
        yt_node *a = alts->items[i];
        const yt_node *nm = yt_get(a, "name", NULL);
        if (!nm || nm->kind != YT_SCALAR || strcmp(nm->str, alt))
            continue;
        yt_node *sources = (yt_node *)yt_get(a, "sources", NULL);
        for (size_t j = 0; sources && j < sources->n; j++) {
            const yt_node *sn = yt_get(sources->items[j], "name", NULL);
            if (!sn)
                sn = yt_get(sources->items[j], "kind", NULL);
            char p[PRM_PATH_MAX];
            snprintf(p, sizeof p, "%s/%s", alt, sn && sn->kind == YT_SCALAR ? sn->str : "?");
            collect(&w, sources->items[j], p);
        }
        char p[PRM_PATH_MAX];
        snprintf(p, sizeof p, "%s.fixed_bid", alt);
        collect(&w, (yt_node *)yt_get(a, "fixed_bid", NULL), p);
        snprintf(p, sizeof p, "%s", alt);
        const yt_node *ov = yt_get(a, "overheads", NULL);
        for (size_t j = 0; ov && ov->kind == YT_SEQ && j < ov->n; j++) {
            const yt_node *on = yt_get(ov->items[j], "name", NULL);
            if (on && on->kind == YT_SCALAR) {
                snprintf(p, sizeof p, "%s.overheads.%s", alt, on->str);
                collect(&w, ov->items[j], p);
            }
        }
    }
    if (w.oom) {
        free(w.f);
        return diag_runtime(d, "out of memory");
    }
    swp_point pt;
    S->nnodes = 0;
    if (swp_eval(S, NULL, 1, &pt, d)) {
        free(w.f);
        return -1;
    }
    out->base = pt.stat[0];
    out->inputs = calloc(w.n ? w.n : 1, sizeof *out->inputs);
    if (!out->inputs) {
        free(w.f);
        return diag_runtime(d, "out of memory");
    }
    for (size_t k = 0; k < w.n; k++) {
        trn_input *in = &out->inputs[out->n];
        dist x;
        if (dist_parse(S->doc, w.f[k].node, w.f[k].path, DOM_ANY, &x, d)) {
            trn_release(out);
            free(w.f);
            return -1;
        }
        in->q10 = dist_quantile(&x, 0.10);
        in->q90 = dist_quantile(&x, 0.90);
        dist_release(&x);
        snprintf(in->path, sizeof in->path, "%s", w.f[k].path);
        /* hold the input at a constant, then give the node its dist back */
        yt_node saved = *w.f[k].node;
        S->node[0] = w.f[k].node;
        S->nnodes = 1;
        int rc = swp_eval(S, &in->q10, 1, &pt, d);
        in->at10 = pt.stat[0];
        if (!rc)
            rc = swp_eval(S, &in->q90, 1, &pt, d);
        in->at90 = pt.stat[0];
        *w.f[k].node = saved;
        S->nnodes = 0;
        if (rc) {
            trn_release(out);
            free(w.f);
            return -1;
        }
        in->swing = fabs(in->at90 - in->at10);
        out->n++;
    }
    free(w.f);
    qsort(out->inputs, out->n, sizeof *out->inputs, cmp_swing);
    return 0;
}
