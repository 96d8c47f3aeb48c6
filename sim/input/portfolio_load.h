/*
 * portfolio_load — a portfolio file (issue 17; what it means and how it is
 * simulated: portfolio.h), read into a typed pf_portfolio.
 *
 *   capmix: 1, portfolio: NAME, seed, trials, budget, confidence,
 *   initiatives: [{name, scenario, value, must_fund, exclusive_with,
 *                  options}],
 *   correlations: [{between: [A, B], rank}],
 *   pools: [{name, unit, draws: {INITIATIVE: OPTION/SOURCE.key}}]
 *
 * Every scenario path is relative to the portfolio file and is loaded and
 * validated with it; every error is a positioned input diag naming the
 * key.
 */
#ifndef CAPMIX_PORTFOLIO_LOAD_H
#define CAPMIX_PORTFOLIO_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include "copula.h"
#include "diag.h"
#include "dist.h"
#include "scenario.h"

#define PF_MAX_INITIATIVES 64
#define PF_MAX_CORR 64

typedef struct pf_initiative {
    char name[SCN_NAME_MAX];
    char scenario[1024];   /* resolved path (relative to the portfolio file) */
    scn_scenario *scn;
    dist value;            /* money when delivered by the scenario's horizon */
    int must_fund;
    size_t *opt_alt;       /* the options: alternative indices of scn */
    size_t nopt;
    unsigned long long excl; /* bit j: exclusive with initiative j */
    int line, col;
} pf_initiative;

typedef struct pf_corr {
    int i, j;              /* initiatives */
    double rank;           /* Spearman correlation of their costs */
    int line, col;
} pf_corr;

/*
 * A shared capacity pool (`pools:`): one more `unit` of a parameter that
 * several initiatives' options draw on (an AI team's headcount, a token
 * allowance), named per initiative by a sweep path into its scenario
 * (ALTERNATIVE/SOURCE.key, param.h).  `plus` is that initiative's
 * scenario reduced to the drawing alternative with the parameter raised
 * by one unit, loaded and validated when the portfolio is.
 */
typedef struct pf_draw {
    int init;              /* initiative */
    int opt;               /* its option (1-based) that draws on the pool */
    char path[256];
    double base;           /* the parameter's value in the scenario */
    scn_scenario *plus;
} pf_draw;

typedef struct pf_pool {
    char name[SCN_NAME_MAX];
    double unit;
    pf_draw *draws;
    size_t ndraws;
} pf_pool;

#define PF_MAX_POOLS 8

typedef struct pf_portfolio {
    char *file;
    char name[256];
    uint64_t seed, trials;
    double budget, confidence;
    pf_initiative *in;
    size_t n;
    pf_corr corr[PF_MAX_CORR];
    size_t ncorr;
    pf_pool pools[PF_MAX_POOLS];
    size_t npools;
} pf_portfolio;

/* Load and validate a portfolio file and every scenario it names (and
 * every pool's one-more-unit scenario, and the correlations' copula).
 * Returns 0 with *out owned by the caller (pf_free), or -1 with d set
 * (DIAG_INPUT for anything wrong in the portfolio or a scenario file) and
 * nothing to free.  pf_free(NULL) does nothing. */
int pf_load(const char *path, pf_portfolio **out, diag *d);
void pf_free(pf_portfolio *p);

/* Index of initiative `name`, or -1. */
int pf_find(const pf_portfolio *p, const char *name);

/* The Gaussian copula of the correlated initiatives (coordinate =
 * initiative name), factored.  Returns 0 with *m to be released by
 * cop_release, or -1 with d set (out of memory; a correlation matrix that
 * is not positive definite, at the portfolio file) and nothing to
 * release. */
int pf_copula(const pf_portfolio *p, cop_model *m, diag *d);

#endif
