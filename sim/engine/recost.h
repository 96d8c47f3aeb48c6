/*
 * recost — an alternative's results at new cost-only values from its
 * recorded timelines, without simulating them again (model §18.46).
 *
 * A trial's timeline (when each pass ended, what was accepted, when the
 * alternative finished) reads no cost, and per-pass costs draw from a
 * stream of their own (model §18.1), so everything booked after the
 * timeline — time-based and one-off costs (src_time_costs), the
 * overheads' monthly cost, a per-pass token charge — can be booked again
 * at other values.  A tape holds, per trial, what that booking needs and
 * the simulation cannot give back cheaply: the end day, the accepted
 * count, the delay cost, and per source what it booked per pass and per
 * outcome and its passes (eng_scratch_booked).  The trial-level draws are
 * not kept: eng_recost draws them again from the same (alternative,
 * block) streams, which a cost-only change (costonly.h) leaves drawing
 * the same numbers in the same order, so the figures are the bits a
 * simulation gives.
 *
 * A tape is filled by eng_run (eng_opts.tapes) from worker threads, each
 * trial's row by the worker that ran it: no allocation in the hot loop.
 */
#ifndef CAPMIX_RECOST_H
#define CAPMIX_RECOST_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "engine.h"
#include "scenario.h"

typedef struct eng_tape {
    uint64_t trials;
    size_t nsrc;
    eng_metric metric;     /* the metric eng_recost gives (any) */
    int complete;          /* set by eng_run when every trial's row is in */
    double *trial;         /* [trial][ENG_TAPE_COLS] */
    double *src;           /* [trial][source][ENG_BOOKED] */
} eng_tape;

/* Columns of tape.trial: end day (on the alternative's clock), accepted
 * count, delay cost, and the recorded value of `metric` (what a metric no
 * cost moves keeps). */
enum { ET_END, ET_ACCEPTED, ET_DELAY, ET_METRIC, ENG_TAPE_COLS };

/* Bytes a tape of a capacity mix of nsrc sources takes per trial. */
double eng_tape_bytes(size_t nsrc);

/* A tape for `trials` trials of a capacity mix with nsrc sources that
 * keeps `metric`; NULL when out of memory.  Free with eng_tape_free
 * (NULL-safe). */
eng_tape *eng_tape_new(uint64_t trials, size_t nsrc, eng_metric metric);
void eng_tape_free(eng_tape *t);

/* Record trial `trial` (its metrics m[M_COUNT], and what each source
 * booked, from the scratch it ran on).  Called by eng_run's workers. */
void eng_tape_put(eng_tape *t, uint64_t trial, const double m[M_COUNT], const eng_scratch *sc);

/* 1 when metric m moves with a cost-only change (a cost, the blended
 * cost, the cost per outcome); the others are the tape's recorded ones. */
int eng_metric_costed(eng_metric m);

/*
 * Alternative a of s at t->trials trials and `seed`: its metric
 * t->metric for every trial into out[t->trials], from the tape, as
 * eng_run would give it, provided s's alternative a is the taped one up
 * to a cost-only change (scn_cost_only_change: the caller's to check).
 * Single-threaded: a trial costs a few draws and formulas.  Returns 0, or
 * -1 with d set: out of memory, or the runtime diag eng_run gives when a
 * metric of some trial is not a number.
 */
int eng_recost(const scn_scenario *s, size_t a, uint64_t seed, const eng_tape *t, double *out, diag *d);

#endif
