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

int rf_read(const char *path, size_t limit, char **out, size_t *outlen, diag *d)
{
    char eb[128];
    char *buf = NULL;
    size_t len = 0, cap = 0;
    *out = NULL;
    *outlen = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return diag_input(d, path, 0, 0, "cannot open '%s': %s", path, errtext(errno, eb, sizeof eb));
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 16384;
            if (ncap > limit + 1)
                ncap = limit + 1;
            char *p = realloc(buf, ncap);
            if (!p) {
                free(buf);
                fclose(f);
                return diag_runtime(d, "out of memory");
            }
            buf = p;
            cap = ncap;
        }
        size_t want = cap - len;
        errno = 0;
        size_t got = fread(buf + len, 1, want, f);
        len += got;
        if (len > limit) {
            free(buf);
            fclose(f);
            return diag_input(d, path, 0, 0, "file is too large (limit is %zu bytes)", limit);
        }
        if (got < want) {
            int e = errno;
            if (ferror(f)) {
                free(buf);
                fclose(f);
                /* a folder is the user's mistake; other read errors are
                 * the system's */
                if (e == EISDIR)
                    return diag_input(d, path, 0, 0, "cannot read '%s': %s", path,
                                      errtext(e, eb, sizeof eb));
                return diag_runtime(d, "cannot read '%s': %s", path,
                                    errtext(e ? e : EIO, eb, sizeof eb));
            }
            break;
        }
    }
    fclose(f);
    *out = buf;
    *outlen = len;
    return 0;
}
