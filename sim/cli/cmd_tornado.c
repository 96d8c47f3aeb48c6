/*
 * cmd_tornado — `capmix tornado SCENARIO`: rank an alternative's
 * uncertain inputs by how far each moves the statistic between its P10
 * and its P90 (tornado.h), on the same random numbers.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "plot.h"
#include "report.h"
#include "scnload.h"
#include "sweepcmd.h"
#include "textesc.h"
#include "tornado.h"

static const opt_def tornado_opts[] = {
    {.name = "metric", .kind = OPT_STR, .at = SW_AT(metric), .metavar = "METRIC.STAT",
     .help = "default cost_per_outcome.mean"},
    SW_ROW_ALTERNATIVE(NULL),
    {.name = "out", .letter = 'o', .kind = OPT_DIR, .at = SW_AT(out), .metavar = "DIR",
     .help = "write tornado.csv, tornado.json and tornado.png"},
    SW_COMMON_ROWS,
    SW_ROW_SET("sweep"),
    SW_ROW_X("breakeven"),
    SW_ROW_Y("breakeven"),
    SW_ROW_BETWEEN("sweep", NULL),
    {.name = NULL},
};

static const opts_cmd tornado_cmd = {
    .name = "tornado",
    .head = "usage: capmix tornado SCENARIO.yaml [--metric METRIC.STAT] [--alternative A] [-o DIR]\n"
            "\n"
            "Rank every uncertain input of an alternative (its dists, and those of work and people)\n"
            "by how far the statistic moves when the input is held at its P10 and at its P90, all\n"
            "else random, on the same random numbers.\n"
            "\n",
    .opts = tornado_opts,
    .width = 28,
    .foot = SW_FOOT_COMMON,
    .flags = OPTS_SEE,
};

int cmd_tornado(int argc, char **argv, diag *d)
{
    sw_opts o;
    int rc = sw_parse(&tornado_cmd, argc, argv, &o, d);
    if (rc)
        return rc > 0 ? CM_EXIT_OK : -1;
    const char *alt = o.alternative;
    if (!o.metric)
        o.metric = "cost_per_outcome.mean";
    yt_doc *doc = NULL;
    swp_setup S;
    memset(&S, 0, sizeof S);
    scn_scenario *scn = NULL;
    if (sw_load_doc(&o, "tornado", &doc, S.sha256, &scn, d))
        return -1;
    int exit = -1;
    trn_result tr = {0};
    sw_bufs files = {0};
    if (prm_parse_metric(o.metric, &S.metric, &S.stat, d))
        goto out;
    scn_scenario *s0 = NULL;
    if (scn_load_doc(doc, S.sha256, &s0, d))
        goto out;
    char altname[SCN_NAME_MAX];
    if (alt && scn_find_alt(s0, alt) < 0) {
        char hint[96];
        diag_input(d, NULL, 0, 0, "tornado: no alternative '%s'%s", alt, scn_alt_hint(s0, alt, hint, sizeof hint));
        scn_free(s0);
        goto out;
    }
    snprintf(altname, sizeof altname, "%s", alt ? alt : s0->alts[s0->baseline].name);
    scn_free(s0);
    S.doc = doc;
    S.trials = o.trials;
    S.seed = o.seed;
    S.have_seed = o.have_seed;
    S.threads = (int)o.threads;
    S.recost_on = sw_recost_on();
    snprintf(S.pair[0], SCN_NAME_MAX, "%s", altname);
    snprintf(S.pair[1], SCN_NAME_MAX, "%s", altname);
    if (cli_out_check(o.out, d) || trn_run(&S, altname, &tr, d)) {
        exit = -1;
        goto out;
    }
    if (sw_bufs_open(&files, d)) {
        exit = -1;
        goto out;
    }
    fputs("\"rank\",\"input\",\"at_p10\",\"at_p90\",\"low\",\"high\",\"swing\",\"input_p10\",\"input_p90\",\"spearman\"\r\n", files.fc);
    json_writer w;
    json_init(&w, files.fj);
    json_obj_begin(&w);
    sw_json_head(&w, &o, &S);
    json_key(&w, "alternative"), json_str(&w, altname);
    json_key(&w, "metric"), json_str(&w, eng_metric_name(S.metric));
    json_key(&w, "statistic"), json_str(&w, prm_stat_name(S.stat));
    json_key(&w, "base"), json_num(&w, tr.base);
    json_key(&w, "inputs"), json_arr_begin(&w);
    for (size_t i = 0; i < tr.n; i++) {
        const trn_input *in = &tr.inputs[i];
        char sp[32] = ""; /* empty: drawn per item, no trial value */
        if (!isnan(in->spearman))
            snprintf(sp, sizeof sp, "%.17g", in->spearman);
        fprintf(files.fc, "%zu,", i + 1);
        txt_csv(files.fc, in->path);
        fprintf(files.fc, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%s\r\n", in->at10, in->at90,
                fmin(in->at10, in->at90), fmax(in->at10, in->at90), in->swing, in->q10, in->q90, sp);
        json_obj_begin(&w);
        json_key(&w, "input"), json_str(&w, in->path);
        json_key(&w, "p10"), json_num(&w, in->q10);
        json_key(&w, "p90"), json_num(&w, in->q90);
        json_key(&w, "at_p10"), json_num(&w, in->at10);
        json_key(&w, "at_p90"), json_num(&w, in->at90);
        json_key(&w, "swing"), json_num(&w, in->swing);
        json_key(&w, "spearman"), json_num(&w, in->spearman);
        json_obj_end(&w);
    }
    json_arr_end(&w);
    json_obj_end(&w);
    if (sw_bufs_finish(&files, &w, d)) {
        exit = -1;
        goto out;
    }
    if (!o.quiet) {
        char b[3][48];
        printf("capmix %s  tornado of %s.%s for '%s': %s with every input random\n", CAPMIX_VERSION,
               eng_metric_name(S.metric), prm_stat_name(S.stat), altname,
               report_fmt(b[0], sizeof b[0], tr.base, 2));
        printf("  %-48s %16s %16s %14s %9s\n", "input (held at its P10 / P90)", "at P10", "at P90",
               "swing", "rank corr");
        for (size_t i = 0; i < tr.n; i++) {
            char sp[16];
            snprintf(sp, sizeof sp, "%s", tr.inputs[i].per_item ? "per item" : "-");
            if (!isnan(tr.inputs[i].spearman))
                snprintf(sp, sizeof sp, "%+.3f", tr.inputs[i].spearman);
            printf("  %-48s %16s %16s %14s %9s\n", tr.inputs[i].path,
                   report_fmt(b[0], sizeof b[0], tr.inputs[i].at10, 2),
                   report_fmt(b[1], sizeof b[1], tr.inputs[i].at90, 2),
                   report_fmt(b[2], sizeof b[2], tr.inputs[i].swing, 2), sp);
        }
        printf("  (rank corr: Spearman's rank correlation of the input with %s across the trials\n"
               "   with every input random; 'per item' inputs are drawn afresh for each item;\n"
               "   '-' are not recorded: overheads and a fixed bid's terms)\n",
               eng_metric_name(S.metric));
        if (!tr.n)
            printf("  (no input of '%s' is a distribution)\n", altname);
    }
    exit = CM_EXIT_OK;
    if (o.out) {
        char vars[4096], q1[600], q2[600], q3[600];
        snprintf(vars, sizeof vars,
                 "# capmix %s: redraw with `gnuplot tornado.gp` in this folder\n"
                 "scenario = %s\nmetric_label = %s\nalt = %s\nninputs = %zu\nbase = %.17g\n",
                 CAPMIX_VERSION, plot_quote(q1, sizeof q1, o.file), plot_quote(q2, sizeof q2, o.metric),
                 plot_quote(q3, sizeof q3, altname), tr.n ? tr.n : 1, tr.base);
        if (sw_emit(&o, "tornado", &files, vars, d))
            exit = -1;
    }
out:
    sw_recost_report(&S);
    swp_release(&S);
    sw_bufs_free(&files);
    trn_release(&tr);
    yt_free(doc);
    scn_free(scn);
    return exit;
}
