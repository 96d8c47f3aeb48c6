/*
 * shim — fault injection for `make check FAULTS=1` (see docs/testing.md).
 *
 * The FAULTS=1 build links every program with -Wl,--wrap=SYMBOL for the
 * allocation and output functions listed below, so that each call our own
 * objects make to SYMBOL lands in __wrap_SYMBOL here, which counts it and
 * either passes it on to __real_SYMBOL or fails it the way the real
 * function fails.  --wrap rewrites references at link time, so calls made
 * inside libc, libyaml or GSL (libyaml's own mallocs, stdio's own write(2))
 * are not seen: what is tested is that *our* code copes with every failure
 * its calls can report.  link(2) and unlink(2), which sim/base/atomic.c uses to
 * undo a set of files that did not all land, are deliberately not failed:
 * a failing undo cannot be undone, only left recoverable.
 *
 * Two classes of calls, counted separately from 1:
 *
 *   alloc  malloc calloc realloc strdup strndup fdopen open_memstream
 *          gsl_rng_alloc gsl_ran_discrete_preproc gsl_root_fsolver_alloc
 *          yaml_parser_initialize                           (errno ENOMEM)
 *   write  fwrite fputs fputc putc putchar puts printf vprintf fprintf
 *          vfprintf fflush fclose fsync rename mkstemp mkdir (errno ENOSPC)
 *          except on stderr, where failures are reported: those calls are
 *          passed on and not counted
 *
 * Environment (all optional; without them the shim only counts):
 *
 *   CAPMIX_FAIL_ALLOC=N   fail the Nth allocation
 *   CAPMIX_FAIL_WRITE=N   fail the Nth output call
 *   CAPMIX_FAIL_MODE=once|always
 *                         once (default): only call N fails, as for a
 *                         transient error; always: N and every later call
 *                         of that class fail, as for memory or a disk that
 *                         stays full
 *   CAPMIX_FAULT_LOG=FILE at exit, append "alloc A\nwrite W\n" (calls seen)
 *                         and, when a fault fired, "failed CLASS N FUNC
 *                         OBJECT OFFSET" (the caller's offset in its object,
 *                         for addr2line) to FILE
 *   CAPMIX_FAULT_TRACE=FILE  append one line per call, "CLASS N FUNC OFFSET
 *                         STREAM" (STREAM: 0, or an id of the FILE written),
 *                         from which the driver picks which N to fail when
 *                         there are too many to fail every one
 *
 * A failed stdio output call also sets the stream's error indicator, as a
 * real failure does; a failed fclose still releases the stream, as the
 * real one does.  Counters are atomic, so threads are fine, but which call
 * is the Nth is only reproducible when the program's calls are ordered
 * (the driver runs with --threads 1).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_roots.h>
#include <yaml.h>

enum { C_ALLOC, C_WRITE, C_COUNT };

static const char *const class_name[C_COUNT] = {"alloc", "write"};
static atomic_ulong calls[C_COUNT];
static unsigned long fail_at[C_COUNT]; /* 0: never */
static int always;
static atomic_int configured;

/* The first failure, for the log. */
static atomic_int fired;
static int fired_class;
static unsigned long fired_n;
static const char *fired_fn;
static uintptr_t fired_off;
static char fired_obj[256];

static int trace_fd = -2; /* -2: not opened yet, -1: no trace */

/* One line per call; open(2)/write(2) are not wrapped, so tracing is never
 * a fault itself. */
static void trace(int c, unsigned long n, const char *fn, void *caller, const void *stream)
{
    if (trace_fd == -2) {
        const char *path = getenv("CAPMIX_FAULT_TRACE");
        trace_fd = path ? open(path, O_WRONLY | O_CREAT | O_APPEND, 0644) : -1;
    }
    if (trace_fd < 0)
        return;
    Dl_info info;
    uintptr_t off = dladdr(caller, &info) ? (uintptr_t)caller - (uintptr_t)info.dli_fbase : 0;
    char buf[160];
    int k = snprintf(buf, sizeof buf, "%s %lu %s 0x%lx %lx\n", class_name[c], n, fn,
                     (unsigned long)off, (unsigned long)(uintptr_t)stream);
    if (k > 0 && (size_t)k < sizeof buf)
        (void)!write(trace_fd, buf, (size_t)k);
}

/* Set once main has returned: from then on calls are passed on uncounted.
 * They are the C library's or, in a coverage build, libgcov's writing its
 * data (libgcov is linked statically, so --wrap reaches its calls too). */
static atomic_int exiting;

static void stop_counting(void)
{
    atomic_store(&exiting, 1);
}

static void configure(void)
{
    /* Idempotent, and cheap after the first call; two threads racing here
     * compute the same values. */
    if (atomic_load(&configured))
        return;
    const char *a = getenv("CAPMIX_FAIL_ALLOC"), *w = getenv("CAPMIX_FAIL_WRITE"),
               *m = getenv("CAPMIX_FAIL_MODE");
    fail_at[C_ALLOC] = a ? strtoul(a, NULL, 10) : 0;
    fail_at[C_WRITE] = w ? strtoul(w, NULL, 10) : 0;
    always = m && !strcmp(m, "always");
    /* handlers registered during main run before the destructors that
     * write coverage data */
    if (atomic_exchange(&configured, 1) == 0)
        atexit(stop_counting);
}

/* Count a call of class c (on `stream`, or NULL); nonzero when it must
 * fail. */
static int should_fail(int c, const char *fn, void *caller, const void *stream)
{
    configure();
    if (atomic_load(&exiting))
        return 0;
    unsigned long n = atomic_fetch_add(&calls[c], 1) + 1;
    trace(c, n, fn, caller, stream);
    int fail = fail_at[c] && (always ? n >= fail_at[c] : n == fail_at[c]);
    if (fail && atomic_exchange(&fired, 1) == 0) {
        Dl_info info;
        fired_class = c;
        fired_n = n;
        fired_fn = fn;
        if (dladdr(caller, &info) && info.dli_fname) {
            fired_off = (uintptr_t)caller - (uintptr_t)info.dli_fbase;
            snprintf(fired_obj, sizeof fired_obj, "%s", info.dli_fname);
        }
    }
    return fail;
}

#define ALLOC_FAILS(fn) should_fail(C_ALLOC, fn, __builtin_return_address(0), NULL)
#define WRITE_FAILS(fn) should_fail(C_WRITE, fn, __builtin_return_address(0), NULL)
/* Standard error is where failures are reported: a fault there would only
 * test that a failure cannot be reported, so it is passed on uncounted. */
#define STREAM_FAILS(fn, fp) \
    ((fp) != stderr && should_fail(C_WRITE, fn, __builtin_return_address(0), (fp)))

/* glibc's FILE keeps the error indicator in _flags; elsewhere the stream
 * stays clean and only the return value reports the failure. */
static void set_error(FILE *fp)
{
#ifdef _IO_ERR_SEEN
    if (fp)
        fp->_flags |= _IO_ERR_SEEN;
#else
    (void)fp;
#endif
}

static int fail_stream(FILE *fp)
{
    set_error(fp);
    errno = ENOSPC;
    return EOF;
}

__attribute__((destructor)) static void write_log(void)
{
    const char *path = getenv("CAPMIX_FAULT_LOG");
    if (!path)
        return;
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "alloc %lu\nwrite %lu\n", atomic_load(&calls[C_ALLOC]),
                     atomic_load(&calls[C_WRITE]));
    if (atomic_load(&fired) && n > 0 && (size_t)n < sizeof buf)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "failed %s %lu %s %s 0x%lx\n",
                      class_name[fired_class], fired_n, fired_fn,
                      fired_obj[0] ? fired_obj : "?", (unsigned long)fired_off);
    /* open(2)/write(2) are not wrapped: the log is never a fault itself */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
        if (n > 0)
            (void)!write(fd, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
        close(fd);
    }
}

/* ---- allocation ---------------------------------------------------- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
FILE *__real_fdopen(int fd, const char *mode);
FILE *__real_open_memstream(char **buf, size_t *len);
gsl_rng *__real_gsl_rng_alloc(const gsl_rng_type *t);
gsl_ran_discrete_t *__real_gsl_ran_discrete_preproc(size_t k, const double *p);
gsl_root_fsolver *__real_gsl_root_fsolver_alloc(const gsl_root_fsolver_type *t);
int __real_yaml_parser_initialize(yaml_parser_t *parser);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
FILE *__wrap_fdopen(int fd, const char *mode);
FILE *__wrap_open_memstream(char **buf, size_t *len);
gsl_rng *__wrap_gsl_rng_alloc(const gsl_rng_type *t);
gsl_ran_discrete_t *__wrap_gsl_ran_discrete_preproc(size_t k, const double *p);
gsl_root_fsolver *__wrap_gsl_root_fsolver_alloc(const gsl_root_fsolver_type *t);
int __wrap_yaml_parser_initialize(yaml_parser_t *parser);

void *__wrap_malloc(size_t n)
{
    if (ALLOC_FAILS("malloc")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    if (ALLOC_FAILS("calloc")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_calloc(k, n);
}

/* A failed realloc leaves the block as it was. */
void *__wrap_realloc(void *p, size_t n)
{
    if (ALLOC_FAILS("realloc")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    if (ALLOC_FAILS("strdup")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    if (ALLOC_FAILS("strndup")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_strndup(s, n);
}

/* fdopen allocates the FILE; on failure the descriptor stays open. */
FILE *__wrap_fdopen(int fd, const char *mode)
{
    if (ALLOC_FAILS("fdopen")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_fdopen(fd, mode);
}

FILE *__wrap_open_memstream(char **buf, size_t *len)
{
    if (ALLOC_FAILS("open_memstream")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_open_memstream(buf, len);
}

gsl_rng *__wrap_gsl_rng_alloc(const gsl_rng_type *t)
{
    if (ALLOC_FAILS("gsl_rng_alloc"))
        return NULL;
    return __real_gsl_rng_alloc(t);
}

gsl_ran_discrete_t *__wrap_gsl_ran_discrete_preproc(size_t k, const double *p)
{
    if (ALLOC_FAILS("gsl_ran_discrete_preproc"))
        return NULL;
    return __real_gsl_ran_discrete_preproc(k, p);
}

gsl_root_fsolver *__wrap_gsl_root_fsolver_alloc(const gsl_root_fsolver_type *t)
{
    if (ALLOC_FAILS("gsl_root_fsolver_alloc"))
        return NULL;
    return __real_gsl_root_fsolver_alloc(t);
}

/* libyaml reports a failed initialisation as 0 with error YAML_MEMORY_ERROR. */
int __wrap_yaml_parser_initialize(yaml_parser_t *parser)
{
    if (ALLOC_FAILS("yaml_parser_initialize")) {
        memset(parser, 0, sizeof *parser);
        parser->error = YAML_MEMORY_ERROR;
        return 0;
    }
    return __real_yaml_parser_initialize(parser);
}

/* ---- output -------------------------------------------------------- */

size_t __real_fwrite(const void *p, size_t size, size_t n, FILE *fp);
int __real_fputs(const char *s, FILE *fp);
int __real_fputc(int c, FILE *fp);
int __real_putc(int c, FILE *fp);
int __real_putchar(int c);
int __real_puts(const char *s);
int __real_vfprintf(FILE *fp, const char *fmt, va_list ap);
int __real_fflush(FILE *fp);
int __real_fclose(FILE *fp);
int __real_fsync(int fd);
int __real_rename(const char *from, const char *to);
int __real_mkstemp(char *tmpl);
int __real_mkdir(const char *path, mode_t mode);

size_t __wrap_fwrite(const void *p, size_t size, size_t n, FILE *fp);
int __wrap_fputs(const char *s, FILE *fp);
int __wrap_fputc(int c, FILE *fp);
int __wrap_putc(int c, FILE *fp);
int __wrap_putchar(int c);
int __wrap_puts(const char *s);
int __wrap_printf(const char *fmt, ...);
int __wrap_vprintf(const char *fmt, va_list ap);
int __wrap_fprintf(FILE *fp, const char *fmt, ...);
int __wrap_vfprintf(FILE *fp, const char *fmt, va_list ap);
int __wrap_fflush(FILE *fp);
int __wrap_fclose(FILE *fp);
int __wrap_fsync(int fd);
int __wrap_rename(const char *from, const char *to);
int __wrap_mkstemp(char *tmpl);
int __wrap_mkdir(const char *path, mode_t mode);

size_t __wrap_fwrite(const void *p, size_t size, size_t n, FILE *fp)
{
    if (STREAM_FAILS("fwrite", fp)) {
        fail_stream(fp);
        return 0;
    }
    return __real_fwrite(p, size, n, fp);
}

int __wrap_fputs(const char *s, FILE *fp)
{
    if (STREAM_FAILS("fputs", fp))
        return fail_stream(fp);
    return __real_fputs(s, fp);
}

int __wrap_fputc(int c, FILE *fp)
{
    if (STREAM_FAILS("fputc", fp))
        return fail_stream(fp);
    return __real_fputc(c, fp);
}

int __wrap_putc(int c, FILE *fp)
{
    if (STREAM_FAILS("putc", fp))
        return fail_stream(fp);
    return __real_putc(c, fp);
}

int __wrap_putchar(int c)
{
    if (STREAM_FAILS("putchar", stdout))
        return fail_stream(stdout);
    return __real_putchar(c);
}

int __wrap_puts(const char *s)
{
    if (STREAM_FAILS("puts", stdout))
        return fail_stream(stdout);
    return __real_puts(s);
}

int __wrap_printf(const char *fmt, ...)
{
    if (STREAM_FAILS("printf", stdout))
        return fail_stream(stdout);
    va_list ap;
    va_start(ap, fmt);
    int n = __real_vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int __wrap_vprintf(const char *fmt, va_list ap)
{
    if (STREAM_FAILS("vprintf", stdout))
        return fail_stream(stdout);
    return __real_vfprintf(stdout, fmt, ap);
}

int __wrap_fprintf(FILE *fp, const char *fmt, ...)
{
    if (STREAM_FAILS("fprintf", fp))
        return fail_stream(fp);
    va_list ap;
    va_start(ap, fmt);
    int n = __real_vfprintf(fp, fmt, ap);
    va_end(ap);
    return n;
}

int __wrap_vfprintf(FILE *fp, const char *fmt, va_list ap)
{
    if (STREAM_FAILS("vfprintf", fp))
        return fail_stream(fp);
    return __real_vfprintf(fp, fmt, ap);
}

int __wrap_fflush(FILE *fp)
{
    if (STREAM_FAILS("fflush", fp))
        return fail_stream(fp);
    return __real_fflush(fp);
}

/* The stream is released whatever fclose returns. */
int __wrap_fclose(FILE *fp)
{
    if (STREAM_FAILS("fclose", fp)) {
        __real_fclose(fp);
        errno = ENOSPC;
        return EOF;
    }
    return __real_fclose(fp);
}

int __wrap_fsync(int fd)
{
    if (WRITE_FAILS("fsync")) {
        errno = EIO;
        return -1;
    }
    return __real_fsync(fd);
}

int __wrap_rename(const char *from, const char *to)
{
    if (WRITE_FAILS("rename")) {
        errno = ENOSPC;
        return -1;
    }
    return __real_rename(from, to);
}

int __wrap_mkstemp(char *tmpl)
{
    if (WRITE_FAILS("mkstemp")) {
        errno = ENOSPC;
        return -1;
    }
    return __real_mkstemp(tmpl);
}

int __wrap_mkdir(const char *path, mode_t mode)
{
    if (WRITE_FAILS("mkdir")) {
        errno = ENOSPC;
        return -1;
    }
    return __real_mkdir(path, mode);
}
