/*
 * readfile — read with a bounded, doubling buffer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readfile.h"

/* XSI strerror_r (our feature macros select it): strerror is not
 * guaranteed reentrant. */
static const char *errtext(int e, char *buf, size_t n)
{
    if (strerror_r(e, buf, n) != 0)
        snprintf(buf, n, "error %d", e);
    return buf;
}

static rf_status fail(FILE *f, char *buf, rf_status st, int e, int *err)
{
    free(buf);
    if (f)
        fclose(f);
    if (err)
        *err = e;
    return st;
}

rf_status rf_load(const char *path, size_t limit, char **out, size_t *outlen, int *err)
{
    char *buf = NULL;
    size_t len = 0, cap = 0; /* cap: data bytes, one more is kept for the NUL */
    *out = NULL;
    *outlen = 0;
    if (err)
        *err = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(NULL, NULL, RF_OPEN, errno, err);
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 16384;
            if (ncap > limit + 1)
                ncap = limit + 1;
            char *p = realloc(buf, ncap + 1);
            if (!p)
                return fail(f, buf, RF_NOMEM, ENOMEM, err);
            buf = p;
            cap = ncap;
        }
        size_t want = cap - len;
        errno = 0;
        size_t got = fread(buf + len, 1, want, f);
        len += got;
        if (len > limit)
            return fail(f, buf, RF_TOO_LARGE, EFBIG, err);
        if (got < want) {
            int e = errno;
            if (ferror(f))
                return fail(f, buf, RF_READ, e ? e : EIO, err);
            break;
        }
    }
    fclose(f);
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return RF_OK;
}

int rf_read(const char *path, size_t limit, char **out, size_t *outlen, diag *d)
{
    char eb[128];
    int e;
    switch (rf_load(path, limit, out, outlen, &e)) {
    case RF_OK:
        return 0;
    case RF_OPEN:
        return diag_input(d, path, 0, 0, "cannot open '%s': %s", path, errtext(e, eb, sizeof eb));
    case RF_TOO_LARGE:
        return diag_input(d, path, 0, 0, "file is too large (limit is %zu bytes)", limit);
    case RF_READ:
        /* a folder is the user's mistake; other read errors are the
         * system's */
        if (e == EISDIR)
            return diag_input(d, path, 0, 0, "cannot read '%s': %s", path, errtext(e, eb, sizeof eb));
        return diag_runtime(d, "cannot read '%s': %s", path, errtext(e, eb, sizeof eb));
    case RF_NOMEM:
        break;
    }
    return diag_runtime(d, "out of memory");
}
