/*
 * opts — the option table parser (see opts.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "param.h"

/* getopt's value of a long-only row: past every char */
#define LONG_ONLY 256
#define HELP_VAL (LONG_ONLY + OPTS_MAX)

int opts_u64(const char *opt, const char *s, unsigned long long lo, unsigned long long hi,
             unsigned long long *out, diag *d)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return diag_input(d, NULL, 0, 0, "%s needs a whole number from %llu to %llu, not '%s'",
                          opt, lo, hi, s ? s : "");
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return diag_input(d, NULL, 0, 0, "%s needs a whole number from %llu to %llu, not '%s'",
                          opt, lo, hi, s);
    *out = v;
    return 0;
}

/* The commands not yet on the table call it by its old name. */
int cli_parse_u64(const char *opt, const char *s, unsigned long long lo, unsigned long long hi,
                  unsigned long long *out, diag *d)
{
    return opts_u64(opt, s, lo, hi, out, d);
}

int opts_double(const char *opt, const char *s, double lo, double hi, double *out, diag *d)
{
    double v;
    if (prm_decimal(s, &v) || !(v >= lo && v <= hi))
        return diag_input(d, NULL, 0, 0, "%s needs a number from %g to %g, not '%s'", opt, lo, hi, s);
    *out = v;
    return 0;
}

static int takes_arg(const opt_def *o)
{
    return o->kind != OPT_FLAG && o->kind != OPT_HELP;
}

/* The getopt_long tables of c: `lo` ends with a zero row, `short_` starts
 * with ':' so a missing value is told from an unknown option. */
static void build(const opts_cmd *c, struct option lo[OPTS_MAX + 2], char short_[2 * OPTS_MAX + 4])
{
    size_t n = 0, k = 0;
    int help = 0;
    short_[k++] = ':';
    for (const opt_def *o = c->opts; o->name; o++, n++) {
        int val = o->kind == OPT_HELP ? HELP_VAL : o->letter ? o->letter : LONG_ONLY + (int)n;
        lo[n] = (struct option){o->name, takes_arg(o) ? required_argument : no_argument, NULL, val};
        help |= o->kind == OPT_HELP;
        if (o->letter) {
            short_[k++] = o->letter;
            if (takes_arg(o))
                short_[k++] = ':';
        }
    }
    if (!help) /* every command answers --help, listed or not */
        lo[n++] = (struct option){"help", no_argument, NULL, HELP_VAL};
    lo[n] = (struct option){NULL, 0, NULL, 0};
    short_[k++] = 'h';
    short_[k] = '\0';
}

/* The row getopt_long returned `val` for, or NULL (help, unknown). */
static const opt_def *row_of(const opts_cmd *c, int val)
{
    if (val >= LONG_ONLY && val < LONG_ONLY + OPTS_MAX)
        return &c->opts[val - LONG_ONLY];
    for (const opt_def *o = c->opts; o->name; o++)
        if (o->letter && o->letter == val)
            return o;
    return NULL;
}

static int store(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                 diag *d)
{
    char *at = (char *)dst + o->at;
    char name[64];
    snprintf(name, sizeof name, "--%s", o->name);
    switch (o->kind) {
    case OPT_FLAG:
        *(int *)(void *)at = 1;
        return 0;
    case OPT_U64:
        return opts_u64(name, arg, o->lo, o->hi, (unsigned long long *)(void *)at, d);
    case OPT_DOUBLE:
        return opts_double(name, arg, o->dlo, o->dhi, (double *)(void *)at, d);
    case OPT_DIR:
        if (!*arg) {
            char sp[8] = {'-', o->letter, '\0'};
            return diag_input(d, NULL, 0, 0, "%s: %s needs a folder name, not an empty string", c->name,
                              o->letter ? sp : name);
        }
        /* fall through */
    case OPT_STR:
        *(const char **)(void *)at = arg;
        return 0;
    case OPT_FN:
        return o->fn(c, o, arg, extra, at, d);
    case OPT_HELP:
        break;
    }
    return 0;
}

/* Rows in c's table; the arrays below hold OPTS_MAX. */
static size_t nrows(const opts_cmd *c)
{
    size_t n = 0;
    while (c->opts[n].name)
        n++;
    return n;
}

int opts_parse(const opts_cmd *c, int argc, char **argv, void *dst, opts_seen *seen, diag *d)
{
    if (nrows(c) > OPTS_MAX)
        return diag_runtime(d, "internal error: '%s' has more than %d options", c->name, OPTS_MAX);
    struct option lo[OPTS_MAX + 2];
    char short_[2 * OPTS_MAX + 4];
    build(c, lo, short_);
    memset(seen, 0, sizeof *seen);
    const char *see = " (see 'capmix ";
    int ch;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, short_, lo, NULL)) != -1) {
        if (ch == HELP_VAL || ch == 'h')
            return 1;
        if (ch == ':')
            return diag_input(d, NULL, 0, 0, "%s: option '%s' needs a value%s%s%s", c->name,
                              argv[optind - 1], c->flags & OPTS_SEE_MISSING ? see : "",
                              c->flags & OPTS_SEE_MISSING ? c->name : "",
                              c->flags & OPTS_SEE_MISSING ? " --help')" : "");
        const opt_def *o = row_of(c, ch);
        if (!o)
            return diag_input(d, NULL, 0, 0, "%s: unknown option '%s'%s%s%s", c->name, argv[optind - 1],
                              c->flags & OPTS_SEE_UNKNOWN ? see : "",
                              c->flags & OPTS_SEE_UNKNOWN ? c->name : "",
                              c->flags & OPTS_SEE_UNKNOWN ? " --help')" : "");
        if (o->belongs)
            return diag_input(d, NULL, 0, 0, "%s: option '--%s' belongs to 'capmix %s'", c->name, o->name,
                              o->belongs);
        const char *extra = NULL;
        if (o->extra && optind < argc && argv[optind][0] != '-')
            extra = argv[optind++];
        size_t i = (size_t)(o - c->opts);
        if (seen->n[i] < 255)
            seen->n[i]++;
        if (store(c, o, optarg, extra, dst, d))
            return -1;
    }
    seen->first = optind;
    return 0;
}

int opts_given(const opts_cmd *c, const opts_seen *seen, const char *name)
{
    for (size_t i = 0; c->opts[i].name; i++)
        if (!strcmp(c->opts[i].name, name))
            return seen->n[i];
    return 0;
}

int opts_help(FILE *fp, const opts_cmd *c)
{
    if (c->head)
        fputs(c->head, fp);
    for (const opt_def *o = c->opts; o->name; o++) {
        if (!o->help || o->belongs)
            continue;
        char label[128];
        int n;
        if (o->letter)
            n = snprintf(label, sizeof label, "  -%c, --%s%s%s", o->letter, o->name, o->metavar ? " " : "",
                         o->metavar ? o->metavar : "");
        else
            n = snprintf(label, sizeof label, "      --%s%s%s", o->name, o->metavar ? " " : "",
                         o->metavar ? o->metavar : "");
        /* a label too long for the column keeps two spaces before its text */
        fprintf(fp, "%s%*s", label, n + 2 > c->width ? 2 : c->width - n, "");
        for (const char *p = o->help; *p;) {
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            fprintf(fp, "%.*s\n", (int)len, p);
            if (!e)
                break;
            p = e + 1;
            fprintf(fp, "%*s", c->width, "");
        }
    }
    if (c->foot)
        fputs(c->foot, fp);
    return ferror(fp) ? -1 : 0;
}

int opts_recorded(const opts_cmd *c, int argc, char **argv, char **out)
{
    if (nrows(c) > OPTS_MAX)
        return -1;
    struct option lo[OPTS_MAX + 2];
    char short_[2 * OPTS_MAX + 4];
    build(c, lo, short_);
    /* a second getopt pass over a copy: argv is already permuted, options
     * first, so the copy is scanned in the same order; each token goes with
     * the option that finished it */
    char **cp = malloc(((size_t)argc + 1) * sizeof *cp);
    char *keep = calloc((size_t)argc + 1, 1);
    int n = 0;
    if (!cp || !keep) {
        free(cp);
        free(keep);
        return -1;
    }
    memcpy(cp, argv, (size_t)argc * sizeof *cp);
    cp[argc] = NULL;
    memset(keep, 1, (size_t)argc);
    int ch, prev = 1;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, cp, short_, lo, NULL)) != -1) {
        const opt_def *o = ch == ':' || ch == '?' || ch == HELP_VAL ? NULL : row_of(c, ch);
        if (o && o->extra && optind < argc && cp[optind][0] != '-')
            optind++;
        int rec = !o || (o->flags & OPT_RECORDED);
        for (int i = prev; i < optind; i++)
            keep[i] = (char)rec;
        if (optind > prev)
            prev = optind;
    }
    for (int i = 1; i < argc; i++)
        if (keep[i])
            out[n++] = argv[i];
    free(cp);
    free(keep);
    return n;
}
