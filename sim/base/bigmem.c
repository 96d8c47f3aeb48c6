/*
 * bigmem — see bigmem.h.
 */
#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define BIGMEM_MIN ((size_t)4 << 20)
#define BIGMEM_HUGE ((size_t)2 << 20) /* x86-64's huge page */

void *bigmem_alloc(size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (bytes >= BIGMEM_MIN && bytes <= SIZE_MAX - BIGMEM_HUGE) {
        /* aligned and whole huge pages, so that every 2 MiB of the array
         * can be one (malloc's mmap starts a header past a page boundary,
         * which would leave the first 2 MiB in small pages) */
        size_t n = (bytes + BIGMEM_HUGE - 1) & ~(BIGMEM_HUGE - 1);
        void *p = aligned_alloc(BIGMEM_HUGE, n);
        if (p)
            (void)madvise(p, n, MADV_HUGEPAGE);
        return p;
    }
#endif
    return malloc(bytes);
}
