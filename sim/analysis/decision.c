/*
 * decision — fixed bid against capacity mixes: the figures and the verdict.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "decision.h"
#include "json.h"
#include "numfmt.h"
#include "stats.h"
#include "textesc.h"

double dec_ce(const double *x, size_t n, double R)
{
    double mx = -INFINITY, sum = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        if (isinf(x[i]))
            return x[i] > 0 ? INFINITY : NAN;
        if (x[i] > mx)
            mx = x[i];
        sum += x[i];
        k++;
    }
    if (k == 0)
        return NAN;
    if (isinf(R))
        return sum / (double)k;
    /* mean of exp((x − max)/R) − 1, each term in (−1, 0]: no overflow for
     * small R, and expm1/log1p keep full precision for large R, where the
     * terms are all within a hair of 1 and plain log(mean) would lose it */
    double acc = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            acc += expm1((x[i] - mx) / R);
    return mx + R * log1p(acc / (double)k);
}

double dec_cvar(const double *x, size_t n, double level, double *scratch)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            scratch[m++] = x[i];
    if (m == 0)
        return NAN;
    stats_sort(scratch, m);
    size_t k = (size_t)ceil((1 - level) * (double)m - 1e-9);
    if (k < 1)
        k = 1;
    double s = 0;
    for (size_t i = m - k; i < m; i++)
        s += scratch[i];
    return s / (double)k;
}

char *dec_money(char *buf, size_t n, double v, const char *currency)
{
    return fmt_money(buf, n, v, currency);
}

typedef struct cross_ctx {
    const double *b, *m;
    size_t n;
} cross_ctx;

static double ce_gap(double logR, void *arg)
{
    const cross_ctx *c = arg;
    double R = exp(logR);
    return dec_ce(c->b, c->n, R) - dec_ce(c->m, c->n, R);
}

/* The risk tolerance at which the two certainty equivalents are equal,
 * searched from 1 % to 100× the bid's mean cost on a log grid and refined
 * with Brent, into *out; NaN when they do not cross there.  Returns 0, or
 * -1 when the solver cannot be allocated. */
static int crossing(const double *b, const double *m, size_t n, double scale, double *out)
{
    *out = NAN;
    if (!(scale > 0) || !isfinite(scale))
        return 0;
    cross_ctx c = {b, m, n};
    gsl_function fn = {ce_gap, &c};
    double lo = log(0.01 * scale), hi = log(100 * scale);
    const int steps = 40;
    double prev_x = lo, prev = ce_gap(lo, &c);
    for (int i = 1; i <= steps; i++) {
        double x = lo + (hi - lo) * i / steps, f = ce_gap(x, &c);
        if (isfinite(prev) && isfinite(f) && ((prev < 0) != (f < 0))) {
            gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
            if (!s)
                return -1;
            double root = NAN;
            if (gsl_root_fsolver_set(s, &fn, prev_x, x) == GSL_SUCCESS) {
                for (int it = 0; it < 100; it++) {
                    if (gsl_root_fsolver_iterate(s))
                        break;
                    root = gsl_root_fsolver_root(s);
                    if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
                                               gsl_root_fsolver_x_upper(s), 0, 1e-10) == GSL_SUCCESS)
                        break;
                }
            }
            gsl_root_fsolver_free(s);
            *out = exp(root);
            return 0;
        }
        prev_x = x;
        prev = f;
    }
    return 0;
}

static void side(const report *rep, size_t a, eng_metric m, const dec_report *dr, double *scratch,
                 dec_side *out)
{
    const stats_summary *st = &rep->alts[a].m[m];
    const double *x = eng_metric_data(rep->r, a, m);
    size_t n = (size_t)rep->r->trials;
    out->mean = st->mean;
    out->p50 = st->p50;
    out->p90 = st->p90;
    out->p95 = st->p95;
    out->cvar95 = st->cvar95;
    out->risk = dr->measure == RISK_CVAR ? dec_cvar(x, n, dr->level, scratch) : dec_ce(x, n, dr->R);
}

/* The verdict's metric: blended cost when delay costs anything. */
static eng_metric verdict_metric(const scn_scenario *s)
{
    return dist_mean(&s->work.cod) > 0 ? M_BLENDED_COST : M_COST_TOTAL;
}

const char dec_R_explained[] =
    "The risk tolerance R is roughly the largest sum X for which the sponsor would take a 50/50 bet of "
    "winning X against losing X/2 (Howard's rule of thumb); the smaller R, the more a certain price is "
    "worth";

static void make_verdicts(const report *rep, dec_report *dr)
{
    const scn_scenario *s = rep->s;
    eng_metric vm = verdict_metric(s);
    char a[64], b[64], c[64], tol[96];
    if (dr->measure == RISK_CVAR)
        snprintf(tol, sizeof tol, "With CVaR%.0f as the risk measure", 100 * dr->level);
    else if (isinf(dr->R))
        snprintf(tol, sizeof tol, "At risk neutrality");
    else
        snprintf(tol, sizeof tol, "At a risk tolerance of %s", dec_money(a, sizeof a, dr->R, s->currency));
    for (size_t bi = 0; bi < s->nalts && dr->nverdicts < 8; bi++) {
        if (s->alts[bi].kind != ALT_BID)
            continue;
        const dec_pair *best = NULL;
        for (size_t k = 0; k < dr->npairs; k++) {
            const dec_pair *p = &dr->pairs[k];
            if (p->bid == bi && p->metric == vm && (!best || p->m.risk < best->m.risk))
                best = p;
        }
        if (!best)
            continue;
        double price = dist_mean(&s->alts[bi].bid.price), gap = price - best->break_even;
        int v = dr->nverdicts;
        dr->verdict_pair[v] = best;
        dr->flip_R[v] = best->crossing_R;
        dr->worth_below[v] = 0;
        const double *xb = eng_metric_data(rep->r, best->bid, vm), *xm = eng_metric_data(rep->r, best->mix, vm);
        size_t n = (size_t)rep->r->trials;
        if (!isnan(best->crossing_R)) /* the side of the crossing where the bid wins */
            dr->worth_below[v] = dec_ce(xb, n, 0.5 * best->crossing_R) < dec_ce(xm, n, 0.5 * best->crossing_R);
        static const double mult[3] = {0.5, 1, 2};
        for (int k = 0; k < 3; k++)
            dr->be_at[v][k] = dr->measure == RISK_CE && isfinite(dr->R)
                                  ? price + dec_ce(xm, n, mult[k] * dr->R) - dec_ce(xb, n, mult[k] * dr->R)
                                  : NAN;
        snprintf(dr->verdict[dr->nverdicts++], sizeof dr->verdict[0],
                 "%s the offer '%s' (%s) is %s %s the break-even price of %s against '%s', the "
                 "best in-house option on %s: %s",
                 tol, s->alts[bi].name, dec_money(a, sizeof a, price, s->currency),
                 dec_money(b, sizeof b, fabs(gap), s->currency), gap > 0 ? "above" : "below",
                 dec_money(c, sizeof c, best->break_even, s->currency), s->alts[best->mix].name,
                 vm == M_BLENDED_COST ? "blended cost" : "total cost",
                 gap > 0 ? "negotiate or build"
                         : "signing transfers the risk for less than carrying it would cost");
        char *vs = dr->verdict[v];
        size_t used = strlen(vs);
        if (!isnan(dr->flip_R[v]))
            snprintf(vs + used, sizeof dr->verdict[0] - used,
                     ". The verdict flips at a risk tolerance of %s: %s it the bid is worth its price",
                     dec_money(a, sizeof a, dr->flip_R[v], s->currency), dr->worth_below[v] ? "below" : "above");
        else if (dr->measure == RISK_CE)
            snprintf(vs + used, sizeof dr->verdict[0] - used,
                     ". The verdict is the same at every risk tolerance from %s to %s",
                     dec_money(a, sizeof a, 0.01 * best->b.mean, s->currency),
                     dec_money(b, sizeof b, 100 * best->b.mean, s->currency));
        used = strlen(vs);
        if (!isnan(dr->be_at[v][0]))
            snprintf(vs + used, sizeof dr->verdict[0] - used,
                     "; break-even price at R/2, R, 2R: %s, %s, %s", dec_money(a, sizeof a, dr->be_at[v][0], s->currency),
                     dec_money(b, sizeof b, dr->be_at[v][1], s->currency),
                     dec_money(c, sizeof c, dr->be_at[v][2], s->currency));
    }
}

int dec_build(const report *rep, double R_override, double margin_override, dec_report **out,
              diag *d)
{
    const scn_scenario *s = rep->s;
    *out = NULL;
    size_t nb = 0, nm = 0;
    for (size_t a = 0; a < s->nalts; a++) {
        if (s->alts[a].kind == ALT_BID)
            nb++;
        else
            nm++;
    }
    if (!nb)
        return diag_input(d, s->file, 0, 0, "the scenario has no 'fixed_bid' alternative to weigh");
    if (!nm)
        return diag_input(d, s->file, 0, 0, "the scenario has no capacity mix to weigh the bid against");
    dec_report *dr = calloc(1, sizeof *dr);
    size_t n = (size_t)rep->r->trials;
    double *scratch = malloc(n * sizeof(double));
    if (dr)
        dr->pairs = calloc(2 * nb * nm, sizeof *dr->pairs);
    if (!dr || !dr->pairs || !scratch) {
        free(scratch);
        dec_free(dr);
        return diag_runtime(d, "out of memory");
    }
    dr->R = isnan(R_override) ? s->decision.risk_tolerance : R_override;
    dr->margin = isnan(margin_override) ? s->decision.partner_margin : margin_override;
    dr->measure = s->decision.measure;
    dr->level = s->decision.cvar_level;
    static const eng_metric metrics[2] = {M_COST_TOTAL, M_BLENDED_COST};
    for (size_t bi = 0; bi < s->nalts; bi++) {
        if (s->alts[bi].kind != ALT_BID)
            continue;
        double price = dist_mean(&s->alts[bi].bid.price);
        for (size_t mi = 0; mi < s->nalts; mi++) {
            if (s->alts[mi].kind == ALT_BID)
                continue;
            for (int k = 0; k < 2; k++) {
                dec_pair *p = &dr->pairs[dr->npairs++];
                p->bid = bi;
                p->mix = mi;
                p->metric = metrics[k];
                side(rep, bi, p->metric, dr, scratch, &p->b);
                side(rep, mi, p->metric, dr, scratch, &p->m);
                const double *xb = eng_metric_data(rep->r, bi, p->metric);
                const double *xm = eng_metric_data(rep->r, mi, p->metric);
                size_t cheaper = 0;
                for (size_t t = 0; t < n; t++)
                    cheaper += xm[t] < xb[t];
                p->p_mix_cheaper = (double)cheaper / (double)n;
                p->risk_premium = p->b.mean - p->m.mean;
                p->break_even = price + p->m.risk - p->b.risk;
                p->break_even_neutral = price + p->m.mean - p->b.mean;
                p->crossing_R = NAN;
                if (dr->measure == RISK_CE && crossing(xb, xm, n, p->b.mean, &p->crossing_R)) {
                    free(scratch);
                    dec_free(dr);
                    return diag_runtime(d, "out of memory");
                }
            }
        }
    }
    free(scratch);
    make_verdicts(rep, dr);
    *out = dr;
    return 0;
}

void dec_free(dec_report *dr)
{
    if (!dr)
        return;
    free(dr->pairs);
    free(dr);
}

static const char *risk_label(const dec_report *dr, const char *cur, char *buf, size_t n)
{
    char m[64];
    if (dr->measure == RISK_CVAR)
        snprintf(buf, n, "CVaR%.0f", 100 * dr->level);
    else if (isinf(dr->R))
        snprintf(buf, n, "CE (neutral)");
    else
        snprintf(buf, n, "CE @ %s", dec_money(m, sizeof m, dr->R, cur));
    return buf;
}

void dec_print(FILE *fp, const report *rep, const dec_report *dr)
{
    const scn_scenario *s = rep->s;
    const char *cur = s->currency;
    char b[8][48], lbl[64], m1[64], m2[64];
    char shown[600]; /* the path as given: printable (textesc.h) */
    fprintf(fp, "capmix %s  %s  (%s, sha256 %s)\n", rep->meta.version, s->name,
            txt_term(shown, sizeof shown, s->file), s->sha256);
    fprintf(fp, "seed %llu, %llu trials; %s", (unsigned long long)s->seed,
            (unsigned long long)rep->r->trials,
            dr->measure == RISK_CVAR ? "risk measure: CVaR" : "risk measure: certainty equivalent (exponential utility)");
    if (dr->measure == RISK_CE)
        fprintf(fp, ", risk tolerance %s", isinf(dr->R) ? "infinite (risk neutral)" : dec_money(m1, sizeof m1, dr->R, cur));
    else
        fprintf(fp, " at %.0f%%", 100 * dr->level);
    fputc('\n', fp);
    warn_print(fp, &s->warnings);
    char heavy[512];
    scn_heavy_tail_warning(s, dr->R, heavy, sizeof heavy);
    if (heavy[0])
        warn_line(fp, heavy);
    static const eng_metric metrics[2] = {M_COST_TOTAL, M_BLENDED_COST};
    for (int k = 0; k < 2; k++) {
        eng_metric em = metrics[k];
        fprintf(fp, "\n== %s\n", em == M_COST_TOTAL ? "total cost" : "blended cost (total + cost of delay)");
        fprintf(fp, "  %-22s %13s %13s %13s %13s %13s %14s\n", "", "mean", "P50", "P90", "P95",
                "CVaR95", risk_label(dr, cur, lbl, sizeof lbl));
        for (size_t a = 0; a < s->nalts; a++) {
            const dec_pair *p = NULL;
            for (size_t q = 0; q < dr->npairs && !p; q++)
                if (dr->pairs[q].metric == em && (dr->pairs[q].bid == a || dr->pairs[q].mix == a))
                    p = &dr->pairs[q];
            if (!p)
                continue;
            const dec_side *sd = p->bid == a ? &p->b : &p->m;
            fprintf(fp, "  %-22s %13s %13s %13s %13s %13s %14s\n", s->alts[a].name,
                    report_fmt(b[0], 48, sd->mean, 0), report_fmt(b[1], 48, sd->p50, 0),
                    report_fmt(b[2], 48, sd->p90, 0), report_fmt(b[3], 48, sd->p95, 0),
                    report_fmt(b[4], 48, sd->cvar95, 0), report_fmt(b[5], 48, sd->risk, 0));
        }
        for (size_t q = 0; q < dr->npairs; q++) {
            const dec_pair *p = &dr->pairs[q];
            if (p->metric != em)
                continue;
            fprintf(fp, "  %s vs %s: P(%s cheaper) %.3f; risk premium (E[bid] - E[mix]) %s; "
                        "break-even price %s (%s at risk neutrality)",
                    s->alts[p->bid].name, s->alts[p->mix].name, s->alts[p->mix].name,
                    p->p_mix_cheaper, report_fmt(b[0], 48, p->risk_premium, 0),
                    report_fmt(b[1], 48, p->break_even, 0),
                    report_fmt(b[2], 48, p->break_even_neutral, 0));
            if (!isnan(p->crossing_R))
                fprintf(fp, "; CEs cross at a tolerance of %s", dec_money(m2, sizeof m2, p->crossing_R, cur));
            fputc('\n', fp);
        }
    }
    if (!isnan(dr->margin)) {
        fprintf(fp, "\n== the market's answer\n");
        for (size_t a = 0; a < s->nalts; a++) {
            if (s->alts[a].kind != ALT_BID)
                continue;
            double price = dist_mean(&s->alts[a].bid.price);
            fprintf(fp, "  at a %.0f%% margin, '%s' implies the partner expects the work to cost %s;",
                    100 * dr->margin, s->alts[a].name,
                    dec_money(m1, sizeof m1, price / (1 + dr->margin), cur));
            fprintf(fp, " our expected total cost for the same scope:");
            for (size_t mi = 0; mi < s->nalts; mi++)
                if (s->alts[mi].kind != ALT_BID)
                    fprintf(fp, " %s %s;", s->alts[mi].name,
                            dec_money(m2, sizeof m2, rep->alts[mi].m[M_COST_TOTAL].mean, cur));
            fputc('\n', fp);
        }
    }
    fputc('\n', fp);
    for (int i = 0; i < dr->nverdicts; i++)
        fprintf(fp, "verdict: %s.\n", dr->verdict[i]);
    if (dr->nverdicts && dr->measure == RISK_CE)
        fprintf(fp, "(%s.)\n", dec_R_explained);
}

static void json_side(json_writer *w, const char *key, const dec_side *sd)
{
    json_key(w, key);
    json_obj_begin(w);
    json_key(w, "mean"), json_num(w, sd->mean);
    json_key(w, "p50"), json_num(w, sd->p50);
    json_key(w, "p90"), json_num(w, sd->p90);
    json_key(w, "p95"), json_num(w, sd->p95);
    json_key(w, "cvar95"), json_num(w, sd->cvar95);
    json_key(w, "risk_adjusted"), json_num(w, sd->risk);
    json_obj_end(w);
}

void dec_json(json_writer *w, const report *rep, const dec_report *dr)
{
    const scn_scenario *s = rep->s;
    json_obj_begin(w);
    json_key(w, "risk_measure"), json_str(w, dr->measure == RISK_CVAR ? "cvar" : "ce");
    json_key(w, "risk_tolerance"), json_num(w, dr->R);
    json_key(w, "cvar_level"), json_num(w, dr->level);
    json_key(w, "partner_margin"), json_num(w, dr->margin);
    json_key(w, "pairs"), json_arr_begin(w);
    for (size_t q = 0; q < dr->npairs; q++) {
        const dec_pair *p = &dr->pairs[q];
        json_obj_begin(w);
        json_key(w, "bid"), json_str(w, s->alts[p->bid].name);
        json_key(w, "mix"), json_str(w, s->alts[p->mix].name);
        json_key(w, "metric"), json_str(w, eng_metric_name(p->metric));
        json_side(w, "bid_figures", &p->b);
        json_side(w, "mix_figures", &p->m);
        json_key(w, "p_mix_cheaper"), json_num(w, p->p_mix_cheaper);
        json_key(w, "risk_premium"), json_num(w, p->risk_premium);
        json_key(w, "break_even_price"), json_num(w, p->break_even);
        json_key(w, "break_even_price_neutral"), json_num(w, p->break_even_neutral);
        json_key(w, "crossing_risk_tolerance"), json_num(w, p->crossing_R);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "market"), json_arr_begin(w);
    for (size_t a = 0; a < s->nalts; a++) {
        if (s->alts[a].kind != ALT_BID)
            continue;
        double price = dist_mean(&s->alts[a].bid.price);
        json_obj_begin(w);
        json_key(w, "bid"), json_str(w, s->alts[a].name);
        json_key(w, "price_mean"), json_num(w, price);
        json_key(w, "implied_partner_cost"), json_num(w, price / (1 + dr->margin));
        json_key(w, "our_expected_cost"), json_obj_begin(w);
        for (size_t mi = 0; mi < s->nalts; mi++)
            if (s->alts[mi].kind != ALT_BID) {
                json_key(w, s->alts[mi].name);
                json_num(w, rep->alts[mi].m[M_COST_TOTAL].mean);
            }
        json_obj_end(w);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "verdict"), json_arr_begin(w);
    for (int i = 0; i < dr->nverdicts; i++)
        json_str(w, dr->verdict[i]);
    json_arr_end(w);
    json_key(w, "verdicts"), json_arr_begin(w);
    for (int i = 0; i < dr->nverdicts; i++) {
        const dec_pair *p = dr->verdict_pair[i];
        json_obj_begin(w);
        json_key(w, "bid"), json_str(w, s->alts[p->bid].name);
        json_key(w, "against"), json_str(w, s->alts[p->mix].name);
        json_key(w, "metric"), json_str(w, eng_metric_name(p->metric));
        json_key(w, "break_even_price"), json_num(w, p->break_even);
        json_key(w, "flip_risk_tolerance"), json_num(w, dr->flip_R[i]);
        json_key(w, "bid_worth_its_price"), json_str(w, isnan(dr->flip_R[i]) ? "same at every tolerance searched"
                                                     : dr->worth_below[i] ? "below the flip tolerance"
                                                                          : "above the flip tolerance");
        json_key(w, "break_even_at"), json_arr_begin(w);
        static const double mult[3] = {0.5, 1, 2};
        for (int k = 0; k < 3; k++) {
            json_obj_begin(w);
            json_key(w, "risk_tolerance"), json_num(w, mult[k] * dr->R);
            json_key(w, "break_even_price"), json_num(w, dr->be_at[i][k]);
            json_obj_end(w);
        }
        json_arr_end(w);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "risk_tolerance_explained"), json_str(w, dec_R_explained);
    if (dr->nverdicts) {
        const dec_pair *p = dr->verdict_pair[0];
        json_key(w, "answer"), json_obj_begin(w);
        json_key(w, "alternative"), json_str(w, s->alts[p->bid].name);
        json_key(w, "metric"), json_str(w, dr->measure == RISK_CVAR ? "cvar" : "certainty_equivalent");
        json_key(w, "sentence"), json_str(w, dr->verdict[0]);
        json_key(w, "reason"), json_str(w, "the bid is weighed against the in-house option with the lowest "
                                           "risk-adjusted cost; break-even price = E[price] + risk(mix) - risk(bid)");
        json_obj_end(w);
    }
    json_obj_end(w);
}
