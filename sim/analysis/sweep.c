/*
 * sweep — evaluations at parameter values and Brent on their differences.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "budget.h"
#include "costonly.h"
#include "engine.h"
#include "recost.h"
#include "scnload.h"
#include "sweep.h"

/* A quantile's standard error from its 68 % order-statistic interval. */
static double quantile_se(const double *sorted, size_t n, double p)
{
    double lo, hi;
    stats_quantile_ci(sorted, n, p, 0.6827, &lo, &hi);
    return (hi - lo) / 2;
}

/* Put a tape in slot k, taped in scenario scn (now owned by S, maybe
 * shared with the other slot); what the slot held is freed. */
static void tape_set(swp_setup *S, int k, const char *name, eng_tape *t, scn_scenario *scn)
{
    eng_tape_free(S->tape[k]);
    scn_scenario *old = S->tape_scn[k];
    S->tape[k] = t;
    S->tape_scn[k] = scn;
    if (old && old != scn && old != S->tape_scn[1 - k])
        scn_free(old);
    snprintf(S->tape_name[k], SCN_NAME_MAX, "%s", name ? name : "");
}

void swp_release(swp_setup *S)
{
    for (int i = 0; i < S->ncache; i++)
        free(S->cache[i]);
    S->ncache = 0;
    tape_set(S, 0, NULL, NULL, NULL);
    tape_set(S, 1, NULL, NULL, NULL);
    S->ntapes = 0;
}

static int holds(const yt_node *n, const yt_node *t)
{
    if (n == t)
        return 1;
    for (size_t i = 0; n && n->kind != YT_SCALAR && i < n->n; i++)
        if (holds(n->items[i], t))
            return 1;
    return 0;
}

/* The name of the alternative whose entry in the tree holds node t; NULL
 * when none does (work, people, calendar, decision: they reach every
 * alternative).  By position, not by the path's spelling: an alternative
 * may be named `work`. */
static const char *owner(const yt_doc *doc, const yt_node *t)
{
    const yt_node *alts = doc->root ? yt_get(doc->root, "alternatives", NULL) : NULL;
    for (size_t a = 0; alts && alts->kind == YT_SEQ && a < alts->n; a++) {
        const yt_node *nm = yt_get(alts->items[a], "name", NULL);
        if (holds(alts->items[a], t))
            return nm && nm->kind == YT_SCALAR ? nm->str : NULL;
    }
    return NULL;
}

/* 1 when alternatives no swept node reaches may be cached: every node lies
 * inside an alternative, and no copula couples the alternatives' draws.
 * owners[i] receives node i's alternative. */
static int cacheable(const swp_setup *S, const scn_scenario *s, const char *owners[2])
{
    if (!S->cache_on || S->keep || s->corr.k || !S->nnodes)
        return 0;
    for (int i = 0; i < S->nnodes; i++)
        if (!(owners[i] = owner(S->doc, S->node[i])))
            return 0;
    return 1;
}

static int reached(const swp_setup *S, const char *const owners[2], const char *alt)
{
    for (int i = 0; i < S->nnodes; i++)
        if (!strcmp(owners[i], alt))
            return 1;
    return 0;
}

static int cache_find(const swp_setup *S, const char *alt)
{
    for (int i = 0; i < S->ncache; i++)
        if (!strcmp(S->cache_name[i], alt))
            return i;
    return -1;
}

static int tape_find(const swp_setup *S, const char *alt)
{
    for (int k = 0; k < S->ntapes; k++)
        if (!strcmp(S->tape_name[k], alt))
            return k;
    return -1;
}

/* Whether re-costing may be used in this evaluation (model §18.46); then
 * owners[i] is node i's alternative.  A distributed run (eng_distribute:
 * the first point under mpiexec) gathers only the metric read, never a
 * tape. */
static int recost_usable(const swp_setup *S, const scn_scenario *s, const char *owners[2])
{
    if (!S->recost_on || S->keep || s->corr.k || !S->nnodes || eng_distribute)
        return 0;
    for (int i = 0; i < S->nnodes; i++)
        if (!(owners[i] = owner(S->doc, S->node[i])))
            return 0;
    return 1;
}

/* Re-cost every live alternative of s that a tape answers (the swept
 * nodes reach it, and it changed only in cost-only ways since it was
 * taped), into rc[file index] (owned by the caller), and take it out of
 * s.  names[nall] are the alternatives in file order.  Returns 0, or -1
 * with d (out of memory, or a metric that is not a number). */
static int recost_live(swp_setup *S, scn_scenario *s, const char *const owners[2],
                       char names[][SCN_NAME_MAX], size_t nall, double *rc[], diag *d)
{
    for (size_t a = s->nalts; a-- > 0;) {
        const char *name = s->alts[a].name;
        int k = reached(S, owners, name) ? tape_find(S, name) : -1;
        if (k < 0)
            continue;
        const eng_tape *t = S->tape[k];
        int ta = scn_find_alt(S->tape_scn[k], name);
        if (!t->complete || t->metric != S->metric || t->trials != s->trials || ta < 0 ||
            !scn_cost_only_change(S->tape_scn[k], (size_t)ta, s, a))
            continue;
        size_t f = 0;
        while (f < nall && strcmp(names[f], name))
            f++;
        double *x = f < nall ? malloc((size_t)s->trials * sizeof *x) : NULL;
        if (!x)
            return diag_runtime(d, "out of memory");
        rc[f] = x;
        if (eng_recost(s, a, s->seed, t, x, d))
            return -1;
        S->nrecost++;
        scn_remove_alt(s, a);
    }
    return 0;
}

/* Tapes for the live alternatives of s a swept node reaches (capacity
 * mixes without stop-loss rules), into tapes[s->nalts] (NULL: none), as
 * long as the run's results, the cache and every tape fit the memory
 * budget together (budget.h); nall alternatives in all. */
static void tapes_plan(const swp_setup *S, const scn_scenario *s, const char *const owners[2], size_t nall,
                       eng_tape **tapes)
{
    double bytes = (double)nall * 2 * ENG_TRIAL_BYTES; /* as sw_load_doc counts a sweep */
    for (int k = 0; k < S->ntapes; k++)
        if (S->tape[k])
            bytes += eng_tape_bytes(S->tape[k]->nsrc);
    for (size_t a = 0; a < s->nalts; a++) {
        const scn_alternative *alt = &s->alts[a];
        tapes[a] = NULL;
        if (!reached(S, owners, alt->name) || alt->kind != ALT_MIX || alt->nrules)
            continue;
        int k = tape_find(S, alt->name);
        if (k < 0 && S->ntapes == 2)
            continue;
        bytes += eng_tape_bytes(alt->nsources);
        diag ignored;
        if (eng_memory_check_need(s->trials, 1, bytes, "sweep", &ignored)) {
            bytes -= eng_tape_bytes(alt->nsources);
            continue; /* simulated at every point, as without re-costing */
        }
        tapes[a] = eng_tape_new(s->trials, alt->nsources, S->metric);
    }
}

/* After the run: keep the complete tapes, each replacing its
 * alternative's older one.  Returns 1 when S now owns s. */
static int tapes_keep(swp_setup *S, scn_scenario *s, eng_tape **tapes)
{
    int kept = 0;
    for (size_t a = 0; a < s->nalts; a++) {
        if (!tapes[a])
            continue;
        int k = tape_find(S, s->alts[a].name);
        if (k < 0 && S->ntapes < 2 && tapes[a]->complete)
            k = S->ntapes++;
        if (k < 0 || !tapes[a]->complete) {
            eng_tape_free(tapes[a]);
            continue;
        }
        tape_set(S, k, s->alts[a].name, tapes[a], s);
        kept = 1;
    }
    return kept;
}

int swp_eval(swp_setup *S, const double *vals, int only_pair, swp_point *out, diag *d)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < S->nnodes; i++)
        if (prm_set(S->doc, S->node[i], vals[i], d))
            return -1;
    scn_scenario *s = NULL;
    if (scn_load_doc(S->doc, S->sha256, &s, d)) {
        if (d->kind == DIAG_INPUT) {
            char suffix[96];
            if (S->nnodes > 1)
                snprintf(suffix, sizeof suffix, " (with the swept values %.10g, %.10g)", vals[0],
                         vals[1]);
            else
                snprintf(suffix, sizeof suffix, " (with the swept value %.10g)", vals[0]);
            size_t len = strlen(d->msg), sl = strlen(suffix);
            if (len + sl < sizeof d->msg)
                memcpy(d->msg + len, suffix, sl + 1);
        }
        return -1;
    }
    if (only_pair)
        for (size_t a = s->nalts; a-- > 0;)
            if (strcmp(s->alts[a].name, S->pair[0]) && strcmp(s->alts[a].name, S->pair[1]))
                scn_remove_alt(s, a);
    if (s->nalts > SWP_MAX_ALTS) {
        scn_free(s);
        return diag_input(d, NULL, 0, 0, "a sweep compares at most %d alternatives", SWP_MAX_ALTS);
    }
    if (S->trials)
        s->trials = S->trials;
    if (S->have_seed)
        s->seed = S->seed;
    /* every alternative in file order: simulated now (live index) or cached */
    const char *owners[2] = {NULL, NULL};
    int use_cache = cacheable(S, s, owners) && (!S->ncache || S->cache_trials == s->trials);
    size_t nall = s->nalts;
    int cached[SWP_MAX_ALTS];
    for (size_t a = 0; a < nall; a++) {
        snprintf(out->names[a], SCN_NAME_MAX, "%s", s->alts[a].name);
        cached[a] = use_cache ? cache_find(S, s->alts[a].name) : -1;
    }
    for (size_t a = nall; a-- > 0;)
        if (cached[a] >= 0)
            scn_remove_alt(s, a);
    /* re-costed alternatives (model §18.46) leave the run too */
    double *rc[SWP_MAX_ALTS] = {NULL};
    eng_tape *tapes[SWP_MAX_ALTS] = {NULL};
    const char *rowners[2] = {NULL, NULL};
    int recost = recost_usable(S, s, rowners);
    if (recost && recost_live(S, s, rowners, out->names, nall, rc, d))
        goto fail;
    if (recost)
        tapes_plan(S, s, rowners, nall, tapes);
    eng_opts o = {.trials = s->trials, .seed = s->seed, .threads = S->threads,
                  .metrics_read = 1u << S->metric, /* nor does a tornado's kept run */
                  .tapes = recost ? tapes : NULL};
    if (S->keep) {
        int k = scn_find_alt(s, S->pair[0]);
        o.keep_draws = k >= 0;
        o.draws_alt = k >= 0 ? (size_t)k : 0;
    }
    eng_results *r = NULL;
    if (s->nalts && eng_run(s, &o, &r, d))
        goto fail;
    int s_kept = recost && tapes_keep(S, s, tapes);
    size_t n = (size_t)s->trials;
    double *scratch = malloc(n * sizeof *scratch);
    if (!scratch) {
        diag_runtime(d, "out of memory");
        eng_results_free(r);
        for (size_t a = 0; a < nall; a++)
            free(rc[a]);
        if (!s_kept)
            scn_free(s);
        return -1;
    }
    /* the per-trial metric of every alternative, in file order */
    const double *x[SWP_MAX_ALTS];
    for (size_t a = 0, live = 0; a < nall; a++) {
        if (cached[a] >= 0) {
            x[a] = S->cache[cached[a]];
            continue;
        }
        if (rc[a]) {
            x[a] = rc[a];
            continue;
        }
        x[a] = eng_metric_data(r, live++, S->metric);
        if (use_cache && S->ncache < SWP_MAX_ALTS && !reached(S, owners, out->names[a])) {
            double *c = malloc(n * sizeof *c);
            if (c) { /* no room: simulated again next time, same numbers */
                memcpy(c, x[a], n * sizeof *c);
                snprintf(S->cache_name[S->ncache], SCN_NAME_MAX, "%s", out->names[a]);
                S->cache[S->ncache++] = c;
                S->cache_trials = s->trials;
            }
        }
    }
    int ia = -1, ib = -1;
    out->nalts = nall;
    double q = prm_stat_quantile(S->stat);
    for (size_t a = 0; a < nall; a++) {
        stats_summary st;
        stats_summarise(x[a], n, scratch, &st);
        out->stat[a] = prm_stat_value(&st, S->stat);
        out->se[a] = S->stat == PS_MEAN ? st.se : !isnan(q) ? quantile_se(scratch, st.n, q) : NAN;
        out->band_lo[a] = st.p10;
        out->band_hi[a] = st.p90;
        if (!strcmp(out->names[a], S->pair[0]))
            ia = (int)a;
        if (!strcmp(out->names[a], S->pair[1]))
            ib = (int)a;
    }
    out->diff = out->diff_se = NAN;
    if (ia >= 0 && ib >= 0) {
        out->diff = out->stat[ia] - out->stat[ib];
        if (S->stat == PS_MEAN) {
            stats_paired pd;
            stats_paired_diff(x[ia], x[ib], n, &pd);
            out->diff_se = pd.se; /* paired: common random numbers make it small */
        } else {
            out->diff_se = hypot(out->se[ia], out->se[ib]);
        }
    }
    free(scratch);
    for (size_t a = 0; a < nall; a++)
        free(rc[a]);
    if (S->keep) {
        eng_results_free(S->kept);
        scn_free(S->kept_scn);
        S->kept = r;
        S->kept_scn = s;
        return 0;
    }
    eng_results_free(r);
    if (!s_kept)
        scn_free(s);
    return 0;
fail:
    for (size_t a = 0; a < nall; a++)
        free(rc[a]);
    for (size_t a = 0; a < SWP_MAX_ALTS; a++)
        eng_tape_free(tapes[a]);
    scn_free(s);
    return -1;
}

/* Every evaluation a solve makes is kept (value, difference, its SE): the
 * root's interval takes its slope from the evaluations next to the root
 * instead of two more simulations. */
#define SOLVE_MAX_EVALS 128

typedef struct solve_ctx {
    swp_setup *S;
    int which;
    double other;
    diag *d;
    int failed, evals;
    double last_se;
    double v[SOLVE_MAX_EVALS], f[SOLVE_MAX_EVALS], se[SOLVE_MAX_EVALS];
    int nrec;
} solve_ctx;

static double f_at(double v, void *arg)
{
    solve_ctx *c = arg;
    double vals[2];
    vals[c->which] = v;
    vals[1 - c->which] = c->other;
    swp_point p;
    if (c->failed)
        return NAN;
    /* GSL's Brent evaluates the ends of the bracket it is given, which the
     * bracketing already did: the same value gives the same bits (common
     * random numbers), so a value seen before is not simulated again */
    for (int i = 0; i < c->nrec; i++)
        if (c->v[i] == v) {
            c->last_se = c->se[i];
            return c->f[i];
        }
    c->evals++;
    if (swp_eval(c->S, vals, 1, &p, c->d)) {
        c->failed = 1;
        return NAN;
    }
    c->last_se = p.diff_se;
    if (c->nrec < SOLVE_MAX_EVALS) {
        c->v[c->nrec] = v;
        c->f[c->nrec] = p.diff;
        c->se[c->nrec++] = p.diff_se;
    }
    return p.diff;
}

/* The closest recorded evaluations below and above x (indices, -1 none). */
static void neighbours(const solve_ctx *c, double x, int *lo, int *hi)
{
    *lo = *hi = -1;
    for (int i = 0; i < c->nrec; i++) {
        if (c->v[i] <= x && (*lo < 0 || c->v[i] > c->v[*lo]))
            *lo = i;
        if (c->v[i] >= x && (*hi < 0 || c->v[i] < c->v[*hi]))
            *hi = i;
    }
}

/* Brent on [a, b] (f changes sign there; fa, fb known), then the root's
 * interval: ± 1.96 · SE(difference) / |slope|, the slope from the recorded
 * evaluations either side of the root when they are within 2 % of the
 * range, else from two more at ± 1 %.  Brent stops when its bracket is
 * narrower than stop_share (a tenth) of that interval's half-width: the
 * root is then known to within a tenth of its own Monte Carlo noise, and
 * solving further would only chase the noise (model §18.44). */
static int brent(solve_ctx *c, double a, double b, double fa, double fb, double range, swp_root *out)
{
    gsl_function fn = {f_at, c};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return diag_runtime(c->d, "out of memory");
    double root = fa == 0 ? a : fb == 0 ? b : NAN;
    double slope0 = (fb - fa) / (b - a); /* a first guess at the scale of the interval */
    if (isnan(root) && gsl_root_fsolver_set(s, &fn, a, b) == GSL_SUCCESS) {
        for (int it = 0; it < 60 && !c->failed; it++) {
            if (gsl_root_fsolver_iterate(s))
                break;
            root = gsl_root_fsolver_root(s);
            double xl = gsl_root_fsolver_x_lower(s), xu = gsl_root_fsolver_x_upper(s);
            int lo, hi;
            neighbours(c, root, &lo, &hi);
            double slope = lo >= 0 && hi >= 0 && c->v[hi] > c->v[lo]
                               ? (c->f[hi] - c->f[lo]) / (c->v[hi] - c->v[lo])
                               : slope0;
            double half = isfinite(c->last_se) && slope != 0 ? 1.96 * c->last_se / fabs(slope) : 0;
            double share = c->S->stop_share > 0 ? c->S->stop_share : 0.1;
            double tol = fmax(1e-5 * range, share * half);
            if (gsl_root_test_interval(xl, xu, tol, 0) == GSL_SUCCESS)
                break;
        }
    }
    gsl_root_fsolver_free(s);
    if (c->failed)
        return -1;
    int lo, hi;
    neighbours(c, root, &lo, &hi);
    double h = 0.01 * range;
    if (lo < 0 || hi < 0 || c->v[hi] <= c->v[lo] || c->v[hi] - c->v[lo] > 4 * h) {
        double lo_v = root - h < a ? a : root - h, hi_v = root + h > b ? b : root + h;
        f_at(lo_v, c);
        f_at(hi_v, c);
        if (c->failed)
            return -1;
        lo = c->nrec - 2;
        hi = c->nrec - 1;
    }
    double se = isnan(c->se[lo]) ? c->se[hi] : isnan(c->se[hi]) ? c->se[lo] : (c->se[lo] + c->se[hi]) / 2;
    double slope = (c->f[hi] - c->f[lo]) / (c->v[hi] - c->v[lo]);
    out->found = 1;
    out->x = root;
    double half = isfinite(se) && slope != 0 ? 1.96 * se / fabs(slope) : NAN;
    out->lo = root - half;
    out->hi = root + half;
    out->evaluations = c->evals;
    return 0;
}

int swp_solve(swp_setup *S, int which, double a, double b, double other, double fa, double fb,
              swp_root *out, diag *d)
{
    solve_ctx c = {.S = S, .which = which, .other = other, .d = d, .last_se = NAN};
    memset(out, 0, sizeof *out);
    out->x = out->lo = out->hi = NAN;
    if (isnan(fa))
        fa = f_at(a, &c);
    if (isnan(fb))
        fb = f_at(b, &c);
    if (c.failed)
        return -1;
    out->evaluations = c.evals;
    out->fa = fa;
    out->fb = fb;
    if (isnan(fa) || isnan(fb) || (fa != 0 && fb != 0 && (fa < 0) == (fb < 0)))
        return 0; /* no crossing in range */
    return brent(&c, a, b, fa, fb, b - a, out);
}

int swp_solve_near(swp_setup *S, int which, double a, double b, double other, double guess,
                   double width, swp_root *out, diag *d)
{
    if (!(guess >= a && guess <= b) || !(width > 0))
        return swp_solve(S, which, a, b, other, NAN, NAN, out, d);
    solve_ctx c = {.S = S, .which = which, .other = other, .d = d, .last_se = NAN};
    memset(out, 0, sizeof *out);
    out->x = out->lo = out->hi = NAN;
    double l = fmax(a, guess - width), h = fmin(b, guess + width);
    double fl = f_at(l, &c), fh = f_at(h, &c);
    while (!c.failed && !isnan(fl) && !isnan(fh) && fl != 0 && fh != 0 && (fl < 0) == (fh < 0) &&
           (l > a || h < b)) {
        /* no sign change yet: widen fourfold, both ends, each new bracket
         * holding the last, until it covers [a, b] */
        width *= 4;
        double nl = fmax(a, guess - width), nh = fmin(b, guess + width);
        if (nl < l)
            fl = f_at(l = nl, &c);
        if (nh > h && !c.failed)
            fh = f_at(h = nh, &c);
    }
    if (c.failed)
        return -1;
    out->evaluations = c.evals;
    out->fa = fl;
    out->fb = fh;
    if (isnan(fl) || isnan(fh) || (fl != 0 && fh != 0 && (fl < 0) == (fh < 0)))
        return 0; /* no sign change over the whole range: the ends decide the winner */
    return brent(&c, l, h, fl, fh, b - a, out);
}
