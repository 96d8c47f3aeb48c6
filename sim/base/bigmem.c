/*
 * bigmem — see bigmem.h.
 */
#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define BIGMEM_MIN ((size_t)4 << 20)

void *bigmem_alloc(size_t bytes)
{
    void *p = malloc(bytes);
#ifdef MADV_HUGEPAGE
    long ps = sysconf(_SC_PAGESIZE);
    if (p && bytes >= BIGMEM_MIN && ps > 0) {
        /* glibc serves an allocation this large by mmap, a header's length
         * past a page boundary: advise the whole pages inside it */
        uintptr_t a = ((uintptr_t)p + (uintptr_t)ps - 1) & ~((uintptr_t)ps - 1);
        uintptr_t e = ((uintptr_t)p + bytes) & ~((uintptr_t)ps - 1);
        if (e > a)
            (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
    }
#endif
    return p;
}
