/*
 * envelope — envelopes, stop-loss figures and the monthly review.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>


#include "decision.h"
#include "engine.h"
#include "rng.h"
#include "envelope.h"
#include "dates.h"
#include "json.h"
#include "stats.h"
#include "textesc.h"

static const double env_levels[ENV_LEVELS] = {0.80, 0.90, 0.95};

/* The p-quantile with its distribution-free 90 % interval. */
env_quantile env_quantile_ci(const double *sorted, size_t n, double p)
{
    env_quantile q = {p, NAN, NAN, NAN};
    if (n == 0)
        return q;
    q.value = stats_quantile_sorted(sorted, n, p);
    stats_quantile_ci(sorted, n, p, 0.9, &q.lo, &q.hi);
    return q;
}

/* Per-trial influence of the ratio E[x]/E[y] (delta method): the SE of a
 * difference of two ratios on the same trials is the sd of the difference
 * of their influences over sqrt(n). */
static double ratio_gain_se(const double *x1, const double *y1, const double *x2, const double *y2,
                            size_t n)
{
    double sx1 = 0, sy1 = 0, sx2 = 0, sy2 = 0;
    for (size_t t = 0; t < n; t++)
        sx1 += x1[t], sy1 += y1[t], sx2 += x2[t], sy2 += y2[t];
    if (n < 2 || sy1 <= 0 || sy2 <= 0)
        return NAN;
    double R1 = sx1 / sy1, R2 = sx2 / sy2, m1 = sy1 / (double)n, m2 = sy2 / (double)n;
    double sum = 0, sq = 0;
    for (size_t t = 0; t < n; t++) {
        double z = (x1[t] - R1 * y1[t]) / m1 - (x2[t] - R2 * y2[t]) / m2;
        sum += z;
        sq += z * z;
    }
    double mean = sum / (double)n, v = (sq - (double)n * mean * mean) / (double)(n - 1);
    return sqrt((v > 0 ? v : 0) / (double)n);
}

int env_rule_figures(const report *rep, size_t a, const sl_rule *r, double envelope, env_rule *o,
                     diag *d)
{
    const scn_scenario *s = rep->s;
    const eng_results *res = rep->r;
    size_t n = (size_t)res->trials, M = (size_t)res->months;
    const double *mc = res->month_cost + a * M * n, *ma = res->month_accepted + a * M * n,
                 *ms = res->month_stop_cost + a * M * n;
    const double *total = eng_metric_data(res, a, M_COST_TOTAL),
                 *blended = eng_metric_data(res, a, M_BLENDED_COST),
                 *delivered = eng_metric_data(res, a, M_DELIVERED),
                 *accepted = eng_metric_data(res, a, M_ACCEPTED),
                 *day = eng_metric_data(res, a, M_DELIVERY_DAY);
    double H = s->work.horizon_days, dpm = s->cal.days_per_month;
    int backlog = s->work.outcomes > 0;
    memset(o, 0, sizeof *o);
    o->rule = r;
    o->fallback = -1;
    if (r->then_name[0] && (o->fallback = scn_find_alt(s, r->then_name)) < 0)
        return diag_input(d, s->file, r->then_line, r->then_col,
                          "stop-loss rule '%s' hands its scope to '%s', which this run left out", r->name,
                          r->then_name);
    /* with-rule paths: blended, accepted, and the stop months */
    double *bw_t = malloc(3 * n * sizeof *bw_t);
    gsl_rng *fr = o->fallback >= 0 ? gsl_rng_alloc(rng_xoshiro256ss) : NULL;
    eng_scratch *sc = o->fallback >= 0 ? eng_scratch_new() : NULL;
    char stream[2 * SCN_NAME_MAX + 16];
    snprintf(stream, sizeof stream, "stop-loss:%s/%s", s->alts[a].name, r->name);
    if (!bw_t || (o->fallback >= 0 && (!fr || !sc))) {
        free(bw_t);
        gsl_rng_free(fr);
        eng_scratch_free(sc);
        return diag_runtime(d, "out of memory");
    }
    double *acc_t = bw_t + n, *months = bw_t + 2 * n;
    double sw = 0, swo = 0, bw = 0, bwo = 0, loss = 0, dw = 0, dwo = 0, aw = 0, awo = 0;
    uint64_t seeded = UINT64_MAX;
    for (size_t t = 0; t < n; t++) {
        sl_path p = {(int)M, mc + t, ma + t, n, day[t], delivered[t] > 0.5};
        int m = sl_fire_month(r, &p, dpm, H, s->work.outcomes, envelope);
        double cw = total[t], bl = blended[t], dv = delivered[t], acc = accepted[t];
        if (m) {
            double t0 = m * dpm, got = ma[(size_t)(m - 1) * n + t];
            cw = ms[(size_t)(m - 1) * n + t];
            acc = got;
            dv = 0;
            double end = H;
            long long left = s->work.outcomes - (long long)got;
            if (o->fallback >= 0 && left > 0) {
                uint64_t b = t / ENG_BLOCK;
                if (b != seeded) {
                    uint64_t key = rng_stream_key(s->seed, RNG_DOMAIN_ALT, stream, b);
                    rng_seed_stream(fr, key);
                    eng_scratch_seed(sc, key);
                    seeded = b;
                }
                eng_work_draw w = {res->cod_per_day[t], res->target_day[t], res->senior_rate[t],
                                   res->pm_rate[t], NULL};
                double f[M_COUNT];
                if (eng_takeover(s, (size_t)o->fallback, &w, fr, sc, left, t0, f)) {
                    free(bw_t);
                    gsl_rng_free(fr);
                    eng_scratch_free(sc);
                    return diag_runtime(d, "out of memory");
                }
                cw += f[M_COST_TOTAL];
                acc += f[M_ACCEPTED];
                dv = f[M_DELIVERED];
                end = f[M_DELIVERY_DAY];
            }
            bl = cw + (backlog ? met_delay(end, res->target_day[t], res->cod_per_day[t]) : 0);
            loss += total[t] - cw;
            months[o->n_stopped++] = m;
            if (delivered[t] > 0.5 && total[t] <= envelope)
                o->false_stops++;
        }
        bw_t[t] = bl;
        acc_t[t] = acc;
        sw += cw;
        swo += total[t];
        bw += bl;
        bwo += blended[t];
        dw += dv;
        dwo += delivered[t];
        aw += acc;
        awo += accepted[t];
    }
    gsl_rng_free(fr);
    eng_scratch_free(sc);
    double N = (double)n;
    o->p_stop = (double)o->n_stopped / N;
    o->spend_with = sw / N;
    o->spend_without = swo / N;
    o->blended_with = bw / N;
    o->blended_without = bwo / N;
    o->delivered_with = dw / N;
    o->delivered_without = dwo / N;
    o->accepted_with = aw / N;
    o->accepted_without = awo / N;
    o->bpa_with = aw > 0 ? bw / aw : INFINITY;
    o->bpa_without = awo > 0 ? bwo / awo : INFINITY;
    o->loss_avoided = o->n_stopped ? loss / (double)o->n_stopped : NAN;
    o->median_month = NAN;
    if (o->n_stopped) {
        stats_sort(months, o->n_stopped);
        o->median_month = stats_quantile_sorted(months, o->n_stopped, 0.5);
    }
    /* Spending less by delivering less is not a saving: a rule that
     * delivers fewer outcomes is judged per accepted outcome. */
    o->per_outcome = o->accepted_with < o->accepted_without * (1 - 1e-12);
    if (o->per_outcome) {
        o->gain = o->bpa_without - o->bpa_with;
        o->gain_se = ratio_gain_se(blended, accepted, bw_t, acc_t, n);
    } else {
        stats_paired pd;
        stats_paired_diff(blended, bw_t, n, &pd);
        o->gain = o->blended_without - o->blended_with;
        o->gain_se = pd.se;
    }
    free(bw_t);
    return 0;
}

/* Gains in different units (money, money per outcome) compare as shares. */
static double rel_gain(const env_rule *r)
{
    return r->gain / (r->per_outcome ? r->bpa_without : r->blended_without);
}

/* "then hand the rest to 'X'" or "then abandon the rest". */
static const char *then_text(char *b, size_t n, const report *rep, const env_rule *r)
{
    if (r->fallback >= 0)
        snprintf(b, n, "then '%s' takes over the outcomes still required", rep->s->alts[r->fallback].name);
    else
        snprintf(b, n, "then the outcomes still required are abandoned");
    return b;
}

int env_actuals_check(const scn_scenario *s, const env_actuals *ac, size_t *alt, diag *d)
{
    size_t a = s->baseline;
    if (ac->alternative) {
        int i = scn_find_alt(s, ac->alternative);
        char hint[96];
        if (i < 0)
            return diag_input(d, NULL, 0, 0, "--alternative: '%s' is not an alternative of %s%s",
                              ac->alternative, s->file, scn_alt_hint(s, ac->alternative, hint, sizeof hint));
        a = (size_t)i;
    }
    const scn_alternative *al = &s->alts[a];
    if (al->kind != ALT_MIX)
        return diag_input(d, s->file, al->line, al->col,
                          "alternative '%s' is a fixed bid: a review follows a capacity mix (--alternative NAME)",
                          al->name);
    double t0 = ac->month * s->cal.days_per_month;
    if (t0 >= s->work.horizon_days)
        return diag_input(d, NULL, 0, 0, "--month %d ends on day %g, at or past the horizon (%g days): nothing is left to review",
                          ac->month, t0, s->work.horizon_days);
    if (s->work.outcomes > 0 && ac->accepted > (double)s->work.outcomes)
        return diag_input(d, NULL, 0, 0, "--actuals: accepted=%g is more than the %lld outcomes the work needs",
                          ac->accepted, s->work.outcomes);
    /* superseded items that are not replaced leave the scope: how many
     * there were cannot be guessed */
    if (s->work.outcomes > 0 && !s->work.replace_superseded && isnan(ac->superseded))
        return diag_input(d, NULL, 0, 0, "--actuals needs superseded=COUNT: the scenario does not replace "
                                         "superseded items, so the outcomes still required depend on it");
    *alt = a;
    return 0;
}

/* The review (model §18.42): the totals as a ledger, then track's
 * re-forecast of the alternative at confidence c. */
static int review_build(const report *rep, const env_actuals *ac, double c, trk_report **out, diag *d)
{
    const scn_scenario *s = rep->s;
    size_t a;
    if (env_actuals_check(s, ac, &a, d))
        return -1;
    size_t ns = s->alts[a].nsources;
    double *cnt = calloc(3 * ns, sizeof *cnt);
    trk_report *r = calloc(1, sizeof *r);
    ldg_ledger *l = NULL;
    int rc = -1;
    if (!cnt || !r) {
        diag_runtime(d, "out of memory");
        goto out;
    }
    uint64_t trials = rep->r->trials < 100000 ? rep->r->trials : 100000;
    if (trk_split_totals(s, a, ac->month, ac->accepted, ac->rework, ac->superseded, cnt, cnt + ns,
                         cnt + 2 * ns, d) ||
        ldg_from_totals("--actuals", &s->alts[a], ac->month, ac->spent, cnt, cnt + ns, cnt + 2 * ns,
                        isnan(ac->rework) || isnan(ac->superseded), &l, d) ||
        trk_build(s, a, l, trials, ac->threads, c, r, d))
        goto out;
    *out = r;
    r = NULL;
    rc = 0;
out:
    ldg_free(l);
    free(cnt);
    free(r);
    return rc;
}

void env_free(env_report *er)
{
    if (!er)
        return;
    for (size_t a = 0; er->alts && a < er->nalts; a++)
        free(er->alts[a].rules);
    free(er->alts);
    free(er->sentence);
    if (er->review) {
        trk_report_release(er->review);
        free(er->review);
    }
    free(er);
}

int env_build(const report *rep, double c, const env_actuals *ac, env_report **out, diag *d)
{
    int review_month = ac ? ac->month : 0;
    const scn_scenario *s = rep->s;
    const eng_results *res = rep->r;
    size_t n = (size_t)res->trials;
    *out = NULL;
    if (!res->months)
        return diag_runtime(d, "the envelope needs month-end snapshots, which this run did not keep");
    env_report *er = calloc(1, sizeof *er);
    double *sorted = malloc(n * sizeof *sorted);
    if (er) {
        er->alts = calloc(s->nalts, sizeof *er->alts);
        er->sentence = calloc(s->nalts, sizeof *er->sentence);
    }
    if (!er || !er->alts || !er->sentence || !sorted) {
        free(sorted);
        env_free(er);
        return diag_runtime(d, "out of memory");
    }
    er->c = c;
    er->nalts = s->nalts;
    for (size_t a = 0; a < s->nalts; a++) {
        env_alt *ea = &er->alts[a];
        stats_summary st;
        stats_summarise(eng_metric_data(res, a, M_COST_TOTAL), n, sorted, &st);
        for (int l = 0; l < ENV_LEVELS; l++)
            ea->total[l] = env_quantile_ci(sorted, st.n, env_levels[l]);
        ea->at_c_total = env_quantile_ci(sorted, st.n, c);
        stats_summarise(eng_metric_data(res, a, M_BLENDED_COST), n, sorted, &st);
        for (int l = 0; l < ENV_LEVELS; l++)
            ea->blended[l] = env_quantile_ci(sorted, st.n, env_levels[l]);
        ea->at_c_blended = env_quantile_ci(sorted, st.n, c);
        ea->best_rule = -1;
        const scn_alternative *alt = &s->alts[a];
        if (alt->nrules) {
            ea->rules = calloc(alt->nrules, sizeof *ea->rules);
            if (!ea->rules) {
                free(sorted);
                env_free(er);
                return diag_runtime(d, "out of memory");
            }
            ea->nrules = alt->nrules;
            for (size_t k = 0; k < alt->nrules; k++) {
                if (env_rule_figures(rep, a, &alt->rules[k], ea->at_c_total.value, &ea->rules[k], d)) {
                    free(sorted);
                    env_free(er);
                    return -1;
                }
                /* Best: the largest gain that Monte Carlo noise cannot
                 * explain (more than 2 SE); none is a valid answer. */
                const env_rule *rk = &ea->rules[k];
                if (rk->gain > 2 * rk->gain_se &&
                    (ea->best_rule < 0 || rel_gain(rk) > rel_gain(&ea->rules[ea->best_rule])))
                    ea->best_rule = (int)k;
            }
        }
    }
    if (review_month > 0) {
        er->rework_imputed = isnan(ac->rework);
        er->superseded_imputed = isnan(ac->superseded);
    }
    if (review_month > 0 && review_build(rep, ac, c, &er->review, d)) {
        free(sorted);
        env_free(er);
        return -1;
    }
    free(sorted);
    /* the sentences: the baseline's envelope, and each alternative with rules */
    char m1[64], m2[64], m3[64];
    for (size_t a = 0; a < s->nalts; a++) {
        const env_alt *ea = &er->alts[a];
        if (a != s->baseline && !ea->nrules)
            continue;
        char *out_s = er->sentence[er->nsentences++];
        int w = snprintf(out_s, 512, "Recommended envelope for '%s': %s (P%.0f of total cost; 90%% interval %s to %s)",
                         s->alts[a].name, dec_money(m1, sizeof m1, ea->at_c_total.value, s->currency),
                         100 * c, dec_money(m2, sizeof m2, ea->at_c_total.lo, s->currency),
                         dec_money(m3, sizeof m3, ea->at_c_total.hi, s->currency));
        if (w < 0 || w >= 512)
            continue;
        if (ea->nrules && ea->best_rule >= 0) {
            const env_rule *br = &ea->rules[ea->best_rule];
            char th[160];
            snprintf(out_s + w, 512 - (size_t)w,
                     "; best stop-loss rule: '%s' (%s), which lowers the expected %s from %s to %s "
                     "(fires in %.1f%% of trials, %.1f%% of its stops false)",
                     br->rule->name, then_text(th, sizeof th, rep, br),
                     br->per_outcome ? "blended cost per accepted outcome" : "blended cost",
                     dec_money(m1, sizeof m1, br->per_outcome ? br->bpa_without : br->blended_without, s->currency),
                     dec_money(m2, sizeof m2, br->per_outcome ? br->bpa_with : br->blended_with, s->currency),
                     100 * br->p_stop,
                     br->n_stopped ? 100.0 * (double)br->false_stops / (double)br->n_stopped : 0.0);
        } else if (ea->nrules) {
            snprintf(out_s + w, 512 - (size_t)w,
                     "; no stop-loss rule improves on running without one by more than Monte Carlo noise "
                     "(judged on blended cost per accepted outcome, or on blended cost when the rule's "
                     "fallback delivers the scope)");
        }
    }
    *out = er;
    return 0;
}

void env_print(FILE *fp, const report *rep, const env_report *er)
{
    const scn_scenario *s = rep->s;
    const char *cur = s->currency;
    char b[6][48];
    char shown[600]; /* the path as given: printable (textesc.h) */
    fprintf(fp, "capmix %s  %s  (%s, sha256 %s)\n", rep->meta.version, s->name,
            txt_term(shown, sizeof shown, s->file), s->sha256);
    fprintf(fp, "seed %llu, %llu trials; envelope confidence %.0f%%; intervals are 90%% "
                "(order statistics)\n",
            (unsigned long long)s->seed, (unsigned long long)rep->r->trials, 100 * er->c);
    warn_print(fp, &s->warnings);
    for (size_t a = 0; a < s->nalts; a++) {
        const env_alt *ea = &er->alts[a];
        fprintf(fp, "\n== %s%s\n", s->alts[a].name, a == s->baseline ? "  [baseline]" : "");
        fprintf(fp, "  %-14s", "envelope");
        for (int l = 0; l < ENV_LEVELS; l++)
            fprintf(fp, " %23s", l == 0 ? "P80 [90% interval]" : l == 1 ? "P90 [90% interval]" : "P95 [90% interval]");
        fputc('\n', fp);
        for (int k = 0; k < 2; k++) {
            const env_quantile *q = k ? ea->blended : ea->total;
            fprintf(fp, "  %-14s", k ? "blended cost" : "total cost");
            for (int l = 0; l < ENV_LEVELS; l++) {
                char cell[96];
                snprintf(cell, sizeof cell, "%s [%s-%s]", dec_money(b[0], 48, q[l].value, cur),
                         dec_money(b[1], 48, q[l].lo, cur), dec_money(b[2], 48, q[l].hi, cur));
                fprintf(fp, " %23s", cell);
            }
            fputc('\n', fp);
        }
        for (size_t k = 0; k < ea->nrules; k++) {
            const env_rule *r = &ea->rules[k];
            fprintf(fp, "  stop-loss '%s': fires in %.1f%% of trials", r->rule->name, 100 * r->p_stop);
            if (r->n_stopped)
                fprintf(fp, " (median month %s)", report_fmt(b[0], 48, r->median_month, 1));
            char th[160];
            fprintf(fp, "; %s\n    with / without the rule: expected spend %s / %s; accepted %.2f / %.2f; "
                        "delivered %.1f%% / %.1f%%; blended %s / %s; blended per accepted outcome %s / %s",
                    then_text(th, sizeof th, rep, r),
                    dec_money(b[1], 48, r->spend_with, cur), dec_money(b[2], 48, r->spend_without, cur),
                    r->accepted_with, r->accepted_without, 100 * r->delivered_with, 100 * r->delivered_without,
                    dec_money(b[3], 48, r->blended_with, cur), dec_money(b[4], 48, r->blended_without, cur),
                    dec_money(b[0], 48, r->bpa_with, cur), dec_money(b[5], 48, r->bpa_without, cur));
            fprintf(fp, "\n    gain in %s: %s ± %s%s", r->per_outcome ? "blended cost per accepted outcome" : "blended cost",
                    dec_money(b[1], 48, r->gain, cur), dec_money(b[2], 48, r->gain_se, cur),
                    r->gain > 2 * r->gain_se ? "" : " (not more than 2 SE: no improvement)");
            if (r->n_stopped)
                fprintf(fp, "; loss avoided per stop %s; false stops %zu (%.1f%% of stops)",
                        dec_money(b[5], 48, r->loss_avoided, cur), r->false_stops,
                        100.0 * (double)r->false_stops / (double)r->n_stopped);
            fputc('\n', fp);
        }
    }
    if (er->review) {
        const trk_report *r = er->review;
        fprintf(fp, "\n== review at month %d of '%s' (re-forecast from the actuals, as capmix track): spent %s, %g accepted, %.4g rework, %.4g superseded%s\n",
                r->month, s->alts[r->a].name, dec_money(b[0], 48, r->spent, cur), r->accepted, r->rework,
                r->superseded,
                er->rework_imputed && er->superseded_imputed ? " (rework and superseded imputed at the prior outcome mix)"
                : er->rework_imputed                         ? " (rework imputed at the prior outcome mix)"
                : er->superseded_imputed                     ? " (superseded imputed at the prior outcome mix)"
                                                             : "");
        trk_print_review(fp, r);
    }
    dates_quarter_table(fp, rep);
    fputc('\n', fp);
    for (int i = 0; i < er->nsentences; i++)
        fprintf(fp, "%s.\n", er->sentence[i]);
}

static void json_q(json_writer *w, const env_quantile *q)
{
    json_obj_begin(w);
    json_key(w, "p"), json_num(w, q->p);
    json_key(w, "value"), json_num(w, q->value);
    json_key(w, "ci90"), json_arr_begin(w), json_num(w, q->lo), json_num(w, q->hi), json_arr_end(w);
    json_obj_end(w);
}

void env_json(json_writer *w, const report *rep, const env_report *er)
{
    const scn_scenario *s = rep->s;
    json_obj_begin(w);
    json_key(w, "confidence"), json_num(w, er->c);
    json_key(w, "alternatives"), json_arr_begin(w);
    for (size_t a = 0; a < s->nalts; a++) {
        const env_alt *ea = &er->alts[a];
        json_obj_begin(w);
        json_key(w, "name"), json_str(w, s->alts[a].name);
        json_key(w, "cost_total"), json_arr_begin(w);
        for (int l = 0; l < ENV_LEVELS; l++)
            json_q(w, &ea->total[l]);
        json_arr_end(w);
        json_key(w, "blended_cost"), json_arr_begin(w);
        for (int l = 0; l < ENV_LEVELS; l++)
            json_q(w, &ea->blended[l]);
        json_arr_end(w);
        json_key(w, "envelope"), json_q(w, &ea->at_c_total);
        json_key(w, "envelope_blended"), json_q(w, &ea->at_c_blended);
        json_key(w, "stop_loss"), json_arr_begin(w);
        for (size_t k = 0; k < ea->nrules; k++) {
            const env_rule *r = &ea->rules[k];
            json_obj_begin(w);
            json_key(w, "name"), json_str(w, r->rule->name);
            json_key(w, "p_stop"), json_num(w, r->p_stop);
            json_key(w, "n_stopped"), json_u64(w, r->n_stopped);
            json_key(w, "median_month"), json_num(w, r->median_month);
            json_key(w, "spend_with"), json_num(w, r->spend_with);
            json_key(w, "spend_without"), json_num(w, r->spend_without);
            json_key(w, "blended_with"), json_num(w, r->blended_with);
            json_key(w, "blended_without"), json_num(w, r->blended_without);
            json_key(w, "loss_avoided_per_stop"), json_num(w, r->loss_avoided);
            json_key(w, "false_stops"), json_u64(w, r->false_stops);
            json_key(w, "then");
            if (r->fallback >= 0)
                json_str(w, s->alts[r->fallback].name);
            else
                json_str(w, "abandon");
            json_key(w, "delivered_with"), json_num(w, r->delivered_with);
            json_key(w, "delivered_without"), json_num(w, r->delivered_without);
            json_key(w, "accepted_with"), json_num(w, r->accepted_with);
            json_key(w, "accepted_without"), json_num(w, r->accepted_without);
            json_key(w, "blended_per_accepted_with"), json_num(w, r->bpa_with);
            json_key(w, "blended_per_accepted_without"), json_num(w, r->bpa_without);
            json_key(w, "criterion"), json_str(w, r->per_outcome ? "blended_per_accepted" : "blended_cost");
            json_key(w, "gain"), json_num(w, r->gain);
            json_key(w, "gain_se"), json_num(w, r->gain_se);
            json_obj_end(w);
        }
        json_arr_end(w);
        json_key(w, "best_rule");
        if (ea->best_rule >= 0)
            json_str(w, ea->rules[ea->best_rule].rule->name);
        else
            json_null(w);
        json_obj_end(w);
    }
    json_arr_end(w);
    if (er->review) {
        /* the actuals as given, then the re-forecast as track writes it */
        const trk_report *r = er->review;
        json_key(w, "actuals"), json_obj_begin(w);
        json_key(w, "alternative"), json_str(w, s->alts[r->a].name);
        json_key(w, "month"), json_int(w, r->month);
        json_key(w, "spent"), json_num(w, r->spent);
        json_key(w, "accepted"), json_num(w, r->accepted);
        json_key(w, "rework"), json_num(w, r->rework);
        json_key(w, "superseded"), json_num(w, r->superseded);
        json_key(w, "rework_imputed"), json_bool(w, er->rework_imputed);
        json_key(w, "superseded_imputed"), json_bool(w, er->superseded_imputed);
        json_obj_end(w);
        json_key(w, "review"), json_obj_begin(w);
        trk_json(w, r);
        json_obj_end(w);
    }
    if (er->nsentences) {
        /* the sponsor's answer: the baseline's envelope and its best rule */
        json_key(w, "answer"), json_obj_begin(w);
        size_t first = 0; /* the alternative of the first sentence */
        while (first < s->nalts && first != s->baseline && !er->alts[first].nrules)
            first++;
        json_key(w, "alternative"), json_str(w, s->alts[first < s->nalts ? first : s->baseline].name);
        json_key(w, "metric"), json_str(w, "cost_total quantile at the confidence");
        json_key(w, "sentence"), json_str(w, er->sentence[0]);
        json_key(w, "reason"), json_str(w, "the envelope is the confidence quantile of total cost; stop-loss rules "
                                           "are judged on blended cost per accepted outcome, or on blended cost "
                                           "when the rule's fallback delivers the scope");
        json_obj_end(w);
    }
    json_key(w, "summary"), json_arr_begin(w);
    for (int i = 0; i < er->nsentences; i++)
        json_str(w, er->sentence[i]);
    json_arr_end(w);
    json_obj_end(w);
}
