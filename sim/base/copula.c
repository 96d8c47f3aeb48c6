/*
 * copula — the Gaussian copula: Pearson matrix, Cholesky factor, draws.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>

#include "copula.h"

void cop_release(cop_model *m)
{
    if (!m)
        return;
    free(m->pairs);
    free(m->chol);
    m->pairs = NULL;
    m->chol = NULL;
    m->npairs = 0;
    m->k = 0;
}

int cop_coordinate(cop_model *m, const char *path)
{
    for (size_t i = 0; i < m->k; i++)
        if (!strcmp(m->path[i], path))
            return (int)i;
    if (m->k == COP_MAX)
        return -1;
    snprintf(m->path[m->k], COP_PATH_MAX, "%s", path);
    return (int)m->k++;
}

double cop_pearson_of_rank(double rank)
{
    return 2 * sin(M_PI * rank / 6);
}

int cop_add_pair(cop_model *m, int i, int j, double rank, int line, int col)
{
    cop_pair *np = realloc(m->pairs, (m->npairs + 1) * sizeof *np);
    if (!np)
        return -1;
    m->pairs = np;
    np[m->npairs++] = (cop_pair){i, j, rank, cop_pearson_of_rank(rank), line, col};
    return 0;
}

static int is_pd(gsl_matrix *work, const gsl_matrix *c)
{
    gsl_matrix_memcpy(work, c);
    return gsl_linalg_cholesky_decomp1(work) == GSL_SUCCESS;
}

/*
 * The pair to change when the matrix is not positive definite: the one
 * that needs the smallest change, with the others as written, to make it
 * so.  Along one pair's value the positive-definite matrices form an
 * interval (the set is convex); it is found on a grid of Pearson values
 * and refined by bisection at the end nearest the written value.  When no
 * single pair can fix the matrix, the pair contributing most to its
 * negative direction (vᵀCv with v the eigenvector of the smallest
 * eigenvalue: the most negative ρ_ij·v_i·v_j) is named instead.
 * Returns the pair, with its feasible rank interval in lo/hi (NaN when
 * none), or -1 with d set.
 */
static int worst_pair(const cop_model *m, gsl_matrix *c, double *lmin, double *lo, double *hi,
                      diag *d)
{
    size_t k = m->k;
    gsl_matrix *a = gsl_matrix_alloc(k, k), *evec = gsl_matrix_alloc(k, k);
    gsl_vector *eval = gsl_vector_alloc(k);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(k);
    int best = -1;
    double best_change = INFINITY;
    *lo = *hi = NAN;
    if (!a || !evec || !eval || !w) {
        diag_runtime(d, "out of memory");
        goto out;
    }
    for (size_t p = 0; p < m->npairs; p++) {
        const cop_pair *q = &m->pairs[p];
        size_t i = (size_t)q->i, j = (size_t)q->j;
        enum { GRID = 400 };
        double found = NAN, dist = INFINITY;
        for (int g = 1; g < GRID; g++) {
            double r = -1 + 2.0 * g / GRID;
            gsl_matrix_set(c, i, j, r);
            gsl_matrix_set(c, j, i, r);
            if (is_pd(a, c) && fabs(r - q->pearson) < dist) {
                dist = fabs(r - q->pearson);
                found = r;
            }
        }
        if (!isnan(found)) {
            /* both ends of the interval around `found`, by bisection */
            double end[2];
            for (int s = 0; s < 2; s++) {
                double in = found, outv = s ? 1 : -1;
                for (int it = 0; it < 60; it++) {
                    double mid = (in + outv) / 2;
                    gsl_matrix_set(c, i, j, mid);
                    gsl_matrix_set(c, j, i, mid);
                    if (is_pd(a, c))
                        in = mid;
                    else
                        outv = mid;
                }
                end[s] = in;
            }
            double change = q->pearson < end[0] ? end[0] - q->pearson : q->pearson - end[1];
            if (change < best_change) {
                best_change = change;
                best = (int)p;
                /* back to ranks, rounded inwards to two decimals */
                *lo = ceil(6 / M_PI * asin(end[0] / 2) * 100) / 100;
                *hi = floor(6 / M_PI * asin(end[1] / 2) * 100) / 100;
            }
        }
        gsl_matrix_set(c, i, j, q->pearson);
        gsl_matrix_set(c, j, i, q->pearson);
    }
    gsl_matrix_memcpy(a, c);
    if (gsl_eigen_symmv(a, eval, evec, w)) {
        best = -1;
        diag_runtime(d, "correlations: the eigen-decomposition failed");
        goto out;
    }
    size_t im = gsl_vector_min_index(eval);
    *lmin = gsl_vector_get(eval, im);
    if (best < 0) {
        double worst = INFINITY;
        for (size_t p = 0; p < m->npairs; p++) {
            const cop_pair *q = &m->pairs[p];
            double t = q->pearson * gsl_matrix_get(evec, (size_t)q->i, im) *
                       gsl_matrix_get(evec, (size_t)q->j, im);
            if (t < worst) {
                worst = t;
                best = (int)p;
            }
        }
    }
out:
    gsl_matrix_free(a);
    gsl_matrix_free(evec);
    gsl_vector_free(eval);
    gsl_eigen_symmv_free(w);
    return best;
}

int cop_factor(cop_model *m, const char *file, diag *d)
{
    size_t k = m->k;
    free(m->chol);
    m->chol = NULL;
    if (k == 0)
        return 0;
    gsl_matrix *c = gsl_matrix_alloc(k, k), *l = gsl_matrix_alloc(k, k);
    if (!c || !l) {
        gsl_matrix_free(c);
        gsl_matrix_free(l);
        return diag_runtime(d, "out of memory");
    }
    gsl_matrix_set_identity(c);
    for (size_t p = 0; p < m->npairs; p++) {
        gsl_matrix_set(c, (size_t)m->pairs[p].i, (size_t)m->pairs[p].j, m->pairs[p].pearson);
        gsl_matrix_set(c, (size_t)m->pairs[p].j, (size_t)m->pairs[p].i, m->pairs[p].pearson);
    }
    gsl_matrix_memcpy(l, c);
    int rc = 0;
    if (gsl_linalg_cholesky_decomp1(l) != GSL_SUCCESS) {
        double lmin = NAN, lo, hi;
        int p = worst_pair(m, c, &lmin, &lo, &hi, d);
        if (p < 0) {
            rc = d->kind ? -1 : diag_runtime(d, "correlations: the matrix is not positive definite");
        } else {
            const cop_pair *q = &m->pairs[p];
            char fix[128];
            if (!isnan(lo) && lo <= hi)
                snprintf(fix, sizeof fix, "; with the others as written it must lie between %.2f and %.2f", lo, hi);
            else
                snprintf(fix, sizeof fix, "; no change to one pair alone is enough");
            rc = diag_input(d, file, q->line, q->col,
                            "the correlations cannot all hold at once (their matrix is not "
                            "positive definite; smallest eigenvalue %.3g): change the one "
                            "between '%s' and '%s' (rank %g)%s",
                            lmin, m->path[q->i], m->path[q->j], q->rank, fix);
        }
    } else if (!(m->chol = malloc(k * k * sizeof *m->chol))) {
        rc = diag_runtime(d, "out of memory");
    } else {
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                m->chol[i * k + j] = j <= i ? gsl_matrix_get(l, i, j) : 0;
    }
    gsl_matrix_free(c);
    gsl_matrix_free(l);
    return rc;
}

void cop_draw(const cop_model *m, gsl_rng *r, double *z, double *u)
{
    size_t k = m->k;
    for (size_t i = 0; i < k; i++)
        z[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
    for (size_t i = 0; i < k; i++) {
        const double *row = m->chol + i * k;
        double x = 0;
        for (size_t j = 0; j <= i; j++)
            x += row[j] * z[j];
        /* the open interval: an inverse CDF at 0 or 1 may be infinite */
        double p = gsl_cdf_ugaussian_P(x);
        u[i] = p < DBL_MIN ? DBL_MIN : p > 1 - DBL_EPSILON / 2 ? 1 - DBL_EPSILON / 2 : p;
    }
}
