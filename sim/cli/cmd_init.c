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
#include "starter.h"
#include "textesc.h"

static const char init_usage[] =
    "usage: capmix init [--kind KIND ...] [-o FILE] [--force]\n"
    "\n"
    "Write a commented starter scenario: 24 accepted outcomes with a cost of delay and one\n"
    "alternative per KIND (default: offshore_pod and ai_team).  Kinds: in_house, ai_team,\n"
    "offshore_pod, staff_augmentation, consultants ('capmix help KIND' for each).  Without\n"
    "-o it is printed; with -o FILE an existing FILE is kept unless --force.\n";

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
        kinds[nk++] = &model_offshore_pod;
        kinds[nk++] = &model_ai_team;
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
    starter_write(fp, kinds, nk);
    if (out) {
        if (atomic_commit(&f, d))
            return CM_EXIT_RUNTIME;
        char shown[600];
        txt_term(shown, sizeof shown, out);
        printf("wrote %s: try 'capmix validate %s'\n", shown, shown);
    }
    return CM_EXIT_OK;
}
