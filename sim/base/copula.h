/*
 * copula — correlated trial-level inputs (issue: what drives the answer).
 *
 * A scenario's `correlations:` names pairs of trial-level quantities and
 * the rank (Spearman) correlation wanted between them:
 *
 *     correlations:
 *       - between: [offshore/pod.throughput_per_month, offshore/pod.outcomes.accepted]
 *         rank: -0.4
 *
 * They are induced with a Gaussian copula.  Each distinct quantity is one
 * coordinate; per trial, k independent standard normals z are drawn from
 * the trial's copula stream, x = L·z with L the Cholesky factor of the
 * Pearson matrix, and each quantity is its own inverse CDF at Φ(x_i)
 * (dist_inv).  So every marginal is exactly the dist as written, and the
 * rank correlation of a pair is the normal pair's: a Pearson ρ of
 * 2·sin(π·ρs/6) gives a Spearman ρs exactly (for continuous marginals;
 * ties in a discrete marginal attenuate it).
 *
 * Ownership: a cop_model is embedded in the scenario and released by
 * cop_release; cop_draw never allocates.
 */
#ifndef CAPMIX_COPULA_H
#define CAPMIX_COPULA_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "diag.h"

/* At most this many distinct correlated quantities in one scenario. */
#define COP_MAX 64
#define COP_PATH_MAX 256

typedef struct cop_pair {
    int i, j;             /* coordinates */
    double rank;          /* Spearman correlation as written */
    double pearson;       /* 2·sin(π·rank/6): the normals' correlation */
    int line, col;        /* of the pair's `rank` (for messages) */
} cop_pair;

typedef struct cop_model {
    size_t k;             /* coordinates; 0 = nothing correlated */
    char path[COP_MAX][COP_PATH_MAX]; /* each coordinate's quantity, as written */
    cop_pair *pairs;
    size_t npairs;
    double *chol;         /* k×k row-major lower Cholesky factor */
} cop_model;

/* Free what m owns and reset it to "nothing correlated". */
void cop_release(cop_model *m);

/* Coordinate of `path` (adding it when new).  Returns the index, or -1
 * when COP_MAX is reached. */
int cop_coordinate(cop_model *m, const char *path);

/* Record a pair (coordinates i != j).  Returns 0 or -1 (out of memory). */
int cop_add_pair(cop_model *m, int i, int j, double rank, int line, int col);

/* The Spearman → Pearson conversion for a Gaussian copula. */
double cop_pearson_of_rank(double rank);

/*
 * Build the Pearson matrix and its Cholesky factor.  When the matrix is
 * not positive definite, an input diag at the pair to change: the pair
 * that contributes most to the negative direction (the eigenvector of the
 * smallest eigenvalue).  `file` is the scenario, for the message.
 * Returns 0 or -1.
 */
int cop_factor(cop_model *m, const char *file, diag *d);

/* One trial's uniforms: z is k doubles of scratch, u receives k values
 * in (0, 1).  Never allocates. */
void cop_draw(const cop_model *m, gsl_rng *r, double *z, double *u);

#endif
