/*
 * calcheck — calibrate's posterior predictive self-check (calcheck.h).
 */
#include "calcheck.h"
#include "engine.h"
#include "scnload.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

void cal_median_interval(const double *sorted, size_t n, double *lo, double *hi)
{
    *lo = *hi = NAN;
    size_t r = 0;
    for (size_t k = 1; k <= n / 2; k++)
        if (gsl_cdf_binomial_P((unsigned)(k - 1), 0.5, (unsigned)n) <= 0.025)
            r = k;
    if (r) {
        *lo = sorted[r - 1];
        *hi = sorted[n - r];
    }
}

/* The entry "      - name: NAME" of the fragment, to its end: *a, *len. */
static int find_entry(const char *frag, size_t flen, const char *name, const char **a, size_t *len)
{
    char head[CAL_NAME_MAX + 32];
    int hn = snprintf(head, sizeof head, "      - name: %s\n", name);
    const char *p = frag, *end = frag + flen;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *next = nl ? nl + 1 : end;
        if ((size_t)(next - p) == (size_t)hn && memcmp(p, head, (size_t)hn) == 0) {
            const char *q = next;
            while (q < end && (size_t)(end - q) > 8 && memcmp(q, "        ", 8) == 0) {
                const char *nl2 = memchr(q, '\n', (size_t)(end - q));
                q = nl2 ? nl2 + 1 : end;
            }
            *a = p;
            *len = (size_t)(q - p);
            return 0;
        }
        p = next;
    }
    return -1;
}

/* P5, P50, P95 of the finite values of x[0..n) (reordered). */
static cal_q quantiles(double *x, size_t n)
{
    cal_q q = {NAN, NAN, NAN};
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            x[m++] = x[i];
    if (!m)
        return q;
    gsl_sort(x, 1, m);
    q.p5 = gsl_stats_quantile_from_sorted_data(x, 1, m, 0.05);
    q.p50 = gsl_stats_quantile_from_sorted_data(x, 1, m, 0.5);
    q.p95 = gsl_stats_quantile_from_sorted_data(x, 1, m, 0.95);
    return q;
}

/* The observed side of one source. */
static void observed(const cal_source *s, cal_check *c)
{
    size_t np = s->pass_first.n + s->pass_rework.n;
    c->days = s->days;
    c->obs_pass_mean = np ? (s->pass_first.mean * (double)s->pass_first.n +
                             (s->pass_rework.n ? s->pass_rework.mean * (double)s->pass_rework.n : 0)) /
                                (double)np
                          : NAN;
    c->n_cycle = s->n_cycle;
    c->obs_cycle_mean = s->n_cycle ? s->cycle_summary.mean : NAN;
    c->obs_cycle_p50 = s->n_cycle ? gsl_stats_median_from_sorted_data(s->cycle, 1, s->n_cycle) : NAN;
    cal_median_interval(s->cycle, s->n_cycle, &c->obs_cycle_lo, &c->obs_cycle_hi);
    c->obs_cost = s->has_invoices ? s->cost_mean : NAN;
}

/* Run one entry; 0 (c filled, or c->why when it does not load), -1 with d. */
static int simulate(const char *entry, size_t elen, uint64_t trials, cal_check *c, diag *d)
{
    char *text = NULL;
    size_t tlen = 0;
    FILE *fp = open_memstream(&text, &tlen);
    if (!fp)
        return diag_runtime(d, "out of memory");
    fprintf(fp,
            "capmix: 1\nname: calibrate-check\nseed: %d\ntrials: %llu\n"
            "people:\n  senior_engineer: {loaded_annual: 200000}\n"
            "  product_manager: {loaded_annual: 200000}\n"
            "work:\n  horizon_days: %.17g\n"
            "alternatives:\n  - name: check\n    sources:\n",
            CAL_CHECK_SEED, (unsigned long long)trials, c->days);
    fwrite(entry, 1, elen, fp);
    if (fflush(fp) || ferror(fp)) {
        fclose(fp);
        free(text);
        return diag_runtime(d, "out of memory");
    }
    fclose(fp);
    scn_scenario *scn = NULL;
    eng_results *res = NULL;
    diag ld;
    diag_clear(&ld);
    int rc = -1;
    if (scn_load_buffer("calibrate-check", text, tlen, &scn, &ld)) {
        if (ld.kind != DIAG_INPUT) {
            *d = ld;
            goto done;
        }
        snprintf(c->why, sizeof c->why, "%s", ld.msg);
        rc = 0;
        goto done;
    }
    eng_opts eo = {0};
    eo.trials = trials;
    eo.seed = CAL_CHECK_SEED;
    eo.threads = 1;
    if (eng_run(scn, &eo, &res, d))
        goto done;
    {
        size_t n = (size_t)res->trials;
        const double *m = res->data; /* alternative 0: [metric][trial] */
        double *x = malloc((n ? n : 1) * sizeof *x);
        if (!x) {
            diag_runtime(d, "out of memory");
            goto done;
        }
        const src_params *sp = &scn->alts[0].sources[0];
        double dpm = scn->cal.days_per_month, lanes = sp->lanes;
        if (!(lanes > 0)) /* round(headcount), drawn per trial: not known here */
            lanes = NAN;
        c->obs_tp *= dpm;
        for (size_t i = 0; i < n; i++) {
            double p = m[M_PASSES * n + i];
            x[i] = p > 0 ? lanes * c->days / p : NAN;
        }
        c->sim_pass = quantiles(x, n);
        memcpy(x, m + M_CYCLE_DAYS * n, n * sizeof *x);
        c->sim_cycle = quantiles(x, n);
        for (size_t i = 0; i < n; i++)
            x[i] = m[M_PASSES * n + i] / c->days * dpm;
        c->sim_tp = quantiles(x, n);
        for (size_t i = 0; i < n; i++)
            x[i] = m[M_COST_DIRECT * n + i] / c->days * dpm;
        c->sim_cost = quantiles(x, n);
        free(x);
    }
    c->simulated = 1;
    rc = 0;
done:
    eng_results_free(res);
    scn_free(scn);
    free(text);
    return rc;
}

int cal_selfcheck(const char *frag, size_t flen, const cal_result *r, const int *cost,
                  uint64_t trials, cal_check **out, size_t *n, diag *d)
{
    cal_check *v = calloc(r->nsources ? r->nsources : 1, sizeof *v);
    size_t k = 0;
    *out = NULL;
    *n = 0;
    if (!v)
        return diag_runtime(d, "out of memory");
    for (size_t i = 0; i < r->nsources; i++) {
        const cal_source *s = &r->sources[i];
        if (!s->has_tickets)
            continue;
        cal_check *c = &v[k++];
        snprintf(c->name, sizeof c->name, "%s", s->name);
        observed(s, c);
        c->has_cost = cost && cost[i] && s->has_invoices;
        c->obs_tp = s->days > 0 ? (double)s->passes / s->days : NAN; /* a day; a month once run */
        const char *a;
        size_t len;
        if (!(s->days > 0)) {
            snprintf(c->why, sizeof c->why, "its passes span no time");
            continue;
        }
        if (find_entry(frag, flen, s->name, &a, &len)) {
            snprintf(c->why, sizeof c->why, "no entry for it in the fragment");
            continue;
        }
        if (simulate(a, len, trials, c, d)) {
            free(v);
            return -1;
        }
    }
    *out = v;
    *n = k;
    return 0;
}
