/*
 * eventq — the out-of-line part of the heap: growing and freeing.
 */
#include <stdlib.h>

#include "eventq.h"

int evq_reserve_(evq *q)
{
    size_t cap = q->cap ? 2 * q->cap : 64;
    evq_event *h = realloc(q->h, cap * sizeof *h);
    if (!h)
        return -1;
    q->h = h;
    q->cap = cap;
    return 0;
}

void evq_release(evq *q)
{
    free(q->h);
    q->h = NULL;
    q->n = q->cap = 0;
    q->seq = 0;
}
