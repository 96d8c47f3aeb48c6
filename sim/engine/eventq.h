/*
 * eventq — the tiny priority queue of one trial's review verdicts (the
 * events that genuinely interleave; a lane's own events are kept per lane,
 * engine.c).  The engine shares `seq` with its lane events, so that one
 * insertion counter orders every tie.
 *
 * Ordered by time, then by insertion: events at the same instant are
 * handled in the order they were scheduled, which makes every tie-break of
 * the model (sources pull in file order at day 0, a lane freed earlier
 * pulls first) deterministic.  A binary heap of 16-byte events over an
 * array that grows by doubling; evq_clear keeps the memory, so a trial
 * allocates nothing once the queue has reached its working size.  Push and
 * pop are inline: a reviewed pass takes one of each.
 */
#ifndef CAPMIX_EVENTQ_H
#define CAPMIX_EVENTQ_H

#include <stddef.h>
#include <stdint.h>

#define EVQ_ID_BITS 30
#define EVQ_MAX_ID ((1u << EVQ_ID_BITS) - 1)

typedef struct evq_event {
    double t;
    uint32_t seq;   /* insertion order, for ties */
    uint32_t kid;   /* kind << EVQ_ID_BITS | id */
} evq_event;

typedef struct evq {
    evq_event *h;
    size_t n, cap;
    uint32_t seq;
} evq;

static inline unsigned evq_kind(const evq_event *e)
{
    return e->kid >> EVQ_ID_BITS;
}

static inline uint32_t evq_id(const evq_event *e)
{
    return e->kid & EVQ_MAX_ID;
}

/* Empty the queue (keeps its memory). */
static inline void evq_clear(evq *q)
{
    q->n = 0;
    q->seq = 0;
}

/* Make room for one more event.  Returns 0, or -1 when growing failed. */
int evq_reserve_(evq *q);

static inline int evq_before_(const evq_event *a, const evq_event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/* Schedule an event (kind < 4, id <= EVQ_MAX_ID).  Returns 0, or -1 when
 * growing failed. */
static inline int evq_push(evq *q, double t, unsigned kind, uint32_t id)
{
    if (q->n == q->cap && evq_reserve_(q))
        return -1;
    evq_event e = {t, q->seq++, (uint32_t)kind << EVQ_ID_BITS | id};
    size_t i = q->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!evq_before_(&e, &q->h[parent]))
            break;
        q->h[i] = q->h[parent];
        i = parent;
    }
    q->h[i] = e;
    return 0;
}

/* Remove and return the earliest event; the queue must not be empty. */
static inline evq_event evq_pop(evq *q)
{
    evq_event top = q->h[0];
    evq_event last = q->h[--q->n];
    size_t i = 0, n = q->n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && evq_before_(&q->h[c + 1], &q->h[c]))
            c++;
        if (!evq_before_(&q->h[c], &last))
            break;
        q->h[i] = q->h[c];
        i = c;
    }
    if (n)
        q->h[i] = last;
    return top;
}

/* Free the memory; the queue is then empty and reusable. */
void evq_release(evq *q);

#endif
