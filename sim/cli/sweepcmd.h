/*
 * sweepcmd — what sweep, breakeven and tornado share (private to
 * sim/cli): their options, reading the scenario once, and writing a
 * STEM.csv / STEM.json / STEM.gp set with its chart (cmd_sweep.c).
 *
 * The three take the same common options; an option of one given to
 * another is refused by name ("sweep: option '--x' belongs to 'capmix
 * breakeven'"), so each table holds the foreign rows too.
 */
#ifndef CAPMIX_SWEEPCMD_H
#define CAPMIX_SWEEPCMD_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "json.h"
#include "opts.h"
#include "sweep.h"
#include "yamltree.h"

typedef struct sw_opts {
    const char *file, *out;
    const char *set, *x, *y, *metric, *between[2], *alternative;
    unsigned long long trials, seed, threads;
    int have_seed, quiet, plots, no_plots;
} sw_opts;

/* The CSV and JSON a command builds in memory before emit writes them. */
typedef struct sw_bufs {
    FILE *fc, *fj;
    char *csv, *js;
    size_t csv_len, js_len;
} sw_bufs;

/* Parse argv by c's table into o, then the one scenario file and the
 * thread count.  Returns 0; 1 when --help was printed; -1 with d. */
int sw_parse(const opts_cmd *c, int argc, char **argv, sw_opts *o, diag *d);

/* --between A B */
int sw_opt_between(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                   diag *d);

/* Read and parse o->file once: its scenario (typed sweep:/breakeven:
 * questions included; the caller frees it and the tree), its digest and
 * its tree.  Then refuse (input diag, nothing left to free) a command
 * `cmd` whose runs at o->trials (0: the scenario's) could not keep their
 * per-trial results in memory: a point's results beside the cache of
 * alternatives the parameter does not reach, about twice a run's. */
int sw_load_doc(const sw_opts *o, const char *cmd, yt_doc **doc, char sha[65], scn_scenario **s, diag *d);

/* The provenance every sweep, break-even and tornado file opens with. */
void sw_json_head(json_writer *w, const sw_opts *o, const swp_setup *S);

int sw_bufs_open(sw_bufs *b, diag *d);
int sw_bufs_finish(sw_bufs *b, json_writer *w, diag *d);
void sw_bufs_free(sw_bufs *b);

/* STEM.csv, STEM.json and STEM.gp (the variables `vars`, then the
 * template) land together in o->out, swapped in whole; then the figure is
 * drawn.  Returns 0, or -1 with d (a signal: cancel_signal is set). */
int sw_emit(const sw_opts *o, const char *stem, const sw_bufs *sb, const char *vars, diag *d);

/* With CAPMIX_RECOST_REPORT set, one line on standard error: how many
 * alternative evaluations were re-costed rather than simulated
 * (model §18.46), for tests/cli/recost.sh. */
void sw_recost_report(const swp_setup *S);

/* 0 when CAPMIX_RECOST=0 (every alternative simulated at every point),
 * else 1: swp_setup.recost_on for sweep, breakeven and tornado. */
int sw_recost_on(void);

#define SW_AT(f) offsetof(sw_opts, f)

/* The options every one of the three takes, listed in the help by one
 * line of the foot. */
#define SW_COMMON_ROWS                                                                            \
    {.name = "trials", .kind = OPT_U64, .at = SW_AT(trials), .lo = SCN_MIN_TRIALS,               \
     .hi = SCN_MAX_TRIALS, .metavar = "N"},                                                      \
    {.name = "seed", .kind = OPT_U64, .at = SW_AT(seed), .lo = 0, .hi = INT64_MAX, .metavar = "N"}, \
    {.name = "threads", .kind = OPT_U64, .at = SW_AT(threads), .lo = 1, .hi = 1024, .metavar = "N"}, \
    {.name = "quiet", .letter = 'q', .kind = OPT_FLAG, .at = SW_AT(quiet)},                      \
    {.name = "no-plots", .kind = OPT_FLAG, .at = SW_AT(no_plots)}

#define SW_FOOT_COMMON "  --trials N, --seed N, --threads N, -q/--quiet, --no-plots: as for 'capmix run'\n"

/* Rows of one command, refused by the others (OWN: the command they
 * belong to, NULL in its own table). */
#define SW_ROW_SET(OWN)                                                                           \
    {.name = "set", .kind = OPT_STR, .at = SW_AT(set), .metavar = "PATH=LO:HI:N", .belongs = OWN,  \
     .help = "the parameter and its grid, e.g.\n"                                                \
             "'offshore/pod.outcomes.accepted=0.3:0.9:13' (PATH: ALT/SOURCE.key,\n"              \
             "ALT.fixed_bid.price, work.cost_of_delay.per_day, ...)"}
#define SW_ROW_X(OWN)                                                                             \
    {.name = "x", .kind = OPT_STR, .at = SW_AT(x), .metavar = "PATH=LO:HI:N", .belongs = OWN,      \
     .help = "e.g. 'ai-team/team.tokens.monthly=10000:120000:23'"}
#define SW_ROW_Y(OWN)                                                                             \
    {.name = "y", .kind = OPT_STR, .at = SW_AT(y), .metavar = "PATH=LO:HI", .belongs = OWN,        \
     .help = "e.g. 'ai-team/team.throughput_per_month=3:12'"}
#define SW_ROW_BETWEEN(OWN, HELP)                                                                 \
    {.name = "between", .kind = OPT_FN, .at = SW_AT(between), .fn = sw_opt_between, .extra = 1,  \
     .metavar = "A B", .belongs = OWN, .help = HELP}
#define SW_ROW_ALTERNATIVE(OWN)                                                                   \
    {.name = "alternative", .kind = OPT_STR, .at = SW_AT(alternative), .metavar = "A",            \
     .belongs = OWN, .help = "default the baseline"}

#endif
