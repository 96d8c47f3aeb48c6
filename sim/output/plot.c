/*
 * plot — data files, self-contained gnuplot scripts, and gnuplot runs.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "decision.h"
#include "envelope.h"
#include "plot.h"
#include "readfile.h"
#include "cancel.h"
#include "textesc.h"
#include "warn.h"

/* Envelope fan charts drawn in one batch, at most. */
#define SWP_MAX_FANS 8

extern char **environ;

struct plot_tmpl {
    const char *name;
    const char *text;
};
extern const struct plot_tmpl plot_templates_gen[];

#define GNUPLOT_TIMEOUT_S 30

const char *plot_template(const char *name)
{
    for (size_t i = 0; plot_templates_gen[i].name; i++)
        if (strcmp(plot_templates_gen[i].name, name) == 0)
            return plot_templates_gen[i].text;
    return NULL;
}

char *plot_quote(char *buf, size_t n, const char *s)
{
    return txt_gnuplot(buf, n, s);
}

/* A growable text buffer for data files and scripts. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
    int oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->n;
        int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? room : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = 1;
            return;
        }
        if ((size_t)k < room) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap - b->n <= (size_t)k)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
}

/* Append s as a gnuplot string literal (plot_quote), whole: two bytes a
 * character at most ('' for a quote) and the quotes fit the buffer. */
static void sb_quote(sbuf *b, const char *s)
{
    size_t cap = 2 * strlen(s) + 3;
    char *q = malloc(cap);
    if (!q) {
        b->oom = 1;
        return;
    }
    sb_printf(b, "%s", plot_quote(q, cap, s));
    free(q);
}

/* A formatted string of any length (malloc'd), or NULL when out of memory. */
static char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *str_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = k < 0 ? NULL : malloc((size_t)k + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)k + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* Fill an uncommitted temporary for dir/name: the caller renames it into
 * place together with the run's other outputs. */
static int write_file(const char *dir, const char *name, sbuf *b, atomic_file *f, diag *d)
{
    char *path = str_printf("%s/%s", dir, name);
    int rc = 0;
    if (!path)
        rc = diag_runtime(d, "out of memory while writing '%s/%s'", dir, name);
    else if (b->oom)
        rc = diag_runtime(d, "out of memory while writing '%s'", path);
    else if (atomic_open(f, path, d))
        rc = -1;
    else if (b->n && fwrite(b->p, 1, b->n, f->fp) != b->n)
        rc = diag_runtime(d, "cannot write '%s'", path);
    free(path);
    return rc;
}

/* One gnuplot process rendering dir/NAME.gp.  As a PNG: to a temporary
 * renamed to NAME.png on success.  As an SVG: to a temporary whose text is
 * handed back and which is then removed.  Both, PNG first: one process
 * draws the two, with a `reset` between (the images are byte for byte a
 * lone process's), because starting gnuplot (loading its libraries and
 * fonts) costs more than drawing.  Processes are started first and
 * waited for afterwards, so a report's figures render side by side. */
typedef struct draw_job {
    pid_t pid;            /* 0: not started, or waited for */
    int png, svg;         /* the images asked for */
    int svg_index;        /* where a batch hands back the SVG; -1: none */
    int failed_exit;      /* gnuplot ran and exited non-zero */
    int done;             /* collected: the results below are final */
    int png_rc;           /* when done: 0, or -1 with png_why */
    char *svg_buf;        /* when done: the SVG (malloc'd), or NULL */
    size_t svg_len;
    char name[128];       /* a figure: "fan_" and an alternative's name at most */
    char *tmp, *final;    /* the PNG's temporary and name; malloc'd: any length of folder */
    char *svg_tmp;        /* the SVG's temporary */
    struct timespec start;
    char why[1600];       /* why it failed to start */
    char png_why[1600];
} draw_job;

/* "cd 'DIR'; [reset; svg = 1; ]outfile = 'TMPNAME'" for -e, malloc'd, or
 * NULL when out of memory. */
static char *draw_expr(const char *dir, int svg, int again, const char *tmpname)
{
    sbuf e = {0};
    if (again) /* the PNG's settings must not reach the SVG */
        sb_printf(&e, "reset; ");
    else {
        sb_printf(&e, "cd ");
        sb_quote(&e, dir);
        sb_printf(&e, "; ");
    }
    sb_printf(&e, "%soutfile = '%s'", svg ? "svg = 1; " : "", tmpname);
    if (e.oom) {
        free(e.p);
        return NULL;
    }
    return e.p;
}

static void draw_start(const char *dir, const char *name, int png, int svg, draw_job *j)
{
    char pngname[160], svgname[160], script[160];
    memset(j, 0, sizeof *j);
    j->png = png;
    j->svg = svg;
    j->svg_index = -1;
    snprintf(j->name, sizeof j->name, "%s", name);
    int ctl = 0; /* plot_quote drops ASCII controls: that would be another folder */
    for (const char *c = dir; *c; c++)
        ctl |= (unsigned char)*c < 0x20 || *c == 0x7f;
    if (ctl) {
        snprintf(j->why, sizeof j->why, "the output folder name has control characters");
        return;
    }
    snprintf(pngname, sizeof pngname, ".%s.png.tmp", name);
    snprintf(svgname, sizeof svgname, ".%s.svg.tmp", name);
    snprintf(script, sizeof script, "%s.gp", name);
    /* a cut folder name would send gnuplot (and our rename) elsewhere:
     * every string that holds it is sized from it */
    char *e1 = png ? draw_expr(dir, 0, 0, pngname) : draw_expr(dir, 1, 0, svgname);
    char *e2 = png && svg ? draw_expr(dir, 1, 1, svgname) : NULL;
    j->tmp = str_printf("%s/%s", dir, pngname);
    j->svg_tmp = str_printf("%s/%s", dir, svgname);
    j->final = str_printf("%s/%s.png", dir, name);
    if (!e1 || (png && svg && !e2) || !j->tmp || !j->svg_tmp || !j->final) {
        free(e1);
        free(e2);
        snprintf(j->why, sizeof j->why, "out of memory while starting gnuplot");
        return;
    }

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {"gnuplot", "-e", e1, script, e2 ? "-e" : NULL, e2, script, NULL};
    int rc = posix_spawnp(&j->pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(e1);
    free(e2);
    if (rc) {
        j->pid = 0;
        snprintf(j->why, sizeof j->why, "cannot start gnuplot: %s", strerror(rc));
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &j->start);
}

/* Remove what a job that failed may have left. */
static void draw_unlink(draw_job *j)
{
    if (j->tmp)
        unlink(j->tmp);
    if (j->svg_tmp)
        unlink(j->svg_tmp);
}

/* Wait for a started job's process (GNUPLOT_TIMEOUT_S from its start, then
 * it is killed).  Returns 0 when gnuplot exited 0, else -1 (reason in
 * `why`, temporaries removed). */
static int draw_reap(draw_job *j, char *why, size_t nwhy)
{
    if (!j->pid) {
        snprintf(why, nwhy, "%s", j->why);
        return -1;
    }
    int status = 0;
    pid_t pid = j->pid;
    struct timespec nap = {0, 1000 * 1000};
    j->pid = 0; /* waited for below, whatever happens */
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            snprintf(why, nwhy, "waiting for gnuplot: %s", strerror(errno));
            return -1;
        }
        if (cancel_signal) { /* SIGINT, SIGTERM, SIGHUP: stop drawing now */
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            draw_unlink(j);
            snprintf(why, nwhy, "interrupted");
            return -1;
        }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - j->start.tv_sec >= GNUPLOT_TIMEOUT_S) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            draw_unlink(j);
            snprintf(why, nwhy, "gnuplot did not finish in %d s", GNUPLOT_TIMEOUT_S);
            return -1;
        }
        nanosleep(&nap, NULL);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        draw_unlink(j);
        j->failed_exit = 1;
        snprintf(why, nwhy, "gnuplot failed on %s.gp", j->name);
        return -1;
    }
    return 0;
}

/* The SVG a job drew, read and removed.  Returns 0 or -1 (reason in why). */
static int take_svg(draw_job *j, char **svg, size_t *svg_len, char *why, size_t nwhy)
{
    char *buf;
    size_t len;
    /* a chart of a few thousand points is kilobytes: a gigabyte is
     * a runaway gnuplot, refused rather than embedded */
    int ok = rf_load(j->svg_tmp, (size_t)1 << 30, &buf, &len, NULL) == RF_OK;
    unlink(j->svg_tmp);
    if (!ok) {
        snprintf(why, nwhy, "cannot read the SVG gnuplot drew for %s", j->name);
        return -1;
    }
    if (atomic_verify_bytes(".svg", (const unsigned char *)buf, len)) {
        free(buf);
        snprintf(why, nwhy, "the SVG gnuplot drew for %s is damaged (a full disk?)", j->name);
        return -1;
    }
    *svg = buf;
    *svg_len = len;
    return 0;
}

/* The PNG a job drew, checked and renamed into place.  Returns 0 or -1. */
static int take_png(draw_job *j, char *why, size_t nwhy)
{
    /* gnuplot exits 0 with a truncated image when the disk is full */
    if (atomic_verify_file(j->tmp, j->final, NULL)) {
        unlink(j->tmp);
        snprintf(why, nwhy, "the image gnuplot drew for %s is damaged (a full disk?)", j->name);
        return -1;
    }
    if (rename(j->tmp, j->final)) {
        unlink(j->tmp);
        snprintf(why, nwhy, "cannot rename '%s': %s", j->tmp, strerror(errno));
        return -1;
    }
    return 0;
}

static void draw_free(draw_job *j)
{
    free(j->tmp);
    free(j->svg_tmp);
    free(j->final);
    j->tmp = j->svg_tmp = j->final = NULL;
}

/* Wait for a job of one image and collect it.  Returns 0 or -1 (reason in
 * `why`). */
static int draw_collect(draw_job *j, char **svg, size_t *svg_len, char *why, size_t nwhy)
{
    if (draw_reap(j, why, nwhy))
        return -1;
    return j->svg ? take_svg(j, svg, svg_len, why, nwhy) : take_png(j, why, nwhy);
}

/* draw_collect, then the job's strings freed: every started or failed
 * job is waited for exactly once. */
static int draw_wait(draw_job *j, char **svg, size_t *svg_len, char *why, size_t nwhy)
{
    int rc = draw_collect(j, svg, svg_len, why, nwhy);
    draw_free(j);
    return rc;
}

/* Collect a job into its own results (done, png_rc, svg_buf).  A job of
 * both images whose gnuplot failed is drawn again one image a process, as
 * before they shared one: a terminal that fails (a gnuplot without
 * pngcairo) must not cost the other image. */
static void draw_settle(const char *dir, draw_job *j)
{
    char why[1600];
    j->done = 1;
    j->png_rc = -1;
    if (draw_reap(j, j->png_why, sizeof j->png_why)) {
        if (j->png && j->svg && j->failed_exit && !cancel_signal) {
            draw_job one;
            draw_start(dir, j->name, 1, 0, &one);
            j->png_rc = draw_wait(&one, NULL, NULL, j->png_why, sizeof j->png_why);
            draw_start(dir, j->name, 0, 1, &one);
            if (draw_wait(&one, &j->svg_buf, &j->svg_len, why, sizeof why))
                j->svg_buf = NULL;
        }
        draw_free(j);
        return;
    }
    if (j->png)
        j->png_rc = take_png(j, j->png_why, sizeof j->png_why);
    if (j->svg && take_svg(j, &j->svg_buf, &j->svg_len, why, sizeof why))
        j->svg_buf = NULL;
    draw_free(j);
}

/* The script: the run's values as gnuplot variables, then the template. */
static void script_head(sbuf *b, const char *file, const report *rep, const char *metric_label,
                        int metric_col)
{
    sb_printf(b, "# capmix %s: redraw with `gnuplot %s` in this folder\n", rep->meta.version,
              file);
    /* a comment line must stay one line: no control characters from the path */
    char *path = str_printf("%s", rep->s->file);
    if (!path) {
        b->oom = 1;
        return;
    }
    for (char *c = path; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    sb_printf(b, "# scenario %s (sha256 %s), seed %llu, %llu trials\n", path, rep->s->sha256, (unsigned long long)rep->s->seed,
              (unsigned long long)rep->r->trials);
    free(path);
    sb_printf(b, "scenario = ");
    sb_quote(b, rep->s->name);
    sb_printf(b, "\ncurrency = ");
    sb_quote(b, rep->s->currency);
    sb_printf(b, "\nnalts = %zu\n", rep->s->nalts);
    if (metric_label) {
        sb_printf(b, "metric_label = ");
        sb_quote(b, metric_label);
        sb_printf(b, "\nmetric_col = %d\n", metric_col);
    }
}

int plot_write(const char *dir, const report *rep, atomic_file out[PLOT_FILES], diag *d)
{
    const scn_scenario *s = rep->s;
    sbuf cdf = {0}, box = {0}, gp1 = {0}, gp2 = {0};
    int backlog = s->work.outcomes > 0;

    for (size_t a = 0; a < s->nalts; a++) {
        const report_cdf *c1 = &rep->alts[a].cdf_total, *c2 = &rep->alts[a].cdf_blended;
        sb_printf(&cdf, "%s\"%s\" \"cost_total\" \"blended_cost\"\n", a ? "\n\n" : "",
                  s->alts[a].name);
        for (int k = 0; k <= REPORT_CDF_STEPS; k++) {
            double p = k / (double)REPORT_CDF_STEPS;
            if (isfinite(c1->q[k]) && isfinite(c2->q[k]))
                sb_printf(&cdf, "%.6f %.17g %.17g\n", p, c1->q[k], c2->q[k]);
        }
        const stats_summary *c = &rep->alts[a].m[M_COST_PER_OUTCOME];
        sb_printf(&box, "%zu %s %.17g %.17g %.17g %.17g %.17g %.17g\n", a, s->alts[a].name,
                  c->p10, c->p25, c->p50, c->p75, c->p90, rep->alts[a].cpo.value);
    }
    const char *t1 = plot_template("cost_cdf"), *t2 = plot_template("cost_per_outcome");
    if (!t1 || !t2) {
        free(cdf.p);
        free(box.p);
        return diag_runtime(d, "internal error: a plot template is missing from the build");
    }
    script_head(&gp1, "cost_cdf.gp", rep, backlog ? "blended cost" : "total cost", backlog ? 3 : 2);
    sb_printf(&gp1, "%s", t1);
    script_head(&gp2, "cost_per_outcome.gp", rep, NULL, 0);
    sb_printf(&gp2, "%s", t2);
    int rc = write_file(dir, "cost_cdf.dat", &cdf, &out[0], d) ||
             write_file(dir, "cost_cdf.gp", &gp1, &out[1], d) ||
             write_file(dir, "cost_per_outcome.dat", &box, &out[2], d) ||
             write_file(dir, "cost_per_outcome.gp", &gp2, &out[3], d);
    free(cdf.p);
    free(box.p);
    free(gp1.p);
    free(gp2.p);
    return rc ? -1 : 0;
}

int plot_write_bid(const char *dir, const report *rep, const dec_report *dr,
                   atomic_file out[PLOT_BID_FILES], diag *d)
{
    const scn_scenario *s = rep->s;
    const eng_results *r = rep->r;
    size_t n = (size_t)r->trials;
    /* the verdict's pair: first bid against its best mix on the verdict metric */
    eng_metric vm = dist_mean(&s->work.cod) > 0 ? M_BLENDED_COST : M_COST_TOTAL;
    const dec_pair *best = NULL;
    for (size_t k = 0; k < dr->npairs; k++) {
        const dec_pair *p = &dr->pairs[k];
        if (p->metric == vm && (!best || (p->bid == best->bid && p->m.risk < best->m.risk)))
            best = p;
    }
    if (!best)
        return diag_runtime(d, "internal error: no bid pair to plot");
    sbuf cdf = {0}, ce = {0}, gp1 = {0}, gp2 = {0};
    size_t blocks = 0;
    double scale = best->b.mean;
    sb_printf(&ce, "\"risk_tolerance\"");
    for (size_t a = 0; a < s->nalts; a++)
        sb_printf(&ce, " \"%s\"", s->alts[a].name);
    sb_printf(&ce, "\n");
    for (size_t a = 0; a < s->nalts; a++) {
        const report_cdf *c = vm == M_BLENDED_COST ? &rep->alts[a].cdf_blended : &rep->alts[a].cdf_total;
        sb_printf(&cdf, "%s\"%s\" \"cost\"\n", blocks ? "\n\n" : "", s->alts[a].name);
        blocks++;
        for (int k = 0; k <= REPORT_CDF_STEPS; k++)
            if (isfinite(c->q[k]))
                sb_printf(&cdf, "%.6f %.17g\n", k / (double)REPORT_CDF_STEPS, c->q[k]);
    }
    for (int k = 0; k <= 60; k++) {
        double R = 0.01 * scale * pow(1e4, k / 60.0);
        sb_printf(&ce, "%.17g", R);
        for (size_t a = 0; a < s->nalts; a++)
            sb_printf(&ce, " %.17g", dec_ce(eng_metric_data(r, a, vm), n, R));
        sb_printf(&ce, "\n");
    }
    /* histogram of the verdict pair: 40 bins over both ranges, up to the
     * larger P99.5 so one extreme trial does not flatten the picture */
    sbuf hist = {0}, gp3 = {0};
    {
        const double *xb = eng_metric_data(r, best->bid, vm), *xm = eng_metric_data(r, best->mix, vm);
        double lo = INFINITY, hi = -INFINITY;
        for (int side = 0; side < 2; side++) {
            const report_alt *ra = &rep->alts[side ? best->mix : best->bid];
            double top = (vm == M_BLENDED_COST ? &ra->cdf_blended : &ra->cdf_total)->p995;
            if (ra->m[vm].min < lo)
                lo = ra->m[vm].min;
            if (isfinite(top) && top > hi)
                hi = top;
        }
        enum { BINS = 40 };
        double cb[BINS] = {0}, cm[BINS] = {0}, w = hi > lo ? (hi - lo) / BINS : 1;
        for (size_t t = 0; t < n; t++) {
            long ib = (long)floor((xb[t] - lo) / w), im = (long)floor((xm[t] - lo) / w);
            if (ib >= 0 && ib < BINS)
                cb[ib] += 1.0 / (double)n;
            if (im >= 0 && im < BINS)
                cm[im] += 1.0 / (double)n;
        }
        sb_printf(&hist, "\"cost\" \"%s\" \"%s\"\n", s->alts[best->bid].name, s->alts[best->mix].name);
        for (int k = 0; k < BINS; k++)
            sb_printf(&hist, "%.17g %.17g %.17g\n", lo + (k + 0.5) * w, cb[k], cm[k]);
    }
    const char *t1 = plot_template("bid_cdf"), *t2 = plot_template("bid_ce"),
               *t3 = plot_template("bid_hist");
    char money[64];
    const char *metric_label = vm == M_BLENDED_COST ? "blended cost" : "total cost";
    char *lbl = str_printf("break-even vs %s: %s", s->alts[best->mix].name,
                           dec_money(money, sizeof money, best->break_even, s->currency));
    if (!lbl)
        gp1.oom = gp3.oom = 1; /* write_file reports it */
    script_head(&gp1, "bid_cdf.gp", rep, metric_label, 0);
    sb_printf(&gp1, "nblocks = %zu\nprice = %.17g\nbreakeven = %.17g\nbe_label = ", blocks,
              dist_mean(&s->alts[best->bid].bid.price), best->break_even);
    sb_quote(&gp1, lbl ? lbl : "");
    sb_printf(&gp1, "\n%s", t1 ? t1 : "");
    script_head(&gp2, "bid_ce.gp", rep, metric_label, 0);
    sb_printf(&gp2, "ncols = %zu\n%s", s->nalts + 1, t2 ? t2 : "");
    script_head(&gp3, "bid_hist.gp", rep, metric_label, 0);
    sb_printf(&gp3, "price = %.17g\nbreakeven = %.17g\nbe_label = ",
              dist_mean(&s->alts[best->bid].bid.price), best->break_even);
    sb_quote(&gp3, lbl ? lbl : "");
    sb_printf(&gp3, "\n%s", t3 ? t3 : "");
    free(lbl);
    int rc = !t1 || !t2 || !t3
                 ? diag_runtime(d, "internal error: a plot template is missing from the build")
                 : (write_file(dir, "bid_cdf.dat", &cdf, &out[0], d) ||
                    write_file(dir, "bid_cdf.gp", &gp1, &out[1], d) ||
                    write_file(dir, "bid_ce.dat", &ce, &out[2], d) ||
                    write_file(dir, "bid_ce.gp", &gp2, &out[3], d) ||
                    write_file(dir, "bid_hist.dat", &hist, &out[4], d) ||
                    write_file(dir, "bid_hist.gp", &gp3, &out[5], d));
    free(cdf.p);
    free(ce.p);
    free(gp1.p);
    free(gp2.p);
    free(hist.p);
    free(gp3.p);
    return rc ? -1 : 0;
}

int plot_write_envelope(const char *dir, const report *rep, const struct env_report *er,
                        atomic_file *out, diag *d)
{
    const scn_scenario *s = rep->s;
    const eng_results *r = rep->r;
    const char *t1 = plot_template("envelope_cdf"), *t2 = plot_template("envelope_fan");
    if (!t1 || !t2)
        return diag_runtime(d, "internal error: a plot template is missing from the build");
    sbuf gp = {0};
    script_head(&gp, "envelope_cdf.gp", rep, NULL, 0);
    sb_printf(&gp, "conf = %.17g\n", er->c);
    sb_printf(&gp, "%s", t1);
    int rc = write_file(dir, "envelope_cdf.gp", &gp, &out[0], d);
    free(gp.p);
    for (size_t a = 0; !rc && a < s->nalts; a++) {
        const report_alt *ra = &rep->alts[a];
        sbuf dat = {0}, g = {0};
        char name[SCN_NAME_MAX + 16];
        sb_printf(&dat, "\"month\" \"day\" \"spend_p10\" \"spend_p50\" \"spend_p90\" "
                        "\"accepted_p10\" \"accepted_p50\" \"accepted_p90\"\n");
        sb_printf(&dat, "0 0 0 0 0 0 0 0\n");
        for (int m = 0; m < r->months; m++)
            sb_printf(&dat, "%d %.17g %.17g %.17g %.17g %.17g %.17g %.17g\n", m + 1,
                      (m + 1) * s->cal.days_per_month, ra->cost_fan.p10[m], ra->cost_fan.p50[m],
                      ra->cost_fan.p90[m], ra->accepted_fan.p10[m], ra->accepted_fan.p50[m],
                      ra->accepted_fan.p90[m]);
        snprintf(name, sizeof name, "fan_%s.gp", s->alts[a].name);
        script_head(&g, name, rep, NULL, 0);
        snprintf(name, sizeof name, "fan_%s.dat", s->alts[a].name);
        sb_printf(&g, "datafile = ");
        sb_quote(&g, name);
        sb_printf(&g, "\nalt = ");
        sb_quote(&g, s->alts[a].name);
        sb_printf(&g, "\nconf = %.17g\nenvelope = %.17g\n%s", er->c, er->alts[a].at_c_total.value, t2);
        rc = write_file(dir, name, &dat, &out[1 + 2 * a], d);
        snprintf(name, sizeof name, "fan_%s.gp", s->alts[a].name);
        if (!rc)
            rc = write_file(dir, name, &g, &out[2 + 2 * a], d);
        free(dat.p);
        free(g.p);
    }
    return rc ? -1 : 0;
}

int plot_svg(const char *dir, const char *fig, char **svg, size_t *len)
{
    return plot_svg_many(dir, &fig, 1, svg, len);
}

struct plot_batch {
    char *dir;
    const report *rep;    /* a run's batch: the envelope's fans still to draw */
    int with_env;
    size_t next_fan;
    size_t nsvg;          /* SVGs handed back by plot_svg_finish */
    size_t n;
    draw_job jobs[];
};

static plot_batch *batch_new(const char *dir, size_t n, size_t nsvg)
{
    plot_batch *b = calloc(1, sizeof *b + (n ? n : 1) * sizeof b->jobs[0]);
    if (b && !(b->dir = strdup(dir))) {
        free(b);
        return NULL;
    }
    if (b) {
        b->n = n;
        b->nsvg = nsvg;
    }
    return b;
}

plot_batch *plot_svg_start(const char *dir, const char *const *figs, size_t n)
{
    plot_batch *b = batch_new(dir, n, n);
    if (!b)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        draw_start(dir, figs[i], 0, 1, &b->jobs[i]);
        b->jobs[i].svg_index = (int)i;
    }
    return b;
}

int plot_svg_finish(plot_batch *b, char **svg, size_t *len)
{
    if (!b)
        return -1;
    for (size_t i = 0; i < b->nsvg; i++) {
        svg[i] = NULL;
        len[i] = 0;
    }
    for (size_t i = 0; i < b->n; i++) {
        draw_job *j = &b->jobs[i];
        if (!j->done)
            draw_settle(b->dir, j);
        if (j->svg_index >= 0) {
            svg[j->svg_index] = j->svg_buf;
            len[j->svg_index] = j->svg_len;
            j->svg_buf = NULL;
        }
    }
    int failed = 0;
    for (size_t i = 0; i < b->nsvg; i++)
        failed |= !svg[i];
    free(b->dir);
    free(b);
    return failed ? -1 : 0;
}

void plot_batch_abort(plot_batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        draw_job *j = &b->jobs[i];
        if (j->pid) {
            int status;
            kill(j->pid, SIGKILL);
            waitpid(j->pid, &status, 0);
            draw_unlink(j);
        }
        free(j->svg_buf);
        draw_free(j);
    }
    free(b->dir);
    free(b);
}

int plot_svg_many(const char *dir, const char *const *figs, size_t n, char **svg, size_t *len)
{
    plot_batch *b = plot_svg_start(dir, figs, n);
    if (!b) {
        for (size_t i = 0; i < n; i++) {
            svg[i] = NULL;
            len[i] = 0;
        }
        return -1;
    }
    return plot_svg_finish(b, svg, len);
}

/* Draw figures side by side; a missing gnuplot is said once.  Returns -1
 * when gnuplot could not be started at all. */
static int draw_many(const char *dir, const char *shown, const char *const *figs, size_t n, FILE *warn)
{
    draw_job *jobs = calloc(n ? n : 1, sizeof *jobs);
    int missing = 0;
    if (!jobs) {
        warn_emit(warn, "out of memory while drawing the charts; the data and scripts are in %s", shown);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        draw_start(dir, figs[i], 1, 0, &jobs[i]);
    for (size_t i = 0; i < n; i++) {
        char why[1600];
        if (!draw_wait(&jobs[i], NULL, NULL, why, sizeof why) || cancel_signal)
            continue;
        if (strstr(why, "cannot start")) {
            if (!missing)
                warn_emit(warn, "%s; the data and script are in %s (draw with: cd %s && gnuplot %s.gp)",
                      why, shown, shown, figs[i]);
            missing = 1;
            continue;
        }
        warn_emit(warn, "%s; the data and script are in %s (draw with: cd %s && gnuplot %s.gp)", why,
              shown, shown, figs[i]);
    }
    free(jobs);
    return missing ? -1 : 0;
}

/* Draw one figure; a missing gnuplot is said once. */
int plot_draw_one(const char *dir, const char *shown, const char *fig, FILE *warn)
{
    return draw_many(dir, shown, &fig, 1, warn);
}

/* The run's figures (plot_draw's): the main ones, then the envelope's
 * fans. */
static const char *const run_figs[] = {"cost_cdf", "cost_per_outcome", "bid_cdf", "bid_ce",
                                       "bid_hist", "envelope_cdf"};

static int run_fig_wanted(size_t i, int with_bid, int with_env)
{
    return !((i >= 2 && i <= 4 && !with_bid) || (i == 5 && !with_env));
}

plot_batch *plot_run_start(const char *dir, const report *rep, int with_bid, int with_env,
                           const char *const *svgs, size_t nsvg)
{
    size_t nfig = sizeof run_figs / sizeof run_figs[0];
    plot_batch *b = batch_new(dir, nfig + SWP_MAX_FANS + nsvg, nsvg);
    if (!b)
        return NULL;
    b->rep = rep;
    b->with_env = with_env;
    size_t n = 0;
    for (size_t i = 0; i < nfig; i++) {
        if (!run_fig_wanted(i, with_bid, with_env))
            continue;
        int k = -1;
        for (size_t m = 0; m < nsvg; m++)
            if (strcmp(svgs[m], run_figs[i]) == 0)
                k = (int)m;
        draw_start(dir, run_figs[i], 1, k >= 0, &b->jobs[n]);
        b->jobs[n++].svg_index = k;
    }
    /* the first of the envelope's fans with them, as plot_draw's first batch */
    for (; with_env && b->next_fan < rep->s->nalts && n < nfig + SWP_MAX_FANS; b->next_fan++) {
        char name[SCN_NAME_MAX + 8];
        snprintf(name, sizeof name, "fan_%s", rep->s->alts[b->next_fan].name);
        draw_start(dir, name, 1, 0, &b->jobs[n++]);
    }
    b->n = n;
    /* an SVG asked for that is no run figure is drawn on its own */
    for (size_t m = 0; m < nsvg; m++) {
        int found = 0;
        for (size_t i = 0; i < n; i++)
            found |= b->jobs[i].svg_index == (int)m;
        if (!found) {
            draw_start(dir, svgs[m], 0, 1, &b->jobs[b->n]);
            b->jobs[b->n++].svg_index = (int)m;
        }
    }
    return b;
}

void plot_run_pngs(plot_batch *b, const char *shown, FILE *warn)
{
    int missing = 0;
    for (size_t i = 0; i < b->n; i++) {
        draw_job *j = &b->jobs[i];
        if (!j->png)
            continue;
        draw_settle(b->dir, j);
        if (!j->png_rc || cancel_signal)
            continue;
        if (strstr(j->png_why, "cannot start")) {
            if (!missing)
                warn_emit(warn, "%s; the data and script are in %s (draw with: cd %s && gnuplot %s.gp)",
                          j->png_why, shown, shown, j->name);
            missing = 1;
            continue;
        }
        warn_emit(warn, "%s; the data and script are in %s (draw with: cd %s && gnuplot %s.gp)",
                  j->png_why, shown, shown, j->name);
    }
    if (missing || cancel_signal || !b->with_env)
        return; /* no gnuplot: one warning is enough */
    /* the rest of the envelope's fans, in batches that keep the list bounded */
    char names[6 + SWP_MAX_FANS][SCN_NAME_MAX + 8];
    const char *list[6 + SWP_MAX_FANS];
    while (b->next_fan < b->rep->s->nalts) {
        size_t m = 0;
        for (; b->next_fan < b->rep->s->nalts && m < 6 + SWP_MAX_FANS; b->next_fan++, m++) {
            snprintf(names[m], sizeof names[m], "fan_%s", b->rep->s->alts[b->next_fan].name);
            list[m] = names[m];
        }
        if (draw_many(b->dir, shown, list, m, warn) || cancel_signal)
            return;
    }
}

void plot_draw(const char *dir, const char *shown, const report *rep, int with_bid, int with_env,
               FILE *warn)
{
    const char *const *figs = run_figs;
    char names[6 + SWP_MAX_FANS][SCN_NAME_MAX + 8];
    const char *list[6 + SWP_MAX_FANS];
    size_t n = 0;
    for (size_t i = 0; i < sizeof run_figs / sizeof run_figs[0]; i++) {
        if (!run_fig_wanted(i, with_bid, with_env))
            continue;
        list[n++] = figs[i];
    }
    /* the envelope's fans, in batches that keep the list bounded */
    size_t a = 0;
    do {
        size_t m = n;
        for (; with_env && a < rep->s->nalts && m < 6 + SWP_MAX_FANS; a++) {
            snprintf(names[m], sizeof names[m], "fan_%s", rep->s->alts[a].name);
            list[m] = names[m];
            m++;
        }
        if (draw_many(dir, shown, list, m, warn) || cancel_signal)
            return; /* no gnuplot: one warning is enough */
        n = 0;
    } while (with_env && a < rep->s->nalts);
}

