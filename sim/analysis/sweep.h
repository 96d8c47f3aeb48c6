/*
 * sweep — a metric of every alternative along one parameter, the points
 * where two alternatives' curves cross, and break-even curves in two
 * parameters (a strategy team's question: how good must the uplift be, at
 * each token spend, before the AI team beats the pod?).
 *
 * Every point re-reads the scenario with the parameters set and simulates
 * it with the same seed, so every point uses the same random streams
 * (common random numbers, model §18.1): curves are smooth, a monotone
 * parameter gives a monotone curve, and crossings can be solved for with
 * GSL's Brent solver on the simulated difference rather than read off a
 * grid.  The interval of a crossing is its standard error carried through
 * the local slope: root ± 1.96 · SE(difference) / |slope|.
 */
#ifndef CAPMIX_SWEEP_H
#define CAPMIX_SWEEP_H

#include <stdint.h>
#include "diag.h"
#include "engine.h"
#include "param.h"
#include "scenario.h"

typedef struct swp_setup {
    yt_doc *doc;               /* the scenario, parsed once; owned by the caller */
    char sha256[65];
    yt_node *node[2];          /* parameters to set: x, and y for break-even */
    int nnodes;
    uint64_t trials, seed;     /* overrides when non-zero / have_seed */
    int have_seed;
    int threads;
    eng_metric metric;
    prm_stat stat;
    char pair[2][SCN_NAME_MAX]; /* the two alternatives compared, "" if none */
    /* With keep set, swp_eval keeps the results of its run (with the
     * trial-level draws of pair[0]'s sources) and the scenario in kept /
     * kept_scn, replacing any earlier ones; the caller frees them. */
    int keep;
    eng_results *kept;
    scn_scenario *kept_scn;
    /* With cache_on set, an alternative none of the swept nodes lies inside
     * has the same numbers at every point (its streams are keyed by its
     * name, model §18.1), so its metric is simulated once and kept in the
     * cache; bit-identical to simulating it again.  Reach is decided by
     * where the node is in the tree, not by how its path is spelt: a node
     * outside every alternative (work, people, calendar, decision) reaches
     * them all, and nothing is cached with `keep` or with correlations
     * (a copula couples draws across alternatives).  See model §18.43. */
    int cache_on;
    /* Brent stops once its bracket is narrower than stop_share times the
     * half-width of the crossing's Monte Carlo interval (or 1e-5 of the
     * range); 0 means 0.1 (model §18.44). */
    double stop_share;
    int ncache;
    char cache_name[16][SCN_NAME_MAX];
    double *cache[16];
    uint64_t cache_trials;
    /* With recost_on set, an alternative a swept node reaches is taped
     * when it is simulated (recost.h), and a later evaluation where it
     * differs from the taped one only by cost-only changes
     * (scn_cost_only_change: rates, fees, token spend as constants) is
     * re-costed from the tape instead of simulated again: bit-identical.
     * Not with `keep`, correlations or a distributed run; a tape that
     * would push the run past the memory budget is not made (the
     * alternative is then simulated).  nrecost counts the alternatives
     * re-costed so far (model §18.46). */
    int recost_on;
    int nrecost;
    int ntapes;
    char tape_name[2][SCN_NAME_MAX];
    struct eng_tape *tape[2];
    scn_scenario *tape_scn[2]; /* the scenario each was taped in (may be shared) */
} swp_setup;

/* Free the cache (the setup itself is the caller's). */
void swp_release(swp_setup *S);

/* One evaluation: the statistic of every alternative simulated. */
typedef struct swp_point {
    size_t nalts;
    char names[16][SCN_NAME_MAX];
    double stat[16], se[16], band_lo[16], band_hi[16];
    double diff, diff_se;      /* pair[0] − pair[1] and its SE (pair only) */
} swp_point;

#define SWP_MAX_ALTS 16

/* Simulate with the parameters at vals[0..nnodes).  With only_pair, only
 * the two alternatives of the pair (their numbers do not depend on the
 * others).  Returns 0, or -1 with d set (a value the scenario rejects is an
 * input error naming the parameter). */
int swp_eval(swp_setup *S, const double *vals, int only_pair, swp_point *out, diag *d);

/* A solved crossing of pair[0] and pair[1] along x (y fixed at yval when
 * there are two parameters). */
typedef struct swp_root {
    int found;                 /* 0: no sign change in the range */
    double x, lo, hi;          /* the root and its interval */
    double fa, fb;             /* the difference at the ends of the range */
    int evaluations;
} swp_root;

/* Solve f(v) = stat(pair[0]) − stat(pair[1]) = 0 for the parameter `which`
 * (0 or 1) in [a, b] with the other held at `other`; fa, fb are f at the
 * ends when known (NaN to evaluate).  An end where f is exactly 0 is a
 * root.  Returns 0 or -1 with d set. */
int swp_solve(swp_setup *S, int which, double a, double b, double other, double fa, double fb,
              swp_root *out, diag *d);

/* The same, searching first near `guess` (a neighbouring point's root; NaN
 * for none): a bracket of `width` either side, widened fourfold until the
 * sign changes or it covers [a, b].  fa and fb of the result are then the
 * difference at the ends of the bracket that was found.  Brent stops once
 * the bracket is narrower than stop_share (a tenth) of the half-width of
 * the root's Monte Carlo interval (or 1e-5 of the range), and the
 * interval's slope comes from the evaluations Brent made next to the
 * root. */
int swp_solve_near(swp_setup *S, int which, double a, double b, double other, double guess,
                   double width, swp_root *out, diag *d);

#endif
