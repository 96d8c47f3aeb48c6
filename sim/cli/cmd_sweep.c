/*
 * cmd_sweep — `capmix sweep` (a metric along one parameter, crossings
 * solved) and `capmix breakeven` (the curve in two parameters where two
 * alternatives are equal).  Both read defaults from the scenario's
 * `sweep:` / `breakeven:` sections, so a curve is reproducible from the
 * file alone; command-line options override them.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "cancel.h"
#include "cli.h"
#include "json.h"
#include "plot.h"
#include "report.h"
#include "scnload.h"
#include "sweep.h"
#include "tornado.h"
#include "textesc.h"

static const char sweep_usage[] =
    "usage: capmix sweep SCENARIO.yaml --set PATH=LO:HI:N --metric METRIC.STAT [options]\n"
    "\n"
    "Simulate the scenario at N values of one parameter (the same random numbers at every\n"
    "point), print every alternative's statistic against it with the metric's P10-P90\n"
    "band, and solve where two alternatives' curves cross (GSL's Brent solver on the\n"
    "simulated difference, with an interval from its standard error).\n"
    "\n"
    "  --set PATH=LO:HI:N    the parameter and its grid, e.g.\n"
    "                        'offshore/pod.outcomes.accepted=0.3:0.9:13' (PATH: ALT/SOURCE.key,\n"
    "                        ALT.fixed_bid.price, work.cost_of_delay.per_day, ...)\n"
    "  --metric METRIC.STAT  e.g. blended_cost.mean, cost_per_outcome.p50\n"
    "  --between A B         crossings of these two alternatives (default: each against\n"
    "                        the baseline)\n"
    "  -o, --out DIR         write sweep.csv, sweep.json and sweep.png\n"
    "  --trials N, --seed N, --threads N, -q/--quiet, --no-plots: as for 'capmix run'\n"
    "Defaults for --set, --metric and --between come from the scenario's 'sweep:' section.\n";

static const char breakeven_usage[] =
    "usage: capmix breakeven SCENARIO.yaml --x PATH=LO:HI:N --y PATH=LO:HI --metric METRIC.STAT\n"
    "                        --between A B [options]\n"
    "\n"
    "For each of N values of x, solve for the y at which alternatives A and B have the same\n"
    "statistic (Brent on the simulated difference, same random numbers everywhere), with\n"
    "its interval: the curve that splits the plane into 'A wins' and 'B wins'.\n"
    "\n"
    "  --x PATH=LO:HI:N      e.g. 'ai-team/team.tokens.monthly=10000:120000:23'\n"
    "  --y PATH=LO:HI        e.g. 'ai-team/team.throughput_per_month=3:12'\n"
    "  --metric METRIC.STAT  e.g. cost_per_outcome.p50\n"
    "  --between A B         the two alternatives\n"
    "  -o, --out DIR         write breakeven.csv, breakeven.json and breakeven.png\n"
    "  --trials N, --seed N, --threads N, -q/--quiet, --no-plots: as for 'capmix run'\n"
    "Defaults come from the scenario's 'breakeven:' section.\n";

typedef struct sw_opts {
    const char *file, *out;
    const char *set, *x, *y, *metric, *between[2], *alternative;
    unsigned long long trials, seed, threads;
    int have_seed, quiet, plots;
} sw_opts;

typedef enum { SW_SWEEP, SW_BREAKEVEN, SW_TORNADO } sw_cmd;

static const char tornado_usage[] =
    "usage: capmix tornado SCENARIO.yaml [--metric METRIC.STAT] [--alternative A] [-o DIR]\n"
    "\n"
    "Rank every uncertain input of an alternative (its dists, and those of work and people)\n"
    "by how far the statistic moves when the input is held at its P10 and at its P90, all\n"
    "else random, on the same random numbers.\n"
    "\n"
    "  --metric METRIC.STAT  default cost_per_outcome.mean\n"
    "  --alternative A       default the baseline\n"
    "  -o, --out DIR         write tornado.csv, tornado.json and tornado.png\n"
    "  --trials N, --seed N, --threads N, -q/--quiet, --no-plots: as for 'capmix run'\n";

/* The options of sweep, breakeven and tornado; each takes its own and the
 * common ones (output, trials, seed, threads, quiet, plots). */
static int parse_opts(int argc, char **argv, sw_cmd which, sw_opts *o, diag *d)
{
    static const struct option opts[] = {
        {"set", required_argument, NULL, 'S'},     {"x", required_argument, NULL, 'X'},
        {"y", required_argument, NULL, 'Y'},       {"metric", required_argument, NULL, 'M'},
        {"between", required_argument, NULL, 'B'}, {"out", required_argument, NULL, 'o'},
        {"trials", required_argument, NULL, 't'},  {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'j'}, {"quiet", no_argument, NULL, 'q'},
        {"no-plots", no_argument, NULL, 'P'},      {"help", no_argument, NULL, 'h'},
        {"alternative", required_argument, NULL, 'A'},
        {NULL, 0, NULL, 0},
    };
    static const char *const names[] = {"sweep", "breakeven", "tornado"};
    const char *cmd = names[which];
    const int breakeven = which == SW_BREAKEVEN;
    int c, li;
    memset(o, 0, sizeof *o);
    o->plots = 1;
    opterr = 0;
    optind = 1;
    while ((li = -1, c = getopt_long(argc, argv, ":o:qh", opts, &li)) != -1) {
        char optname[32];
        snprintf(optname, sizeof optname, "--%s", li >= 0 ? opts[li].name : "?");
        switch (c) {
        case 'S':
        case 'X':
        case 'Y':
        case 'B':
        case 'A': {
            /* which command an option belongs to */
            sw_cmd owner = c == 'S' ? SW_SWEEP : c == 'A' ? SW_TORNADO : SW_BREAKEVEN;
            int ok = owner == which || (c == 'B' && which != SW_TORNADO);
            if (!ok)
                return diag_input(d, NULL, 0, 0, "%s: option '%s' belongs to 'capmix %s'", cmd,
                                  optname, c == 'B' ? "sweep" : names[owner]);
            if (c == 'B') {
                /* --between A B: the second name is the next argument */
                if (optind >= argc || argv[optind][0] == '-')
                    return diag_input(d, NULL, 0, 0, "%s: --between needs two alternatives: --between A B", cmd);
                o->between[0] = optarg;
                o->between[1] = argv[optind++];
            } else {
                *(c == 'S' ? &o->set : c == 'X' ? &o->x : c == 'Y' ? &o->y : &o->alternative) = optarg;
            }
            break;
        }
        case 'M':
            o->metric = optarg;
            break;
        case 'o':
            if (!*optarg)
                return diag_input(d, NULL, 0, 0, "%s: -o needs a folder name, not an empty string", cmd);
            o->out = optarg;
            break;
        case 't':
            if (cli_parse_u64("--trials", optarg, SCN_MIN_TRIALS, SCN_MAX_TRIALS, &o->trials, d))
                return -1;
            break;
        case 's':
            if (cli_parse_u64("--seed", optarg, 0, INT64_MAX, &o->seed, d))
                return -1;
            o->have_seed = 1;
            break;
        case 'j':
            if (cli_parse_u64("--threads", optarg, 1, 1024, &o->threads, d))
                return -1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'P':
            o->plots = 0;
            break;
        case 'h':
            fputs(which == SW_TORNADO ? tornado_usage : breakeven ? breakeven_usage : sweep_usage, stdout);
            return 1;
        case ':':
            return diag_input(d, NULL, 0, 0, "%s: option '%s' needs a value (see 'capmix %s --help')", cmd,
                              argv[optind - 1], cmd);
        default:
            return diag_input(d, NULL, 0, 0, "%s: unknown option '%s' (see 'capmix %s --help')", cmd,
                              argv[optind - 1], cmd);
        }
    }
    if (argc - optind != 1)
        return diag_input(d, NULL, 0, 0, "%s: give exactly one scenario file (see 'capmix %s --help')",
                          cmd, cmd);
    o->file = argv[optind];
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
static int load_doc(const char *path, yt_doc **doc, char sha[65], scn_scenario **s, diag *d)
{
    if (scn_load_tree(path, s, doc, d)) /* the file as written must be a valid scenario */
        return -1;
    snprintf(sha, 65, "%s", (*s)->sha256);
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
static void json_head(json_writer *w, const sw_opts *o, const swp_setup *S)
{
    json_key(w, "capmix"), json_str(w, CAPMIX_VERSION);
    json_key(w, "scenario_file"), json_str(w, o->file);
    json_key(w, "input_sha256"), json_str(w, S->sha256);
}

/* STEM.csv, STEM.json and STEM.gp (the variables, then the template) land
 * together in the output folder; then the figure is drawn. */
/* The CSV and JSON a command builds in memory before emit writes them. */
typedef struct sw_bufs {
    FILE *fc, *fj;
    char *csv, *js;
    size_t csv_len, js_len;
} sw_bufs;

static int bufs_open(sw_bufs *b, diag *d)
{
    b->fc = open_memstream(&b->csv, &b->csv_len);
    b->fj = open_memstream(&b->js, &b->js_len);
    return b->fc && b->fj ? 0 : diag_runtime(d, "out of memory");
}

/* Close the JSON and flush both.  A memstream that cannot grow sets its
 * error flag, which fflush does not report: ferror does. */
static int bufs_finish(sw_bufs *b, json_writer *w, diag *d)
{
    if (json_finish(w) || fflush(b->fc) || fflush(b->fj) || ferror(b->fc) || ferror(b->fj))
        return diag_runtime(d, "cannot format the results");
    return 0;
}

static void bufs_free(sw_bufs *b)
{
    if (b->fc)
        fclose(b->fc);
    if (b->fj)
        fclose(b->fj);
    free(b->csv);
    free(b->js);
}

/* A command's exit status: out of memory in a step that usually fails on
 * bad input is still a runtime failure. */
static int sw_exit(int exit, const diag *d)
{
    return exit == CM_EXIT_INPUT && d->kind == DIAG_RUNTIME ? CM_EXIT_RUNTIME : exit;
}

static int emit(const sw_opts *o, const char *stem, const sw_bufs *sb, const char *vars, diag *d)
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

int cmd_sweep(int argc, char **argv, diag *d)
{
    sw_opts o;
    int rc = parse_opts(argc, argv, SW_SWEEP, &o, d);
    if (rc)
        return rc > 0 ? CM_EXIT_OK : CM_EXIT_INPUT;
    yt_doc *doc = NULL;
    swp_setup S;
    memset(&S, 0, sizeof S);
    scn_scenario *scn = NULL;
    if (load_doc(o.file, &doc, S.sha256, &scn, d))
        return d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
    if (!o.set)
        o.set = scn->sweep.set;
    if (!o.metric)
        o.metric = scn->sweep.metric;
    section_between(&scn->sweep, &o);
    prm_spec spec;
    int exit = CM_EXIT_INPUT;
    sw_bufs files = {0};
    char *msg = NULL;
    size_t msg_len = 0;
    FILE *fm = NULL;
    if (!o.set || !o.metric) {
        diag_input(d, NULL, 0, 0, "sweep: give --set PATH=LO:HI:N and --metric METRIC.STAT (or a 'sweep:' section in the scenario)");
        goto out;
    }
    if (prm_parse_spec(o.set, "--set", 1, &spec, d) || prm_parse_metric(o.metric, &S.metric, &S.stat, d) ||
        !(S.node[0] = prm_resolve(doc, spec.path, d)) || (o.between[0] && check_pair(doc, &o, d)))
        goto out;
    S.doc = doc;
    S.nnodes = 1;
    S.path[0] = spec.path;
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
        exit = CM_EXIT_RUNTIME;
        goto out;
    }
    for (int i = 0; i < spec.n; i++) {
        vals[i] = spec.lo + (spec.hi - spec.lo) * i / (spec.n - 1);
        progress(&o, i, spec.n, "point");
        if (swp_eval(&S, &vals[i], 0, &pts[i], d)) {
            exit = d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
            goto out_pts;
        }
    }
    progress(&o, spec.n, spec.n, "point");
    size_t na = pts[0].nalts;
    /* crossings: the pair, else each alternative against the first mix (the baseline) */
    scn_scenario *s0 = NULL;
    if (scn_load_doc(doc, S.sha256, &s0, d)) {
        exit = CM_EXIT_INPUT;
        goto out_pts;
    }
    char base[SCN_NAME_MAX];
    snprintf(base, sizeof base, "%s", s0->alts[s0->baseline].name);
    scn_free(s0);
    fm = open_memstream(&msg, &msg_len);
    if (bufs_open(&files, d) || (!fm && diag_runtime(d, "out of memory"))) {
        exit = CM_EXIT_RUNTIME;
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
    json_head(&w, &o, &S);
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
    for (size_t a = 0; a < na; a++) {
        const char *A = pts[0].names[a];
        if (o.between[0] ? strcmp(A, o.between[0]) != 0 : !strcmp(A, base))
            continue;
        const char *B = o.between[0] ? o.between[1] : base;
        size_t b = 0;
        while (b < na && strcmp(pts[0].names[b], B))
            b++;
        if (b == na)
            continue;
        snprintf(S.pair[0], SCN_NAME_MAX, "%s", A);
        snprintf(S.pair[1], SCN_NAME_MAX, "%s", B);
        int any = 0;
        for (int i = 0; i + 1 < spec.n; i++) {
            double f0 = pts[i].stat[a] - pts[i].stat[b], f1 = pts[i + 1].stat[a] - pts[i + 1].stat[b];
            if (!(isfinite(f0) && isfinite(f1)) || f0 * f1 > 0)
                continue;
            /* an exact tie on an inner grid point belongs to the next bracket */
            if (f1 == 0 && f0 != 0 && i + 2 < spec.n)
                continue;
            swp_root root;
            double other = 0;
            if (swp_solve(&S, 0, vals[i], vals[i + 1], other, f0, f1, &root, d)) {
                if (d->kind != DIAG_INPUT) {
                    exit = CM_EXIT_RUNTIME;
                    goto out_pts;
                }
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
                        A, B, spec.path, root.lo, root.hi);
            else
                fprintf(fm, "crossing: '%s' and '%s' are equal at %s = %.6g (interval %.6g to %.6g)\n",
                        A, B, spec.path, root.x, root.lo, root.hi);
            json_obj_begin(&w);
            json_key(&w, "between"), json_arr_begin(&w), json_str(&w, A), json_str(&w, B), json_arr_end(&w);
            json_key(&w, "value"), json_num(&w, root.x);
            json_key(&w, "interval"), json_arr_begin(&w), json_num(&w, root.lo), json_num(&w, root.hi),
                json_arr_end(&w);
            json_obj_end(&w);
            if (!isnan(root.x) && arrow_len + 96 < sizeof arrows)
                arrow_len += (size_t)snprintf(arrows + arrow_len, sizeof arrows - arrow_len,
                                              "set arrow from %.17g, graph 0 to %.17g, graph 1 nohead dt 2\n",
                                              root.x, root.x);
        }
        if (!any)
            fprintf(fm, "no crossing of '%s' and '%s' in %g to %g\n", A, B, spec.lo, spec.hi);
    }
    json_arr_end(&w);
    json_obj_end(&w);
    if (bufs_finish(&files, &w, d) ||
        ((fflush(fm) || ferror(fm)) && diag_runtime(d, "cannot format the results"))) {
        exit = CM_EXIT_RUNTIME;
        goto out_pts;
    }
    /* everything is computed: only now print (a failure above prints nothing) */
    if (!o.quiet) {
        printf("capmix %s  sweep of %s: %s.%s (the same random numbers at every point)\n",
               CAPMIX_VERSION, spec.path, eng_metric_name(S.metric), prm_stat_name(S.stat));
        printf("  %14s", "value");
        for (size_t a = 0; a < na; a++)
            printf(" %16s", pts[0].names[a]);
        printf("\n");
        for (int i = 0; i < spec.n; i++) {
            char b[48];
            printf("  %14.6g", vals[i]);
            for (size_t a = 0; a < na; a++)
                printf(" %16s", report_fmt(b, sizeof b, pts[i].stat[a], 2));
            printf("\n");
        }
        fwrite(msg, 1, msg_len, stdout);
    }
    exit = CM_EXIT_OK;
    if (o.out) {
        char vars[4096], q1[600], q2[600], q3[300];
        snprintf(vars, sizeof vars,
                 "# capmix %s: redraw with `gnuplot sweep.gp` in this folder\n"
                 "scenario = %s\nparam = %s\nmetric_label = %s\nnalts = %zu\n%s",
                 CAPMIX_VERSION, plot_quote(q1, sizeof q1, o.file), plot_quote(q2, sizeof q2, spec.path),
                 plot_quote(q3, sizeof q3, o.metric), na, arrows);
        if (emit(&o, "sweep", &files, vars, d)) /* a signal: 128 + its number */
            exit = cancel_signal ? cancel_exit_code() : CM_EXIT_RUNTIME;
    }
out_pts:
    free(pts);
    free(vals);
out:
    swp_release(&S);
    bufs_free(&files);
    if (fm)
        fclose(fm);
    free(msg);
    yt_free(doc);
    scn_free(scn);
    return sw_exit(exit, d);
}

int cmd_breakeven(int argc, char **argv, diag *d)
{
    sw_opts o;
    int rc = parse_opts(argc, argv, SW_BREAKEVEN, &o, d);
    if (rc)
        return rc > 0 ? CM_EXIT_OK : CM_EXIT_INPUT;
    yt_doc *doc = NULL;
    swp_setup S;
    memset(&S, 0, sizeof S);
    scn_scenario *scn = NULL;
    if (load_doc(o.file, &doc, S.sha256, &scn, d))
        return d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
    if (!o.x)
        o.x = scn->breakeven.x;
    if (!o.y)
        o.y = scn->breakeven.y;
    if (!o.metric)
        o.metric = scn->breakeven.metric;
    section_between(&scn->breakeven, &o);
    int exit = CM_EXIT_INPUT;
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
    S.path[0] = xs.path;
    S.path[1] = ys.path;
    S.trials = o.trials;
    S.seed = o.seed;
    S.have_seed = o.have_seed;
    S.threads = (int)o.threads;
    snprintf(S.pair[0], SCN_NAME_MAX, "%s", o.between[0]);
    snprintf(S.pair[1], SCN_NAME_MAX, "%s", o.between[1]);
    roots = calloc((size_t)xs.n, sizeof *roots);
    if (!roots) {
        diag_runtime(d, "out of memory");
        exit = CM_EXIT_RUNTIME;
        goto out;
    }
    /* which side wins above the curve: the sign of A − B at the top of the
     * y range, at the first x where the curve exists */
    double top_sign = NAN;
    int evals = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < xs.n; i++) {
        double x = xs.lo + (xs.hi - xs.lo) * i / (xs.n - 1);
        progress(&o, i, xs.n, "x");
        /* the curve is smooth (common random numbers): look for this
         * point's crossing next to the last one's first */
        const swp_root *prev = i ? &roots[i - 1] : NULL, *prev2 = i > 1 ? &roots[i - 2] : NULL;
        double guess = prev && prev->found ? prev->x : NAN;
        if (prev2 && prev2->found && !isnan(guess)) /* the curve's trend */
            guess = fmin(ys.hi, fmax(ys.lo, 2 * prev->x - prev2->x));
        double width = prev && prev->found ? fmax(3 * (prev->hi - prev->lo) / 2, 0.02 * (ys.hi - ys.lo)) : NAN;
        if (swp_solve_near(&S, 1, ys.lo, ys.hi, x, guess, width, &roots[i], d)) {
            exit = d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
            goto out;
        }
        evals += roots[i].evaluations;
        if (isnan(top_sign) && roots[i].found)
            top_sign = roots[i].fb != 0 ? roots[i].fb : -roots[i].fa;
    }
    progress(&o, xs.n, xs.n, "x");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    /* A − B < 0 at high y: A wins above the curve.  Without any curve,
     * each x has one winner for every y in the range. */
    const char *above = top_sign < 0 ? o.between[0] : o.between[1];
    const char *below = top_sign < 0 ? o.between[1] : o.between[0];
    int curve = !isnan(top_sign);
    if (bufs_open(&files, d)) {
        exit = CM_EXIT_RUNTIME;
        goto out;
    }
    txt_csv(files.fc, xs.path);
    fputc(',', files.fc);
    txt_csv(files.fc, ys.path);
    fputs(",\"lo\",\"hi\"\r\n", files.fc);
    json_writer w;
    json_init(&w, files.fj);
    json_obj_begin(&w);
    json_head(&w, &o, &S);
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
    if (bufs_finish(&files, &w, d)) {
        exit = CM_EXIT_RUNTIME;
        goto out;
    }
    exit = CM_EXIT_OK;
    if (o.out) {
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
                 CAPMIX_VERSION, plot_quote(q[0], 600, o.file), plot_quote(q[1], 600, xs.path),
                 plot_quote(q[2], 600, ys.path), plot_quote(q[3], 600, o.metric),
                 plot_quote(q[4], 600, o.between[0]), plot_quote(q[5], 600, o.between[1]), xs.lo, xs.hi,
                 ys.lo, ys.hi, plot_quote(q[6], 600, la), plot_quote(q[7], 600, lb));
        if (emit(&o, "breakeven", &files, vars, d)) /* a signal: 128 + its number */
            exit = cancel_signal ? cancel_exit_code() : CM_EXIT_RUNTIME;
    }
out:
    swp_release(&S);
    bufs_free(&files);
    free(roots);
    yt_free(doc);
    scn_free(scn);
    return sw_exit(exit, d);
}


int cmd_tornado(int argc, char **argv, diag *d)
{
    sw_opts o;
    int rc = parse_opts(argc, argv, SW_TORNADO, &o, d);
    if (rc)
        return rc > 0 ? CM_EXIT_OK : CM_EXIT_INPUT;
    const char *alt = o.alternative;
    if (!o.metric)
        o.metric = "cost_per_outcome.mean";
    yt_doc *doc = NULL;
    swp_setup S;
    memset(&S, 0, sizeof S);
    scn_scenario *scn = NULL;
    if (load_doc(o.file, &doc, S.sha256, &scn, d))
        return d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
    int exit = CM_EXIT_INPUT;
    trn_result tr = {0};
    sw_bufs files = {0};
    if (prm_parse_metric(o.metric, &S.metric, &S.stat, d))
        goto out;
    scn_scenario *s0 = NULL;
    if (scn_load_doc(doc, S.sha256, &s0, d))
        goto out;
    char altname[SCN_NAME_MAX];
    if (alt && scn_find_alt(s0, alt) < 0) {
        const char *names[65];
        size_t nn = 0;
        for (size_t a = 0; a < s0->nalts && nn < 64; a++)
            names[nn++] = s0->alts[a].name;
        names[nn] = NULL;
        char hint[96] = "";
        diag_hint(hint, sizeof hint, alt, names);
        diag_input(d, NULL, 0, 0, "tornado: no alternative '%s'%s", alt, hint);
        scn_free(s0);
        goto out;
    }
    snprintf(altname, sizeof altname, "%s", alt ? alt : s0->alts[s0->baseline].name);
    scn_free(s0);
    S.doc = doc;
    S.trials = o.trials;
    S.seed = o.seed;
    S.have_seed = o.have_seed;
    S.threads = (int)o.threads;
    snprintf(S.pair[0], SCN_NAME_MAX, "%s", altname);
    snprintf(S.pair[1], SCN_NAME_MAX, "%s", altname);
    if (trn_run(&S, altname, &tr, d)) {
        exit = d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
        goto out;
    }
    if (bufs_open(&files, d)) {
        exit = CM_EXIT_RUNTIME;
        goto out;
    }
    fputs("\"rank\",\"input\",\"at_p10\",\"at_p90\",\"low\",\"high\",\"swing\",\"input_p10\",\"input_p90\",\"spearman\"\r\n", files.fc);
    json_writer w;
    json_init(&w, files.fj);
    json_obj_begin(&w);
    json_head(&w, &o, &S);
    json_key(&w, "alternative"), json_str(&w, altname);
    json_key(&w, "metric"), json_str(&w, eng_metric_name(S.metric));
    json_key(&w, "statistic"), json_str(&w, prm_stat_name(S.stat));
    json_key(&w, "base"), json_num(&w, tr.base);
    json_key(&w, "inputs"), json_arr_begin(&w);
    for (size_t i = 0; i < tr.n; i++) {
        const trn_input *in = &tr.inputs[i];
        char sp[32] = ""; /* empty: drawn per item, no trial value */
        if (!isnan(in->spearman))
            snprintf(sp, sizeof sp, "%.17g", in->spearman);
        fprintf(files.fc, "%zu,", i + 1);
        txt_csv(files.fc, in->path);
        fprintf(files.fc, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%s\r\n", in->at10, in->at90,
                fmin(in->at10, in->at90), fmax(in->at10, in->at90), in->swing, in->q10, in->q90, sp);
        json_obj_begin(&w);
        json_key(&w, "input"), json_str(&w, in->path);
        json_key(&w, "p10"), json_num(&w, in->q10);
        json_key(&w, "p90"), json_num(&w, in->q90);
        json_key(&w, "at_p10"), json_num(&w, in->at10);
        json_key(&w, "at_p90"), json_num(&w, in->at90);
        json_key(&w, "swing"), json_num(&w, in->swing);
        json_key(&w, "spearman"), json_num(&w, in->spearman);
        json_obj_end(&w);
    }
    json_arr_end(&w);
    json_obj_end(&w);
    if (bufs_finish(&files, &w, d)) {
        exit = CM_EXIT_RUNTIME;
        goto out;
    }
    if (!o.quiet) {
        char b[3][48];
        printf("capmix %s  tornado of %s.%s for '%s': %s with every input random\n", CAPMIX_VERSION,
               eng_metric_name(S.metric), prm_stat_name(S.stat), altname,
               report_fmt(b[0], sizeof b[0], tr.base, 2));
        printf("  %-48s %16s %16s %14s %9s\n", "input (held at its P10 / P90)", "at P10", "at P90",
               "swing", "rank corr");
        for (size_t i = 0; i < tr.n; i++) {
            char sp[16];
            snprintf(sp, sizeof sp, "%s", tr.inputs[i].per_item ? "per item" : "-");
            if (!isnan(tr.inputs[i].spearman))
                snprintf(sp, sizeof sp, "%+.3f", tr.inputs[i].spearman);
            printf("  %-48s %16s %16s %14s %9s\n", tr.inputs[i].path,
                   report_fmt(b[0], sizeof b[0], tr.inputs[i].at10, 2),
                   report_fmt(b[1], sizeof b[1], tr.inputs[i].at90, 2),
                   report_fmt(b[2], sizeof b[2], tr.inputs[i].swing, 2), sp);
        }
        printf("  (rank corr: Spearman's rank correlation of the input with %s across the trials\n"
               "   with every input random; 'per item' inputs are drawn afresh for each item;\n"
               "   '-' are not recorded: overheads and a fixed bid's terms)\n",
               eng_metric_name(S.metric));
        if (!tr.n)
            printf("  (no input of '%s' is a distribution)\n", altname);
    }
    exit = CM_EXIT_OK;
    if (o.out) {
        char vars[4096], q1[600], q2[600], q3[600];
        snprintf(vars, sizeof vars,
                 "# capmix %s: redraw with `gnuplot tornado.gp` in this folder\n"
                 "scenario = %s\nmetric_label = %s\nalt = %s\nninputs = %zu\nbase = %.17g\n",
                 CAPMIX_VERSION, plot_quote(q1, sizeof q1, o.file), plot_quote(q2, sizeof q2, o.metric),
                 plot_quote(q3, sizeof q3, altname), tr.n ? tr.n : 1, tr.base);
        if (emit(&o, "tornado", &files, vars, d)) /* a signal: 128 + its number */
            exit = cancel_signal ? cancel_exit_code() : CM_EXIT_RUNTIME;
    }
out:
    bufs_free(&files);
    trn_release(&tr);
    yt_free(doc);
    scn_free(scn);
    return sw_exit(exit, d);
}
