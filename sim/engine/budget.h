/*
 * budget — how much memory a run may take, decided before it starts.
 *
 * Per-trial results are kept for exact quantiles: a run that could not
 * fit is refused rather than left to swap or to fail half-way (budget:
 * half of physical memory).  Month-end snapshots (ENG_SNAP_BYTES per
 * trial, alternative and month) are kept when they fit a modest budget;
 * the envelope cannot do without them and has a larger one.
 */
#ifndef CAPMIX_BUDGET_H
#define CAPMIX_BUDGET_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "metrics.h"
#include "scenario.h"

#define ENG_MONTHLY_BUDGET_MIB 64
#define ENG_ENVELOPE_BUDGET_MIB 2048

/* MiB of month-end snapshots of s at `trials` trials. */
double eng_snap_mib(const scn_scenario *s, uint64_t trials);

/* 1 when those snapshots fit ENG_MONTHLY_BUDGET_MIB. */
int eng_monthly_fits(const scn_scenario *s, uint64_t trials);

/*
 * Refuse (input diag "CMD: N trials of K alternatives need about ... MiB")
 * a run of s->trials trials whose per-trial results (or, with `stream`,
 * whose streaming accumulators for `threads` workers) need more than half
 * of this machine's memory.  Returns 0 or -1.
 */
int eng_memory_check(const scn_scenario *s, int stream, int threads, const char *cmd, diag *d);

/* Bytes of per-trial results a run keeps per trial and alternative. */
#define ENG_TRIAL_BYTES (M_COUNT * 8.0 + 16)

/* The same refusal for a command that keeps `bytes` per trial and
 * alternative of its own (compare: the results and its copies). */
int eng_memory_check_need(uint64_t trials, size_t nalts, double bytes, const char *cmd, diag *d);

/* Refuse an envelope run whose snapshots exceed ENG_ENVELOPE_BUDGET_MIB
 * (input diag "envelope: ...").  Returns 0 or -1. */
int eng_envelope_check(const scn_scenario *s, diag *d);

#endif
