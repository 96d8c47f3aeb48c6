/*
 * Tests of ydiff (sim/input/ydiff.h) and compare (sim/analysis/compare.h):
 * the scenario in between states exactly what its ends state (its
 * simulation is bit-identical to the files' own), the waterfall adds up to
 * the total change, one change takes 100 %, identical files change
 * nothing, a change that cannot load alone is grouped with the next, and
 * the paired SEs agree with the spread of replications.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "engine.h"
#include "scnload.h"
#include "testutil.h"
#include "ydiff.h"

#define OLD "tests/compare/old.yaml"
#define NEW "tests/compare/new.yaml"

/* A scratch file of this test process (removed at the end of main). */
static char scratch_one[256], scratch_kind[256];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static yt_doc *load_doc(const char *path)
{
    yt_doc *doc = NULL;
    diag d;
    diag_clear(&d);
    assert_int_equal(yt_load_file(path, &doc, &d), 0);
    return doc;
}

/* Every metric of every trial of a scenario text, at fixed trials/seed. */
static eng_results *simulate_at(const char *name, const char *text, size_t len, uint64_t trials, uint64_t seed);

static eng_results *simulate(const char *name, const char *text, size_t len)
{
    return simulate_at(name, text, len, 1500, 99);
}

static eng_results *simulate_at(const char *name, const char *text, size_t len, uint64_t trials, uint64_t seed)
{
    scn_scenario *s = NULL;
    diag d;
    diag_clear(&d);
    if (scn_load_buffer(name, text, len, &s, &d))
        fail_msg("%s: %s", name, d.msg);
    eng_opts o = {.trials = trials, .seed = seed, .threads = 2};
    eng_results *r = NULL;
    assert_int_equal(eng_run(s, &o, &r, &d), 0);
    scn_free(s);
    return r;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

static void same_results(const eng_results *a, const eng_results *b)
{
    assert_int_equal(a->nalts, b->nalts);
    assert_int_equal(a->trials, b->trials);
    size_t n = a->nalts * M_COUNT * a->trials;
    for (size_t i = 0; i < n; i++) {
        double x = a->data[i], y = b->data[i];
        if (!(x == y || (isnan(x) && isnan(y))))
            fail_msg("metric value %zu differs: %.17g vs %.17g", i, x, y);
    }
}

/* With no change switched the text in between is OLD, with all of them
 * NEW: bit for bit the same simulations as the files' own bytes. */
static void test_emit_ends_are_the_files(void **state)
{
    (void)state;
    yt_doc *a = load_doc(OLD), *b = load_doc(NEW);
    ydiff x;
    diag d;
    diag_clear(&d);
    assert_int_equal(ydiff_compute(a, b, &x, &d), 0);
    assert_true(x.n >= 5);
    unsigned char on[64];
    assert_true(x.n <= sizeof on);
    for (int all = 0; all < 2; all++) {
        memset(on, all, sizeof on);
        char *text = NULL;
        size_t len = 0;
        assert_int_equal(ydiff_emit(&x, on, &text, &len, &d), 0);
        size_t flen;
        char *file = slurp(all ? NEW : OLD, &flen);
        eng_results *re = simulate("emitted", text, len), *rf = simulate(all ? NEW : OLD, file, flen);
        same_results(re, rf);
        eng_results_free(re);
        eng_results_free(rf);
        free(text);
        free(file);
    }
    ydiff_release(&x);
    yt_free(a);
    yt_free(b);
}

static void test_paths_and_order(void **state)
{
    (void)state;
    yt_doc *a = load_doc(OLD), *b = load_doc(NEW);
    ydiff x;
    diag d;
    diag_clear(&d);
    assert_int_equal(ydiff_compute(a, b, &x, &d), 0);
    const char *want[] = {
        "name",
        "alternatives[pod].sources[pod].hourly_rate",
        "alternatives[pod].sources[pod].onboarding_cost",
        "alternatives[team].sources[team].kind",
        "alternatives[team].sources[team].tokens",
        "alternatives[retired]",
        "alternatives[augment]",
    };
    assert_int_equal(x.n, sizeof want / sizeof *want);
    for (size_t i = 0; i < x.n; i++)
        assert_string_equal(x.ch[i].path, want[i]);
    assert_null(x.ch[2].old);        /* added */
    assert_null(x.ch[4].new_);       /* removed */
    char buf[16];
    assert_string_equal(ydiff_show(x.ch[1].old, buf, sizeof buf), "60");
    ydiff_release(&x);
    yt_free(a);
    yt_free(b);
}

static cmp_report *run_cmp(const char *o, const char *n, uint64_t trials, uint64_t seed)
{
    cmp_opts opt = {.trials = trials, .seed = seed, .have_seed = 1, .threads = 2};
    cmp_report *r = NULL;
    diag d;
    diag_clear(&d);
    if (cmp_run(o, n, &opt, &r, &d))
        fail_msg("cmp_run: %s", d.msg);
    return r;
}

/* The contributions add up to NEW − OLD (to rounding), for every figure of
 * every common alternative; the last step's figures are NEW's own. */
static void test_waterfall_adds_up(void **state)
{
    (void)state;
    cmp_report *r = run_cmp(OLD, NEW, 2000, 5);
    assert_int_equal(r->nalts, 2);
    assert_int_equal(r->nsteps, r->diff.n + 1);
    for (size_t a = 0; a < r->nalts; a++)
        for (int f = 0; f < CMP_FIGS; f++) {
            double sum = 0, t = cmp_total(r, a, (cmp_fig)f);
            for (size_t k = 1; k < r->nsteps; k++)
                sum += cmp_value(r, k, a, (cmp_fig)f) - cmp_value(r, k - 1, a, (cmp_fig)f);
            assert_near(sum, t, 1e-9 * (1 + fabs(cmp_value(r, 0, a, (cmp_fig)f))));
        }
    /* a rate change moves the pod only; the team's figures do not move at
     * that step (streams are per alternative) */
    size_t pod = strcmp(r->alts[0], "pod") ? 1 : 0, team = 1 - pod;
    assert_true(cmp_value(r, 2, pod, CMP_MEAN_TOTAL) > cmp_value(r, 1, pod, CMP_MEAN_TOTAL));
    assert_true(cmp_value(r, 2, team, CMP_MEAN_TOTAL) == cmp_value(r, 1, team, CMP_MEAN_TOTAL));
    /* hourly 60 -> 66 scales the billed labour by 1.1 exactly: the step's
     * change is 10 % of the billed cost, a number the model gives */
    cmp_free(r);
}

/* Identical inputs: no change, Δ = 0 exactly, SE 0. */
static void test_identical_is_zero(void **state)
{
    (void)state;
    cmp_report *r = run_cmp(OLD, OLD, 1000, 3);
    assert_int_equal(r->diff.n, 0);
    assert_int_equal(r->nsteps, 1);
    for (size_t a = 0; a < r->nalts; a++)
        for (int f = 0; f < CMP_FIGS; f++) {
            double t = cmp_total(r, a, (cmp_fig)f);
            assert_true(t == 0 || isnan(t));
        }
    cmp_free(r);
}

/* A single changed key takes 100 % of the change, and the pod's billed
 * labour moves by exactly the rate ratio: every trial's direct cost is
 * headcount × rate × hours × months, the months unchanged by the rate. */
static void test_single_change_is_everything(void **state)
{
    (void)state;
    size_t len;
    char *t = slurp(OLD, &len);
    char *p = strstr(t, "hourly_rate: 60");
    assert_non_null(p);
    memcpy(p, "hourly_rate: 90", 15);
    write_file(scratch_one, t);
    free(t);
    cmp_report *r = run_cmp(OLD, scratch_one, 1000, 11);
    assert_int_equal(r->diff.n, 1);
    assert_int_equal(r->nsteps, 2);
    size_t pod = strcmp(r->alts[0], "pod") ? 1 : 0;
    double c = cmp_value(r, 1, pod, CMP_MEAN_TOTAL) - cmp_value(r, 0, pod, CMP_MEAN_TOTAL);
    assert_true(c == cmp_total(r, pod, CMP_MEAN_TOTAL));
    /* the pod's direct cost is billed labour only: rate 60 -> 90 adds half
     * of OLD's mean direct cost, trial by trial on common random numbers */
    size_t flen;
    char *file = slurp(OLD, &flen);
    eng_results *ro = simulate_at(OLD, file, flen, 1000, 11);
    free(file);
    double direct = 0;
    const double *cd = eng_metric_data(ro, 0, M_COST_DIRECT);
    for (size_t i = 0; i < 1000; i++)
        direct += cd[i] / 1000;
    eng_results_free(ro);
    assert_near(c, 0.5 * direct, 1e-9 * direct);
    assert_near(r->total_se[pod * CMP_FIGS + CMP_MEAN_TOTAL] > 0, 1, 0);
    cmp_free(r);
}

/* Changing a source's kind with its pay keys: the kind alone does not
 * load (offshore_pod keys under in_house), so it is switched with the
 * changes after it, and the waterfall still ends at NEW. */
static void test_unloadable_change_is_grouped(void **state)
{
    (void)state;
    size_t len;
    char *t = slurp(OLD, &len);
    char *p = strstr(t, "kind: offshore_pod");
    assert_non_null(p);
    char *q = strstr(t, "hourly_rate: 60");
    assert_non_null(q);
    char out[1 << 16];
    snprintf(out, sizeof out, "%.*skind: in_house%.*sloaded_annual: 150000%s", (int)(p - t), t,
             (int)(q - (p + 18)), p + 18, q + 15);
    write_file(scratch_kind, out);
    free(t);
    cmp_report *r = run_cmp(OLD, scratch_kind, 800, 2);
    assert_true(r->grouped >= 1);
    assert_true(r->nsteps < r->diff.n + 1);
    assert_int_equal(r->steps[r->nsteps - 1].last, r->diff.n);
    cmp_free(r);
}

/* The paired SE of a step's mean change agrees with the spread of that
 * change over independent seeds (40 replications: sd/mean(SE) within
 * 1 ± 0.35, about 3 standard errors of a sample sd from 40). */
static void test_paired_se_is_calibrated(void **state)
{
    (void)state;
    enum { R = 40 };
    double x[R], se = 0;
    for (int i = 0; i < R; i++) {
        cmp_report *r = run_cmp(OLD, NEW, 400, 1000 + (uint64_t)i);
        size_t pod = strcmp(r->alts[0], "pod") ? 1 : 0;
        x[i] = cmp_total(r, pod, CMP_MEAN_BLENDED);
        se += r->total_se[pod * CMP_FIGS + CMP_MEAN_BLENDED] / R;
        cmp_free(r);
    }
    double m = 0, v = 0;
    for (int i = 0; i < R; i++)
        m += x[i] / R;
    for (int i = 0; i < R; i++)
        v += (x[i] - m) * (x[i] - m) / (R - 1);
    assert_near(sqrt(v) / se, 1.0, 0.35);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch_one, sizeof scratch_one, "%s/capmix-test-compare-%ld-one.yaml", tmp ? tmp : "/tmp", (long)getpid());
    snprintf(scratch_kind, sizeof scratch_kind, "%s/capmix-test-compare-%ld-kind.yaml", tmp ? tmp : "/tmp", (long)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emit_ends_are_the_files),
        cmocka_unit_test(test_paths_and_order),
        cmocka_unit_test(test_waterfall_adds_up),
        cmocka_unit_test(test_identical_is_zero),
        cmocka_unit_test(test_single_change_is_everything),
        cmocka_unit_test(test_unloadable_change_is_grouped),
        cmocka_unit_test(test_paired_se_is_calibrated),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    remove(scratch_one);
    remove(scratch_kind);
    return rc;
}
