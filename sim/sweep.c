/*
 * sweep — evaluations at parameter values and Brent on their differences.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "engine.h"
#include "sweep.h"

/* A quantile's standard error from its 68 % order-statistic interval. */
static double quantile_se(const double *sorted, size_t n, double p)
{
    double lo, hi;
    stats_quantile_ci(sorted, n, p, 0.6827, &lo, &hi);
    return (hi - lo) / 2;
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
    eng_opts o = {.trials = s->trials, .seed = s->seed, .threads = S->threads};
    if (S->keep) {
        int k = scn_find_alt(s, S->pair[0]);
        o.keep_draws = k >= 0;
        o.draws_alt = k >= 0 ? (size_t)k : 0;
    }
    eng_results *r = NULL;
    if (eng_run(s, &o, &r, d)) {
        scn_free(s);
        return -1;
    }
    size_t n = (size_t)r->trials;
    double *scratch = malloc(n * sizeof *scratch);
    if (!scratch) {
        eng_results_free(r);
        scn_free(s);
        return diag_runtime(d, "out of memory");
    }
    int ia = -1, ib = -1;
    out->nalts = s->nalts;
    double q = prm_stat_quantile(S->stat);
    for (size_t a = 0; a < s->nalts; a++) {
        stats_summary st;
        stats_summarise(eng_metric_data(r, a, S->metric), n, scratch, &st);
        snprintf(out->names[a], SCN_NAME_MAX, "%s", s->alts[a].name);
        out->stat[a] = prm_stat_value(&st, S->stat);
        out->se[a] = S->stat == PS_MEAN ? st.se : !isnan(q) ? quantile_se(scratch, st.n, q) : NAN;
        out->band_lo[a] = st.p10;
        out->band_hi[a] = st.p90;
        if (!strcmp(s->alts[a].name, S->pair[0]))
            ia = (int)a;
        if (!strcmp(s->alts[a].name, S->pair[1]))
            ib = (int)a;
    }
    out->diff = out->diff_se = NAN;
    if (ia >= 0 && ib >= 0) {
        out->diff = out->stat[ia] - out->stat[ib];
        if (S->stat == PS_MEAN) {
            stats_paired pd;
            stats_paired_diff(eng_metric_data(r, (size_t)ia, S->metric),
                              eng_metric_data(r, (size_t)ib, S->metric), n, &pd);
            out->diff_se = pd.se; /* paired: common random numbers make it small */
        } else {
            out->diff_se = hypot(out->se[ia], out->se[ib]);
        }
    }
    free(scratch);
    if (S->keep) {
        eng_results_free(S->kept);
        scn_free(S->kept_scn);
        S->kept = r;
        S->kept_scn = s;
        return 0;
    }
    eng_results_free(r);
    scn_free(s);
    return 0;
}

typedef struct solve_ctx {
    swp_setup *S;
    int which;
    double other;
    diag *d;
    int failed, evals;
    double last_se;
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
    c->evals++;
    if (swp_eval(c->S, vals, 1, &p, c->d)) {
        c->failed = 1;
        return NAN;
    }
    c->last_se = p.diff_se;
    return p.diff;
}

int swp_solve(swp_setup *S, int which, double a, double b, double other, double fa, double fb,
              swp_root *out, diag *d)
{
    solve_ctx c = {S, which, other, d, 0, 0, NAN};
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
    gsl_function fn = {f_at, &c};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return diag_runtime(d, "out of memory");
    /* an exact zero at an end is the root (Brent needs a strict sign change) */
    double root = fa == 0 ? a : fb == 0 ? b : NAN;
    if (isnan(root) && gsl_root_fsolver_set(s, &fn, a, b) == GSL_SUCCESS) {
        for (int it = 0; it < 60 && !c.failed; it++) {
            if (gsl_root_fsolver_iterate(s))
                break;
            root = gsl_root_fsolver_root(s);
            if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                       1e-5 * (b - a), 0) == GSL_SUCCESS)
                break;
        }
    }
    gsl_root_fsolver_free(s);
    if (c.failed)
        return -1;
    /* the interval: the difference's SE at the root over the local slope */
    double h = 0.01 * (b - a);
    double lo_v = root - h < a ? a : root - h, hi_v = root + h > b ? b : root + h;
    double f_lo = f_at(lo_v, &c), se = c.last_se, f_hi = f_at(hi_v, &c);
    if (c.failed)
        return -1;
    se = isnan(c.last_se) ? se : (se + c.last_se) / 2;
    double slope = (f_hi - f_lo) / (hi_v - lo_v);
    out->found = 1;
    out->x = root;
    double half = isfinite(se) && slope != 0 ? 1.96 * se / fabs(slope) : NAN;
    out->lo = root - half;
    out->hi = root + half;
    out->evaluations = c.evals;
    return 0;
}
