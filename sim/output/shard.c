/*
 * shard — a run's blocks split into files and merged back (format in
 * shard.h).  Every read is checked against the file's SHA-256 before a
 * figure built from it can be reported.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "digest.h"
#include "shard.h"
#include "cmpi.h"
#include "stream.h"

#define MAGIC "CAPMIXSH"
#define MAX_ARGS 1024
#define MAX_ARG_BYTES 4096
#define MAX_SHARDS 65536

enum { KIND_ARRAYS = 1, KIND_STREAM = 2 };

static struct {
    unsigned i, n;          /* --shard I/N; n == 0: not splitting */
    char *const *files;     /* merge mode: shard files in block order */
    size_t nfiles;
} g;

int shard_parse(const char *arg, diag *d)
{
    unsigned long long i, n;
    char *end;
    const char *sl = strchr(arg, '/');
    errno = 0;
    if (!sl || arg[0] < '0' || arg[0] > '9' || sl[1] < '0' || sl[1] > '9')
        goto bad;
    i = strtoull(arg, &end, 10);
    if (end != sl || errno)
        goto bad;
    n = strtoull(sl + 1, &end, 10);
    if (*end || errno || n < 1 || n > MAX_SHARDS || i < 1 || i > n)
        goto bad;
    g.i = (unsigned)i;
    g.n = (unsigned)n;
    return 0;
bad:
    return diag_input(d, NULL, 0, 0, "--shard needs I/N with 1 <= I <= N <= %d (e.g. 2/4), not '%s'",
                      MAX_SHARDS, arg);
}

int shard_splitting(void)
{
    return g.n > 0;
}

void shard_set_merge(char *const *files, size_t n)
{
    g.files = files;
    g.nfiles = n;
}

void shard_reset(void)
{
    memset(&g, 0, sizeof g);
}

static uint64_t nblocks_of(uint64_t trials)
{
    return (trials + ENG_BLOCK - 1) / ENG_BLOCK;
}

/* The deal: shard i (1-based) of n takes blocks [*lo, *hi). */
static void deal(uint64_t blocks, unsigned i, unsigned n, uint64_t *lo, uint64_t *hi)
{
    *lo = blocks * (i - 1) / n;
    *hi = blocks * i / n;
}

/* ---- hashed input and output ---- */

typedef struct io {
    FILE *fp;
    digest_ctx h; /* md NULL: not hashed */
} io;

static int put(void *ctx, void *p, size_t n)
{
    io *w = ctx;
    if (!n)
        return 0;
    digest_update(&w->h, p, n);
    return fwrite(p, 1, n, w->fp) == n ? 0 : -1;
}

static int get(void *ctx, void *p, size_t n)
{
    io *r = ctx;
    if (!n)
        return 0;
    if (fread(p, 1, n, r->fp) != n)
        return -1;
    digest_update(&r->h, p, n);
    return 0;
}

static int put_u32(io *w, uint32_t v)
{
    return put(w, &v, sizeof v);
}

static int put_u64(io *w, uint64_t v)
{
    return put(w, &v, sizeof v);
}

typedef struct header {
    char version[17];
    char sha[65];
    uint32_t kind, i, n, nalts, months;
    uint64_t seed, trials, lo, hi;
    uint32_t nargs;
    char **args;            /* one allocation: pointers, then the strings */
} header;

static int write_header(io *w, const header *h, char *const *args)
{
    char version[16] = {0};
    size_t vl = strlen(h->version);
    memcpy(version, h->version, vl < sizeof version ? vl : sizeof version);
    if (put(w, MAGIC, 8) || put_u32(w, 0x01020304u) || put_u32(w, SHARD_FORMAT) ||
        put(w, version, sizeof version) || put(w, (void *)h->sha, 64) || put_u32(w, h->kind) ||
        put_u32(w, h->i) || put_u32(w, h->n) || put_u32(w, h->nalts) || put_u32(w, h->months) ||
        put_u64(w, h->seed) || put_u64(w, h->trials) || put_u64(w, h->lo) || put_u64(w, h->hi) ||
        put_u32(w, h->nargs))
        return -1;
    for (uint32_t k = 0; k < h->nargs; k++) {
        uint32_t len = (uint32_t)strlen(args[k]);
        if (put_u32(w, len) || put(w, args[k], len))
            return -1;
    }
    return 0;
}

static int damaged(diag *d, const char *path)
{
    return diag_input(d, path, 0, 0, "'%s' is damaged or truncated (its checksum does not match)", path);
}

/* Read and sanity-check a header; h->args allocated (free it). */
static int read_header(io *r, header *h, const char *path, diag *d)
{
    char magic[8], version[16];
    uint32_t bom, fmt;
    memset(h, 0, sizeof *h);
    if (get(r, magic, 8) || memcmp(magic, MAGIC, 8))
        return diag_input(d, path, 0, 0, "'%s' is not a capmix shard file", path);
    if (get(r, &bom, 4) || get(r, &fmt, 4))
        return damaged(d, path);
    if (bom != 0x01020304u)
        return diag_input(d, path, 0, 0, "'%s' was written on a machine of another byte order", path);
    if (fmt != SHARD_FORMAT)
        return diag_input(d, path, 0, 0, "'%s' has shard format %u; this capmix reads format %d",
                          path, fmt, SHARD_FORMAT);
    if (get(r, version, 16) || get(r, h->sha, 64) || get(r, &h->kind, 4) || get(r, &h->i, 4) ||
        get(r, &h->n, 4) || get(r, &h->nalts, 4) || get(r, &h->months, 4) || get(r, &h->seed, 8) ||
        get(r, &h->trials, 8) || get(r, &h->lo, 8) || get(r, &h->hi, 8) || get(r, &h->nargs, 4))
        return damaged(d, path);
    memcpy(h->version, version, 16);
    h->version[16] = h->sha[64] = '\0';
    if (h->nargs > MAX_ARGS || (h->kind != KIND_ARRAYS && h->kind != KIND_STREAM) || h->n < 1 ||
        h->n > MAX_SHARDS || h->i < 1 || h->i > h->n || h->lo >= h->hi)
        return damaged(d, path);
    /* pointers, then each string and its NUL */
    h->args = malloc(h->nargs * (sizeof(char *) + MAX_ARG_BYTES + 1) + 1);
    if (!h->args)
        return diag_runtime(d, "out of memory");
    char *s = (char *)(h->args + h->nargs);
    for (uint32_t k = 0; k < h->nargs; k++) {
        uint32_t len;
        if (get(r, &len, 4) || len > MAX_ARG_BYTES || get(r, s, len)) {
            free(h->args);
            h->args = NULL;
            return damaged(d, path);
        }
        s[len] = '\0';
        h->args[k] = s;
        s += len + 1;
    }
    return 0;
}

/* The whole file's digest against its last 32 bytes. */
static int verify(const char *path, diag *d)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return diag_input(d, path, 0, 0, "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode) || st.st_size < 32 + 8) {
        fclose(fp);
        return diag_input(d, path, 0, 0, "'%s' is not a capmix shard file", path);
    }
    digest_ctx h;
    if (digest_init(&h)) {
        fclose(fp);
        return diag_runtime(d, "out of memory");
    }
    static unsigned char buf[1 << 16];
    uint64_t left = (uint64_t)st.st_size - 32;
    while (left) {
        size_t k = left < sizeof buf ? (size_t)left : sizeof buf;
        if (fread(buf, 1, k, fp) != k)
            break;
        digest_update(&h, buf, k);
        left -= k;
    }
    unsigned char want[32], got[32];
    int ok = !left && fread(want, 1, 32, fp) == 32;
    fclose(fp);
    if (digest_final(&h, got))
        return diag_runtime(d, "out of memory");
    if (!ok || memcmp(want, got, 32))
        return damaged(d, path);
    return 0;
}

/* ---- the set ---- */

typedef struct entry {
    char *file;
    header h;
} entry;

static int by_index(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    return x->h.i < y->h.i ? -1 : x->h.i > y->h.i;
}

int shard_check_set(char **files, size_t n, char ***args, int *nargs, diag *d)
{
    *args = NULL;
    *nargs = 0;
    if (n == 0)
        return diag_input(d, NULL, 0, 0, "merge: no shard files given");
    entry *e = calloc(n, sizeof *e);
    if (!e)
        return diag_runtime(d, "out of memory");
    int rc = -1;
    size_t got = 0;
    for (; got < n; got++) {
        e[got].file = files[got];
        if (verify(files[got], d))
            goto out;
        /* verify() has digested the whole file: the header needs no hash */
        io r = {fopen(files[got], "rb"), {NULL, 0}};
        if (!r.fp) {
            diag_input(d, files[got], 0, 0, "cannot open '%s': %s", files[got], strerror(errno));
            goto out;
        }
        int bad = read_header(&r, &e[got].h, files[got], d);
        fclose(r.fp);
        if (bad)
            goto out;
    }
    qsort(e, n, sizeof *e, by_index);
    const header *h0 = &e[0].h;
    /* Another release may draw other random numbers (model §18.1): its
     * shards would merge into figures labelled with this release that no
     * replay could reproduce. */
    if (strcmp(h0->version, CAPMIX_VERSION)) {
        diag_input(d, e[0].file, 0, 0,
                   "'%s' was written by capmix %s; this is capmix %s, whose random streams differ: merge "
                   "it with the capmix that wrote it, or run the shards again",
                   e[0].file, h0->version, CAPMIX_VERSION);
        goto out;
    }
    for (size_t k = 0; k < n; k++) {
        const header *h = &e[k].h;
        const char *f = e[k].file, *what = NULL;
        if (strcmp(h->version, h0->version))
            what = "capmix version";
        else if (h->kind != h0->kind)
            what = "kind of run (--stream or not)";
        else if (strcmp(h->sha, h0->sha))
            what = "scenario (SHA-256 of its bytes)";
        else if (h->seed != h0->seed)
            what = "seed";
        else if (h->trials != h0->trials)
            what = "trial count";
        else if (h->n != h0->n)
            what = "shard count";
        else if (h->nalts != h0->nalts || h->months != h0->months || h->nargs != h0->nargs)
            what = "arguments";
        for (uint32_t a = 0; !what && a < h->nargs; a++)
            if (strcmp(h->args[a], h0->args[a]))
                what = "arguments";
        if (what) {
            diag_input(d, f, 0, 0, "'%s' is from another run than '%s': a different %s", f,
                       e[0].file, what);
            goto out;
        }
        if (k && h->i == e[k - 1].h.i) {
            diag_input(d, f, 0, 0, "shard %u of %u is given twice: '%s' and '%s'", h->i, h->n,
                       e[k - 1].file, f);
            goto out;
        }
        uint64_t lo, hi;
        deal(nblocks_of(h->trials), h->i, h->n, &lo, &hi);
        if (h->lo != lo || h->hi != hi) {
            diag_input(d, f, 0, 0, "'%s' holds blocks [%llu, %llu), not shard %u of %u's", f,
                       (unsigned long long)h->lo, (unsigned long long)h->hi, h->i, h->n);
            goto out;
        }
    }
    if (n != h0->n) {
        unsigned miss = 1;
        for (size_t k = 0; k < n && e[k].h.i == miss; k++)
            miss++;
        diag_input(d, NULL, 0, 0, "merge: shard %u of %u is missing (%zu of %u given)",
                   n > h0->n ? 0 : miss, h0->n, n, h0->n);
        goto out;
    }
    for (size_t k = 0; k < n; k++)
        files[k] = e[k].file;
    /* hand over the first header's arguments */
    *args = e[0].h.args;
    *nargs = (int)e[0].h.nargs;
    e[0].h.args = NULL;
    rc = 0;
out:
    for (size_t k = 0; k < n; k++)
        free(e[k].h.args);
    free(e);
    return rc;
}

/* ---- the payload: one block range's results ---- */

static int put_payload(io *w, const scn_scenario *s, const eng_opts *eo, const eng_results *res)
{
    double passes = res->pass_count;
    if (eo->on_block)
        return put(w, &passes, sizeof passes) || stm_save(eo->block_ctx, put, w);
    uint64_t n = res->trials;
    size_t cells = s->nalts * M_COUNT;
    if (put_u64(w, n) || put(w, &passes, sizeof passes) ||
        put(w, res->data, cells * n * sizeof(double)) ||
        put(w, res->cod_per_day, n * sizeof(double)) || put(w, res->target_day, n * sizeof(double)))
        return -1;
    if (res->months) {
        size_t mc = s->nalts * (size_t)res->months * n * sizeof(double);
        if (put(w, res->month_cost, mc) || put(w, res->month_accepted, mc) ||
            put(w, res->month_stop_cost, mc))
            return -1;
    }
    if (res->draws && put(w, res->draws, n * res->draws_nsrc * sizeof *res->draws))
        return -1;
    if (res->senior_rate && (put(w, res->senior_rate, n * sizeof(double)) ||
                             put(w, res->pm_rate, n * sizeof(double))))
        return -1;
    return 0;
}

/* Blocks [lo, hi)'s payload into the whole run's results (or accumulators). */
static int get_payload(io *r, const scn_scenario *s, const eng_opts *eo, eng_results *res,
                       uint64_t lo, uint64_t hi)
{
    double passes = 0;
    if (eo->on_block) {
        if (get(r, &passes, sizeof passes) || stm_load(eo->block_ctx, hi - lo, get, r))
            return -1;
        res->pass_count += passes;
        return 0;
    }
    const size_t T = (size_t)res->trials, off = (size_t)(lo * ENG_BLOCK);
    uint64_t n, end = hi * ENG_BLOCK < res->trials ? hi * ENG_BLOCK : res->trials;
    if (lo >= hi)
        end = lo * ENG_BLOCK; /* an empty range */
    if (get(r, &n, sizeof n) || n != end - off || get(r, &passes, sizeof passes))
        return -1;
    size_t bytes = (size_t)n * sizeof(double);
    for (size_t row = 0; row < s->nalts * M_COUNT; row++)
        if (get(r, res->data + row * T + off, bytes))
            return -1;
    if (get(r, res->cod_per_day + off, bytes) || get(r, res->target_day + off, bytes))
        return -1;
    double *mon[3] = {res->month_cost, res->month_accepted, res->month_stop_cost};
    for (int q = 0; q < 3 && res->months; q++)
        for (size_t row = 0; row < s->nalts * (size_t)res->months; row++)
            if (get(r, mon[q] + row * T + off, bytes))
                return -1;
    if (res->draws && get(r, res->draws + off * res->draws_nsrc, (size_t)n * res->draws_nsrc * sizeof *res->draws))
        return -1;
    if (res->senior_rate && (get(r, res->senior_rate + off, bytes) || get(r, res->pm_rate + off, bytes)))
        return -1;
    res->pass_count += passes;
    return 0;
}

/* The whole run's results as eng_run would allocate them, to fill. */
static eng_results *results_new(const scn_scenario *s, const eng_opts *eo)
{
    eng_results *res = calloc(1, sizeof *res);
    if (!res)
        return NULL;
    res->nalts = s->nalts;
    res->trials = eo->trials;
    const size_t T = (size_t)eo->trials;
    int oom = 0;
    if (!eo->on_block) {
        res->data = malloc(s->nalts * M_COUNT * T * sizeof(double) + 1);
        res->cod_per_day = malloc(T * sizeof(double) + 1);
        res->target_day = malloc(T * sizeof(double) + 1);
        oom |= !res->data || !res->cod_per_day || !res->target_day;
    }
    if (eo->monthly) {
        res->months = eng_months(s);
        size_t mc = s->nalts * (size_t)res->months * T * sizeof(double) + 1;
        res->month_cost = malloc(mc);
        res->month_accepted = malloc(mc);
        res->month_stop_cost = malloc(mc);
        oom |= !res->month_cost || !res->month_accepted || !res->month_stop_cost;
    }
    if (eo->keep_draws && eo->draws_alt < s->nalts && s->alts[eo->draws_alt].kind == ALT_MIX) {
        res->draws_nsrc = s->alts[eo->draws_alt].nsources;
        res->draws = malloc(T * res->draws_nsrc * sizeof *res->draws + 1);
        oom |= !res->draws;
    }
    if (res->months || res->draws) {
        res->senior_rate = malloc(T * sizeof(double) + 1);
        res->pm_rate = malloc(T * sizeof(double) + 1);
        oom |= !res->senior_rate || !res->pm_rate;
    }
    if (oom) {
        eng_results_free(res);
        return NULL;
    }
    return res;
}

/* ---- writing a shard ---- */

static int write_shard(const scn_scenario *s, const eng_opts *eo, const report_meta *meta,
                       const char *dir, const eng_results *res, diag *d)
{
    char path[1100];
    if ((size_t)snprintf(path, sizeof path, "%s/shard-%u-of-%u" SHARD_SUFFIX, dir, g.i, g.n) >=
        sizeof path)
        return diag_input(d, NULL, 0, 0, "output path '%s' is too long", dir);
    if (atomic_mkdirs(dir, d))
        return -1;
    atomic_file f;
    if (atomic_open(&f, path, d))
        return -1;
    header h = {.kind = eo->on_block ? KIND_STREAM : KIND_ARRAYS, .i = g.i, .n = g.n,
                .nalts = (uint32_t)s->nalts, .months = (uint32_t)res->months, .seed = s->seed,
                .trials = eo->trials, .lo = eo->block_lo, .hi = eo->block_hi,
                .nargs = (uint32_t)meta->nargs};
    snprintf(h.version, sizeof h.version, "%s", meta->version);
    memcpy(h.sha, s->sha256, 65);
    io w = {f.fp, {NULL, 0}};
    if (digest_init(&w.h)) {
        atomic_abort(&f);
        return diag_runtime(d, "out of memory");
    }
    int bad = write_header(&w, &h, meta->args);
    bad = bad || put_payload(&w, s, eo, res);
    unsigned char digest[DIGEST_LEN];
    if (digest_final(&w.h, digest)) {
        atomic_abort(&f);
        return diag_runtime(d, "out of memory");
    }
    if (bad || fwrite(digest, 1, 32, f.fp) != 32) {
        atomic_abort(&f);
        return diag_runtime(d, "cannot write '%s'", path);
    }
    return atomic_commit(&f, d);
}

/* ---- merging ---- */

static int load(const scn_scenario *s, const eng_opts *eo, eng_results *res, diag *d)
{
    const uint32_t kind = eo->on_block ? KIND_STREAM : KIND_ARRAYS;
    const uint32_t months = (uint32_t)res->months;
    for (size_t k = 0; k < g.nfiles; k++) {
        const char *path = g.files[k];
        io r = {fopen(path, "rb"), {NULL, 0}};
        if (!r.fp)
            return diag_input(d, path, 0, 0, "cannot open '%s': %s", path, strerror(errno));
        if (digest_init(&r.h)) {
            fclose(r.fp);
            return diag_runtime(d, "out of memory");
        }
        header h;
        int rc = read_header(&r, &h, path, d);
        free(h.args);
        if (rc) {
            digest_release(&r.h);
            fclose(r.fp);
            return -1;
        }
        if (strcmp(h.sha, s->sha256) || h.seed != s->seed || h.trials != res->trials ||
            h.nalts != s->nalts) {
            digest_release(&r.h);
            fclose(r.fp);
            return diag_input(d, s->file, 0, 0,
                              "'%s' changed since the shards ran ('%s' was run on SHA-256 %.12s…, "
                              "seed %llu, %llu trials)",
                              s->file, path, h.sha, (unsigned long long)h.seed,
                              (unsigned long long)h.trials);
        }
        if (h.kind != kind || h.months != months) {
            digest_release(&r.h);
            fclose(r.fp);
            return diag_input(d, path, 0, 0, "'%s' does not hold what this run needs "
                              "(month-end snapshots or streaming differ)", path);
        }
        int bad = get_payload(&r, s, eo, res, h.lo, h.hi);
        unsigned char want[32], got[32];
        if (digest_final(&r.h, got)) {
            fclose(r.fp);
            return diag_runtime(d, "out of memory");
        }
        bad = bad || fread(want, 1, 32, r.fp) != 32 || memcmp(want, got, 32) || fgetc(r.fp) != EOF;
        fclose(r.fp);
        if (bad)
            return damaged(d, path);
    }
    return 0;
}

static int merge(const scn_scenario *s, const eng_opts *eo, eng_results **out, diag *d)
{
    eng_results *res = results_new(s, eo);
    if (!res)
        return diag_runtime(d, "out of memory for the merged results");
    if (load(s, eo, res, d)) {
        eng_results_free(res);
        return -1;
    }
    *out = res;
    return 0;
}

/* ---- MPI ranks (cmpi.h) ---- */

typedef struct gather_ctx {
    const scn_scenario *s;
    const eng_opts *eo;
    eng_results *whole;
} gather_ctx;

static int sink(void *ctx, int rank, const void *buf, size_t len, diag *d)
{
    gather_ctx *G = ctx;
    uint64_t lo, hi;
    deal(nblocks_of(G->eo->trials), (unsigned)rank + 1, (unsigned)cmpi_size(), &lo, &hi);
    io r = {fmemopen((void *)buf, len ? len : 1, "rb"), {NULL, 0}};
    if (!r.fp)
        return diag_runtime(d, "out of memory");
    int bad = get_payload(&r, G->s, G->eo, G->whole, lo, hi) || ftell(r.fp) != (long)len;
    fclose(r.fp);
    return bad ? diag_runtime(d, "rank %d's results do not add up (a capmix of another version?)", rank)
               : 0;
}

/* The sets of per-trial arrays of a run (those results_new allocates),
 * described for cmpi_gather_rows: `whole` on a receiving rank (else
 * NULL), `mine` this rank's n trials (NULL or empty when it has none).
 * Decided from s and o alone, so every rank lists the same sets.  With
 * eng_opts.metrics_read, only those metrics' rows (one set each). */
static int row_sets(const scn_scenario *s, const eng_opts *o, const eng_results *whole,
                    const eng_results *mine, size_t n, cmpi_rows *set)
{
    const size_t T = (size_t)o->trials, D = sizeof(double);
    const size_t months = o->monthly ? (size_t)eng_months(s) : 0;
    const int draws = o->keep_draws && o->draws_alt < s->nalts && s->alts[o->draws_alt].kind == ALT_MIX;
    const size_t nsrc = draws ? s->alts[o->draws_alt].nsources : 0;
    int k = 0;
#define SET(field, off, nrows, el)                                                                 \
    set[k++] = (cmpi_rows){whole ? (void *)(whole->field + (off) * T) : NULL,                      \
                           mine ? mine->field + (off) * n : NULL, (nrows), (el), T * (el), n * (el)}
    if (!o->metrics_read)
        SET(data, 0, s->nalts * M_COUNT, D);
    for (size_t a = 0; o->metrics_read && a < s->nalts; a++)
        for (size_t m = 0; m < M_COUNT; m++)
            if (o->metrics_read >> m & 1)
                SET(data, a * M_COUNT + m, 1, D);
    SET(cod_per_day, 0, 1, D);
    SET(target_day, 0, 1, D);
    const uint32_t mr = o->months_read ? o->months_read : 7;
    if (months && (mr & 1))
        SET(month_cost, 0, s->nalts * months, D);
    if (months && (mr & 2))
        SET(month_accepted, 0, s->nalts * months, D);
    if (months && (mr & 4))
        SET(month_stop_cost, 0, s->nalts * months, D);
    if (draws)
        SET(draws, 0, 1, nsrc * sizeof(src_draw));
    if (months || draws) {
        SET(senior_rate, 0, 1, D);
        SET(pm_rate, 0, 1, D);
    }
#undef SET
    return k;
}

static void fill_nan(double *x, size_t n)
{
    for (size_t t = 0; t < n; t++)
        x[t] = NAN;
}

/* The rows that row_sets leaves out: NaN, as promised
 * (eng_opts.metrics_read, months_read). */
static void unread_nan(const scn_scenario *s, const eng_opts *o, eng_results *whole)
{
    const size_t T = (size_t)o->trials;
    for (size_t a = 0; o->metrics_read && a < s->nalts; a++)
        for (size_t m = 0; m < M_COUNT; m++)
            if (!(o->metrics_read >> m & 1))
                fill_nan(whole->data + (a * M_COUNT + m) * T, T);
    double *mon[3] = {whole->month_cost, whole->month_accepted, whole->month_stop_cost};
    for (int q = 0; q < 3 && whole->months && o->months_read; q++)
        if (!(o->months_read >> q & 1))
            fill_nan(mon[q], s->nalts * (size_t)whole->months * T);
}

/*
 * shard_distribute for per-trial arrays: each rank's arrays are moved by
 * MPI straight into the whole run's (cmpi_gather_rows), no payload to
 * encode and decode.  Same bytes as the payload path: every trial lands
 * at its index, and the passes are summed in rank order.
 */
static int distribute_rows(const scn_scenario *s, const eng_opts *o, eng_results **out, int all,
                           diag *d)
{
    const int P = cmpi_size(), me = cmpi_rank();
    const uint64_t blocks = nblocks_of(o->trials);
    eng_opts eo = *o;
    deal(blocks, (unsigned)me + 1, (unsigned)P, &eo.block_lo, &eo.block_hi);
    unsigned long long *first = malloc(((size_t)P + 1) * sizeof *first);
    double *passes = malloc((size_t)P * sizeof *passes);
    eng_results *mine = NULL, *whole = NULL;
    int failed = 0;
    if (!first || !passes)
        failed = diag_runtime(d, "out of memory");
    for (int r = 0; !failed && r <= P; r++) {
        uint64_t lo, hi;
        deal(blocks, (unsigned)(r < P ? r + 1 : P), (unsigned)P, &lo, &hi);
        uint64_t t = (r < P ? lo : hi) * ENG_BLOCK;
        first[r] = t < o->trials ? t : o->trials;
    }
    if (!failed && eo.block_lo < eo.block_hi)
        failed = eng_run(s, &eo, &mine, d);
    const size_t n = failed ? 0 : (size_t)(first[me + 1] - first[me]);
    if (!failed && mine && mine->trials != n)
        failed = diag_runtime(d, "rank %d simulated %llu trials, not %zu", me,
                              (unsigned long long)mine->trials, n);
    const int receives = all || me == 0;
    if (!failed && receives && !(whole = results_new(s, o)))
        failed = diag_runtime(d, "out of memory for the gathered results");
    cmpi_rows *set = failed ? NULL : malloc((s->nalts * M_COUNT + 10) * sizeof *set);
    if (!failed && !set)
        failed = diag_runtime(d, "out of memory");
    int nsets = failed ? 0 : row_sets(s, o, whole, mine, n, set);
    int rc = cmpi_gather_rows(failed, set, nsets, first, mine ? mine->pass_count : 0, passes, all, d);
    eng_results_free(mine);
    if (!rc && receives) {
        for (int r = 0; r < P; r++)
            whole->pass_count += passes[r];
        unread_nan(s, o, whole);
    }
    free(set);
    free(first);
    free(passes);
    if (rc || !receives) {
        eng_results_free(whole);
        return rc ? -1 : 1;
    }
    *out = whole;
    return 0;
}

int shard_distribute(const scn_scenario *s, const eng_opts *o, eng_results **out, int all, diag *d)
{
    *out = NULL;
    /* MPI counts and offsets are int: beyond, the payload path below */
    if (!o->on_block && o->trials <= INT_MAX)
        return distribute_rows(s, o, out, all, d);
    const int P = cmpi_size(), me = cmpi_rank();
    eng_opts eo = *o;
    deal(nblocks_of(o->trials), (unsigned)me + 1, (unsigned)P, &eo.block_lo, &eo.block_hi);
    eng_results *mine = NULL;
    char *buf = NULL;
    size_t len = 0;
    int failed = 0;
    if (eo.on_block && stm_shard(eo.block_ctx, eo.block_lo, eo.block_hi))
        failed = diag_runtime(d, "out of memory for the block moments");
    else if (eo.block_lo < eo.block_hi)
        failed = eng_run(s, &eo, &mine, d);
    else if (!(mine = calloc(1, sizeof *mine))) /* more ranks than blocks: nothing here */
        failed = diag_runtime(d, "out of memory");
    else
        mine->trials = 0;
    io w = {NULL, {NULL, 0}};
    if (!failed && !(w.fp = open_memstream(&buf, &len)))
        failed = diag_runtime(d, "out of memory");
    if (w.fp) {
        if (put_payload(&w, s, &eo, mine))
            failed = diag_runtime(d, "out of memory for the results to send");
        if (fclose(w.fp) && !failed)
            failed = diag_runtime(d, "out of memory for the results to send");
    }
    eng_results_free(mine);
    gather_ctx G = {s, o, NULL};
    const int receives = all || me == 0;
    if (!failed && receives) {
        if (o->on_block)
            stm_reset(o->block_ctx);
        if (!(G.whole = results_new(s, o)))
            failed = diag_runtime(d, "out of memory for the gathered results");
    }
    int rc = cmpi_gather(failed, buf, len, all, sink, &G, d);
    free(buf);
    if (rc || !receives) {
        eng_results_free(G.whole);
        return rc ? -1 : 1;
    }
    *out = G.whole;
    return 0;
}

int shard_distribute_all(const scn_scenario *s, const eng_opts *o, eng_results **out, diag *d)
{
    return shard_distribute(s, o, out, 1, d);
}

int shard_eng_run(const scn_scenario *s, eng_opts *eo, const report_meta *meta, const char *out,
                  eng_results **res, diag *d)
{
    *res = NULL;
    if (g.files)
        return merge(s, eo, res, d);
    if (!g.n && cmpi_sharing())
        return shard_distribute(s, eo, res, 0, d); /* rank 0 alone goes on */
    if (!g.n)
        return eng_run(s, eo, res, d);
    if (cmpi_sharing())
        return diag_input(d, NULL, 0, 0, "--shard splits a run without MPI: not under mpiexec");
    uint64_t blocks = nblocks_of(eo->trials);
    if (g.n > blocks)
        return diag_input(d, NULL, 0, 0,
                          "--shard %u/%u: %llu trials make only %llu blocks of %d; use at most %llu shards",
                          g.i, g.n, (unsigned long long)eo->trials, (unsigned long long)blocks,
                          ENG_BLOCK, (unsigned long long)blocks);
    if (!out)
        return diag_input(d, NULL, 0, 0, "--shard needs an output folder (-o DIR) for its shard file");
    deal(blocks, g.i, g.n, &eo->block_lo, &eo->block_hi);
    if (eo->on_block && stm_shard(eo->block_ctx, eo->block_lo, eo->block_hi))
        return diag_runtime(d, "out of memory for the shard's block moments");
    if (eng_run(s, eo, res, d))
        return -1;
    int rc = write_shard(s, eo, meta, out, *res, d);
    eng_results_free(*res);
    *res = NULL;
    return rc ? -1 : 1;
}
