/*
 * shardfiles — the shard files a `capmix merge` argument names: a folder
 * stands for every shard file in it (SHARD_SUFFIX, not hidden), sorted by
 * name; a file stands for itself.
 */
#ifndef CAPMIX_SHARDFILES_H
#define CAPMIX_SHARDFILES_H

#include <stddef.h>
#include "diag.h"

/* Append the shard files of `arg` to (*files)[0..*n) (capacity *cap,
 * grown with realloc; each path malloc'd, the caller frees them and the
 * array).  Returns 0, or -1 with d set: an input diag for a path that
 * cannot be read or a folder with no shard file, runtime for memory. */
int shard_collect(const char *arg, char ***files, size_t *n, size_t *cap, diag *d);

#endif
