/*
 * yamltree: positions, every rejection with its exact position and
 * message, the limits, and the scalar conversions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "yamltree.h"

/* ------------------------------------------------------------- helpers */

static yt_doc *load_ok(const char *text)
{
    yt_doc *doc = NULL;
    diag d;

    diag_clear(&d);
    if (yt_load_buffer("t.yaml", text, strlen(text), &doc, &d) != 0) {
        print_error("unexpected error %d:%d: %s\n", d.line, d.col, d.msg);
        fail();
    }
    assert_non_null(doc);
    assert_int_equal(d.kind, DIAG_NONE);
    return doc;
}

static void expect_error_n(const char *text, size_t len, int line, int col, const char *msg)
{
    yt_doc *doc = (yt_doc *)&doc; /* must be reset to NULL on failure */
    diag d;

    diag_clear(&d);
    assert_int_equal(yt_load_buffer("t.yaml", text, len, &doc, &d), -1);
    assert_null(doc);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_string_equal(d.file, "t.yaml");
    assert_string_equal(d.msg, msg);
    assert_int_equal(d.line, line);
    assert_int_equal(d.col, col);
}

static void expect_error(const char *text, int line, int col, const char *msg)
{
    expect_error_n(text, strlen(text), line, col, msg);
}

static void assert_pos(const yt_node *n, int line, int col)
{
    assert_non_null(n);
    assert_int_equal(n->line, line);
    assert_int_equal(n->col, col);
}

static void assert_scalar(const yt_node *n, const char *s, int line, int col)
{
    assert_pos(n, line, col);
    assert_int_equal(n->kind, YT_SCALAR);
    assert_string_equal(n->str, s);
}

/* ----------------------------------------------------------- the tree */

static void test_block_positions(void **state)
{
    const char *text = "name: demo\n"
                       "work:\n"
                       "  tasks:\n"
                       "    - id: a\n"
                       "      hours: 3\n"
                       "    - id: 'b'\n"
                       "trials: 1000\n";
    yt_doc *doc = load_ok(text);
    const yt_node *root = doc->root, *work, *tasks, *t1, *k;

    (void)state;
    assert_int_equal(root->kind, YT_MAP);
    assert_pos(root, 1, 1);
    assert_int_equal(root->n, 3);
    assert_scalar(root->keys[0], "name", 1, 1);
    assert_scalar(root->items[0], "demo", 1, 7);
    assert_int_equal(root->items[0]->plain, 1);

    work = yt_get(root, "work", &k);
    assert_scalar(k, "work", 2, 1);
    assert_int_equal(work->kind, YT_MAP);
    assert_pos(work, 3, 3);
    tasks = yt_get(work, "tasks", NULL);
    assert_int_equal(tasks->kind, YT_SEQ);
    assert_pos(tasks, 4, 5);
    assert_int_equal(tasks->n, 2);
    assert_null(tasks->keys);

    t1 = tasks->items[0];
    assert_int_equal(t1->kind, YT_MAP);
    assert_pos(t1, 4, 7);
    assert_scalar(yt_get(t1, "hours", &k), "3", 5, 14);
    assert_scalar(k, "hours", 5, 7);
    assert_scalar(yt_get(tasks->items[1], "id", NULL), "b", 6, 11);
    assert_int_equal(yt_get(tasks->items[1], "id", NULL)->plain, 0);
    assert_scalar(yt_get(root, "trials", NULL), "1000", 7, 9);
    assert_string_equal(doc->file, "t.yaml");
    yt_free(doc);
}

static void test_flow_document(void **state)
{
    yt_doc *doc = load_ok("{a: [1, 2], b: {c: d}}");
    const yt_node *r = doc->root, *a, *b;

    (void)state;
    assert_int_equal(r->kind, YT_MAP);
    assert_pos(r, 1, 1);
    assert_int_equal(r->n, 2);
    assert_scalar(r->keys[0], "a", 1, 2);
    assert_scalar(r->keys[1], "b", 1, 13);
    a = r->items[0];
    assert_int_equal(a->kind, YT_SEQ);
    assert_pos(a, 1, 5);
    assert_int_equal(a->n, 2);
    assert_scalar(a->items[0], "1", 1, 6);
    assert_scalar(a->items[1], "2", 1, 9);
    b = r->items[1];
    assert_int_equal(b->kind, YT_MAP);
    assert_pos(b, 1, 16);
    assert_scalar(b->keys[0], "c", 1, 17);
    assert_scalar(yt_get(b, "c", NULL), "d", 1, 20);
    yt_free(doc);
}

static void test_indentless_and_empty(void **state)
{
    yt_doc *doc = load_ok("a:\n- 1\n- 2\nb:\nc: []\nd: {}\n");
    const yt_node *r = doc->root;

    (void)state;
    assert_pos(yt_get(r, "a", NULL), 2, 1);
    assert_int_equal(yt_get(r, "a", NULL)->n, 2);
    /* An empty value is an empty plain scalar, positioned after the colon. */
    assert_scalar(yt_get(r, "b", NULL), "", 4, 3);
    assert_int_equal(yt_get(r, "b", NULL)->plain, 1);
    assert_int_equal(yt_get(r, "c", NULL)->kind, YT_SEQ);
    assert_int_equal(yt_get(r, "c", NULL)->n, 0);
    assert_int_equal(yt_get(r, "d", NULL)->kind, YT_MAP);
    assert_int_equal(yt_get(r, "d", NULL)->n, 0);
    yt_free(doc);
}

static void test_columns_and_line_endings(void **state)
{
    yt_doc *doc;

    (void)state;
    /* Columns count characters, as libyaml's marks do: é is one. */
    doc = load_ok("\xC3\xA9: [1, 2]\n");
    assert_pos(doc->root->items[0], 1, 4);
    assert_scalar(doc->root->items[0]->items[1], "2", 1, 8);
    yt_free(doc);

    doc = load_ok("a: 1\r\nb: 2\r\n");
    assert_scalar(doc->root->keys[1], "b", 2, 1);
    assert_scalar(doc->root->items[1], "2", 2, 4);
    yt_free(doc);
}

static void test_empty_documents(void **state)
{
    static const char *const empties[] = {"", "# only a comment\n", "\n\n   \n", "---\n",
                                          "--- # c\n...\n"};
    (void)state;
    for (size_t i = 0; i < sizeof empties / sizeof *empties; i++) {
        yt_doc *doc = load_ok(empties[i]);
        assert_null(doc->root);
        yt_free(doc);
    }
}

static void test_buffer_not_terminated(void **state)
{
    const char text[] = "a: 1xyz";
    yt_doc *doc = NULL;
    diag d;

    (void)state;
    assert_int_equal(yt_load_buffer(NULL, text, 4, &doc, &d), 0);
    assert_string_equal(doc->file, "");
    assert_scalar(yt_get(doc->root, "a", NULL), "1", 1, 4);
    yt_free(doc);
    yt_free(NULL);
}

static void test_explicit_document_and_directive(void **state)
{
    yt_doc *doc = load_ok("%YAML 1.1\n---\na: 1\n...\n");

    (void)state;
    assert_scalar(doc->root->keys[0], "a", 3, 1);
    yt_free(doc);
}

static void test_quoted_keys_and_nul(void **state)
{
    yt_doc *doc = load_ok("\"<<\": 1\n'x y': \"a\\tb\"\n");

    (void)state;
    /* A quoted "<<" is an ordinary key, not a merge. */
    assert_int_equal(doc->root->keys[0]->plain, 0);
    assert_scalar(yt_get(doc->root, "x y", NULL), "a\tb", 2, 8);
    yt_free(doc);
}

/* --------------------------------------------------------- rejections */

static void test_anchors_aliases(void **state)
{
    (void)state;
    expect_error("a: &x 1\nb: 2\n", 1, 4, "anchors and aliases are not supported");
    expect_error("a: 1\nb: *x\n", 2, 4, "anchors and aliases are not supported");
    expect_error("a: &x {b: 1}\n", 1, 4, "anchors and aliases are not supported");
    expect_error("a:\n  - 1\n  - &y [2]\n", 3, 5, "anchors and aliases are not supported");
    expect_error("&r\na: 1\n", 1, 1, "anchors and aliases are not supported");
}

static void test_tags(void **state)
{
    (void)state;
    expect_error("a: !!str 1\n", 1, 4, "tags are not supported ('!!str')");
    expect_error("a: !foo 1\n", 1, 4, "tags are not supported ('!foo')");
    expect_error("a: 1\nb: !!seq [1]\n", 2, 4, "tags are not supported ('!!seq')");
    expect_error("x:\n  y: !!map {}\n", 2, 6, "tags are not supported ('!!map')");
    expect_error("a: ! 1\n", 1, 4, "tags are not supported ('!')");
}

static void test_merge_key(void **state)
{
    (void)state;
    expect_error("<<: {a: 1}\n", 1, 1, "merge keys ('<<') are not supported");
    expect_error("base: 1\nx:\n  <<: {a: 1}\n", 3, 3, "merge keys ('<<') are not supported");
    expect_error("{a: 1, <<: {b: 2}}", 1, 8, "merge keys ('<<') are not supported");
}

static void test_second_document(void **state)
{
    (void)state;
    expect_error("a: 1\n---\nb: 2\n", 2, 1, "only one YAML document is allowed");
    expect_error("---\na: 1\n---\n", 3, 1, "only one YAML document is allowed");
    expect_error("---\n---\n", 2, 1, "only one YAML document is allowed");
}

static void test_nonscalar_keys(void **state)
{
    (void)state;
    expect_error("{[a]: 1}", 1, 2, "a mapping key must be a scalar, not a list");
    expect_error("? {a: 1}\n: 2\n", 1, 3, "a mapping key must be a scalar, not a mapping");
    expect_error("a: 1\n? - x\n: 2\n", 2, 3, "a mapping key must be a scalar, not a list");
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    expect_error("name: x\ntrials: 1\nseed: 2\ntrials: 3\n", 4, 1,
                 "duplicate key 'trials' (first at line 2, column 1)");
    expect_error("a:\n  b: 1\n  c: 2\n  b: 3\n", 4, 3, "duplicate key 'b' (first at line 2, column 3)");
    expect_error("{x: 1, y: 2, x: 3}", 1, 14, "duplicate key 'x' (first at line 1, column 2)");
    /* Quoting does not make a key different. */
    expect_error("a: 1\n'a': 2\n", 2, 1, "duplicate key 'a' (first at line 1, column 1)");
    /* The same key in sibling maps is fine. */
    yt_free(load_ok("- a: 1\n- a: 2\n"));
    yt_free(load_ok("a: {x: 1}\nb: {x: 1}\n"));
}

static char *key_lines(int nkeys, const char *extra)
{
    size_t cap = (size_t)nkeys * 16 + strlen(extra) + 1, k = 0;
    char *s = malloc(cap);

    assert_non_null(s);
    for (int i = 0; i < nkeys; i++)
        k += (size_t)snprintf(s + k, cap - k, "k%d: %d\n", i, i);
    snprintf(s + k, cap - k, "%s", extra);
    return s;
}

static void test_duplicate_keys_large_map(void **state)
{
    char *s;

    (void)state;
    /* Beyond the first keys the check runs once the map is complete; it
     * must still report the earliest duplicate. */
    s = key_lines(40, "k25: x\nk3: y\nk25: z\n");
    expect_error(s, 41, 1, "duplicate key 'k25' (first at line 26, column 1)");
    free(s);
    s = key_lines(40, "k39: x\n");
    expect_error(s, 41, 1, "duplicate key 'k39' (first at line 40, column 1)");
    free(s);
    s = key_lines(40, "k0: x\n");
    expect_error(s, 41, 1, "duplicate key 'k0' (first at line 1, column 1)");
    free(s);
    s = key_lines(40, "z: x\n");
    yt_free(load_ok(s));
    free(s);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_error("a: 1\n- b\n", 2, 1,
                 "yaml syntax error: did not find expected key (while parsing a block mapping)");
    expect_error("a: 1\n b: 2\n", 2, 3,
                 "yaml syntax error: mapping values are not allowed in this context");
    expect_error("a: [1, 2\n", 2, 1,
                 "yaml syntax error: did not find expected ',' or ']' (while parsing a flow sequence)");
    expect_error("a: \"x\n", 2, 1,
                 "yaml syntax error: found unexpected end of stream (while scanning a quoted scalar)");
    expect_error("\ta: 1\n", 1, 1,
                 "yaml syntax error: found character that cannot start any token (while scanning for "
                 "the next token)");
}

static void test_bad_text(void **state)
{
    (void)state;
    expect_error("a: 1\nb: \xff\n", 2, 4, "invalid text: invalid leading UTF-8 octet");
    expect_error("a: \x07\n", 1, 4, "invalid text: control characters are not allowed");
    expect_error("a: \"x\\0y\"\n", 1, 4, "strings must not contain NUL characters");
}

/* ------------------------------------------------------------- limits */

static void test_depth_limit(void **state)
{
    char nest[2 * YT_MAX_DEPTH + 3];
    char *s = malloc(200000);
    yt_doc *doc;

    (void)state;
    assert_non_null(s);
    /* Exactly YT_MAX_DEPTH levels load. */
    memset(nest, '[', YT_MAX_DEPTH);
    memset(nest + YT_MAX_DEPTH, ']', YT_MAX_DEPTH);
    nest[2 * YT_MAX_DEPTH] = '\0';
    doc = load_ok(nest);
    assert_int_equal(doc->root->kind, YT_SEQ);
    yt_free(doc);

    /* One more fails at the collection that opens level 65. */
    memset(nest, '[', YT_MAX_DEPTH + 1);
    memset(nest + YT_MAX_DEPTH + 1, ']', YT_MAX_DEPTH + 1);
    expect_error_n(nest, 2 * (YT_MAX_DEPTH + 1), 1, YT_MAX_DEPTH + 1,
                   "nesting is too deep (limit is 64 levels)");

    /* 100,000 unclosed brackets: refused by the depth check as events
     * arrive, long before libyaml would find the missing ']'. */
    memset(s, '[', 100000);
    expect_error_n(s, 100000, 1, YT_MAX_DEPTH + 1, "nesting is too deep (limit is 64 levels)");

    /* Block style counts the same way; mappings count too. */
    {
        size_t k = 0;
        for (int i = 0; i <= YT_MAX_DEPTH; i++) {
            memset(s + k, ' ', (size_t)i);
            k += (size_t)i;
            k += (size_t)sprintf(s + k, "k:\n");
        }
        sprintf(s + k, "%*sk: 1\n", YT_MAX_DEPTH + 1, "");
        expect_error(s, YT_MAX_DEPTH + 1, YT_MAX_DEPTH + 1, "nesting is too deep (limit is 64 levels)");
    }
    free(s);
}

static void test_scalar_limit(void **state)
{
    size_t len = 3 + YT_MAX_SCALAR + 1;
    char *s = malloc(len + 1);
    yt_doc *doc;

    (void)state;
    assert_non_null(s);
    memcpy(s, "a: ", 3);
    memset(s + 3, 'x', YT_MAX_SCALAR + 1);
    s[len] = '\0';
    expect_error(s, 1, 4, "scalar is too long (limit is 65536 bytes)");

    s[len - 1] = '\0'; /* exactly the limit */
    doc = load_ok(s);
    assert_int_equal(strlen(yt_get(doc->root, "a", NULL)->str), YT_MAX_SCALAR);
    yt_free(doc);
    free(s);
}

static void test_node_limit(void **state)
{
    /* A flow list of YT_MAX_NODES scalars: with the list itself, one
     * node too many; the last item is the one refused. */
    size_t len = 2 * (size_t)YT_MAX_NODES + 1;
    char *s = malloc(len + 1);

    (void)state;
    assert_non_null(s);
    s[0] = '[';
    for (size_t i = 0; i < YT_MAX_NODES; i++) {
        s[1 + 2 * i] = '0';
        s[2 + 2 * i] = ',';
    }
    s[len - 1] = ']';
    s[len] = '\0';
    expect_error(s, 1, 2 * YT_MAX_NODES, "too many nodes (limit is 1000000)");
    free(s);
}

static void test_file_size_limit(void **state)
{
    size_t len = (size_t)YT_MAX_FILE_BYTES + 1;
    char *s = malloc(len);

    (void)state;
    assert_non_null(s);
    memset(s, '#', len);
    expect_error_n(s, len, 0, 0, "file is too large (limit is 4194304 bytes)");
    free(s);
}

/* -------------------------------------------------------------- files */

static void write_file(const char *path, const char *text, size_t len)
{
    /* len 0: the text is a C string. */
    FILE *f = fopen(path, "wb");

    if (len == 0)
        len = strlen(text);
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_load_file(void **state)
{
    char dir[] = "/tmp/capmix-yt-XXXXXX";
    char path[64];
    yt_doc *doc = NULL;
    diag d;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    write_file(path, "a: 1\nb:\n  c: [x]\n", 0);
    assert_int_equal(yt_load_file(path, &doc, &d), 0);
    assert_string_equal(doc->file, path);
    assert_scalar(yt_get(yt_get(doc->root, "b", NULL), "c", NULL)->items[0], "x", 3, 7);
    yt_free(doc);

    /* Errors carry the path. */
    write_file(path, "a: 1\na: 2\n", 0);
    assert_int_equal(yt_load_file(path, &doc, &d), -1);
    assert_null(doc);
    assert_string_equal(d.file, path);
    assert_int_equal(d.line, 2);

    /* A directory is the user's mistake. */
    assert_int_equal(yt_load_file(dir, &doc, &d), -1);
    assert_null(doc);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_int_equal(d.line, 0);
    assert_non_null(strstr(d.msg, "Is a directory"));

    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void test_load_file_too_large(void **state)
{
    char dir[] = "/tmp/capmix-yt-XXXXXX";
    char path[64];
    size_t len = (size_t)YT_MAX_FILE_BYTES + 1;
    char *s = malloc(len);
    yt_doc *doc = NULL;
    diag d;

    (void)state;
    assert_non_null(s);
    memset(s, '#', len);
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/big.yaml", dir);
    write_file(path, s, len);
    free(s);
    assert_int_equal(yt_load_file(path, &doc, &d), -1);
    assert_null(doc);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_string_equal(d.file, path);
    assert_string_equal(d.msg, "file is too large (limit is 4194304 bytes)");
    /* Exactly at the limit is fine (comments only: an empty document). */
    write_file(path, "#", 1);
    assert_int_equal(yt_load_file(path, &doc, &d), 0);
    yt_free(doc);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void test_load_missing_file(void **state)
{
    yt_doc *doc = (yt_doc *)&doc;
    diag d;

    (void)state;
    diag_clear(&d);
    assert_int_equal(yt_load_file("no/such/file.yaml", &doc, &d), -1);
    assert_null(doc);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_string_equal(d.file, "no/such/file.yaml");
    assert_int_equal(d.line, 0);
    assert_int_equal(d.col, 0);
    assert_string_equal(d.msg, "cannot open 'no/such/file.yaml': No such file or directory");
}

/* -------------------------------------------------------- conversions */

/* Load "v: TEXT" and convert v. */
typedef struct conv {
    yt_doc *doc;
    const yt_node *v;
    diag d;
} conv;

static void conv_load(conv *c, const char *text)
{
    char buf[256];

    snprintf(buf, sizeof buf, "v: %s\n", text);
    c->doc = load_ok(buf);
    c->v = yt_get(c->doc->root, "v", NULL);
    assert_non_null(c->v);
    diag_clear(&c->d);
}

static void test_number_accept(void **state)
{
    static const struct {
        const char *text;
        double value;
    } ok[] = {
        {"42", 42},          {"-3", -3},       {"+3", 3},           {"1.5", 1.5},
        {".5", 0.5},         {"5.", 5},        {"1e6", 1e6},        {"1.5E-3", 1.5e-3},
        {"0", 0},            {"-0", 0},        {"0.5", 0.5},        {"0e3", 0},
        {"-.25", -0.25},     {"+.5e1", 5},     {"1E+2", 100},       {"123456789012", 123456789012.0},
        {"1e-999", 0},       {"0.000001", 1e-6},
        {"1.7976931348623157e308", 1.7976931348623157e308},
    };
    (void)state;
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        conv c;
        double v = -99;
        conv_load(&c, ok[i].text);
        if (yt_number(c.doc, c.v, "v", &v, &c.d) != 0) {
            print_error("'%s' rejected: %s\n", ok[i].text, c.d.msg);
            fail();
        }
        assert_near(v, ok[i].value, fabs(ok[i].value) * 1e-15);
        yt_free(c.doc);
    }
}

static void test_number_reject(void **state)
{
    static const struct {
        const char *text;
        const char *msg;
    } bad[] = {
        {"\"42\"", "'v' must be a number, not a quoted string"},
        {"'1.5'", "'v' must be a number, not a quoted string"},
        {"", "'v' must be a number, not an empty value"},
        {"0x1F", "'v' must be a number, not '0x1F' (hexadecimal is not supported)"},
        {"-0x10", "'v' must be a number, not '-0x10' (hexadecimal is not supported)"},
        {"0755", "'v' must be a number, not '0755' (leading zeros are not allowed)"},
        {"00", "'v' must be a number, not '00' (leading zeros are not allowed)"},
        {"-007.5", "'v' must be a number, not '-007.5' (leading zeros are not allowed)"},
        {"1,5", "'v' must be a number, not '1,5' (no ',' in numbers: write 200000 for two hundred thousand, 1.5 for one and a half)"},
        {"nan", "'v' must be a number, not 'nan'"},
        {"NaN", "'v' must be a number, not 'NaN'"},
        {".nan", "'v' must be a number, not '.nan'"},
        {"inf", "'v' must be a number, not 'inf'"},
        {"-inf", "'v' must be a number, not '-inf'"},
        {".inf", "'v' must be a number, not '.inf'"},
        {"-.Inf", "'v' must be a number, not '-.Inf'"},
        {"infinity", "'v' must be a number, not 'infinity'"},
        {"1_000", "'v' must be a number, not '1_000'"},
        {"12abc", "'v' must be a number, not '12abc'"},
        {"1e999", "'v' must be a number, not '1e999' (out of range)"},
        {"-1e999", "'v' must be a number, not '-1e999' (out of range)"},
        {"2.5e308", "'v' must be a number, not '2.5e308' (out of range)"},
        {".", "'v' must be a number, not '.'"},
        {"+", "'v' must be a number, not '+'"},
        {"+.", "'v' must be a number, not '+.'"},
        {"e5", "'v' must be a number, not 'e5'"},
        {"1e", "'v' must be a number, not '1e'"},
        {"1e+", "'v' must be a number, not '1e+'"},
        {"1.2.3", "'v' must be a number, not '1.2.3'"},
        {"--1", "'v' must be a number, not '--1'"},
        {"1 2", "'v' must be a number, not '1 2'"},
        {"1e5.5", "'v' must be a number, not '1e5.5'"},
        {"true", "'v' must be a number, not 'true'"},
        {"~", "'v' must be a number, not '~'"},
        {"[1]", "'v' must be a number, not a list"},
        {"{a: 1}", "'v' must be a number, not a mapping"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        conv c;
        double v = 7;
        conv_load(&c, bad[i].text);
        if (yt_number(c.doc, c.v, "v", &v, &c.d) != -1) {
            print_error("'%s' accepted as %g\n", bad[i].text, v);
            fail();
        }
        assert_near(v, 7, 0); /* untouched on failure */
        assert_int_equal(c.d.kind, DIAG_INPUT);
        assert_string_equal(c.d.msg, bad[i].msg);
        assert_string_equal(c.d.file, "t.yaml");
        assert_int_equal(c.d.line, 1);
        /* libyaml puts an empty value right after the colon. */
        assert_int_equal(c.d.col, bad[i].text[0] ? 4 : 3);
        yt_free(c.doc);
    }
}

static void test_number_message_names_key(void **state)
{
    yt_doc *doc = load_ok("rates:\n  hourly_rate: \"95\"\n");
    const yt_node *v = yt_get(yt_get(doc->root, "rates", NULL), "hourly_rate", NULL);
    double x;
    diag d;

    (void)state;
    assert_int_equal(yt_number(doc, v, "hourly_rate", &x, &d), -1);
    assert_string_equal(d.msg, "'hourly_rate' must be a number, not a quoted string");
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 16);
    yt_free(doc);
}

static void test_integer(void **state)
{
    static const struct {
        const char *text;
        long long lo, hi;
        int ok;
        long long value;
    } rows[] = {
        {"1000", 1, 100000000, 1, 1000},
        {"1", 1, 100000000, 1, 1},
        {"100000000", 1, 100000000, 1, 100000000},
        {"1e6", 1, 100000000, 1, 1000000},
        {"2.5e3", 1, 100000000, 1, 2500},
        {"+7", 1, 100000000, 1, 7},
        {"-5", -10, 10, 1, -5},
        {"-0", 0, 0, 1, 0},
        {"9223372036854775807", LLONG_MIN, LLONG_MAX, 1, LLONG_MAX},
        {"-9223372036854775808", LLONG_MIN, LLONG_MAX, 1, LLONG_MIN},
        {"9007199254740993", 0, LLONG_MAX, 1, 9007199254740993LL}, /* 2^53 + 1, exact */
        {"0", 1, 100000000, 0, 0},
        {"100000001", 1, 100000000, 0, 0},
        {"1.5", 1, 100000000, 0, 0},
        {"1e9", 1, 100000000, 0, 0},
        {"-1", 1, 100000000, 0, 0},
        {"9223372036854775808", LLONG_MIN, LLONG_MAX, 0, 0},
        {"1e19", LLONG_MIN, LLONG_MAX, 0, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        conv c;
        long long v = 12345;
        int rc;
        conv_load(&c, rows[i].text);
        rc = yt_integer(c.doc, c.v, "trials", rows[i].lo, rows[i].hi, &v, &c.d);
        if (rows[i].ok) {
            if (rc != 0) {
                print_error("'%s' rejected: %s\n", rows[i].text, c.d.msg);
                fail();
            }
            assert_true(v == rows[i].value);
        } else {
            if (rc != -1) {
                print_error("'%s' accepted as %lld\n", rows[i].text, v);
                fail();
            }
            assert_true(v == 12345);
            assert_int_equal(c.d.line, 1);
            assert_int_equal(c.d.col, 4);
        }
        yt_free(c.doc);
    }
}

static void test_integer_messages(void **state)
{
    static const struct {
        const char *text;
        long long lo, hi;
        const char *msg;
    } rows[] = {
        {"0", 1, 100000000, "'trials' must be an integer from 1 to 100000000"},
        {"1.5", 1, 100000000, "'trials' must be an integer from 1 to 100000000"},
        {"\"10\"", 1, 100000000, "'trials' must be an integer from 1 to 100000000, not a quoted string"},
        {"ten", 1, 100000000, "'trials' must be an integer from 1 to 100000000, not 'ten'"},
        {"[1]", 1, 100000000, "'trials' must be an integer from 1 to 100000000, not a list"},
        {"-1", 0, LLONG_MAX, "'trials' must be an integer of at least 0"},
        {"11", LLONG_MIN, 10, "'trials' must be an integer of at most 10"},
        {"1e400", LLONG_MIN, LLONG_MAX, "'trials' must be an integer, not '1e400' (out of range)"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        conv c;
        long long v;
        conv_load(&c, rows[i].text);
        assert_int_equal(yt_integer(c.doc, c.v, "trials", rows[i].lo, rows[i].hi, &v, &c.d), -1);
        assert_string_equal(c.d.msg, rows[i].msg);
        yt_free(c.doc);
    }
}

static void test_bool(void **state)
{
    static const struct {
        const char *text;
        int ok, value;
    } rows[] = {
        {"true", 1, 1},  {"false", 1, 0}, {"True", 1, 1},  {"FALSE", 1, 0}, {"tRuE", 1, 1},
        {"yes", 0, 0},   {"no", 0, 0},    {"on", 0, 0},    {"off", 0, 0},   {"1", 0, 0},
        {"0", 0, 0},     {"y", 0, 0},     {"\"true\"", 0, 0}, {"", 0, 0},   {"truex", 0, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        conv c;
        int v = 42;
        conv_load(&c, rows[i].text);
        if (rows[i].ok) {
            assert_int_equal(yt_bool(c.doc, c.v, "baseline", &v, &c.d), 0);
            assert_int_equal(v, rows[i].value);
        } else {
            assert_int_equal(yt_bool(c.doc, c.v, "baseline", &v, &c.d), -1);
            assert_int_equal(v, 42);
            assert_string_equal(c.d.msg, "'baseline' must be true or false");
            assert_int_equal(c.d.line, 1);
            assert_int_equal(c.d.col, rows[i].text[0] ? 4 : 3);
        }
        yt_free(c.doc);
    }
    {
        conv c;
        int v;
        conv_load(&c, "{a: 1}");
        assert_int_equal(yt_bool(c.doc, c.v, "baseline", &v, &c.d), -1);
        assert_string_equal(c.d.msg, "'baseline' must be true or false, not a mapping");
        yt_free(c.doc);
    }
}

static void test_string(void **state)
{
    conv c;
    const char *s = NULL;

    (void)state;
    conv_load(&c, "hello world");
    assert_int_equal(yt_string(c.doc, c.v, "name", &s, &c.d), 0);
    assert_string_equal(s, "hello world");
    yt_free(c.doc);

    conv_load(&c, "'42'");
    assert_int_equal(yt_string(c.doc, c.v, "name", &s, &c.d), 0);
    assert_string_equal(s, "42");
    yt_free(c.doc);

    conv_load(&c, "");
    assert_int_equal(yt_string(c.doc, c.v, "name", &s, &c.d), 0);
    assert_string_equal(s, "");
    yt_free(c.doc);

    conv_load(&c, "{a: 1}");
    assert_int_equal(yt_string(c.doc, c.v, "name", &s, &c.d), -1);
    assert_string_equal(c.d.msg, "'name' must be a string, not a mapping");
    assert_int_equal(c.d.col, 4);
    yt_free(c.doc);

    conv_load(&c, "[a]");
    assert_int_equal(yt_string(c.doc, c.v, "name", &s, &c.d), -1);
    assert_string_equal(c.d.msg, "'name' must be a string, not a list");
    yt_free(c.doc);
}

static void test_missing_node(void **state)
{
    yt_doc *doc = load_ok("a: 1\n");
    double x;
    diag d;

    (void)state;
    assert_int_equal(yt_number(doc, yt_get(doc->root, "b", NULL), "b", &x, &d), -1);
    assert_string_equal(d.msg, "'b' is missing");
    assert_int_equal(d.line, 0);
    assert_string_equal(d.file, "t.yaml");
    yt_free(doc);
}

/* ----------------------------------------------------------- helpers */

static void test_get_and_kind_name(void **state)
{
    yt_doc *doc = load_ok("a: [1]\nb: {c: 2}\nd: x\n");
    const yt_node *r = doc->root, *k = r;

    (void)state;
    assert_string_equal(yt_kind_name(r), "a mapping");
    assert_string_equal(yt_kind_name(yt_get(r, "a", NULL)), "a list");
    assert_string_equal(yt_kind_name(yt_get(r, "d", NULL)), "a scalar");
    assert_null(yt_get(r, "zz", &k));
    assert_null(k);
    assert_null(yt_get(NULL, "a", NULL));
    assert_null(yt_get(yt_get(r, "a", NULL), "a", NULL)); /* not a map */
    assert_null(yt_get(r, "A", NULL));                    /* keys are case-sensitive */
    yt_free(doc);
}

static const char *const source_keys[] = {"kind", "throughput", "hourly_rate", NULL};

static void test_check_keys(void **state)
{
    yt_doc *doc = load_ok("work:\n  kind: pool\n  thruput: 8\n");
    const yt_node *work = yt_get(doc->root, "work", NULL);
    diag d;

    (void)state;
    assert_int_equal(yt_check_keys(doc, work, "source 'pod'", source_keys, &d), -1);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_string_equal(d.msg, "unknown key 'thruput' in source 'pod' (did you mean 'throughput'?)");
    assert_string_equal(d.file, "t.yaml");
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 3);
    yt_free(doc);

    doc = load_ok("work:\n  kind: pool\n  colour: red\n");
    work = yt_get(doc->root, "work", NULL);
    assert_int_equal(yt_check_keys(doc, work, "work", source_keys, &d), -1);
    assert_string_equal(d.msg, "unknown key 'colour' in work");
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 3);
    yt_free(doc);

    doc = load_ok("work:\n  kind: pool\n  hourly_rat: 3\n  throughput: 1\n");
    work = yt_get(doc->root, "work", NULL);
    assert_int_equal(yt_check_keys(doc, work, "work", source_keys, &d), -1);
    assert_string_equal(d.msg, "unknown key 'hourly_rat' in work (did you mean 'hourly_rate'?)");
    yt_free(doc);

    doc = load_ok("work:\n  kind: pool\n  throughput: 1\n");
    diag_clear(&d);
    assert_int_equal(yt_check_keys(doc, yt_get(doc->root, "work", NULL), "work", source_keys, &d), 0);
    assert_int_equal(d.kind, DIAG_NONE);
    /* An absent section has nothing to check. */
    assert_int_equal(yt_check_keys(doc, yt_get(doc->root, "nope", NULL), "nope", source_keys, &d), 0);
    yt_free(doc);
}

static void test_check_keys_not_a_map(void **state)
{
    yt_doc *doc = load_ok("work:\n  - a\n");
    const yt_node *work = yt_get(doc->root, "work", NULL);
    diag d;

    (void)state;
    assert_int_equal(yt_check_keys(doc, work, "work", source_keys, &d), -1);
    assert_string_equal(d.msg, "'work' must be a mapping, not a list");
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 3);
    assert_int_equal(yt_check_keys(doc, work, "source 'pod'", source_keys, &d), -1);
    assert_string_equal(d.msg, "source 'pod' must be a mapping, not a list");
    assert_int_equal(yt_check_keys(doc, work, "'people'", source_keys, &d), -1);
    assert_string_equal(d.msg, "'people' must be a mapping, not a list");
    assert_int_equal(yt_check_keys(doc, work, "an overhead", source_keys, &d), -1);
    assert_string_equal(d.msg, "an overhead must be a mapping, not a list");
    yt_free(doc);
}

static void test_error_helper(void **state)
{
    yt_doc *doc = load_ok("dist:\n  median: 5\n  p90: 4\n");
    const yt_node *p90 = yt_get(yt_get(doc->root, "dist", NULL), "p90", NULL);
    diag d;

    (void)state;
    assert_int_equal(yt_error(doc, p90, &d, "'p90' (%d) must exceed 'median' (%d)", 4, 5), -1);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_string_equal(d.file, "t.yaml");
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 8);
    assert_string_equal(d.msg, "'p90' (4) must exceed 'median' (5)");
    yt_free(doc);
}

static void test_long_key_echo_is_bounded(void **state)
{
    char text[400];
    diag d;
    yt_doc *doc;

    (void)state;
    memset(text, 'k', 300);
    memcpy(text + 300, ": 1\n", 5);
    doc = load_ok(text);
    assert_int_equal(yt_check_keys(doc, doc->root, "work", source_keys, &d), -1);
    /* The key is shortened so the message keeps its shape. */
    assert_true(strlen(d.msg) < 100);
    assert_non_null(strstr(d.msg, "...' in work"));
    yt_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_positions),
        cmocka_unit_test(test_flow_document),
        cmocka_unit_test(test_indentless_and_empty),
        cmocka_unit_test(test_columns_and_line_endings),
        cmocka_unit_test(test_empty_documents),
        cmocka_unit_test(test_buffer_not_terminated),
        cmocka_unit_test(test_explicit_document_and_directive),
        cmocka_unit_test(test_quoted_keys_and_nul),
        cmocka_unit_test(test_anchors_aliases),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_merge_key),
        cmocka_unit_test(test_second_document),
        cmocka_unit_test(test_nonscalar_keys),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_duplicate_keys_large_map),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_bad_text),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_scalar_limit),
        cmocka_unit_test(test_node_limit),
        cmocka_unit_test(test_file_size_limit),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_load_file_too_large),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_number_accept),
        cmocka_unit_test(test_number_reject),
        cmocka_unit_test(test_number_message_names_key),
        cmocka_unit_test(test_integer),
        cmocka_unit_test(test_integer_messages),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_string),
        cmocka_unit_test(test_missing_node),
        cmocka_unit_test(test_get_and_kind_name),
        cmocka_unit_test(test_check_keys),
        cmocka_unit_test(test_check_keys_not_a_map),
        cmocka_unit_test(test_error_helper),
        cmocka_unit_test(test_long_key_echo_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
