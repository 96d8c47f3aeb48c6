/*
 * plot — figures of a run, drawn by gnuplot as an external program.
 *
 * For each figure the data file and a self-contained gnuplot script are
 * written to the output folder (atomically), so a user can redraw them
 * with `gnuplot NAME.gp` from that folder.  gnuplot is then started with
 * posix_spawnp and an argument vector (never a shell), its output to
 * /dev/null, under a timeout; the image is rendered to a temporary name
 * and renamed when gnuplot succeeded.  gnuplot missing, failing or hanging
 * is a warning (written to `warn` when non-NULL), never an error: the data
 * and scripts are still there.
 *
 * Templates live in plots/ and are compiled into the binary (the Makefile
 * generates build/plots_gen.c), so the binary needs no install path.
 */
#ifndef CAPMIX_PLOT_H
#define CAPMIX_PLOT_H

#include <stdio.h>
#include "atomic.h"
#include "diag.h"
#include "report.h"

#define PLOT_FILES 4

/* Write the figures' data and scripts for dir into the temporaries out[]
 * (zeroed by the caller), left uncommitted so that they land with the
 * run's other outputs or not at all: the caller commits or aborts every
 * one of them.  Returns 0, or -1 with a runtime diag. */
int plot_write(const char *dir, const report *rep, atomic_file out[PLOT_FILES], diag *d);

#define PLOT_BID_FILES 6

/* The same for a fixed bid's figures: cost distributions (CDF and
 * histogram) with the bid and break-even prices marked, and certainty
 * equivalent against risk tolerance. */
struct dec_report;
int plot_write_bid(const char *dir, const report *rep, const struct dec_report *dr,
                   atomic_file out[PLOT_BID_FILES], diag *d);

/* Files of the envelope's figures: the S-curves, then a burn fan (data
 * and script) per alternative. */
#define PLOT_ENV_FILES(nalts) (1 + 2 * (nalts))

struct env_report;
int plot_write_envelope(const char *dir, const report *rep, const struct env_report *er,
                        atomic_file *out, diag *d);

/* Draw the figures whose scripts were written to dir (the bid's and the
 * envelope's too when asked); problems are warnings on `warn` (may be
 * NULL), which name the folder `shown` (the output folder the user gave,
 * when dir is the sibling it is built in).  An image is kept only when
 * gnuplot succeeded and the PNG is whole (atomic_verify_file).  Once
 * cancel_signal is set (cancel.h) every gnuplot is killed and its
 * temporary removed. */
void plot_draw(const char *dir, const char *shown, const report *rep, int with_bid, int with_env,
               FILE *warn);

/* Draw dir/FIG.gp into dir/FIG.png (rendered to a temporary, renamed on
 * success); a problem is a warning on `warn`.  Returns -1 only when gnuplot
 * cannot be started at all (callers then stop trying), else 0. */
int plot_draw_one(const char *dir, const char *shown, const char *fig, FILE *warn);

/* Draw dir/FIG.gp as an SVG and return its text (malloc'd; the caller
 * frees it).  Returns 0, or -1 when gnuplot is missing or fails. */
int plot_svg(const char *dir, const char *fig, char **svg, size_t *len);

/* The same for n figures, rendered side by side; svg[i] is NULL for one
 * that failed.  Returns 0 when every one was drawn, else -1. */
int plot_svg_many(const char *dir, const char *const *figs, size_t n, char **svg, size_t *len);

/* plot_svg_many in two halves, so the SVGs render while other work (the
 * PNGs) goes on: start returns NULL when out of memory; finish waits,
 * fills svg/len like plot_svg_many and frees the batch (NULL-safe: -1). */
typedef struct plot_batch plot_batch;
plot_batch *plot_svg_start(const char *dir, const char *const *figs, size_t n);
int plot_svg_finish(plot_batch *b, char **svg, size_t *len);

/* A run's charts drawn while the rest of its folder is written: every
 * figure plot_draw draws, the PNG and, when its name is among
 * svgs[0..nsvg), the SVG of each figure by one gnuplot (a failed pair is
 * drawn again one image a process, so one terminal's failure does not
 * cost the other image), started at once once the data and scripts are
 * in dir.  Returns NULL when out of memory (nothing started).  Then, in
 * this order: plot_run_pngs waits for the images and commits the PNGs
 * (warnings as plot_draw's, naming `shown`) and draws the envelope's fans
 * that did not fit the first batch; plot_svg_finish hands back the SVGs in
 * svgs' order and frees the batch.  plot_batch_abort instead (on a
 * failure anywhere, NULL-safe) kills every gnuplot still running, removes
 * their temporaries and frees the batch. */
plot_batch *plot_run_start(const char *dir, const report *rep, int with_bid, int with_env,
                           const char *const *svgs, size_t nsvg);
void plot_run_pngs(plot_batch *b, const char *shown, FILE *warn);
void plot_batch_abort(plot_batch *b);

/* gnuplot single-quoted string literal of s ('' for a quote, control
 * characters dropped) into buf; returns buf. */
char *plot_quote(char *buf, size_t n, const char *s);

/* The compiled-in template of a figure ("cost_cdf"), or NULL. */
const char *plot_template(const char *name);

#endif
