/*
 * tornado — enumerate the dists in the scenario tree and swing each.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "cmpi.h"
#include "distparse.h"
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

/* The per-trial values of the input at `path` in the kept base run, when
 * it is a recorded trial-level quantity of alternative `alt` or of work;
 * else NULL.  `buf` has room for the trials. */
static const double *input_values(const swp_setup *S, const char *alt, const char *path,
                                  double *buf)
{
    const eng_results *r = S->kept;
    const scn_scenario *s = S->kept_scn;
    size_t n = (size_t)r->trials;
    if (!strcmp(path, "work.cost_of_delay.per_day") || !strcmp(path, "work.cost_of_delay.annual_value"))
        return r->cod_per_day;
    if (!strcmp(path, "work.target_day"))
        return r->target_day;
    if (r->senior_rate && !strncmp(path, "people.senior_engineer.", 23))
        return r->senior_rate;
    if (r->pm_rate && !strncmp(path, "people.product_manager.", 23))
        return r->pm_rate;
    size_t al = strlen(alt);
    if (!r->draws || strncmp(path, alt, al) || path[al] != '/')
        return NULL;
    const char *src = path + al + 1, *dot = strchr(src, '.');
    int a = scn_find_alt(s, alt);
    if (!dot || a < 0)
        return NULL;
    const scn_alternative *A = &s->alts[a];
    for (size_t j = 0; j < A->nsources && j < r->draws_nsrc; j++) {
        if (strlen(A->sources[j].name) != (size_t)(dot - src) ||
            strncmp(A->sources[j].name, src, (size_t)(dot - src)))
            continue;
        int q = src_quantity_find(dot + 1);
        if (q < 0)
            return NULL;
        for (size_t t = 0; t < n; t++)
            buf[t] = src_quantity_value(&r->draws[t * r->draws_nsrc + j], &s->cal, (src_quantity)q);
        return buf;
    }
    return NULL;
}

/* Spearman's ρ of x and y over the trials where y is a number (a metric
 * can be null in a trial); ties get their average rank (GSL). */
static double spearman(const double *x, const double *y, size_t n, double *xs, double *ys,
                       double *work)
{
    size_t m = 0;
    for (size_t t = 0; t < n; t++)
        if (!isnan(y[t]) && !isnan(x[t])) {
            xs[m] = x[t];
            ys[m++] = y[t];
        }
    return m > 2 ? gsl_stats_spearman(xs, 1, ys, 1, m, work) : NAN;
}

/* Is the input at `path` (ALT/SOURCE.KEY or ALT.fixed_bid.KEY) drawn
 * per item? */
static int item_level(const char *path)
{
    const char *slash = strchr(path, '/'), *fb = strstr(path, ".fixed_bid.");
    const char *key = slash ? strchr(slash, '.') : fb ? fb + 10 : NULL;
    return key && src_key_item_level(key + 1);
}

/* Observed-count calibrations are uncertain inputs too (their posteriors):
 * on a seed-like pod they drive the answer.  Each is swung as a whole:
 * throughput at its Gamma(items + 1/2, rate days) posterior's P10 and P90
 * (held as a constant throughput_per_month), the outcome mix at the P10
 * and P90 of the accepted share's Beta(a + 1, r + s + 2) marginal, with
 * rework and superseded splitting the rest in their posterior-mean
 * proportions (r + 1) : (s + 1). */
typedef struct obs_input {
    char path[PRM_PATH_MAX];
    yt_node *src;              /* the source's mapping */
    int outcomes;              /* 0: throughput, 1: outcomes */
    double c[3];               /* items, days | accepted, rework, superseded */
} obs_input;

static int obs_count(const yt_node *m, const char *key, double *out)
{
    const yt_node *v = yt_get(m, key, NULL);
    *out = 0;
    if (!v)
        return 1; /* absent counts are 0 (the loader's rule for outcomes) */
    if (v->kind != YT_SCALAR)
        return 0;
    char *end;
    *out = strtod(v->str, &end);
    return *end == '\0';
}

static void collect_observed(obs_input *o, size_t *n, size_t cap, yt_node *src, const char *path)
{
    const yt_node *tp = yt_get(src, "throughput", NULL), *oc = yt_get(src, "outcomes", NULL);
    const yt_node *tobs = tp ? yt_get(tp, "observed", NULL) : NULL, *oobs = oc ? yt_get(oc, "observed", NULL) : NULL;
    if (tobs && *n < cap && obs_count(tobs, "items", &o[*n].c[0]) && obs_count(tobs, "days", &o[*n].c[1])) {
        snprintf(o[*n].path, PRM_PATH_MAX, "%.*s.throughput", PRM_PATH_MAX - 32, path);
        o[*n].src = src;
        o[*n].outcomes = 0;
        (*n)++;
    }
    if (oobs && *n < cap && obs_count(oobs, "accepted", &o[*n].c[0]) && obs_count(oobs, "rework", &o[*n].c[1]) &&
        obs_count(oobs, "superseded", &o[*n].c[2])) {
        snprintf(o[*n].path, PRM_PATH_MAX, "%.*s.outcomes.accepted", PRM_PATH_MAX - 32, path);
        o[*n].src = src;
        o[*n].outcomes = 1;
        (*n)++;
    }
}

/* The posterior quantile p of an observed input (throughput per month, or
 * the accepted share). */
static double obs_quantile(const obs_input *o, double p, double dpm)
{
    if (!o->outcomes)
        return dpm * gsl_cdf_gamma_Pinv(p, o->c[0] + 0.5, 1 / o->c[1]);
    return gsl_cdf_beta_Pinv(p, o->c[0] + 1, o->c[1] + o->c[2] + 2);
}

/* Evaluate the statistic with the observed input held at v: the source's
 * key and value are swapped for a constant for one evaluation, then put
 * back. */
static int obs_eval(swp_setup *S, const obs_input *o, double v, double *stat, diag *d)
{
    yt_node *m = o->src;
    size_t i = 0;
    const char *key = o->outcomes ? "outcomes" : "throughput";
    while (i < m->n && strcmp(m->keys[i]->str, key))
        i++;
    if (i == m->n)
        return diag_runtime(d, "tornado: '%s' vanished from the scenario tree", o->path);
    yt_node *k0 = m->keys[i], *v0 = m->items[i];
    char num[4][40];
    yt_node nk = *k0, nv = {.kind = YT_SCALAR, .line = v0->line, .col = v0->col, .plain = 1};
    yt_node sk[3], sv[3], *kp[3], *vp[3];
    if (!o->outcomes) {
        nk.str = "throughput_per_month";
        snprintf(num[0], sizeof num[0], "%.17g", v);
        nv.str = num[0];
    } else {
        static const char *const names[3] = {"accepted", "rework", "superseded"};
        double rest = o->c[1] + o->c[2] + 2, p[3] = {v, (1 - v) * (o->c[1] + 1) / rest, 0};
        p[2] = 1 - p[0] - p[1];
        nv.kind = YT_MAP;
        nv.n = 3;
        nv.keys = kp;
        nv.items = vp;
        for (int j = 0; j < 3; j++) {
            snprintf(num[j], sizeof num[j], "%.17g", p[j] > 0 ? p[j] : 0);
            sk[j] = (yt_node){.kind = YT_SCALAR, .line = v0->line, .col = v0->col, .str = names[j], .plain = 1};
            sv[j] = (yt_node){.kind = YT_SCALAR, .line = v0->line, .col = v0->col, .str = num[j], .plain = 1};
            kp[j] = &sk[j];
            vp[j] = &sv[j];
        }
    }
    m->keys[i] = &nk;
    m->items[i] = &nv;
    swp_point pt;
    S->nnodes = 0;
    int rc = swp_eval(S, NULL, 1, &pt, d);
    m->keys[i] = k0;
    m->items[i] = v0;
    *stat = pt.stat[0];
    return rc;
}

/* One input's swing: the statistic with the input held at its 10th and
 * then its 90th percentile (a cmpi_deal job: k < w->n an input of the
 * tree, else observed input k − w->n). */
typedef struct swing_rec {
    double q10, q90, at10, at90;
} swing_rec;

typedef struct swing_job {
    swp_setup *S;
    const walk *w;
    const obs_input *obs;
    double dpm;
} swing_job;

static int swing(void *ctx, size_t k, void *rec, diag *d)
{
    swing_job *J = ctx;
    swp_setup *S = J->S;
    swing_rec *r = rec;
    if (k >= J->w->n) {
        const obs_input *o = &J->obs[k - J->w->n];
        r->q10 = obs_quantile(o, 0.10, J->dpm);
        r->q90 = obs_quantile(o, 0.90, J->dpm);
        return obs_eval(S, o, r->q10, &r->at10, d) || obs_eval(S, o, r->q90, &r->at90, d) ? -1 : 0;
    }
    const found *f = &J->w->f[k];
    dist x;
    if (dist_parse(S->doc, f->node, f->path, DOM_ANY, &x, d))
        return -1;
    r->q10 = dist_quantile(&x, 0.10);
    r->q90 = dist_quantile(&x, 0.90);
    dist_release(&x);
    /* hold the input at a constant, then give the node its dist back */
    swp_point pt;
    yt_node saved = *f->node;
    S->node[0] = f->node;
    S->nnodes = 1;
    int erc = swp_eval(S, &r->q10, 1, &pt, d);
    r->at10 = pt.stat[0];
    if (!erc)
        erc = swp_eval(S, &r->q90, 1, &pt, d);
    r->at90 = pt.stat[0];
    *f->node = saved;
    S->nnodes = 0;
    return erc;
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
    obs_input obs[32];
    size_t nobs = 0;
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
            collect_observed(obs, &nobs, sizeof obs / sizeof obs[0], sources->items[j], p);
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
    double *cbuf = NULL, *spear = NULL;
    char *per_item = NULL;
    swing_rec *sw = NULL;
    int rc = -1;
    S->nnodes = 0;
    S->keep = 1;
    int brc = swp_eval(S, NULL, 1, &pt, d);
    S->keep = 0;
    if (brc)
        goto out;
    out->base = pt.stat[0];
    /* rank correlations in the base run, before the swings */
    size_t nt = (size_t)S->kept->trials;
    double dpm = S->kept_scn->cal.days_per_month, obs_spear[32];
    cbuf = malloc(5 * (nt ? nt : 1) * sizeof *cbuf);
    spear = calloc(w.n ? w.n : 1, sizeof *spear);
    per_item = calloc(w.n ? w.n : 1, 1);
    out->inputs = calloc(w.n + nobs + 1, sizeof *out->inputs);
    if (!cbuf || !spear || !per_item || !out->inputs) {
        diag_runtime(d, "out of memory");
        goto out;
    }
    int ka = scn_find_alt(S->kept_scn, alt);
    const double *metric = ka >= 0 ? eng_metric_data(S->kept, (size_t)ka, S->metric) : NULL;
    for (size_t k = 0; k < w.n; k++) {
        const double *x = metric ? input_values(S, alt, w.f[k].path, cbuf) : NULL;
        spear[k] = x ? spearman(x, metric, nt, cbuf + nt, cbuf + 2 * nt, cbuf + 3 * nt) : NAN;
        per_item[k] = !x && item_level(w.f[k].path);
    }
    for (size_t k = 0; k < nobs; k++) {
        const double *x = metric ? input_values(S, alt, obs[k].path, cbuf) : NULL;
        obs_spear[k] = x ? spearman(x, metric, nt, cbuf + nt, cbuf + 2 * nt, cbuf + 3 * nt) : NAN;
    }
    eng_results_free(S->kept);
    scn_free(S->kept_scn);
    S->kept = NULL;
    S->kept_scn = NULL;
    /* the swings: independent whole simulations, dealt to MPI ranks */
    swing_job J = {S, &w, obs, dpm};
    if (!(sw = malloc((w.n + nobs + 1) * sizeof *sw))) {
        diag_runtime(d, "out of memory");
        goto out;
    }
    if (cmpi_deal(w.n + nobs, sizeof *sw, sw, swing, &J, d))
        goto out;
    for (size_t k = 0; k < w.n + nobs; k++) {
        trn_input *in = &out->inputs[out->n];
        if (k < w.n) {
            in->spearman = spear[k];
            in->per_item = per_item[k];
            snprintf(in->path, sizeof in->path, "%s", w.f[k].path);
        } else {
            memcpy(in->path, obs[k - w.n].path, sizeof in->path);
            in->spearman = obs_spear[k - w.n];
        }
        in->q10 = sw[k].q10;
        in->q90 = sw[k].q90;
        in->at10 = sw[k].at10;
        in->at90 = sw[k].at90;
        in->swing = fabs(in->at90 - in->at10);
        out->n++;
    }
    rc = 0;
out:
    eng_results_free(S->kept);
    scn_free(S->kept_scn);
    S->kept = NULL;
    S->kept_scn = NULL;
    free(cbuf);
    free(spear);
    free(per_item);
    free(sw);
    free(w.f);
    if (rc) {
        trn_release(out);
        return -1;
    }
    qsort(out->inputs, out->n, sizeof *out->inputs, cmp_swing);
    return 0;
}
