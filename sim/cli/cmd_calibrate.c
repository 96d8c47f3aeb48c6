/*
 * cmd_calibrate — `capmix calibrate --tickets T.csv --invoices I.csv`:
 * source entries for a scenario from what finance and delivery teams
 * actually have (calibrate.h has the schema, docs/model.md "Calibrating
 * from history" the estimators).
 *
 * The fragment is rendered into memory first, together with the warnings
 * it gives rise to; only then are the warnings printed (stderr) and the
 * fragment written (stdout, or -o FILE atomically), so a failure never
 * leaves half a fragment anywhere.  Warnings never change the exit status.
 */
#include <float.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "calfrag.h"
#include "calibrate.h"
#include "cancel.h"
#include "cli.h"
#include "opts.h"
#include "csv.h"
#include "models.h"
#include "textesc.h"

#define MAX_ASSIGN 256
#define CAL_MAX_ERRS 50   /* bad rows listed before "N more errors not shown" */

/* A NAME=VALUE option, kept as given until the sources are known. */
typedef struct assign {
    const char *opt; /* its long name, without "--" */
    const char *arg;
} assign;


typedef struct calibrate_args {
    const char *tickets, *invoices, *out;
    struct assigns {
        assign as[MAX_ASSIGN];
        size_t n;
    } assigns;
    cal_opts o;
    int no_check;
} calibrate_args;

/* --kind, --headcount, --loaded-annual NAME=VALUE: kept in order until
 * the sources are known. */
static int add_assign(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                      diag *d)
{
    (void)c, (void)extra;
    struct assigns *a = dst;
    if (a->n == MAX_ASSIGN)
        return diag_input(d, NULL, 0, 0, "calibrate: more than %d NAME=VALUE options", MAX_ASSIGN);
    a->as[a->n].opt = o->name;
    a->as[a->n].arg = arg;
    a->n++;
    return 0;
}

static int decimal_arg(const char *opt, const char *s, double lo, int lo_open, double *out, diag *d);

static int rework_effort(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra,
                         void *dst, diag *d)
{
    (void)c, (void)o, (void)extra;
    double *e = dst;
    if (decimal_arg("--rework-effort", arg, 0, 0, e, d))
        return -1;
    if (*e > 10)
        return diag_input(d, NULL, 0, 0, "calibrate: --rework-effort above 10 is not an effort");
    return 0;
}

static const opt_def calibrate_opts[] = {
    {.name = "tickets", .kind = OPT_STR, .at = offsetof(calibrate_args, tickets), .metavar = "FILE",
     .help = "one row per pass of work: id, source, started, finished,\noutcome (accepted, rework, "
             "superseded); optional\nreview_hours (senior hours) and reviewed (verdict time)"},
    {.name = "invoices", .kind = OPT_STR, .at = offsetof(calibrate_args, invoices), .metavar = "FILE",
     .help = "month (YYYY-MM), source, amount"},
    {.name = "kind", .kind = OPT_FN, .flags = OPT_REPEAT, .at = offsetof(calibrate_args, assigns),
     .fn = add_assign, .metavar = "NAME=KIND",
     .help = "source NAME's kind (in_house, ai_team, offshore_pod,\nstaff_augmentation, consultants): its "
             "invoices become its\npay keys (an ai_team's are its token bill)"},
    {.name = "headcount", .kind = OPT_FN, .flags = OPT_REPEAT, .at = offsetof(calibrate_args, assigns),
     .fn = add_assign, .metavar = "NAME=N", .help = "source NAME's headcount (an hourly rate needs it)"},
    {.name = "loaded-annual", .kind = OPT_FN, .flags = OPT_REPEAT, .at = offsetof(calibrate_args, assigns),
     .fn = add_assign, .metavar = "NAME=X", .help = "a salaried source's loaded annual cost per person"},
    {.name = "rework-effort", .kind = OPT_FN, .at = offsetof(calibrate_args, o.rework_effort),
     .fn = rework_effort, .metavar = "E", .help = "effort of a rework pass, as throughput counts it (0.5)"},
    {.name = "skip-bad", .kind = OPT_FLAG, .at = offsetof(calibrate_args, o.skip_bad),
     .help = "report bad rows as warnings and leave them out"},
    {.name = "no-check", .kind = OPT_FLAG, .at = offsetof(calibrate_args, no_check),
     .help = "skip the self-check (each source simulated over its\nobserved window against what it showed)"},
    {.name = "out", .letter = 'o', .kind = OPT_STR, .at = offsetof(calibrate_args, out), .metavar = "FILE",
     .help = "write the entries to FILE (atomically), not stdout"},
    {.name = NULL},
};

static const opts_cmd calibrate_cmd = {
    .name = "calibrate",
    .head = "usage: capmix calibrate [--tickets FILE] [--invoices FILE] [--kind NAME=KIND ...]\n"
            "                        [--headcount NAME=N ...] [--loaded-annual NAME=X ...]\n"
            "                        [--rework-effort E] [--skip-bad] [--no-check] [-o FILE]\n"
            "\n"
            "Turn a ticket export and invoices into source entries for a scenario's 'sources:'\n"
            "list: observed outcome counts (first passes and rework passes), observed throughput,\n"
            "empirical review hours and review waits, cycle times to compare with a run, and each\n"
            "source's monthly cost with a fitted growth rate.\n"
            "\n",
    .opts = calibrate_opts,
    .width = 30,
    .foot = "\n"
            "Columns are found by name in any order; dates are ISO 8601 (YYYY-MM-DD, optionally\n"
            "THH:MM[:SS] and Z or +HH:MM).  Bad rows are errors, every one listed (FILE:LINE:COL,\n"
            "exit 2), unless --skip-bad.  Warnings (thin data, trends, keys still needed) go to\n"
            "stderr and do not change the exit status.  Then each source is simulated alone\n"
            "over its observed window (run-rate, 2,000 trials) and its pass time, cycle time,\n"
            "throughput and monthly cost are printed (stderr) against what was observed, with a\n"
            "warning when the observed value lies outside the simulated P5-P95.\n",
    .flags = OPTS_SEE_UNKNOWN,
};

/* NAME=VALUE of an option into the source it names. */
static int resolve(const assign *as, const cal_result *r, const char *const *names, size_t *src,
                   const char **value, diag *d)
{
    const char *eq = strchr(as->arg, '=');
    if (!eq || eq == as->arg || !eq[1])
        return diag_input(d, NULL, 0, 0, "calibrate: --%s needs NAME=VALUE, not '%s'", as->opt, as->arg);
    char name[CAL_NAME_MAX];
    size_t len = (size_t)(eq - as->arg);
    if (len < sizeof name) {
        memcpy(name, as->arg, len);
        name[len] = '\0';
        for (size_t i = 0; i < r->nsources; i++)
            if (strcmp(r->sources[i].name, name) == 0) {
                *src = i;
                *value = eq + 1;
                return 0;
            }
    } else {
        snprintf(name, sizeof name, "%.*s", (int)(sizeof name - 1), as->arg);
    }
    char hint[96] = "";
    diag_hint(hint, sizeof hint, name, names);
    return diag_input(d, NULL, 0, 0, "calibrate: --%s: no source '%s' in the data%s", as->opt, name,
                      hint);
}

static int decimal_arg(const char *opt, const char *s, double lo, int lo_open, double *out,
                       diag *d)
{
    if (opts_double(opt, s, lo, DBL_MAX, out, NULL) || (lo_open && *out == lo))
        return diag_input(d, NULL, 0, 0, "calibrate: %s needs a number %s %g, not '%s'", opt,
                          lo_open ? ">" : ">=", lo, s);
    return 0;
}

static int build_specs(const assign *as, size_t nas, const cal_result *r, calfrag_spec *sp, diag *d)
{
    const char **names = malloc((r->nsources + 1) * sizeof *names);
    unsigned char *seen = calloc(r->nsources ? 3 * r->nsources : 1, 1);
    int rc = -1;
    if (!names || !seen) {
        diag_runtime(d, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < r->nsources; i++) {
        names[i] = r->sources[i].name;
        sp[i].kind = NULL;
        sp[i].headcount = sp[i].loaded_annual = NAN;
    }
    names[r->nsources] = NULL;
    for (size_t i = 0; i < nas; i++) {
        size_t s = 0;
        const char *v = NULL;
        int which = strcmp(as[i].opt, "kind") == 0 ? 0 : strcmp(as[i].opt, "headcount") == 0 ? 1 : 2;
        if (resolve(&as[i], r, names, &s, &v, d))
            goto done;
        if (seen[3 * s + (size_t)which]++) {
            diag_input(d, NULL, 0, 0, "calibrate: --%s given twice for source '%s'", as[i].opt,
                       r->sources[s].name);
            goto done;
        }
        if (which == 0) {
            if (!(sp[s].kind = model_find(v))) {
                char hint[96] = "", kinds[256];
                diag_hint(hint, sizeof hint, v, model_kind_names());
                diag_input(d, NULL, 0, 0, "calibrate: unknown kind '%s'%s (%s)", v, hint,
                           model_kind_list(kinds, sizeof kinds));
                goto done;
            }
        } else if (which == 1) {
            if (decimal_arg("--headcount", v, 0, 1, &sp[s].headcount, d))
                goto done;
            if (sp[s].headcount > 1e6) {
                diag_input(d, NULL, 0, 0, "calibrate: --headcount %s is not a team", v);
                goto done;
            }
        } else if (decimal_arg("--loaded-annual", v, 0, 0, &sp[s].loaded_annual, d)) {
            goto done;
        }
    }
    for (size_t i = 0; i < r->nsources; i++) {
        if (isnan(sp[i].loaded_annual))
            continue;
        if (!sp[i].kind) {
            diag_input(d, NULL, 0, 0, "calibrate: --loaded-annual for '%s' needs its --kind",
                       r->sources[i].name);
            goto done;
        }
        if (sp[i].kind->pay != MODEL_PAY_SALARIED && sp[i].kind->pay != MODEL_PAY_METERED) {
            diag_input(d, NULL, 0, 0,
                       "calibrate: --loaded-annual: source '%s' is %s, which is not salaried",
                       r->sources[i].name, sp[i].kind->name);
            goto done;
        }
    }
    rc = 0;
done:
    free(names);
    free(seen);
    return rc;
}

/* The self-check's table into *cbuf (nothing without tickets). */
static int self_check(const cal_result *r, const calfrag_spec *sp, const char *frag, size_t flen,
                      char **cbuf, size_t *clen, diag *d)
{
    int *cost = calloc(r->nsources ? r->nsources : 1, sizeof *cost);
    cal_check *c = NULL;
    size_t n = 0;
    int rc = -1;
    if (!cost)
        return diag_runtime(d, "out of memory");
    for (size_t i = 0; i < r->nsources; i++)
        cost[i] = sp[i].kind && sp[i].kind->pay != MODEL_PAY_METERED;
    if (cal_selfcheck(frag, flen, r, cost, CAL_CHECK_TRIALS, &c, &n, d) ||
        calfrag_check_render(c, n, CAL_CHECK_TRIALS, cbuf, clen, d))
        goto done;
    rc = 0;
done:
    free(c);
    free(cost);
    return rc;
}

static int load(const char *path, csv_table **t, diag *d)
{
    return path ? csv_load_file(path, t, d) : 0;
}


int cmd_calibrate(int argc, char **argv, diag *d)
{
    calibrate_args ca = {.o = {0, 0.5}};
    opts_seen seen;
    int prc = opts_parse(&calibrate_cmd, argc, argv, &ca, &seen, d);
    if (prc < 0)
        return -1;
    if (prc > 0) {
        opts_help(stdout, &calibrate_cmd);
        return CM_EXIT_OK;
    }
    const char *tpath = ca.tickets, *ipath = ca.invoices, *out = ca.out;
    const assign *as = ca.assigns.as;
    size_t nas = ca.assigns.n;
    cal_opts o = ca.o;
    if (seen.first != argc) {
        diag_input(d, NULL, 0, 0, "calibrate: unexpected argument '%s' (give --tickets FILE, --invoices FILE)",
                   argv[seen.first]);
        return -1;
    }
    if (!tpath && !ipath) {
        diag_input(d, NULL, 0, 0, "calibrate: give --tickets FILE, --invoices FILE or both");
        return -1;
    }

    csv_table *tickets = NULL, *invoices = NULL;
    cal_result *r = NULL;
    calfrag_spec *sp = NULL;
    char *fbuf = NULL, *wbuf = NULL, *cbuf = NULL;
    size_t flen = 0, wlen = 0, clen = 0;
    int rc = -1;

    if (load(tpath, &tickets, d) || load(ipath, &invoices, d))
        goto done;
    {
        diag errs[CAL_MAX_ERRS];
        size_t nerr = 0;
        if (cal_estimate_all(tickets, invoices, &o, &r, d, errs, CAL_MAX_ERRS, &nerr)) {
            if (nerr)
                cli_errs(errs, nerr < CAL_MAX_ERRS ? nerr : CAL_MAX_ERRS, nerr, d);
            goto done;
        }
    }
    if (!(sp = calloc(r->nsources ? r->nsources : 1, sizeof *sp))) {
        diag_runtime(d, "out of memory");
        goto done;
    }
    if (build_specs(as, nas, r, sp, d) ||
        calfrag_render(r, sp, &o, tickets, invoices, &fbuf, &flen, &wbuf, &wlen, d) ||
        (tickets && !ca.no_check && self_check(r, sp, fbuf, flen, &cbuf, &clen, d)))
        goto done;
    if (wlen && fwrite(wbuf, 1, wlen, stderr) != wlen) {
        /* nowhere left to say so */
    }
    if (out) {
        /* a signal while writing must not leave the temporary behind: it is
         * held until the file landed whole (then the work is done) or not
         * at all */
        cancel_signal = 0;
        cancel_install();
        int wr = atomic_write(out, fbuf, flen, d);
        cancel_restore();
        if (wr)
            goto done; /* main maps a signal to its exit status */
        char shown[600];
        if (printf("wrote %s: %zu source%s\n", txt_term(shown, sizeof shown, out), r->nsources,
                   r->nsources == 1 ? "" : "s") < 0) {
            diag_runtime(d, "cannot write to standard output");
            goto done;
        }
    } else if (fwrite(fbuf, 1, flen, stdout) != flen || fflush(stdout)) {
        diag_runtime(d, "cannot write to standard output");
        goto done;
    }
    if (clen && fwrite(cbuf, 1, clen, stderr) != clen) {
        /* nowhere left to say so */
    }
    rc = CM_EXIT_OK;
done:
    free(cbuf);
    free(fbuf);
    free(wbuf);
    free(sp);
    cal_result_free(r);
    csv_free(tickets);
    csv_free(invoices);
    return rc;
}
