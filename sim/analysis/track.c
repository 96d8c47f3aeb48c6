/*
 * track — the re-forecast of a running alternative (track.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "decision.h"
#include "engine.h"
#include "json.h"
#include "rng.h"
#include "stats.h"
#include "track.h"

/* Mean review wait of a source, times the overheads' mean wait factors. */
static double mean_wait(const scn_alternative *alt, const src_params *p)
{
    if (!(p->has & SRC_HAS_REVIEW_WAIT))
        return 0;
    double w = dist_mean(&p->review_wait_days);
    for (size_t i = 0; i < alt->noverheads; i++)
        w *= dist_mean(&alt->overheads[i].wait_factor);
    return w;
}

static double tp_mean_per_month(const src_params *p, const src_calendar *cal)
{
    if (p->tp == TP_OBSERVED)
        return (p->tp_items + 0.5) / p->tp_days * cal->days_per_month;
    return dist_mean(&p->tp_per_month);
}

static double acc_mean(const src_outcomes *o)
{
    if (!o->observed)
        return o->p[OC_ACCEPTED];
    return (o->p[0] + 1) / (o->p[0] + o->p[1] + o->p[2] + 3);
}

/* Per item, at a source's mean outcome mix: the expected verdicts of each
 * kind (first pass with p1, every rework pass after it with p2). */
static void verdicts_per_item(const src_draw *md, double v[OC_COUNT])
{
    double r2 = md->p2[OC_REWORK], later = r2 < 1 ? md->p1[OC_REWORK] / (1 - r2) : 0;
    v[OC_REWORK] = later;
    v[OC_ACCEPTED] = md->p1[OC_ACCEPTED] + later * md->p2[OC_ACCEPTED];
    v[OC_SUPERSEDED] = md->p1[OC_SUPERSEDED] + later * md->p2[OC_SUPERSEDED];
}

int trk_split_totals(const scn_scenario *s, size_t a, int month, double accepted, double rework,
                     double superseded, double *acc, double *rew, double *sup, diag *d)
{
    const scn_alternative *alt = &s->alts[a];
    if (alt->kind != ALT_MIX)
        return diag_input(d, s->file, alt->line, alt->col,
                          "alternative '%s' is a fixed bid: a review follows a capacity mix", alt->name);
    size_t ns = alt->nsources;
    double t0 = month * s->cal.days_per_month, w[OC_COUNT] = {0};
    /* each source's expected verdicts of each kind by t0, in acc/rew/sup */
    for (size_t i = 0; i < ns; i++) {
        src_draw md;
        src_draw_means(&alt->sources[i], &s->cal, &md);
        double until = t0 - mean_wait(alt, &alt->sources[i]);
        double passes = src_effective(&md, until > md.start ? until : md.start) * md.lambda, v[OC_COUNT];
        verdicts_per_item(&md, v);
        double per_pass = 1 + v[OC_REWORK]; /* passes per item */
        acc[i] = passes * v[OC_ACCEPTED] / per_pass;
        rew[i] = passes * v[OC_REWORK] / per_pass;
        sup[i] = passes * v[OC_SUPERSEDED] / per_pass;
        w[OC_ACCEPTED] += acc[i], w[OC_REWORK] += rew[i], w[OC_SUPERSEDED] += sup[i];
    }
    for (size_t i = 0; i < ns; i++) {
        /* no source expected any by t0: an even split */
        acc[i] = w[OC_ACCEPTED] > 0 ? accepted * acc[i] / w[OC_ACCEPTED] : accepted / (double)ns;
        rew[i] = isnan(rework) ? 0 : w[OC_REWORK] > 0 ? rework * rew[i] / w[OC_REWORK] : rework / (double)ns;
        sup[i] = isnan(superseded) ? 0
                 : w[OC_SUPERSEDED] > 0 ? superseded * sup[i] / w[OC_SUPERSEDED] : superseded / (double)ns;
        if (isnan(rework) || isnan(superseded)) {
            /* imputed from the source's accepted count at its outcome mix
             * per item, which does not depend on how long it has run */
            src_draw md;
            double v[OC_COUNT];
            src_draw_means(&alt->sources[i], &s->cal, &md);
            verdicts_per_item(&md, v);
            if (isnan(rework))
                rew[i] = v[OC_ACCEPTED] > 0 ? acc[i] * v[OC_REWORK] / v[OC_ACCEPTED] : 0;
            if (isnan(superseded))
                sup[i] = v[OC_ACCEPTED] > 0 ? acc[i] * v[OC_SUPERSEDED] / v[OC_ACCEPTED] : 0;
        }
    }
    return 0;
}

int trk_model_init(const scn_scenario *s, size_t a, const trk_state *st, trk_model *m, diag *d)
{
    memset(m, 0, sizeof *m);
    const scn_alternative *alt = &s->alts[a];
    if (alt->kind != ALT_MIX)
        return diag_input(d, s->file, alt->line, alt->col,
                          "alternative '%s' is a fixed bid: track follows a capacity mix", alt->name);
    const src_calendar *cal = &s->cal;
    m->t0 = st->month * cal->days_per_month;
    if (m->t0 >= s->work.horizon_days)
        return diag_input(d, NULL, 0, 0, "month %d ends on day %g, at or past the horizon (%g days): nothing is left to forecast",
                          st->month, m->t0, s->work.horizon_days);
    m->src = calloc(alt->nsources, sizeof *m->src);
    if (!m->src)
        return diag_runtime(d, "out of memory");
    double acc = 0, sup = 0;
    for (size_t i = 0; i < alt->nsources; i++) {
        src_params *p = &m->src[i];
        *p = alt->sources[i]; /* borrows the dists */
        double A = st->accepted[i], R = st->rework[i], S = st->superseded[i], N = A + R + S;
        acc += A;
        sup += S;
        if (i < 8) {
            m->prior_tp[i] = tp_mean_per_month(p, cal);
            m->prior_acc[i] = acc_mean(&p->outcomes);
        }
        /* exposure: the source's effective days to the last verdict a pass
         * could have had by t0, in unit-effort passes */
        src_draw md;
        src_draw_means(p, cal, &md);
        double until = m->t0 - mean_wait(alt, p);
        double E = src_effective(&md, until > md.start ? until : md.start);
        double W = N - R + R * dist_mean(&p->rework_effort);
        double expo = N > 0 && W > 0 ? E * N / W : E;
        if (p->tp == TP_PER_MONTH && !dist_is_const(&p->tp_per_month)) {
            double mu = dist_mean(&p->tp_per_month) / cal->days_per_month,
                   sd = dist_sd(&p->tp_per_month) / cal->days_per_month;
            if (mu > 0 && sd > 0) {
                p->tp = TP_OBSERVED;
                p->tp_items = mu * mu / (sd * sd) - 0.5;
                p->tp_days = mu / (sd * sd);
            }
        }
        if (p->tp == TP_OBSERVED && st->mix_observed && expo > 0) {
            p->tp_items += N;
            p->tp_days += expo;
        } else if (p->tp == TP_OBSERVED && !st->mix_observed) {
            /* only the accepted count was observed (model §18.42): A ~
             * Poisson(λ·q·E), q the accepted outcomes per unit-effort pass
             * at the prior outcome mix, so the update is thinned */
            double v[OC_COUNT];
            verdicts_per_item(&md, v);
            double q = v[OC_ACCEPTED] / (1 + v[OC_REWORK] * dist_mean(&p->rework_effort));
            if (E > 0 && q > 0) {
                p->tp_items += A;
                p->tp_days += q * E;
            }
        }
        if (p->outcomes.observed && st->mix_observed) {
            p->outcomes.p[OC_ACCEPTED] += A;
            p->outcomes.p[OC_REWORK] += R;
            p->outcomes.p[OC_SUPERSEDED] += S;
        }
        /* the copula's coordinates do not apply to the remainder */
        memset(p->cslot, 0, sizeof p->cslot);
        if (i < 8) {
            m->post_tp[i] = tp_mean_per_month(p, cal);
            m->post_acc[i] = acc_mean(&p->outcomes);
        }
    }
    if (s->work.outcomes > 0 && acc > (double)s->work.outcomes + 0.5)
        return diag_input(d, NULL, 0, 0, "the actuals accept %g outcomes by month %d, more than the %lld the work needs",
                          acc, st->month, s->work.outcomes);
    m->alt = *alt;
    m->alt.sources = m->src;
    m->s = *s;
    m->s.alts = &m->alt;
    m->s.nalts = 1;
    m->s.baseline = 0;
    m->s.corr.k = 0;
    m->a = a;
    m->spent = st->spent;
    /* run-rate mode has no scope: the remainder runs to the horizon */
    m->required = s->work.outcomes == 0 ? 0
                                        : s->work.outcomes - (long long)llround(acc) -
                                              (s->work.replace_superseded ? 0 : (long long)llround(sup));
    return 0;
}

void trk_model_release(trk_model *m)
{
    free(m->src);
    m->src = NULL;
}

void trk_draws_release(trk_draws *t)
{
    free(t->cost);
    memset(t, 0, sizeof *t);
}

int trk_simulate(const trk_model *m, uint64_t n, uint64_t seed, trk_draws *o, diag *d)
{
    memset(o, 0, sizeof *o);
    o->cost = malloc(4 * (size_t)n * sizeof *o->cost);
    gsl_rng *wr = gsl_rng_alloc(rng_xoshiro256ss), *ar = gsl_rng_alloc(rng_xoshiro256ss);
    eng_scratch *sc = eng_scratch_new();
    int rc = 0;
    if (!o->cost || !wr || !ar || !sc) {
        rc = diag_runtime(d, "out of memory");
        goto out;
    }
    o->n = (size_t)n;
    o->blended = o->cost + n;
    o->day = o->cost + 2 * n;
    o->delivered = o->cost + 3 * n;
    const scn_scenario *s = &m->s;
    char stream[SCN_NAME_MAX + 8];
    snprintf(stream, sizeof stream, "track:%s", m->alt.name);
    int backlog = s->work.outcomes > 0;
    for (uint64_t t = 0; t < n; t++) {
        if (t % ENG_BLOCK == 0) {
            rng_seed_stream(wr, rng_stream_key(seed, RNG_DOMAIN_WORK, stream, t / ENG_BLOCK));
            uint64_t key = rng_stream_key(seed, RNG_DOMAIN_ALT, stream, t / ENG_BLOCK);
            rng_seed_stream(ar, key);
            eng_scratch_seed(sc, key);
        }
        eng_work_draw w = {0};
        eng_draw_work(s, wr, &w);
        if (backlog && m->required <= 0) { /* the scope is accepted already */
            o->cost[t] = m->spent;
            o->day[t] = m->t0;
            o->delivered[t] = 1;
            o->blended[t] = m->spent + met_delay(m->t0, w.target_day, w.cod_per_day);
            continue;
        }
        double f[M_COUNT];
        if (eng_resume(s, 0, &w, ar, sc, m->required, m->t0, f)) {
            rc = diag_runtime(d, "out of memory");
            goto out;
        }
        o->cost[t] = m->spent + f[M_COST_TOTAL];
        o->blended[t] = o->cost[t] + f[M_DELAY_COST];
        o->day[t] = f[M_DELIVERY_DAY];
        o->delivered[t] = f[M_DELIVERED];
    }
out:
    gsl_rng_free(wr);
    gsl_rng_free(ar);
    eng_scratch_free(sc);
    if (rc)
        trk_draws_release(o);
    return rc;
}

trk_q trk_quantiles(double *x, size_t n)
{
    trk_q q = {NAN, NAN, NAN, NAN};
    if (!n)
        return q;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    stats_sort(x, n);
    q.p10 = stats_quantile_sorted(x, n, 0.1);
    q.p50 = stats_quantile_sorted(x, n, 0.5);
    q.p90 = stats_quantile_sorted(x, n, 0.9);
    q.mean = sum / (double)n;
    return q;
}

/* Fraction of the n sorted values at or below v. */
/* The share of values below v, ties counted half (the mid-rank): a count
 * the model often gives exactly is not "above its P99" for being its
 * largest value. */
static double pct_of(const double *sorted, size_t n, double v)
{
    size_t below = 0, upto = 0, hi = n;
    while (below < hi) {
        size_t mid = (below + hi) / 2;
        if (sorted[mid] < v)
            below = mid + 1;
        else
            hi = mid;
    }
    for (upto = below, hi = n; upto < hi;) {
        size_t mid = (upto + hi) / 2;
        if (sorted[mid] <= v)
            upto = mid + 1;
        else
            hi = mid;
    }
    return n ? ((double)below + 0.5 * (double)(upto - below)) / (double)n : NAN;
}

/* The model before the alternative started (same seed and streams as
 * `capmix run`): the envelope, and the spend and accepted count it
 * expected at the ledger's month. */
static int prior_check(const scn_scenario *s, size_t a, trk_report *r, uint64_t trials, int threads,
                       diag *d)
{
    scn_scenario one = *s;
    one.alts = (scn_alternative *)&s->alts[a];
    one.nalts = 1;
    one.baseline = 0;
    eng_opts o = {.trials = trials, .seed = s->seed, .threads = threads, .monthly = 1};
    eng_results *res = NULL;
    if (eng_run(&one, &o, &res, d))
        return -1;
    size_t n = (size_t)res->trials;
    double *buf = malloc(n * sizeof *buf);
    if (!buf) {
        eng_results_free(res);
        return diag_runtime(d, "out of memory");
    }
    memcpy(buf, eng_metric_data(res, 0, M_COST_TOTAL), n * sizeof *buf);
    stats_sort(buf, n);
    r->envelope = stats_quantile_sorted(buf, n, r->confidence);
    int m = r->month <= res->months ? r->month : res->months;
    memcpy(buf, res->month_cost + (size_t)(m - 1) * n, n * sizeof *buf);
    stats_sort(buf, n);
    r->spent_pct = pct_of(buf, n, r->spent);
    r->spent_p1 = stats_quantile_sorted(buf, n, 0.01);
    r->spent_p50 = stats_quantile_sorted(buf, n, 0.5);
    r->spent_p99 = stats_quantile_sorted(buf, n, 0.99);
    memcpy(buf, res->month_accepted + (size_t)(m - 1) * n, n * sizeof *buf);
    stats_sort(buf, n);
    r->acc_pct = pct_of(buf, n, r->accepted);
    r->acc_p1 = stats_quantile_sorted(buf, n, 0.01);
    r->acc_p50 = stats_quantile_sorted(buf, n, 0.5);
    r->acc_p99 = stats_quantile_sorted(buf, n, 0.99);
    free(buf);
    eng_results_free(res);
    return 0;
}

static void warn(trk_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(trk_report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    warn_vadd(&r->warnings, fmt, ap);
    va_end(ap);
}

/* The outcomes still required handed to alternative b at t0, paired with
 * the continuing forecast's work draws (the same work streams). */
static int transfer(const trk_report *r, size_t b, const double *blended_cont, trk_transfer *x, double stop,
                    diag *d)
{
    const scn_scenario *s = r->s;
    const trk_model *m = &r->model;
    size_t n = (size_t)r->trials;
    double *diff = malloc(n * sizeof *diff);
    gsl_rng *wr = gsl_rng_alloc(rng_xoshiro256ss), *ar = gsl_rng_alloc(rng_xoshiro256ss);
    eng_scratch *sc = eng_scratch_new();
    int rc = 0;
    if (!diff || !wr || !ar || !sc) {
        rc = diag_runtime(d, "out of memory");
        goto out;
    }
    char ws[SCN_NAME_MAX + 8], as[2 * SCN_NAME_MAX + 16];
    snprintf(ws, sizeof ws, "track:%s", s->alts[r->a].name);
    snprintf(as, sizeof as, "track:%s/%s", s->alts[r->a].name, s->alts[b].name);
    double sum_bl = 0, sum_delay = 0;
    for (size_t t = 0; t < n; t++) {
        if (t % ENG_BLOCK == 0) {
            rng_seed_stream(wr, rng_stream_key(s->seed, RNG_DOMAIN_WORK, ws, t / ENG_BLOCK));
            uint64_t key = rng_stream_key(s->seed, RNG_DOMAIN_ALT, as, t / ENG_BLOCK);
            rng_seed_stream(ar, key);
            eng_scratch_seed(sc, key);
        }
        eng_work_draw w = {0};
        eng_draw_work(s, wr, &w);
        double f[M_COUNT];
        if (eng_takeover(s, b, &w, ar, sc, m->required, m->t0, f)) {
            rc = diag_runtime(d, "out of memory");
            goto out;
        }
        double bl = m->spent + stop + f[M_COST_TOTAL] + f[M_DELAY_COST];
        sum_bl += bl;
        sum_delay += f[M_DELAY_COST];
        diff[t] = blended_cont[t] - bl;
    }
    x->name = s->alts[b].name;
    x->blended_mean = sum_bl / (double)n;
    double mean = 0, sq = 0;
    for (size_t t = 0; t < n; t++)
        mean += diff[t];
    mean /= (double)n;
    for (size_t t = 0; t < n; t++)
        sq += (diff[t] - mean) * (diff[t] - mean);
    x->gain = mean;
    x->gain_se = n > 1 ? sqrt(sq / (double)(n - 1) / (double)n) : NAN;
    double cont = 0;
    for (size_t t = 0; t < n; t++)
        cont += blended_cont[t];
    x->breakeven = cont / (double)n - m->spent - stop - sum_delay / (double)n;
out:
    free(diff);
    gsl_rng_free(wr);
    gsl_rng_free(ar);
    eng_scratch_free(sc);
    return rc;
}

void trk_report_release(trk_report *r)
{
    free(r->lines);
    free(r->cone);
    trk_draws_release(&r->draws);
    free(r->rules);
    free(r->xfer);
    trk_model_release(&r->model);
    memset(r, 0, sizeof *r);
}

static void advise(trk_report *r)
{
    const scn_scenario *s = r->s;
    const char *cur = s->currency, *name = s->alts[r->a].name;
    char m1[48], m2[48], m3[48];
    double c = r->confidence;
    const trk_rule *first = NULL; /* the rule that fired first; in order among ties */
    for (size_t k = 0; k < r->nrules; k++)
        if (r->rules[k].month && (!first || r->rules[k].month < first->month))
            first = &r->rules[k];
    if (first) {
        const trk_rule *u = first;
        snprintf(r->action, sizeof r->action, "%s", u->then ? "transfer" : "cut");
        if (u->then)
            snprintf(r->advice, sizeof r->advice, "transfer '%s' to '%s': its stop-loss rule '%s', decided in advance, fires on the actuals at month %d",
                     name, u->then, u->name, u->month);
        else
            snprintf(r->advice, sizeof r->advice, "cut '%s': its stop-loss rule '%s', decided in advance, fires on the actuals at month %d",
                     name, u->name, u->month);
        snprintf(r->reason, sizeof r->reason, "a stop-loss rule is the sponsor's decision taken before the spend; the forecast below is what continuing would cost");
        return;
    }
    if (r->p_within >= c) {
        snprintf(r->action, sizeof r->action, "continue");
        snprintf(r->advice, sizeof r->advice, "continue '%s': %.0f%% of re-forecasts finish within the envelope of %s (final cost P50 %s)",
                 name, 100 * r->p_within, dec_money(m1, sizeof m1, r->envelope, cur),
                 dec_money(m2, sizeof m2, r->cost.p50, cur));
        snprintf(r->reason, sizeof r->reason, "P(final cost within the envelope) %.2f is at least the confidence %.2f",
                 r->p_within, c);
        return;
    }
    if (r->best_xfer >= 0) {
        const trk_transfer *x = &r->xfer[r->best_xfer];
        snprintf(r->action, sizeof r->action, "transfer");
        snprintf(r->advice, sizeof r->advice, "transfer the %lld outcomes still required to '%s' at a break-even price of %s: expected blended cost %s against %s by continuing",
                 r->required, x->name, dec_money(m1, sizeof m1, x->breakeven, cur),
                 dec_money(m2, sizeof m2, x->blended_mean, cur), dec_money(m3, sizeof m3, r->blended.mean, cur));
        snprintf(r->reason, sizeof r->reason, "only %.0f%% of re-forecasts finish within the envelope, and handing over saves %s ± %s of blended cost (more than 2 SE); "
                 "a price for the rest above the break-even loses that saving",
                 100 * r->p_within, dec_money(m1, sizeof m1, x->gain, cur), dec_money(m2, sizeof m2, x->gain_se, cur));
        return;
    }
    if (r->p_delivered < 0.5) {
        snprintf(r->action, sizeof r->action, "cut");
        snprintf(r->advice, sizeof r->advice, "cut '%s': only %.0f%% of re-forecasts deliver the %lld outcomes still required by the horizon",
                 name, 100 * r->p_delivered, r->required);
        snprintf(r->reason, sizeof r->reason, "continuing most likely spends to the horizon without delivering, and no alternative takes the rest over for less");
        return;
    }
    snprintf(r->action, sizeof r->action, "increase");
    snprintf(r->advice, sizeof r->advice, "increase the envelope of '%s' to %s (the re-forecast's P%.0f; it was %s): only %.0f%% of re-forecasts finish within it",
             name, dec_money(m1, sizeof m1, r->cost_at_c, cur), 100 * c, dec_money(m2, sizeof m2, r->envelope, cur),
             100 * r->p_within);
    snprintf(r->reason, sizeof r->reason, "P(final cost within the envelope) %.2f is below the confidence %.2f, the scope is likely delivered (%.0f%%) and no alternative takes the rest over for less",
             r->p_within, c, 100 * r->p_delivered);
}

int trk_build(const scn_scenario *s, size_t a, const ldg_ledger *l, uint64_t trials, int threads,
              double confidence, trk_report *r, diag *d)
{
    memset(r, 0, sizeof *r);
    r->s = s;
    r->a = a;
    r->month = l->months;
    r->trials = trials;
    r->best_xfer = -1;
    r->start_month = -1;
    r->above_line = -1;
    r->confidence = isnan(confidence) ? s->decision.confidence : confidence;
    size_t ns = l->nsources, M = (size_t)l->months;
    double *cum = calloc(3 * ns + 2 * M, sizeof *cum);
    trk_draws dr = {0};
    if (!cum)
        return diag_runtime(d, "out of memory");
    for (size_t i = 0; i < ns; i++) {
        cum[i] = ldg_cum(l, l->accepted, i, l->months);
        cum[ns + i] = ldg_cum(l, l->rework, i, l->months);
        cum[2 * ns + i] = ldg_cum(l, l->superseded, i, l->months);
    }
    double *cs = cum + 3 * ns, *ca = cs + M;
    for (int m = 1; m <= l->months; m++) {
        cs[m - 1] = ldg_cum(l, l->spent, (size_t)-1, m);
        ca[m - 1] = ldg_cum(l, l->accepted, (size_t)-1, m);
    }
    r->spent = cs[M - 1];
    r->accepted = ca[M - 1];
    r->rework = ldg_cum(l, l->rework, (size_t)-1, l->months);
    r->superseded = ldg_cum(l, l->superseded, (size_t)-1, l->months);
    trk_state st = {l->months, r->spent, cum, cum + ns, cum + 2 * ns, !l->verdicts_imputed};
    int rc = -1;
    if (trk_model_init(s, a, &st, &r->model, d))
        goto out;
    r->t0 = r->model.t0;
    r->required = r->model.required;
    if (trk_simulate(&r->model, trials, s->seed, &dr, d))
        goto out;
    uint64_t ptrials = s->trials < 100000 ? s->trials : 100000;
    if (prior_check(s, a, r, ptrials, threads, d))
        goto out;
    /* the actuals against what the model expected at this month */
    char m1[48], m2[48], m3[48];
    const char *cur = s->currency;
    if (r->spent_pct > 0.99 || r->spent_pct < 0.01) {
        r->recalibrate = 1;
        char off[32] = ""; /* how far from the P50, when there is one to divide by */
        if (r->spent_p50 > 0)
            snprintf(off, sizeof off, ", %+.0f%% from it", 100 * (r->spent / r->spent_p50 - 1));
        warn(r, "spent %s by month %d is %s the model's P%s (%s; its P50 %s%s): the model needs recalibrating (capmix calibrate)",
             dec_money(m1, sizeof m1, r->spent, cur), r->month, r->spent_pct > 0.99 ? "above" : "below",
             r->spent_pct > 0.99 ? "99" : "1",
             dec_money(m2, sizeof m2, r->spent_pct > 0.99 ? r->spent_p99 : r->spent_p1, cur),
             dec_money(m3, sizeof m3, r->spent_p50, cur), off);
    }
    if (r->acc_pct > 0.99 || r->acc_pct < 0.01) {
        r->recalibrate = 1;
        warn(r, "%g accepted by month %d is %s the model's P%s (%g; its P50 %g): the model needs recalibrating (capmix calibrate)",
             r->accepted, r->month, r->acc_pct > 0.99 ? "above" : "below", r->acc_pct > 0.99 ? "99" : "1",
             r->acc_pct > 0.99 ? r->acc_p99 : r->acc_p1, r->acc_p50);
    }
    /* the stop-loss rules on the actuals */
    const scn_alternative *alt = &s->alts[a];
    if (alt->nrules && !(r->rules = calloc(alt->nrules, sizeof *r->rules))) {
        diag_runtime(d, "out of memory");
        goto out;
    }
    r->nrules = alt->nrules;
    for (size_t k = 0; k < alt->nrules; k++) {
        sl_path p = {l->months, cs, ca, 1, s->work.horizon_days, 0};
        /* from totals only the month-end state is known: the rule is
         * judged on it alone, not on an invented path (model §18.42) */
        sl_rule rule = alt->rules[k];
        if (l->totals_only)
            rule.every = l->months;
        r->rules[k].name = alt->rules[k].name;
        r->rules[k].then = alt->rules[k].then_name[0] ? alt->rules[k].then_name : NULL;
        r->rules[k].month = sl_fire_month(&rule, &p, s->cal.days_per_month, s->work.horizon_days,
                                          s->work.outcomes, r->envelope);
    }
    /* handing the rest over, paired with continuing */
    double stop = 0;
    for (size_t i = 0; i < alt->nsources; i++) {
        src_draw md;
        src_draw_means(&alt->sources[i], &s->cal, &md);
        stop += src_end_terms(&md, alt->sources[i].min_months, &s->cal, r->t0);
    }
    if (r->required > 0 && s->nalts > 1) {
        if (!(r->xfer = calloc(s->nalts - 1, sizeof *r->xfer))) {
            diag_runtime(d, "out of memory");
            goto out;
        }
        for (size_t b = 0; b < s->nalts; b++) {
            if (b == a)
                continue;
            trk_transfer *x = &r->xfer[r->nxfer++];
            if (transfer(r, b, dr.blended, x, stop, d))
                goto out;
            if (x->gain > 2 * x->gain_se && (r->best_xfer < 0 || x->gain > r->xfer[r->best_xfer].gain))
                r->best_xfer = (int)(r->nxfer - 1);
        }
    }
    size_t n = dr.n;
    double within = 0, del = 0;
    for (size_t t = 0; t < n; t++) {
        within += dr.cost[t] <= r->envelope;
        del += dr.delivered[t] > 0.5;
    }
    r->p_within = within / (double)n;
    r->p_delivered = del / (double)n;
    r->cost = trk_quantiles(dr.cost, n);
    r->cost_at_c = stats_quantile_sorted(dr.cost, n, r->confidence);
    r->blended = trk_quantiles(dr.blended, n);
    r->day = trk_quantiles(dr.day, n);
    advise(r);
    r->draws = dr;
    memset(&dr, 0, sizeof dr);
    rc = 0;
out:
    free(cum);
    trk_draws_release(&dr);
    if (rc) {
        diag keep = *d;
        trk_report_release(r);
        *d = keep;
    }
    return rc;
}


char *trk_month_label(const trk_report *r, int m, char *buf, size_t n)
{
    if (r->start_month < 0) {
        snprintf(buf, n, "month %d", m);
    } else {
        int k = r->start_month + m - 1;
        snprintf(buf, n, "%04d-%02d", k / 12, k % 12 + 1);
    }
    return buf;
}

int trk_lines(trk_report *r, const ldg_ledger *l, int start_month, int line, double amount, int by,
              diag *d)
{
    r->start_month = start_month;
    r->above_line = -1;
    if (start_month >= 0) {
        char day[16], why[64];
        size_t at;
        snprintf(day, sizeof day, "%04d-%02d-01", start_month / 12, start_month % 12 + 1);
        if (cal_parse_time(day, 0, &r->start_sec, &at, why, sizeof why))
            return diag_input(d, NULL, 0, 0, "--start: %s", why);
    }
    if (!l->nlines)
        return 0;
    int M = l->months, to = by > M + 6 ? by : M + 6;
    if (to > M + 48)
        to = M + 48;
    if (!(r->lines = calloc(l->nlines, sizeof *r->lines)))
        return diag_runtime(d, "out of memory");
    r->nlines = l->nlines;
    double *mm = malloc((size_t)M * sizeof *mm);
    if (!mm)
        return diag_runtime(d, "out of memory");
    for (int m = 0; m < M; m++)
        mm[m] = m + 1;
    for (size_t k = 0; k < l->nlines; k++) {
        trk_line *t = &r->lines[k];
        t->name = l->line[k];
        t->from = M;
        t->to = to;
        t->ok = cl_fit_line(mm, l->line_amount + k * (size_t)M, (size_t)M, &t->fit) == 0;
        static const double ps[3] = {0.1, 0.5, 0.9};
        for (int h = M + 1; t->ok && h <= to; h++)
            for (int j = 0; j < 3; j++)
                t->q[j][h - M - 1] = cl_quantile(&t->fit, h, ps[j]);
    }
    free(mm);
    if (line >= 0 && amount > 0) {
        const trk_line *t = &r->lines[line];
        if (!t->ok)
            return diag_input(d, l->file, 1, 1, "cost line '%s' has fewer than %d months with a positive amount: no trend to forecast from",
                              t->name, CL_MIN_MONTHS);
        if (by <= M)
            return diag_input(d, NULL, 0, 0, "--by: month %d is in the ledger already (it ends at month %d)", by, M);
        r->above_line = line;
        r->above_amount = amount;
        r->above_month = by;
        double known = 0;
        for (int m = 0; m < M; m++)
            known += l->line_amount[(size_t)line * (size_t)M + (size_t)m];
        if (cl_above_draws(&t->fit, by, amount, known, M, 20000, r->s->seed, &r->above))
            return diag_runtime(d, "out of memory");
    }
    return 0;
}

int trk_cone(trk_report *r, const ldg_ledger *l, uint64_t trials, diag *d)
{
    size_t ns = l->nsources;
    double *cum = calloc(3 * ns, sizeof *cum);
    if (!cum || !(r->cone = calloc((size_t)l->months, sizeof *r->cone))) {
        free(cum);
        return diag_runtime(d, "out of memory");
    }
    for (int m = 1; m <= l->months; m++) {
        for (size_t i = 0; i < ns; i++) {
            cum[i] = ldg_cum(l, l->accepted, i, m);
            cum[ns + i] = ldg_cum(l, l->rework, i, m);
            cum[2 * ns + i] = ldg_cum(l, l->superseded, i, m);
        }
        double spent = ldg_cum(l, l->spent, (size_t)-1, m);
        trk_state st = {m, spent, cum, cum + ns, cum + 2 * ns, !l->verdicts_imputed};
        trk_model md;
        trk_draws dr;
        if (trk_model_init(r->s, r->a, &st, &md, d)) {
            free(cum);
            return -1;
        }
        int rc = trk_simulate(&md, trials, r->s->seed, &dr, d);
        trk_model_release(&md);
        if (rc) {
            free(cum);
            return -1;
        }
        trk_q q = trk_quantiles(dr.cost, dr.n);
        r->cone[m - 1][0] = q.p10;
        r->cone[m - 1][1] = q.p50;
        r->cone[m - 1][2] = q.p90;
        r->cone[m - 1][3] = spent;
        r->ncone = m;
        trk_draws_release(&dr);
    }
    free(cum);
    return 0;
}
