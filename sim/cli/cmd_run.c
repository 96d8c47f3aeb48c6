/*
 * cmd_run — `capmix run SCENARIO [-o DIR]`: simulate, print the table,
 * write summary.json, run.log (and trials.csv, plots) atomically.
 *
 * Order matters for "bad input never writes half a result": the scenario
 * is loaded and simulated, and every figure computed, before the output
 * folder is created; all files are written to temporaries and renamed
 * into place only when every one of them was written completely.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "cancel.h"
#include "decision.h"
#include "envelope.h"
#include "html.h"
#include "jsonread.h"
#include "sha256.h"
#include "yamltree.h"
#include "json.h"
#include "param.h"
#include "cli.h"
#include "engine.h"
#include "plot.h"
#include "report.h"
#include "stream.h"
#include "scenario.h"
#include "xlsx.h"
#include "textesc.h"
#include "shard.h"

static const char run_usage[] =
    "usage: capmix run SCENARIO.yaml [-o DIR] [options]\n"
    "\n"
    "Simulate every alternative of the scenario and print, per alternative, cost per\n"
    "accepted outcome, total cost, delivery day, delay cost and blended cost (mean ± SE,\n"
    "P10/P50/P90/P95, CVaR95, and the spreadsheet point estimate), then the paired\n"
    "difference of each alternative against the baseline.\n"
    "\n"
    "options:\n"
    "  -o, --out DIR        write summary.json, run.log and plots to DIR (created if needed)\n"
    "      --trials N       number of trials (default: the scenario's 'trials', else 10000)\n"
    "      --seed N         random seed (default: the scenario's 'seed', else 1)\n"
    "      --threads N      worker threads (default: online CPUs); results do not depend on it\n"
    "      --export-trials  also write DIR/trials.csv, one row per trial and alternative\n"
    "      --no-plots       do not draw plots (data files are still written)\n"
    "      --precision P    instead of --trials: double the trials (from 4096) until every\n"
    "                       alternative's mean of the metric has a relative SE under P (e.g.\n"
    "                       0.5%%) and its P90 a 90%% interval within +-P; capped by --max-trials\n"
    "                       (default 2000000); --precision-metric M (default cost_total)\n"
    "      --replay FILE    run again what a summary.json records (any command) and\n"
    "                       check the results are the same, byte for byte\n"
    "      --stream         constant memory for very large runs: no per-trial data;\n"
    "                       quantiles and CVaR95 estimated within 0.2%% (relative),\n"
    "                       means, SEs and counts exact; no charts or trials.csv\n"
    "      --above M=V      also report P(metric M > V) per alternative, e.g.\n"
    "                       --above blended_cost=900000 (repeatable, up to 8)\n"
    "      --shard I/N      simulate only the I-th of N parts of the run and write it to\n"
    "                       DIR/shard-I-of-N.capmix-shard; 'capmix merge' reports the set\n"
    "  -q, --quiet          print nothing on success\n"
    "  -h, --help           this help\n";

#define MONTHLY_BUDGET_MIB 64
#define ENVELOPE_BUDGET_MIB 2048

/* --above METRIC=VALUE */
static int parse_above(const char *arg, report_meta *meta, diag *d)
{
    char name[64];
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : 0;
    if (!eq || len == 0 || len >= sizeof name)
        return diag_input(d, NULL, 0, 0, "--above needs METRIC=VALUE, e.g. blended_cost=900000, not '%s'", arg);
    memcpy(name, arg, len);
    name[len] = '\0';
    int m = eng_metric_find(name);
    if (m < 0) {
        char hint[96] = "";
        diag_hint(hint, sizeof hint, name, eng_metric_names());
        return diag_input(d, NULL, 0, 0, "--above: unknown metric '%s'%s", name, hint);
    }
    double v;
    if (prm_decimal(eq + 1, &v))
        return diag_input(d, NULL, 0, 0, "--above: '%s' is not a finite number", eq + 1);
    if (meta->nabove >= REPORT_MAX_THRESHOLDS)
        return diag_input(d, NULL, 0, 0, "--above may be given at most %d times", REPORT_MAX_THRESHOLDS);
    meta->above[meta->nabove].metric = (eng_metric)m;
    meta->above[meta->nabove].value = v;
    meta->nabove++;
    return 0;
}

/* A progress bar on stderr, only on a terminal and only after a second:
 * short runs stay silent.  Called from worker threads. */
typedef struct progress {
    int enabled;
    struct timespec start;
    double last;
    int shown;
    pthread_mutex_t mu;
} progress;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress *p = ctx;
    if (!p->enabled)
        return;
    pthread_mutex_lock(&p->mu);
    double el = since(&p->start);
    if (el >= 1.0 && (el - p->last >= 0.2 || done == total)) {
        double frac = (double)done / (double)total;
        int w = (int)(frac * 30);
        double eta = frac > 0 ? el * (1 - frac) / frac : 0;
        fprintf(stderr, "\r[%.*s%*s] %3.0f%%  %llu/%llu trials  %.0fs left ", w,
                "##############################", 30 - w, "", 100 * frac,
                (unsigned long long)done, (unsigned long long)total, eta);
        p->last = el;
        p->shown = 1;
    }
    pthread_mutex_unlock(&p->mu);
}

/* Every file of a run, written to temporaries first; they land together
 * (renamed in turn) only when every one of them is complete. */
enum { OUT_SUMMARY, OUT_LOG, OUT_TRIALS, OUT_XLSX, OUT_COMPARISON, OUT_PLOTS,
       OUT_BID_PLOTS = OUT_PLOTS + PLOT_FILES, OUT_ENV_PLOTS = OUT_BID_PLOTS + PLOT_BID_FILES };

static int join(char *buf, size_t n, const char *dir, const char *name, diag *d)
{
    if ((size_t)snprintf(buf, n, "%s/%s", dir, name) >= n)
        return diag_input(d, NULL, 0, 0, "output path '%s/%s' is too long", dir, name);
    return 0;
}

/* The optional sections of a run: the bid figures, the envelope. */
typedef struct sections {
    const report *rep;
    const dec_report *dr;
    const env_report *er;
} sections;

static void json_sections(json_writer *w, const void *ctx)
{
    const sections *sc = ctx;
    if (sc->dr) {
        json_key(w, "bid");
        dec_json(w, sc->rep, sc->dr);
    }
    if (sc->er) {
        json_key(w, "envelope");
        env_json(w, sc->rep, sc->er);
    }
}

/* The charts a report embeds, by what the run computed. */
static int report_figures(const sections *sc, html_figure figs[8])
{
    int nf = 0;
    if (sc->rep->meta.stream)
        return 0; /* streamed: no per-trial data, no charts */
    figs[nf++] = (html_figure){"cost_cdf", "Cumulative distribution of cost, by alternative.", NULL, 0};
    figs[nf++] = (html_figure){"cost_per_outcome",
                               "Cost per accepted outcome: per-trial P10-P90, P25-P75 and median; the point is total cost over accepted outcomes.", NULL, 0};
    if (sc->dr) {
        figs[nf++] = (html_figure){"bid_cdf", "The bid's cost against the mixes', with the bid and break-even prices.", NULL, 0};
        figs[nf++] = (html_figure){"bid_hist", "Histogram of the bid's cost against the best mix's.", NULL, 0};
        figs[nf++] = (html_figure){"bid_ce", "Certainty equivalent against risk tolerance.", NULL, 0};
    }
    if (sc->er)
        figs[nf++] = (html_figure){"envelope_cdf", "S-curves of total cost and the envelope confidence.", NULL, 0};
    return nf;
}

/* report.html and report.md, atomically, both or neither; `svgs` is the
 * batch rendering the figures' SVGs (NULL: no charts), always finished
 * here. */
static int write_report(const char *dir, const sections *sc, plot_batch *svgs, diag *d)
{
    html_figure figs[8];
    int nf = report_figures(sc, figs);
    if (svgs) { /* one that failed is simply left out */
        char *svg[8];
        size_t len[8];
        plot_svg_finish(svgs, svg, len);
        for (int i = 0; i < nf; i++) {
            figs[i].svg = svg[i];
            figs[i].svg_len = len[i];
        }
    }
    /* the bytes the run read and digested, never a second read of the
     * file: it may have changed since, or be a FIFO */
    const char *text = sc->rep->s->text;
    size_t text_len = sc->rep->s->text_len;
    atomic_file hm[2]; /* report.html, report.md */
    memset(hm, 0, sizeof hm);
    char path[1200];
    int rc = -1;
    snprintf(path, sizeof path, "%s/report.html", dir);
    if (atomic_open(&hm[0], path, d))
        goto out;
    if (html_write(hm[0].fp, sc->rep, sc->dr, sc->er, figs, nf, text, text_len)) {
        diag_runtime(d, "cannot write '%s'", path);
        goto out;
    }
    snprintf(path, sizeof path, "%s/report.md", dir);
    if (atomic_open(&hm[1], path, d))
        goto out;
    if (html_write_md(hm[1].fp, sc->rep, sc->dr, sc->er, figs, nf, text, text_len)) {
        diag_runtime(d, "cannot write '%s'", path);
        goto out;
    }
    if (atomic_commit_all(hm, 2, d) == 0) {
        atomic_keep(hm, 2);
        rc = 0;
    }
out:
    atomic_abort(&hm[0]);
    atomic_abort(&hm[1]);
    for (int i = 0; i < nf; i++)
        free(figs[i].svg);
    return rc;
}

/* Every file of the run is built in a sibling of `out` and the folder is
 * swapped in whole (atomic_dir): no file of an earlier run stays beside
 * the new ones, a concurrent writer waits, and a failure or a signal at
 * any step leaves the previous folder as it was. */
static int write_outputs(const char *out, const sections *sc, int want_trials, int plots,
                         FILE *warn, diag *d)
{
    const report *rep = sc->rep;
    size_t nf = OUT_ENV_PLOTS + (sc->er ? PLOT_ENV_FILES(rep->s->nalts) : 0);
    atomic_file *f = calloc(nf, sizeof *f);
    if (!f)
        return diag_runtime(d, "out of memory");
    atomic_dir od;
    if (atomic_dir_begin(&od, out, d)) {
        free(f);
        return -1;
    }
    char dir[1100], path[1200];
    snprintf(dir, sizeof dir, "%s", od.tmp);
    if (join(path, sizeof path, dir, "summary.json", d) || atomic_open(&f[OUT_SUMMARY], path, d))
        goto fail;
    if (report_json(f[OUT_SUMMARY].fp, rep, json_sections, sc)) {
        diag_runtime(d, "cannot write '%s'", path);
        goto fail;
    }
    if (join(path, sizeof path, dir, "run.log", d) || atomic_open(&f[OUT_LOG], path, d))
        goto fail;
    report_table(f[OUT_LOG].fp, rep);
    if (sc->dr) {
        fputc('\n', f[OUT_LOG].fp);
        dec_print(f[OUT_LOG].fp, rep, sc->dr);
    }
    if (sc->er) {
        fputc('\n', f[OUT_LOG].fp);
        env_print(f[OUT_LOG].fp, rep, sc->er);
    }
    if (want_trials) {
        if (join(path, sizeof path, dir, "trials.csv", d) || atomic_open(&f[OUT_TRIALS], path, d))
            goto fail;
        if (report_trials_csv(f[OUT_TRIALS].fp, rep)) {
            diag_runtime(d, "cannot write '%s'", path);
            goto fail;
        }
    }
    if (join(path, sizeof path, dir, "report.xlsx", d) || atomic_open(&f[OUT_XLSX], path, d) ||
        xlsx_write(f[OUT_XLSX].tmp, path, rep, sc->dr, sc->er, d))
        goto fail;
    if (join(path, sizeof path, dir, "comparison.csv", d) || atomic_open(&f[OUT_COMPARISON], path, d))
        goto fail;
    if (xlsx_comparison_csv(f[OUT_COMPARISON].fp, rep)) {
        diag_runtime(d, "cannot write '%s'", path);
        goto fail;
    }
    if (!rep->meta.stream && plot_write(dir, rep, &f[OUT_PLOTS], d)) /* streamed: no data to plot */
        goto fail;
    if (sc->dr && plot_write_bid(dir, rep, sc->dr, &f[OUT_BID_PLOTS], d))
        goto fail;
    if (sc->er && plot_write_envelope(dir, rep, sc->er, &f[OUT_ENV_PLOTS], d))
        goto fail;
    if (atomic_commit_all(f, nf, d))
        goto fail;
    atomic_keep(f, nf);
    /* the report's SVGs render while the PNGs do: four gnuplots, two cores */
    plot_batch *svgs = NULL;
    if (plots) {
        html_figure figs[8];
        const char *names[8];
        int nfig = report_figures(sc, figs);
        for (int i = 0; i < nfig; i++)
            names[i] = figs[i].name;
        svgs = plot_svg_start(dir, names, (size_t)nfig);
        plot_draw(dir, out, rep, sc->dr != NULL, sc->er != NULL, warn);
    }
    /* the report comes last: it embeds the charts gnuplot draws from the
     * data files */
    if (write_report(dir, sc, svgs, d) || atomic_dir_commit(&od, d))
        goto fail;
    free(f);
    return 0;
fail:
    for (size_t i = 0; i < nf; i++)
        atomic_abort(&f[i]);
    atomic_dir_abort(&od);
    free(f);
    return -1;
}

static const char envelope_usage[] =
    "usage: capmix envelope SCENARIO.yaml [-o DIR] [--confidence C] [--month M --actuals spent=S,accepted=A]\n"
    "\n"
    "Size a budget envelope and test stop-loss rules decided in advance.  Per alternative:\n"
    "the envelope at P80/P90/P95 of total and of blended cost with 90% intervals, the month\n"
    "by month burn fan, and for each stop_loss rule of the scenario: P(stop), the month it\n"
    "usually fires, expected spend with and without it, the loss it avoids where it stops,\n"
    "and its false stops.  With --month and --actuals, the monthly review: the trials whose\n"
    "month-M state matches the actuals forecast the rest: continue, increase, cut or\n"
    "transfer the risk.\n"
    "\n"
    "options:\n"
    "      --confidence C          envelope confidence, between 0 and 1 (default\n"
    "                              decision.confidence, else 0.9)\n"
    "      --month M               the month of the review (1 = end of the first month)\n"
    "      --actuals spent=S,accepted=A   spend so far and outcomes accepted so far\n"
    "      --tolerance F           match trials whose spend is within F of S (default 0.05)\n"
    "      --accepted-tolerance K  and whose accepted count is within K of A (default 0)\n"
    "  plus every option of 'capmix run'\n";

static const char bid_usage[] =
    "usage: capmix bid SCENARIO.yaml [-o DIR] [--risk-tolerance R] [--partner-margin M] [options]\n"
    "\n"
    "Weigh each fixed_bid alternative (a partner's price for the whole scope) against every\n"
    "capacity mix, on total cost and on blended cost: mean, P50, P90, P95, CVaR95, P(mix\n"
    "cheaper), the risk premium (what certainty costs), the certainty equivalent of each\n"
    "at the risk tolerance, the break-even price (the highest price worth signing, at that\n"
    "tolerance and at risk neutrality), the market's answer (the partner's implied cost at\n"
    "its margin) and a verdict in a sentence.\n"
    "\n"
    "options:\n"
    "      --risk-tolerance R   sponsor's risk tolerance in money (exponential utility);\n"
    "                           'infinity' for risk neutrality (default: decision.risk_tolerance)\n"
    "      --partner-margin M   the partner's margin on its cost, e.g. 0.15\n"
    "                           (default: decision.partner_margin)\n"
    "  plus every option of 'capmix run' (-o, --trials, --seed, --threads, --export-trials,\n"
    "  --no-plots, --above, --quiet)\n";

/* A positive amount, or "infinity", for --risk-tolerance. */
static int parse_tolerance(const char *s, double *out, diag *d)
{
    if (!strcmp(s, "infinity")) {
        *out = INFINITY;
        return 0;
    }
    double v;
    if (prm_decimal(s, &v) || !(v > 0))
        return diag_input(d, NULL, 0, 0,
                          "--risk-tolerance needs a positive amount of money or 'infinity', not '%s'", s);
    *out = v;
    return 0;
}

static int parse_margin(const char *s, double *out, diag *d)
{
    double v;
    if (prm_decimal(s, &v) || !(v >= 0 && v < 10))
        return diag_input(d, NULL, 0, 0,
                          "--partner-margin needs a fraction from 0 to 10 (0.15 for 15%%), not '%s'", s);
    *out = v == 0 ? 0 : v; /* no "-0 %" */
    return 0;
}

/* `run` and `bid` share one pipeline: load, simulate, summarise, then
 * print and write; `bid` adds the decision figures to the screen. */
typedef enum { MODE_RUN, MODE_BID, MODE_ENVELOPE } run_mode;

/* --actuals spent=410000,accepted=7 */
static int parse_actuals(const char *arg, double *spent, double *accepted, diag *d)
{
    char buf[256];
    int have_s = 0, have_a = 0;
    if (strlen(arg) >= sizeof buf)
        return diag_input(d, NULL, 0, 0, "--actuals is too long");
    strcpy(buf, arg);
    char *save = NULL;
    for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq)
            return diag_input(d, NULL, 0, 0, "--actuals needs spent=AMOUNT,accepted=COUNT, not '%s'", arg);
        *eq = '\0';
        const char *v = eq + 1;
        double x;
        if (prm_decimal(v, &x) || x < 0)
            return diag_input(d, NULL, 0, 0, "--actuals: '%s' is not a non-negative number", v);
        if (!strcmp(kv, "spent")) {
            if (have_s++)
                return diag_input(d, NULL, 0, 0, "--actuals gives 'spent' twice");
            *spent = x;
        } else if (!strcmp(kv, "accepted")) {
            if (have_a++)
                return diag_input(d, NULL, 0, 0, "--actuals gives 'accepted' twice");
            *accepted = x;
        } else {
            return diag_input(d, NULL, 0, 0, "--actuals: unknown field '%s' (spent, accepted)", kv);
        }
    }
    if (!have_s || !have_a)
        return diag_input(d, NULL, 0, 0, "--actuals needs both spent= and accepted=");
    return 0;
}

static int parse_fraction(const char *opt, const char *s, double lo, double hi, double *out, diag *d)
{
    double v;
    if (prm_decimal(s, &v) || !(v >= lo && v <= hi))
        return diag_input(d, NULL, 0, 0, "%s needs a number from %g to %g, not '%s'", opt, lo, hi, s);
    *out = v;
    return 0;
}

/* The scenario of a replay, already read and digested: the pipeline runs
 * these bytes and never opens the path in the recorded arguments. */
typedef struct preloaded {
    const char *summary; /* the summary.json replayed, for messages */
    const char *file;    /* scenario_file as recorded (the scenario's name) */
    const char *path;    /* scenario_path as recorded, or NULL */
    const char *buf;
    size_t len;
} preloaded;

static int run_loaded(const char *file, const preloaded *pre, const char *out, unsigned long long trials,
                      unsigned long long seed, int have_seed, unsigned long long threads, int quiet,
                      int export_trials, int plots, double R, double margin, double conf,
                      unsigned long long month, double spent, double acc, double tol,
                      double acc_tol, run_mode mode, report_meta *metap, diag *d);
static int run_pipeline(int argc, char **argv, diag *d, run_mode mode, const preloaded *pre);

/* The worst relative SE of the metric's mean, and relative half-width of
 * its P90's 90 % interval, over the alternatives; met when both are under
 * the target.  A metric that is 0 on average (or infinite) cannot be judged
 * relatively: it does not count as met. */
static int converged(const eng_results *r, report_meta *meta, diag *d)
{
    size_t n = (size_t)r->trials;
    double *x = malloc(n * sizeof *x);
    if (!x) /* not "target not met": that would double the trials for nothing */
        return diag_runtime(d, "out of memory");
    meta->conv_rse = meta->conv_p90 = 0;
    meta->conv_met = 1;
    for (size_t a = 0; a < r->nalts; a++) {
        stats_summary st;
        stats_summarise(eng_metric_data(r, a, meta->conv_metric), n, x, &st);
        double lo, hi;
        stats_quantile_ci(x, st.n, 0.9, 0.9, &lo, &hi);
        double rse = st.mean != 0 && isfinite(st.se) ? st.se / fabs(st.mean) : (st.se == 0 ? 0 : INFINITY);
        double rq = st.p90 != 0 && isfinite(hi - lo) ? (hi - lo) / 2 / fabs(st.p90) : (hi == lo ? 0 : INFINITY);
        if (!(rse <= meta->conv_rse))
            meta->conv_rse = rse;
        if (!(rq <= meta->conv_p90))
            meta->conv_p90 = rq;
    }
    if (!(meta->conv_rse <= meta->conv_target && meta->conv_p90 <= meta->conv_target))
        meta->conv_met = 0;
    free(x);
    return 0;
}

static char *slurp(const char *path, size_t *len, diag *d)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        diag_input(d, path, 0, 0, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(YT_MAX_FILE_BYTES * 16 + 1);
    if (!buf) {
        fclose(fp);
        diag_runtime(d, "out of memory");
        return NULL;
    }
    size_t n = fread(buf, 1, YT_MAX_FILE_BYTES * 16, fp);
    int bad = ferror(fp) || !feof(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        diag_input(d, path, 0, 0, "cannot read '%s' (too large, or not a file)", path);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The next line of a summary.json from p, skipping "scenario_path": where
 * the scenario was read is provenance, not a result, and summaries written
 * before it was recorded have no such line. */
static const char *next_result_line(const char *p)
{
    while (p && *p) {
        const char *e = strchr(p, '\n');
        const char *k = strstr(p, "\"scenario_path\"");
        if (!k || (e && k > e))
            return p;
        p = e ? e + 1 : NULL;
    }
    return p && *p ? p : NULL;
}

/* summary.json without the lines that may differ between two runs of the
 * same thing (timing, thread count, where the scenario was read), for
 * comparison. */
static int same_results(const char *a, const char *b)
{
    for (;;) {
        a = next_result_line(a);
        b = next_result_line(b);
        if (!a || !b)
            return !a && !b;
        const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
        size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
        int skip = (strstr(a, "\"elapsed_seconds\"") && strstr(a, "\"elapsed_seconds\"") < a + la) ||
                   (strstr(a, "\"threads\"") && strstr(a, "\"threads\"") < a + la);
        if (!skip && (la != lb || memcmp(a, b, la)))
            return 0;
        if (!ea || !eb)
            return !ea && !eb;
        a = ea + 1;
        b = eb + 1;
    }
}

/* The recorded scenario, read once: only a regular file (a FIFO or a
 * device cannot be read again and would block), at most the loader's
 * limit.  Returns the bytes (malloc'd) or NULL with d set. */
static char *read_recorded(const char *path, size_t *len, diag *d)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    if (fd < 0) {
        diag_input(d, path, 0, 0, "cannot open the recorded scenario '%s': %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        diag_input(d, path, 0, 0, "the recorded scenario '%s' is not a regular file: it cannot be read again",
                   path);
        return NULL;
    }
    char *buf = malloc(YT_MAX_FILE_BYTES + 1);
    size_t n = 0;
    while (buf && n <= YT_MAX_FILE_BYTES) {
        ssize_t k = read(fd, buf + n, YT_MAX_FILE_BYTES + 1 - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            free(buf);
            close(fd);
            diag_runtime(d, "cannot read '%s': %s", path, strerror(e));
            return NULL;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    if (!buf) {
        diag_runtime(d, "out of memory");
        return NULL;
    }
    if (n > YT_MAX_FILE_BYTES) {
        free(buf);
        diag_input(d, path, 0, 0, "'%s' is larger than %u bytes: not a scenario", path, YT_MAX_FILE_BYTES);
        return NULL;
    }
    *len = n;
    return buf;
}

/*
 * Re-run a finished run from its summary.json: the recorded command and
 * arguments on the recorded scenario, whose SHA-256 must still match.
 * The scenario is read once, from the absolute path the run recorded
 * (scenario_path; summaries without it: scenario_file, relative to the
 * working directory), digested, and those very bytes are run: the path in
 * the recorded arguments is never opened, so a tampered summary.json
 * cannot check one file and run another.  An argument list that would
 * replay again (--replay) or do anything but run (--help) is refused.
 * With out_dir NULL (run --replay) the results go to a temporary folder,
 * removed on every path, and are compared with the original; otherwise
 * (capmix report DIR) they replace out_dir, rebuilding its report.
 */
static int replay_run(const char *summary, const char *out_dir, int threads, int quiet, diag *d)
{
    size_t len;
    char *text = slurp(summary, &len, d);
    if (!text)
        return d->kind == DIAG_RUNTIME ? CM_EXIT_RUNTIME : CM_EXIT_INPUT;
    jr_value *j = jr_parse(summary, text, len, d);
    const jr_value *man = jr_get(j, "manifest"), *cmdv = jr_get(man, "command"),
                   *args = jr_get(man, "arguments"), *sha = jr_get(j, "input_sha256"),
                   *file = jr_get(j, "scenario_file"), *abs = jr_get(j, "scenario_path");
    int rc = CM_EXIT_INPUT;
    char **argv = NULL, *scen = NULL, *legacy = NULL;
    char tmp[1024] = "", dir_buf[1100];
    if (!j || !cmdv || cmdv->kind != JR_STR || !args || args->kind != JR_ARR || !sha ||
        sha->kind != JR_STR || !file || file->kind != JR_STR || (abs && abs->kind != JR_STR && abs->kind != JR_NULL)) {
        if (j)
            diag_input(d, summary, 0, 0, "'%s' is not a capmix summary.json with a replayable manifest", summary);
        goto out;
    }
    run_mode mode;
    if (!strcmp(cmdv->str, "bid"))
        mode = MODE_BID;
    else if (!strcmp(cmdv->str, "envelope"))
        mode = MODE_ENVELOPE;
    else if (!strcmp(cmdv->str, "run"))
        mode = MODE_RUN;
    else {
        diag_input(d, summary, 0, 0, "manifest.command must be run, bid or envelope, not '%s'", cmdv->str);
        goto out;
    }
    /* every argument is checked before anything is created */
    for (size_t i = 0; i < args->n; i++) {
        if (args->items[i].kind != JR_STR) {
            diag_input(d, summary, 0, 0, "'%s': manifest.arguments must be strings", summary);
            goto out;
        }
    }
    const char *from = abs && abs->kind == JR_STR ? abs->str : file->str;
    size_t flen = 0;
    scen = read_recorded(from, &flen, d);
    if (!scen)
        goto out;
    char hex[65];
    sha256_hex(scen, flen, hex);
    if (strcmp(hex, sha->str)) {
        diag_input(d, from, 0, 0, "the scenario changed since the run (SHA-256 %.12s, the run had %.12s)",
                   hex, sha->str);
        goto out;
    }
    const char *dir = out_dir;
    if (!dir) {
        const char *td = getenv("TMPDIR");
        snprintf(tmp, sizeof tmp, "%s/capmix-replay.XXXXXX", td && *td == '/' && strlen(td) < 900 ? td : "/tmp");
        if (!mkdtemp(tmp)) {
            diag_runtime(d, "cannot create a temporary folder: %s", strerror(errno));
            tmp[0] = '\0';
            rc = CM_EXIT_RUNTIME;
            goto out;
        }
        /* a folder inside: the output set is built beside it, so the
         * whole replay stays under tmp */
        snprintf(dir_buf, sizeof dir_buf, "%s/out", tmp);
        dir = dir_buf;
    }
    char thr[32];
    snprintf(thr, sizeof thr, "%d", threads > 0 ? threads : 0);
    argv = calloc(args->n + 8, sizeof *argv);
    if (!argv) {
        diag_runtime(d, "out of memory");
        rc = CM_EXIT_RUNTIME;
        goto out;
    }
    int ac = 0;
    argv[ac++] = (char *)cmdv->str;
    for (size_t i = 0; i < args->n; i++)
        argv[ac++] = args->items[i].str;
    argv[ac++] = "-o";
    argv[ac++] = (char *)dir;
    if (!out_dir)
        argv[ac++] = "--no-plots"; /* a comparison needs no pictures; a report does */
    argv[ac++] = "-q";
    if (threads > 0) {
        argv[ac++] = "--threads";
        argv[ac++] = thr;
    }
    /* a summary from before scenario_path gets it now (a rebuilt report
     * then replays from anywhere) */
    legacy = abs && abs->kind == JR_STR ? NULL : realpath(from, NULL);
    preloaded pre = {summary, file->str, legacy ? legacy : abs && abs->kind == JR_STR ? abs->str : NULL,
                     scen, flen};
    rc = run_pipeline(ac, argv, d, mode, &pre);
    if (rc == CM_EXIT_OK && !out_dir) {
        char path[1200];
        snprintf(path, sizeof path, "%s/summary.json", dir);
        size_t nlen;
        char *again = slurp(path, &nlen, d);
        if (!again) {
            rc = CM_EXIT_RUNTIME;
        } else if (!same_results(text, again)) {
            diag_runtime(d, "replay of '%s' differs from the recorded results", summary);
            rc = CM_EXIT_RUNTIME;
        } else if (!quiet) {
            printf("replay: %s %s reproduced '%s' byte for byte (timing and thread count aside)\n",
                   cmdv->str, file->str, summary);
        }
        free(again);
    }
out:
    if (tmp[0])
        atomic_rmtree(tmp);
    free(argv);
    free(scen);
    free(legacy);
    jr_free(j);
    free(text);
    /* out of memory while reading the summary is not bad input */
    if (rc == CM_EXIT_INPUT && d->kind == DIAG_RUNTIME)
        rc = CM_EXIT_RUNTIME;
    return rc;
}

int cmd_report(int argc, char **argv, diag *d)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs("usage: capmix report DIR\n\nRebuild DIR/report.html and DIR/report.md (and the other outputs) "
              "from a finished run:\nthe command recorded in DIR/summary.json is run again on its scenario, "
              "whose SHA-256 must\nstill match; the same seed gives the same numbers.\n",
              stdout);
        return CM_EXIT_OK;
    }
    if (argc != 2) {
        diag_input(d, NULL, 0, 0, "report: give the output folder of a run (see 'capmix report --help')");
        return CM_EXIT_INPUT;
    }
    char path[1200];
    snprintf(path, sizeof path, "%s/summary.json", argv[1]);
    int rc = replay_run(path, argv[1], 0, 1, d);
    if (rc == CM_EXIT_OK)
        printf("rebuilt %s/report.html and %s/report.md\n", txt_term(path, sizeof path, argv[1]), path);
    return rc;
}

static int run_pipeline(int argc, char **argv, diag *d, run_mode mode, const preloaded *pre)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},   {"trials", required_argument, NULL, 't'},
        {"seed", required_argument, NULL, 's'},  {"threads", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},       {"export-trials", no_argument, NULL, 'x'},
        {"no-plots", no_argument, NULL, 'P'},    {"help", no_argument, NULL, 'h'},
        {"above", required_argument, NULL, 'A'}, {"risk-tolerance", required_argument, NULL, 'R'},
        {"partner-margin", required_argument, NULL, 'M'},
        {"confidence", required_argument, NULL, 'C'}, {"month", required_argument, NULL, 'm'},
        {"actuals", required_argument, NULL, 'a'},    {"tolerance", required_argument, NULL, 'T'},
        {"accepted-tolerance", required_argument, NULL, 'U'},
        {"replay", required_argument, NULL, 'r'},
        {"precision", required_argument, NULL, 'p'},
        {"precision-metric", required_argument, NULL, 'e'},
        {"max-trials", required_argument, NULL, 'X'},
        {"stream", no_argument, NULL, 'S'},
        {"shard", required_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };
    const char *replay = NULL;
    double prec = 0;
    eng_metric prec_metric = M_COST_TOTAL;
    unsigned long long max_trials = 2000000;
    const int bid_mode = mode == MODE_BID;
    const char *cmd = mode == MODE_BID ? "bid" : mode == MODE_ENVELOPE ? "envelope" : "run";
    double conf = NAN, spent = NAN, acc = NAN, tol = 0.05, acc_tol = 0;
    unsigned long long month = 0;
    const char *out = NULL;
    unsigned long long trials = 0, seed = 0, threads = 0;
    int have_seed = 0, quiet = 0, export_trials = 0, plots = 1, c;
    double R = NAN, margin = NAN;
    report_meta meta = {.version = CAPMIX_VERSION};
    opterr = 0;
    optind = 1;
    int li = -1;
    while ((li = -1, c = getopt_long(argc, argv, ":o:qh", opts, &li)) != -1) {
        /* the option's own name: argv[optind − 1] is its value when given
         * as a separate argument */
        char optname[64];
        snprintf(optname, sizeof optname, "--%s", li >= 0 ? opts[li].name : "?");
        switch (c) {
        case 'o':
            out = optarg;
            if (!*out) {
                diag_input(d, NULL, 0, 0, "%s: -o needs a folder name, not an empty string", cmd);
                return CM_EXIT_INPUT;
            }
            break;
        case 't':
            if (cli_parse_u64("--trials", optarg, SCN_MIN_TRIALS, SCN_MAX_TRIALS, &trials, d))
                return CM_EXIT_INPUT;
            break;
        case 's':
            /* the same range as `seed:` in a scenario file */
            if (cli_parse_u64("--seed", optarg, 0, INT64_MAX, &seed, d))
                return CM_EXIT_INPUT;
            have_seed = 1;
            break;
        case 'j':
            if (cli_parse_u64("--threads", optarg, 1, 1024, &threads, d))
                return CM_EXIT_INPUT;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'x':
            export_trials = 1;
            break;
        case 'P':
            plots = 0;
            break;
        case 'A':
            if (parse_above(optarg, &meta, d))
                return CM_EXIT_INPUT;
            break;
        case 'R':
        case 'M':
            if (!bid_mode) {
                diag_input(d, NULL, 0, 0, "run: option '%s' belongs to 'capmix bid'", optname);
                return CM_EXIT_INPUT;
            }
            if (c == 'R' ? parse_tolerance(optarg, &R, d) : parse_margin(optarg, &margin, d))
                return CM_EXIT_INPUT;
            break;
        case 'C':
        case 'm':
        case 'a':
        case 'T':
        case 'U':
            if (mode != MODE_ENVELOPE) {
                diag_input(d, NULL, 0, 0, "%s: option '%s' belongs to 'capmix envelope'", cmd,
                           optname);
                return CM_EXIT_INPUT;
            }
            if (c == 'C' && (parse_fraction("--confidence", optarg, 0, 1, &conf, NULL) ||
                             conf <= 0 || conf >= 1)) {
                diag_input(d, NULL, 0, 0,
                           "--confidence needs a number between 0 and 1 (e.g. 0.9), not '%s'", optarg);
                return CM_EXIT_INPUT;
            }
            if ((c == 'm' && cli_parse_u64("--month", optarg, 1, 1200, &month, d)) ||
                (c == 'a' && parse_actuals(optarg, &spent, &acc, d)) ||
                (c == 'T' && parse_fraction("--tolerance", optarg, 0, 1, &tol, d)) ||
                (c == 'U' && parse_fraction("--accepted-tolerance", optarg, 0, 1e6, &acc_tol, d)))
                return CM_EXIT_INPUT;
            break;
        case 'p': {
            /* "0.5%" or 0.005 */
            char buf[64];
            snprintf(buf, sizeof buf, "%s", optarg);
            size_t bl = strlen(buf);
            int pct = bl && buf[bl - 1] == '%';
            if (pct)
                buf[bl - 1] = '\0';
            if (prm_decimal(buf, &prec) || !(prec > 0) || (pct ? prec >= 100 : prec >= 1)) {
                diag_input(d, NULL, 0, 0, "--precision needs a relative error such as 0.5%% or 0.005, not '%s'",
                           optarg);
                return CM_EXIT_INPUT;
            }
            if (pct)
                prec /= 100;
            break;
        }
        case 'e': {
            int m = eng_metric_find(optarg);
            if (m < 0) {
                char hint[96] = "";
                diag_hint(hint, sizeof hint, optarg, eng_metric_names());
                diag_input(d, NULL, 0, 0, "--precision-metric: unknown metric '%s'%s", optarg, hint);
                return CM_EXIT_INPUT;
            }
            prec_metric = (eng_metric)m;
            break;
        }
        case 'X':
            if (cli_parse_u64("--max-trials", optarg, ENG_BLOCK, SCN_MAX_TRIALS, &max_trials, d))
                return CM_EXIT_INPUT;
            break;
        case 'S':
            if (mode != MODE_RUN) {
                diag_input(d, NULL, 0, 0, "%s: option '--stream' belongs to 'capmix run'", cmd);
                return CM_EXIT_INPUT;
            }
            meta.stream = 1;
            break;
        case 'H':
            if (mode != MODE_RUN) {
                diag_input(d, NULL, 0, 0, "%s: option '--shard' belongs to 'capmix run'", cmd);
                return CM_EXIT_INPUT;
            }
            if (shard_parse(optarg, d))
                return CM_EXIT_INPUT;
            break;
        case 'r':
            if (pre) { /* it would replay itself until the stack overflows */
                diag_input(d, pre->summary, 0, 0,
                           "the recorded arguments contain --replay, which cannot be replayed");
                return CM_EXIT_INPUT;
            }
            if (mode != MODE_RUN) {
                diag_input(d, NULL, 0, 0, "%s: option '--replay' belongs to 'capmix run'", cmd);
                return CM_EXIT_INPUT;
            }
            replay = optarg;
            break;
        case 'h':
            if (pre) {
                diag_input(d, pre->summary, 0, 0, "the recorded arguments ask for --help, not a run");
                return CM_EXIT_INPUT;
            }
            fputs(mode == MODE_BID ? bid_usage : mode == MODE_ENVELOPE ? envelope_usage : run_usage,
                  stdout);
            return CM_EXIT_OK;
        case ':':
            diag_input(d, NULL, 0, 0, "%s: option '%s' needs a value (see 'capmix %s --help')", cmd,
                       argv[optind - 1], cmd);
            return CM_EXIT_INPUT;
        default:
            diag_input(d, NULL, 0, 0, "%s: unknown option '%s' (see 'capmix %s --help')", cmd,
                       argv[optind - 1], cmd);
            return CM_EXIT_INPUT;
        }
    }
    if (replay) {
        if (argc != optind) {
            diag_input(d, NULL, 0, 0, "run: --replay takes the run's summary.json, not a scenario");
            return CM_EXIT_INPUT;
        }
        return replay_run(replay, NULL, (int)threads, quiet, d);
    }
    if (argc - optind != 1) {
        diag_input(d, NULL, 0, 0, "%s: give exactly one scenario file (see 'capmix %s --help')", cmd, cmd);
        return CM_EXIT_INPUT;
    }
    if (pre && strcmp(argv[optind], pre->file)) {
        diag_input(d, pre->summary, 0, 0,
                   "the recorded arguments name the scenario '%s', but scenario_file is '%s'",
                   argv[optind], pre->file);
        return CM_EXIT_INPUT;
    }
    if (export_trials && !out) {
        diag_input(d, NULL, 0, 0, "%s: --export-trials needs an output folder (-o DIR)", cmd);
        return CM_EXIT_INPUT;
    }
    if (meta.stream && (export_trials || prec > 0)) {
        diag_input(d, NULL, 0, 0, "run: --stream keeps no per-trial data, so it goes with neither %s",
                   export_trials ? "--export-trials" : "--precision");
        return CM_EXIT_INPUT;
    }
    if (shard_splitting() && (prec > 0 || !out)) {
        diag_input(d, NULL, 0, 0, "run: --shard %s", prec > 0 ? "goes with --trials, not --precision"
                                                            : "needs an output folder (-o DIR)");
        return CM_EXIT_INPUT;
    }
    if ((month > 0) != !isnan(spent)) {
        diag_input(d, NULL, 0, 0, "envelope: --month and --actuals go together");
        return CM_EXIT_INPUT;
    }
    /* what a replay needs: the arguments without output folder, threads,
     * verbosity and plots (none of them changes a number) */
    char **rargs = calloc((size_t)argc, sizeof *rargs);
    int nr = 0;
    if (!rargs) {
        diag_runtime(d, "out of memory");
        return CM_EXIT_RUNTIME;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--out") || !strcmp(a, "--threads") ||
            !strcmp(a, "--shard")) {
            i++;
            continue;
        }
        if (!strncmp(a, "--out=", 6) || !strncmp(a, "--threads=", 10) ||
            !strncmp(a, "--shard=", 8) || !strcmp(a, "-q") ||
            !strcmp(a, "--quiet") || !strcmp(a, "--no-plots") || (a[0] == '-' && a[1] == 'o' && a[2]))
            continue;
        rargs[nr++] = argv[i];
    }
    meta.command = cmd;
    meta.args = rargs;
    meta.nargs = nr;
    meta.conv_target = prec;
    meta.conv_metric = prec_metric;
    meta.conv_max = max_trials;
    int rc0 = run_loaded(argv[optind], pre, out, trials, seed, have_seed, threads, quiet, export_trials,
                         plots, R, margin, conf, month, spent, acc, tol, acc_tol, mode, &meta, d);
    free(rargs);
    return rc0;
}

static int run_loaded(const char *file, const preloaded *pre, const char *out, unsigned long long trials,
                      unsigned long long seed, int have_seed, unsigned long long threads, int quiet,
                      int export_trials, int plots, double R, double margin, double conf,
                      unsigned long long month, double spent, double acc, double tol,
                      double acc_tol, run_mode mode, report_meta *metap, diag *d)
{
    const int bid_mode = mode == MODE_BID;
    const char *cmd = metap->command;
    report_meta meta = *metap;
    scn_scenario *s = NULL;
    if (pre ? scn_load_buffer(pre->file, pre->buf, pre->len, &s, d) : scn_load(file, &s, d))
        return d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
    if (pre && pre->path && !(s->path = strdup(pre->path))) {
        scn_free(s);
        diag_runtime(d, "out of memory");
        return CM_EXIT_RUNTIME;
    }
    int has_bid = 0, has_mix = 0;
    for (size_t a = 0; a < s->nalts; a++) {
        has_bid |= s->alts[a].kind == ALT_BID;
        has_mix |= s->alts[a].kind == ALT_MIX;
    }
    if (bid_mode && !has_bid) {
        diag_input(d, s->file, 0, 0, "the scenario has no 'fixed_bid' alternative to weigh (see 'capmix bid --help')");
        scn_free(s);
        return CM_EXIT_INPUT;
    }
    if (trials)
        s->trials = trials;
    if (have_seed)
        s->seed = seed;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned long long)n : 1;
    }
    if (meta.conv_target > 0) {
        if (trials) {
            diag_input(d, NULL, 0, 0, "%s: give --trials or --precision, not both", cmd);
            scn_free(s);
            return CM_EXIT_INPUT;
        }
        s->trials = meta.conv_max; /* the memory check below is for the largest run */
    }

    /* Per-trial results are kept for exact quantiles: refuse a run that
     * could not fit rather than let the machine swap or the allocator fail
     * half-way (budget: half of physical memory). */
    double need_mib = meta.stream ? stm_bytes(s->nalts, (int)threads) / (1 << 20)
                                  : (double)s->trials * (double)s->nalts * (M_COUNT * 8.0 + 16) / (1 << 20);
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    double half_mib = pages > 0 && psize > 0 ? (double)pages * (double)psize / 2 / (1 << 20) : INFINITY;
    if (need_mib > half_mib) {
        diag_input(d, NULL, 0, 0,
                   "%s: %llu trials of %zu alternatives need about %.0f MiB of per-trial results, "
                   "more than half of this machine's memory (%.0f MiB): use fewer --trials",
                   cmd, (unsigned long long)s->trials, s->nalts, need_mib, half_mib);
        scn_free(s);
        return CM_EXIT_INPUT;
    }
    progress pr = {.enabled = !quiet && isatty(STDERR_FILENO)};
    pthread_mutex_init(&pr.mu, NULL);
    clock_gettime(CLOCK_MONOTONIC, &pr.start);
    eng_opts eo = {.trials = s->trials, .seed = s->seed, .threads = (int)threads,
                   .progress = on_progress, .progress_ctx = &pr, .cancel = &cancel_signal};
    /* Month-end snapshots cost 24 bytes per trial, alternative and month:
     * kept when they fit a modest budget, otherwise summary.json says
     * "monthly": null and run.log says why. */
    double snap_mib = (double)ENG_SNAP_BYTES * (double)s->trials * (double)s->nalts * eng_months(s) / (1 << 20);
    eo.monthly = snap_mib <= MONTHLY_BUDGET_MIB && !meta.stream;
    stm_run *st = NULL;
    if (meta.stream) {
        eng_metric am[REPORT_MAX_THRESHOLDS];
        double av[REPORT_MAX_THRESHOLDS];
        for (int k = 0; k < meta.nabove; k++) {
            am[k] = meta.above[k].metric;
            av[k] = meta.above[k].value;
        }
        st = stm_new(s->nalts, s->baseline, (int)threads, am, av, meta.nabove);
        if (!st) {
            scn_free(s);
            diag_runtime(d, "out of memory for the streaming statistics");
            return CM_EXIT_RUNTIME;
        }
        eo.on_block = stm_block;
        eo.block_ctx = st;
        plots = 0; /* the charts are drawn from per-trial data */
    }
    if (mode == MODE_ENVELOPE) {
        /* the envelope cannot do without them */
        if (snap_mib > ENVELOPE_BUDGET_MIB) {
            diag_input(d, NULL, 0, 0,
                       "envelope: %llu trials need %.0f MiB of month-end snapshots (limit %d MiB): "
                       "use fewer --trials",
                       (unsigned long long)s->trials, snap_mib, ENVELOPE_BUDGET_MIB);
            scn_free(s);
            return CM_EXIT_INPUT;
        }
        eo.monthly = 1;
    }
    /* SIGINT, SIGTERM and SIGHUP alike, from the trials to the output
     * folder's commit: each stops the run, leaves no temporary and the
     * previous folder as it was, and exits 128 + its number */
    cancel_signal = 0;
    cancel_install();
    eng_results *res = NULL;
    int rc;
    if (meta.conv_target > 0) {
        /* Double the trial count, from 4 blocks, until every alternative's
         * mean of the metric has a relative SE under the target and its P90
         * a 90 % interval of relative half-width under it too.  Blocks are
         * seeded by their index, so the final run is bit-identical to a
         * plain run of that many trials. */
        uint64_t n = 4 * ENG_BLOCK;
        for (;;) {
            if (n > meta.conv_max)
                n = meta.conv_max;
            s->trials = n;
            eo.trials = n;
            double mib = (double)ENG_SNAP_BYTES * (double)n * (double)s->nalts * eng_months(s) / (1 << 20);
            eo.monthly = mode == MODE_ENVELOPE || mib <= MONTHLY_BUDGET_MIB;
            rc = eng_run(s, &eo, &res, d);
            if (rc)
                break;
            if (converged(res, &meta, d)) {
                eng_results_free(res);
                res = NULL;
                rc = -1;
                break;
            }
            if (meta.conv_met || n >= meta.conv_max)
                break;
            eng_results_free(res);
            res = NULL;
            n *= 2;
        }
        snap_mib = (double)ENG_SNAP_BYTES * (double)s->trials * (double)s->nalts * eng_months(s) / (1 << 20);
    } else {
        rc = shard_eng_run(s, &eo, &meta, out, &res, d); /* eng_run, unless sharding */
    }
    double elapsed = since(&pr.start);
    if (pr.shown)
        fprintf(stderr, "\r%*s\r", 70, "");
    pthread_mutex_destroy(&pr.mu);
    if (rc) { /* with --shard, 1: the shard file is written, nothing more to do */
        if (rc == 1 && !quiet)
            printf("wrote a shard of the run to %s\n", out);
        stm_free(st);
        scn_free(s);
        cancel_restore();
        return rc == 1 ? CM_EXIT_OK : d->kind == DIAG_INPUT ? CM_EXIT_INPUT
               : cancel_signal ? cancel_exit_code() : CM_EXIT_RUNTIME;
    }
    meta.threads = (int)threads;
    meta.elapsed_s = elapsed;
    meta.ns_per_pass = res->pass_count > 0 ? elapsed * 1e9 * (double)threads / res->pass_count : 0;
    if (meta.stream)
        snprintf(meta.note, sizeof meta.note,
                 "streamed (--stream): no per-trial data kept; quantiles and CVaR95 estimated "
                 "from a histogram within %.2g%% relative, counts, min, max and means exact; "
                 "no charts",
                 100 * STM_REL_ERROR);
    else if (!eo.monthly)
        snprintf(meta.note, sizeof meta.note,
                 "month-end snapshots were not kept: they would need %.0f MiB (budget %d MiB)",
                 snap_mib, MONTHLY_BUDGET_MIB);
    if (meta.conv_target > 0) {
        size_t used = strlen(meta.note);
        snprintf(meta.note + used, sizeof meta.note - used,
                 "%s%s after %llu trials: %s mean relative SE %.3g%% and P90 interval +-%.3g%% "
                 "(target %.3g%%)",
                 used ? "; " : "", meta.conv_met ? "converged" : "target NOT met",
                 (unsigned long long)s->trials, eng_metric_name(meta.conv_metric), 100 * meta.conv_rse,
                 100 * meta.conv_p90, 100 * meta.conv_target);
    }
    report *rep = NULL;
    dec_report *dr = NULL;
    env_report *er = NULL;
    rc = st ? report_build_stream(s, res, &meta, st, &rep, d) : report_build(s, res, &meta, &rep, d);
    /* the bid figures need a bid and a mix to weigh it against; `run` on
     * a scenario with only one of them simply has no bid section */
    if (!rc && has_bid && (bid_mode || has_mix) && !st) /* the bid figures need every trial */
        rc = dec_build(rep, R, margin, &dr, d);
    if (!rc && mode == MODE_ENVELOPE)
        rc = env_build(rep, isnan(conf) ? s->decision.confidence : conf, (int)month, spent, acc,
                       tol, acc_tol, &er, d);
    if (!rc && !quiet) {
        if (mode == MODE_BID)
            dec_print(stdout, rep, dr);
        else if (mode == MODE_ENVELOPE)
            env_print(stdout, rep, er);
        else
            report_table(stdout, rep);
    }
    if (!rc && out) {
        sections sc = {rep, dr, er};
        char shown[600];
        rc = write_outputs(out, &sc, export_trials, plots, quiet ? NULL : stderr, d);
        if (!rc && !quiet)
            printf("\nwrote %s/report.html, %s/report.xlsx, %s/summary.json, %s/run.log%s\n",
                   txt_term(shown, sizeof shown, out), shown, shown, shown, export_trials ? ", trials.csv" : "");
    }
    env_free(er);
    dec_free(dr);
    report_free(rep);
    eng_results_free(res);
    stm_free(st);
    scn_free(s);
    cancel_restore();
    if (rc && cancel_signal)
        return cancel_exit_code();
    return rc ? (d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME) : CM_EXIT_OK;
}

int cmd_run(int argc, char **argv, diag *d)
{
    return run_pipeline(argc, argv, d, MODE_RUN, NULL);
}

int cmd_bid(int argc, char **argv, diag *d)
{
    return run_pipeline(argc, argv, d, MODE_BID, NULL);
}

int cmd_envelope(int argc, char **argv, diag *d)
{
    return run_pipeline(argc, argv, d, MODE_ENVELOPE, NULL);
}
