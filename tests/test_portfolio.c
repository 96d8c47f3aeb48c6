/*
 * Tests for portfolio.h: the branch and bound against brute force on the
 * same trials, a deterministic knapsack solved by hand, correlated costs
 * against sqrt(σ1² + σ2² + 2ρσ1σ2), nested cuts on random instances, and
 * thread-count identity.
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

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>

#include "portfolio.h"
#include "testutil.h"

/* ---- random problems ----------------------------------------------------- */

typedef struct gen {
    size_t n, T;
    size_t nopt[PF_MAX_INITIATIVES];
    double *cost_buf, *gain_buf;
    const double **cost_rows[PF_MAX_INITIATIVES], **gain_rows[PF_MAX_INITIATIVES];
    const double *const *cost[PF_MAX_INITIATIVES], *const *gain[PF_MAX_INITIATIVES];
    int must[PF_MAX_INITIATIVES];
    unsigned long long excl[PF_MAX_INITIATIVES];
    pf_problem pb;
} gen;

/* n initiatives with 1 or 2 options, costs gamma (some initiatives far
 * more variable than others), gains normal with a mean that may be
 * negative, an occasional must_fund and exclusive pair; the budget cuts
 * into the sum of mean costs so the constraint binds. */
static void gen_make2(gen *g, gsl_rng *r, gsl_rng *rd, size_t n, size_t T, int constraints,
                      double shape_span)
{
    memset(g, 0, sizeof *g);
    g->n = n;
    g->T = T;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        g->nopt[i] = 1 + gsl_rng_uniform_int(r, 2);
        total += g->nopt[i];
    }
    g->cost_buf = malloc(total * T * sizeof(double));
    g->gain_buf = malloc(total * T * sizeof(double));
    assert_non_null(g->cost_buf);
    assert_non_null(g->gain_buf);
    size_t k = 0;
    double mean_sum = 0;
    for (size_t i = 0; i < n; i++) {
        g->cost_rows[i] = malloc(g->nopt[i] * sizeof(double *));
        g->gain_rows[i] = malloc(g->nopt[i] * sizeof(double *));
        double shape = 1 + shape_span * gsl_rng_uniform(r), scale0 = 50 + 200 * gsl_rng_uniform(r);
        for (size_t o = 0; o < g->nopt[i]; o++, k++) {
            double *c = g->cost_buf + k * T, *gn = g->gain_buf + k * T;
            double scale = scale0 * (0.6 + 0.8 * gsl_rng_uniform(r)) / shape;
            double mg = -50 + 400 * gsl_rng_uniform(r);
            for (size_t t = 0; t < T; t++) {
                c[t] = gsl_ran_gamma(rd, shape, scale);
                gn[t] = mg + 100 * gsl_ran_ugaussian(rd) - 0.3 * c[t];
            }
            g->cost_rows[i][o] = c;
            g->gain_rows[i][o] = gn;
            if (o == 0)
                mean_sum += shape * scale;
        }
        g->cost[i] = g->cost_rows[i];
        g->gain[i] = g->gain_rows[i];
        if (constraints && gsl_rng_uniform(r) < 0.15)
            g->must[i] = 1;
    }
    for (size_t i = 0; constraints && i + 1 < n; i++)
        if (gsl_rng_uniform(r) < 0.2) {
            size_t j = i + 1 + gsl_rng_uniform_int(r, n - i - 1);
            if (!(g->must[i] && g->must[j])) {
                g->excl[i] |= 1ULL << j;
                g->excl[j] |= 1ULL << i;
            }
        }
    static const double alphas[3] = {0.05, 0.1, 0.2};
    g->pb = (pf_problem){
        .n = n,
        .trials = T,
        .nopt = g->nopt,
        .cost = g->cost,
        .gain = g->gain,
        .must_fund = g->must,
        .excl = g->excl,
        .budget = mean_sum * (0.3 + 0.6 * gsl_rng_uniform(r)),
        .alpha = alphas[gsl_rng_uniform_int(r, 3)],
    };
}

/* Parameters and trials from one generator. */
static void gen_make(gen *g, gsl_rng *r, size_t n, size_t T, int constraints)
{
    gen_make2(g, r, r, n, T, constraints, 20);
}

static void gen_free(gen *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->cost_rows[i]);
        free(g->gain_rows[i]);
    }
    free(g->cost_buf);
    free(g->gain_buf);
}

/* Every candidate evaluated on its own: the definition the search must meet. */
static int brute_force(const pf_problem *pb, int *best_sel, double *best_obj)
{
    size_t n = pb->n, T = pb->trials;
    double mean[PF_MAX_INITIATIVES][3];
    for (size_t i = 0; i < n; i++) {
        mean[i][0] = 0;
        for (size_t o = 1; o <= pb->nopt[i]; o++) {
            double s = 0;
            for (size_t t = 0; t < T; t++)
                s += pb->gain[i][o - 1][t];
            mean[i][o] = s / (double)T;
        }
    }
    size_t allowed = (size_t)floor(pb->alpha * (double)T + 1e-9);
    int sel[PF_MAX_INITIATIVES] = {0}, found = 0;
    for (;;) {
        int ok = 1;
        unsigned long long funded = 0;
        for (size_t i = 0; i < n; i++) {
            if (pb->must_fund[i] && !sel[i])
                ok = 0;
            if (sel[i])
                funded |= 1ULL << i;
        }
        for (size_t i = 0; ok && i < n; i++)
            if (sel[i] && (pb->excl[i] & funded))
                ok = 0;
        if (ok) {
            size_t over = 0;
            for (size_t t = 0; t < T; t++) {
                double tot = 0;
                for (size_t i = 0; i < n; i++)
                    if (sel[i])
                        tot += pb->cost[i][sel[i] - 1][t];
                over += tot > pb->budget;
            }
            double obj = 0;
            for (size_t i = 0; i < n; i++)
                obj += mean[i][sel[i]];
            if (over <= allowed && (!found || obj > *best_obj)) {
                found = 1;
                *best_obj = obj;
                memcpy(best_sel, sel, n * sizeof *sel);
            }
        }
        size_t i = 0;
        while (i < n && sel[i] == (int)pb->nopt[i])
            sel[i++] = 0;
        if (i == n)
            break;
        sel[i]++;
    }
    return found;
}

static void test_brute_force(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 17);
    int bound_checked = 0, binding = 0, infeasible = 0, stopped_optimal = 0;
    for (int k = 0; k < 40; k++) {
        gen g;
        size_t n = 1 + (size_t)(k % 10);
        gen_make(&g, r, n, 200, k % 3 != 0);
        int bsel[PF_MAX_INITIATIVES] = {0};
        double bobj = NAN;
        int feasible = brute_force(&g.pb, bsel, &bobj);
        pf_choice ch;
        diag d;
        diag_clear(&d);
        assert_int_equal(pf_choose(&g.pb, 0, &ch, &d), 0);
        assert_int_equal(ch.exact, 1);
        assert_int_equal(ch.feasible, feasible);
        infeasible += !feasible;
        if (feasible) {
            /* count the instances where the budget changes the answer */
            pf_problem loose = g.pb;
            loose.budget = INFINITY;
            pf_choice lc;
            assert_int_equal(pf_choose(&loose, 0, &lc, &d), 0);
            binding += memcmp(lc.sel, ch.sel, n * sizeof *bsel) != 0;
            assert_near(ch.objective, bobj, 1e-9 * (1 + fabs(bobj)));
            assert_memory_equal(ch.sel, bsel, n * sizeof *bsel);
            assert_true(ch.p_over <= g.pb.alpha + 1e-12);
            /* a search stopped early (past its first leaf, so the local
             * search runs): its bound covers the optimum, its selection is
             * allowed and within budget, and no better than the optimum */
            if (n >= 6) {
                pf_choice st;
                assert_int_equal(pf_choose(&g.pb, 2 * n, &st, &d), 0);
                if (st.exact) /* pruned enough to finish: then it is the optimum */
                    assert_memory_equal(st.sel, bsel, n * sizeof *bsel);
                assert_true(st.bound >= bobj - 1e-9 * (1 + fabs(bobj)));
                if (st.feasible) {
                    double obj, p;
                    pf_evaluate(&g.pb, st.sel, &obj, &p);
                    assert_near(obj, st.objective, 1e-9 * (1 + fabs(obj)));
                    assert_true(p <= g.pb.alpha + 1e-12);
                    assert_near(p, st.p_over, 1e-12);
                    unsigned long long funded = 0;
                    for (size_t i = 0; i < n; i++)
                        funded |= st.sel[i] ? 1ULL << i : 0;
                    for (size_t i = 0; i < n; i++) {
                        if (g.must[i])
                            assert_true(st.sel[i] != 0);
                        if (st.sel[i])
                            assert_true((g.excl[i] & funded) == 0);
                    }
                    assert_true(st.objective <= bobj + 1e-9 * (1 + fabs(bobj)));
                    stopped_optimal += !st.exact && fabs(st.objective - bobj) <= 1e-9 * (1 + fabs(bobj));
                }
                bound_checked += !st.exact;
            }
        }
        gen_free(&g);
    }
    print_message("brute force: 40 instances, %d where the budget binds, %d infeasible; stopped "
                  "searches: %d, %d of them still optimal after the local search\n",
                  binding, infeasible, bound_checked, stopped_optimal);
    assert_true(bound_checked > 0);
    assert_true(binding >= 10);
    gsl_rng_free(r);
}

/*
 * The chance constraint out of sample: instances chosen on 20,000 trials,
 * then re-evaluated on 10^5 fresh trials of the same distributions (same
 * parameters, another seed).  The Wilson 95% upper bound of P(over budget)
 * must stay within alpha + 0.01 (the SAA's optimism is of the order of
 * the in-sample standard error, sqrt(alpha(1-alpha)/20000) = 0.2%).
 */
static void test_out_of_sample(void **state)
{
    (void)state;
    diag d;
    diag_clear(&d);
    double worst = 0;
    int tight = 0;
    for (int k = 0; k < 12; k++) {
        gsl_rng *rp = gsl_rng_alloc(gsl_rng_mt19937), *rd = gsl_rng_alloc(gsl_rng_mt19937);
        gen in, out;
        gsl_rng_set(rp, 500 + (unsigned long)k);
        gsl_rng_set(rd, 900 + (unsigned long)k);
        gen_make2(&in, rp, rd, 8 + (size_t)k % 3, 20000, 0, 2);
        gsl_rng_set(rp, 500 + (unsigned long)k);
        gsl_rng_set(rd, 7700 + (unsigned long)k);
        gen_make2(&out, rp, rd, 8 + (size_t)k % 3, 100000, 0, 2);
        assert_near(in.pb.budget, out.pb.budget, 0);
        /* the budget exactly what the unconstrained choice needs in sample:
         * the selection then sits on the constraint, where the SAA's
         * optimism shows the most */
        pf_problem loose = in.pb;
        loose.budget = INFINITY;
        pf_choice lc;
        assert_int_equal(pf_choose(&loose, 0, &lc, &d), 0);
        double *scratch = malloc(in.T * sizeof *scratch);
        assert_non_null(scratch);
        in.pb.budget = out.pb.budget = pf_required_budget(&in.pb, lc.sel, scratch);
        free(scratch);
        pf_choice ch;
        assert_int_equal(pf_choose(&in.pb, 0, &ch, &d), 0);
        if (ch.feasible) {
            double obj, p, lo, hi;
            pf_evaluate(&out.pb, ch.sel, &obj, &p);
            pf_wilson(p * 1e5, 1e5, 1.959963984540054, &lo, &hi);
            print_message("alpha %.2f: in sample %.4f, out of sample %.4f [%.4f, %.4f]\n",
                          in.pb.alpha, ch.p_over, p, lo, hi);
            assert_true(hi <= in.pb.alpha + 0.01);
            tight += ch.p_over >= in.pb.alpha - 0.01;
            if (hi - in.pb.alpha > worst)
                worst = hi - in.pb.alpha;
        }
        gen_free(&in);
        gen_free(&out);
        gsl_rng_free(rp);
        gsl_rng_free(rd);
    }
    print_message("out of sample: %d instances within 1 point of alpha in sample; largest Wilson "
                  "upper bound above alpha %.4f\n", tight, worst);
    /* the test means something only where the constraint binds */
    assert_true(tight >= 8);
}

static void test_nested_cuts(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 99);
    diag d;
    diag_clear(&d);
    pf_cut steps[64];
    int total_steps = 0;
    for (int k = 0; k < 100; k++) {
        gen g;
        gen_make(&g, r, 2 + (size_t)(k % 7), 300, k % 2);
        pf_choice ch;
        assert_int_equal(pf_choose(&g.pb, 0, &ch, &d), 0);
        int start[PF_MAX_INITIATIVES] = {0};
        if (ch.feasible)
            memcpy(start, ch.sel, sizeof start);
        else /* every initiative at its first option: cuts from the top */
            for (size_t i = 0; i < g.n; i++)
                start[i] = 1;
        int ns = pf_cuts(&g.pb, start, steps, 64, &d);
        assert_true(ns >= 1);
        assert_memory_equal(steps[0].sel, start, g.n * sizeof *start);
        for (int s = 0; s < ns; s++) {
            /* each step's budget is the least that meets the constraint */
            pf_problem at = g.pb;
            at.budget = steps[s].need;
            double obj, p;
            pf_evaluate(&at, steps[s].sel, &obj, &p);
            assert_true(p <= at.alpha + 1e-12);
            assert_near(obj, steps[s].objective, 1e-9 * (1 + fabs(obj)));
            if (!s)
                continue;
            assert_true(steps[s].need < steps[s - 1].need);
            int changed = 0;
            for (size_t i = 0; i < g.n; i++) {
                /* nested: funded at the smaller budget => funded at the larger */
                if (steps[s].sel[i])
                    assert_true(steps[s - 1].sel[i] != 0);
                if (g.must[i])
                    assert_true(steps[s].sel[i] != 0);
                changed += steps[s].sel[i] != steps[s - 1].sel[i];
            }
            assert_int_equal(changed, 1);
            assert_true(steps[s].sel[steps[s].moved] != steps[s - 1].sel[steps[s].moved]);
        }
        /* the walk ends with nothing optional funded */
        for (size_t i = 0; i < g.n; i++)
            if (!g.must[i])
                assert_int_equal(steps[ns - 1].sel[i], 0);
        total_steps += ns;
        gen_free(&g);
    }
    print_message("nested cuts: 100 instances, %d steps\n", total_steps);
    gsl_rng_free(r);
}

/* ---- through files and the engine ----------------------------------------- */

static char tmpdir[256];

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* A scenario whose one alternative is a fixed bid named "bid": its cost is
 * the price, it delivers on day 100, before the target, so no delay cost. */
static void write_bid(const char *name, const char *price)
{
    char text[1024];
    snprintf(text, sizeof text,
             "capmix: 1\nname: %s\nwork:\n  outcomes: 1\n  horizon_days: 365\n  target_day: 200\n"
             "  cost_of_delay: {per_day: 0}\nalternatives:\n  - name: bid\n    fixed_bid:\n"
             "      price: %s\n      delivery_days: 100\n",
             name, price);
    char file[128];
    snprintf(file, sizeof file, "%s.yaml", name);
    write_file(file, text);
}

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/capmix-pf.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static pf_portfolio *load(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    pf_portfolio *p = NULL;
    diag d;
    diag_clear(&d);
    if (pf_load(path, &p, &d))
        print_error("%s:%d:%d: %s\n", d.file, d.line, d.col, d.msg);
    assert_non_null(p);
    return p;
}

/*
 * Four fixed bids (constant price, delivered before the target: gain =
 * value − price), budget 750k:
 *
 *   a: price 400k, value 1,000k, gain 600k   (gain/price 1.50)
 *   b: price 300k, value   700k, gain 400k   (1.33)
 *   c: price 250k, value   600k, gain 350k   (1.40)
 *   d: price 200k, value   380k, gain 180k   (0.90)
 *
 * Subsets within 750k: a+b 700k → 1,000k; a+c 650k → 950k; b+c+d 750k →
 * 930k; a+d 600k → 780k; b+c 550k → 750k; any three with a exceed 750k.
 * The optimum is {a, b}, 1,000k (greedy by ratio would take a, c: 950k).
 */
static void test_knapsack_by_hand(void **state)
{
    (void)state;
    write_bid("a", "400000");
    write_bid("b", "300000");
    write_bid("c", "250000");
    write_bid("d", "200000");
    write_file("knap.yaml", "capmix: 1\nportfolio: knap\nseed: 3\ntrials: 2000\nbudget: 750000\n"
                            "confidence: 0.9\ninitiatives:\n"
                            "  - {name: a, scenario: a.yaml, value: 1000000}\n"
                            "  - {name: b, scenario: b.yaml, value: 700000}\n"
                            "  - {name: c, scenario: c.yaml, value: 600000}\n"
                            "  - {name: d, scenario: d.yaml, value: 380000}\n");
    pf_portfolio *p = load("knap.yaml");
    pf_sim *s;
    diag d;
    diag_clear(&d);
    assert_int_equal(pf_simulate(p, p->seed, p->trials, 2, &s, &d), 0);
    int must[PF_MAX_INITIATIVES];
    unsigned long long excl[PF_MAX_INITIATIVES];
    pf_problem pb;
    pf_problem_of(p, s, must, excl, &pb);
    pf_choice ch;
    assert_int_equal(pf_choose(&pb, 0, &ch, &d), 0);
    int want[4] = {1, 1, 0, 0};
    assert_memory_equal(ch.sel, want, sizeof want);
    assert_near(ch.objective, 1000000, 1e-6);
    assert_near(ch.p_over, 0, 0);
    /* cuts: a+b needs 700k; then the cheapest loss per dollar released */
    pf_cut steps[8];
    int ns = pf_cuts(&pb, ch.sel, steps, 8, &d);
    assert_int_equal(ns, 3);
    assert_near(steps[0].need, 700000, 1e-6);
    /* dropping b loses 400k for 300k (1.33/$) and a 600k for 400k (1.5/$) */
    assert_int_equal(steps[1].moved, 1);
    assert_near(steps[1].need, 400000, 1e-6);
    assert_int_equal(steps[2].moved, 0);
    assert_near(steps[2].need, 0, 0);
    pf_sim_free(s);
    pf_free(p);
}

/* Two bids with normal prices (σ1 = 50k, σ2 = 80k): the total's sd at
 * Pearson ρ is sqrt(σ1² + σ2² + 2ρσ1σ2); Iman–Conover with Gaussian scores
 * gives normal marginals the scores' Pearson correlation, so the rank
 * written is 6/π·asin(ρ/2). */
static double total_sd(double rho, double *p90)
{
    char text[1024];
    int n = snprintf(text, sizeof text,
                     "capmix: 1\nportfolio: corr\nseed: 11\ntrials: 100000\nbudget: 1e7\n"
                     "initiatives:\n  - {name: x, scenario: x.yaml, value: 0}\n"
                     "  - {name: y, scenario: y.yaml, value: 0}\n");
    if (rho != 0)
        snprintf(text + n, sizeof text - (size_t)n,
                 "correlations:\n  - {between: [x, y], rank: %.17g}\n", 6 / M_PI * asin(rho / 2));
    write_file("corr.yaml", text);
    pf_portfolio *p = load("corr.yaml");
    pf_sim *s;
    diag d;
    diag_clear(&d);
    assert_int_equal(pf_simulate(p, p->seed, p->trials, 2, &s, &d), 0);
    size_t T = s->trials;
    double *tot = malloc(T * sizeof *tot), mean = 0, ss = 0;
    assert_non_null(tot);
    for (size_t t = 0; t < T; t++) {
        tot[t] = s->cost[0][0][t] + s->cost[1][0][t];
        mean += tot[t];
    }
    mean /= (double)T;
    for (size_t t = 0; t < T; t++)
        ss += (tot[t] - mean) * (tot[t] - mean);
    int sel[2] = {1, 1};
    int must[2];
    unsigned long long excl[2];
    pf_problem pb;
    pf_problem_of(p, s, must, excl, &pb);
    pb.alpha = 0.1;
    *p90 = pf_required_budget(&pb, sel, tot);
    free(tot);
    pf_sim_free(s);
    pf_free(p);
    return sqrt(ss / (double)(T - 1));
}

static void test_correlation(void **state)
{
    (void)state;
    /* both alternatives are named "bid": independent all the same */
    write_bid("x", "{dist: normal, mean: 500000, sd: 50000, min: 0}");
    write_bid("y", "{dist: normal, mean: 700000, sd: 80000, min: 0}");
    double p90_0, p90_5;
    double sd0 = total_sd(0, &p90_0), sd5 = total_sd(0.5, &p90_5);
    double want0 = sqrt(50000.0 * 50000 + 80000.0 * 80000);
    double want5 = sqrt(50000.0 * 50000 + 80000.0 * 80000 + 2 * 0.5 * 50000 * 80000);
    print_message("sd at rho 0: %.0f (want %.0f); at 0.5: %.0f (want %.0f); P90 %.0f -> %.0f\n", sd0,
                  want0, sd5, want5, p90_0, p90_5);
    assert_near(sd0, want0, 0.01 * want0);
    assert_near(sd5, want5, 0.01 * want5);
    assert_true(p90_5 > p90_0);
}

/* The same portfolio on 1 and 2 threads: the same arrays, the same choice. */
static void test_threads(void **state)
{
    (void)state;
    write_bid("a", "400000");
    write_bid("x", "{dist: normal, mean: 500000, sd: 50000, min: 0}");
    write_bid("y", "{dist: normal, mean: 700000, sd: 80000, min: 0}");
    write_file("thr.yaml", "capmix: 1\nportfolio: thr\nseed: 5\ntrials: 3000\nbudget: 1700000\n"
                           "confidence: 0.8\ninitiatives:\n"
                           "  - {name: x, scenario: x.yaml, value: 900000}\n"
                           "  - {name: y, scenario: y.yaml, value: {dist: uniform, min: 600000, max: 1100000}}\n"
                           "  - {name: a, scenario: a.yaml, value: 700000}\n"
                           "correlations:\n  - {between: [x, y], rank: -0.3}\n");
    pf_portfolio *p = load("thr.yaml");
    pf_sim *s1, *s2;
    diag d;
    diag_clear(&d);
    assert_int_equal(pf_simulate(p, p->seed, p->trials, 1, &s1, &d), 0);
    assert_int_equal(pf_simulate(p, p->seed, p->trials, 2, &s2, &d), 0);
    for (size_t i = 0; i < p->n; i++) {
        assert_memory_equal(s1->cost[i][0], s2->cost[i][0], s1->trials * sizeof(double));
        assert_memory_equal(s1->gain[i][0], s2->gain[i][0], s1->trials * sizeof(double));
    }
    int must[3];
    unsigned long long excl[3];
    pf_problem pb1, pb2;
    pf_problem_of(p, s1, must, excl, &pb1);
    pf_problem_of(p, s2, must, excl, &pb2);
    pf_choice c1, c2;
    assert_int_equal(pf_choose(&pb1, 0, &c1, &d), 0);
    assert_int_equal(pf_choose(&pb2, 0, &c2, &d), 0);
    assert_memory_equal(c1.sel, c2.sel, sizeof c1.sel);
    assert_true(c1.objective == c2.objective);
    pf_sim_free(s1);
    pf_sim_free(s2);
    pf_free(p);
}

/* A pool that raises each bid's price by 1,000: on aligned trials the
 * change in gain is exactly −1,000 in every trial, correlated (reordered)
 * initiative included; a misaligned trial would show the price's sd. */
static void test_pool_alignment(void **state)
{
    (void)state;
    /* constant prices (a unit is added to a number), random change orders */
    write_bid("px", "500000\n      change_orders: {count_mean: 3, cost: {dist: gamma, mean: 30000, sd: 20000}}");
    write_bid("py", "700000\n      change_orders: {count_mean: 2, cost: {dist: gamma, mean: 50000, sd: 30000}}");
    write_bid("a", "400000");
    write_file("pool.yaml", "capmix: 1\nportfolio: pool\nseed: 8\ntrials: 4000\nbudget: 1e7\n"
                            "initiatives:\n"
                            "  - {name: x, scenario: px.yaml, value: {dist: uniform, min: 0, max: 1e6}}\n"
                            "  - {name: y, scenario: py.yaml, value: 900000}\n"
                            "  - {name: a, scenario: a.yaml, value: 100}\n"
                            "correlations:\n  - {between: [x, y], rank: 0.7}\n"
                            "pools:\n  - name: price\n    unit: 1000\n    draws:\n"
                            "      x: bid.fixed_bid.price\n      y: bid.fixed_bid.price\n"
                            "      a: bid.fixed_bid.price\n");
    pf_portfolio *p = load("pool.yaml");
    assert_int_equal(p->npools, 1);
    assert_int_equal(p->pools[0].ndraws, 3);
    assert_near(p->pools[0].draws[2].base, 400000, 0);
    pf_sim *s;
    diag d;
    diag_clear(&d);
    assert_int_equal(pf_simulate(p, p->seed, p->trials, 2, &s, &d), 0);
    assert_non_null(s->perm[0]);
    double mean[3], se[3], pfirst[3], flip;
    int top;
    int sel[3] = {1, 1, 0}; /* a not funded: its draw does not apply */
    assert_int_equal(pf_pool_margins(p, s, &p->pools[0], sel, 2, mean, se, pfirst, &top, &flip, &d), 0);
    for (int k = 0; k < 2; k++) {
        assert_near(mean[k], -1000, 1e-6);
        assert_near(se[k], 0, 1e-6);
    }
    assert_true(isnan(mean[2]));
    assert_int_equal(top, 0);
    assert_near(flip, 0, 0);
    pf_sim_free(s);
    pf_free(p);
}

static void test_wilson(void **state)
{
    (void)state;
    double lo, hi;
    /* 10 of 100 at z = 1.96: the textbook interval 0.0552 to 0.1744 */
    pf_wilson(10, 100, 1.959963984540054, &lo, &hi);
    assert_near(lo, 0.0552, 5e-5);
    assert_near(hi, 0.1744, 5e-5);
    pf_wilson(0, 50, 1.959963984540054, &lo, &hi);
    assert_near(lo, 0, 1e-15);
    assert_true(hi > 0.05 && hi < 0.1);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_brute_force),
        cmocka_unit_test(test_out_of_sample),
        cmocka_unit_test(test_nested_cuts),
        cmocka_unit_test(test_knapsack_by_hand),
        cmocka_unit_test(test_correlation),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_pool_alignment),
        cmocka_unit_test(test_wilson),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
