/*
 * portfolio — several initiatives under one budget envelope (issue 17).
 *
 * A portfolio file names initiatives, each a capmix scenario whose
 * alternatives are its options ("not funded" is always one more), the
 * money each is worth when delivered, a budget and a confidence.  This
 * module takes it as loaded by pf_load (portfolio_load.h), simulates every
 * option of every initiative once on one set of trials, and chooses one
 * option per initiative:
 *
 *   maximise  Σ_i E[value_i·delivered_io − blended_io]
 *   subject   P(Σ_i cost_total_io > budget) <= 1 − confidence
 *
 * with the probability read on the same trials (sample-average
 * approximation), so any selection is evaluated by adding per-trial
 * arrays.  The search is a depth-first branch and bound, exact when it
 * completes (every candidate it skips is provably no better: its
 * objective bound is below the incumbent, or its partial cost already
 * breaks the constraint, costs being non-negative); past a node limit it
 * stops and reports the best found and the largest bound left unexplored.
 *
 * Streams: initiative i's scenario runs with the engine seed
 * rng_stream_key(portfolio seed, WORK, "portfolio/NAME", 0), so two
 * scenarios that happen to name an alternative alike do not share random
 * numbers (the engine keys its streams by alternative name only), and
 * initiatives are independent unless `correlations:` says otherwise.
 * Trial t of every initiative is the portfolio's trial t.
 *
 * Ownership: pf_simulate returns trial arrays released by pf_sim_free.  The pf_problem functions
 * only read caller memory and never allocate inside the search.
 */
#ifndef CAPMIX_PORTFOLIO_H
#define CAPMIX_PORTFOLIO_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "portfolio_load.h"
#include "scenario.h"

/*
 * Per-trial arrays of every option: for initiative i, option o (1..nopt;
 * 0 is "not funded" and has no arrays), cost[i][o-1] (cost_total: the
 * spend the budget must cover), gain[i][o-1] (value·delivered − blended
 * cost), and, when simulated with months, month_cost[i][o-1] (cumulative
 * spend at month ends 1..months_of[i], [month][trial]; past its last month
 * an initiative's spend stays at its last value).  months is the largest
 * months_of.
 */
typedef struct pf_sim {
    size_t n;
    uint64_t seed, trials;
    int months;
    int *months_of;
    double ***cost, ***gain, ***month_cost;
    double **p_delivered;  /* [i][o-1]: share of trials delivered by the horizon */
    size_t **perm;         /* [i]: the trial reordering of a correlated
                            * initiative (trial t holds engine trial
                            * perm[i][t]), NULL when not correlated */
    size_t *nopt;
    int part;              /* under MPI, a rank other than 0: its trials went
                            * to rank 0, and cost, gain, month_cost,
                            * p_delivered and perm hold nothing */
    double ***month_part;  /* under MPI, with months: each option's month-end
                            * spend of this rank's trials, until pf_sim_months
                            * (NULL in one process) */
} pf_sim;

/* Simulate every option with `trials` trials at `seed` (not necessarily
 * the file's: the out-of-sample check uses another), on `threads`
 * threads; the result does not depend on `threads`.  Correlations are
 * induced by reordering each correlated initiative's trials (Iman–Conover:
 * the ranks of its baseline alternative's cost follow a Gaussian copula's
 * scores).  Under MPI (cmpi_sharing) every rank calls it alike: each
 * simulates its blocks of every run and rank 0 alone receives the arrays
 * (the others' result is `part`), the same bytes as one process's, but
 * for month_cost (pf_sim_months).
 * Returns 0, or -1 with d set (runtime; on every rank if any failed). */
int pf_simulate(const pf_portfolio *p, uint64_t seed, uint64_t trials, int threads, pf_sim **out,
                diag *d);
/* Under MPI, month_cost of rank 0's simulation holds nothing until this
 * call, which moves the month-end spend of the options in sel (0: none)
 * there, in the same trial order as cost and gain; the others' stays
 * unset.  Every rank calls it with the same sel (pf_share_selection).  In
 * one process, where every option's is there from pf_simulate, it does
 * nothing.  Returns 0, or -1 with d set (on every rank, if any failed). */
int pf_sim_months(pf_sim *s, const int *sel, diag *d);
/* The same, with month-end spend only when `monthly` (the out-of-sample
 * check needs none, and month arrays are the bulk of the memory). */
int pf_simulate_ex(const pf_portfolio *p, uint64_t seed, uint64_t trials, int threads, int monthly,
                   pf_sim **out, diag *d);
void pf_sim_free(pf_sim *s);

/*
 * The selection problem on arrays, independent of scenarios (tests build
 * it directly).  Option 0 of every initiative is "not funded": no cost, no
 * gain.  cost[i][o-1] and gain[i][o-1] hold `trials` doubles; costs must be
 * non-negative.
 */
typedef struct pf_problem {
    size_t n;
    size_t trials;
    const size_t *nopt;              /* funded options per initiative */
    const double *const *const *cost;
    const double *const *const *gain;
    const int *must_fund;            /* may be NULL */
    const unsigned long long *excl;  /* may be NULL; bit j of excl[i] */
    double budget;
    double alpha;                    /* 1 − confidence */
} pf_problem;

/* The problem of a simulated portfolio; must[] and excl[] hold p->n
 * entries owned by the caller (pb points into them and into s). */
void pf_problem_of(const pf_portfolio *p, const pf_sim *s, int *must, unsigned long long *excl,
                   pf_problem *pb);

typedef struct pf_choice {
    int feasible;          /* a selection meets the constraint */
    int exact;             /* the search completed */
    double objective;      /* E[gain] of the selection */
    double bound;          /* >= every feasible objective (= objective when exact) */
    double p_over;         /* P(total cost > budget) on the problem's trials */
    uint64_t nodes;        /* search nodes visited */
    int sel[PF_MAX_INITIATIVES]; /* option per initiative, 0 = not funded */
} pf_choice;

/* Mean gain of each option, into mean[i][o] (o = 0 is 0).  `mean` rows hold
 * nopt[i] + 1 doubles. */
void pf_mean_gains(const pf_problem *pb, double **mean);

/* The best selection (ties: the first found, options tried in order of
 * mean gain).  `node_limit` 0 means PF_NODE_LIMIT.  Returns 0, or -1 with d
 * set (out of memory, too many initiatives). */
#define PF_NODE_LIMIT 240000ULL
int pf_choose(const pf_problem *pb, uint64_t node_limit, pf_choice *out, diag *d);

/* Objective and P(over budget) of a given selection. */
void pf_evaluate(const pf_problem *pb, const int *sel, double *objective, double *p_over);

/* The per-trial total cost of a selection into total[trials]. */
void pf_total(const pf_problem *pb, const int *sel, double *total);

/* The budget a selection needs: the smallest B with P(total > B) <= alpha
 * on the problem's trials (an order statistic).  `scratch` holds trials
 * doubles. */
double pf_required_budget(const pf_problem *pb, const int *sel, double *scratch);

/*
 * The order of cuts: starting at `start`, repeatedly the one move —
 * dropping an initiative or moving it to an option whose required budget
 * is lower — that loses the least objective per unit of required budget
 * released, until nothing optional is funded and no move releases budget.
 * Each step changes one initiative, so what is funded at a step is funded
 * at every step before it (nested).  steps[k] is the selection after k
 * moves (steps[0] = start), need[k] its required budget, obj[k] its
 * objective, moved[k] the initiative changed by move k (k >= 1).  Returns
 * the number of selections written (at most max), or -1 with d set.
 */
typedef struct pf_cut {
    int sel[PF_MAX_INITIATIVES];
    double need, objective;
    int moved;
} pf_cut;
int pf_cuts(const pf_problem *pb, const int *start, pf_cut *steps, size_t max, diag *d);

/*
 * Where the next unit of a pool goes, for a selection: for each draw whose
 * initiative is funded with the drawing option, the per-trial change in
 * gain (value·delivered − blended cost, so lateness is priced by the cost
 * of delay) when that initiative gets one more unit, on the same trials
 * (the plus scenario is run with the initiative's seed; correlated
 * initiatives reordered as in s).  Under MPI every rank calls it alike,
 * with the same sel (pf_share_selection), and simulates its blocks of
 * each draw; rank 0 alone, which holds s's arrays, gets the figures.
 * mean[k], se[k] per draw (NaN when the
 * draw does not apply); p_first[k] the share of trials where draw k gains
 * most; *top the draw with the largest mean (-1 when none applies) and
 * *p_flip the share of trials where another draw gains more than it.
 * Returns 0, or -1 with d set (runtime).
 */
int pf_pool_margins(const pf_portfolio *p, const pf_sim *s, const pf_pool *pool, const int *sel,
                    int threads, double *mean, double *se, double *p_first, int *top,
                    double *p_flip, diag *d);

/* Under MPI (cmpi_sharing): rank 0's sel[PF_MAX_INITIATIVES] to every
 * rank, for what the others simulate for it (pf_pool_margins).  Every
 * rank calls it; a no-op in one process.  Returns 0, or -1 with d set (on
 * every rank, if any failed). */
int pf_share_selection(int *sel, diag *d);

/* Wilson score interval at z for k successes in n trials. */
void pf_wilson(double k, double n, double z, double *lo, double *hi);

#endif
