#include "compare_out.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "atomic.h"
#include "decision.h"
#include "json.h"
#include "plot.h"
#include "textesc.h"
#include "xlsx.h"

cmp_view cmp_default_view(const cmp_report *r)
{
    cmp_view v = {0, r->new_s->work.outcomes ? CMP_P90_BLENDED : CMP_CPO};
    const char *base = r->new_s->nalts ? r->new_s->alts[r->new_s->baseline].name : "";
    for (size_t a = 0; a < r->nalts; a++)
        if (!strcmp(r->alts[a], base))
            v.alt = a;
    return v;
}

/* A figure's value: money as finance writes it, a probability in %. */
static char *fmt_value(char *buf, size_t n, const cmp_report *r, cmp_fig f, double v)
{
    if (!isfinite(v))
        snprintf(buf, n, "n/a");
    else if (cmp_fig_money(f))
        dec_money(buf, n, v, r->new_s->currency);
    else
        snprintf(buf, n, "%.1f%%", 100 * v);
    return buf;
}

/* A change: signed money, or percentage points. */
static char *fmt_delta(char *buf, size_t n, const cmp_report *r, cmp_fig f, double v)
{
    char m[64];
    if (!isfinite(v))
        snprintf(buf, n, "n/a");
    else if (cmp_fig_money(f))
        snprintf(buf, n, "%s%s", v < 0 ? "-" : "+", dec_money(m, sizeof m, fabs(v), r->new_s->currency));
    else
        snprintf(buf, n, "%+.1f pp", 100 * v);
    return buf;
}

static char *fmt_se(char *buf, size_t n, const cmp_report *r, cmp_fig f, double se)
{
    char m[64];
    if (!isfinite(se))
        buf[0] = 0;
    else if (cmp_fig_money(f))
        snprintf(buf, n, " ± %s", dec_money(m, sizeof m, se, r->new_s->currency));
    else
        snprintf(buf, n, " ± %.1f pp", 100 * se);
    return buf;
}

/* The step that moved the figure most (largest |contribution|), or 0. */
static size_t biggest_step(const cmp_report *r, cmp_view v)
{
    size_t best = 0;
    double bm = 0;
    for (size_t k = 1; k < r->nsteps; k++) {
        double c = fabs(cmp_value(r, k, v.alt, v.fig) - cmp_value(r, k - 1, v.alt, v.fig));
        if (isfinite(c) && c > bm) {
            bm = c;
            best = k;
        }
    }
    return best;
}

char *cmp_sentence(const cmp_report *r, cmp_view v, char *buf, size_t n)
{
    char a[64], b[64], dl[64], lab[512], nm[256];
    if (!r->nalts) {
        snprintf(buf, n, "The two scenarios have no alternative in common: nothing to compare figure by figure.");
        return buf;
    }
    txt_term(nm, sizeof nm, r->alts[v.alt]);
    double t = cmp_total(r, v.alt, v.fig);
    if (r->diff.n == 0 || t == 0) {
        snprintf(buf, n, "%s of '%s' is unchanged (%s)%s.", cmp_fig_label(v.fig), nm,
                 fmt_value(a, sizeof a, r, v.fig, cmp_value(r, 0, v.alt, v.fig)),
                 r->diff.n ? "" : ": the two scenarios state the same");
        return buf;
    }
    size_t k = biggest_step(r, v);
    double c = cmp_value(r, k, v.alt, v.fig) - cmp_value(r, k - 1, v.alt, v.fig);
    char lab_t[512];
    txt_term(lab_t, sizeof lab_t, cmp_step_label(r, k, lab, sizeof lab));
    snprintf(buf, n, "%s of '%s' went from %s to %s (%s); the largest step is %s (%s, %.0f%% of the change).",
             cmp_fig_label(v.fig), nm, fmt_value(a, sizeof a, r, v.fig, cmp_value(r, 0, v.alt, v.fig)),
             fmt_value(b, sizeof b, r, v.fig, cmp_value(r, r->nsteps - 1, v.alt, v.fig)),
             fmt_delta(dl, sizeof dl, r, v.fig, t), lab_t,
             fmt_delta(lab, sizeof lab, r, v.fig, c), 100 * c / t);
    return buf;
}

static void print_changes(FILE *f, const cmp_report *r, int md)
{
    char o[96], nw[96], ot[256], nt[256], pt[1024];
    fprintf(f, "%s%zu change%s from %s to %s:\n%s", md ? "## " : "", r->diff.n, r->diff.n == 1 ? "" : "s",
            r->old_file, r->new_file, md ? "\n| # | key | old | new |\n|---|---|---|---|\n" : "");
    for (size_t i = 0; i < r->diff.n; i++) {
        const ydiff_change *c = &r->diff.ch[i];
        txt_term(ot, sizeof ot, ydiff_show(c->old, o, sizeof o));
        txt_term(nt, sizeof nt, ydiff_show(c->new_, nw, sizeof nw));
        txt_term(pt, sizeof pt, c->path);
        if (md)
            fprintf(f, "| %zu | `%s` | %s | %s |\n", i + 1, pt, ot, nt);
        else
            fprintf(f, "  %2zu  %-44s %s -> %s\n", i + 1, pt, ot, nt);
    }
    if (r->nonly_old || r->nonly_new) {
        fprintf(f, "%s", md ? "\n" : "");
        for (size_t i = 0; i < r->nonly_old; i++)
            fprintf(f, "  alternative '%s' is only in OLD: no figures compared\n", r->only_old[i]);
        for (size_t i = 0; i < r->nonly_new; i++)
            fprintf(f, "  alternative '%s' is only in NEW: no figures compared\n", r->only_new[i]);
    }
}

static void print_headline(FILE *f, const cmp_report *r, int md)
{
    char a[64], b[64], dl[64], se[64], nm[256];
    fprintf(f, "\n%sheadline figures, NEW - OLD with its paired SE:\n", md ? "## " : "");
    if (md)
        fprintf(f, "\n| alternative | figure | OLD | NEW | change |\n|---|---|---:|---:|---:|\n");
    else
        fprintf(f, "  %-16s %-26s %12s %12s   %s\n", "alternative", "figure", "OLD", "NEW", "change");
    for (size_t al = 0; al < r->nalts; al++) {
        txt_term(nm, sizeof nm, r->alts[al]);
        for (int g = 0; g < CMP_FIGS; g++) {
            double t = cmp_total(r, al, (cmp_fig)g);
            fmt_value(a, sizeof a, r, (cmp_fig)g, cmp_value(r, 0, al, (cmp_fig)g));
            fmt_value(b, sizeof b, r, (cmp_fig)g, cmp_value(r, r->nsteps - 1, al, (cmp_fig)g));
            fmt_delta(dl, sizeof dl, r, (cmp_fig)g, t);
            fmt_se(se, sizeof se, r, (cmp_fig)g, r->total_se[al * CMP_FIGS + (size_t)g]);
            if (md)
                fprintf(f, "| %s | %s | %s | %s | %s%s |\n", g ? "" : nm, cmp_fig_label((cmp_fig)g), a, b, dl, se);
            else
                fprintf(f, "  %-16s %-26s %12s %12s   %s%s\n", g ? "" : nm, cmp_fig_label((cmp_fig)g), a, b, dl,
                        se);
        }
    }
}

static void print_waterfall(FILE *f, const cmp_report *r, cmp_view v, int md)
{
    char val[64], dl[64], se[64], lab[1024], lt[2048], nm[256];
    txt_term(nm, sizeof nm, r->alts[v.alt]);
    fprintf(f, "\n%swaterfall of %s for '%s' (changes switched on one at a time, same trials):\n",
            md ? "## " : "", cmp_fig_label(v.fig), nm);
    double t = cmp_total(r, v.alt, v.fig), sum = 0;
    if (md)
        fprintf(f, "\n| step | value | contribution | share |\n|---|---:|---:|---:|\n");
    for (size_t k = 0; k < r->nsteps; k++) {
        double x = cmp_value(r, k, v.alt, v.fig);
        fmt_value(val, sizeof val, r, v.fig, x);
        if (k == 0) {
            if (md)
                fprintf(f, "| OLD | %s | | |\n", val);
            else
                fprintf(f, "  %-52s %12s\n", "OLD", val);
            continue;
        }
        double c = x - cmp_value(r, k - 1, v.alt, v.fig);
        sum += c;
        txt_term(lt, sizeof lt, cmp_step_label(r, k, lab, sizeof lab));
        fmt_delta(dl, sizeof dl, r, v.fig, c);
        fmt_se(se, sizeof se, r, v.fig, r->steps[k].se[v.alt * CMP_FIGS + v.fig]);
        char share[32] = "";
        if (c == 0)
            snprintf(share, sizeof share, "0.0%%");
        else if (t != 0 && isfinite(c))
            snprintf(share, sizeof share, "%.1f%%", 100 * c / t);
        if (md)
            fprintf(f, "| %zu. `%s` | %s | %s%s | %s |\n", k, lt, val, dl, se, share);
        else
            fprintf(f, "  %2zu %-49s %12s   %s%s  %s\n", k, lt, val, dl, se, share);
    }
    fmt_delta(dl, sizeof dl, r, v.fig, t);
    fmt_value(val, sizeof val, r, v.fig, cmp_value(r, r->nsteps - 1, v.alt, v.fig));
    if (md)
        fprintf(f, "| NEW | %s | %s | 100%% |\n\n", val, dl);
    else
        fprintf(f, "  %-52s %12s   %s (total)\n", "NEW", val, dl);
    fprintf(f, "%sthe contributions add up to the total change (difference %.3g)%s\n", md ? "" : "  ",
            isfinite(t) ? sum - t : 0.0,
            r->grouped ? "; changes that do not load on their own are switched with the next" : "");
}

void cmp_print(FILE *f, const cmp_report *r, cmp_view v, int md)
{
    char s[1024];
    if (md)
        fprintf(f, "# capmix compare\n\n");
    fprintf(f, "%s\n\n", cmp_sentence(r, v, s, sizeof s));
    fprintf(f, "%sboth simulated with %llu trials, seed %llu (common random numbers; the files' own\n"
               "%sseed and trials keys do not apply)\n\n",
            md ? "" : "  ", (unsigned long long)r->trials, (unsigned long long)r->seed, md ? "" : "  ");
    print_changes(f, r, md);
    if (!r->nalts)
        return;
    print_headline(f, r, md);
    print_waterfall(f, r, v, md);
}

static void json_figs(json_writer *w, const double *x)
{
    json_obj_begin(w);
    for (int g = 0; g < CMP_FIGS; g++)
        json_key(w, cmp_fig_key((cmp_fig)g)), json_num(w, x[g]);
    json_obj_end(w);
}

static void write_json(FILE *fp, const cmp_report *r, cmp_view v, int argc, char *const *argv)
{
    char lab[1024], s[1024];
    json_writer w;
    json_init(&w, fp);
    json_obj_begin(&w);
    json_key(&w, "capmix"), json_str(&w, CAPMIX_VERSION);
    json_key(&w, "command"), json_str(&w, "compare");
    json_key(&w, "old"), json_obj_begin(&w);
    json_key(&w, "file"), json_str(&w, r->old_file);
    json_key(&w, "sha256"), json_str(&w, r->old_s->sha256);
    json_obj_end(&w);
    json_key(&w, "new"), json_obj_begin(&w);
    json_key(&w, "file"), json_str(&w, r->new_file);
    json_key(&w, "sha256"), json_str(&w, r->new_s->sha256);
    json_obj_end(&w);
    json_key(&w, "trials"), json_u64(&w, r->trials);
    json_key(&w, "seed"), json_u64(&w, r->seed);
    json_key(&w, "answer"), json_str(&w, cmp_sentence(r, v, s, sizeof s));
    json_key(&w, "changes"), json_arr_begin(&w);
    for (size_t i = 0; i < r->diff.n; i++) {
        char o[512], nw[512];
        json_obj_begin(&w);
        json_key(&w, "path"), json_str(&w, r->diff.ch[i].path);
        json_key(&w, "old"), r->diff.ch[i].old ? json_str(&w, ydiff_show(r->diff.ch[i].old, o, sizeof o)) : json_null(&w);
        json_key(&w, "new"), r->diff.ch[i].new_ ? json_str(&w, ydiff_show(r->diff.ch[i].new_, nw, sizeof nw)) : json_null(&w);
        json_obj_end(&w);
    }
    json_arr_end(&w);
    json_key(&w, "alternatives"), json_arr_begin(&w);
    for (size_t a = 0; a < r->nalts; a++) {
        json_obj_begin(&w);
        json_key(&w, "name"), json_str(&w, r->alts[a]);
        json_key(&w, "old"), json_figs(&w, r->steps[0].fig + a * CMP_FIGS);
        json_key(&w, "new"), json_figs(&w, r->steps[r->nsteps - 1].fig + a * CMP_FIGS);
        double t[CMP_FIGS];
        for (int g = 0; g < CMP_FIGS; g++)
            t[g] = cmp_total(r, a, (cmp_fig)g);
        json_key(&w, "change"), json_figs(&w, t);
        json_key(&w, "change_se"), json_figs(&w, r->total_se + a * CMP_FIGS);
        json_key(&w, "waterfall"), json_arr_begin(&w);
        for (size_t k = 1; k < r->nsteps; k++) {
            double c[CMP_FIGS];
            for (int g = 0; g < CMP_FIGS; g++)
                c[g] = cmp_value(r, k, a, (cmp_fig)g) - cmp_value(r, k - 1, a, (cmp_fig)g);
            json_obj_begin(&w);
            json_key(&w, "step"), json_str(&w, cmp_step_label(r, k, lab, sizeof lab));
            json_key(&w, "changes"), json_arr_begin(&w);
            for (size_t i = r->steps[k].first; i < r->steps[k].last; i++)
                json_int(&w, (long long)i + 1);
            json_arr_end(&w);
            json_key(&w, "value"), json_figs(&w, r->steps[k].fig + a * CMP_FIGS);
            json_key(&w, "contribution"), json_figs(&w, c);
            json_key(&w, "contribution_se"), json_figs(&w, r->steps[k].se + a * CMP_FIGS);
            json_obj_end(&w);
        }
        json_arr_end(&w);
        json_obj_end(&w);
    }
    json_arr_end(&w);
    json_key(&w, "only_old"), json_arr_begin(&w);
    for (size_t i = 0; i < r->nonly_old; i++)
        json_str(&w, r->only_old[i]);
    json_arr_end(&w);
    json_key(&w, "only_new"), json_arr_begin(&w);
    for (size_t i = 0; i < r->nonly_new; i++)
        json_str(&w, r->only_new[i]);
    json_arr_end(&w);
    json_key(&w, "args"), json_arr_begin(&w);
    for (int i = 0; i < argc; i++)
        json_str(&w, argv[i]);
    json_arr_end(&w);
    json_obj_end(&w);
    json_finish(&w);
}

/* waterfall.csv: every alternative, every figure, every step. */
static void write_csv(FILE *fp, const cmp_report *r)
{
    char lab[1024];
    fprintf(fp, "alternative,figure,step,changes,value,contribution,contribution_se\n");
    for (size_t a = 0; a < r->nalts; a++)
        for (int g = 0; g < CMP_FIGS; g++)
            for (size_t k = 0; k < r->nsteps; k++) {
                double x = cmp_value(r, k, a, (cmp_fig)g);
                xlsx_csv_text(fp, r->alts[a]);
                fprintf(fp, ",%s,%zu,", cmp_fig_key((cmp_fig)g), k);
                xlsx_csv_text(fp, k ? cmp_step_label(r, k, lab, sizeof lab) : "OLD");
                fprintf(fp, ",%.17g,", x);
                if (k)
                    fprintf(fp, "%.17g,%.17g\n", x - cmp_value(r, k - 1, a, (cmp_fig)g),
                            r->steps[k].se[a * CMP_FIGS + (size_t)g]);
                else
                    fprintf(fp, ",\n");
            }
}

static void write_dat(FILE *fp, const cmp_report *r, cmp_view v)
{
    char lab[1024];
    size_t k;
    for (k = 0; k <= r->nsteps; k++) {
        const char *l;
        double lo, hi;
        int kind;
        if (k == 0 || k == r->nsteps) {
            l = k ? "NEW" : "OLD";
            lo = 0;
            hi = cmp_value(r, k ? k - 1 : 0, v.alt, v.fig);
            kind = 0;
        } else {
            l = cmp_step_label(r, k, lab, sizeof lab);
            lo = cmp_value(r, k - 1, v.alt, v.fig);
            hi = cmp_value(r, k, v.alt, v.fig);
            kind = hi >= lo ? 1 : 2;
        }
        fprintf(fp, "%zu\t", k);
        for (const char *p = l; *p; p++)   /* one field: no tab, no quote */
            fputc(*p == '\t' || *p == '"' || (unsigned char)*p < 0x20 ? '_' : *p, fp);
        fprintf(fp, "\t%.17g\t%.17g\t%d\n", lo, hi, kind);
    }
}

int cmp_write(const char *dir, const cmp_report *r, cmp_view v, int argc, char *const *argv, diag *d)
{
    static const char *const names[] = {"summary.json", "waterfall.csv", "compare.md", "waterfall.dat",
                                        "waterfall.gp"};
    enum { NF = 5 };
    atomic_file f[NF];
    char path[1200], q[600];
    memset(f, 0, sizeof f);
    const char *tpl = plot_template("waterfall");
    if (!tpl)
        return diag_runtime(d, "the waterfall plot template is missing from this build");
    for (int i = 0; i < NF; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (atomic_open(&f[i], path, d))
            goto fail;
    }
    write_json(f[0].fp, r, v, argc, argv);
    write_csv(f[1].fp, r);
    cmp_print(f[2].fp, r, v, 1);
    if (r->nalts) {
        write_dat(f[3].fp, r, v);
        fprintf(f[4].fp, "datafile = 'waterfall.dat'\nscenario = %s\n", plot_quote(q, sizeof q, r->new_s->name));
        fprintf(f[4].fp, "alt = %s\n", plot_quote(q, sizeof q, r->alts[v.alt]));
        fprintf(f[4].fp, "figure = %s\n", plot_quote(q, sizeof q, cmp_fig_label(v.fig)));
        double big = 0;
        for (size_t k = 0; k < r->nsteps; k++)
            if (isfinite(cmp_value(r, k, v.alt, v.fig)) && fabs(cmp_value(r, k, v.alt, v.fig)) > big)
                big = fabs(cmp_value(r, k, v.alt, v.fig));
        int money = cmp_fig_money(v.fig);
        double scale = !money ? 0.01 : big >= 1e6 ? 1e6 : big >= 1e3 ? 1e3 : 1;
        const char *unit = !money ? "" : big >= 1e6 ? "M" : big >= 1e3 ? "k" : "";
        fprintf(f[4].fp, "currency = %s\nmoney = %d\nscale = %g\nunit = '%s'\n%s",
                plot_quote(q, sizeof q, r->new_s->currency), money, scale, unit, tpl);
    }
    if (atomic_commit_all(f, NF, d))
        goto fail;
    atomic_keep(f, NF);
    return 0;
fail:
    for (int i = 0; i < NF; i++)
        atomic_abort(&f[i]);
    return -1;
}
