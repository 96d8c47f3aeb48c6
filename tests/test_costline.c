/*
 * Cost-line forecasts: the log-linear fit recovers a known line, its
 * prediction interval covers future months at its nominal rate (where the
 * line's confidence interval alone does not), and the posterior draws
 * agree with the closed-form predictive probability.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "testutil.h"
#include "costline.h"
#include "rng.h"

static void test_fit_exact(void **state)
{
    (void)state;
    double m[6], y[6];
    for (int i = 0; i < 6; i++)
        m[i] = i + 1, y[i] = 1000 * pow(1.1, i + 1);
    cl_fit f;
    assert_int_equal(cl_fit_line(m, y, 6, &f), 0);
    assert_near(f.b, log(1.1), 1e-12);
    assert_near(f.a, log(1000), 1e-9);
    assert_near(f.s, 0, 1e-9);
    assert_near(cl_quantile(&f, 9, 0.5), 1000 * pow(1.1, 9), 1e-6);
    /* too few positive months, or months that do not vary */
    y[0] = y[1] = y[2] = y[3] = 0;
    assert_int_equal(cl_fit_line(m, y, 6, &f), -1);
    double same[3] = {2, 2, 2}, v[3] = {1, 2, 3};
    assert_int_equal(cl_fit_line(same, v, 3, &f), -1);
}

/* 4000 histories of 6 months from a known line with noise σ = 0.15: the
 * 80 % prediction interval of month 10 covers the realised amount in 80 %
 * of them (± 3.5 SE); the interval of the fitted line alone covers more
 * than 5 SE fewer (0.737). */
static void test_prediction_coverage(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    rng_seed_stream(r, 2026);
    enum { N = 4000 };
    const double a = log(120000), b = 0.1, sig = 0.15, h = 10;
    int pi = 0, ci = 0;
    for (int k = 0; k < N; k++) {
        double m[6], y[6];
        for (int i = 0; i < 6; i++)
            m[i] = i + 1, y[i] = exp(a + b * m[i] + sig * gsl_ran_gaussian(r, 1));
        double truth = exp(a + b * h + sig * gsl_ran_gaussian(r, 1));
        cl_fit f;
        assert_int_equal(cl_fit_line(m, y, 6, &f), 0);
        pi += truth >= cl_quantile(&f, h, 0.1) && truth <= cl_quantile(&f, h, 0.9);
        double c = f.a + f.b * h, se = f.s * sqrt(1.0 / 6 + (h - f.mbar) * (h - f.mbar) / f.sxx),
               t = gsl_cdf_tdist_Pinv(0.9, 4);
        ci += log(truth) >= c - t * se && log(truth) <= c + t * se;
    }
    double se = sqrt(0.8 * 0.2 / N);
    print_message("80%% prediction interval covers %.3f; the line's confidence interval %.3f\n",
                  (double)pi / N, (double)ci / N);
    assert_near((double)pi / N, 0.8, 3.5 * se);
    assert_true((double)ci / N < 0.8 - 5 * se);
    gsl_rng_free(r);
}

/* The posterior draws' mean probability is the closed-form t tail, and
 * the cumulative bill one month ahead is that month's tail shifted by
 * what is already spent. */
static void test_draws_agree(void **state)
{
    (void)state;
    double m[6] = {1, 2, 3, 4, 5, 6}, y[6] = {120000, 131000, 152000, 160000, 183000, 199000};
    cl_fit f;
    assert_int_equal(cl_fit_line(m, y, 6, &f), 0);
    cl_above o;
    enum { D = 40000 };
    assert_int_equal(cl_above_draws(&f, 7, 230000, 945000, 6, D, 11, &o), 0);
    /* the draws' p has sd <= 1/2: 3.5 SE of its mean is 3.5 * 0.5 / sqrt(D) */
    assert_near(o.p_mean, o.p, 3.5 * 0.5 / sqrt(D));
    assert_true(o.p5 <= o.p && o.p <= o.p95);
    assert_true(o.p > 0.05 && o.p < 0.95);
    double want = cl_prob_above(&f, 7, 1175000.0 - 945000);
    assert_int_equal(cl_above_draws(&f, 7, 1175000, 945000, 6, D, 12, &o), 0);
    assert_near(o.p_cum, want, 3.5 * sqrt(want * (1 - want) / D));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_exact),
        cmocka_unit_test(test_prediction_coverage),
        cmocka_unit_test(test_draws_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
