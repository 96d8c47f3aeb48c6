/*
 * cmd_sweep — `capmix sweep` (a metric along one parameter, crossings
 * solved) and `capmix breakeven` (the curve in two parameters where two
 * alternatives are equal).  Both read defaults from the scenario's
 * `sweep:` / `breakeven:` sections, so a curve is reproducible from the
 * file alone; command-line options override them.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "budget.h"
#include "cancel.h"
#include "cli.h"
#include "cmpi.h"
#include "sweepcmd.h"
#include "json.h"
#include "plot.h"
#include "report.h"
#include "scnload.h"
#include "sweep.h"
#include "textesc.h"

static const opt_def sweep_opts[] = {
    SW_ROW_SET(NULL),
    {.name = "metric", .kind = OPT_STR, .at = SW_AT(metric), .metavar = "METRIC.STAT",
     .help = "e.g. blended_cost.mean, cost_per_outcome.p50"},
    SW_ROW_BETWEEN(NULL, "crossings of these two alternatives (default: each against\n"
                         "the baseline)"),
    {.name = "out", .letter = 'o', .kind = OPT_DIR, .at = SW_AT(out), .metavar = "DIR",
     .help = "write sweep.csv, sweep.json and sweep.png"},
    SW_COMMON_ROWS,
    SW_ROW_X("breakeven"),
    SW_ROW_Y("breakeven"),
    SW_ROW_ALTERNATIVE("tornado"),
    {.name = NULL},
};

static const opts_cmd sweep_cmd = {
    .name = "sweep",
    .head = "usage: capmix sweep SCENARIO.yaml --set PATH=LO:HI:N --metric METRIC.STAT [options]\n"
            "\n"
            "Simulate the scenario at N values of one parameter (the same random numbers at every\n"
            "point), print every alternative's statistic against it with the metric's P10-P90\n"
            "band, and solve where two alternatives' curves cross (GSL's Brent solver on the\n"
            "simulated difference, with an interval from its standard error).\n"
            "\n",
    .opts = sweep_opts,
    .width = 28,
    .foot = SW_FOOT_COMMON
            "Defaults for --set, --metric and --between come from the scenario's 'sweep:' section.\n",
    .flags = OPTS_SEE,
};

static const opt_def breakeven_opts[] = {
    SW_ROW_X(NULL),
    SW_ROW_Y(NULL),
    {.name = "metric", .kind = OPT_STR, .at = SW_AT(metric), .metavar = "METRIC.STAT",
     .help = "e.g. cost_per_outcome.p50"},
    SW_ROW_BETWEEN(NULL, "the two alternatives"),
    {.name = "out", .letter = 'o', .kind = OPT_DIR, .at = SW_AT(out), .metavar = "DIR",
     .help = "write breakeven.csv, breakeven.json and breakeven.png"},
    SW_COMMON_ROWS,
    SW_ROW_SET("sweep"),
    SW_ROW_ALTERNATIVE("tornado"),
    {.name = NULL},
};

static const opts_cmd breakeven_cmd = {
    .name = "breakeven",
    .head = "usage: capmix breakeven SCENARIO.yaml --x PATH=LO:HI:N --y PATH=LO:HI --metric METRIC.STAT\n"
            "                        --between A B [options]\n"
            "\n"
            "For each of N values of x, solve for the y at which alternatives A and B have the same\n"
            "statistic (Brent on the simulated difference, same random numbers everywhere), with\n"
            "its interval: the curve that splits the plane into 'A wins' and 'B wins'.\n"
            "\n",
    .opts = breakeven_opts,
    .width = 28,
    .foot = SW_FOOT_COMMON "Defaults come from the scenario's 'breakeven:' section.\n",
    .flags = OPTS_SEE,
};

int sw_opt_between(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                   diag *d)
{
    (void)o;
    const char **between = dst;
    /* --between A B: the second name is the next argument */
    if (!extra)
        return diag_input(d, NULL, 0, 0, "%s: --between needs two alternatives: --between A B", c->name);
    between[0] = arg;
    between[1] = extra;
    return 0;
}

/* The options of sweep, breakeven and tornado; each takes its own and the
 * common ones (output, trials, seed, threads, quiet, plots). */
int sw_parse(const opts_cmd *c, int argc, char **argv, sw_opts *o, diag *d)
{
    memset(o, 0, sizeof *o);
    opts_seen seen;
    int rc = opts_parse(c, argc, argv, o, &seen, d);
    if (rc > 0) {
        opts_help(stdout, c);
        return 1;
    }
    if (rc < 0)
        return -1;
    o->plots = !o->no_plots;
    o->have_seed = opts_given(c, &seen, "seed") > 0;
    if (argc - seen.first != 1)
        return diag_input(d, NULL, 0, 0, "%s: give exactly one scenario file (see 'capmix %s --help')",
                          c->name, c->name);
    o->file = argv[seen.first];
    if (!o->threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        o->threads = n > 0 ? (unsigned long long)n : 1;
    }
    return 0;
}

/* The question of the scenario's sweep:/breakeven: section (typed at
 * load) as defaults for the options not given. */
static void section_between(const scn_question *q, sw_opts *o)
{
    if (!o->between[0] && q->between[0]) {
        o->between[0] = q->between[0];
        o->between[1] = q->between[1];
    }
}

/* Read and parse the file once: its scenario (owned by the caller, who
 * frees it with the tree), its digest and its tree. */
int sw_load_doc(const sw_opts *o, const char *cmd, yt_doc **doc, char sha[65], scn_scenario **s, diag *d)
{
    if (scn_load_tree(o->file, s, doc, d)) /* the file as written must be a valid scenario */
        return -1;
    snprintf(sha, 65, "%s", (*s)->sha256);
    if (eng_memory_check_need(o->trials ? o->trials : (*s)->trials, (*s)->nalts, 2 * ENG_TRIAL_BYTES, cmd, d)) {
        yt_free(*doc);
        scn_free(*s);
        *doc = NULL;
        *s = NULL;
        return -1;
    }
    return 0;
}

static int check_pair(const yt_doc *doc, const sw_opts *o, diag *d)
{
    const yt_node *alts = yt_get(doc->root, "alternatives", NULL);
    for (int k = 0; k < 2; k++) {
        int found = 0;
        for (size_t i = 0; alts && i < alts->n; i++) {
            const yt_node *nm = yt_get(alts->items[i], "name", NULL);
            found |= nm && nm->kind == YT_SCALAR && !strcmp(nm->str, o->between[k]);
        }
        if (!found)
            return diag_input(d, NULL, 0, 0, "--between: no alternative '%s' in the scenario", o->between[k]);
    }
    if (!strcmp(o->between[0], o->between[1]))
        return diag_input(d, NULL, 0, 0, "--between needs two different alternatives");
    return 0;
}

static void progress(const sw_opts *o, int i, int n, const char *what)
{
    if (o->quiet || !isatty(STDERR_FILENO))
        return;
    fprintf(stderr, "\r%s %d/%d ", what, i, n);
    if (i == n)
        fprintf(stderr, "\r%*s\r", 40, "");
}

/* Write named buffers into the folder being built, `dir`: all land, or
 * none. */
static int write_all(const char *dir, const char *const *names, char *const *bufs,
                     const size_t *lens, int n, diag *d)
{
    atomic_file f[8];
    memset(f, 0, sizeof f);
    for (int i = 0; i < n; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (atomic_open(&f[i], path, d))
            goto fail;
        if (lens[i] && fwrite(bufs[i], 1, lens[i], f[i].fp) != lens[i]) {
            diag_runtime(d, "cannot write '%s'", path);
            goto fail;
        }
    }
    if (atomic_commit_all(f, (size_t)n, d))
        goto fail;
    atomic_keep(f, (size_t)n);
    return 0;
fail:
    for (int i = 0; i < n; i++)
        atomic_abort(&f[i]);
    return -1;
}

/* The provenance every sweep, break-even and tornado file opens with. */
void sw_json_head(json_writer *w, const sw_opts *o, const swp_setup *S)
{
    json_key(w, "capmix"), json_str(w, CAPMIX_VERSION);
    json_key(w, "scenario_file"), json_str(w, o->file);
    json_key(w, "input_sha256"), json_str(w, S->sha256);
}

/* STEM.csv, STEM.json and STEM.gp (the variables, then the template) land
 * together in the output folder; then the figure is drawn. */
int sw_bufs_open(sw_bufs *b, diag *d)
{
    b->fc = open_memstream(&b->csv, &b->csv_len);
    b->fj = open_memstream(&b->js, &b->js_len);
    return b->fc && b->fj ? 0 : diag_runtime(d, "out of memory");
}

/* Close the JSON and flush both.  A memstream that cannot grow sets its
 * error flag, which fflush does not report: ferror does. */
int sw_bufs_finish(sw_bufs *b, json_writer *w, diag *d)
{
    if (json_finish(w) || fflush(b->fc) || fflush(b->fj) || ferror(b->fc) || ferror(b->fj))
        return diag_runtime(d, "cannot format the results");
    return 0;
}

void sw_bufs_free(sw_bufs *b)
{
    if (b->fc)
        fclose(b->fc);
    if (b->fj)
        fclose(b->fj);
    free(b->csv);
    free(b->js);
}

int sw_emit(const sw_opts *o, const char *stem, const sw_bufs *sb, const char *vars, diag *d)
{
    const char *t = plot_template(stem);
    size_t a = strlen(vars), b = t ? strlen(t) : 0;
    char *gp = t ? malloc(a + b + 1) : NULL;
    if (!gp)
        return diag_runtime(d, t ? "out of memory" : "internal error: a plot template is missing");
    memcpy(gp, vars, a);
    memcpy(gp + a, t, b + 1);
    char n1[64], n2[64], n3[64];
    snprintf(n1, sizeof n1, "%s.csv", stem);
    snprintf(n2, sizeof n2, "%s.json", stem);
    snprintf(n3, sizeof n3, "%s.gp", stem);
    const char *names[] = {n1, n2, n3};
    char *bufs[] = {sb->csv, sb->js, gp};
    size_t lens[] = {sb->csv_len, sb->js_len, a + b};
    /* the folder is built beside o->out and swapped in whole, the chart
     * included (atomic_dir); a signal while writing or drawing leaves the
     * previous folder (the results so far are only in memory) */
    atomic_dir od;
    cancel_signal = 0;
    cancel_install();
    int rc = atomic_dir_begin(&od, o->out, d);
    if (!rc) {
        rc = write_all(od.tmp, names, bufs, lens, 3, d);
        if (!rc && o->plots)
            plot_draw_one(od.tmp, o->out, stem, o->quiet ? NULL : stderr);
        if (!rc)
            rc = atomic_dir_commit(&od, d);
        atomic_dir_abort(&od);
    }
    cancel_restore();
    free(gp);
    if (rc)
        return -1;
    if (!o->quiet) {
        char shown[600];
        printf("wrote %s/%s, %s/%s\n", txt_term(shown, sizeof shown, o->out), n1, shown, n2);
    }
    return 0;
}

/* The crossings of the named pair, else of each alternative against the
 * baseline: a line each to `fm`, an object each to w, a dashed line each
 * to the chart's `arrows` (appended at *arrow_len).  Returns 0, or -1 with
 * d (a runtime failure of the solver). */
static int sweep_crossings(swp_setup *S, const sw_opts *o, const prm_spec *spec, const double *vals,
                           const swp_point *pts, const char *base, FILE *fm, json_writer *w, char *arrows,
                           size_t arrows_size, size_t *arrow_len_p, diag *d)
{
    size_t na = pts[0].nalts, arrow_len = *arrow_len_p;
    for (size_t a = 0; a < na; a++) {
        const char *A = pts[0].names[a];
        if (o->between[0] ? strcmp(A, o->between[0]) != 0 : !strcmp(A, base))
            continue;
        const char *B = o->between[0] ? o->between[1] : base;
        size_t b = 0;
        while (b < na && strcmp(pts[0].names[b], B))
            b++;
        if (b == na)
            continue;
        snprintf(S->pair[0], SCN_NAME_MAX, "%s", A);
        snprintf(S->pair[1], SCN_NAME_MAX, "%s", B);
        int any = 0;
        for (int i = 0; i + 1 < spec->n; i++) {
            double f0 = pts[i].stat[a] - pts[i].stat[b], f1 = pts[i + 1].stat[a] - pts[i + 1].stat[b];
            if (!(isfinite(f0) && isfinite(f1)) || f0 * f1 > 0)
                continue;
            /* an exact tie on an inner grid point belongs to the next bracket */
            if (f1 == 0 && f0 != 0 && i + 2 < spec->n)
                continue;
            swp_root root;
            double other = 0;
            if (swp_solve(S, 0, vals[i], vals[i + 1], other, f0, f1, &root, d)) {
                if (d->kind != DIAG_INPUT)
                    return -1;
                /* the scenario refuses the values in between (an integer
                 * such as work.outcomes): the crossing is the bracket */
                diag_clear(d);
                root.found = 1;
                root.x = NAN;
                root.lo = vals[i];
                root.hi = vals[i + 1];
            }
            if (!root.found)
                continue;
            any = 1;
            if (isnan(root.x))
                fprintf(fm, "crossing: '%s' and '%s' are equal between %s = %.6g and %.6g (values in "
                            "between are not allowed)\n",
                        A, B, spec->path, root.lo, root.hi);
            else
                fprintf(fm, "crossing: '%s' and '%s' are equal at %s = %.6g (interval %.6g to %.6g)\n",
                        A, B, spec->path, root.x, root.lo, root.hi);
            json_obj_begin(w);
            json_key(w, "between"), json_arr_begin(w), json_str(w, A), json_str(w, B), json_arr_end(w);
            json_key(w, "value"), json_num(w, root.x);
            json_key(w, "interval"), json_arr_begin(w), json_num(w, root.lo), json_num(w, root.hi),
                json_arr_end(w);
            json_obj_end(w);
            if (!isnan(root.x) && arrow_len + 96 < arrows_size)
                arrow_len += (size_t)snprintf(arrows + arrow_len, arrows_size - arrow_len,
                                              "set arrow from %.17g, graph 0 to %.17g, graph 1 nohead dt 2\n",
                                              root.x, root.x);
        }
        if (!any)
            fprintf(fm, "no crossing of '%s' and '%s' in %g to %g\n", A, B, spec->lo, spec->hi);
    }
    *arrow_len_p = arrow_len;
    return 0;
}

/* The table of a sweep on the screen, then its crossings (`msg`). */
static void sweep_print(const swp_setup *S, const prm_spec *spec, const double *vals, const swp_point *pts,
                        const char *msg, size_t msg_len)
{
    size_t na = pts[0].nalts;
    printf("capmix %s  sweep of %s: %s.%s (the same random numbers at every point)\n",
           CAPMIX_VERSION, spec->path, eng_metric_name(S->metric), prm_stat_name(S->stat));
    printf("  %14s", "value");
    for (size_t a = 0; a < na; a++)
        printf(" %16s", pts[0].names[a]);
    printf("\n");
    for (int i = 0; i < spec->n; i++) {
        char b[48];
        printf("  %14.6g", vals[i]);
        for (size_t a = 0; a < na; a++)
            printf(" %16s", report_fmt(b, sizeof b, pts[i].stat[a], 2));
        printf("\n");
    }
    fwrite(msg, 1, msg_len, stdout);
}

/* CAPMIX_SWEEP_CACHE=0 simulates every alternative at every point: the
 * check (tests/cli/sweepcache.sh) that caching changes no byte. */
static int cache_on(void)
{
    const char *e = getenv("CAPMIX_SWEEP_CACHE");
    return !e || strcmp(e, "0");
}

/* CAPMIX_RECOST=0 simulates an alternative at every point even where
 * only its costs changed: the check (tests/cli/recost.sh) that re-costing
 * recorded timelines changes no byte (model §18.46).  With
 * CAPMIX_RECOST_REPORT set, standard error says how many alternatives
 * were re-costed, so the check can see that re-costing took place. */
int sw_recost_on(void)
{
    const char *e = getenv("CAPMIX_RECOST");
    return !e || strcmp(e, "0");
}

void sw_recost_report(const swp_setup *S)
{
    if (getenv("CAPMIX_RECOST_REPORT"))
        fprintf(stderr, "capmix: re-costed %d alternative evaluations\n", S->nrecost);
}

typedef struct grid_job {
    swp_setup *S;
    const sw_opts *o;
    const double *vals;
    int n;
} grid_job;

/* Point i + 1 of the grid (a cmpi_deal job). */
static int grid_point(void *ctx, size_t i, void *rec, diag *d)
{
    grid_job *G = ctx;
    progress(G->o, (int)i + 1, G->n, "point");
    return swp_eval(G->S, &G->vals[i + 1], 0, rec, d);
}

int cmd_sweep(int argc, char **argv, diag *d)
{
    sw_opts o;
    int rc = sw_parse(&sweep_cmd, argc, argv, &o, d);
    if (rc)
        return rc > 0 ? CM_EXIT_OK : -1;
    yt_doc *doc = NULL;
    swp_setup S;
    memset(&S, 0, sizeof S);
    scn_scenario *scn = NULL;
    if (sw_load_doc(&o, "sweep", &doc, S.sha256, &scn, d))
        return -1;
    if (!o.set)
        o.set = scn->sweep.set;
    if (!o.metric)
        o.metric = scn->sweep.metric;
    section_between(&scn->sweep, &o);
    prm_spec spec;
    int exit = -1;
    sw_bufs files = {0};
    char *msg = NULL;
    size_t msg_len = 0;
    FILE *fm = NULL;
    if (!o.set || !o.metric) {
        diag_input(d, NULL, 0, 0, "sweep: give --set PATH=LO:HI:N and --metric METRIC.STAT (or a 'sweep:' section in the scenario)");
        goto out;
    }
    if (prm_parse_spec(o.set, "--set", 1, &spec, d) || prm_parse_metric(o.metric, &S.metric, &S.stat, d) ||
        !(S.node[0] = prm_resolve(doc, spec.path, d)) || (o.between[0] && check_pair(doc, &o, d)) ||
        cli_out_check(o.out, d))
        goto out;
    S.doc = doc;
    S.nnodes = 1;
    S.cache_on = cache_on();
    S.recost_on = sw_recost_on();
    S.trials = o.trials;
    S.seed = o.seed;
    S.have_seed = o.have_seed;
    S.threads = (int)o.threads;
    swp_point *pts = calloc((size_t)spec.n, sizeof *pts);
    double *vals = calloc((size_t)spec.n, sizeof *vals);
    if (!pts || !vals) {
        free(pts);
        free(vals);
        diag_runtime(d, "out of memory");
        exit = -1;
        goto out;
    }
    for (int i = 0; i < spec.n; i++)
        vals[i] = spec.lo + (spec.hi - spec.lo) * i / (spec.n - 1);
    /* The points are independent.  Under mpiexec the first one's blocks
     * are shared by the ranks, so that every rank caches the alternatives
     * no point changes as one process does (swp_setup.cache_on), moving
     * only the one metric read; the others are dealt whole to ranks, only
     * their figures coming back. */
    grid_job G = {&S, &o, vals, spec.n};
    progress(&o, 0, spec.n, "point");
    if (swp_eval(&S, &vals[0], 0, &pts[0], d) ||
        cmpi_deal((size_t)spec.n - 1, sizeof *pts, pts + 1, grid_point, &G, d)) {
        exit = -1;
        goto out_pts;
    }
    progress(&o, spec.n, spec.n, "point");
    size_t na = pts[0].nalts;
    /* crossings: the pair, else each alternative against the first mix (the baseline) */
    scn_scenario *s0 = NULL;
    if (scn_load_doc(doc, S.sha256, &s0, d)) {
        exit = -1;
        goto out_pts;
    }
    char base[SCN_NAME_MAX];
    snprintf(base, sizeof base, "%s", s0->alts[s0->baseline].name);
    scn_free(s0);
    fm = open_memstream(&msg, &msg_len);
    if (sw_bufs_open(&files, d) || (!fm && diag_runtime(d, "out of memory"))) {
        exit = -1;
        goto out_pts;
    }
    txt_csv(files.fc, spec.path);
    for (size_t a = 0; a < na; a++)
        fprintf(files.fc, ",\"%s\",\"%s.se\",\"%s.p10\",\"%s.p90\"", pts[0].names[a], pts[0].names[a],
                pts[0].names[a], pts[0].names[a]);
    fputs("\r\n", files.fc);
    for (int i = 0; i < spec.n; i++) {
        fprintf(files.fc, "%.17g", vals[i]);
        for (size_t a = 0; a < na; a++)
            fprintf(files.fc, ",%.17g,%.17g,%.17g,%.17g", pts[i].stat[a], pts[i].se[a], pts[i].band_lo[a],
                    pts[i].band_hi[a]);
        fputs("\r\n", files.fc);
    }
    json_writer w;
    json_init(&w, files.fj);
    json_obj_begin(&w);
    sw_json_head(&w, &o, &S);
    json_key(&w, "parameter"), json_str(&w, spec.path);
    json_key(&w, "metric"), json_str(&w, eng_metric_name(S.metric));
    json_key(&w, "statistic"), json_str(&w, prm_stat_name(S.stat));
    json_key(&w, "values"), json_arr_begin(&w);
    for (int i = 0; i < spec.n; i++)
        json_num(&w, vals[i]);
    json_arr_end(&w);
    json_key(&w, "crossings"), json_arr_begin(&w);
    char arrows[2048] = "";
    size_t arrow_len = 0;
    if (sweep_crossings(&S, &o, &spec, vals, pts, base, fm, &w, arrows, sizeof arrows, &arrow_len, d))
        goto out_pts;
    json_arr_end(&w);
    json_obj_end(&w);
    if (sw_bufs_finish(&files, &w, d) ||
        ((fflush(fm) || ferror(fm)) && diag_runtime(d, "cannot format the results"))) {
        exit = -1;
        goto out_pts;
    }
    /* everything is computed: only now print (a failure above prints nothing) */
    if (!o.quiet)
        sweep_print(&S, &spec, vals, pts, msg, msg_len);
    exit = CM_EXIT_OK;
    if (o.out) {
        char vars[4096], q1[600], q2[600], q3[300];
        snprintf(vars, sizeof vars,
                 "# capmix %s: redraw with `gnuplot sweep.gp` in this folder\n"
                 "scenario = %s\nparam = %s\nmetric_label = %s\nnalts = %zu\n%s",
                 CAPMIX_VERSION, plot_quote(q1, sizeof q1, o.file), plot_quote(q2, sizeof q2, spec.path),
                 plot_quote(q3, sizeof q3, o.metric), na, arrows);
        if (sw_emit(&o, "sweep", &files, vars, d))
            exit = -1;
    }
out_pts:
    free(pts);
    free(vals);
out:
    sw_recost_report(&S);
    swp_release(&S);
    sw_bufs_free(&files);
    if (fm)
        fclose(fm);
    free(msg);
    yt_free(doc);
    scn_free(scn);
    return exit;
}

/* The crossing in y at each x of the grid into roots[xs->n]; the
 * simulations it took, the sign of A − B at the top of the y range where
 * the curve first exists (NaN: nowhere), and the seconds.  Returns 0, or
 * -1 with d. */
static int breakeven_solve(swp_setup *S, const sw_opts *o, const prm_spec *xs, const prm_spec *ys,
                           swp_root *roots, int *evals, double *top_sign, double *secs, diag *d)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < xs->n; i++) {
        double x = xs->lo + (xs->hi - xs->lo) * i / (xs->n - 1);
        progress(o, i, xs->n, "x");
        /* the curve is smooth (common random numbers): look for this
         * point's crossing next to the last one's first */
        const swp_root *prev = i ? &roots[i - 1] : NULL, *prev2 = i > 1 ? &roots[i - 2] : NULL;
        double guess = prev && prev->found ? prev->x : NAN;
        if (prev2 && prev2->found && !isnan(guess)) /* the curve's trend */
            guess = fmin(ys->hi, fmax(ys->lo, 2 * prev->x - prev2->x));
        double width = prev && prev->found ? fmax(3 * (prev->hi - prev->lo) / 2, 0.02 * (ys->hi - ys->lo)) : NAN;
        if (swp_solve_near(S, 1, ys->lo, ys->hi, x, guess, width, &roots[i], d))
            return -1;
        *evals += roots[i].evaluations;
        if (isnan(*top_sign) && roots[i].found)
            *top_sign = roots[i].fb != 0 ? roots[i].fb : -roots[i].fa;
    }
    progress(o, xs->n, xs->n, "x");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    return 0;
}

/* breakeven.csv, .json and .gp with the chart's labels, into o->out. */
static int breakeven_emit(const sw_opts *o, const sw_bufs *files, const prm_spec *xs, const prm_spec *ys,
                          int curve, const char *above, const char *below, diag *d)
{
    char vars[4096], q[8][600], la[200], lb[200];
    snprintf(la, sizeof la, "%s", curve ? above : "no crossing in range");
    snprintf(lb, sizeof lb, "%s", curve ? below : "");
    if (curve) {
        snprintf(la, sizeof la, "%s wins", above);
        snprintf(lb, sizeof lb, "%s wins", below);
    }
    snprintf(vars, sizeof vars,
             "# capmix %s: redraw with `gnuplot breakeven.gp` in this folder\n"
             "scenario = %s\nxparam = %s\nyparam = %s\nmetric_label = %s\nalt_a = %s\nalt_b = %s\n"
             "xlo = %.17g\nxhi = %.17g\nylo = %.17g\nyhi = %.17g\nabove_label = %s\nbelow_label = %s\n",
             CAPMIX_VERSION, plot_quote(q[0], 600, o->file), plot_quote(q[1], 600, xs->path),
             plot_quote(q[2], 600, ys->path), plot_quote(q[3], 600, o->metric),
             plot_quote(q[4], 600, o->between[0]), plot_quote(q[5], 600, o->between[1]), xs->lo, xs->hi,
             ys->lo, ys->hi, plot_quote(q[6], 600, la), plot_quote(q[7], 600, lb));
    return sw_emit(o, "breakeven", files, vars, d);
}

int cmd_breakeven(int argc, char **argv, diag *d)
{
    sw_opts o;
    int rc = sw_parse(&breakeven_cmd, argc, argv, &o, d);
    if (rc)
        return rc > 0 ? CM_EXIT_OK : -1;
    yt_doc *doc = NULL;
    swp_setup S;
    memset(&S, 0, sizeof S);
    scn_scenario *scn = NULL;
    if (sw_load_doc(&o, "breakeven", &doc, S.sha256, &scn, d))
        return -1;
    if (!o.x)
        o.x = scn->breakeven.x;
    if (!o.y)
        o.y = scn->breakeven.y;
    if (!o.metric)
        o.metric = scn->breakeven.metric;
    section_between(&scn->breakeven, &o);
    int exit = -1;
    prm_spec xs, ys;
    sw_bufs files = {0};
    swp_root *roots = NULL;
    if (!o.x || !o.y || !o.metric || !o.between[0]) {
        diag_input(d, NULL, 0, 0, "breakeven: give --x, --y, --metric and --between (or a 'breakeven:' section in the scenario)");
        goto out;
    }
    if (prm_parse_spec(o.x, "--x", 1, &xs, d) || prm_parse_spec(o.y, "--y", 0, &ys, d) ||
        prm_parse_metric(o.metric, &S.metric, &S.stat, d) || !(S.node[0] = prm_resolve(doc, xs.path, d)) ||
        !(S.node[1] = prm_resolve(doc, ys.path, d)) || check_pair(doc, &o, d))
        goto out;
    if (S.node[0] == S.node[1]) {
        diag_input(d, NULL, 0, 0, "breakeven: --x and --y name the same parameter");
        goto out;
    }
    S.doc = doc;
    S.nnodes = 2;
    S.cache_on = cache_on();
    S.recost_on = sw_recost_on();
    S.trials = o.trials;
    S.seed = o.seed;
    S.have_seed = o.have_seed;
    S.threads = (int)o.threads;
    snprintf(S.pair[0], SCN_NAME_MAX, "%s", o.between[0]);
    snprintf(S.pair[1], SCN_NAME_MAX, "%s", o.between[1]);
    if (cli_out_check(o.out, d)) {
        exit = -1;
        goto out;
    }
    roots = calloc((size_t)xs.n, sizeof *roots);
    if (!roots) {
        diag_runtime(d, "out of memory");
        exit = -1;
        goto out;
    }
    /* which side wins above the curve: the sign of A − B at the top of the
     * y range, at the first x where the curve exists */
    double top_sign = NAN, secs;
    int evals = 0;
    if (breakeven_solve(&S, &o, &xs, &ys, roots, &evals, &top_sign, &secs, d))
        goto out;
    /* A − B < 0 at high y: A wins above the curve.  Without any curve,
     * each x has one winner for every y in the range. */
    const char *above = top_sign < 0 ? o.between[0] : o.between[1];
    const char *below = top_sign < 0 ? o.between[1] : o.between[0];
    int curve = !isnan(top_sign);
    if (sw_bufs_open(&files, d)) {
        exit = -1;
        goto out;
    }
    txt_csv(files.fc, xs.path);
    fputc(',', files.fc);
    txt_csv(files.fc, ys.path);
    fputs(",\"lo\",\"hi\"\r\n", files.fc);
    json_writer w;
    json_init(&w, files.fj);
    json_obj_begin(&w);
    sw_json_head(&w, &o, &S);
    json_key(&w, "x"), json_str(&w, xs.path);
    json_key(&w, "y"), json_str(&w, ys.path);
    json_key(&w, "metric"), json_str(&w, eng_metric_name(S.metric));
    json_key(&w, "statistic"), json_str(&w, prm_stat_name(S.stat));
    json_key(&w, "between"), json_arr_begin(&w), json_str(&w, o.between[0]), json_str(&w, o.between[1]),
        json_arr_end(&w);
    json_key(&w, "wins_above");
    if (curve)
        json_str(&w, above);
    else
        json_null(&w);
    json_key(&w, "evaluations"), json_int(&w, evals);
    json_key(&w, "seconds"), json_num(&w, secs);
    json_key(&w, "curve"), json_arr_begin(&w);
    if (!o.quiet)
        printf("capmix %s  break-even of %s.%s between '%s' and '%s'\n  %14s %14s %26s\n", CAPMIX_VERSION,
               eng_metric_name(S.metric), prm_stat_name(S.stat), o.between[0], o.between[1], "x", "y*",
               "interval");
    for (int i = 0; i < xs.n; i++) {
        double x = xs.lo + (xs.hi - xs.lo) * i / (xs.n - 1);
        const swp_root *r = &roots[i];
        if (r->found)
            fprintf(files.fc, "%.17g,%.17g,%.17g,%.17g\r\n", x, r->x, r->lo, r->hi);
        json_obj_begin(&w);
        json_key(&w, "x"), json_num(&w, x);
        json_key(&w, "y"), json_num(&w, r->x);
        json_key(&w, "interval"), json_arr_begin(&w), json_num(&w, r->lo), json_num(&w, r->hi), json_arr_end(&w);
        const char *winner = r->found || isnan(r->fb) ? NULL : r->fb < 0 ? o.between[0] : o.between[1];
        json_key(&w, "wins_everywhere");
        if (winner)
            json_str(&w, winner);
        else
            json_null(&w);
        json_obj_end(&w);
        if (!o.quiet) {
            if (r->found)
                printf("  %14.6g %14.6g %12.6g to %-12.6g\n", x, r->x, r->lo, r->hi);
            else
                printf("  %14.6g %14s (no crossing for y in %g to %g: '%s' wins there)\n", x, "-", ys.lo,
                       ys.hi, winner ? winner : "?");
        }
    }
    json_arr_end(&w);
    json_obj_end(&w);
    if (!o.quiet) {
        if (curve)
            printf("'%s' wins above the curve, '%s' below it (lower %s.%s); %d simulations in %.1f s\n",
                   above, below, eng_metric_name(S.metric), prm_stat_name(S.stat), evals, secs);
        else
            printf("no crossing anywhere in the range (see the winner at each x); %d simulations in %.1f s\n",
                   evals, secs);
    }
    if (sw_bufs_finish(&files, &w, d)) {
        exit = -1;
        goto out;
    }
    exit = CM_EXIT_OK;
    if (o.out && breakeven_emit(&o, &files, &xs, &ys, curve, above, below, d))
        exit = -1;
out:
    sw_recost_report(&S);
    swp_release(&S);
    sw_bufs_free(&files);
    free(roots);
    yt_free(doc);
    scn_free(scn);
    return exit;
}

