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
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "calfrag.h"
#include "calibrate.h"
#include "cancel.h"
#include "cli.h"
#include "csv.h"
#include "models.h"
#include "textesc.h"

static const char calibrate_usage[] =
    "usage: capmix calibrate [--tickets FILE] [--invoices FILE] [--kind NAME=KIND ...]\n"
    "                        [--headcount NAME=N ...] [--loaded-annual NAME=X ...]\n"
    "                        [--rework-effort E] [--skip-bad] [-o FILE]\n"
    "\n"
    "Turn a ticket export and invoices into source entries for a scenario's 'sources:'\n"
    "list: observed outcome counts (first passes and rework passes), observed throughput,\n"
    "empirical review hours and review waits, cycle times to compare with a run, and each\n"
    "source's monthly cost with a fitted growth rate.\n"
    "\n"
    "  --tickets FILE          one row per pass of work: id, source, started, finished,\n"
    "                          outcome (accepted, rework, superseded); optional\n"
    "                          review_hours (senior hours) and reviewed (verdict time)\n"
    "  --invoices FILE         month (YYYY-MM), source, amount\n"
    "  --kind NAME=KIND        source NAME's kind (in_house, ai_team, offshore_pod,\n"
    "                          staff_augmentation, consultants): its invoices become its\n"
    "                          pay keys (an ai_team's are its token bill)\n"
    "  --headcount NAME=N      source NAME's headcount (an hourly rate needs it)\n"
    "  --loaded-annual NAME=X  a salaried source's loaded annual cost per person\n"
    "  --rework-effort E       effort of a rework pass, as throughput counts it (0.5)\n"
    "  --skip-bad              report bad rows as warnings and leave them out\n"
    "  -o, --out FILE          write the entries to FILE (atomically), not stdout\n"
    "\n"
    "Columns are found by name in any order; dates are ISO 8601 (YYYY-MM-DD, optionally\n"
    "THH:MM[:SS] and Z or +HH:MM).  A bad row is an error (FILE:LINE:COL, exit 2) unless\n"
    "--skip-bad.  Warnings (thin data, trends, keys still needed) go to stderr and do not\n"
    "change the exit status.\n";

#define MAX_ASSIGN 256

/* A NAME=VALUE option, kept as given until the sources are known. */
typedef struct assign {
    const char *opt;
    const char *arg;
} assign;


/* NAME=VALUE of an option into the source it names. */
static int resolve(const assign *as, const cal_result *r, const char *const *names, size_t *src,
                   const char **value, diag *d)
{
    const char *eq = strchr(as->arg, '=');
    if (!eq || eq == as->arg || !eq[1])
        return diag_input(d, NULL, 0, 0, "calibrate: %s needs NAME=VALUE, not '%s'", as->opt, as->arg);
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
    return diag_input(d, NULL, 0, 0, "calibrate: %s: no source '%s' in the data%s", as->opt, name,
                      hint);
}

static int decimal_arg(const char *opt, const char *s, double lo, int lo_open, double *out,
                       diag *d)
{
    char *end;
    if (!*s || strspn(s, "0123456789+-.eE") != strlen(s))
        goto bad;
    *out = strtod(s, &end);
    if (*end || !isfinite(*out) || *out < lo || (lo_open && *out == lo))
        goto bad;
    return 0;
bad:
    return diag_input(d, NULL, 0, 0, "calibrate: %s needs a number %s %g, not '%s'", opt,
                      lo_open ? ">" : ">=", lo, s);
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
        int which = strcmp(as[i].opt, "--kind") == 0 ? 0 : strcmp(as[i].opt, "--headcount") == 0 ? 1 : 2;
        if (resolve(&as[i], r, names, &s, &v, d))
            goto done;
        if (seen[3 * s + (size_t)which]++) {
            diag_input(d, NULL, 0, 0, "calibrate: %s given twice for source '%s'", as[i].opt,
                       r->sources[s].name);
            goto done;
        }
        if (which == 0) {
            if (!(sp[s].kind = model_find(v))) {
                char hint[96] = "";
                diag_hint(hint, sizeof hint, v, model_kind_names());
                diag_input(d, NULL, 0, 0,
                           "calibrate: unknown kind '%s'%s (in_house, ai_team, offshore_pod, "
                           "staff_augmentation, consultants)",
                           v, hint);
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
        if (!calfrag_has(sp[i].kind->pay_keys, "loaded_annual")) {
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

static int load(const char *path, csv_table **t, diag *d)
{
    return path ? csv_load_file(path, t, d) : 0;
}

static int status(const diag *d)
{
    return d->kind == DIAG_RUNTIME ? CM_EXIT_RUNTIME : CM_EXIT_INPUT;
}

int cmd_calibrate(int argc, char **argv, diag *d)
{
    static const struct option opts[] = {
        {"tickets", required_argument, NULL, 't'},       {"invoices", required_argument, NULL, 'i'},
        {"kind", required_argument, NULL, 'k'},          {"headcount", required_argument, NULL, 'n'},
        {"loaded-annual", required_argument, NULL, 'l'}, {"rework-effort", required_argument, NULL, 'e'},
        {"skip-bad", no_argument, NULL, 's'},            {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},                {NULL, 0, NULL, 0},
    };
    const char *tpath = NULL, *ipath = NULL, *out = NULL;
    assign as[MAX_ASSIGN];
    size_t nas = 0;
    cal_opts o = {0, 0.5};
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            tpath = optarg;
            break;
        case 'i':
            ipath = optarg;
            break;
        case 'k':
        case 'n':
        case 'l':
            if (nas == MAX_ASSIGN) {
                diag_input(d, NULL, 0, 0, "calibrate: more than %d NAME=VALUE options", MAX_ASSIGN);
                return CM_EXIT_INPUT;
            }
            as[nas].opt = c == 'k' ? "--kind" : c == 'n' ? "--headcount" : "--loaded-annual";
            as[nas].arg = optarg;
            nas++;
            break;
        case 'e':
            if (decimal_arg("--rework-effort", optarg, 0, 0, &o.rework_effort, d))
                return CM_EXIT_INPUT;
            if (o.rework_effort > 10) {
                diag_input(d, NULL, 0, 0, "calibrate: --rework-effort above 10 is not an effort");
                return CM_EXIT_INPUT;
            }
            break;
        case 's':
            o.skip_bad = 1;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            fputs(calibrate_usage, stdout);
            return CM_EXIT_OK;
        case ':':
            diag_input(d, NULL, 0, 0, "calibrate: option '%s' needs a value", argv[optind - 1]);
            return CM_EXIT_INPUT;
        default:
            diag_input(d, NULL, 0, 0, "calibrate: unknown option '%s' (see 'capmix calibrate --help')",
                       argv[optind - 1]);
            return CM_EXIT_INPUT;
        }
    }
    if (optind != argc) {
        diag_input(d, NULL, 0, 0, "calibrate: unexpected argument '%s' (give --tickets FILE, --invoices FILE)",
                   argv[optind]);
        return CM_EXIT_INPUT;
    }
    if (!tpath && !ipath) {
        diag_input(d, NULL, 0, 0, "calibrate: give --tickets FILE, --invoices FILE or both");
        return CM_EXIT_INPUT;
    }

    csv_table *tickets = NULL, *invoices = NULL;
    cal_result *r = NULL;
    calfrag_spec *sp = NULL;
    char *fbuf = NULL, *wbuf = NULL;
    size_t flen = 0, wlen = 0;
    int rc = CM_EXIT_INPUT;

    if (load(tpath, &tickets, d) || load(ipath, &invoices, d) ||
        cal_estimate(tickets, invoices, &o, &r, d)) {
        rc = status(d);
        goto done;
    }
    if (!(sp = calloc(r->nsources ? r->nsources : 1, sizeof *sp))) {
        diag_runtime(d, "out of memory");
        rc = CM_EXIT_RUNTIME;
        goto done;
    }
    if (build_specs(as, nas, r, sp, d)) {
        rc = status(d);
        goto done;
    }
    if (calfrag_render(r, sp, &o, tickets, invoices, &fbuf, &flen, &wbuf, &wlen, d)) {
        rc = CM_EXIT_RUNTIME;
        goto done;
    }
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
        if (wr) {
            rc = cancel_signal ? cancel_exit_code() : CM_EXIT_RUNTIME;
            goto done;
        }
        char shown[600];
        if (printf("wrote %s: %zu source%s\n", txt_term(shown, sizeof shown, out), r->nsources,
                   r->nsources == 1 ? "" : "s") < 0) {
            diag_runtime(d, "cannot write to standard output");
            rc = CM_EXIT_RUNTIME;
            goto done;
        }
    } else if (fwrite(fbuf, 1, flen, stdout) != flen || fflush(stdout)) {
        diag_runtime(d, "cannot write to standard output");
        rc = CM_EXIT_RUNTIME;
        goto done;
    }
    rc = CM_EXIT_OK;
done:
    free(fbuf);
    free(wbuf);
    free(sp);
    cal_result_free(r);
    csv_free(tickets);
    csv_free(invoices);
    return rc;
}
