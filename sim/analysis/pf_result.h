/*
 * pf_result — everything `capmix portfolio` prints and writes, computed
 * once from a loaded portfolio and its simulation (portfolio.h has the
 * method): the selection (chosen, or given with --select), its envelope
 * and diversification, the burn fan, the shared pools' next units, the
 * order of cuts, what the budget holds back, the out-of-sample check, and
 * the answer in words.  The writers (portfolio_out.h) only read it.
 *
 * Ownership: the caller zeroes a pf_result, fills p, s, pb, chosen and
 * currency, and keeps them alive as long as the result; pf_result_compute allocates `fan`,
 * released by pf_result_release.
 */
#ifndef CAPMIX_PF_RESULT_H
#define CAPMIX_PF_RESULT_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "envelope.h"
#include "portfolio.h"

#define PF_MAX_CUTS 256

typedef struct pf_result {
    const pf_portfolio *p;
    pf_sim *s;                  /* under MPI, compute completes its month_cost */
    const pf_problem *pb;
    pf_choice ch;
    int chosen;                 /* 1: chosen; 0: --select */
    uint64_t candidates;        /* Π (options + 1), saturating */
    double mean_cost[PF_MAX_INITIATIVES], p90_cost[PF_MAX_INITIATIVES];
    double gain_of[PF_MAX_INITIATIVES];
    env_quantile env[3];        /* P80, P90, P95 of total cost */
    double sum_p90, p90;
    uint64_t oos_seed, oos_trials;
    double oos_p, oos_lo, oos_hi;
    pf_cut cuts[PF_MAX_CUTS];
    int ncuts;
    int free_sel[PF_MAX_INITIATIVES]; /* the choice with no budget limit */
    double free_obj, free_need;
    int free_differs;
    double *fan;                /* [month][4]: mean, p10, p50, p90 */
    struct {
        double mean[PF_MAX_INITIATIVES], se[PF_MAX_INITIATIVES], p_first[PF_MAX_INITIATIVES];
        int top;
        double p_flip;
    } pool[PF_MAX_POOLS];
    char label[1024];           /* the selection in one line */
    char sentence[1024], reason[1024];
    char currency[16];
    char note[512];             /* --select: what the given selection breaks */
} pf_result;

/* The name of initiative i's option o (1-based), NULL for 0 (not funded). */
const char *pf_option_name(const pf_portfolio *p, size_t i, int o);

/* The selection in one line ("A=x, B=y", or "nothing funded"), clipped to n. */
void pf_label(const pf_portfolio *p, const int *sel, char *buf, size_t n);

/* Every figure of R: with `given` (--select, one option per initiative)
 * that selection is evaluated, else the best one is chosen; the
 * out-of-sample check runs `check_trials` trials on `threads` threads.
 * Returns 0, or -1 with d set (runtime). */
int pf_result_compute(pf_result *R, const int *given, int threads, uint64_t check_trials, diag *d);

/* Under MPI, on a rank other than 0 (its pf_sim `part`): its share of
 * what pf_result_compute runs on rank 0, in the same order — for the
 * selection rank 0 sends, its month-end spend and the pools' draws; then
 * the out-of-sample check — computing no figure.  Returns 0, or -1 with
 * d set (on every rank, if any failed). */
int pf_result_assist(const pf_portfolio *p, pf_sim *s, int threads, uint64_t check_trials, diag *d);

/* R->sentence and R->reason from a computed R. */
void pf_result_answer(pf_result *R);

/* Release what pf_result_compute allocated; R itself stays the caller's. */
void pf_result_release(pf_result *R);

#endif
