/*
 * readfile — a whole input file into memory, with a size limit.
 *
 * At most one byte past `limit` is read, so a huge file is refused
 * without being read, and pipes work as well as regular files.  Errors are
 * diags: a missing file, a folder or a file over the limit is the user's
 * (input, exit 2); a failing read or memory is the system's (runtime).
 * On success *buf (malloc'd, owned by the caller, not NUL-terminated)
 * holds *len bytes.
 */
#ifndef CAPMIX_READFILE_H
#define CAPMIX_READFILE_H

#include <stddef.h>
#include "diag.h"

int rf_read(const char *path, size_t limit, char **buf, size_t *len, diag *d);

#endif
