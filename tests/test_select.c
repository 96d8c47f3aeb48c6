/*
 * Statistics by selection and by one shared sort (issue 19 item 3): every
 * quantile a run prints must be the one a full sort gives, to the bit.
 *   - stats_quantile_select against qsort + stats_quantile_sorted on many
 *     random arrays: distinct values, heavy ties, +Inf, negatives, n = 1
 *     and 2, p = 0 and 1 and in between;
 *   - stats_sort_buf (the caller's buffer, or none) against qsort;
 *   - stats_summarise_buf against stats_summarise, field by field;
 *   - the charts' quantile grid kept by report_build against a fresh
 *     comparison sort of the run's own per-trial values.
 * The reference is always qsort, independent of the radix sort under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "report.h"
#include "stats.h"

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t lcg(uint64_t *z)
{
    *z = *z * 6364136223846793005ULL + 1442695040888963407ULL;
    return *z >> 11;
}

/* A value of kind k: 0 distinct, 1 heavy ties (0..3), 2 ties and +Inf,
 * 3 signed and spread over many magnitudes, 4 all equal. */
static double draw(int kind, uint64_t *z)
{
    double u = (double)lcg(z) * 0x1.0p-53;
    switch (kind) {
    case 0: return u * 1000;
    case 1: return floor(u * 4);
    case 2: return u < 0.2 ? INFINITY : floor(u * 6);
    case 3: return (u < 0.5 ? -1 : 1) * pow(10, 12 * u - 6);
    default: return 42.5;
    }
}

static const double ps[] = {0, 1, 0.005, 0.05, 0.1, 0.25, 0.3333, 0.5, 0.75, 0.9, 0.95, 0.995, 0.999999};
enum { NPS = sizeof ps / sizeof *ps };

static void check_select(const double *y, size_t n, double p, const double *sorted, int kind)
{
    double x[4096];
    memcpy(x, y, n * sizeof *x);
    double got = stats_quantile_select(x, n, p), want = stats_quantile_sorted(sorted, n, p);
    if (!(got == want)) {
        print_error("kind %d n %zu p %.17g: select %.17g, sorted %.17g\n", kind, n, p, got, want);
        fail();
    }
    /* selection permutes: the multiset of values is kept */
    qsort(x, n, sizeof *x, cmp);
    assert_memory_equal(x, sorted, n * sizeof *x);
}

static void test_select_equals_sorted(void **state)
{
    (void)state;
    double y[4096], s[4096];
    size_t checked = 0;
    for (int kind = 0; kind < 5; kind++) {
        uint64_t z = 2024 + (uint64_t)kind;
        for (size_t n = 1; n <= 4096; n += n < 40 ? 1 : 397) {
            for (int rep = 0; rep < (n < 40 ? 8 : 2); rep++) {
                for (size_t i = 0; i < n; i++)
                    y[i] = s[i] = draw(kind, &z);
                qsort(s, n, sizeof *s, cmp);
                for (int k = 0; k < NPS; k++)
                    check_select(y, n, ps[k], s, kind);
                /* p at random, and on every order statistic exactly */
                check_select(y, n, (double)lcg(&z) * 0x1.0p-53, s, kind);
                check_select(y, n, (double)(lcg(&z) % n) / (double)(n > 1 ? n - 1 : 1), s, kind);
                checked += NPS + 2;
            }
        }
    }
    assert_true(checked > 5000);
}

static void test_select_small(void **state)
{
    (void)state;
    double one[1] = {7};
    assert_true(stats_quantile_select(one, 1, 0) == 7);
    assert_true(stats_quantile_select(one, 1, 0.5) == 7);
    assert_true(stats_quantile_select(one, 1, 1) == 7);
    double two[2] = {9, 1};
    assert_true(stats_quantile_select(two, 2, 0) == 1);
    assert_true(stats_quantile_select(two, 2, 1) == 9);
    assert_true(stats_quantile_select(two, 2, 0.25) == 3); /* 0.75·1 + 0.25·9 */
    double inf2[2] = {INFINITY, 1};
    assert_true(stats_quantile_select(inf2, 2, 0) == 1);
    assert_true(isinf(stats_quantile_select(inf2, 2, 0.5))); /* not NaN from 0·Inf */
    assert_true(isnan(stats_quantile_select(NULL, 0, 0.5)));
}

/* The sort with the caller's buffer, with none, and a comparison sort
 * agree; −0 comes before +0. */
static void test_sort_buf(void **state)
{
    (void)state;
    enum { N = 20000 };
    static double x[N], y[N], w[N], tmp[N];
    for (int kind = 0; kind < 5; kind++) {
        uint64_t z = 7 + (uint64_t)kind;
        for (size_t n = 100; n <= N; n = n * 3 + 1) {
            for (size_t i = 0; i < n; i++) {
                x[i] = y[i] = w[i] = i % 11 == 3 ? -0.0 : i % 11 == 4 ? 0.0 : draw(kind, &z);
                tmp[i] = NAN; /* whatever the buffer held must not matter */
            }
            stats_sort_buf(x, n, tmp);
            stats_sort_buf(w, n, NULL);
            qsort(y, n, sizeof *y, cmp);
            assert_memory_equal(x, w, n * sizeof *x);
            for (size_t i = 0; i < n; i++)
                assert_true(x[i] == y[i]);
            for (size_t i = 1; i < n; i++)
                if (x[i - 1] == 0 && x[i] == 0)
                    assert_false(signbit(x[i]) && !signbit(x[i - 1]));
        }
    }
}

static void test_summarise_buf(void **state)
{
    (void)state;
    enum { N = 3000 };
    static double x[N], s1[N], s2[N], tmp[N];
    for (int kind = 0; kind < 5; kind++) {
        uint64_t z = 31 + (uint64_t)kind;
        for (size_t n = 1; n <= N; n = n * 2 + 3) {
            for (size_t i = 0; i < n; i++)
                x[i] = i % 13 == 5 ? NAN : draw(kind, &z);
            stats_summary a, b;
            stats_summarise(x, n, s1, &a);
            stats_summarise_buf(x, n, s2, tmp, &b);
            assert_memory_equal(&a, &b, sizeof a);
            assert_memory_equal(s1, s2, a.n * sizeof *s1);
        }
    }
}

/* What plot.c draws: report_build's grid against a fresh sort of the
 * per-trial values, on a scenario with a cost of delay (so that
 * cost_total and blended_cost differ) and two alternatives. */
static void test_report_cdf(void **state)
{
    (void)state;
    scn_scenario *s = tu_load_file("scenarios/offshore-vs-ai.yaml");
    eng_opts o = {.trials = 3001, .seed = s->seed, .threads = 2};
    eng_results *r = tu_run(s, &o);
    report *rep = NULL;
    report_meta meta = {.version = "test", .threads = 2};
    diag d;
    diag_clear(&d);
    assert_int_equal(report_build(s, r, &meta, &rep, &d), 0);
    size_t n = (size_t)r->trials;
    double *v = malloc(n * sizeof *v);
    assert_non_null(v);
    for (size_t a = 0; a < s->nalts; a++)
        for (int which = 0; which < 2; which++) {
            eng_metric m = which ? M_BLENDED_COST : M_COST_TOTAL;
            const report_cdf *c = which ? &rep->alts[a].cdf_blended : &rep->alts[a].cdf_total;
            const double *x = eng_metric_data(r, a, m);
            size_t k = 0;
            for (size_t t = 0; t < n; t++)
                if (!isnan(x[t]))
                    v[k++] = x[t];
            qsort(v, k, sizeof *v, cmp);
            assert_true(k > 0);
            for (int i = 0; i <= REPORT_CDF_STEPS; i++)
                assert_true(c->q[i] == stats_quantile_sorted(v, k, i / (double)REPORT_CDF_STEPS));
            assert_true(c->p995 == stats_quantile_sorted(v, k, 0.995));
            assert_true(c->q[0] == rep->alts[a].m[m].min && c->q[REPORT_CDF_STEPS] == rep->alts[a].m[m].max);
            assert_true(c->q[100] == rep->alts[a].m[m].p50);
        }
    free(v);
    report_free(rep);
    eng_results_free(r);
    scn_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_equals_sorted), cmocka_unit_test(test_select_small),
        cmocka_unit_test(test_sort_buf), cmocka_unit_test(test_summarise_buf),
        cmocka_unit_test(test_report_cdf),
    };
    return cmocka_run_group_tests_name("select", tests, NULL, NULL);
}
