/*
 * Tests for correlated inputs (sim/base/copula.c and its use by the loader and
 * the engine).
 *
 * Each marginal family is correlated with a lognormal partner at a target
 * rank correlation, simulated through the engine at 100,000 trials, and
 * the achieved Spearman correlation (gsl_stats_spearman on the recorded
 * trial-level draws) must lie within ±0.03 of the target (its own standard
 * error is about (1 − ρ²)/√n ≈ 0.003).  The marginal under the copula must
 * still be the dist as written (Kolmogorov–Smirnov against dist_cdf).
 * The loader's rejections (non-positive-definite matrix naming the pair,
 * item-level and constant quantities) are in tests/bad/corr-*.yaml.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>

#include "testutil.h"
#include "copula.h"
#include "engine.h"
#include "scenario.h"
#include "scnload.h"

#define NTRIAL 100000

static eng_results *run(const scn_scenario *s, uint64_t trials, int threads, size_t alt)
{
    eng_opts o = {.trials = trials, .seed = s->seed, .threads = threads, .keep_draws = 1,
                  .draws_alt = alt};
    return tu_run(s, &o);
}

/* A one-source run-rate scenario (a cheap trial: one day of work) whose
 * hourly_rate is `rate` and whose throughput is a lognormal, correlated
 * at `rank`. */
static scn_scenario *pair_scenario(const char *rate, double rank)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "capmix: 1\nseed: 11\nwork: {horizon_days: 1}\n"
             "alternatives:\n"
             "  - name: a\n"
             "    sources:\n"
             "      - kind: offshore_pod\n"
             "        name: pod\n"
             "        headcount: 2\n"
             "        hourly_rate: %s\n"
             "        throughput_per_month: {dist: lognormal, median: 6, p90: 9}\n"
             "        outcomes: {accepted: 1}\n"
             "correlations:\n"
             "  - between: [a/pod.hourly_rate, a/pod.throughput_per_month]\n"
             "    rank: %g\n",
             rate, rank);
    return tu_load(yaml);
}

static double spearman(const double *x, const double *y, size_t n)
{
    double *work = malloc(2 * n * sizeof *work);
    assert_non_null(work);
    double r = gsl_stats_spearman(x, 1, y, 1, n, work);
    free(work);
    return r;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* sqrt(n)·D of v (sorted here) against x's CDF.  For a discrete x the
 * ECDF and the CDF jump at the same atoms, so they are compared at each
 * atom after its last copy. */
static double ks_stat(const dist *x, double *v, size_t n, int discrete)
{
    double dmax = 0;
    qsort(v, n, sizeof *v, cmp_double);
    for (size_t i = 0; i < n; i++) {
        double f = dist_cdf(x, v[i]), hi = (double)(i + 1) / (double)n, lo = (double)i / (double)n;
        if (discrete) {
            if (i + 1 < n && v[i + 1] == v[i])
                continue;
            lo = hi;
        }
        dmax = fmax(dmax, fmax(hi - f, f - lo));
    }
    return dmax * sqrt((double)n);
}

static void check_family(const char *rate, double rank, int discrete)
{
    scn_scenario *s = pair_scenario(rate, rank);
    eng_results *r = run(s, NTRIAL, 2, 0);
    double *x = malloc(NTRIAL * sizeof *x), *y = malloc(NTRIAL * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    for (size_t t = 0; t < NTRIAL; t++) {
        x[t] = src_quantity_value(&r->draws[t], &s->cal, SQ_HOURLY_RATE);
        y[t] = src_quantity_value(&r->draws[t], &s->cal, SQ_THROUGHPUT);
    }
    double rho = spearman(x, y, NTRIAL);
    print_message("%-60s target %+.2f achieved %+.4f\n", rate, rank, rho);
    /* ties attenuate a discrete marginal's rank correlation by the factor
     * sqrt(1 − Σp³) (Σ over its atoms); ≤ 0.0025 for the 20-atom forms
     * used here, well inside the tolerance */
    assert_near(rho, rank, 0.03);
    /* KS at p ≈ 0.001 */
    double ks = ks_stat(&s->alts[0].sources[0].hourly_rate, x, NTRIAL, discrete);
    print_message("%-60s KS sqrt(n)D = %.3f\n", "", ks);
    assert_true(ks < 1.95);
    ks = ks_stat(&s->alts[0].sources[0].tp_per_month, y, NTRIAL, 0);
    assert_true(ks < 1.95);
    free(x);
    free(y);
    eng_results_free(r);
    scn_free(s);
}

static void test_uniform(void **st) { (void)st; check_family("{dist: uniform, min: 30, max: 50}", 0.6, 0); }
static void test_triangular(void **st) { (void)st; check_family("{dist: triangular, min: 30, mode: 35, max: 60}", -0.4, 0); }
static void test_pert(void **st) { (void)st; check_family("{dist: pert, min: 30, mode: 35, max: 60}", 0.8, 0); }
static void test_normal(void **st) { (void)st; check_family("{dist: normal, mean: 40, sd: 5, min: 0}", -0.7, 0); }
static void test_normal_truncated(void **st) { (void)st; check_family("{dist: normal, mean: 40, sd: 20, min: 35, max: 90}", 0.5, 0); }
static void test_lognormal(void **st) { (void)st; check_family("{dist: lognormal, median: 40, p90: 70}", 0.3, 0); }
static void test_gamma(void **st) { (void)st; check_family("{dist: gamma, shape: 2.5, scale: 15}", -0.5, 0); }
static void test_beta(void **st) { (void)st; check_family("{dist: beta, alpha: 2, beta: 5}", 0.9, 0); }
static void test_discrete(void **st)
{
    (void)st;
    check_family("{dist: discrete, values: [20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39], "
                 "weights: [1,2,3,4,5,6,7,8,9,10,10,9,8,7,6,5,4,3,2,1]}",
                 0.6, 1);
}
static void test_empirical(void **st)
{
    (void)st;
    check_family("{dist: empirical, values: [31,44,29,52,38,41,35,47,33,60,36,42,39,30,55,45,34,37,49,40]}",
                 -0.6, 1);
}

/* Observed-count calibrations: throughput Gamma(items + 1/2, rate days)
 * and the Dirichlet acceptance probability Beta(a + 1, r + s + 2); the
 * Dirichlet's other two shares must keep their means. */
static void test_calibrated_forms(void **st)
{
    (void)st;
    scn_scenario *s = tu_load("capmix: 1\nseed: 5\nwork: {horizon_days: 1}\n"
                           "alternatives:\n"
                           "  - name: a\n"
                           "    sources:\n"
                           "      - kind: offshore_pod\n"
                           "        name: pod\n"
                           "        headcount: 2\n"
                           "        hourly_rate: 40\n"
                           "        throughput: {observed: {items: 24, days: 90}}\n"
                           "        outcomes: {observed: {accepted: 14, rework: 6, superseded: 4}}\n"
                           "correlations:\n"
                           "  - between: [a/pod.throughput, a/pod.outcomes.accepted]\n"
                           "    rank: -0.4\n");
    eng_results *r = run(s, NTRIAL, 2, 0);
    double *x = malloc(NTRIAL * sizeof *x), *y = malloc(NTRIAL * sizeof *y);
    double *pr = malloc(NTRIAL * sizeof *pr);
    for (size_t t = 0; t < NTRIAL; t++) {
        x[t] = r->draws[t].lambda;
        y[t] = r->draws[t].p1[OC_ACCEPTED];
        pr[t] = r->draws[t].p1[OC_REWORK];
    }
    double rho = spearman(x, y, NTRIAL);
    print_message("observed throughput vs Dirichlet acceptance: target -0.40 achieved %+.4f\n", rho);
    assert_near(rho, -0.4, 0.03);
    /* marginals: λ ~ Gamma(24.5, 1/90), p_acc ~ Beta(15, 12) */
    double dmax = 0;
    qsort(x, NTRIAL, sizeof *x, cmp_double);
    qsort(y, NTRIAL, sizeof *y, cmp_double);
    for (size_t i = 0; i < NTRIAL; i++) {
        double a = fabs((double)(i + 1) / NTRIAL - gsl_cdf_gamma_P(x[i], 24.5, 1.0 / 90));
        double b = fabs((double)(i + 1) / NTRIAL - gsl_cdf_beta_P(y[i], 15, 12));
        dmax = a > dmax ? a : dmax;
        dmax = b > dmax ? b : dmax;
    }
    assert_true(dmax * sqrt((double)NTRIAL) < 1.95);
    /* E[p_rework] = 7/27 under Dirichlet(15, 7, 5), sd from its Beta(7, 20) */
    double m = gsl_stats_mean(pr, 1, NTRIAL), sd = sqrt(7.0 * 20 / (27.0 * 27 * 28));
    assert_near(m, 7.0 / 27, 5 * sd / sqrt((double)NTRIAL));
    free(x);
    free(y);
    free(pr);
    eng_results_free(r);
    scn_free(s);
}

/* A correlation may span alternatives (the same market fact): our pod's
 * throughput against the partner's delivery days. */
static const char *const cross_yaml =
    "capmix: 1\nseed: 3\nwork: {outcomes: 4, horizon_days: 2000}\n"
    "alternatives:\n"
    "  - name: mix\n"
    "    sources:\n"
    "      - kind: offshore_pod\n"
    "        name: pod\n"
    "        headcount: 2\n"
    "        hourly_rate: 40\n"
    "        throughput_per_month: {dist: pert, min: 2, mode: 4, max: 9}\n"
    "        outcomes: {accepted: 1}\n"
    "  - name: partner\n"
    "    fixed_bid:\n"
    "      price: 100000\n"
    "      delivery_days: {dist: triangular, min: 60, mode: 90, max: 200}\n"
    "correlations:\n"
    "  - between: [mix/pod.throughput_per_month, partner.fixed_bid.delivery_days]\n"
    "    rank: -0.5\n";

static void test_across_alternatives(void **st)
{
    (void)st;
    scn_scenario *s = tu_load(cross_yaml);
    eng_results *r = run(s, NTRIAL, 2, 0);
    double *x = malloc(NTRIAL * sizeof *x);
    for (size_t t = 0; t < NTRIAL; t++)
        x[t] = r->draws[t].lambda;
    double rho = spearman(x, eng_metric_data(r, 1, M_DELIVERY_DAY), NTRIAL);
    print_message("pod throughput vs partner delivery days: target -0.50 achieved %+.4f\n", rho);
    assert_near(rho, -0.5, 0.03);
    free(x);
    eng_results_free(r);
    scn_free(s);
}

/* Bit-identical for any thread count, and one alternative's numbers do
 * not depend on whether another is simulated. */
static void test_reproducible(void **st)
{
    (void)st;
    scn_scenario *s = tu_load(cross_yaml);
    eng_results *r1 = run(s, 5000, 1, 0), *r3 = run(s, 5000, 3, 0);
    assert_memory_equal(r1->data, r3->data, 2 * M_COUNT * 5000 * sizeof(double));
    scn_remove_alt(s, 1);
    eng_results *ro = run(s, 5000, 2, 0);
    assert_memory_equal(ro->data, r1->data, M_COUNT * 5000 * sizeof(double));
    eng_results_free(r1);
    eng_results_free(r3);
    eng_results_free(ro);
    scn_free(s);
}

/* With no correlations the draws are those of the plain engine: the
 * copula changes nothing it is not asked to. */
static void test_rank_zero(void **st)
{
    (void)st;
    scn_scenario *s = pair_scenario("{dist: uniform, min: 30, max: 50}", 0.0);
    eng_results *r = run(s, NTRIAL, 2, 0);
    double *x = malloc(NTRIAL * sizeof *x), *y = malloc(NTRIAL * sizeof *y);
    for (size_t t = 0; t < NTRIAL; t++) {
        x[t] = r->draws[t].hourly_rate;
        y[t] = r->draws[t].lambda;
    }
    /* independent: Spearman's SE is 1/sqrt(n - 1) */
    assert_near(spearman(x, y, NTRIAL), 0, 5 / sqrt(NTRIAL - 1.0));
    free(x);
    free(y);
    eng_results_free(r);
    scn_free(s);
}

static void test_pearson_of_rank(void **st)
{
    (void)st;
    assert_near(cop_pearson_of_rank(0), 0, 0);
    assert_near(cop_pearson_of_rank(1), 1, 1e-15);
    assert_near(cop_pearson_of_rank(-0.5), 2 * sin(-M_PI / 12), 1e-15);
}

/* Three pairs that cannot hold at once: the message names the pair that
 * needs the smallest change, at its `rank`, and the range it must lie in
 * (for three quantities the closed form of the 3×3 determinant). */
static void test_not_positive_definite(void **st)
{
    (void)st;
    scn_scenario *s = NULL;
    diag d;
    diag_clear(&d);
    const char *yaml = "capmix: 1\nwork: {horizon_days: 1}\n"
                       "alternatives:\n"
                       "  - name: a\n"
                       "    sources:\n"
                       "      - kind: offshore_pod\n"
                       "        name: pod\n"
                       "        headcount: {dist: uniform, min: 1, max: 3}\n"
                       "        hourly_rate: {dist: uniform, min: 30, max: 50}\n"
                       "        throughput_per_month: {dist: uniform, min: 3, max: 5}\n"
                       "        outcomes: {accepted: 1}\n"
                       "correlations:\n"
                       "  - between: [a/pod.headcount, a/pod.hourly_rate]\n"
                       "    rank: 0.5\n"
                       "  - between: [a/pod.hourly_rate, a/pod.throughput_per_month]\n"
                       "    rank: 0.5\n"
                       "  - between: [a/pod.headcount, a/pod.throughput_per_month]\n"
                       "    rank: -0.9\n";
    assert_int_equal(scn_load_buffer("t.yaml", yaml, strlen(yaml), &s, &d), -1);
    assert_null(s);
    assert_int_equal(d.kind, DIAG_INPUT);
    print_message("%d:%d: %s\n", d.line, d.col, d.msg);
    assert_int_equal(d.line, 18);
    assert_non_null(strstr(d.msg, "'a/pod.headcount' and 'a/pod.throughput_per_month'"));
    /* the feasible range: ρ_AC within ρ_AB·ρ_BC ± sqrt((1 − ρ_AB²)(1 − ρ_BC²)), in ranks */
    double r = cop_pearson_of_rank(0.5), lo = r * r - (1 - r * r), hi = r * r + (1 - r * r);
    char want[64];
    /* rounded inwards; the upper end is singular (rank 1), so just below */
    snprintf(want, sizeof want, "between %.2f and %.2f", ceil(6 / M_PI * asin(lo / 2) * 100) / 100,
             floor((6 / M_PI * asin(hi / 2) - 1e-9) * 100) / 100);
    print_message("want '%s'\n", want);
    assert_non_null(strstr(d.msg, want));
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pearson_of_rank),
        cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_triangular),
        cmocka_unit_test(test_pert),
        cmocka_unit_test(test_normal),
        cmocka_unit_test(test_normal_truncated),
        cmocka_unit_test(test_lognormal),
        cmocka_unit_test(test_gamma),
        cmocka_unit_test(test_beta),
        cmocka_unit_test(test_discrete),
        cmocka_unit_test(test_empirical),
        cmocka_unit_test(test_calibrated_forms),
        cmocka_unit_test(test_across_alternatives),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_rank_zero),
        cmocka_unit_test(test_not_positive_definite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
