/*
 * eventq — the tiny priority queue of one trial's future events (pass
 * completions, review verdicts, source starts).
 *
 * Ordered by time, then by insertion: events at the same instant are
 * handled in the order they were scheduled, which makes every tie-break of
 * the model (sources pull in file order at day 0, a lane freed earlier
 * pulls first) deterministic.  A binary heap over a caller-owned array that
 * grows by doubling; evq_clear keeps the memory, so a trial allocates
 * nothing once the queue has reached its working size.
 */
#ifndef CAPMIX_EVENTQ_H
#define CAPMIX_EVENTQ_H

#include <stddef.h>
#include <stdint.h>

typedef struct evq_event {
    double t;
    uint32_t seq;   /* insertion order, for ties */
    uint16_t kind;
    uint16_t pad_;
    uint32_t id;
    uint32_t pad2_;
} evq_event;

typedef struct evq {
    evq_event *h;
    size_t n, cap;
    uint32_t seq;
} evq;

/* Empty the queue (keeps its memory). */
static inline void evq_clear(evq *q)
{
    q->n = 0;
    q->seq = 0;
}

/* Schedule an event.  Returns 0, or -1 when growing failed. */
int evq_push(evq *q, double t, unsigned kind, uint32_t id);

/* Remove and return the earliest event; the queue must not be empty. */
evq_event evq_pop(evq *q);

/* Free the memory; the queue is then empty and reusable. */
void evq_release(evq *q);

#endif
