/*
 * compare — what changed between two scenarios, and what each change did
 * to the headline figures (`capmix compare OLD NEW`, model §6 and the
 * "What changed" part of docs/model.md).
 *
 * Both scenarios, and every scenario in between, are simulated with the
 * same trials and seed (common random numbers: the scenarios' own `seed`
 * and `trials` keys are listed as changes but do not apply).  The
 * waterfall switches the changes on one at a time, in the order ydiff
 * lists them: step k is OLD with changes 1..k switched to NEW's values, the
 * last step is NEW itself, so the contributions (step k − step k−1) add up
 * to NEW − OLD exactly, up to floating-point rounding.  A change that does
 * not load on its own (a new kind whose keys changed with it) is switched
 * together with the next, and the step is labelled with both.  Order
 * matters when changes interact: an interaction is booked to the later
 * change.
 *
 * Figures are per alternative, for the alternatives both scenarios hold
 * (by name).  Means carry the paired standard error of each step (trial i
 * of one step against trial i of the next).
 */
#ifndef CAPMIX_COMPARE_H
#define CAPMIX_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "scenario.h"
#include "ydiff.h"

typedef enum {
    CMP_MEAN_TOTAL = 0,   /* mean total cost */
    CMP_P90_TOTAL,        /* P90 of total cost */
    CMP_MEAN_BLENDED,     /* mean blended cost (total + delay) */
    CMP_P90_BLENDED,
    CMP_CPO,              /* cost per accepted outcome: E[cost] / E[accepted] */
    CMP_P_DELIVERED,      /* P(delivered by the horizon) */
    CMP_FIGS
} cmp_fig;

/* Key ("p90_total") and label ("P90 total cost") of a figure. */
const char *cmp_fig_key(cmp_fig f);
const char *cmp_fig_label(cmp_fig f);
/* Figure by key, or -1. */
int cmp_fig_find(const char *key);
/* The keys, NULL-terminated (for "did you mean"). */
const char *const *cmp_fig_keys(void);
/* Whether a figure is money (else a probability). */
int cmp_fig_money(cmp_fig f);

typedef struct cmp_step {
    size_t first, last;   /* changes first..last-1 switched on at this step
                           * (first == last for the OLD step) */
    double *fig;          /* [alt][CMP_FIGS]; NaN where undefined */
    double *se;           /* [alt][CMP_FIGS]: paired SE of the step's change
                           * (against the step before); NaN where none */
} cmp_step;

typedef struct cmp_opts {
    uint64_t trials;      /* 0: NEW's `trials` */
    uint64_t seed;
    int have_seed;        /* else NEW's `seed` */
    int threads;
    volatile int *cancel;
    /* called before each simulation: step k of n (may be NULL) */
    void (*progress)(void *ctx, size_t k, size_t n);
    void *progress_ctx;
    /* called once the files are read and checked, before anything is
     * simulated (may be NULL): non-zero, with d set, stops cmp_run */
    int (*ready)(void *ctx, diag *d);
    void *ready_ctx;
} cmp_opts;

typedef struct cmp_report {
    const char *old_file, *new_file;
    scn_scenario *old_s, *new_s;   /* owned */
    ydiff diff;                    /* borrows the two documents below */
    struct yt_doc *old_doc, *new_doc; /* owned */
    uint64_t trials, seed;
    size_t nalts;                  /* alternatives both hold, NEW's order */
    char (*alts)[SCN_NAME_MAX];
    int *in_old;                   /* [alt]: 1 when OLD holds it too (always) */
    size_t nsteps;                 /* 1 + groups of changes */
    cmp_step *steps;               /* steps[0] = OLD, steps[nsteps-1] = NEW */
    double *total_se;              /* [alt][CMP_FIGS]: paired SE of NEW − OLD */
    char **only_old, **only_new;   /* alternatives one side lacks */
    size_t nonly_old, nonly_new;
    size_t grouped;                /* changes switched with their successor */
} cmp_report;

/*
 * Load OLD and NEW (files), list the changes, simulate every step.
 * Returns 0 with *out owned by the caller (cmp_free), or -1 with d set:
 * input (a file that does not load), runtime (memory, cancelled).
 */
int cmp_run(const char *old_file, const char *new_file, const cmp_opts *o, cmp_report **out,
            diag *d);

void cmp_free(cmp_report *r);

/* Figure f of alternative a at step k, and the change NEW − OLD. */
static inline double cmp_value(const cmp_report *r, size_t k, size_t a, cmp_fig f)
{
    return r->steps[k].fig[a * CMP_FIGS + f];
}

double cmp_total(const cmp_report *r, size_t a, cmp_fig f);

/* Label of step k (>= 1): the path of its change, or "A + B" for a group
 * (written into buf). */
char *cmp_step_label(const cmp_report *r, size_t k, char *buf, size_t n);

#endif
