/*
 * track_print — the re-forecast on the screen and in summary.json
 * (track.h): trk_print, trk_print_review, trk_above_sentence, trk_json.
 */
#include <math.h>
#include <stdio.h>

#include "calibrate.h"
#include "decision.h"
#include "json.h"
#include "track.h"
#include "warn.h"

void trk_print(FILE *fp, const trk_report *r)
{
    const scn_scenario *s = r->s;
    const char *cur = s->currency;
    char b[6][48];
    fprintf(fp, "capmix %s  %s  (%s, sha256 %s)\n", CAPMIX_VERSION, s->name, s->file, s->sha256);
    char left[64];
    if (s->work.outcomes)
        snprintf(left, sizeof left, "%lld outcomes still required", r->required);
    else
        snprintf(left, sizeof left, "run-rate mode: it runs to the horizon");
    fprintf(fp, "track '%s' at month %d (day %g): spent %s, %g accepted, %g rework, %g superseded; %s\n",
            s->alts[r->a].name, r->month, r->t0, dec_money(b[0], 48, r->spent, cur), r->accepted, r->rework,
            r->superseded, left);
    trk_print_review(fp, r);
}

void trk_print_review(FILE *fp, const trk_report *r)
{
    const scn_scenario *s = r->s;
    const char *cur = s->currency;
    char b[6][48];
    fprintf(fp, "seed %llu, %llu re-forecast trials\n", (unsigned long long)s->seed,
            (unsigned long long)r->trials);
    warn_print(fp, &r->warnings);
    fprintf(fp, "\nthe actuals against the model before the start, at month %d:\n", r->month);
    fprintf(fp, "  spent     %s: percentile %.1f of the model (P1 %s, P50 %s, P99 %s)\n",
            dec_money(b[0], 48, r->spent, cur), 100 * r->spent_pct, dec_money(b[1], 48, r->spent_p1, cur),
            dec_money(b[2], 48, r->spent_p50, cur), dec_money(b[3], 48, r->spent_p99, cur));
    fprintf(fp, "  accepted  %g: percentile %.1f of the model (P1 %g, P50 %g, P99 %g)\n", r->accepted,
            100 * r->acc_pct, r->acc_p1, r->acc_p50, r->acc_p99);
    fprintf(fp, "\nrates updated by the actuals (mean before -> after):\n");
    const scn_alternative *alt = &s->alts[r->a];
    for (size_t i = 0; i < alt->nsources && i < 8; i++)
        fprintf(fp, "  %-16s throughput %.2f -> %.2f per month; P(accepted) %.3f -> %.3f\n", alt->sources[i].name,
                r->model.prior_tp[i], r->model.post_tp[i], r->model.prior_acc[i], r->model.post_acc[i]);
    fprintf(fp, "\nforecast               P10          P50          P90         mean\n");
    const trk_q *q[2] = {&r->cost, &r->blended};
    const char *qn[2] = {"final cost", "blended cost"};
    for (int k = 0; k < 2; k++)
        fprintf(fp, "  %-14s %12s %12s %12s %12s\n", qn[k], dec_money(b[0], 48, q[k]->p10, cur),
                dec_money(b[1], 48, q[k]->p50, cur), dec_money(b[2], 48, q[k]->p90, cur),
                dec_money(b[3], 48, q[k]->mean, cur));
    fprintf(fp, "  %-14s %12.0f %12.0f %12.0f %12.0f\n", "delivery day", r->day.p10, r->day.p50, r->day.p90,
            r->day.mean);
    if (r->start_month >= 0) {
        char d1[16], d2[16], d3[16];
        fprintf(fp, "  %-14s %12s %12s %12s\n", "delivery date",
                cal_format_day(r->start_sec + (long long)(r->day.p10 * 86400), 0, d1, sizeof d1),
                cal_format_day(r->start_sec + (long long)(r->day.p50 * 86400), 0, d2, sizeof d2),
                cal_format_day(r->start_sec + (long long)(r->day.p90 * 86400), 0, d3, sizeof d3));
    }
    fprintf(fp, "  envelope %s (P%.0f of total cost before the start): P(finish within it) %.1f%%; "
                "P(delivered by the horizon) %.1f%%\n",
            dec_money(b[0], 48, r->envelope, cur), 100 * r->confidence, 100 * r->p_within, 100 * r->p_delivered);
    for (size_t k = 0; k < r->nrules; k++) {
        if (r->rules[k].month)
            fprintf(fp, "  stop-loss '%s': fires on the actuals at month %d\n", r->rules[k].name,
                    r->rules[k].month);
        else
            fprintf(fp, "  stop-loss '%s': does not fire on the actuals\n", r->rules[k].name);
    }
    for (size_t k = 0; k < r->nxfer; k++) {
        const trk_transfer *x = &r->xfer[k];
        fprintf(fp, "  hand the rest to '%s': expected blended %s (gain %s ± %s); break-even price %s\n",
                x->name, dec_money(b[0], 48, x->blended_mean, cur), dec_money(b[1], 48, x->gain, cur),
                dec_money(b[2], 48, x->gain_se, cur), dec_money(b[3], 48, x->breakeven, cur));
    }
    if (r->ncone) {
        fprintf(fp, "\nthe forecast at each month (final cost re-forecast from the ledger up to it):\n");
        for (int m = 0; m < r->ncone; m++) {
            char lb[24];
            fprintf(fp, "  %-10s spent %10s  final cost P10 %10s  P50 %10s  P90 %10s\n",
                    trk_month_label(r, m + 1, lb, sizeof lb), dec_money(b[0], 48, r->cone[m][3], cur),
                    dec_money(b[1], 48, r->cone[m][0], cur), dec_money(b[2], 48, r->cone[m][1], cur),
                    dec_money(b[3], 48, r->cone[m][2], cur));
        }
    }
    for (size_t k = 0; k < r->nlines; k++) {
        const trk_line *t = &r->lines[k];
        if (!t->ok) {
            fprintf(fp, "\ncost line '%s': fewer than %d months with a positive amount, no forecast\n", t->name,
                    CL_MIN_MONTHS);
            continue;
        }
        fprintf(fp, "\ncost line '%s': %+.1f%% a month (SE %.1f%%), month-to-month sd %.1f%%; "
                    "80%% prediction intervals (the trend's uncertainty and the monthly noise):\n",
                t->name, 100 * expm1(t->fit.b), 100 * exp(t->fit.b) * t->fit.b_se, 100 * t->fit.s);
        for (int h = t->from + 1; h <= t->to; h++) {
            char lb[24];
            fprintf(fp, "  %-10s P10 %10s  P50 %10s  P90 %10s\n", trk_month_label(r, h, lb, sizeof lb),
                    dec_money(b[0], 48, t->q[0][h - t->from - 1], cur), dec_money(b[1], 48, t->q[1][h - t->from - 1], cur),
                    dec_money(b[2], 48, t->q[2][h - t->from - 1], cur));
        }
    }
    if (r->above_line >= 0) {
        char sent[512];
        trk_above_sentence(r, sent, sizeof sent);
        fprintf(fp, "\n%s\n", sent);
    }
    fprintf(fp, "\n%s.\n  (%s)\n", r->advice, r->reason);
}

void trk_above_sentence(const trk_report *r, char *buf, size_t n)
{
    const char *cur = r->s->currency;
    char lb[24], l1[24], m1[48], m2[48];
    const cl_above *o = &r->above;
    snprintf(buf, n, "P(%s > %s in %s) = %.2f (90%% interval %.2f to %.2f over the trend's uncertainty); "
                     "the cumulative %s from %s through %s exceeds %s with P = %.2f (± %.2f); "
                     "the month's P50 is %s",
             r->lines[r->above_line].name, dec_money(m1, sizeof m1, r->above_amount, cur),
             trk_month_label(r, r->above_month, lb, sizeof lb), o->p, o->p5, o->p95, r->lines[r->above_line].name,
             trk_month_label(r, 1, l1, sizeof l1), lb, m1, o->p_cum, o->p_cum_se,
             dec_money(m2, sizeof m2, cl_quantile(&r->lines[r->above_line].fit, r->above_month, 0.5), cur));
}

static void json_qo(json_writer *w, const trk_q *q)
{
    json_obj_begin(w);
    json_key(w, "p10"), json_num(w, q->p10);
    json_key(w, "p50"), json_num(w, q->p50);
    json_key(w, "p90"), json_num(w, q->p90);
    json_key(w, "mean"), json_num(w, q->mean);
    json_obj_end(w);
}

void trk_json(json_writer *w, const trk_report *r)
{
    const scn_scenario *s = r->s;
    const scn_alternative *alt = &s->alts[r->a];
    json_key(w, "alternative"), json_str(w, alt->name);
    json_key(w, "actuals"), json_obj_begin(w);
    json_key(w, "month"), json_int(w, r->month);
    json_key(w, "day"), json_num(w, r->t0);
    json_key(w, "spent"), json_num(w, r->spent);
    json_key(w, "accepted"), json_num(w, r->accepted);
    json_key(w, "rework"), json_num(w, r->rework);
    json_key(w, "superseded"), json_num(w, r->superseded);
    json_key(w, "outcomes_required"), json_int(w, r->required);
    json_obj_end(w);
    json_key(w, "model_check"), json_obj_begin(w);
    json_key(w, "spent_percentile"), json_num(w, r->spent_pct);
    json_key(w, "spent_p1"), json_num(w, r->spent_p1);
    json_key(w, "spent_p50"), json_num(w, r->spent_p50);
    json_key(w, "spent_p99"), json_num(w, r->spent_p99);
    json_key(w, "accepted_percentile"), json_num(w, r->acc_pct);
    json_key(w, "accepted_p1"), json_num(w, r->acc_p1);
    json_key(w, "accepted_p50"), json_num(w, r->acc_p50);
    json_key(w, "accepted_p99"), json_num(w, r->acc_p99);
    json_key(w, "recalibrate"), json_bool(w, r->recalibrate);
    json_obj_end(w);
    json_key(w, "updated_rates"), json_arr_begin(w);
    for (size_t i = 0; i < alt->nsources && i < 8; i++) {
        json_obj_begin(w);
        json_key(w, "source"), json_str(w, alt->sources[i].name);
        json_key(w, "throughput_per_month_prior"), json_num(w, r->model.prior_tp[i]);
        json_key(w, "throughput_per_month_posterior"), json_num(w, r->model.post_tp[i]);
        json_key(w, "p_accepted_prior"), json_num(w, r->model.prior_acc[i]);
        json_key(w, "p_accepted_posterior"), json_num(w, r->model.post_acc[i]);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "forecast"), json_obj_begin(w);
    json_key(w, "trials"), json_u64(w, r->trials);
    json_key(w, "cost_total"), json_qo(w, &r->cost);
    json_key(w, "blended_cost"), json_qo(w, &r->blended);
    json_key(w, "delivery_day"), json_qo(w, &r->day);
    if (r->start_month >= 0) {
        char d1[16];
        json_key(w, "delivery_date"), json_obj_begin(w);
        json_key(w, "p10"), json_str(w, cal_format_day(r->start_sec + (long long)(r->day.p10 * 86400), 0, d1, sizeof d1));
        json_key(w, "p50"), json_str(w, cal_format_day(r->start_sec + (long long)(r->day.p50 * 86400), 0, d1, sizeof d1));
        json_key(w, "p90"), json_str(w, cal_format_day(r->start_sec + (long long)(r->day.p90 * 86400), 0, d1, sizeof d1));
        json_obj_end(w);
    }
    json_key(w, "envelope"), json_num(w, r->envelope);
    json_key(w, "confidence"), json_num(w, r->confidence);
    json_key(w, "cost_total_at_confidence"), json_num(w, r->cost_at_c);
    json_key(w, "p_within_envelope"), json_num(w, r->p_within);
    json_key(w, "p_delivered"), json_num(w, r->p_delivered);
    json_obj_end(w);
    json_key(w, "stop_loss"), json_arr_begin(w);
    for (size_t k = 0; k < r->nrules; k++) {
        json_obj_begin(w);
        json_key(w, "name"), json_str(w, r->rules[k].name);
        json_key(w, "fires"), json_bool(w, r->rules[k].month > 0);
        json_key(w, "month");
        if (r->rules[k].month)
            json_int(w, r->rules[k].month);
        else
            json_null(w);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "transfer"), json_arr_begin(w);
    for (size_t k = 0; k < r->nxfer; k++) {
        json_obj_begin(w);
        json_key(w, "alternative"), json_str(w, r->xfer[k].name);
        json_key(w, "blended_mean"), json_num(w, r->xfer[k].blended_mean);
        json_key(w, "gain"), json_num(w, r->xfer[k].gain);
        json_key(w, "gain_se"), json_num(w, r->xfer[k].gain_se);
        json_key(w, "breakeven_price"), json_num(w, r->xfer[k].breakeven);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "cone"), json_arr_begin(w);
    for (int m = 0; m < r->ncone; m++) {
        json_obj_begin(w);
        json_key(w, "month"), json_int(w, m + 1);
        json_key(w, "spent_to_date"), json_num(w, r->cone[m][3]);
        json_key(w, "cost_total_p10"), json_num(w, r->cone[m][0]);
        json_key(w, "cost_total_p50"), json_num(w, r->cone[m][1]);
        json_key(w, "cost_total_p90"), json_num(w, r->cone[m][2]);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "cost_lines"), json_arr_begin(w);
    for (size_t k = 0; k < r->nlines; k++) {
        const trk_line *t = &r->lines[k];
        json_obj_begin(w);
        json_key(w, "name"), json_str(w, t->name);
        json_key(w, "fitted"), json_bool(w, t->ok);
        if (t->ok) {
            json_key(w, "months_used"), json_u64(w, t->fit.n);
            json_key(w, "growth_per_month"), json_num(w, expm1(t->fit.b));
            json_key(w, "growth_per_month_se"), json_num(w, exp(t->fit.b) * t->fit.b_se);
            json_key(w, "log_residual_sd"), json_num(w, t->fit.s);
            json_key(w, "interval"), json_str(w, "prediction (trend uncertainty and month-to-month noise)");
            json_key(w, "forecast"), json_arr_begin(w);
            for (int h = t->from + 1; h <= t->to; h++) {
                char lb[24];
                json_obj_begin(w);
                json_key(w, "month"), json_int(w, h);
                json_key(w, "label"), json_str(w, trk_month_label(r, h, lb, sizeof lb));
                json_key(w, "p10"), json_num(w, t->q[0][h - t->from - 1]);
                json_key(w, "p50"), json_num(w, t->q[1][h - t->from - 1]);
                json_key(w, "p90"), json_num(w, t->q[2][h - t->from - 1]);
                json_obj_end(w);
            }
            json_arr_end(w);
        }
        json_obj_end(w);
    }
    json_arr_end(w);
    if (r->above_line >= 0) {
        char lb[24], sent[512];
        json_key(w, "above"), json_obj_begin(w);
        json_key(w, "line"), json_str(w, r->lines[r->above_line].name);
        json_key(w, "amount"), json_num(w, r->above_amount);
        json_key(w, "month"), json_int(w, r->above_month);
        json_key(w, "label"), json_str(w, trk_month_label(r, r->above_month, lb, sizeof lb));
        json_key(w, "p"), json_num(w, r->above.p);
        json_key(w, "p_interval90"), json_arr_begin(w), json_num(w, r->above.p5), json_num(w, r->above.p95), json_arr_end(w);
        json_key(w, "p_cumulative"), json_num(w, r->above.p_cum);
        json_key(w, "p_cumulative_se"), json_num(w, r->above.p_cum_se);
        trk_above_sentence(r, sent, sizeof sent);
        json_key(w, "sentence"), json_str(w, sent);
        json_obj_end(w);
    }
    json_key(w, "advice"), json_obj_begin(w);
    json_key(w, "action"), json_str(w, r->action);
    json_key(w, "sentence"), json_str(w, r->advice);
    json_obj_end(w);
    json_key(w, "answer"), json_obj_begin(w);
    json_key(w, "alternative"), json_str(w, alt->name);
    json_key(w, "metric"), json_str(w, "cost_total re-forecast from the actuals");
    json_key(w, "sentence"), json_str(w, r->advice);
    json_key(w, "reason"), json_str(w, r->reason);
    json_obj_end(w);
    json_key(w, "warnings"), json_arr_begin(w);
    for (int i = 0; i < r->warnings.n; i++)
        json_str(w, r->warnings.msg[i]);
    json_arr_end(w);
}
