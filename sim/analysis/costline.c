/*
 * costline — log-linear cost-line forecasts with prediction intervals.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "costline.h"
#include "rng.h"
#include "stats.h"

int cl_fit_line(const double *m, const double *y, size_t n, cl_fit *f)
{
    size_t k = 0;
    double sm = 0, sl = 0;
    for (size_t i = 0; i < n; i++)
        if (y[i] > 0) {
            k++;
            sm += m[i];
            sl += log(y[i]);
        }
    if (k < CL_MIN_MONTHS)
        return -1;
    double mbar = sm / (double)k, lbar = sl / (double)k, sxx = 0, sxy = 0;
    for (size_t i = 0; i < n; i++)
        if (y[i] > 0) {
            sxx += (m[i] - mbar) * (m[i] - mbar);
            sxy += (m[i] - mbar) * (log(y[i]) - lbar);
        }
    if (!(sxx > 0))
        return -1;
    f->n = k;
    f->mbar = mbar;
    f->sxx = sxx;
    f->b = sxy / sxx;
    f->a = lbar - f->b * mbar;
    double rss = 0;
    for (size_t i = 0; i < n; i++)
        if (y[i] > 0) {
            double e = log(y[i]) - f->a - f->b * m[i];
            rss += e * e;
        }
    f->s = sqrt(rss / (double)(k - 2));
    f->b_se = f->s / sqrt(sxx);
    return 0;
}

void cl_predictive(const cl_fit *f, double h, double *centre, double *scale, double *df)
{
    *centre = f->a + f->b * h;
    *scale = f->s * sqrt(1 + 1.0 / (double)f->n + (h - f->mbar) * (h - f->mbar) / f->sxx);
    *df = (double)f->n - 2;
}

double cl_quantile(const cl_fit *f, double h, double p)
{
    double c, sc, df;
    cl_predictive(f, h, &c, &sc, &df);
    return exp(c + sc * gsl_cdf_tdist_Pinv(p, df));
}

double cl_prob_above(const cl_fit *f, double h, double amount)
{
    double c, sc, df;
    cl_predictive(f, h, &c, &sc, &df);
    if (!(amount > 0))
        return 1;
    if (!(sc > 0))
        return c > log(amount);
    return gsl_cdf_tdist_Q((log(amount) - c) / sc, df);
}

int cl_above_draws(const cl_fit *f, double h, double amount, double known_sum, int known_through,
                   uint64_t draws, uint64_t seed, cl_above *o)
{
    o->p = cl_prob_above(f, h, amount);
    double *p = malloc((size_t)draws * sizeof *p);
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    if (!p || !r) {
        free(p);
        gsl_rng_free(r);
        return -1;
    }
    rng_seed_stream(r, rng_stream_key(seed, RNG_DOMAIN_ALT, "costline", 0));
    double df = (double)f->n - 2, la = log(amount), sum = 0, cum = 0;
    for (uint64_t k = 0; k < draws; k++) {
        /* σ² | data ~ (n−2)s² / χ²(n−2); (a, b) | σ ~ normal around the fit
         * (b and the level at m̄ independent) */
        double sig = f->s * sqrt(df / gsl_ran_chisq(r, df));
        double b = f->b + sig / sqrt(f->sxx) * gsl_ran_gaussian_ziggurat(r, 1);
        double lvl = f->a + f->b * f->mbar + sig / sqrt((double)f->n) * gsl_ran_gaussian_ziggurat(r, 1);
        double a = lvl - b * f->mbar;
        p[k] = sig > 0 ? gsl_cdf_ugaussian_Q((la - a - b * h) / sig) : (a + b * h > la);
        sum += p[k];
        double tot = known_sum;
        for (int m = known_through + 1; m <= (int)h; m++)
            tot += exp(a + b * m + sig * gsl_ran_gaussian_ziggurat(r, 1));
        cum += tot > amount;
    }
    o->p_mean = sum / (double)draws;
    stats_sort(p, (size_t)draws);
    o->p5 = stats_quantile_sorted(p, (size_t)draws, 0.05);
    o->p95 = stats_quantile_sorted(p, (size_t)draws, 0.95);
    o->p_cum = cum / (double)draws;
    o->p_cum_se = sqrt(o->p_cum * (1 - o->p_cum) / (double)draws);
    free(p);
    gsl_rng_free(r);
    return 0;
}
