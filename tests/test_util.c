/*
 * Tests of the small utility modules: SHA-256 (digest.h over libcrypto;
 * FIPS 180-4 vectors), the JSON
 * writer (exact bytes) and atomic output files (including their failure
 * paths).  File-system tests run in a fresh mkdtemp folder under /tmp that
 * each test's teardown removes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "diag.h"
#include "json.h"
#include "digest.h"

/* ------------------------------------------------------------------ sha256 */

static void hex_of(digest_ctx *c, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[32];
    assert_int_equal(digest_final(c, md), 0);
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

/* Digest of `s` computed three ways: one shot, one byte at a time, and via
 * digest_sha256_hex.  All must agree with the expected value. */
static void check_digest(const void *s, size_t n, const char *expect)
{
    const unsigned char *p = s;
    char got[65];
    digest_ctx c;

    assert_int_equal(digest_sha256_hex(s, n, got), 0);
    assert_string_equal(got, expect);

    assert_int_equal(digest_init(&c), 0);
    digest_update(&c, s, n);
    hex_of(&c, got);
    assert_string_equal(got, expect);

    assert_int_equal(digest_init(&c), 0);
    for (size_t i = 0; i < n; i++)
        digest_update(&c, p + i, 1);
    hex_of(&c, got);
    assert_string_equal(got, expect);
}

static void test_sha256_empty(void **state)
{
    (void)state;
    check_digest("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* A NULL buffer of length 0 is a valid empty message. */
    char got[65];
    assert_int_equal(digest_sha256_hex(NULL, 0, got), 0);
    assert_string_equal(got, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_sha256_abc(void **state)
{
    (void)state;
    check_digest("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_sha256_448_bits(void **state)
{
    (void)state;
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check_digest(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256_896_bits(void **state)
{
    (void)state;
    const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    check_digest(m, strlen(m), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_sha256_million_a(void **state)
{
    (void)state;
    /* Uneven chunk sizes: every alignment of the digest's internal block
     * buffer is crossed. */
    static const size_t chunk[] = {1, 63, 64, 65, 127, 3, 1000, 55, 56, 4096, 7};
    const size_t total = 1000000;
    char *a = malloc(4096);
    assert_non_null(a);
    memset(a, 'a', 4096);

    digest_ctx c;
    assert_int_equal(digest_init(&c), 0);
    size_t done = 0;
    for (size_t i = 0; done < total; i++) {
        size_t n = chunk[i % (sizeof chunk / sizeof chunk[0])];
        if (n > total - done)
            n = total - done;
        digest_update(&c, a, n);
        done += n;
    }
    char got[65];
    hex_of(&c, got);
    assert_string_equal(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

/* Messages of 55/56/64... bytes sit on either side of the point where the
 * length no longer fits in the last block (reference: Python hashlib). */
static void test_sha256_padding_boundaries(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        const char *hex;
    } v[] = {
        {1, "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"},
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
        {128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
    };
    char a[128];
    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        check_digest(a, v[i].n, v[i].hex);
}

/* All 256 byte values (so no sign-extension slip goes unseen), split at
 * every chunk size from 1 to 130. */
static void test_sha256_binary_any_chunking(void **state)
{
    (void)state;
    unsigned char m[256 * 7];
    for (size_t i = 0; i < sizeof m; i++)
        m[i] = (unsigned char)i;
    const char *expect = "a3652ad1f4cb62f8cec5a16bf51b158f2f538cbeaa72c8d647fcdac6b1cc6cfa";
    for (size_t step = 1; step <= 130; step++) {
        digest_ctx c;
        char got[65];
        assert_int_equal(digest_init(&c), 0);
        for (size_t off = 0; off < sizeof m; off += step)
            digest_update(&c, m + off, sizeof m - off < step ? sizeof m - off : step);
        hex_of(&c, got);
        assert_string_equal(got, expect);
    }
}

/* -------------------------------------------------------------------- json */

typedef struct {
    char *buf;
    size_t len;
    FILE *fp;
    json_writer w;
} jcap;

static void jcap_open(jcap *j)
{
    j->buf = NULL;
    j->len = 0;
    j->fp = open_memstream(&j->buf, &j->len);
    assert_non_null(j->fp);
    json_init(&j->w, j->fp);
}

/* Finish the document; returns json_finish's status, output in j->buf. */
static int jcap_close(jcap *j)
{
    int rc = json_finish(&j->w);
    assert_int_equal(fclose(j->fp), 0);
    return rc;
}

static void test_json_nested_document(void **state)
{
    (void)state;
    jcap j;
    jcap_open(&j);
    json_writer *w = &j.w;
    json_obj_begin(w);
    json_key(w, "name");
    json_str(w, "capmix");
    json_key(w, "seed");
    json_u64(w, 42);
    json_key(w, "p");
    json_num(w, 0.25);
    json_key(w, "tags");
    json_arr_begin(w);
    json_str(w, "a");
    json_str(w, "b");
    json_arr_end(w);
    json_key(w, "empty");
    json_obj_begin(w);
    json_obj_end(w);
    json_key(w, "none");
    json_arr_begin(w);
    json_arr_end(w);
    json_key(w, "nested");
    json_obj_begin(w);
    json_key(w, "ok");
    json_bool(w, 1);
    json_key(w, "x");
    json_null(w);
    json_obj_end(w);
    json_key(w, "rows");
    json_arr_begin(w);
    json_obj_begin(w);
    json_key(w, "n");
    json_int(w, -3);
    json_obj_end(w);
    json_arr_begin(w);
    json_arr_end(w);
    json_num(w, 264000);
    json_arr_end(w);
    json_obj_end(w);
    assert_int_equal(jcap_close(&j), 0);
    assert_string_equal(j.buf, "{\n"
                               "  \"name\": \"capmix\",\n"
                               "  \"seed\": 42,\n"
                               "  \"p\": 0.25,\n"
                               "  \"tags\": [\n"
                               "    \"a\",\n"
                               "    \"b\"\n"
                               "  ],\n"
                               "  \"empty\": {},\n"
                               "  \"none\": [],\n"
                               "  \"nested\": {\n"
                               "    \"ok\": true,\n"
                               "    \"x\": null\n"
                               "  },\n"
                               "  \"rows\": [\n"
                               "    {\n"
                               "      \"n\": -3\n"
                               "    },\n"
                               "    [],\n"
                               "    264000\n"
                               "  ]\n"
                               "}\n");
    free(j.buf);
}

static void test_json_top_level_scalar_and_empty(void **state)
{
    (void)state;
    jcap j;
    jcap_open(&j);
    json_str(&j.w, "solo");
    assert_int_equal(jcap_close(&j), 0);
    assert_string_equal(j.buf, "\"solo\"\n");
    free(j.buf);

    jcap_open(&j);
    json_obj_begin(&j.w);
    json_obj_end(&j.w);
    assert_int_equal(jcap_close(&j), 0);
    assert_string_equal(j.buf, "{}\n");
    free(j.buf);
}

static void test_json_escaping(void **state)
{
    (void)state;
    jcap j;
    jcap_open(&j);
    json_obj_begin(&j.w);
    json_key(&j.w, "k\"ey");
    /* Quote, backslash, the short-escapable controls, the extremes of the
     * control range, DEL (escaped: a control by the text rules, textesc.h),
     * slash (left alone) and UTF-8 (kept). */
    json_str(&j.w, "q\" b\\ n\n t\t r\r \x01\x1f\x7f / caf\xc3\xa9 \xe2\x82\xac");
    json_key(&j.w, "nul");
    json_str(&j.w, NULL);
    json_key(&j.w, "");
    json_str(&j.w, "");
    json_obj_end(&j.w);
    assert_int_equal(jcap_close(&j), 0);
    assert_string_equal(j.buf, "{\n"
                               "  \"k\\\"ey\": \"q\\\" b\\\\ n\\u000a t\\u0009 r\\u000d "
                               "\\u0001\\u001f\\u007f / caf\xc3\xa9 \xe2\x82\xac\",\n"
                               "  \"nul\": null,\n"
                               "  \"\": \"\"\n"
                               "}\n");
    free(j.buf);
}

static void test_json_numbers(void **state)
{
    (void)state;
    jcap j;
    jcap_open(&j);
    json_arr_begin(&j.w);
    json_num(&j.w, INFINITY);
    json_num(&j.w, -INFINITY);
    json_num(&j.w, NAN);
    json_num(&j.w, -0.0);
    json_num(&j.w, 0.0);
    json_num(&j.w, 264000.0);
    json_num(&j.w, 0.1);
    json_num(&j.w, -1e21);
    json_num(&j.w, 5e-324);
    json_int(&j.w, INT64_MIN);
    json_u64(&j.w, UINT64_MAX);
    json_bool(&j.w, 0);
    json_bool(&j.w, 7);
    json_arr_end(&j.w);
    assert_int_equal(jcap_close(&j), 0);
    assert_string_equal(j.buf, "[\n"
                               "  \"Infinity\",\n"
                               "  \"-Infinity\",\n"
                               "  null,\n"
                               "  0,\n"
                               "  0,\n"
                               "  264000,\n"
                               "  0.10000000000000001,\n"
                               "  -1e+21,\n"
                               "  4.9406564584124654e-324,\n"
                               "  -9223372036854775808,\n"
                               "  18446744073709551615,\n"
                               "  false,\n"
                               "  true\n"
                               "]\n");
    free(j.buf);
}

/* %.17g must round-trip: the number read back is the same double. */
static void test_json_number_round_trip(void **state)
{
    (void)state;
    const double v[] = {1.0 / 3.0, 2.0 / 3.0 * 1e-200, 123456789.123456789, -7.1e22, 0.3};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        jcap j;
        jcap_open(&j);
        json_num(&j.w, v[i]);
        assert_int_equal(jcap_close(&j), 0);
        assert_true(strtod(j.buf, NULL) == v[i]);
        free(j.buf);
    }
}

typedef void (*json_script)(json_writer *w);

static void m_value_without_key(json_writer *w) { json_obj_begin(w); json_int(w, 1); json_obj_end(w); }
static void m_key_in_array(json_writer *w) { json_arr_begin(w); json_key(w, "k"); json_int(w, 1); json_arr_end(w); }
static void m_key_at_top(json_writer *w) { json_key(w, "k"); json_int(w, 1); }
static void m_key_twice(json_writer *w) { json_obj_begin(w); json_key(w, "a"); json_key(w, "b"); json_int(w, 1); json_obj_end(w); }
static void m_null_key(json_writer *w) { json_obj_begin(w); json_key(w, NULL); json_int(w, 1); json_obj_end(w); }
static void m_dangling_key_end(json_writer *w) { json_obj_begin(w); json_key(w, "a"); json_obj_end(w); }
static void m_wrong_end(json_writer *w) { json_obj_begin(w); json_arr_end(w); }
static void m_wrong_end2(json_writer *w) { json_arr_begin(w); json_obj_end(w); }
static void m_end_at_top(json_writer *w) { json_int(w, 1); json_arr_end(w); }
static void m_two_top_values(json_writer *w) { json_int(w, 1); json_int(w, 2); }
static void m_unclosed(json_writer *w) { json_arr_begin(w); json_int(w, 1); }
static void m_nothing(json_writer *w) { (void)w; }
static void m_too_deep(json_writer *w)
{
    for (int i = 0; i < JSON_MAX_DEPTH; i++)
        json_arr_begin(w);
    for (int i = 0; i < JSON_MAX_DEPTH; i++)
        json_arr_end(w);
}

static void test_json_misuse(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        json_script run;
    } cases[] = {
        {"value without key", m_value_without_key},
        {"key in array", m_key_in_array},
        {"key at top level", m_key_at_top},
        {"key twice", m_key_twice},
        {"NULL key", m_null_key},
        {"object ends after a key", m_dangling_key_end},
        {"object closed as array", m_wrong_end},
        {"array closed as object", m_wrong_end2},
        {"end at top level", m_end_at_top},
        {"two top-level values", m_two_top_values},
        {"unclosed array", m_unclosed},
        {"empty document", m_nothing},
        {"depth overflow", m_too_deep},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jcap j;
        jcap_open(&j);
        cases[i].run(&j.w);
        int rc = jcap_close(&j);
        if (rc != -1 || !j.w.err) {
            print_error("misuse not detected: %s\n", cases[i].name);
            fail();
        }
        free(j.buf);
    }
}

/* The deepest legal nesting is JSON_MAX_DEPTH - 1 containers (level 0 is
 * the document itself). */
static void test_json_max_depth(void **state)
{
    (void)state;
    jcap j;
    jcap_open(&j);
    for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
        json_arr_begin(&j.w);
    for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
        json_arr_end(&j.w);
    assert_int_equal(jcap_close(&j), 0);
    free(j.buf);
}

/* Once misused, the writer stops: no output after the fault. */
static void test_json_error_is_sticky(void **state)
{
    (void)state;
    jcap j;
    jcap_open(&j);
    json_obj_begin(&j.w);
    json_key(&j.w, "a");
    json_int(&j.w, 1);
    json_int(&j.w, 2); /* no key */
    json_key(&j.w, "b");
    json_int(&j.w, 3);
    json_obj_end(&j.w);
    assert_int_equal(jcap_close(&j), -1);
    assert_string_equal(j.buf, "{\n  \"a\": 1");
    free(j.buf);
}

static void test_json_write_failure(void **state)
{
    (void)state;
    FILE *fp = fopen("/dev/full", "w");
    if (!fp)
        skip();
    json_writer w;
    json_init(&w, fp);
    json_arr_begin(&w);
    json_str(&w, "bytes that cannot be stored");
    json_arr_end(&w);
    assert_int_equal(json_finish(&w), -1);
    fclose(fp);
}

/* ------------------------------------------------------------------ atomic */

static int rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        struct dirent *e;
        if (!dir)
            return -1;
        while ((e = readdir(dir)) != NULL) {
            char sub[2048];
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            rm_rf(sub);
        }
        closedir(dir);
        return rmdir(path);
    }
    return unlink(path);
}

static int tmpdir_setup(void **state)
{
    char *dir = malloc(64);
    if (!dir)
        return -1;
    strcpy(dir, "/tmp/capmix-test-XXXXXX");
    if (!mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

static int tmpdir_teardown(void **state)
{
    char *dir = *state;
    int rc = rm_rf(dir);
    free(dir);
    return rc;
}

/* Number of entries in `dir`, and how many of them look like temporaries. */
static int count_entries(const char *dir, int *temps)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    *temps = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        if (strstr(e->d_name, ".tmp."))
            (*temps)++;
    }
    closedir(d);
    return n;
}

/* Whole content of a file (NUL-terminated, caller frees), or NULL. */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long n;
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    rewind(fp);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void join(char *out, size_t n, const char *dir, const char *name)
{
    int k = snprintf(out, n, "%s/%s", dir, name);
    assert_true(k > 0 && (size_t)k < n);
}

static void test_atomic_commit_creates_file(void **state)
{
    const char *dir = *state;
    char path[256];
    diag d;
    atomic_file f;
    int temps;

    join(path, sizeof path, dir, "summary.json");
    diag_clear(&d);
    assert_int_equal(atomic_open(&f, path, &d), 0);
    assert_non_null(f.fp);
    /* While open, the temporary is the only entry, next to the target. */
    assert_int_equal(count_entries(dir, &temps), 1);
    assert_int_equal(temps, 1);
    assert_int_equal(strncmp(f.tmp, dir, strlen(dir)), 0);
    assert_non_null(strstr(f.tmp, "/.summary.json.tmp."));
    fprintf(f.fp, "hello %d\n", 42);
    assert_int_equal(atomic_commit(&f, &d), 0);
    assert_null(f.fp);

    char *got = slurp(path);
    assert_non_null(got);
    assert_string_equal(got, "hello 42\n");
    free(got);
    assert_int_equal(count_entries(dir, &temps), 1);
    assert_int_equal(temps, 0);

    /* Same mode as fopen(path, "w") would give. */
    struct stat st;
    mode_t mask = umask(0);
    umask(mask);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask);

    /* Abort after a commit is a harmless no-op. */
    atomic_abort(&f);
    atomic_abort(&f);
    got = slurp(path);
    assert_non_null(got);
    assert_string_equal(got, "hello 42\n");
    free(got);
}

static void test_atomic_commit_replaces(void **state)
{
    const char *dir = *state;
    char path[256];
    diag d;
    int temps;

    join(path, sizeof path, dir, "out.csv");
    diag_clear(&d);
    assert_int_equal(atomic_write(path, "old\n", 4, &d), 0);
    assert_int_equal(atomic_write(path, "new content\n", 12, &d), 0);
    char *got = slurp(path);
    assert_non_null(got);
    assert_string_equal(got, "new content\n");
    free(got);
    assert_int_equal(count_entries(dir, &temps), 1);
    assert_int_equal(temps, 0);

    /* An empty file is a valid output (and buf may then be NULL). */
    assert_int_equal(atomic_write(path, NULL, 0, &d), 0);
    got = slurp(path);
    assert_non_null(got);
    assert_string_equal(got, "");
    free(got);
}

static void test_atomic_abort_keeps_target(void **state)
{
    const char *dir = *state;
    char path[256];
    diag d;
    atomic_file f;
    int temps;

    join(path, sizeof path, dir, "keep.txt");
    diag_clear(&d);
    assert_int_equal(atomic_write(path, "original\n", 9, &d), 0);

    assert_int_equal(atomic_open(&f, path, &d), 0);
    fputs("half-written replacement", f.fp);
    fflush(f.fp); /* make sure the bytes really reached the temporary */
    atomic_abort(&f);
    assert_null(f.fp);
    atomic_abort(&f); /* idempotent */

    char *got = slurp(path);
    assert_non_null(got);
    assert_string_equal(got, "original\n");
    free(got);
    assert_int_equal(count_entries(dir, &temps), 1);
    assert_int_equal(temps, 0);

    /* Committing an aborted file is an error, not a crash. */
    assert_int_equal(atomic_commit(&f, &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);
}

static void test_atomic_missing_directory(void **state)
{
    const char *dir = *state;
    char path[256];
    diag d;
    atomic_file f;
    int temps;

    join(path, sizeof path, dir, "no/such/dir/out.json");
    diag_clear(&d);
    assert_int_equal(atomic_open(&f, path, &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);
    assert_non_null(strstr(d.msg, path));
    assert_non_null(strstr(d.msg, strerror(ENOENT)));
    assert_null(f.fp);
    atomic_abort(&f); /* safe after a failed open */
    assert_int_equal(atomic_open(&f, path, NULL), -1); /* a NULL diag is allowed */

    diag_clear(&d);
    assert_int_equal(atomic_write(path, "x", 1, &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);
    assert_non_null(strstr(d.msg, path));
    assert_int_equal(count_entries(dir, &temps), 0);
}

/* rename(2) onto a non-empty directory fails: the commit must report it,
 * remove the temporary and leave the "target" as it was. */
static void test_atomic_commit_failure(void **state)
{
    const char *dir = *state;
    char path[256], inner[300];
    diag d;
    atomic_file f;
    int temps;

    join(path, sizeof path, dir, "occupied");
    assert_int_equal(mkdir(path, 0777), 0);
    join(inner, sizeof inner, path, "inside");
    diag_clear(&d);
    assert_int_equal(atomic_write(inner, "i", 1, &d), 0);

    assert_int_equal(atomic_open(&f, path, &d), 0);
    fputs("payload", f.fp);
    assert_int_equal(atomic_commit(&f, &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);
    assert_non_null(strstr(d.msg, path));
    assert_null(f.fp);
    assert_int_equal(count_entries(dir, &temps), 1);
    assert_int_equal(temps, 0);
    assert_int_equal(count_entries(path, &temps), 1);
    atomic_abort(&f);
}

/* A write that failed while the caller was not looking (the stream's error
 * flag) must stop the commit. */
static void test_atomic_stream_error(void **state)
{
    const char *dir = *state;
    char path[256];
    diag d;
    atomic_file f;
    int temps;

    join(path, sizeof path, dir, "result.csv");
    diag_clear(&d);
    assert_int_equal(atomic_write(path, "before\n", 7, &d), 0);
    assert_int_equal(atomic_open(&f, path, &d), 0);
    fputs("after\n", f.fp);
    /* Reading a write-only stream is the portable way to raise its error
     * flag without a full disk. */
    assert_int_equal(fgetc(f.fp), EOF);
    assert_true(ferror(f.fp));
    assert_int_equal(atomic_commit(&f, &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);
    assert_non_null(strstr(d.msg, path));
    assert_null(f.fp);
    char *got = slurp(path);
    assert_non_null(got);
    assert_string_equal(got, "before\n");
    free(got);
    assert_int_equal(count_entries(dir, &temps), 1);
    assert_int_equal(temps, 0);
}

static void test_atomic_bad_names(void **state)
{
    const char *dir = *state;
    char path[256];
    char longp[1400];
    diag d;
    atomic_file f;
    int temps;

    diag_clear(&d);
    assert_int_equal(atomic_open(&f, "", &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);

    join(path, sizeof path, dir, "sub/");
    diag_clear(&d);
    assert_int_equal(atomic_open(&f, path, &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);

    memset(longp, 'x', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    diag_clear(&d);
    assert_int_equal(atomic_open(&f, longp, &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);
    assert_non_null(strstr(d.msg, "too long"));
    atomic_abort(&f);
    assert_int_equal(count_entries(dir, &temps), 0);
}

/* A bare file name means the current directory. */
static void test_atomic_relative_name(void **state)
{
    const char *dir = *state;
    char cwd[4096];
    diag d;
    int temps;

    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    diag_clear(&d);
    int rc = atomic_write("plain.txt", "p", 1, &d);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);

    char path[256];
    join(path, sizeof path, dir, "plain.txt");
    char *got = slurp(path);
    assert_non_null(got);
    assert_string_equal(got, "p");
    free(got);
    assert_int_equal(count_entries(dir, &temps), 1);
    assert_int_equal(temps, 0);
}

static void test_atomic_mkdirs(void **state)
{
    const char *dir = *state;
    char path[256];
    struct stat st;
    diag d;

    join(path, sizeof path, dir, "a/b/c");
    diag_clear(&d);
    assert_int_equal(atomic_mkdirs(path, &d), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    /* Existing folders are fine, and so are redundant slashes. */
    assert_int_equal(atomic_mkdirs(path, &d), 0);
    assert_int_equal(atomic_mkdirs(dir, &d), 0);
    join(path, sizeof path, dir, "a//b/d/");
    assert_int_equal(atomic_mkdirs(path, &d), 0);
    join(path, sizeof path, dir, "a/b/d");
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(atomic_mkdirs("/", &d), 0);

    /* A relative path, from inside the test folder. */
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    int rc = atomic_mkdirs("rel/x", &d);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);
    join(path, sizeof path, dir, "rel/x");
    assert_int_equal(stat(path, &st), 0);
}

static void test_atomic_mkdirs_file_in_the_way(void **state)
{
    const char *dir = *state;
    char file[256], path[300];
    diag d;

    join(file, sizeof file, dir, "blocker");
    diag_clear(&d);
    assert_int_equal(atomic_write(file, "f", 1, &d), 0);

    /* As an intermediate component: the diag names that component. */
    join(path, sizeof path, file, "sub/deeper");
    diag_clear(&d);
    assert_int_equal(atomic_mkdirs(path, &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);
    assert_non_null(strstr(d.msg, file));
    assert_null(strstr(d.msg, "sub"));
    assert_non_null(strstr(d.msg, strerror(ENOTDIR)));

    /* As the last component. */
    diag_clear(&d);
    assert_int_equal(atomic_mkdirs(file, &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);
    assert_non_null(strstr(d.msg, file));

    diag_clear(&d);
    assert_int_equal(atomic_mkdirs("", &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);

    /* The blocking file survived. */
    char *got = slurp(file);
    assert_non_null(got);
    assert_string_equal(got, "f");
    free(got);
}

/* Open f on dir/name and write `text` to it. */
static void open_with(atomic_file *f, const char *dir, const char *name, const char *text)
{
    char path[256];
    diag d;
    join(path, sizeof path, dir, name);
    diag_clear(&d);
    assert_int_equal(atomic_open(f, path, &d), 0);
    fputs(text, f->fp);
}

static void assert_content(const char *dir, const char *name, const char *want)
{
    char path[256];
    join(path, sizeof path, dir, name);
    char *got = slurp(path);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* A set whose last rename fails (its target is a non-empty folder, which
 * cannot be kept as a link either) puts back the targets already replaced
 * and removes the ones that were new: all or nothing. */
static void test_atomic_commit_all_rolls_back(void **state)
{
    const char *dir = *state;
    char path[256], inner[300];
    atomic_file f[3];
    diag d;
    int temps;

    diag_clear(&d);
    join(path, sizeof path, dir, "a.txt");
    assert_int_equal(atomic_write(path, "old a\n", 6, &d), 0);
    join(path, sizeof path, dir, "c");
    assert_int_equal(mkdir(path, 0777), 0);
    join(inner, sizeof inner, path, "inside");
    assert_int_equal(atomic_write(inner, "i", 1, &d), 0);

    open_with(&f[0], dir, "a.txt", "new a\n");
    open_with(&f[1], dir, "b.txt", "new b\n");
    open_with(&f[2], dir, "c", "new c\n");
    assert_int_equal(atomic_commit_all(f, 3, &d), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);
    assert_non_null(strstr(d.msg, path));
    assert_content(dir, "a.txt", "old a\n");
    assert_content(dir, "b.txt", NULL);
    assert_int_equal(count_entries(dir, &temps), 2);
    assert_int_equal(temps, 0);
    assert_int_equal(count_entries(path, &temps), 1);
    for (int i = 0; i < 3; i++)
        atomic_abort(&f[i]); /* harmless after a failed commit */
}

/* After a successful commit the set can still be taken back (the old
 * targets are kept as links until then), or made final. */
static void test_atomic_commit_all_undo_keep(void **state)
{
    const char *dir = *state;
    char path[256];
    atomic_file f[2];
    diag d;
    int temps;

    diag_clear(&d);
    join(path, sizeof path, dir, "a.txt");
    assert_int_equal(atomic_write(path, "old a\n", 6, &d), 0);

    open_with(&f[0], dir, "a.txt", "new a\n");
    open_with(&f[1], dir, "b.txt", "new b\n");
    assert_int_equal(atomic_commit_all(f, 2, &d), 0);
    assert_content(dir, "a.txt", "new a\n");
    assert_content(dir, "b.txt", "new b\n");
    assert_int_equal(count_entries(dir, &temps), 3); /* a's old version, kept */
    assert_int_equal(temps, 1);
    atomic_undo(f, 2);
    assert_content(dir, "a.txt", "old a\n");
    assert_content(dir, "b.txt", NULL);
    assert_int_equal(count_entries(dir, &temps), 1);
    assert_int_equal(temps, 0);

    open_with(&f[0], dir, "a.txt", "newer a\n");
    open_with(&f[1], dir, "b.txt", "newer b\n");
    assert_int_equal(atomic_commit_all(f, 2, &d), 0);
    atomic_keep(f, 2);
    atomic_undo(f, 2); /* nothing left to undo once kept */
    assert_content(dir, "a.txt", "newer a\n");
    assert_content(dir, "b.txt", "newer b\n");
    assert_int_equal(count_entries(dir, &temps), 2);
    assert_int_equal(temps, 0);

    /* Entries never opened are skipped; a failure to complete a file (its
     * stream's error flag) touches no target. */
    atomic_file g[3];
    memset(g, 0, sizeof g);
    open_with(&g[0], dir, "a.txt", "lost a\n");
    open_with(&g[2], dir, "b.txt", "lost b\n");
    assert_int_equal(fgetc(g[2].fp), EOF);
    assert_int_equal(atomic_commit_all(g, 3, &d), -1);
    assert_content(dir, "a.txt", "newer a\n");
    assert_content(dir, "b.txt", "newer b\n");
    assert_int_equal(count_entries(dir, &temps), 2);
    assert_int_equal(temps, 0);
}

/* The folders an output created are taken back when it does not land; the
 * ones that were there, or hold anything else, stay. */
static void test_atomic_mkdirs_made_rmdirs(void **state)
{
    const char *dir = *state;
    char path[256], made[256], other[300];
    struct stat st;
    diag d;

    diag_clear(&d);
    join(path, sizeof path, dir, "x/y/z");
    assert_int_equal(atomic_mkdirs_made(path, made, sizeof made, &d), 0);
    join(other, sizeof other, dir, "x");
    assert_string_equal(made, other);
    atomic_rmdirs(path, made);
    assert_int_equal(stat(other, &st), -1);
    assert_int_equal(stat(dir, &st), 0);

    /* Nothing created, nothing removed. */
    assert_int_equal(atomic_mkdirs_made(dir, made, sizeof made, &d), 0);
    assert_string_equal(made, "");
    atomic_rmdirs(dir, made);
    assert_int_equal(stat(dir, &st), 0);

    /* A created folder that is no longer empty stays, and so its parents. */
    join(path, sizeof path, dir, "p/q/");
    assert_int_equal(atomic_mkdirs_made(path, made, sizeof made, &d), 0);
    join(other, sizeof other, dir, "p/kept");
    assert_int_equal(atomic_write(other, "k", 1, &d), 0);
    atomic_rmdirs(path, made);
    join(other, sizeof other, dir, "p/q");
    assert_int_equal(stat(other, &st), -1);
    assert_content(dir, "p/kept", "k");
}

#define TMPDIR_TEST(fn) cmocka_unit_test_setup_teardown(fn, tmpdir_setup, tmpdir_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_empty),
        cmocka_unit_test(test_sha256_abc),
        cmocka_unit_test(test_sha256_448_bits),
        cmocka_unit_test(test_sha256_896_bits),
        cmocka_unit_test(test_sha256_million_a),
        cmocka_unit_test(test_sha256_padding_boundaries),
        cmocka_unit_test(test_sha256_binary_any_chunking),
        cmocka_unit_test(test_json_nested_document),
        cmocka_unit_test(test_json_top_level_scalar_and_empty),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_json_numbers),
        cmocka_unit_test(test_json_number_round_trip),
        cmocka_unit_test(test_json_misuse),
        cmocka_unit_test(test_json_max_depth),
        cmocka_unit_test(test_json_error_is_sticky),
        cmocka_unit_test(test_json_write_failure),
        TMPDIR_TEST(test_atomic_commit_creates_file),
        TMPDIR_TEST(test_atomic_commit_replaces),
        TMPDIR_TEST(test_atomic_abort_keeps_target),
        TMPDIR_TEST(test_atomic_missing_directory),
        TMPDIR_TEST(test_atomic_commit_failure),
        TMPDIR_TEST(test_atomic_stream_error),
        TMPDIR_TEST(test_atomic_bad_names),
        TMPDIR_TEST(test_atomic_relative_name),
        TMPDIR_TEST(test_atomic_mkdirs),
        TMPDIR_TEST(test_atomic_mkdirs_file_in_the_way),
        TMPDIR_TEST(test_atomic_commit_all_rolls_back),
        TMPDIR_TEST(test_atomic_commit_all_undo_keep),
        TMPDIR_TEST(test_atomic_mkdirs_made_rmdirs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
