/*
 * track_out — the -o folder of `capmix track` (track_out.h).
 */
#include <stdio.h>
#include <string.h>

#include "atomic.h"
#include "cancel.h"
#include "json.h"
#include "plot.h"
#include "scenario.h"
#include "track.h"
#include "track_out.h"

static int write_out(const char *dir, const trk_report *r, char *const *argv, int argc, int plots, diag *d);

/* The -o folder replaced as a whole (atomic.h): built in a sibling, swapped
 * in when complete; a signal leaves the previous folder. */
int trko_write_folder(const char *out, const trk_report *r, char *const *argv, int argc, int plots,
                      diag *d)
{
    atomic_dir od;
    cancel_signal = 0;
    cancel_install();
    int rc = atomic_dir_begin(&od, out, d);
    if (!rc) {
        rc = write_out(od.tmp, r, argv, argc, plots, d);
        if (!rc)
            rc = atomic_dir_commit(&od, d);
    }
    atomic_dir_abort(&od);
    cancel_restore();
    return rc;
}

static int write_out(const char *dir, const trk_report *r, char *const *argv, int argc, int plots, diag *d)
{
    char made[1024], path[1200];
    atomic_file f[5];
    memset(f, 0, sizeof f);
    if (atomic_mkdirs_made(dir, made, sizeof made, d))
        return -1;
    snprintf(path, sizeof path, "%s/summary.json", dir);
    if (atomic_open(&f[0], path, d))
        goto fail;
    snprintf(path, sizeof path, "%s/track.log", dir);
    if (atomic_open(&f[1], path, d))
        goto fail;
    snprintf(path, sizeof path, "%s/draws.csv", dir);
    if (atomic_open(&f[2], path, d))
        goto fail;
    /* each column sorted on its own: the forecast's marginal distributions,
     * what capmix backtest scores (CRPS, PIT, any quantile) */
    fprintf(f[2].fp, "cost_total_sorted,blended_cost_sorted,delivery_day_sorted\n");
    for (size_t t = 0; t < r->draws.n; t++)
        fprintf(f[2].fp, "%.17g,%.17g,%.17g\n", r->draws.cost[t], r->draws.blended[t], r->draws.day[t]);
    json_writer w;
    json_init(&w, f[0].fp);
    json_obj_begin(&w);
    json_key(&w, "capmix"), json_str(&w, CAPMIX_VERSION);
    json_key(&w, "command"), json_str(&w, "track");
    json_key(&w, "scenario"), json_obj_begin(&w);
    json_key(&w, "file"), json_str(&w, r->s->file);
    json_key(&w, "sha256"), json_str(&w, r->s->sha256);
    json_key(&w, "name"), json_str(&w, r->s->name);
    json_obj_end(&w);
    json_key(&w, "seed"), json_u64(&w, r->s->seed);
    json_key(&w, "currency"), json_str(&w, r->s->currency);
    /* provenance, so a backtest can find what was asked */
    json_key(&w, "args"), json_arr_begin(&w);
    for (int i = 0; i < argc; i++)
        json_str(&w, argv[i]);
    json_arr_end(&w);
    trk_json(&w, r);
    json_obj_end(&w);
    if (json_finish(&w)) {
        diag_runtime(d, "cannot write %s/summary.json", dir);
        goto fail;
    }
    trk_print(f[1].fp, r);
    /* the cone chart: data and a self-contained gnuplot script */
    const char *tpl = plot_template("track_cone");
    if (!tpl) {
        diag_runtime(d, "internal error: a plot template is missing from the build");
        goto fail;
    }
    snprintf(path, sizeof path, "%s/cone.dat", dir);
    if (atomic_open(&f[3], path, d))
        goto fail;
    fprintf(f[3].fp, "\"month\" \"cost_p10\" \"cost_p50\" \"cost_p90\" \"spent\"\n");
    for (int m = 0; m < r->ncone; m++)
        fprintf(f[3].fp, "%d %.17g %.17g %.17g %.17g\n", m + 1, r->cone[m][0], r->cone[m][1], r->cone[m][2],
                r->cone[m][3]);
    snprintf(path, sizeof path, "%s/cone.gp", dir);
    if (atomic_open(&f[4], path, d))
        goto fail;
    char q[600];
    fprintf(f[4].fp, "# redraw with: gnuplot cone.gp (from this folder)\n");
    fprintf(f[4].fp, "datafile = 'cone.dat'\nscenario = %s\n", plot_quote(q, sizeof q, r->s->name));
    fprintf(f[4].fp, "alt = %s\n", plot_quote(q, sizeof q, r->s->alts[r->a].name));
    fprintf(f[4].fp, "currency = %s\nenvelope = %.17g\n%s", plot_quote(q, sizeof q, r->s->currency), r->envelope, tpl);
    if (atomic_commit_all(f, 5, d))
        goto fail;
    atomic_keep(f, 5);
    if (plots)
        plot_draw_one(dir, dir, "cone", stderr);
    return 0;
fail:
    for (int i = 0; i < 5; i++)
        atomic_abort(&f[i]);
    atomic_rmdirs(dir, made);
    return -1;
}
