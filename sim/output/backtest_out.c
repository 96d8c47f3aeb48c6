/*
 * backtest_out — the table and summary.json of `capmix backtest`
 * (backtest_out.h).
 */
#include <stdio.h>
#include <string.h>

#include "atomic.h"
#include "backtest_out.h"
#include "bt_run.h"
#include "decision.h"
#include "json.h"
#include "report.h"

void bto_print(FILE *fp, const bt_run *r, const char *file)
{
    char b[3][48];
    fprintf(fp, "capmix %s  backtest of %zu forecasts (%s)\n", CAPMIX_VERSION, r->n, file);
    for (int k = 0; k < 2; k++) {
        const bt_metric *mt = &r->m[k];
        if (!mt->n)
            continue;
        int money = k == 0;
        fprintf(fp, "\n%s: %zu outcomes, mean CRPS %s\n", mt->name, mt->n,
                money ? dec_money(b[0], 48, mt->crps, r->currency) : report_fmt(b[0], 48, mt->crps, 2));
        fprintf(fp, "  level  at or below  95%% Wilson interval  calibrated  mean pinball loss\n");
        for (int j = 0; j < 4; j++) {
            const bt_cover *c = &mt->cov[j];
            fprintf(fp, "  P%-4.0f %8.3f      [%.3f, %.3f]        %-10s  %s\n", 100 * c->tau, c->rate, c->lo, c->hi,
                    c->calibrated ? "yes" : "no",
                    money ? dec_money(b[1], 48, c->pinball, r->currency) : report_fmt(b[1], 48, c->pinball, 2));
        }
        fprintf(fp, "  PIT histogram (10 bins, flat when calibrated):");
        for (int j = 0; j < 10; j++)
            fprintf(fp, " %zu", mt->pit[j]);
        fputc('\n', fp);
    }
    for (int k = 0; k < 2; k++) {
        const bt_binary *bn = &r->b[k];
        if (bn->n)
            fprintf(fp, "\n%s: Brier score %.4f over %zu forecasts (mean forecast %.3f, realised rate %.3f)\n",
                    bn->name, bn->brier, bn->n, bn->mean_p, bn->rate);
    }
}

static void json_run(json_writer *w, const bt_run *r, const char *file)
{
    json_obj_begin(w);
    json_key(w, "capmix"), json_str(w, CAPMIX_VERSION);
    json_key(w, "command"), json_str(w, "backtest");
    json_key(w, "realised"), json_str(w, file);
    json_key(w, "forecasts"), json_u64(w, r->n);
    for (int k = 0; k < 2; k++) {
        const bt_metric *mt = &r->m[k];
        if (!mt->n)
            continue;
        json_key(w, mt->name), json_obj_begin(w);
        json_key(w, "n"), json_u64(w, mt->n);
        json_key(w, "crps_mean"), json_num(w, mt->crps);
        json_key(w, "coverage"), json_arr_begin(w);
        for (int j = 0; j < 4; j++) {
            const bt_cover *c = &mt->cov[j];
            json_obj_begin(w);
            json_key(w, "level"), json_num(w, c->tau);
            json_key(w, "at_or_below"), json_num(w, c->rate);
            json_key(w, "wilson95"), json_arr_begin(w), json_num(w, c->lo), json_num(w, c->hi), json_arr_end(w);
            json_key(w, "calibrated"), json_bool(w, c->calibrated);
            json_key(w, "pinball_mean"), json_num(w, c->pinball);
            json_obj_end(w);
        }
        json_arr_end(w);
        json_key(w, "pit_histogram"), json_arr_begin(w);
        for (int j = 0; j < 10; j++)
            json_u64(w, mt->pit[j]);
        json_arr_end(w);
        json_obj_end(w);
    }
    for (int k = 0; k < 2; k++) {
        const bt_binary *bn = &r->b[k];
        if (!bn->n)
            continue;
        json_key(w, bn->name), json_obj_begin(w);
        json_key(w, "n"), json_u64(w, bn->n);
        json_key(w, "brier"), json_num(w, bn->brier);
        json_key(w, "mean_forecast"), json_num(w, bn->mean_p);
        json_key(w, "realised_rate"), json_num(w, bn->rate);
        json_obj_end(w);
    }
    json_key(w, "scenarios_sha256"), json_arr_begin(w);
    for (size_t i = 0; i < r->n; i++)
        json_str(w, r->scenario[i]);
    json_arr_end(w);
    json_obj_end(w);
}

int bto_write(const char *out, const bt_run *R, const char *file, diag *d)
{
    char made[1024], path[1200];
    atomic_file f;
    memset(&f, 0, sizeof f);
    snprintf(path, sizeof path, "%s/summary.json", out);
    if (atomic_mkdirs_made(out, made, sizeof made, d))
        return -1;
    if (atomic_open(&f, path, d)) {
        atomic_rmdirs(out, made);
        return -1;
    }
    json_writer w;
    json_init(&w, f.fp);
    json_run(&w, R, file);
    if (json_finish(&w) || atomic_commit(&f, d)) {
        if (d->kind == DIAG_NONE)
            diag_runtime(d, "cannot write %s", path);
        atomic_abort(&f);
        atomic_rmdirs(out, made);
        return -1;
    }
    return 0;
}
