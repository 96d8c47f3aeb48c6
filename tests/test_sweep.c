/*
 * Sweeps and break-even: parameter paths, common random numbers along a
 * sweep, and crossings solved against an analytic answer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "distparse.h"
#include "param.h"
#include "sweep.h"
#include "tornado.h"

static yt_doc *parse(const char *yaml)
{
    yt_doc *doc = NULL;
    diag d;
    assert_int_equal(yt_load_buffer("t.yaml", yaml, strlen(yaml), &doc, &d), 0);
    return doc;
}

static const char *scenario =
    "capmix: 1\nseed: 9\ntrials: 3000\ncalendar: {days_per_month: 30}\n"
    "people: {senior_engineer: {loaded_annual: 208000}}\n"
    "work: {outcomes: 24, horizon_days: 2000, target_day: 90, cost_of_delay: {per_day: 500}}\n"
    "alternatives:\n"
    "  - name: pod\n"
    "    sources:\n"
    "      - {kind: offshore_pod, name: p, headcount: 4, hourly_rate: 80,\n"
    "         throughput_per_month: {dist: triangular, min: 4, mode: 6, max: 9},\n"
    "         outcomes: {accepted: 0.7, rework: 0.2, superseded: 0.1},\n"
    "         review_wait_days: {dist: pert, min: 1, mode: 3, max: 9}}\n"
    "    overheads: [{name: coach, monthly_cost: 5000}]\n"
    "  - name: si\n"
    "    sources:\n"
    "      - {kind: consultants, monthly_fee: 45000, throughput_per_month: 6, item_size: 1}\n"
    "  - name: fast\n"
    "    sources:\n"
    "      - {kind: consultants, monthly_fee: 30000, throughput_per_month: 5, item_size: 1}\n";

static void expect_path_error(const yt_doc *doc, const char *path, const char *substr)
{
    diag d;
    diag_clear(&d);
    assert_null(prm_resolve(doc, path, &d));
    assert_int_equal(d.kind, DIAG_INPUT);
    if (!strstr(d.msg, substr)) {
        print_error("path '%s': got \"%s\", want ...%s...\n", path, d.msg, substr);
        fail();
    }
}

static void test_paths(void **state)
{
    (void)state;
    yt_doc *doc = parse(scenario);
    diag d;
    yt_node *n = prm_resolve(doc, "pod/p.hourly_rate", &d);
    assert_non_null(n);
    assert_string_equal(n->str, "80");
    assert_non_null(prm_resolve(doc, "pod/p.throughput_per_month", &d));      /* a whole dist */
    assert_non_null(prm_resolve(doc, "pod/p.throughput_per_month.mode", &d)); /* a parameter */
    assert_non_null(prm_resolve(doc, "pod/p.outcomes.accepted", &d));
    assert_non_null(prm_resolve(doc, "pod.overheads.coach.monthly_cost", &d));
    assert_non_null(prm_resolve(doc, "work.cost_of_delay.per_day", &d));
    assert_non_null(prm_resolve(doc, "people.senior_engineer.loaded_annual", &d));
    /* a source without a name is found by its kind */
    assert_non_null(prm_resolve(doc, "si/consultants.monthly_fee", &d));
    expect_path_error(doc, "pd/p.hourly_rate", "no alternative 'pd' (alternatives: pod, si, fast)");
    expect_path_error(doc, "pod/q.hourly_rate", "has no source 'q' (sources: p)");
    expect_path_error(doc, "pod/p.hourly_rat", "has no 'hourly_rat' (did you mean 'hourly_rate'?)");
    expect_path_error(doc, "pod/p.outcomes", "names a mapping, not a number: go on to one of accepted, rework, superseded");
    expect_path_error(doc, "pod/p.hourly_rate.x", "is a number, it has no 'x'");
    expect_path_error(doc, "calendar.days_per_month.x", "is a number");
    expect_path_error(doc, "decision.risk_tolerance", "the scenario has no 'decision' section");
    expect_path_error(doc, "pod", "needs a key");
    yt_free(doc);
}

static void test_specs_and_metrics(void **state)
{
    (void)state;
    prm_spec sp;
    diag d;
    assert_int_equal(prm_parse_spec("a/b.c=1:2:5", "--set", 1, &sp, &d), 0);
    assert_string_equal(sp.path, "a/b.c");
    assert_near(sp.lo, 1, 0);
    assert_near(sp.hi, 2, 0);
    assert_int_equal(sp.n, 5);
    assert_int_equal(prm_parse_spec("a.b=3:12", "--y", 0, &sp, &d), 0);
    assert_int_equal(prm_parse_spec("a.b=3:12", "--x", 1, &sp, &d), -1);
    assert_int_equal(prm_parse_spec("a.b=5:1:3", "--set", 1, &sp, &d), -1);
    assert_int_equal(prm_parse_spec("a.b=0x1:2:3", "--set", 1, &sp, &d), -1);
    assert_int_equal(prm_parse_spec("a.b=1:2:1", "--set", 1, &sp, &d), -1);
    assert_int_equal(prm_parse_spec("=1:2:3", "--set", 1, &sp, &d), -1);
    eng_metric m;
    prm_stat st;
    assert_int_equal(prm_parse_metric("cost_per_outcome.p50", &m, &st, &d), 0);
    assert_int_equal(m, M_COST_PER_OUTCOME);
    assert_int_equal(st, PS_P50);
    assert_int_equal(prm_parse_metric("cost_totl.mean", &m, &st, &d), -1);
    assert_non_null(strstr(d.msg, "did you mean 'cost_total'"));
    assert_int_equal(prm_parse_metric("cost_total", &m, &st, &d), -1);
    assert_int_equal(prm_parse_metric("cost_total.p99", &m, &st, &d), -1);
}

static swp_setup setup(yt_doc *doc, const char *path, eng_metric m, prm_stat st)
{
    swp_setup S;
    memset(&S, 0, sizeof S);
    diag d;
    S.doc = doc;
    S.node[0] = prm_resolve(doc, path, &d);
    assert_non_null(S.node[0]);
    S.nnodes = 1;
    S.threads = 2;
    S.metric = m;
    S.stat = st;
    snprintf(S.sha256, sizeof S.sha256, "0");
    return S;
}

/* Common random numbers: a parameter that changes only a cost moves the
 * curve monotonically, and the other alternatives' figures not at all. */
static void test_crn(void **state)
{
    (void)state;
    yt_doc *doc = parse(scenario);
    swp_setup S = setup(doc, "pod/p.hourly_rate", M_COST_TOTAL, PS_MEAN);
    swp_point prev, p;
    diag d;
    for (int i = 0; i < 6; i++) {
        double v = 40 + 10 * i;
        assert_int_equal(swp_eval(&S, &v, 0, &p, &d), 0);
        assert_int_equal(p.nalts, 3);
        if (i) {
            assert_true(p.stat[0] > prev.stat[0]);
            assert_true(p.stat[1] == prev.stat[1]); /* bit-identical */
            assert_true(p.stat[2] == prev.stat[2]);
        }
        prev = p;
    }
    /* the cost of delay per day: blended mean rises monotonically */
    swp_setup S2 = setup(doc, "work.cost_of_delay.per_day", M_BLENDED_COST, PS_P90);
    for (int i = 0; i < 5; i++) {
        double v = 100 + 400 * i;
        assert_int_equal(swp_eval(&S2, &v, 0, &p, &d), 0);
        if (i)
            for (size_t a = 0; a < 3; a++)
                assert_true(p.stat[a] >= prev.stat[a]);
        prev = p;
    }
    yt_free(doc);
}

/* An analytic crossing: one lane, unit-size items, no waits: cost per
 * outcome is fee / throughput exactly, so 'fast' (30,000 a month) equals
 * 'si' (45,000 at 6 a month, 7,500 per outcome) at throughput 4. */
static void test_analytic_crossing(void **state)
{
    (void)state;
    yt_doc *doc = parse(scenario);
    swp_setup S = setup(doc, "fast/consultants.throughput_per_month", M_COST_PER_OUTCOME, PS_MEAN);
    snprintf(S.pair[0], SCN_NAME_MAX, "fast");
    snprintf(S.pair[1], SCN_NAME_MAX, "si");
    swp_root r;
    diag d;
    assert_int_equal(swp_solve(&S, 0, 2, 9, 0, NAN, NAN, &r, &d), 0);
    assert_true(r.found);
    assert_near(r.x, 4, 4e-3);
    /* outside the range: no crossing, said as such */
    assert_int_equal(swp_solve(&S, 0, 5, 9, 0, NAN, NAN, &r, &d), 0);
    assert_false(r.found);
    yt_free(doc);
}

/* Alternatives no swept path names are simulated once and cached: the
 * figures are bit-identical to simulating them at every point. */
static void test_cache_identical(void **state)
{
    (void)state;
    yt_doc *doc = parse(scenario);
    swp_setup A = setup(doc, "pod/p.hourly_rate", M_COST_TOTAL, PS_MEAN);
    swp_setup B = setup(doc, "pod/p.hourly_rate", M_COST_TOTAL, PS_MEAN);
    B.cache_on = 1;
    snprintf(A.pair[0], SCN_NAME_MAX, "pod");
    snprintf(A.pair[1], SCN_NAME_MAX, "si");
    memcpy(B.pair, A.pair, sizeof A.pair);
    diag d;
    for (int i = 0; i < 4; i++) {
        double v = 50 + 15 * i;
        swp_point pa, pb;
        assert_int_equal(swp_eval(&A, &v, 0, &pa, &d), 0);
        assert_int_equal(swp_eval(&B, &v, 0, &pb, &d), 0);
        assert_int_equal(pa.nalts, pb.nalts);
        for (size_t a = 0; a < pa.nalts; a++) {
            assert_string_equal(pa.names[a], pb.names[a]);
            assert_true(pa.stat[a] == pb.stat[a]);
            assert_true(pa.se[a] == pb.se[a]);
            assert_true(pa.band_hi[a] == pb.band_hi[a]);
        }
        assert_true(pa.diff == pb.diff && pa.diff_se == pb.diff_se);
    }
    assert_int_equal(A.ncache, 0);
    assert_int_equal(B.ncache, 2); /* si and fast */
    swp_release(&B);
    /* a work parameter reaches every alternative: nothing is cached */
    swp_setup C = setup(doc, "work.cost_of_delay.per_day", M_BLENDED_COST, PS_MEAN);
    C.cache_on = 1;
    double v = 700;
    swp_point pc;
    assert_int_equal(swp_eval(&C, &v, 0, &pc, &d), 0);
    assert_int_equal(C.ncache, 0);
    yt_free(doc);
}

/* Evaluate `yaml` along path (and path2 when given) at four points with
 * and without the cache: every figure must agree bit for bit.  Returns the
 * number of alternatives the cache kept. */
static int cache_case(const char *yaml, const char *path, const char *path2, double v0, double step)
{
    yt_doc *doc = parse(yaml);
    swp_setup A = setup(doc, path, M_BLENDED_COST, PS_MEAN), B = setup(doc, path, M_BLENDED_COST, PS_MEAN);
    B.cache_on = 1;
    diag d;
    if (path2) {
        A.node[1] = B.node[1] = prm_resolve(doc, path2, &d);
        assert_non_null(A.node[1]);
        A.nnodes = B.nnodes = 2;
    }
    for (int i = 0; i < 4; i++) {
        double v[2] = {v0 + step * i, v0 + step * (3 - i)};
        swp_point pa, pb;
        if (swp_eval(&A, v, 0, &pa, &d) || swp_eval(&B, v, 0, &pb, &d)) {
            print_error("%s at %g: %s\n", path, v[0], d.msg);
            fail();
        }
        assert_int_equal(pa.nalts, pb.nalts);
        for (size_t a = 0; a < pa.nalts; a++) {
            assert_string_equal(pa.names[a], pb.names[a]);
            if (!(pa.stat[a] == pb.stat[a] && pa.se[a] == pb.se[a] && pa.band_lo[a] == pb.band_lo[a])) {
                print_error("%s: '%s' at %g: %.17g cached, %.17g simulated\n", path, pa.names[a], v[0],
                            pb.stat[a], pa.stat[a]);
                fail();
            }
        }
    }
    int n = B.ncache;
    swp_release(&B);
    yt_free(doc);
    return n;
}

/* What a swept parameter reaches (model §18.43): decided by where its node
 * is, whatever the path's spelling; work, people and calendar reach every
 * alternative, a copula couples them, and a stop-loss fallback does not
 * enter the alternative's own figures. */
static void test_cache_reach(void **state)
{
    (void)state;
    char buf[4096];
    /* spelt through `sources`: the same node, the same two cached */
    assert_int_equal(cache_case(scenario, "pod.sources.p.hourly_rate", NULL, 50, 15), 2);
    /* two nodes in two alternatives: only the third is cached */
    assert_int_equal(cache_case(scenario, "pod/p.hourly_rate", "fast/consultants.monthly_fee", 50, 15), 1);
    assert_int_equal(cache_case(scenario, "people.senior_engineer.loaded_annual", NULL, 1e5, 5e4), 0);
    assert_int_equal(cache_case(scenario, "calendar.days_per_month", NULL, 28, 1), 0);
    assert_int_equal(cache_case(scenario, "work.target_day", NULL, 60, 20), 0);
    /* an alternative named `work`: work.* is still the work section */
    const char *si = strstr(scenario, "name: si");
    snprintf(buf, sizeof buf, "%.*sname: work%s", (int)(si - scenario), scenario, si + strlen("name: si"));
    assert_int_equal(cache_case(buf, "work.cost_of_delay.per_day", NULL, 100, 400), 0);
    assert_int_equal(cache_case(buf, "work/consultants.monthly_fee", NULL, 30000, 5000), 2);
    /* correlations: nothing cached */
    const char *hr = strstr(scenario, "hourly_rate: 80");
    snprintf(buf, sizeof buf, "%.*shourly_rate: {dist: uniform, min: 70, max: 90}%s"
             "correlations:\n  - between: [pod/p.throughput_per_month, pod/p.hourly_rate]\n    rank: 0.5\n",
             (int)(hr - scenario), scenario, hr + strlen("hourly_rate: 80"));
    assert_int_equal(cache_case(buf, "si/consultants.monthly_fee", NULL, 30000, 5000), 0);
    /* pod hands over to si when it stops: sweeping si leaves pod's own figures */
    const char *ov = strstr(scenario, "    overheads:");
    snprintf(buf, sizeof buf, "%.*s    stop_loss:\n      - {name: hand, review_every_months: 1, "
             "forecast_over_envelope: 0.1, then: si}\n%s", (int)(ov - scenario), scenario, ov);
    assert_int_equal(cache_case(buf, "si/consultants.monthly_fee", NULL, 30000, 5000), 2);
}

/* Brent's stopping rule (model §18.44): stopping at a tenth of the
 * crossing's half-width moves the root by less than that against running
 * to 1e-5 of the range, on the same random numbers, for fewer simulations.
 * A median on 3000 trials is a noisy function of the parameter. */
static void test_stop_share(void **state)
{
    (void)state;
    char buf[4096];
    const char *hr = strstr(scenario, "hourly_rate: 80");
    snprintf(buf, sizeof buf, "%.*shourly_rate: 45%s", (int)(hr - scenario), scenario, hr + strlen("hourly_rate: 80"));
    yt_doc *doc = parse(buf);
    swp_setup S = setup(doc, "pod/p.throughput_per_month.mode", M_COST_PER_OUTCOME, PS_P50);
    swp_setup T = setup(doc, "pod/p.throughput_per_month.mode", M_COST_PER_OUTCOME, PS_P50);
    T.stop_share = 1e-12;
    for (int k = 0; k < 2; k++) {
        swp_setup *X = k ? &T : &S;
        snprintf(X->pair[0], SCN_NAME_MAX, "pod");
        snprintf(X->pair[1], SCN_NAME_MAX, "si");
        X->cache_on = 1;
    }
    swp_root r, t;
    diag d;
    assert_int_equal(swp_solve(&S, 0, 4.05, 8.95, 0, NAN, NAN, &r, &d), 0);
    assert_int_equal(swp_solve(&T, 0, 4.05, 8.95, 0, NAN, NAN, &t, &d), 0);
    if (!(r.found && t.found))
        print_error("no crossing: %g to %g\n", r.fa, r.fb);
    assert_true(r.found && t.found);
    double half = (r.hi - r.lo) / 2;
    print_message("root %.6f (%d simulations) against %.6f (%d), half-width %.4f: %.3f of it\n", r.x,
                  r.evaluations, t.x, t.evaluations, half, fabs(r.x - t.x) / half);
    assert_true(half > 0);
    assert_true(fabs(r.x - t.x) <= 0.1 * half);
    assert_true(r.evaluations < t.evaluations);
    swp_release(&S);
    swp_release(&T);
    yt_free(doc);
}

/* Searching near a guess finds the analytic crossing from a far guess and
 * a narrow bracket, and agrees with the full-range solve. */
static void test_solve_near(void **state)
{
    (void)state;
    yt_doc *doc = parse(scenario);
    swp_setup S = setup(doc, "fast/consultants.throughput_per_month", M_COST_PER_OUTCOME, PS_MEAN);
    S.cache_on = 1;
    snprintf(S.pair[0], SCN_NAME_MAX, "fast");
    snprintf(S.pair[1], SCN_NAME_MAX, "si");
    swp_root r;
    diag d;
    assert_int_equal(swp_solve_near(&S, 0, 2, 9, 0, 8.5, 0.1, &r, &d), 0);
    assert_true(r.found);
    assert_near(r.x, 4, 4e-3);
    assert_int_equal(swp_solve_near(&S, 0, 2, 9, 0, 4.2, 0.5, &r, &d), 0);
    assert_true(r.found);
    assert_near(r.x, 4, 4e-3);
    assert_int_equal(swp_solve_near(&S, 0, 5, 9, 0, 6, 0.5, &r, &d), 0);
    assert_false(r.found);
    swp_release(&S);
    yt_free(doc);
}

/* A value the scenario rejects is an input error naming the value. */
static void test_rejected_value(void **state)
{
    (void)state;
    yt_doc *doc = parse(scenario);
    swp_setup S = setup(doc, "pod/p.hourly_rate", M_COST_TOTAL, PS_MEAN);
    swp_point p;
    diag d;
    double v = -5;
    assert_int_equal(swp_eval(&S, &v, 0, &p, &d), -1);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_non_null(strstr(d.msg, "(with the swept value -5)"));
    yt_free(doc);
}

/* Tornado: the input that moves the statistic most comes first, each
 * held at its exact P10/P90, and the scenario is left as it was. */
static void test_tornado(void **state)
{
    (void)state;
    const char *y = "capmix: 1\nseed: 4\ntrials: 2000\ncalendar: {days_per_month: 30}\n"
                    "work: {outcomes: 6, horizon_days: 1000, cost_of_delay: {per_day: {dist: uniform, min: 0, max: 10}}}\n"
                    "alternatives:\n"
                    "  - name: a\n"
                    "    sources:\n"
                    "      - {kind: consultants, monthly_fee: {dist: uniform, min: 10000, max: 100000},\n"
                    "         onboarding_cost: {dist: uniform, min: 0, max: 1000},\n"
                    "         throughput_per_month: 3, item_size: 1}\n"
                    "  - name: b\n"
                    "    sources: [{kind: consultants, monthly_fee: {dist: normal, mean: 5, sd: 1, min: 0}, throughput_per_month: 3}]\n";
    yt_doc *doc = parse(y);
    swp_setup S = setup(doc, "a/consultants.onboarding_cost", M_COST_TOTAL, PS_MEAN);
    snprintf(S.pair[0], SCN_NAME_MAX, "a");
    snprintf(S.pair[1], SCN_NAME_MAX, "a");
    trn_result t;
    diag d;
    assert_int_equal(trn_run(&S, "a", &t, &d), 0);
    /* b's input is not a's; work's cost of delay is not in cost_total */
    assert_int_equal(t.n, 3);
    assert_string_equal(t.inputs[0].path, "a/consultants.monthly_fee");
    assert_near(t.inputs[0].q10, 19000, 1e-6);
    assert_near(t.inputs[0].q90, 91000, 1e-6);
    /* one lane, unit items at 3 a month: 2 months exactly, so the swing is
     * 2 × (91,000 − 19,000) */
    assert_near(t.inputs[0].swing, 2 * 72000, 1e-6);
    assert_string_equal(t.inputs[1].path, "a/consultants.onboarding_cost");
    assert_near(t.inputs[1].swing, 800, 1e-6);
    assert_near(t.inputs[2].swing, 0, 0);
    /* Spearman across the base run's 2,000 trials: cost = 2·fee + onboarding,
     * so the fee orders the costs all but exactly; onboarding's Pearson
     * share is sd(O)/sd(cost) ≈ 289/51,967 = 0.0056, and the cost of delay
     * is not in cost_total at all (independent: SE 1/sqrt(n − 1)) */
    double se = 1 / sqrt(1999.0);
    assert_true(t.inputs[0].spearman > 0.999);
    assert_near(t.inputs[1].spearman, 0.0056, 5 * se);
    assert_string_equal(t.inputs[2].path, "work.cost_of_delay.per_day");
    assert_near(t.inputs[2].spearman, 0, 5 * se);
    assert_false(t.inputs[0].per_item);
    double base = t.base;
    trn_release(&t);
    /* the document got its dists back: the same run again, the same numbers */
    assert_int_equal(trn_run(&S, "a", &t, &d), 0);
    assert_true(t.base == base);
    trn_release(&t);
    yt_free(doc);
}

/* The inverse CDF used for P10/P90. */
static void test_quantiles(void **state)
{
    (void)state;
    yt_doc *doc = parse("q: {dist: normal, mean: 10, sd: 2}\n"
                        "t: {dist: triangular, min: 0, mode: 0, max: 1}\n"
                        "k: {dist: discrete, values: [1, 2, 3], weights: [1, 1, 2]}\n");
    dist x;
    diag d;
    assert_int_equal(dist_parse(doc, yt_get(doc->root, "q", NULL), "q", DOM_ANY, &x, &d), 0);
    assert_near(dist_quantile(&x, 0.9), 10 + 2 * 1.2815515655446004, 1e-8);
    dist_release(&x);
    assert_int_equal(dist_parse(doc, yt_get(doc->root, "t", NULL), "t", DOM_ANY, &x, &d), 0);
    assert_near(dist_quantile(&x, 0.19), 1 - sqrt(0.81), 1e-9); /* F(x) = 1 − (1 − x)² */
    dist_release(&x);
    assert_int_equal(dist_parse(doc, yt_get(doc->root, "k", NULL), "k", DOM_ANY, &x, &d), 0);
    assert_near(dist_quantile(&x, 0.10), 1, 1e-9);
    assert_near(dist_quantile(&x, 0.60), 3, 1e-9);
    dist_release(&x);
    yt_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),     cmocka_unit_test(test_specs_and_metrics),
        cmocka_unit_test(test_crn),       cmocka_unit_test(test_analytic_crossing),
        cmocka_unit_test(test_rejected_value), cmocka_unit_test(test_tornado),
        cmocka_unit_test(test_quantiles),       cmocka_unit_test(test_cache_identical),
        cmocka_unit_test(test_cache_reach),
        cmocka_unit_test(test_stop_share),
        cmocka_unit_test(test_solve_near),
    };
    return cmocka_run_group_tests_name("sweep", tests, NULL, NULL);
}
