/*
 * cmd_init — `capmix init [--kind KIND ...] [-o FILE]`: a commented starter
 * scenario, one alternative per kind, each source from its kind's own
 * example (models/), so a user never starts from a blank page.  The output
 * is a valid scenario (a test validates it for every kind).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "cli.h"
#include "opts.h"
#include "models.h"
#include "starter.h"
#include "textesc.h"

typedef struct kind_list {
    const model_kind *k[16];
    int n;
} kind_list;

typedef struct init_args {
    kind_list kinds;
    const char *out;
    int force;
} init_args;

/* --kind KIND: one more alternative, each kind once. */
static int add_kind(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                    diag *d)
{
    (void)c, (void)o, (void)extra;
    kind_list *kl = dst;
    const model_kind *k = model_find(arg);
    if (!k) {
        char hint[96] = "";
        diag_hint(hint, sizeof hint, arg, model_kind_names());
        return diag_input(d, NULL, 0, 0, "init: unknown kind '%s'%s", arg, hint);
    }
    for (int i = 0; i < kl->n; i++)
        if (kl->k[i] == k)
            return diag_input(d, NULL, 0, 0, "init: kind '%s' given twice", arg);
    if (kl->n < 16)
        kl->k[kl->n++] = k;
    return 0;
}

static const opt_def init_opts[] = {
    {.name = "kind", .kind = OPT_FN, .flags = OPT_REPEAT, .at = offsetof(init_args, kinds), .fn = add_kind,
     .metavar = "KIND", .help = "an alternative of this kind; repeat for more"},
    {.name = "out", .letter = 'o', .kind = OPT_STR, .at = offsetof(init_args, out), .metavar = "FILE",
     .help = "write the scenario to FILE (atomically), not stdout"},
    {.name = "force", .letter = 'f', .kind = OPT_FLAG, .at = offsetof(init_args, force),
     .help = "overwrite an existing FILE"},
    {.name = "help", .letter = 'h', .kind = OPT_HELP, .help = "this help"},
    {.name = NULL},
};

static const opts_cmd init_cmd = {
    .name = "init",
    .head = "usage: capmix init [--kind KIND ...] [-o FILE] [--force]\n"
            "\n"
            "Write a commented starter scenario: 24 accepted outcomes with a cost of delay and one\n"
            "alternative per KIND (default: offshore_pod and ai_team).  Kinds: in_house, ai_team,\n"
            "offshore_pod, staff_augmentation, consultants ('capmix help KIND' for each).  Without\n"
            "-o it is printed; with -o FILE an existing FILE is kept unless --force.\n"
            "\n"
            "options:\n",
    .opts = init_opts,
    .width = 21,
    .flags = OPTS_SEE_UNKNOWN,
};

int cmd_init(int argc, char **argv, diag *d)
{
    init_args ia;
    memset(&ia, 0, sizeof ia);
    opts_seen seen;
    int prc = opts_parse(&init_cmd, argc, argv, &ia, &seen, d);
    if (prc < 0)
        return -1;
    if (prc > 0) {
        opts_help(stdout, &init_cmd);
        return CM_EXIT_OK;
    }
    const model_kind **kinds = ia.kinds.k;
    int nk = ia.kinds.n, force = ia.force;
    const char *out = ia.out;
    if (seen.first != argc) {
        diag_input(d, NULL, 0, 0, "init: unexpected argument '%s' (write to a file with -o FILE)", argv[seen.first]);
        return -1;
    }
    if (!nk) {
        kinds[nk++] = model_find("offshore_pod");
        kinds[nk++] = model_find("ai_team");
    }
    struct stat st;
    if (out && !force && stat(out, &st) == 0) {
        diag_input(d, NULL, 0, 0, "init: '%s' exists; keep it, or overwrite with --force", out);
        return -1;
    }
    atomic_file f;
    memset(&f, 0, sizeof f);
    FILE *fp = stdout;
    if (out) {
        if (atomic_open(&f, out, d))
            return -1;
        fp = f.fp;
    }
    starter_write(fp, kinds, nk);
    if (out) {
        if (atomic_commit(&f, d))
            return -1;
        char shown[600];
        txt_term(shown, sizeof shown, out);
        printf("wrote %s: try 'capmix validate %s'\n", shown, shown);
    }
    return CM_EXIT_OK;
}
