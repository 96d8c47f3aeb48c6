/*
 * Re-costing recorded timelines (model §18.46): which changes are
 * cost-only (scn_cost_only_change), eng_recost against a full simulation
 * bit for bit, its failure path, and sweeps that re-cost only where they
 * may.
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
#include "costonly.h"
#include "param.h"
#include "recost.h"
#include "sweep.h"

/* The fields a variant may change, as YAML text. */
typedef struct variant {
    const char *seed, *loaded, *tput, *senior_h, *tok_monthly, *per_item, *onboarding, *rate, *fee,
        *coach, *wait_factor, *extra_ai, *extra_alt;
} variant;

static const variant base = {"9", "250000", "5", "4", "20000", "300", "10000", "80", "3000", "5000",
                             "{dist: uniform, min: 0.8, max: 1}", "", ""};

/* One capacity mix 'ai' of two sources and an overhead (every cost the
 * re-costing books: salaries, hourly labour and fee with a minimum term,
 * oversight, token bill and growth, per-pass tokens, review hours,
 * defects, one-offs), beside a plain 'si'. */
static const char *variant_yaml(const variant *v)
{
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "capmix: 1\nseed: %s\ntrials: 2500\n"
             "people: {senior_engineer: {loaded_annual: 208000}, product_manager: {hourly_rate: 70}}\n"
             "work: {outcomes: 18, horizon_days: 1500, target_day: 120, cost_of_delay: {per_day: 800}}\n"
             "alternatives:\n"
             "  - name: ai\n"
             "    sources:\n"
             "      - {kind: ai_team, name: t, headcount: 3, loaded_annual: %s, throughput_per_month: %s,\n"
             "         outcomes: {accepted: 0.8, rework: 0.15, superseded: 0.05},\n"
             "         review_wait_days: {dist: triangular, min: 0.5, mode: 1, max: 3},\n"
             "         review_hours_per_item: {dist: uniform, min: 1, max: 3},\n"
             "         oversight: {senior_hours_per_week: %s, pm_hours_per_week: 2},\n"
             "         tokens: {monthly: %s, growth_per_month: 0.04, per_item: %s},\n"
             "         escaped_defects_per_outcome: 0.3,\n"
             "         defect_cost: {dist: triangular, min: 500, mode: 1000, max: 4000},\n"
             "         onboarding_cost: %s, exit_cost: 2000%s}\n"
             "      - {kind: offshore_pod, name: p, headcount: 2, hourly_rate: %s, monthly_fee: %s,\n"
             "         min_months: 30, throughput_per_month: {dist: pert, min: 2, mode: 3, max: 5},\n"
             "         outcomes: {accepted: 0.7, rework: 0.2, superseded: 0.1}}\n"
             "    overheads: [{name: coach, monthly_cost: %s, wait_factor: %s}]\n%s"
             "  - name: si\n"
             "    sources:\n"
             "      - {kind: consultants, monthly_fee: 45000, throughput_per_month: 6, item_size: 1}\n",
             v->seed, v->loaded, v->tput, v->senior_h, v->tok_monthly, v->per_item, v->onboarding,
             v->extra_ai, v->rate, v->fee, v->coach, v->wait_factor, v->extra_alt);
    return buf;
}

static scn_scenario *load_variant(const variant *v)
{
    return tu_load(variant_yaml(v));
}

static int cost_only(const variant *v)
{
    scn_scenario *a = load_variant(&base), *b = load_variant(v);
    int r = scn_cost_only_change(a, 0, b, 0);
    /* the other alternative is the same in both, in the same world */
    if (!strcmp(v->seed, base.seed))
        assert_int_equal(scn_cost_only_change(a, 1, b, 1), 1);
    scn_free(a);
    scn_free(b);
    return r;
}

static void test_cost_only(void **state)
{
    (void)state;
    variant v = base;
    assert_int_equal(cost_only(&v), 1); /* no change at all */
    v.rate = "95";
    v.fee = "0";
    v.loaded = "300000";
    v.senior_h = "6";
    v.tok_monthly = "55000";
    v.onboarding = "0";
    v.coach = "9000";
    assert_int_equal(cost_only(&v), 1);
    v = base;
    v.per_item = "900"; /* a constant per-pass charge, no change orders */
    assert_int_equal(cost_only(&v), 1);
    /* a constant becoming a dist changes how many draws the trial stream takes */
    v = base;
    v.tok_monthly = "{dist: triangular, min: 10000, mode: 20000, max: 40000}";
    assert_int_equal(cost_only(&v), 0);
    v = base;
    v.per_item = "{dist: uniform, min: 100, max: 500}";
    assert_int_equal(cost_only(&v), 0);
    /* timelines: throughput, the overhead's wait factor, the seed */
    v = base;
    v.tput = "6";
    assert_int_equal(cost_only(&v), 0);
    v = base;
    v.wait_factor = "0.9";
    assert_int_equal(cost_only(&v), 0);
    v = base;
    v.seed = "10";
    assert_int_equal(cost_only(&v), 0);
    /* a per-pass token charge beside change orders: one sum, interleaved */
    v = base;
    v.extra_ai = ",\n         change_orders: {probability_per_item: 0.1, cost: 5000}";
    variant w = v;
    w.per_item = "900";
    scn_scenario *a = load_variant(&v), *b = load_variant(&w);
    assert_int_equal(scn_cost_only_change(a, 0, b, 0), 0);
    scn_free(b);
    w = v;
    w.rate = "90"; /* ... but a rate is still cost-only there */
    b = load_variant(&w);
    assert_int_equal(scn_cost_only_change(a, 0, b, 0), 1);
    scn_free(a);
    scn_free(b);
    /* a stop-loss rule reads spend: never */
    v = base;
    v.extra_alt = "    stop_loss: [{name: cap, review_every_months: 1, stop_if: {spent_over: 900000}}]\n";
    w = v;
    w.rate = "90";
    a = load_variant(&v);
    b = load_variant(&w);
    assert_int_equal(scn_cost_only_change(a, 0, b, 0), 0);
    assert_int_equal(scn_cost_only_change(a, 0, a, 0), 0);
    scn_free(a);
    scn_free(b);
}

/* Every metric of 'ai' re-costed from a tape of `from` equals, bit for
 * bit, a simulation of `to` (recorded on 2 threads, simulated on 1). */
static void recost_matches(const variant *from, const variant *to)
{
    scn_scenario *a = load_variant(from), *b = load_variant(to);
    assert_int_equal(scn_cost_only_change(a, 0, b, 0), 1);
    eng_tape *t = eng_tape_new(a->trials, a->alts[0].nsources, M_DELIVERY_DAY);
    assert_non_null(t);
    eng_tape *tapes[2] = {t, NULL};
    eng_opts o = {.trials = a->trials, .seed = a->seed, .threads = 2, .tapes = tapes};
    eng_results *ra = tu_run(a, &o);
    assert_int_equal(t->complete, 1);
    eng_opts ob = {.trials = b->trials, .seed = b->seed, .threads = 1};
    eng_results *rb = tu_run(b, &ob);
    double *x = malloc(b->trials * sizeof *x);
    assert_non_null(x);
    int costed = 0;
    for (int m = 0; m < M_COUNT; m++) {
        /* a metric no cost moves comes back as recorded: only the one taped */
        if (!eng_metric_costed((eng_metric)m) && m != M_DELIVERY_DAY)
            continue;
        costed += eng_metric_costed((eng_metric)m);
        t->metric = (eng_metric)m;
        diag d;
        assert_int_equal(eng_recost(b, 0, b->seed, t, x, &d), 0);
        const double *want = eng_metric_data(rb, 0, (eng_metric)m);
        for (uint64_t i = 0; i < b->trials; i++)
            if (memcmp(&x[i], &want[i], sizeof x[i])) {
                print_error("metric %s, trial %llu: re-costed %.17g, simulated %.17g\n",
                            eng_metric_name((eng_metric)m), (unsigned long long)i, x[i], want[i]);
                fail();
            }
    }
    assert_int_equal(costed, 6);
    free(x);
    eng_tape_free(t);
    eng_results_free(ra);
    eng_results_free(rb);
    scn_free(a);
    scn_free(b);
}

static void test_recost_bits(void **state)
{
    (void)state;
    variant v = base;
    recost_matches(&base, &v); /* nothing changed */
    v.rate = "95";
    v.fee = "0";
    v.loaded = "300000";
    v.senior_h = "6";
    v.tok_monthly = "55000";
    v.onboarding = "0";
    v.coach = "9000";
    v.per_item = "733.3";
    recost_matches(&base, &v);
    v = base;
    v.per_item = "0";
    recost_matches(&base, &v);
    recost_matches(&v, &base);
}

/* A cost that is not a number fails as eng_run fails, naming the metric. */
static void test_recost_not_a_number(void **state)
{
    (void)state;
    scn_scenario *a = load_variant(&base);
    eng_tape *t = eng_tape_new(a->trials, a->alts[0].nsources, M_COST_TOTAL);
    eng_tape *tapes[2] = {t, NULL};
    eng_opts o = {.trials = a->trials, .seed = a->seed, .threads = 1, .tapes = tapes};
    eng_results *r = tu_run(a, &o);
    t->src[7 * t->nsrc * ENG_BOOKED + 1] = NAN; /* trial 7, source 0: its review hours */
    double *x = malloc(a->trials * sizeof *x);
    diag d;
    diag_clear(&d);
    assert_int_equal(eng_recost(a, 0, a->seed, t, x, &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);
    assert_non_null(strstr(d.msg, "alternative 'ai': metric 'cost_internal' is not a number"));
    free(x);
    eng_tape_free(t);
    eng_results_free(r);

    /* a metric no cost moves is copied from the tape, but the trial is
     * still costed and checked: the simulation checks every metric */
    t = eng_tape_new(a->trials, a->alts[0].nsources, M_DELIVERY_DAY);
    tapes[0] = t;
    r = tu_run(a, &o);
    x = malloc(a->trials * sizeof *x);
    assert_int_equal(eng_recost(a, 0, a->seed, t, x, &d), 0);
    for (uint64_t i = 0; i < a->trials; i++)
        assert_true(x[i] == eng_metric_data(r, 0, M_DELIVERY_DAY)[i]);
    t->src[7 * t->nsrc * ENG_BOOKED + 1] = NAN;
    diag_clear(&d);
    assert_int_equal(eng_recost(a, 0, a->seed, t, x, &d), -1);
    assert_non_null(strstr(d.msg, "alternative 'ai': metric 'cost_internal' is not a number"));
    free(x);
    eng_tape_free(t);
    eng_results_free(r);
    scn_free(a);
}

static yt_doc *parse(const char *yaml)
{
    yt_doc *doc = NULL;
    diag d;
    assert_int_equal(yt_load_buffer("t.yaml", yaml, strlen(yaml), &doc, &d), 0);
    return doc;
}

/* A sweep of 'ai' along `path` (and 'si' beside it) with and without
 * re-costing: the same figures at every point, and the crossing Brent
 * solves; returns the alternative evaluations re-costed. */
static int sweep_case(const variant *v, const char *path, double v0, double step, eng_metric metric,
                      prm_stat stat)
{
    yt_doc *doc = parse(variant_yaml(v));
    swp_setup S[2];
    diag d;
    for (int k = 0; k < 2; k++) {
        memset(&S[k], 0, sizeof S[k]);
        S[k].doc = doc;
        S[k].node[0] = prm_resolve(doc, path, &d);
        assert_non_null(S[k].node[0]);
        S[k].nnodes = 1;
        S[k].threads = 2;
        S[k].metric = metric;
        S[k].stat = stat;
        S[k].cache_on = 1;
        S[k].recost_on = k;
        snprintf(S[k].pair[0], SCN_NAME_MAX, "ai");
        snprintf(S[k].pair[1], SCN_NAME_MAX, "si");
    }
    for (int i = 0; i < 4; i++) {
        double x = v0 + step * i;
        swp_point p[2];
        for (int k = 0; k < 2; k++)
            if (swp_eval(&S[k], &x, 0, &p[k], &d)) {
                print_error("%s at %g: %s\n", path, x, d.msg);
                fail();
            }
        for (size_t a = 0; a < p[0].nalts; a++) {
            assert_true(!memcmp(&p[0].stat[a], &p[1].stat[a], sizeof(double)));
            assert_true(!memcmp(&p[0].se[a], &p[1].se[a], sizeof(double)));
            assert_true(!memcmp(&p[0].band_lo[a], &p[1].band_lo[a], sizeof(double)));
            assert_true(!memcmp(&p[0].band_hi[a], &p[1].band_hi[a], sizeof(double)));
        }
        assert_true(!memcmp(&p[0].diff_se, &p[1].diff_se, sizeof(double)));
    }
    swp_root r[2];
    for (int k = 0; k < 2; k++)
        assert_int_equal(swp_solve(&S[k], 0, v0, v0 + 3 * step, 0, NAN, NAN, &r[k], &d), 0);
    assert_int_equal(r[0].found, r[1].found);
    assert_true(!memcmp(&r[0].x, &r[1].x, sizeof(double)) && !memcmp(&r[0].lo, &r[1].lo, sizeof(double)));
    assert_int_equal(S[0].nrecost, 0);
    int n = S[1].nrecost;
    swp_release(&S[0]);
    swp_release(&S[1]);
    yt_free(doc);
    return n;
}

static void test_sweeps(void **state)
{
    (void)state;
    /* cost-only: every point after the first re-costed, and Brent's too */
    assert_true(sweep_case(&base, "ai/t.tokens.monthly", 10000, 30000, M_COST_PER_OUTCOME, PS_P50) >= 3);
    assert_true(sweep_case(&base, "ai/p.hourly_rate", 40, 40, M_BLENDED_COST, PS_MEAN) >= 3);
    assert_true(sweep_case(&base, "ai/t.tokens.per_item", 0, 400, M_COST_TOTAL, PS_P90) >= 3);
    assert_true(sweep_case(&base, "ai.overheads.coach.monthly_cost", 0, 20000, M_COST_TOTAL, PS_MEAN) >= 3);
    /* a metric no cost moves: the taped one */
    assert_true(sweep_case(&base, "ai/t.tokens.monthly", 10000, 30000, M_DELIVERY_DAY, PS_MEAN) >= 3);
    /* timelines: simulated every time */
    assert_int_equal(sweep_case(&base, "ai/t.throughput_per_month", 3, 1, M_COST_TOTAL, PS_MEAN), 0);
    assert_int_equal(sweep_case(&base, "ai/t.headcount", 2, 1, M_COST_TOTAL, PS_MEAN), 0);
    /* a token bill that was a dist: each point a constant, all alike */
    variant v = base;
    v.tok_monthly = "{dist: triangular, min: 10000, mode: 20000, max: 40000}";
    assert_true(sweep_case(&v, "ai/t.tokens.monthly", 10000, 30000, M_COST_TOTAL, PS_MEAN) >= 3);
    /* ... but a parameter of a dist moves the draws: never */
    assert_int_equal(sweep_case(&v, "ai/t.tokens.monthly.max", 30000, 10000, M_COST_TOTAL, PS_MEAN), 0);
    /* a stop-loss rule: never */
    v = base;
    v.extra_alt = "    stop_loss: [{name: cap, review_every_months: 1, stop_if: {spent_over: 900000}}]\n";
    assert_int_equal(sweep_case(&v, "ai/p.hourly_rate", 40, 40, M_COST_TOTAL, PS_MEAN), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cost_only),
        cmocka_unit_test(test_recost_bits),
        cmocka_unit_test(test_recost_not_a_number),
        cmocka_unit_test(test_sweeps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
