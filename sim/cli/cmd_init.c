/*
 * cmd_init — `capmix init [--kind KIND ...] [-o FILE]`: a commented starter
 * scenario, one alternative per kind, each source from its kind's own
 * example (models/), so a user never starts from a blank page.  The output
 * is a valid scenario (a test validates it for every kind).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "cli.h"
#include "models.h"
#include "textesc.h"

static const char init_usage[] =
    "usage: capmix init [--kind KIND ...] [-o FILE] [--force]\n"
    "\n"
    "Write a commented starter scenario: 24 accepted outcomes with a cost of delay and one\n"
    "alternative per KIND (default: offshore_pod and ai_team).  Kinds: in_house, ai_team,\n"
    "offshore_pod, staff_augmentation, consultants ('capmix help KIND' for each).  Without\n"
    "-o it is printed; with -o FILE an existing FILE is kept unless --force.\n";

static const char head[] =
    "# A capmix scenario (format version 1).  Edit the numbers, then:\n"
    "#   capmix validate THIS_FILE     # what capmix understood, and the spreadsheet view\n"
    "#   capmix run THIS_FILE -o out/  # the distributions it hides\n"
    "# Any number may be a distribution: {dist: pert, min: 3, mode: 5, max: 9},\n"
    "# {dist: lognormal, median: 2500, p90: 9000}, {dist: uniform, min, max}, ...\n"
    "capmix: 1\n"
    "name: starter\n"
    "seed: 1\n"
    "trials: 20000\n"
    "\n"
    "people:                           # internal rates for oversight and review hours\n"
    "  senior_engineer: {loaded_annual: 280000}\n"
    "  product_manager: {loaded_annual: 208000}\n"
    "\n"
    "work:\n"
    "  outcomes: 24                    # accepted production outcomes needed (omit: run-rate mode)\n"
    "  horizon_days: 730\n"
    "  target_day: 120                 # delay costs money after this day\n"
    "  cost_of_delay: {annual_value: 320000}   # or {per_day: 877}\n"
    "\n"
    "alternatives:\n";

int cmd_init(int argc, char **argv, diag *d)
{
    static const struct option opts[] = {
        {"kind", required_argument, NULL, 'k'}, {"out", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const model_kind *kinds[16];
    int nk = 0, force = 0, c;
    const char *out = NULL;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:fh", opts, NULL)) != -1) {
        switch (c) {
        case 'k': {
            const model_kind *k = model_find(optarg);
            if (!k) {
                char hint[96] = "";
                diag_hint(hint, sizeof hint, optarg, model_kind_names());
                diag_input(d, NULL, 0, 0, "init: unknown kind '%s'%s", optarg, hint);
                return CM_EXIT_INPUT;
            }
            for (int i = 0; i < nk; i++)
                if (kinds[i] == k) {
                    diag_input(d, NULL, 0, 0, "init: kind '%s' given twice", optarg);
                    return CM_EXIT_INPUT;
                }
            if (nk < 16)
                kinds[nk++] = k;
            break;
        }
        case 'o':
            out = optarg;
            break;
        case 'f':
            force = 1;
            break;
        case 'h':
            fputs(init_usage, stdout);
            return CM_EXIT_OK;
        case ':':
            diag_input(d, NULL, 0, 0, "init: option '%s' needs a value", argv[optind - 1]);
            return CM_EXIT_INPUT;
        default:
            diag_input(d, NULL, 0, 0, "init: unknown option '%s' (see 'capmix init --help')", argv[optind - 1]);
            return CM_EXIT_INPUT;
        }
    }
    if (optind != argc) {
        diag_input(d, NULL, 0, 0, "init: unexpected argument '%s' (write to a file with -o FILE)", argv[optind]);
        return CM_EXIT_INPUT;
    }
    if (!nk) {
        kinds[nk++] = model_find("offshore_pod");
        kinds[nk++] = model_find("ai_team");
    }
    struct stat st;
    if (out && !force && stat(out, &st) == 0) {
        diag_input(d, NULL, 0, 0, "init: '%s' exists; keep it, or overwrite with --force", out);
        return CM_EXIT_INPUT;
    }
    atomic_file f;
    memset(&f, 0, sizeof f);
    FILE *fp = stdout;
    if (out) {
        if (atomic_open(&f, out, d))
            return CM_EXIT_RUNTIME;
        fp = f.fp;
    }
    fputs(head, fp);
    for (int i = 0; i < nk; i++) {
        fprintf(fp, "  # %s: %s\n  - name: %s\n%s    sources:\n%s\n", kinds[i]->name, kinds[i]->summary,
                kinds[i]->name, i == 0 ? "    baseline: true\n" : "", kinds[i]->example);
    }
    if (out) {
        if (atomic_commit(&f, d))
            return CM_EXIT_RUNTIME;
        char shown[600];
        txt_term(shown, sizeof shown, out);
        printf("wrote %s: try 'capmix validate %s'\n", shown, shown);
    }
    return CM_EXIT_OK;
}
