/*
 * Tests of output folders replaced as a whole (sim/base/atomic.h, atomic_dir)
 * and of the checks a produced file passes before it is committed
 * (atomic_verify_file): issue 14, class 5.  Each test works in a fresh
 * mkdtemp folder under /tmp that its teardown removes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "cancel.h"
#include "diag.h"

typedef struct fixture {
    char root[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->root, sizeof f->root, "/tmp/capmix-test-outset.XXXXXX");
    if (!mkdtemp(f->root)) {
        free(f);
        return -1;
    }
    cancel_signal = 0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    atomic_rmtree(f->root);
    free(f);
    cancel_signal = 0;
    return 0;
}

static void put(const char *path, const void *buf, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    if (len)
        assert_int_equal(fwrite(buf, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void put_in(const char *dir, const char *name, const char *text)
{
    char p[1400];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    put(p, text, strlen(text));
}

static int exists(const char *dir, const char *name)
{
    char p[1400];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return lstat(p, &st) == 0;
}

/* entries of dir, but . and .. */
static int count(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(dp);
    while ((e = readdir(dp)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(dp);
    return n;
}

static const unsigned char good_png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                         'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0,
                                         0x3a, 0x7e, 0x9b, 0x55, 0, 0, 0, 0, 'I', 'E', 'N', 'D',
                                         0xae, 0x42, 0x60, 0x82};

static void test_verify_png(void **state)
{
    fixture *f = *state;
    char p[256];
    diag d;
    diag_clear(&d);
    snprintf(p, sizeof p, "%s/a.png", f->root);
    put(p, good_png, sizeof good_png);
    assert_int_equal(atomic_verify_file(p, NULL, &d), 0);
    /* what gnuplot leaves on a full disk: the start of the image only */
    put(p, good_png, 20);
    assert_int_equal(atomic_verify_file(p, NULL, &d), -1);
    assert_non_null(strstr(d.msg, "damaged"));
    put(p, "", 0);
    assert_int_equal(atomic_verify_file(p, NULL, &d), -1);
    assert_non_null(strstr(d.msg, "empty"));
    /* a temporary is checked as what it becomes */
    snprintf(p, sizeof p, "%s/.a.png.tmp", f->root);
    put(p, good_png, 20);
    assert_int_equal(atomic_verify_file(p, NULL, &d), 0); /* by its own name: not a PNG */
    assert_int_equal(atomic_verify_file(p, "a.png", &d), -1);
}

static void test_verify_svg_and_others(void **state)
{
    fixture *f = *state;
    char p[256];
    diag d;
    diag_clear(&d);
    snprintf(p, sizeof p, "%s/a.svg", f->root);
    put_in(f->root, "a.svg", "<?xml version=\"1.0\"?>\n<svg width=\"1\"></svg>\n");
    assert_int_equal(atomic_verify_file(p, NULL, &d), 0);
    put_in(f->root, "a.svg", "  <svg width=\"1\"><g></g></svg>");
    assert_int_equal(atomic_verify_file(p, NULL, &d), 0);
    put_in(f->root, "a.svg", "<?xml version=\"1.0\"?>\n<svg width=\"1\"><g>");
    assert_int_equal(atomic_verify_file(p, NULL, &d), -1);
    put_in(f->root, "a.svg", "<html></svg>");
    assert_int_equal(atomic_verify_file(p, NULL, &d), -1);
    const char *svg = "<svg></svg>";
    assert_int_equal(atomic_verify_bytes("x.svg", (const unsigned char *)svg, strlen(svg)), 0);
    assert_int_equal(atomic_verify_bytes("x.svg", (const unsigned char *)svg, 8), -1);
    /* an empty data file may hold no points; an empty summary is a failure */
    snprintf(p, sizeof p, "%s/fan.dat", f->root);
    put(p, "", 0);
    assert_int_equal(atomic_verify_file(p, NULL, &d), 0);
    snprintf(p, sizeof p, "%s/summary.json", f->root);
    put(p, "", 0);
    assert_int_equal(atomic_verify_file(p, NULL, &d), -1);
}

/* begin, a file, commit: the folder appears whole; nothing stays beside it */
static void test_dir_new(void **state)
{
    fixture *f = *state;
    char out[256];
    diag d;
    diag_clear(&d);
    snprintf(out, sizeof out, "%s/sub/out", f->root);
    atomic_dir a;
    assert_int_equal(atomic_dir_begin(&a, out, &d), 0);
    assert_false(exists(f->root, "sub/out"));
    put_in(a.tmp, "summary.json", "{}\n");
    assert_int_equal(atomic_dir_commit(&a, &d), 0);
    atomic_dir_abort(&a); /* after a commit: nothing to do */
    assert_true(exists(out, "summary.json"));
    char sub[256];
    snprintf(sub, sizeof sub, "%s/sub", f->root);
    assert_int_equal(count(sub), 1); /* no temporary folder, no lock file */
}

/* the previous folder is replaced whole, and kept whole on abort */
static void test_dir_replace_and_abort(void **state)
{
    fixture *f = *state;
    char out[256];
    diag d;
    diag_clear(&d);
    snprintf(out, sizeof out, "%s/out", f->root);
    mkdir(out, 0777);
    put_in(out, "summary.json", "old\n");
    put_in(out, "trials.csv", "old\n");
    atomic_dir a;
    assert_int_equal(atomic_dir_begin(&a, out, &d), 0);
    put_in(a.tmp, "summary.json", "new\n");
    atomic_dir_abort(&a);
    assert_true(exists(out, "trials.csv"));
    assert_int_equal(count(f->root), 1);
    assert_int_equal(atomic_dir_begin(&a, out, &d), 0);
    put_in(a.tmp, "summary.json", "new\n");
    assert_int_equal(atomic_dir_commit(&a, &d), 0);
    assert_false(exists(out, "trials.csv")); /* no file of the earlier run */
    assert_int_equal(count(out), 1);
    assert_int_equal(count(f->root), 1);
}

/* a signal before the swap: "interrupted", the previous folder kept */
static void test_dir_cancelled(void **state)
{
    fixture *f = *state;
    char out[256];
    diag d;
    diag_clear(&d);
    snprintf(out, sizeof out, "%s/out", f->root);
    mkdir(out, 0777);
    put_in(out, "summary.json", "old\n");
    atomic_dir a;
    assert_int_equal(atomic_dir_begin(&a, out, &d), 0);
    put_in(a.tmp, "summary.json", "new\n");
    cancel_signal = 15;
    assert_int_equal(atomic_dir_commit(&a, &d), -1);
    assert_string_equal(d.msg, "interrupted");
    atomic_dir_abort(&a);
    assert_int_equal(count(f->root), 1);
    assert_int_equal(count(out), 1);
    assert_int_equal(atomic_dir_begin(&a, out, &d), -1); /* and no new begin */
    assert_int_equal(count(f->root), 1);
}

/* a damaged file in the set: no commit */
static void test_dir_damaged_file(void **state)
{
    fixture *f = *state;
    char out[256];
    diag d;
    diag_clear(&d);
    snprintf(out, sizeof out, "%s/out", f->root);
    atomic_dir a;
    assert_int_equal(atomic_dir_begin(&a, out, &d), 0);
    put_in(a.tmp, "summary.json", "{}\n");
    char p[1400];
    snprintf(p, sizeof p, "%s/cost_cdf.png", a.tmp);
    put(p, good_png, 30);
    assert_int_equal(atomic_dir_commit(&a, &d), -1);
    assert_non_null(strstr(d.msg, "cost_cdf.png"));
    atomic_dir_abort(&a);
    assert_false(exists(f->root, "out"));
    assert_int_equal(count(f->root), 0);
}

/* a folder an old capmix left holding only its temporaries (one was
 * 386 MB) is replaced, and they go with it */
static void test_dir_only_temps(void **state)
{
    fixture *f = *state;
    char out[256];
    diag d;
    diag_clear(&d);
    snprintf(out, sizeof out, "%s/out", f->root);
    mkdir(out, 0777);
    put_in(out, ".summary.json.tmp.AbC123", "half");
    put_in(out, ".run.log.tmp.XyZ789.old", "half");
    put_in(out, ".cost_cdf.png.tmp", "half");
    atomic_dir a;
    assert_int_equal(atomic_dir_begin(&a, out, &d), 0);
    put_in(a.tmp, "summary.json", "{}\n");
    assert_int_equal(atomic_dir_commit(&a, &d), 0);
    assert_int_equal(count(out), 1);
    /* a user's hidden file is not a temporary */
    put_in(out, ".notes", "mine");
    assert_int_equal(unlink(strcat(out, "/summary.json")), 0);
    out[strlen(out) - strlen("/summary.json")] = '\0';
    assert_int_equal(atomic_dir_begin(&a, out, &d), -1);
    assert_true(exists(out, ".notes"));
}

/* what is never replaced: a folder of other things, '.', a link */
static void test_dir_refused(void **state)
{
    fixture *f = *state;
    char out[256];
    diag d;
    diag_clear(&d);
    atomic_dir a;
    snprintf(out, sizeof out, "%s/mine", f->root);
    mkdir(out, 0777);
    put_in(out, "notes.txt", "keep\n");
    assert_int_equal(atomic_dir_begin(&a, out, &d), -1);
    assert_non_null(strstr(d.msg, "holds no capmix results"));
    assert_true(exists(out, "notes.txt"));
    assert_int_equal(atomic_dir_begin(&a, ".", &d), -1);
    assert_int_equal(atomic_dir_begin(&a, "/", &d), -1);
    char link[256];
    snprintf(link, sizeof link, "%s/link", f->root);
    assert_int_equal(symlink(out, link), 0);
    assert_int_equal(atomic_dir_begin(&a, link, &d), -1);
    assert_non_null(strstr(d.msg, "symbolic link"));
    assert_int_equal(count(f->root), 2); /* mine, link: no lock, no temporary */
}

/* stale siblings: a dead process's are removed, nothing else */
static void test_dir_sweeps_stale(void **state)
{
    fixture *f = *state;
    char out[256], p[512];
    diag d;
    diag_clear(&d);
    snprintf(out, sizeof out, "%s/out", f->root);
    const char *dead[] = {".out.tmp-dir.99999999.abcdef", ".out.tmp-old.99999999.abcdef"};
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s/%s", f->root, dead[i]);
        assert_int_equal(mkdir(p, 0777), 0);
        put_in(p, "x", "x");
    }
    char live[64];
    snprintf(live, sizeof live, ".out.tmp-dir.%ld.abcdef", (long)getppid());
    const char *keep[] = {live, ".out.tmp-dir.99999999.abc", ".other.tmp-dir.99999999.abcdef", ".out.keep"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", f->root, keep[i]);
        assert_int_equal(mkdir(p, 0777), 0);
    }
    atomic_dir a;
    assert_int_equal(atomic_dir_begin(&a, out, &d), 0);
    put_in(a.tmp, "summary.json", "{}\n");
    assert_int_equal(atomic_dir_commit(&a, &d), 0);
    for (int i = 0; i < 2; i++)
        assert_false(exists(f->root, dead[i]));
    for (int i = 0; i < 4; i++)
        assert_true(exists(f->root, keep[i]));
}

/* the tree remover never follows a link out of the tree */
static void test_rmtree_links(void **state)
{
    fixture *f = *state;
    char t[256], outside[256], link[300];
    snprintf(t, sizeof t, "%s/t", f->root);
    snprintf(outside, sizeof outside, "%s/outside", f->root);
    mkdir(t, 0777);
    mkdir(outside, 0777);
    put_in(outside, "precious", "x");
    snprintf(link, sizeof link, "%s/link", t);
    assert_int_equal(symlink(outside, link), 0);
    assert_int_equal(atomic_rmtree(t), 0);
    assert_false(exists(f->root, "t"));
    assert_true(exists(outside, "precious"));
    assert_int_equal(atomic_rmtree(t), 0); /* absent: nothing to do */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_verify_png, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_svg_and_others, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_new, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_replace_and_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_cancelled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_damaged_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_only_temps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_sweeps_stale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rmtree_links, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
