/*
 * summary — the machine-readable outputs of a run: summary.json (see
 * summary.h) and trials.csv.  Writers only format: every figure comes
 * from the report already built (sim/analysis/report.c).
 */
#include <math.h>
#include <stdint.h>

#include <gsl/gsl_version.h>
#include <yaml.h>

#include "answer.h"
#include "json.h"
#include "stream.h"
#include "summary.h"
#include "xlsx.h"

static void json_summary(json_writer *w, const stats_summary *st)
{
    json_obj_begin(w);
    json_key(w, "mean"), json_num(w, st->mean);
    json_key(w, "se"), json_num(w, st->se);
    json_key(w, "ci95"), json_arr_begin(w), json_num(w, st->ci_lo), json_num(w, st->ci_hi),
        json_arr_end(w);
    json_key(w, "sd"), json_num(w, st->sd);
    json_key(w, "min"), json_num(w, st->min);
    json_key(w, "p5"), json_num(w, st->p5);
    json_key(w, "p10"), json_num(w, st->p10);
    json_key(w, "p25"), json_num(w, st->p25);
    json_key(w, "p50"), json_num(w, st->p50);
    json_key(w, "p75"), json_num(w, st->p75);
    json_key(w, "p90"), json_num(w, st->p90);
    json_key(w, "p95"), json_num(w, st->p95);
    json_key(w, "max"), json_num(w, st->max);
    json_key(w, "cvar95"), json_num(w, st->cvar95);
    json_key(w, "n"), json_u64(w, st->n);
    json_key(w, "n_inf"), json_u64(w, st->n_inf);
    json_key(w, "share_inf"), json_num(w, st->n ? (double)st->n_inf / (double)st->n : 0);
    json_key(w, "n_null"), json_u64(w, st->n_null);
    json_obj_end(w);
}

static void json_series(json_writer *w, const char *key, const double *v, int n)
{
    json_key(w, key);
    json_arr_begin(w);
    for (int i = 0; i < n; i++)
        json_num(w, v[i]);
    json_arr_end(w);
}

static void json_fan(json_writer *w, const report_fan *f, int n)
{
    json_obj_begin(w);
    json_series(w, "mean", f->mean, n);
    json_series(w, "p10", f->p10, n);
    json_series(w, "p50", f->p50, n);
    json_series(w, "p90", f->p90, n);
    json_obj_end(w);
}

/* One alternative's object in "alternatives". */
static void json_alt(json_writer *w, const report *rep, size_t a)
{
    const scn_scenario *s = rep->s;
    const report_alt *ra = &rep->alts[a];
    json_obj_begin(w);
    json_key(w, "name"), json_str(w, s->alts[a].name);
    json_key(w, "kind"), json_str(w, s->alts[a].kind == ALT_BID ? "fixed_bid" : "mix");
    json_key(w, "baseline"), json_bool(w, a == s->baseline);
    json_key(w, "sources"), json_arr_begin(w);
    for (size_t i = 0; i < s->alts[a].nsources; i++) {
        json_obj_begin(w);
        json_key(w, "name"), json_str(w, s->alts[a].sources[i].name);
        json_key(w, "kind"), json_str(w, s->alts[a].sources[i].kind);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "p_delivered"), json_num(w, ra->p_delivered);
    json_key(w, "cost_per_accepted_outcome"), json_obj_begin(w);
    json_key(w, "value"), json_num(w, ra->cpo.value);
    json_key(w, "se"), json_num(w, ra->cpo.se);
    json_key(w, "definition"), json_str(w, "mean cost_total / mean accepted (ratio of totals); "
                                              "metrics.cost_per_outcome is the per-trial ratio");
    json_obj_end(w);
    json_key(w, "metrics"), json_obj_begin(w);
    for (int m = 0; m < M_COUNT; m++) {
        json_key(w, eng_metric_name((eng_metric)m));
        json_summary(w, &ra->m[m]);
    }
    json_obj_end(w);
    json_key(w, "vs_baseline");
    if (a == s->baseline) {
        json_null(w);
    } else {
        json_obj_begin(w);
        for (int m = 0; m < M_COUNT; m++) {
            json_key(w, eng_metric_name((eng_metric)m));
            json_obj_begin(w);
            json_key(w, "mean_diff"), json_num(w, ra->vs[m].mean_diff);
            json_key(w, "se"), json_num(w, ra->vs[m].se);
            json_key(w, "p_lower"), json_num(w, ra->vs[m].p_lower);
            json_obj_end(w);
        }
        json_key(w, "incremental_cost_per_outcome"), json_num(w, ra->incr.value);
        json_key(w, "incremental_cost_per_accepted_outcome"), json_obj_begin(w);
        json_key(w, "value"), json_num(w, ra->incr.value);
        json_key(w, "se"), json_num(w, ra->incr.se);
        json_key(w, "delta_cost_total"), json_num(w, ra->incr.num);
        json_key(w, "delta_accepted"), json_num(w, ra->incr.den);
        json_key(w, "not_applicable");
        if (ra->incr_na)
            json_str(w, ra->incr_na);
        else
            json_null(w);
        json_obj_end(w);
        json_obj_end(w);
    }
    json_key(w, "spreadsheet"), json_obj_begin(w);
    for (int m = 0; m < M_COUNT; m++) {
        json_key(w, eng_metric_name((eng_metric)m));
        json_num(w, ra->sheet[m]);
    }
    json_key(w, "incremental_cost_per_outcome");
    json_num(w, ra->sheet_incr_cost_per_outcome);
    json_obj_end(w);
    json_key(w, "p_above"), json_arr_begin(w);
    for (int k = 0; k < rep->meta.nabove; k++) {
        json_obj_begin(w);
        json_key(w, "metric"), json_str(w, eng_metric_name(rep->meta.above[k].metric));
        json_key(w, "value"), json_num(w, rep->meta.above[k].value);
        json_key(w, "p"), json_num(w, ra->p_above[k]);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_key(w, "monthly");
    if (rep->r->months) {
        json_obj_begin(w);
        json_key(w, "day"), json_arr_begin(w);
        for (int m = 0; m < rep->r->months; m++)
            json_num(w, (m + 1) * s->cal.days_per_month);
        json_arr_end(w);
        json_key(w, "cost"), json_fan(w, &ra->cost_fan, rep->r->months);
        json_key(w, "accepted"), json_fan(w, &ra->accepted_fan, rep->r->months);
        json_obj_end(w);
    } else {
        json_null(w);
    }
    json_obj_end(w);
}

/* "manifest": how the run was made and can be made again. */
static void json_manifest(json_writer *w, const report *rep)
{
    json_key(w, "manifest"), json_obj_begin(w);
    json_key(w, "capmix_version"), json_str(w, rep->meta.version);
    json_key(w, "gsl_version"), json_str(w, GSL_VERSION);
    json_key(w, "libyaml_version"), json_str(w, yaml_get_version_string());
    json_key(w, "rng"), json_str(w, "streams v2: xoshiro256** per (alternative, block) for trial-level draws, batched 8-lane "
                                   "xoshiro256** per (alternative, block, quantity) for per-pass draws; keys by splitmix64");
    json_key(w, "block_size"), json_int(w, ENG_BLOCK);
    json_key(w, "command"), json_str(w, rep->meta.command ? rep->meta.command : "run");
    json_key(w, "arguments"), json_arr_begin(w);
    for (int i = 0; i < rep->meta.nargs; i++)
        json_str(w, rep->meta.args[i]);
    json_arr_end(w);
    json_key(w, "convergence");
    if (rep->meta.conv_target > 0) {
        json_obj_begin(w);
        json_key(w, "target"), json_num(w, rep->meta.conv_target);
        json_key(w, "metric"), json_str(w, eng_metric_name(rep->meta.conv_metric));
        json_key(w, "met"), json_bool(w, rep->meta.conv_met);
        json_key(w, "relative_se"), json_num(w, rep->meta.conv_rse);
        json_key(w, "p90_relative_half_width"), json_num(w, rep->meta.conv_p90);
        json_key(w, "max_trials"), json_u64(w, rep->meta.conv_max);
        json_obj_end(w);
    } else {
        json_null(w);
    }
    json_key(w, "streamed");
    if (rep->meta.stream) {
        json_obj_begin(w);
        json_key(w, "exact"), json_str(w, "n, n_inf, n_null, min, max, mean, se, ci95, sd, "
                                            "vs_baseline, p_above; quantiles of count metrics below 4096");
        json_key(w, "estimated"), json_str(w, "p5, p10, p25, p50, p75, p90, p95, cvar95");
        json_key(w, "relative_error"), json_num(w, STM_REL_ERROR);
        json_obj_end(w);
    } else {
        json_null(w);
    }
    json_key(w, "threads"), json_int(w, rep->meta.threads);
    json_key(w, "elapsed_seconds"), json_num(w, rep->meta.elapsed_s);
    json_obj_end(w);
}

int report_json(FILE *fp, const report *rep, report_json_extra extra, const void *ctx)
{
    const scn_scenario *s = rep->s;
    json_writer w;
    json_init(&w, fp);
    json_obj_begin(&w);
    json_key(&w, "capmix"), json_str(&w, rep->meta.version);
    json_key(&w, "scenario"), json_str(&w, s->name);
    json_key(&w, "scenario_file"), json_str(&w, s->file);
    json_key(&w, "scenario_path");
    if (s->path)
        json_str(&w, s->path);
    else
        json_null(&w);
    json_key(&w, "input_sha256"), json_str(&w, s->sha256);
    json_key(&w, "seed"), json_u64(&w, s->seed);
    json_key(&w, "trials"), json_u64(&w, rep->r->trials);
    json_key(&w, "currency"), json_str(&w, s->currency);
    json_key(&w, "mode"), json_str(&w, s->work.outcomes > 0 ? "backlog" : "run-rate");
    json_key(&w, "outcomes_required");
    if (s->work.outcomes > 0)
        json_int(&w, s->work.outcomes);
    else
        json_null(&w);
    json_key(&w, "horizon_days"), json_num(&w, s->work.horizon_days);
    json_key(&w, "correlations"), json_arr_begin(&w);
    for (size_t i = 0; i < s->corr.npairs; i++) {
        const cop_pair *q = &s->corr.pairs[i];
        json_obj_begin(&w);
        json_key(&w, "between"), json_arr_begin(&w), json_str(&w, s->corr.path[q->i]),
            json_str(&w, s->corr.path[q->j]), json_arr_end(&w);
        json_key(&w, "rank"), json_num(&w, q->rank);
        json_key(&w, "copula_pearson"), json_num(&w, q->pearson);
        json_obj_end(&w);
    }
    json_arr_end(&w);
    json_key(&w, "alternatives");
    json_arr_begin(&w);
    for (size_t a = 0; a < s->nalts; a++)
        json_alt(&w, rep, a);
    json_arr_end(&w);
    ans_answer an;
    ans_run(rep, &an);
    json_key(&w, "answer"), ans_json(&w, &an, s);
    if (extra)
        extra(&w, ctx);
    json_manifest(&w, rep);
    json_obj_end(&w);
    return json_finish(&w);
}

static void csv_num(FILE *fp, double v)
{
    if (isnan(v))
        return; /* null: an empty cell */
    if (isinf(v))
        fputs(v > 0 ? "inf" : "-inf", fp);
    else
        fprintf(fp, "%.17g", v);
}

int report_trials_csv(FILE *fp, const report *rep)
{
    const scn_scenario *s = rep->s;
    const eng_results *r = rep->r;
    fputs("trial,alternative", fp);
    for (int m = 0; m < M_COUNT; m++)
        fprintf(fp, ",%s", eng_metric_name((eng_metric)m));
    fputs(",cod_per_day,target_day\r\n", fp);
    for (uint64_t t = 0; t < r->trials; t++) {
        for (size_t a = 0; a < s->nalts; a++) {
            /* names are [A-Za-z0-9_-] starting with a letter or digit, but
             * every CSV text field goes through the one guard */
            fprintf(fp, "%llu,", (unsigned long long)t + 1);
            xlsx_csv_text(fp, s->alts[a].name);
            for (int m = 0; m < M_COUNT; m++) {
                fputc(',', fp);
                csv_num(fp, eng_metric_data(r, a, (eng_metric)m)[t]);
            }
            fputc(',', fp);
            csv_num(fp, r->cod_per_day[t]);
            fputc(',', fp);
            csv_num(fp, r->target_day[t]);
            fputs("\r\n", fp);
        }
        if (ferror(fp))
            return -1;
    }
    return ferror(fp) ? -1 : 0;
}
