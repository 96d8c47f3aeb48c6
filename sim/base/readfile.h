/*
 * readfile — a whole input file into memory, with a size limit: the one
 * reader every command uses for a user's file, a recorded scenario, a
 * file echoed under an error, or a chart gnuplot drew.
 *
 * At most one byte past `limit` is read, so a huge file is refused
 * without being read, and pipes work as well as regular files.  On
 * success *buf (malloc'd, owned by the caller) holds *len bytes followed
 * by a NUL that *len does not count, so a text can be used as a string.
 */
#ifndef CAPMIX_READFILE_H
#define CAPMIX_READFILE_H

#include <stddef.h>
#include "diag.h"

typedef enum {
    RF_OK = 0,
    RF_OPEN,      /* fopen failed (*err: its errno) */
    RF_READ,      /* a read failed (*err: its errno; EISDIR for a folder) */
    RF_TOO_LARGE, /* more than `limit` bytes */
    RF_NOMEM      /* out of memory */
} rf_status;

/*
 * The reader without messages, for callers that word their own: returns
 * the status, with *buf NULL and *len 0 on any failure.  `err` may be NULL.
 */
rf_status rf_load(const char *path, size_t limit, char **buf, size_t *len, int *err);

/*
 * rf_load with capmix's generic messages as diags: a missing file, a
 * folder or a file over the limit is the user's (input, exit 2); a
 * failing read or memory is the system's (runtime).  Returns 0 or -1.
 */
int rf_read(const char *path, size_t limit, char **buf, size_t *len, diag *d);

#endif
