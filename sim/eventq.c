/*
 * eventq — binary min-heap on (t, seq).
 */
#include <stdlib.h>

#include "eventq.h"

static inline int before(const evq_event *a, const evq_event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

int evq_push(evq *q, double t, unsigned kind, uint32_t id)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 64;
        evq_event *h = realloc(q->h, cap * sizeof *h);
        if (!h)
            return -1;
        q->h = h;
        q->cap = cap;
    }
    evq_event e = {.t = t, .seq = q->seq++, .kind = (uint16_t)kind, .id = id};
    size_t i = q->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&e, &q->h[parent]))
            break;
        q->h[i] = q->h[parent];
        i = parent;
    }
    q->h[i] = e;
    return 0;
}

evq_event evq_pop(evq *q)
{
    evq_event top = q->h[0];
    evq_event last = q->h[--q->n];
    size_t i = 0, n = q->n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(&q->h[c + 1], &q->h[c]))
            c++;
        if (!before(&q->h[c], &last))
            break;
        q->h[i] = q->h[c];
        i = c;
    }
    if (n)
        q->h[i] = last;
    return top;
}

void evq_release(evq *q)
{
    free(q->h);
    q->h = NULL;
    q->n = q->cap = 0;
    q->seq = 0;
}
