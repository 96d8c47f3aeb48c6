#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "budget.h"
#include "engine.h"
#include "jsonread.h"
#include "readfile.h"
#include "scnload.h"
#include "stats.h"
#include "yamltree.h"

static const char *const fig_keys[] = {
    "mean_total", "p90_total", "mean_blended", "p90_blended", "cost_per_outcome", "p_delivered", NULL,
};
static const char *const fig_labels[] = {
    "mean total cost", "P90 total cost", "mean blended cost", "P90 blended cost",
    "cost per accepted outcome", "P(delivered)",
};

const char *cmp_fig_key(cmp_fig f) { return fig_keys[f]; }
const char *cmp_fig_label(cmp_fig f) { return fig_labels[f]; }
const char *const *cmp_fig_keys(void) { return fig_keys; }
int cmp_fig_money(cmp_fig f) { return f != CMP_P_DELIVERED; }

int cmp_fig_find(const char *key)
{
    for (int i = 0; fig_keys[i]; i++)
        if (!strcmp(fig_keys[i], key))
            return i;
    return -1;
}

/* The trial data a step keeps for the paired SE of the next: per common
 * alternative, cost_total, blended, accepted, delivered ([alt][4][trial]). */
enum { K_TOTAL, K_BLENDED, K_ACCEPTED, K_DELIVERED, K_N };

typedef struct keep {
    double *v;      /* [alt][K_N][trial]; NaN rows for an absent alternative */
} keep;

static double *row(const cmp_report *r, const keep *k, size_t a, int which)
{
    return k->v + ((size_t)a * K_N + (size_t)which) * r->trials;
}

/* Figures of one simulated step, and its trial data into k. */
static int figures(cmp_report *r, const scn_scenario *s, const eng_results *res, keep *k,
                   double *fig, double *scratch)
{
    size_t n = r->trials;
    for (size_t a = 0; a < r->nalts; a++) {
        double *f = fig + a * CMP_FIGS;
        int i = scn_find_alt(s, r->alts[a]);
        if (i < 0) {
            for (int j = 0; j < CMP_FIGS; j++)
                f[j] = NAN;
            for (int j = 0; j < K_N; j++)
                for (size_t t = 0; t < n; t++)
                    row(r, k, a, j)[t] = NAN;
            continue;
        }
        memcpy(row(r, k, a, K_TOTAL), eng_metric_data(res, (size_t)i, M_COST_TOTAL), n * sizeof(double));
        memcpy(row(r, k, a, K_BLENDED), eng_metric_data(res, (size_t)i, M_BLENDED_COST), n * sizeof(double));
        memcpy(row(r, k, a, K_ACCEPTED), eng_metric_data(res, (size_t)i, M_ACCEPTED), n * sizeof(double));
        memcpy(row(r, k, a, K_DELIVERED), eng_metric_data(res, (size_t)i, M_DELIVERED), n * sizeof(double));
        stats_summary sm;
        stats_summarise(row(r, k, a, K_TOTAL), n, scratch, &sm);
        f[CMP_MEAN_TOTAL] = sm.mean;
        f[CMP_P90_TOTAL] = sm.p90;
        stats_summarise(row(r, k, a, K_BLENDED), n, scratch, &sm);
        f[CMP_MEAN_BLENDED] = sm.mean;
        f[CMP_P90_BLENDED] = sm.p90;
        stats_ratio q;
        stats_ratio_of_means(row(r, k, a, K_TOTAL), row(r, k, a, K_ACCEPTED), n, &q);
        f[CMP_CPO] = q.value;
        stats_summarise(row(r, k, a, K_DELIVERED), n, scratch, &sm);
        f[CMP_P_DELIVERED] = sm.mean;
    }
    return 0;
}

/* Paired SEs of the change from step `p` to step `c`, per figure (NaN for
 * the quantiles, which have no paired SE here). */
static void paired_se(const cmp_report *r, const keep *p, const keep *c, double *se)
{
    size_t n = r->trials;
    for (size_t a = 0; a < r->nalts; a++) {
        double *e = se + a * CMP_FIGS;
        stats_paired pd;
        stats_paired_diff(row(r, c, a, K_TOTAL), row(r, p, a, K_TOTAL), n, &pd);
        e[CMP_MEAN_TOTAL] = pd.n ? pd.se : NAN;
        stats_paired_diff(row(r, c, a, K_BLENDED), row(r, p, a, K_BLENDED), n, &pd);
        e[CMP_MEAN_BLENDED] = pd.n ? pd.se : NAN;
        stats_paired_diff(row(r, c, a, K_DELIVERED), row(r, p, a, K_DELIVERED), n, &pd);
        e[CMP_P_DELIVERED] = pd.n ? pd.se : NAN;
        e[CMP_P90_TOTAL] = e[CMP_P90_BLENDED] = NAN;
        /* The change of a ratio of means on paired trials, by the delta
         * method: each ratio's influence (c_i − R·a_i)/ā, differenced. */
        stats_ratio qc, qp;
        stats_ratio_of_means(row(r, c, a, K_TOTAL), row(r, c, a, K_ACCEPTED), n, &qc);
        stats_ratio_of_means(row(r, p, a, K_TOTAL), row(r, p, a, K_ACCEPTED), n, &qp);
        e[CMP_CPO] = NAN;
        if (n > 1 && isfinite(qc.value) && isfinite(qp.value) && qc.den > 0 && qp.den > 0) {
            double m = 0, m2 = 0;
            size_t cnt = 0;
            const double *cc = row(r, c, a, K_TOTAL), *ca = row(r, c, a, K_ACCEPTED);
            const double *pc = row(r, p, a, K_TOTAL), *pa = row(r, p, a, K_ACCEPTED);
            for (size_t t = 0; t < n; t++) {
                if (!isfinite(cc[t]) || !isfinite(ca[t]) || !isfinite(pc[t]) || !isfinite(pa[t]))
                    continue;
                double x = (cc[t] - qc.value * ca[t]) / qc.den - (pc[t] - qp.value * pa[t]) / qp.den;
                cnt++;
                double dl = x - m;
                m += dl / (double)cnt;
                m2 += dl * (x - m);
            }
            if (cnt > 1)
                e[CMP_CPO] = sqrt(m2 / (double)(cnt - 1) / (double)cnt);
        }
    }
}

/* A run folder (holding a capmix summary.json): the scenario it ran, read
 * from the path it recorded and checked against its SHA-256, and the run's
 * seed and trials.  Returns 0 with *path malloc'd, or -1 with d set. */
static int run_folder(const char *dir, char **path, uint64_t *seed, uint64_t *trials, char sha[65], diag *d)
{
    char name[1200];
    snprintf(name, sizeof name, "%s/summary.json", dir);
    char *text = NULL;
    size_t len = 0;
    if (rf_read(name, 64u << 20, &text, &len, d))
        return -1;
    jr_value *j = jr_parse(name, text, len, d);
    free(text);
    if (!j)
        return -1;
    const jr_value *p = jr_get(j, "scenario_path"), *h = jr_get(j, "input_sha256"),
                   *sd = jr_get(j, "seed"), *tr = jr_get(j, "trials");
    int rc = -1;
    if (!p || p->kind != JR_STR || !h || h->kind != JR_STR || strlen(h->str) != 64 || !sd ||
        sd->kind != JR_NUM || !tr || tr->kind != JR_NUM || tr->num < 2 || sd->num < 0)
        diag_input(d, name, 0, 0, "not the summary.json of a capmix run (it needs scenario_path, "
                   "input_sha256, seed and trials)");
    else if (!(*path = strdup(p->str)))
        diag_runtime(d, "out of memory");
    else {
        *seed = (uint64_t)sd->num;
        *trials = (uint64_t)tr->num;
        memcpy(sha, h->str, 65);
        rc = 0;
    }
    jr_free(j);
    return rc;
}

static int is_dir(const char *p)
{
    struct stat st;
    return !stat(p, &st) && S_ISDIR(st.st_mode);
}

static int load_file(const char *file, scn_scenario **s, yt_doc **doc, uint64_t *seed, uint64_t *trials,
                     diag *d)
{
    *seed = *trials = 0;
    if (is_dir(file)) {
        char *path = NULL, sha[65];
        if (run_folder(file, &path, seed, trials, sha, d))
            return -1;
        int rc = scn_load(path, s, d);
        free(path);
        if (rc)
            return -1;
        if (strcmp((*s)->sha256, sha)) {
            diag_input(d, file, 0, 0, "the scenario this run read (%s) has changed since: its SHA-256 is "
                       "not the one summary.json records", (*s)->file);
            scn_free(*s);
            *s = NULL;
            return -1;
        }
    } else if (scn_load(file, s, d)) {
        return -1;
    }
    if (yt_load_buffer(file, (*s)->text, (*s)->text_len, doc, d)) {
        scn_free(*s);
        *s = NULL;
        return -1;
    }
    return 0;
}

static int common_alts(cmp_report *r, diag *d)
{
    const scn_scenario *o = r->old_s, *n = r->new_s;
    r->alts = calloc(n->nalts ? n->nalts : 1, sizeof *r->alts);
    r->only_new = calloc(n->nalts ? n->nalts : 1, sizeof *r->only_new);
    r->only_old = calloc(o->nalts ? o->nalts : 1, sizeof *r->only_old);
    if (!r->alts || !r->only_new || !r->only_old)
        return diag_runtime(d, "out of memory");
    for (size_t i = 0; i < n->nalts; i++) {
        if (scn_find_alt(o, n->alts[i].name) >= 0)
            snprintf(r->alts[r->nalts++], SCN_NAME_MAX, "%s", n->alts[i].name);
        else
            r->only_new[r->nonly_new++] = n->alts[i].name;
    }
    for (size_t i = 0; i < o->nalts; i++)
        if (scn_find_alt(n, o->alts[i].name) < 0)
            r->only_old[r->nonly_old++] = o->alts[i].name;
    return 0;
}

/* The scenario of step `upto` (changes 0..upto-1 switched): OLD's and NEW's
 * own bytes at the ends, the emitted text in between.  Returns 0, 1 when
 * that text does not load (the caller groups the change with the next),
 * -1 on a runtime failure. */
static int step_scenario(cmp_report *r, size_t upto, unsigned char *on, scn_scenario **s, diag *d)
{
    *s = NULL;
    const scn_scenario *src = upto == 0 ? r->old_s : upto == r->diff.n ? r->new_s : NULL;
    char *text = NULL;
    size_t len = 0;
    if (src) {
        return scn_load_buffer(src->file, src->text, src->text_len, s, d) ? -1 : 0;
    }
    for (size_t i = 0; i < r->diff.n; i++)
        on[i] = i < upto;
    if (ydiff_emit(&r->diff, on, &text, &len, d))
        return -1;
    char name[64];
    snprintf(name, sizeof name, "(OLD with changes 1-%zu)", upto);
    diag e;
    diag_clear(&e);
    int rc = scn_load_buffer(name, text, len, s, &e);
    free(text);
    if (rc == 0)
        return 0;
    if (e.kind == DIAG_RUNTIME) {
        *d = e;
        return -1;
    }
    return 1;
}

static int simulate(cmp_report *r, const cmp_opts *o, diag *d)
{
    size_t nchg = r->diff.n, n = r->trials;
    r->steps = calloc(nchg + 1, sizeof *r->steps);
    unsigned char *on = calloc(nchg ? nchg : 1, 1);
    keep k0 = {0}, kp = {0}, kc = {0};
    size_t kbytes = (r->nalts ? r->nalts : 1) * K_N * n * sizeof(double);
    double *scratch = malloc(n * sizeof *scratch);
    k0.v = malloc(kbytes), kp.v = malloc(kbytes), kc.v = malloc(kbytes);
    r->total_se = calloc((r->nalts ? r->nalts : 1) * CMP_FIGS, sizeof(double));
    int rc = -1;
    if (!r->steps || !on || !scratch || !k0.v || !kp.v || !kc.v || !r->total_se) {
        diag_runtime(d, "out of memory");
        goto done;
    }
    size_t upto = 0, done_changes = 0;
    while (1) {
        scn_scenario *s = NULL;
        int lr = step_scenario(r, upto, on, &s, d);
        if (lr < 0)
            goto done;
        if (lr == 1) {          /* not loadable alone: take the next change too */
            r->grouped++;
            upto++;
            continue;
        }
        cmp_step *st = &r->steps[r->nsteps];
        st->first = done_changes;
        st->last = upto;
        st->fig = malloc((r->nalts ? r->nalts : 1) * CMP_FIGS * sizeof(double));
        st->se = malloc((r->nalts ? r->nalts : 1) * CMP_FIGS * sizeof(double));
        r->nsteps++;
        if (!st->fig || !st->se) {
            scn_free(s);
            diag_runtime(d, "out of memory");
            goto done;
        }
        if (o->progress)
            o->progress(o->progress_ctx, r->nsteps, 0);
        eng_opts eo = {.trials = r->trials, .seed = r->seed, .threads = o->threads, .cancel = o->cancel};
        eng_results *res = NULL;
        int er = s->nalts ? eng_run(s, &eo, &res, d) : 0;
        if (er) {
            scn_free(s);
            goto done;
        }
        keep *cur = r->nsteps == 1 ? &k0 : &kc;
        figures(r, s, res, cur, st->fig, scratch);
        eng_results_free(res);
        scn_free(s);
        if (r->nsteps == 1) {
            for (size_t j = 0; j < r->nalts * CMP_FIGS; j++)
                st->se[j] = NAN;
        } else {
            paired_se(r, r->nsteps == 2 ? &k0 : &kp, &kc, st->se);
            keep t = kp;
            kp = kc;
            kc = t;
        }
        done_changes = upto;
        if (upto == nchg)
            break;
        upto++;
    }
    /* NEW − OLD: the last step's data is in kp (or k0 when nothing changed) */
    if (r->nsteps > 1)
        paired_se(r, &k0, &kp, r->total_se);
    else
        for (size_t j = 0; j < r->nalts * CMP_FIGS; j++)
            r->total_se[j] = 0;
    rc = 0;
done:
    free(on);
    free(scratch);
    free(k0.v);
    free(kp.v);
    free(kc.v);
    return rc;
}

int cmp_run(const char *old_file, const char *new_file, const cmp_opts *o, cmp_report **out, diag *d)
{
    *out = NULL;
    cmp_report *r = calloc(1, sizeof *r);
    if (!r)
        return diag_runtime(d, "out of memory");
    r->old_file = old_file;
    r->new_file = new_file;
    uint64_t seed_o, trials_o, seed_n, trials_n;
    if (load_file(old_file, &r->old_s, &r->old_doc, &seed_o, &trials_o, d) ||
        load_file(new_file, &r->new_s, &r->new_doc, &seed_n, &trials_n, d) ||
        ydiff_compute(r->old_doc, r->new_doc, &r->diff, d) || common_alts(r, d)) {
        cmp_free(r);
        return -1;
    }
    /* a run folder brings the trials and seed it ran with: NEW's figures
     * are then the run's own */
    r->trials = o->trials ? o->trials : trials_n ? trials_n : r->new_s->trials;
    r->seed = o->have_seed ? o->seed : trials_n ? seed_n : r->new_s->seed;
    /* each step keeps a run's results, and compare three copies of its
     * own (the first step, the previous, the current): refused up front,
     * as run refuses what cannot fit */
    /* a step runs at most every alternative of either file (an added one
     * may be switched on before a removed one is switched off) */
    size_t most = r->old_s->nalts + r->new_s->nalts - r->nalts;
    if (eng_memory_check_need(r->trials, most ? most : 1,
                              ENG_TRIAL_BYTES + 3.0 * K_N * sizeof(double) * (double)r->nalts / (double)(most ? most : 1),
                              "compare", d) ||
        (o->ready && o->ready(o->ready_ctx, d)) || simulate(r, o, d)) {
        cmp_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

void cmp_free(cmp_report *r)
{
    if (!r)
        return;
    for (size_t k = 0; k < r->nsteps; k++) {
        free(r->steps[k].fig);
        free(r->steps[k].se);
    }
    free(r->steps);
    free(r->total_se);
    free(r->alts);
    free(r->only_old);
    free(r->only_new);
    ydiff_release(&r->diff);
    yt_free(r->old_doc);
    yt_free(r->new_doc);
    scn_free(r->old_s);
    scn_free(r->new_s);
    free(r);
}

double cmp_total(const cmp_report *r, size_t a, cmp_fig f)
{
    return cmp_value(r, r->nsteps - 1, a, f) - cmp_value(r, 0, a, f);
}

char *cmp_step_label(const cmp_report *r, size_t k, char *buf, size_t n)
{
    const cmp_step *st = &r->steps[k];
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = st->first; i < st->last && used + 1 < n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i > st->first ? " + " : "", r->diff.ch[i].path);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (used >= n && n > 4)
        memcpy(buf + n - 4, "...", 4);
    return buf;
}
