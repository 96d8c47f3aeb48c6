/*
 * runcmd — what run, bid and envelope share (private to sim/cli): one
 * request, one pipeline (load, simulate, summarise, print, write), the
 * replay of a finished run, and the option rows all three accept.
 *
 * The three commands take the same options; an option of one of them
 * given to another is refused by name ("run: option '--month' belongs to
 * 'capmix envelope'"), so each table holds every row, the foreign ones
 * marked with the command they belong to.
 */
#ifndef CAPMIX_RUNCMD_H
#define CAPMIX_RUNCMD_H

#include <stddef.h>

#include "diag.h"
#include "engine.h"
#include "opts.h"
#include "report.h"
#include "scenario.h"

typedef enum { MODE_RUN, MODE_BID, MODE_ENVELOPE } run_mode;

/* The scenario of a replay, already read and digested: the pipeline runs
 * these bytes and never opens the path in the recorded arguments. */
typedef struct preloaded {
    const char *summary; /* the summary.json replayed, for messages */
    const char *file;    /* scenario_file as recorded (the scenario's name) */
    const char *path;    /* scenario_path as recorded, or NULL */
    const char *buf;
    size_t len;
} preloaded;

/* One run, bid or envelope, as the command line asked for it: the option
 * tables store straight into it. */
typedef struct run_request {
    const char *file;          /* the scenario */
    const char *out;           /* -o DIR, or NULL */
    const char *replay;        /* --replay SUMMARY, or NULL */
    unsigned long long trials; /* 0: the scenario's */
    unsigned long long seed;
    int have_seed;
    unsigned long long threads; /* 0: online CPUs */
    int quiet, export_trials, no_plots, stream;
    double precision;           /* --precision, 0: a fixed trial count */
    eng_metric precision_metric;
    unsigned long long max_trials;
    double risk_tolerance, partner_margin;     /* bid; NaN: the scenario's */
    double confidence;                         /* envelope; NaN: the scenario's */
    unsigned long long month;                  /* 0: no review */
    double spent, accepted, rework, superseded; /* NaN: not given */
    const char *review_alt;                    /* --alternative; NULL: the baseline */
    double tolerance, accepted_tolerance;      /* older reviews' options: no longer used */
    report_meta meta;           /* --above thresholds; the manifest */
} run_request;

/* A request with every default. */
run_request run_request_default(void);

extern const opts_cmd run_cmd, bid_cmd, envelope_cmd;

/* Parse argv by c's table, then load, simulate and report; `pre` is a
 * replay's scenario (NULL otherwise).  Returns CM_EXIT_OK or -1 with d. */
int run_pipeline(const opts_cmd *c, run_mode mode, int argc, char **argv, const preloaded *pre, diag *d);

/*
 * Re-run a finished run from its summary.json (replay.c): with out_dir
 * NULL, into a temporary folder, comparing the results with the recorded
 * ones; otherwise replacing out_dir.  Returns CM_EXIT_OK or -1 with d.
 */
int replay_run(const char *summary, const char *out_dir, int threads, int quiet, diag *d);

/* Option parsers of the rows below. */
int run_opt_above(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst, diag *d);
int run_opt_precision(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                      diag *d);
int run_opt_metric(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst, diag *d);
int run_opt_shard(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst, diag *d);
int bid_opt_tolerance(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                      diag *d);
int bid_opt_margin(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst, diag *d);
int env_opt_confidence(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                       diag *d);
int env_opt_actuals(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                    diag *d);

#define RUN_AT(f) offsetof(run_request, f)
#define RUN_HELP_SHOWN(text) text
#define RUN_HELP_HIDDEN(text) NULL

/* The options of 'capmix run' that bid and envelope share; H is
 * RUN_HELP_SHOWN or RUN_HELP_HIDDEN, OWN NULL in run's table, "run" in
 * the others (--replay, --stream and --shard are run's alone). */
#define RUN_ROWS(H, OWN)                                                                          \
    {.name = "out", .letter = 'o', .kind = OPT_DIR, .at = RUN_AT(out), .metavar = "DIR",         \
     .help = H("write summary.json, run.log and plots to DIR (created if needed)")},             \
    {.name = "trials", .kind = OPT_U64, .flags = OPT_RECORDED, .at = RUN_AT(trials),             \
     .lo = SCN_MIN_TRIALS, .hi = SCN_MAX_TRIALS, .metavar = "N",                                 \
     .help = H("number of trials (default: the scenario's 'trials', else 10000)")},              \
    /* the same range as `seed:` in a scenario file */                                          \
    {.name = "seed", .kind = OPT_U64, .flags = OPT_RECORDED, .at = RUN_AT(seed), .lo = 0,        \
     .hi = INT64_MAX, .metavar = "N", .help = H("random seed (default: the scenario's 'seed', else 1)")}, \
    {.name = "threads", .kind = OPT_U64, .at = RUN_AT(threads), .lo = 1, .hi = 1024,             \
     .metavar = "N", .help = H("worker threads (default: online CPUs); results do not depend on it")}, \
    {.name = "export-trials", .kind = OPT_FLAG, .flags = OPT_RECORDED, .at = RUN_AT(export_trials), \
     .help = H("also write DIR/trials.csv, one row per trial and alternative")},                 \
    {.name = "no-plots", .kind = OPT_FLAG, .at = RUN_AT(no_plots),                              \
     .help = H("do not draw plots (data files are still written)")},                             \
    {.name = "precision", .kind = OPT_FN, .flags = OPT_RECORDED, .at = RUN_AT(precision),        \
     .fn = run_opt_precision, .metavar = "P",                                                    \
     .help = H("instead of --trials: double the trials (from 4096) until every\n"                \
               "alternative's mean of the metric has a relative SE under P (e.g.\n"              \
               "0.5%) and its P90 a 90% interval within +-P; capped by --max-trials\n"           \
               "(default 2000000); --precision-metric M (default cost_total)")},                 \
    {.name = "precision-metric", .kind = OPT_FN, .flags = OPT_RECORDED,                          \
     .at = RUN_AT(precision_metric), .fn = run_opt_metric, .metavar = "M"},                      \
    {.name = "max-trials", .kind = OPT_U64, .flags = OPT_RECORDED, .at = RUN_AT(max_trials),     \
     .lo = ENG_BLOCK, .hi = SCN_MAX_TRIALS, .metavar = "N"},                                     \
    {.name = "replay", .kind = OPT_STR, .flags = OPT_RECORDED, .at = RUN_AT(replay),             \
     .metavar = "FILE", .belongs = OWN,                                                          \
     .help = H("run again what a summary.json records (any command) and\n"                       \
               "check the results are the same, byte for byte (a summary\n"                      \
               "from another capmix release is refused)")},                                      \
    {.name = "stream", .kind = OPT_FLAG, .flags = OPT_RECORDED, .at = RUN_AT(stream),            \
     .belongs = OWN,                                                                             \
     .help = H("constant memory for very large runs: no per-trial data;\n"                       \
               "quantiles and CVaR95 estimated within 0.2% (relative),\n"                        \
               "means, SEs and counts exact; no charts or trials.csv")},                         \
    {.name = "above", .kind = OPT_FN, .flags = OPT_RECORDED | OPT_REPEAT, .at = RUN_AT(meta),    \
     .fn = run_opt_above, .metavar = "M=V",                                                      \
     .help = H("also report P(metric M > V) per alternative, e.g.\n"                             \
               "--above blended_cost=900000 (repeatable, up to 8)")},                            \
    {.name = "shard", .kind = OPT_FN, .fn = run_opt_shard, .metavar = "I/N", .belongs = OWN,      \
     .help = H("simulate only the I-th of N parts of the run and write it to\n"                  \
               "DIR/shard-I-of-N.capmix-shard; 'capmix merge' reports the set")},                \
    {.name = "quiet", .letter = 'q', .kind = OPT_FLAG, .at = RUN_AT(quiet),                     \
     .help = H("print nothing on success")},                                                     \
    {.name = "help", .letter = 'h', .kind = OPT_HELP, .flags = OPT_RECORDED, .help = H("this help")}

/* bid's own options; OWN: NULL in bid's table, "bid" in the others */
#define BID_ROWS(OWN)                                                                             \
    {.name = "risk-tolerance", .kind = OPT_FN, .flags = OPT_RECORDED, .at = RUN_AT(risk_tolerance), \
     .fn = bid_opt_tolerance, .metavar = "R", .belongs = OWN,                                    \
     .help = "sponsor's risk tolerance in money (exponential utility);\n"                        \
             "'infinity' for risk neutrality (default: decision.risk_tolerance)"},               \
    {.name = "partner-margin", .kind = OPT_FN, .flags = OPT_RECORDED, .at = RUN_AT(partner_margin), \
     .fn = bid_opt_margin, .metavar = "M", .belongs = OWN,                                       \
     .help = "the partner's margin on its cost, e.g. 0.15\n"                                     \
             "(default: decision.partner_margin)"}

/* envelope's own options; OWN: NULL in envelope's table, "envelope" in
 * the others */
#define ENVELOPE_ROWS(OWN)                                                                        \
    {.name = "confidence", .kind = OPT_FN, .flags = OPT_RECORDED, .at = RUN_AT(confidence),       \
     .fn = env_opt_confidence, .metavar = "C", .belongs = OWN,                                   \
     .help = "envelope confidence, between 0 and 1 (default\n"                                   \
             "decision.confidence, else 0.9)"},                                                  \
    {.name = "month", .kind = OPT_U64, .flags = OPT_RECORDED, .at = RUN_AT(month), .lo = 1,       \
     .hi = 1200, .metavar = "M", .belongs = OWN,                                                 \
     .help = "the month of the review (1 = end of the first month)"},                            \
    {.name = "actuals", .kind = OPT_FN, .flags = OPT_RECORDED, .at = 0, .fn = env_opt_actuals,    \
     .metavar = "LIST", .belongs = OWN,                                                          \
     .help = "what the alternative spent and delivered so far,\n"                               \
             "cumulative: spent=S,accepted=A[,rework=R,superseded=U]\n"                         \
             "(rework and superseded imputed when not given)"},                                  \
    {.name = "alternative", .kind = OPT_STR, .flags = OPT_RECORDED, .at = RUN_AT(review_alt),     \
     .metavar = "NAME", .belongs = OWN,                                                          \
     .help = "the alternative that is running (default: the baseline)"},                        \
    {.name = "tolerance", .kind = OPT_DOUBLE, .flags = OPT_RECORDED, .at = RUN_AT(tolerance),     \
     .dlo = 0, .dhi = 1, .metavar = "F", .belongs = OWN,                                         \
     .help = "no longer used: the review re-forecasts, it does not\n"                            \
             "match trials (accepted, with a warning)"},                                         \
    {.name = "accepted-tolerance", .kind = OPT_DOUBLE, .flags = OPT_RECORDED,                     \
     .at = RUN_AT(accepted_tolerance), .dlo = 0, .dhi = 1e6, .metavar = "K", .belongs = OWN,     \
     .help = "no longer used, as --tolerance"}

#endif
