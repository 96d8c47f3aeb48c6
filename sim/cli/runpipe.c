/*
 * runpipe — the pipeline run, bid and envelope share (see runcmd.h):
 * load, simulate, summarise, then print and write.
 *
 * Order matters for "bad input never writes half a result": the scenario
 * is loaded and simulated, and every figure computed, before the output
 * folder is created; all files are written to temporaries and renamed
 * into place only when every one of them was written completely
 * (outset.h).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "budget.h"
#include "cancel.h"
#include "cli.h"
#include "converge.h"
#include "decision.h"
#include "envelope.h"
#include "outset.h"
#include "param.h"
#include "runcmd.h"
#include "runtable.h"
#include "scnload.h"
#include "shard.h"
#include "stream.h"
#include "textesc.h"

run_request run_request_default(void)
{
    return (run_request){.precision_metric = M_COST_TOTAL, .max_trials = 2000000,
                         .risk_tolerance = NAN, .partner_margin = NAN, .confidence = NAN,
                         .spent = NAN, .accepted = NAN, .rework = NAN, .superseded = NAN,
                         .tolerance = NAN, .accepted_tolerance = NAN,
                         .meta = {.version = CAPMIX_VERSION}};
}

/* --above METRIC=VALUE */
int run_opt_above(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst, diag *d)
{
    (void)c, (void)o, (void)extra;
    report_meta *meta = dst;
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

/* "0.5%" or 0.005 */
int run_opt_precision(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                      diag *d)
{
    (void)c, (void)o, (void)extra;
    double *prec = dst;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", arg);
    size_t bl = strlen(buf);
    int pct = bl && buf[bl - 1] == '%';
    if (pct)
        buf[bl - 1] = '\0';
    if (prm_decimal(buf, prec) || !(*prec > 0) || (pct ? *prec >= 100 : *prec >= 1))
        return diag_input(d, NULL, 0, 0, "--precision needs a relative error such as 0.5%% or 0.005, not '%s'",
                          arg);
    if (pct)
        *prec /= 100;
    return 0;
}

int run_opt_metric(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst, diag *d)
{
    (void)c, (void)o, (void)extra;
    int m = eng_metric_find(arg);
    if (m < 0) {
        char hint[96] = "";
        diag_hint(hint, sizeof hint, arg, eng_metric_names());
        return diag_input(d, NULL, 0, 0, "--precision-metric: unknown metric '%s'%s", arg, hint);
    }
    *(eng_metric *)dst = (eng_metric)m;
    return 0;
}

int run_opt_shard(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst, diag *d)
{
    (void)c, (void)o, (void)extra, (void)dst;
    return shard_parse(arg, d);
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

/* What the simulation left for the summary. */
typedef struct run_state {
    scn_scenario *s;
    eng_results *res;
    stm_run *st;
    int has_bid, has_mix, plots;
    unsigned long long threads;
    int monthly;          /* month-end snapshots kept */
    int cancelling;       /* the signal handlers are installed */
    report_meta meta;
} run_state;

/* The scenario of the request (a replay's bytes, or the file), with the
 * command line's trials, seed and threads; the checks that need it. */
static int load(const run_request *rq, run_mode mode, const preloaded *pre, run_state *rs, diag *d)
{
    scn_scenario *s = NULL;
    if (pre ? scn_load_buffer(pre->file, pre->buf, pre->len, &s, d) : scn_load(rq->file, &s, d))
        return -1;
    rs->s = s;
    if (pre && pre->path && !(s->path = strdup(pre->path)))
        return diag_runtime(d, "out of memory");
    for (size_t a = 0; a < s->nalts; a++) {
        rs->has_bid |= s->alts[a].kind == ALT_BID;
        rs->has_mix |= s->alts[a].kind == ALT_MIX;
    }
    if (mode == MODE_BID && !rs->has_bid)
        return diag_input(d, s->file, 0, 0,
                          "the scenario has no 'fixed_bid' alternative to weigh (see 'capmix bid --help')");
    if (rq->trials)
        s->trials = rq->trials;
    if (rq->have_seed)
        s->seed = rq->seed;
    rs->threads = rq->threads;
    if (!rs->threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        rs->threads = n > 0 ? (unsigned long long)n : 1;
    }
    if (rs->meta.conv_target > 0) {
        if (rq->trials)
            return diag_input(d, NULL, 0, 0, "%s: give --trials or --precision, not both", rs->meta.command);
        s->trials = rs->meta.conv_max; /* the memory check below is for the largest run */
    }
    return eng_memory_check(s, rs->meta.stream, (int)rs->threads, rs->meta.command, d);
}

/* Simulate, under the signal handlers.  Returns 0, 1 when a shard file
 * was written (nothing more to do), or -1 with d set. */
static int simulate(const run_request *rq, run_mode mode, run_state *rs, diag *d)
{
    scn_scenario *s = rs->s;
    report_meta *meta = &rs->meta;
    progress pr = {.enabled = !rq->quiet && isatty(STDERR_FILENO)};
    pthread_mutex_init(&pr.mu, NULL);
    clock_gettime(CLOCK_MONOTONIC, &pr.start);
    eng_opts eo = {.trials = s->trials, .seed = s->seed, .threads = (int)rs->threads,
                   .progress = on_progress, .progress_ctx = &pr, .cancel = &cancel_signal};
    /* Month-end snapshots are kept when they fit a modest budget,
     * otherwise summary.json says "monthly": null and run.log says why. */
    eo.monthly = eng_monthly_fits(s, s->trials) && !meta->stream;
    int rc = 0;
    if (meta->stream) {
        eng_metric am[REPORT_MAX_THRESHOLDS];
        double av[REPORT_MAX_THRESHOLDS];
        for (int k = 0; k < meta->nabove; k++) {
            am[k] = meta->above[k].metric;
            av[k] = meta->above[k].value;
        }
        rs->st = stm_new(s->nalts, s->baseline, (int)rs->threads, am, av, meta->nabove);
        if (!rs->st)
            rc = diag_runtime(d, "out of memory for the streaming statistics");
        eo.on_block = stm_block;
        eo.block_ctx = rs->st;
        rs->plots = 0; /* the charts are drawn from per-trial data */
    }
    if (!rc && mode == MODE_ENVELOPE) {
        /* the envelope cannot do without them */
        rc = eng_envelope_check(s, d);
        eo.monthly = 1;
    }
    if (!rc) {
        /* SIGINT, SIGTERM and SIGHUP alike, from the trials to the output
         * folder's commit: each stops the run, leaves no temporary and the
         * previous folder as it was, and exits 128 + its number */
        cancel_signal = 0;
        cancel_install();
        rs->cancelling = 1;
        if (meta->conv_target > 0) {
            eng_conv cv = {.target = meta->conv_target, .metric = meta->conv_metric, .max = meta->conv_max};
            rc = eng_converge(s, &eo, mode == MODE_ENVELOPE, &cv, &rs->res, d);
            meta->conv_met = cv.met;
            meta->conv_rse = cv.rse;
            meta->conv_p90 = cv.p90;
        } else {
            rc = shard_eng_run(s, &eo, meta, rq->out, &rs->res, d); /* eng_run, unless sharding */
        }
    }
    double elapsed = since(&pr.start);
    if (pr.shown)
        fprintf(stderr, "\r%*s\r", 70, "");
    pthread_mutex_destroy(&pr.mu);
    rs->monthly = eo.monthly;
    meta->threads = (int)rs->threads;
    meta->elapsed_s = elapsed;
    return rc;
}

/* The foot note of the table: how the run was made, where it differs
 * from a plain one. */
static void run_note(run_state *rs)
{
    report_meta *meta = &rs->meta;
    const scn_scenario *s = rs->s;
    if (meta->stream)
        snprintf(meta->note, sizeof meta->note,
                 "streamed (--stream): no per-trial data kept; quantiles and CVaR95 estimated "
                 "from a histogram within %.2g%% relative, counts, min, max and means exact; "
                 "no charts",
                 100 * STM_REL_ERROR);
    else if (!rs->monthly)
        snprintf(meta->note, sizeof meta->note,
                 "month-end snapshots were not kept: they would need %.0f MiB (budget %d MiB)",
                 eng_snap_mib(s, s->trials), ENG_MONTHLY_BUDGET_MIB);
    if (meta->conv_target > 0) {
        size_t used = strlen(meta->note);
        snprintf(meta->note + used, sizeof meta->note - used,
                 "%s%s after %llu trials: %s mean relative SE %.3g%% and P90 interval +-%.3g%% "
                 "(target %.3g%%)",
                 used ? "; " : "", meta->conv_met ? "converged" : "target NOT met",
                 (unsigned long long)s->trials, eng_metric_name(meta->conv_metric), 100 * meta->conv_rse,
                 100 * meta->conv_p90, 100 * meta->conv_target);
    }
}

/* Every figure, then the screen and the output folder. */
static int summarise(const run_request *rq, run_mode mode, run_state *rs, diag *d)
{
    const scn_scenario *s = rs->s;
    report *rep = NULL;
    dec_report *dr = NULL;
    env_report *er = NULL;
    int rc = rs->st ? report_build_stream(s, rs->res, &rs->meta, rs->st, &rep, d)
                    : report_build(s, rs->res, &rs->meta, &rep, d);
    /* the bid figures need a bid and a mix to weigh it against; `run` on
     * a scenario with only one of them simply has no bid section */
    if (!rc && rs->has_bid && (mode == MODE_BID || rs->has_mix) && !rs->st) /* the bid figures need every trial */
        rc = dec_build(rep, rq->risk_tolerance, rq->partner_margin, &dr, d);
    if (!rc && mode == MODE_ENVELOPE) {
        env_actuals ac = {(int)rq->month, rq->spent,      rq->accepted, rq->rework,
                          rq->superseded, rq->review_alt, rs->threads};
        rc = env_build(rep, isnan(rq->confidence) ? s->decision.confidence : rq->confidence, &ac, &er, d);
    }
    if (!rc && !rq->quiet) {
        if (mode == MODE_BID)
            dec_print(stdout, rep, dr);
        else if (mode == MODE_ENVELOPE)
            env_print(stdout, rep, er);
        else
            report_table(stdout, rep);
    }
    if (!rc && rq->out) {
        out_sections sc = {rep, dr, er};
        char shown[600];
        rc = out_write_run(rq->out, &sc, rq->export_trials, rs->plots, rq->quiet ? NULL : stderr, d);
        if (!rc && !rq->quiet)
            printf("\nwrote %s/report.html, %s/report.xlsx, %s/summary.json, %s/run.log%s\n",
                   txt_term(shown, sizeof shown, rq->out), shown, shown, shown,
                   rq->export_trials ? ", trials.csv" : "");
    }
    env_free(er);
    dec_free(dr);
    report_free(rep);
    return rc;
}

static int run_loaded(const run_request *rq, run_mode mode, const preloaded *pre, diag *d)
{
    run_state rs = {.plots = !rq->no_plots, .meta = rq->meta};
    int rc = load(rq, mode, pre, &rs, d);
    if (!rc && mode == MODE_ENVELOPE && rq->month) {
        /* a review that cannot be made is refused before the simulation */
        env_actuals ac = {(int)rq->month, rq->spent, rq->accepted, rq->rework, rq->superseded, rq->review_alt, 0};
        size_t a;
        rc = env_actuals_check(rs.s, &ac, &a, d);
    }
    if (!rc && !shard_splitting()) /* a shard goes into a folder of shards */
        rc = cli_out_check(rq->out, d);
    if (!rc)
        rc = simulate(rq, mode, &rs, d);
    if (rc == 1 && !rq->quiet) /* with --shard: the shard file is written, nothing more to do */
        printf("wrote a shard of the run to %s\n", rq->out);
    if (!rc) {
        rs.meta.ns_per_pass = rs.res->pass_count > 0
                                  ? rs.meta.elapsed_s * 1e9 * (double)rs.threads / rs.res->pass_count
                                  : 0;
        run_note(&rs);
        rc = summarise(rq, mode, &rs, d);
    }
    eng_results_free(rs.res);
    stm_free(rs.st);
    scn_free(rs.s);
    if (rs.cancelling)
        cancel_restore();
    return rc < 0 ? -1 : CM_EXIT_OK;
}

int run_pipeline(const opts_cmd *c, run_mode mode, int argc, char **argv, const preloaded *pre, diag *d)
{
    const char *cmd = c->name;
    run_request rq = run_request_default();
    opts_seen seen;
    int prc = opts_parse(c, argc, argv, &rq, &seen, d);
    if (prc < 0)
        return -1;
    if (prc > 0) {
        if (pre)
            return diag_input(d, pre->summary, 0, 0, "the recorded arguments ask for --help, not a run");
        opts_help(stdout, c);
        return CM_EXIT_OK;
    }
    if (pre && rq.replay) /* it would replay itself until the stack overflows */
        return diag_input(d, pre->summary, 0, 0, "the recorded arguments contain --replay, which cannot be replayed");
    rq.have_seed = opts_given(c, &seen, "seed") > 0;
    rq.meta.stream = rq.stream;
    if (rq.replay) {
        if (argc != seen.first)
            return diag_input(d, NULL, 0, 0, "run: --replay takes the run's summary.json, not a scenario");
        return replay_run(rq.replay, NULL, (int)rq.threads, rq.quiet, d);
    }
    if (argc - seen.first != 1)
        return diag_input(d, NULL, 0, 0, "%s: give exactly one scenario file (see 'capmix %s --help')", cmd, cmd);
    rq.file = argv[seen.first];
    if (pre && strcmp(rq.file, pre->file))
        return diag_input(d, pre->summary, 0, 0,
                          "the recorded arguments name the scenario '%s', but scenario_file is '%s'", rq.file,
                          pre->file);
    if (rq.export_trials && !rq.out)
        return diag_input(d, NULL, 0, 0, "%s: --export-trials needs an output folder (-o DIR)", cmd);
    if (rq.stream && (rq.export_trials || rq.precision > 0))
        return diag_input(d, NULL, 0, 0, "run: --stream keeps no per-trial data, so it goes with neither %s",
                          rq.export_trials ? "--export-trials" : "--precision");
    if (shard_splitting() && (rq.precision > 0 || !rq.out))
        return diag_input(d, NULL, 0, 0, "run: --shard %s",
                          rq.precision > 0 ? "goes with --trials, not --precision" : "needs an output folder (-o DIR)");
    if ((rq.month > 0) != !isnan(rq.spent))
        return diag_input(d, NULL, 0, 0, "envelope: --month and --actuals go together");
    if (rq.review_alt && !rq.month)
        return diag_input(d, NULL, 0, 0, "envelope: --alternative names the alternative of a review (--month and --actuals)");
    if (!isnan(rq.tolerance) || !isnan(rq.accepted_tolerance))
        fprintf(stderr, "capmix: warning: envelope: %s no longer used: the review re-forecasts the rest "
                        "from the actuals (as capmix track) instead of matching trials\n",
                isnan(rq.accepted_tolerance) ? "--tolerance is"
                : isnan(rq.tolerance)        ? "--accepted-tolerance is"
                                             : "--tolerance and --accepted-tolerance are");
    /* what a replay needs: the options that may change a number (the
     * table's OPT_RECORDED rows) and the scenario */
    char **rargs = calloc((size_t)argc, sizeof *rargs);
    int nr = rargs ? opts_recorded(c, argc, argv, rargs) : -1;
    if (nr < 0) {
        free(rargs);
        return diag_runtime(d, "out of memory");
    }
    rq.meta.command = cmd;
    rq.meta.args = rargs;
    rq.meta.nargs = nr;
    rq.meta.conv_target = rq.precision;
    rq.meta.conv_metric = rq.precision_metric;
    rq.meta.conv_max = rq.max_trials;
    int rc = run_loaded(&rq, mode, pre, d);
    free(rargs);
    return rc;
}
