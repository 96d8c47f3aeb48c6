/*
 * opts: the one option parser of the commands (sim/cli/opts.h) — values
 * into the command's struct, the usage messages word for word, the help
 * block from the table, and the arguments a replay records.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

typedef struct toy {
    const char *out, *name, *between[2];
    unsigned long long n;
    double f;
    int quiet, count;
} toy;

/* OPT_REPEAT: counts its occurrences */
static int add_one(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst, diag *d)
{
    (void)c, (void)o, (void)extra;
    if (!strcmp(arg, "bad"))
        return diag_input(d, NULL, 0, 0, "--add: '%s' is bad", arg);
    (*(int *)dst)++;
    return 0;
}

static int pair(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst, diag *d)
{
    (void)o;
    const char **b = dst;
    if (!extra)
        return diag_input(d, NULL, 0, 0, "%s: --pair needs two", c->name);
    b[0] = arg;
    b[1] = extra;
    return 0;
}

static const opt_def toy_opts[] = {
    {.name = "out", .letter = 'o', .kind = OPT_DIR, .at = offsetof(toy, out), .metavar = "DIR",
     .help = "the folder"},
    {.name = "n", .kind = OPT_U64, .flags = OPT_RECORDED, .at = offsetof(toy, n), .lo = 2, .hi = 10,
     .metavar = "N", .help = "a count\nfrom 2 to 10"},
    {.name = "f", .kind = OPT_DOUBLE, .flags = OPT_RECORDED, .at = offsetof(toy, f), .dlo = 0, .dhi = 1,
     .metavar = "F"},
    {.name = "name", .kind = OPT_STR, .flags = OPT_RECORDED, .at = offsetof(toy, name),
     .metavar = "A-LONG-METAVAR-PAST-THE-COLUMN", .help = "long"},
    {.name = "add", .kind = OPT_FN, .flags = OPT_RECORDED | OPT_REPEAT, .at = offsetof(toy, count),
     .fn = add_one, .metavar = "X"},
    {.name = "pair", .kind = OPT_FN, .flags = OPT_RECORDED, .at = offsetof(toy, between), .fn = pair,
     .extra = 1, .metavar = "A B"},
    {.name = "quiet", .letter = 'q', .kind = OPT_FLAG, .at = offsetof(toy, quiet), .help = "hush"},
    {.name = "theirs", .kind = OPT_FLAG, .belongs = "other", .help = "not listed"},
    {.name = NULL},
};

static const opts_cmd toy_see = {.name = "toy", .head = "usage: toy\n", .opts = toy_opts, .width = 14,
                                 .foot = "end\n", .flags = OPTS_SEE};
static const opts_cmd toy_bare = {.name = "toy", .opts = toy_opts, .width = 14};

/* Parse a NULL-terminated list of words (argv[0] "toy" added). */
static int parse(const opts_cmd *c, toy *t, opts_seen *seen, diag *d, char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    memset(t, 0, sizeof *t);
    diag_clear(d);
    return opts_parse(c, argc, argv, t, seen, d);
}

#define ARGV(...) ((char *[]){"toy", __VA_ARGS__, NULL})

static void test_values(void **state)
{
    (void)state;
    toy t;
    opts_seen s;
    diag d;
    char **av = ARGV("file", "--n", "7", "-q", "--f=0.25", "-oDIR", "--add", "x", "--add=y", "--pair", "a", "b");
    assert_int_equal(parse(&toy_see, &t, &s, &d, av), 0);
    assert_int_equal(t.n, 7);
    assert_true(t.f == 0.25);
    assert_int_equal(t.quiet, 1);
    assert_string_equal(t.out, "DIR");
    assert_int_equal(t.count, 2);
    assert_string_equal(t.between[0], "a");
    assert_string_equal(t.between[1], "b");
    assert_int_equal(opts_given(&toy_see, &s, "add"), 2);
    assert_int_equal(opts_given(&toy_see, &s, "name"), 0);
    assert_int_equal(opts_given(&toy_see, &s, "nosuch"), 0);
    /* getopt_long permutes: the operand comes last */
    assert_int_equal(s.first, 12);
    assert_string_equal(av[s.first], "file");
}

static void test_help_asked(void **state)
{
    (void)state;
    toy t;
    opts_seen s;
    diag d;
    assert_int_equal(parse(&toy_see, &t, &s, &d, ARGV("--help", "--n", "x")), 1);
    assert_int_equal(d.kind, DIAG_NONE);
    assert_int_equal(parse(&toy_see, &t, &s, &d, ARGV("-h")), 1);
}

/* expect one usage message for argv */
static void expect(const opts_cmd *c, char **argv, const char *msg)
{
    toy t;
    opts_seen s;
    diag d;
    assert_int_equal(parse(c, &t, &s, &d, argv), -1);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_int_equal(d.line, 0);
    assert_string_equal(d.msg, msg);
}

static void test_messages(void **state)
{
    (void)state;
    expect(&toy_see, ARGV("f", "--n"), "toy: option '--n' needs a value (see 'capmix toy --help')");
    expect(&toy_bare, ARGV("f", "--n"), "toy: option '--n' needs a value");
    expect(&toy_see, ARGV("--zz", "f"), "toy: unknown option '--zz' (see 'capmix toy --help')");
    expect(&toy_bare, ARGV("--quiet=1"), "toy: unknown option '--quiet=1'");
    expect(&toy_bare, ARGV("-z"), "toy: unknown option '-z'");
    expect(&toy_see, ARGV("--theirs"), "toy: option '--theirs' belongs to 'capmix other'");
    expect(&toy_see, ARGV("--n", "1"), "--n needs a whole number from 2 to 10, not '1'");
    expect(&toy_see, ARGV("--n", "11"), "--n needs a whole number from 2 to 10, not '11'");
    expect(&toy_see, ARGV("--n", "-3"), "--n needs a whole number from 2 to 10, not '-3'");
    expect(&toy_see, ARGV("--n", "5x"), "--n needs a whole number from 2 to 10, not '5x'");
    expect(&toy_see, ARGV("--n", ""), "--n needs a whole number from 2 to 10, not ''");
    expect(&toy_see, ARGV("--f", "1.5"), "--f needs a number from 0 to 1, not '1.5'");
    expect(&toy_see, ARGV("--f", "nan"), "--f needs a number from 0 to 1, not 'nan'");
    expect(&toy_see, ARGV("-o", ""), "toy: -o needs a folder name, not an empty string");
    expect(&toy_see, ARGV("--add", "bad"), "--add: 'bad' is bad");
    expect(&toy_see, ARGV("--pair", "a"), "toy: --pair needs two");
    expect(&toy_see, ARGV("--pair", "a", "-q"), "toy: --pair needs two");
}

static void test_numbers(void **state)
{
    (void)state;
    unsigned long long u = 0;
    double x = 0;
    assert_int_equal(opts_u64("--s", "18446744073709551615", 0, UINT64_MAX, &u, NULL), 0);
    assert_true(u == UINT64_MAX);
    assert_int_equal(opts_u64("--s", "18446744073709551616", 0, UINT64_MAX, &u, NULL), -1);
    assert_int_equal(opts_u64("--s", " 5", 0, 9, &u, NULL), -1);
    assert_int_equal(opts_u64("--s", "+5", 0, 9, &u, NULL), -1);
    assert_int_equal(opts_double("--x", "1e-3", 0, 1, &x, NULL), 0);
    assert_true(x == 1e-3);
    assert_int_equal(opts_double("--x", "inf", 0, INFINITY, &x, NULL), -1);
}

static void test_help_block(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(opts_help(fp, &toy_see), 0);
    fclose(fp);
    assert_string_equal(buf, "usage: toy\n"
                             "  -o, --out DIR  the folder\n"
                             "      --n N   a count\n"
                             "              from 2 to 10\n"
                             "      --name A-LONG-METAVAR-PAST-THE-COLUMN  long\n"
                             "  -q, --quiet  hush\n"
                             "end\n");
    free(buf);
}

/* the recorded arguments: OPT_RECORDED rows with their values, and the
 * operands, in the order getopt left them */
static void test_recorded(void **state)
{
    (void)state;
    toy t;
    opts_seen s;
    diag d;
    char **av = ARGV("file", "-o", "DIR", "--n", "3", "-q", "--out=X", "--pair", "a", "b", "-qoY", "--add", "z");
    int argc = 14;
    assert_int_equal(parse(&toy_see, &t, &s, &d, av), 0);
    char *out[14];
    int n = opts_recorded(&toy_see, argc, av, out);
    const char *want[] = {"--n", "3", "--pair", "a", "b", "--add", "z", "file"};
    assert_int_equal(n, 8);
    for (int i = 0; i < n; i++)
        assert_string_equal(out[i], want[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),   cmocka_unit_test(test_help_asked), cmocka_unit_test(test_messages),
        cmocka_unit_test(test_numbers),  cmocka_unit_test(test_help_block), cmocka_unit_test(test_recorded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
