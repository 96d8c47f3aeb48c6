/*
 * bigmem — large per-trial arrays, backed by huge pages where the kernel
 * offers them.
 *
 * A run's result arrays and month-end snapshots are tens to hundreds of
 * MiB, written once trial by trial.  With 4 KiB pages every first touch
 * is a page fault: 17,800 of them in a default run (16% of its processor
 * time, measured with callgrind and perf).  Linux's transparent huge pages
 * are commonly enabled on request only ("madvise" mode, as on Debian's
 * kernels), so the arrays ask for them.  Only the allocation changes: the
 * contents, and therefore every result, are the same either way.
 */
#ifndef CAPMIX_BIGMEM_H
#define CAPMIX_BIGMEM_H

#include <stddef.h>

/* malloc(bytes); an array of 4 MiB or more is instead aligned to 2 MiB,
 * rounded up to whole 2 MiB pages (less than 2 MiB more) and advised
 * madvise(MADV_HUGEPAGE) (a hint: ignored where unsupported).  NULL when
 * out of memory; free with free(). */
void *bigmem_alloc(size_t bytes);

#endif
