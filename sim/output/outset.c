/*
 * outset — the output folder of a run (see outset.h).
 */
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "html.h"
#include "json.h"
#include "outset.h"
#include "plot.h"
#include "runtable.h"
#include "summary.h"
#include "xlsx.h"

/* Every file of a run, written to temporaries first; they land together
 * (renamed in turn) only when every one of them is complete. */
enum { OUT_SUMMARY, OUT_LOG, OUT_TRIALS, OUT_XLSX, OUT_COMPARISON, OUT_PLOTS,
       OUT_BID_PLOTS = OUT_PLOTS + PLOT_FILES, OUT_ENV_PLOTS = OUT_BID_PLOTS + PLOT_BID_FILES };

static int join(char *buf, size_t n, const char *dir, const char *name, diag *d)
{
    if ((size_t)snprintf(buf, n, "%s/%s", dir, name) >= n)
        return diag_input(d, NULL, 0, 0, "output path '%s/%s' is too long", dir, name);
    return 0;
}

static void json_sections(json_writer *w, const void *ctx)
{
    const out_sections *sc = ctx;
    if (sc->dr) {
        json_key(w, "bid");
        dec_json(w, sc->rep, sc->dr);
    }
    if (sc->er) {
        json_key(w, "envelope");
        env_json(w, sc->rep, sc->er);
    }
}

/* The charts a report embeds, by what the run computed. */
static int report_figures(const out_sections *sc, html_figure figs[8])
{
    int nf = 0;
    if (sc->rep->meta.stream)
        return 0; /* streamed: no per-trial data, no charts */
    figs[nf++] = (html_figure){"cost_cdf", "Cumulative distribution of cost, by alternative.", NULL, 0};
    figs[nf++] = (html_figure){"cost_per_outcome",
                               "Cost per accepted outcome: per-trial P10-P90, P25-P75 and median; the point is total cost over accepted outcomes.", NULL, 0};
    if (sc->dr) {
        figs[nf++] = (html_figure){"bid_cdf", "The bid's cost against the mixes', with the bid and break-even prices.", NULL, 0};
        figs[nf++] = (html_figure){"bid_hist", "Histogram of the bid's cost against the best mix's.", NULL, 0};
        figs[nf++] = (html_figure){"bid_ce", "Certainty equivalent against risk tolerance.", NULL, 0};
    }
    if (sc->er)
        figs[nf++] = (html_figure){"envelope_cdf", "S-curves of total cost and the envelope confidence.", NULL, 0};
    return nf;
}

/* report.html and report.md, atomically, both or neither; `svgs` is the
 * batch rendering the figures' SVGs (NULL: no charts), always finished
 * here. */
static int write_report(const char *dir, const out_sections *sc, plot_batch *svgs, diag *d)
{
    html_figure figs[8];
    int nf = report_figures(sc, figs);
    if (svgs) { /* one that failed is simply left out */
        char *svg[8];
        size_t len[8];
        plot_svg_finish(svgs, svg, len);
        for (int i = 0; i < nf; i++) {
            figs[i].svg = svg[i];
            figs[i].svg_len = len[i];
        }
    }
    /* the bytes the run read and digested, never a second read of the
     * file: it may have changed since, or be a FIFO */
    const char *text = sc->rep->s->text;
    size_t text_len = sc->rep->s->text_len;
    atomic_file hm[2]; /* report.html, report.md */
    memset(hm, 0, sizeof hm);
    char path[1200];
    int rc = -1;
    snprintf(path, sizeof path, "%s/report.html", dir);
    if (atomic_open(&hm[0], path, d))
        goto out;
    if (html_write(hm[0].fp, sc->rep, sc->dr, sc->er, figs, nf, text, text_len)) {
        diag_runtime(d, "cannot write '%s'", path);
        goto out;
    }
    snprintf(path, sizeof path, "%s/report.md", dir);
    if (atomic_open(&hm[1], path, d))
        goto out;
    if (html_write_md(hm[1].fp, sc->rep, sc->dr, sc->er, figs, nf, text, text_len)) {
        diag_runtime(d, "cannot write '%s'", path);
        goto out;
    }
    if (atomic_commit_all(hm, 2, d) == 0) {
        atomic_keep(hm, 2);
        rc = 0;
    }
out:
    atomic_abort(&hm[0]);
    atomic_abort(&hm[1]);
    for (int i = 0; i < nf; i++)
        free(figs[i].svg);
    return rc;
}

/* Every file of the run is built in a sibling of `out` and the folder is
 * swapped in whole (atomic_dir): no file of an earlier run stays beside
 * the new ones, a concurrent writer waits, and a failure or a signal at
 * any step leaves the previous folder as it was. */
int out_write_run(const char *out, const out_sections *sc, int want_trials, int plots,
                  FILE *warn, diag *d)
{
    const report *rep = sc->rep;
    size_t nf = OUT_ENV_PLOTS + (sc->er ? PLOT_ENV_FILES(rep->s->nalts) : 0);
    atomic_file *f = calloc(nf, sizeof *f);
    if (!f)
        return diag_runtime(d, "out of memory");
    atomic_dir od;
    if (atomic_dir_begin(&od, out, d)) {
        free(f);
        return -1;
    }
    char dir[1100], path[1200];
    snprintf(dir, sizeof dir, "%s", od.tmp);
    /* the charts' data and scripts first, so that gnuplot draws while the
     * other files are written and synced: two gnuplots (PNG and SVG of a
     * figure each) on two cores instead of waiting for them at the end */
    plot_batch *charts = NULL;
    if (!rep->meta.stream && plot_write(dir, rep, &f[OUT_PLOTS], d)) /* streamed: no data to plot */
        goto fail;
    if (sc->dr && plot_write_bid(dir, rep, sc->dr, &f[OUT_BID_PLOTS], d))
        goto fail;
    if (sc->er && plot_write_envelope(dir, rep, sc->er, &f[OUT_ENV_PLOTS], d))
        goto fail;
    if (atomic_commit_all(f + OUT_PLOTS, nf - OUT_PLOTS, d))
        goto fail;
    atomic_keep(f + OUT_PLOTS, nf - OUT_PLOTS);
    if (plots) {
        html_figure figs[8];
        const char *names[8];
        int nfig = report_figures(sc, figs);
        for (int i = 0; i < nfig; i++)
            names[i] = figs[i].name;
        charts = plot_run_start(dir, rep, sc->dr != NULL, sc->er != NULL, names, (size_t)nfig);
    }
    if (join(path, sizeof path, dir, "summary.json", d) || atomic_open(&f[OUT_SUMMARY], path, d))
        goto fail;
    if (report_json(f[OUT_SUMMARY].fp, rep, json_sections, sc)) {
        diag_runtime(d, "cannot write '%s'", path);
        goto fail;
    }
    if (join(path, sizeof path, dir, "run.log", d) || atomic_open(&f[OUT_LOG], path, d))
        goto fail;
    report_table(f[OUT_LOG].fp, rep);
    if (sc->dr) {
        fputc('\n', f[OUT_LOG].fp);
        dec_print(f[OUT_LOG].fp, rep, sc->dr);
    }
    if (sc->er) {
        fputc('\n', f[OUT_LOG].fp);
        env_print(f[OUT_LOG].fp, rep, sc->er);
    }
    if (want_trials) {
        if (join(path, sizeof path, dir, "trials.csv", d) || atomic_open(&f[OUT_TRIALS], path, d))
            goto fail;
        if (report_trials_csv(f[OUT_TRIALS].fp, rep)) {
            diag_runtime(d, "cannot write '%s'", path);
            goto fail;
        }
    }
    if (join(path, sizeof path, dir, "report.xlsx", d) || atomic_open(&f[OUT_XLSX], path, d) ||
        xlsx_write(f[OUT_XLSX].tmp, path, rep, sc->dr, sc->er, d))
        goto fail;
    if (join(path, sizeof path, dir, "comparison.csv", d) || atomic_open(&f[OUT_COMPARISON], path, d))
        goto fail;
    if (xlsx_comparison_csv(f[OUT_COMPARISON].fp, rep)) {
        diag_runtime(d, "cannot write '%s'", path);
        goto fail;
    }
    if (atomic_commit_all(f, OUT_PLOTS, d))
        goto fail;
    atomic_keep(f, OUT_PLOTS);
    if (charts)
        plot_run_pngs(charts, out, warn);
    else if (plots) /* no memory for the batch: one figure at a time */
        plot_draw(dir, out, rep, sc->dr != NULL, sc->er != NULL, warn);
    /* the report comes last: it embeds the charts gnuplot draws from the
     * data files */
    plot_batch *svgs = charts;
    charts = NULL; /* write_report finishes it, whatever happens */
    if (write_report(dir, sc, svgs, d) || atomic_dir_commit(&od, d))
        goto fail;
    free(f);
    return 0;
fail:
    plot_batch_abort(charts); /* no gnuplot left drawing into a folder about to go */
    for (size_t i = 0; i < nf; i++)
        atomic_abort(&f[i]);
    atomic_dir_abort(&od);
    free(f);
    return -1;
}

