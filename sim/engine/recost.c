/*
 * recost — re-booking recorded timelines (see recost.h, model §18.46).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recost.h"
#include "rng.h"

double eng_tape_bytes(size_t nsrc)
{
    return 8.0 * (ENG_TAPE_COLS + ENG_BOOKED * (double)nsrc);
}

eng_tape *eng_tape_new(uint64_t trials, size_t nsrc, eng_metric metric)
{
    eng_tape *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->trials = trials;
    t->nsrc = nsrc;
    t->metric = metric;
    t->trial = malloc((size_t)trials * ENG_TAPE_COLS * sizeof(double));
    t->src = nsrc ? malloc((size_t)trials * nsrc * ENG_BOOKED * sizeof(double)) : NULL;
    if (!t->trial || (nsrc && !t->src)) {
        eng_tape_free(t);
        return NULL;
    }
    return t;
}

void eng_tape_free(eng_tape *t)
{
    if (!t)
        return;
    free(t->trial);
    free(t->src);
    free(t);
}

void eng_tape_put(eng_tape *t, uint64_t trial, const double m[M_COUNT], const eng_scratch *sc)
{
    double *row = t->trial + (size_t)trial * ENG_TAPE_COLS;
    row[ET_END] = m[M_DELIVERY_DAY]; /* a whole run starts on day 0: its own clock */
    row[ET_ACCEPTED] = m[M_ACCEPTED];
    row[ET_DELAY] = m[M_DELAY_COST];
    row[ET_METRIC] = m[t->metric];
    for (size_t i = 0; i < t->nsrc; i++)
        eng_scratch_booked(sc, i, t->src + ((size_t)trial * t->nsrc + i) * ENG_BOOKED);
}

int eng_metric_costed(eng_metric m)
{
    return m == M_COST_DIRECT || m == M_COST_INTERNAL || m == M_COST_SUPPORT || m == M_COST_TOTAL ||
           m == M_BLENDED_COST || m == M_COST_PER_OUTCOME;
}

/* The per-pass direct cost of a source whose per-pass token charge is
 * the constant c and that has no change orders: c added once a pass, in
 * the order the engine adds it (passcost.h), so the same bits. */
static double tokens_readded(double c, double passes)
{
    double sum = 0;
    if (c != 0)
        for (double k = 0; k < passes; k++)
            sum += c;
    return sum;
}

/* As mix_trial's trial-end costing, for a trial whose draws are in d[]. */
static void cost_trial(const scn_scenario *s, const scn_alternative *alt, const src_draw *d,
                       const eng_work_draw *w, double overhead_monthly, const double *row,
                       const double *booked, double out[M_COUNT])
{
    double t_end = row[ET_END];
    double direct = overhead_monthly * t_end / s->cal.days_per_month, internal = 0, support = 0;
    for (size_t i = 0; i < alt->nsources; i++) {
        const src_params *p = &alt->sources[i];
        const double *bk = booked + i * ENG_BOOKED;
        double pass_direct = bk[0];
        if ((p->has & SRC_HAS_TOKENS) && !(p->has & SRC_HAS_CHANGE_ORDERS) && dist_is_const(&p->tok_per_item))
            pass_direct = tokens_readded(p->tok_per_item.a, bk[3]);
        src_costs c = src_time_costs(&d[i], p->min_months, &s->cal, w->senior_rate, w->pm_rate, t_end);
        direct += c.direct + pass_direct;
        internal += c.internal + bk[1];
        support += bk[2];
    }
    out[M_COST_DIRECT] = direct;
    out[M_COST_INTERNAL] = internal;
    out[M_COST_SUPPORT] = support;
    out[M_COST_TOTAL] = met_total(direct, internal, support);
    out[M_ACCEPTED] = row[ET_ACCEPTED];
    met_derive(out, row[ET_DELAY]);
}

/* The cost metrics eng_run checks, as it checks them (blocks.c). */
static int costs_ok(const double out[M_COUNT], eng_metric *bad)
{
    static const eng_metric order[] = {M_COST_DIRECT, M_COST_INTERNAL, M_COST_SUPPORT, M_COST_TOTAL,
                                       M_BLENDED_COST, M_COST_PER_OUTCOME};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        double v = out[order[k]];
        if (order[k] == M_COST_PER_OUTCOME ? isnan(v) : !isfinite(v)) {
            *bad = order[k];
            return 0;
        }
    }
    return 1;
}

int eng_recost(const scn_scenario *s, size_t a, uint64_t seed, const eng_tape *t, double *out, diag *d)
{
    const scn_alternative *alt = &s->alts[a];
    const uint64_t n = t->trials;
    gsl_rng *wr = gsl_rng_alloc(rng_xoshiro256ss), *ar = gsl_rng_alloc(rng_xoshiro256ss);
    src_draw *dr = malloc((alt->nsources ? alt->nsources : 1) * sizeof *dr);
    int rc = 0;
    if (!wr || !ar || !dr) {
        rc = diag_runtime(d, "out of memory");
        goto out;
    }
    for (uint64_t b = 0; b * ENG_BLOCK < n; b++) {
        uint64_t bt = b * ENG_BLOCK, m = n - bt < ENG_BLOCK ? n - bt : ENG_BLOCK;
        /* the work stream first, every trial of the block, as blocks.c
         * draws it; only the internal rates are read here */
        rng_seed_stream(wr, rng_stream_key(seed, RNG_DOMAIN_WORK, "", b));
        rng_seed_stream(ar, rng_stream_key(seed, RNG_DOMAIN_ALT, alt->name, b));
        for (uint64_t i = 0; i < m; i++) {
            eng_work_draw w = {.u = NULL};
            eng_draw_work(s, wr, &w);
            /* the trial's draws in mix_trial's order: sources, then
             * overheads (the event loop draws nothing from this stream) */
            for (size_t j = 0; j < alt->nsources; j++)
                src_draw_trial(&alt->sources[j], &s->cal, ar, NULL, &dr[j]);
            double overhead_monthly = 0;
            for (size_t j = 0; j < alt->noverheads; j++) {
                overhead_monthly += dist_sample(&alt->overheads[j].monthly_cost, ar);
                (void)dist_sample(&alt->overheads[j].wait_factor, ar); /* drawn: keeps the stream */
            }
            uint64_t tr = bt + i;
            double row[M_COUNT];
            cost_trial(s, alt, dr, &w, overhead_monthly, t->trial + tr * ENG_TAPE_COLS,
                       t->nsrc ? t->src + tr * t->nsrc * ENG_BOOKED : NULL, row);
            eng_metric bad;
            if (!costs_ok(row, &bad)) {
                rc = diag_runtime(d, "alternative '%s': metric '%s' is not a number in some trial (a parameter outside what the model handles); no result was written",
                                  alt->name, eng_metric_name(bad));
                goto out;
            }
            /* a metric no cost moves is the taped one; the trial is still
             * costed above, so that a cost that is not a number fails as
             * the simulation's check of every metric makes it fail */
            out[tr] = eng_metric_costed(t->metric) ? row[t->metric] : t->trial[tr * ENG_TAPE_COLS + ET_METRIC];
        }
    }
out:
    free(dr);
    gsl_rng_free(wr);
    gsl_rng_free(ar);
    return rc;
}
