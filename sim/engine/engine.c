/*
 * engine — one alternative-trial as a discrete-event simulation (model §2);
 * the block/thread loop around it is in blocks.c (model §18.1, §18.26).
 *
 * State of a trial lives in an eng_scratch owned by one thread: sources,
 * lanes, items and the pending verdicts are arrays indexed by small
 * integers, with intrusive FIFO links (rework queues, idle lanes, free item
 * slots), so the hot loop allocates nothing once the scratch has grown to
 * the largest trial seen.
 *
 * The lane engine: a lane has at most one future event at a time (its
 * source's start, or the end of its pass), so each lane keeps that event's
 * time and insertion number in two flat arrays, and a winner tree over them
 * names the lane whose event comes first (an update is log2(lanes) compares
 * along one path, a look is one load); only review verdicts, which
 * genuinely interleave (any number may wait at once), go through a heap
 * (eventq.h).  Lane events and verdicts share one insertion counter and
 * are taken in the order (time, insertion) — the order the single event
 * heap used before, so the lane engine changed no figure
 * (tests/engine/oldnew.sh).
 *
 * Random numbers: the trial-level draws come from the generator the caller
 * gives; each per-pass quantity from its own batched stream in the scratch
 * (eng_scratch_seed, model §18.1), so a hot-loop draw is a buffer read and
 * one quantity's draws never shift another's.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "engine.h"
#include "eventq.h"
#include "passcost.h"
#include "qstreams.h"
#include "rng.h"
#include "rngbatch.h"

enum { EV_VERDICT = 2 };
#define NONE (-1)

/* The handlers of one event are small and called from few places: inlined
 * into the event loop they become one step with the trial's state in
 * registers, instead of a chain of calls that reload it (a quarter of
 * backlog24's instructions a pass, callgrind). */
#if defined(__GNUC__)
#define HOT static inline __attribute__((always_inline))
#else
#define HOT static inline
#endif

/* How a source draws its item sizes, resolved once a trial: Exp(1) by
 * rng_exp1's ziggurat from a xoshiro256** stream of its own, an inverse
 * CDF (dist_batch_ok) transformed over its batched stream's buffer, or
 * one dist_sample at a time from that stream. */
enum { SIZE_EXP1 = 0, SIZE_BATCH, SIZE_DIST };

typedef struct src_state {
    const src_params *p;
    src_draw d;
    int ramping;          /* productivity below 1 at some point */
    int size_kind;        /* SIZE_*: how start_pass draws an item's size */
    double pass_scale;    /* effective days per unit of effort: lanes / λ */
    double c1[2], c2[2];  /* cumulative outcome thresholds (first, later passes) */
    int lane0;
    int rework_head, rework_tail;
    int idle_head, idle_tail;
    double direct, internal, support; /* per-pass and per-outcome costs booked */
    double passes;        /* passes finished: what a re-costing re-adds per-pass charges over */
    gsl_rng *size;        /* its item-size stream (qstreams.h) */
    double defect_e;      /* e^(−defect_rate): the Poisson draw's first term */
    double min_months;    /* what is left of the minimum term (resumed runs count from day 0) */
    int running;          /* resumed after its start (resume_source) */
} src_state;

typedef struct lane {
    int src;
    int item;             /* NONE when free or not started */
    int next_idle;
    double pass_start;
    uint64_t idle_stamp;
} lane;

typedef struct item {
    int src;
    int passes;
    int next;             /* rework queue or free list */
    double effort;
    double first_start;
    double work;          /* calendar time spent in passes */
} item;

struct eng_scratch {
    src_state *src;
    size_t src_cap;
    lane *lanes;
    size_t lane_cap;
    /* each lane's next event (its source's start, or the end of its pass;
     * +inf when none) and that event's insertion number, for ties */
    double *lt;
    uint32_t *ls;
    size_t lt_cap, ls_cap;
    /* winner tree: lanes padded with event-less ones to lane_p, a power of
     * two; win[lane_p + l] = l, win[i] the earlier of win[2i], win[2i + 1],
     * win[1] the lane whose event comes first */
    int *win;
    size_t win_cap;
    int lane_p;
    item *items;
    size_t item_cap, item_used;
    int free_item;
    evq q;
    volatile int *cancel;
    /* the per-pass streams (eng_scratch_seed); a source's size stream
     * holds finished draws of its size distribution */
    eqs qs;
};

eng_scratch *eng_scratch_new(void)
{
    eng_scratch *sc = calloc(1, sizeof(eng_scratch));
    if (sc && eqs_init(&sc->qs)) {
        eng_scratch_free(sc);
        return NULL;
    }
    return sc;
}

void eng_scratch_seed(eng_scratch *sc, uint64_t key)
{
    eqs_seed(&sc->qs, key);
}

void eng_scratch_watch(eng_scratch *sc, volatile int *cancel)
{
    sc->cancel = cancel;
}

/* Events between two looks at the cancel flag: a look is a load, and
 * 65,536 events take a few milliseconds (about 50 ns an event). */
#define CANCEL_EVERY 65536u

void eng_scratch_free(eng_scratch *sc)
{
    if (!sc)
        return;
    free(sc->src);
    free(sc->lanes);
    free(sc->lt);
    free(sc->ls);
    free(sc->win);
    free(sc->items);
    evq_release(&sc->q);
    eqs_release(&sc->qs);
    free(sc);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *np = realloc(*p, c * size);
    if (!np)
        return -1;
    *p = np;
    *cap = c;
    return 0;
}

/* Everything one trial needs, on the stack of eng_trial. */
typedef struct trial {
    const scn_scenario *s;
    const scn_alternative *alt;
    eng_scratch *sc;
    gsl_rng *r;
    gsl_rng *cost, *wait, *rework; /* the per-pass streams */
    rngb *verdict;
    const eng_work_draw *w;
    double horizon;
    double wait_factor;
    int backlog_mode;
    long long backlog_left, required;
    long long accepted, passes, rework_passes, superseded, reworked;
    double sum_cycle, sum_work;
    uint64_t stamp;
    int done;
    double done_at;
    int oom;
    double overhead_monthly;
} trial;

HOT int item_new(trial *T, int src)
{
    eng_scratch *sc = T->sc;
    int id;
    if (sc->free_item != NONE) {
        id = sc->free_item;
        sc->free_item = sc->items[id].next;
    } else {
        if (grow((void **)&sc->items, &sc->item_cap, sc->item_used + 1, sizeof(item))) {
            T->oom = 1;
            return NONE;
        }
        id = (int)sc->item_used++;
    }
    item *it = &sc->items[id];
    it->src = src;
    it->passes = 0;
    it->next = NONE;
    it->effort = 1;
    it->work = 0;
    return id;
}

HOT void item_free(trial *T, int id)
{
    T->sc->items[id].next = T->sc->free_item;
    T->sc->free_item = id;
}

/* Lane a's event comes before lane b's: by time, then insertion; on a full
 * tie (the lanes of one source starting) the lower lane, which is always
 * a, as the heap had them. */
HOT int lane_before(const double *lt, const uint32_t *ls, int a, int b)
{
    return lt[a] < lt[b] || (lt[a] == lt[b] && ls[a] <= ls[b]);
}

/* Lane l's event changed: replay its matches up to the root. */
HOT void lane_update(eng_scratch *sc, int l)
{
    const double *lt = sc->lt;
    const uint32_t *ls = sc->ls;
    int *win = sc->win;
    for (int i = (sc->lane_p + l) >> 1; i >= 1; i >>= 1) {
        int a = win[2 * i], b = win[2 * i + 1];
        win[i] = lane_before(lt, ls, a, b) ? a : b;
    }
}

/* Refill a source's size stream with finished draws: the inverse CDF of
 * its size distribution over the whole batch. */
static void size_refill(src_state *st)
{
    rngb *b = rngb_of(st->size);
    rngb_refill(b);
    dist_inv_batch(&st->p->item_size, b->buf, RNGB_N);
}

HOT void start_pass(trial *T, int l, int id, double t)
{
    eng_scratch *sc = T->sc;
    lane *ln = &sc->lanes[l];
    item *it = &sc->items[id];
    src_state *st = &sc->src[ln->src];
    if (it->passes++ == 0)
        it->first_start = t;
    ln->item = id;
    ln->pass_start = t;
    double S;
    if (st->size_kind == SIZE_EXP1) {
        S = rng_exp1(st->size);
    } else if (st->size_kind == SIZE_BATCH) {
        /* a finished draw: the stream transformed its batch at refill */
        rngb *b = rngb_of(st->size);
        if (b->pos == RNGB_N)
            size_refill(st);
        S = b->buf[b->pos++];
    } else {
        S = dist_sample(&st->p->item_size, st->size);
    }
    double w = it->effort * S * st->pass_scale;
    double t1 = st->ramping ? src_effective_inverse(&st->d, src_effective(&st->d, t) + w) : t + w;
    /* A pass that ends after the horizon is work in flight: never
     * counted, never charged (model §18.8), so it needs no event. */
    if (t1 <= T->horizon) {
        sc->lt[l] = t1;
        sc->ls[l] = sc->q.seq++;
        lane_update(sc, l);
    }
}

HOT void idle_push(trial *T, int l)
{
    eng_scratch *sc = T->sc;
    lane *ln = &sc->lanes[l];
    src_state *st = &sc->src[ln->src];
    ln->item = NONE;
    ln->next_idle = NONE;
    ln->idle_stamp = T->stamp++;
    if (st->idle_tail == NONE)
        st->idle_head = l;
    else
        sc->lanes[st->idle_tail].next_idle = l;
    st->idle_tail = l;
}

HOT int idle_pop(trial *T, int s)
{
    src_state *st = &T->sc->src[s];
    int l = st->idle_head;
    if (l != NONE) {
        st->idle_head = T->sc->lanes[l].next_idle;
        if (st->idle_head == NONE)
            st->idle_tail = NONE;
    }
    return l;
}

/* A free lane takes its source's oldest rework item, else the next
 * backlog item, else idles. */
HOT void lane_pull(trial *T, int l, double t)
{
    eng_scratch *sc = T->sc;
    int s = sc->lanes[l].src;
    src_state *st = &sc->src[s];
    if (st->rework_head != NONE) {
        int id = st->rework_head;
        st->rework_head = sc->items[id].next;
        if (st->rework_head == NONE)
            st->rework_tail = NONE;
        start_pass(T, l, id, t);
    } else if (T->backlog_left > 0) {
        int id = item_new(T, s);
        if (id == NONE)
            return;
        T->backlog_left--;
        start_pass(T, l, id, t);
    } else {
        idle_push(T, l);
    }
}

/* A new backlog item appeared: the lane idle longest, of any source,
 * takes it (idle lanes pull in the order they became idle). */
static void backlog_arrived(trial *T, double t)
{
    int best = NONE;
    uint64_t stamp = UINT64_MAX;
    for (size_t s = 0; s < T->alt->nsources; s++) {
        int l = T->sc->src[s].idle_head;
        if (l != NONE && T->sc->lanes[l].idle_stamp < stamp) {
            stamp = T->sc->lanes[l].idle_stamp;
            best = (int)s;
        }
    }
    if (best != NONE)
        lane_pull(T, idle_pop(T, best), t);
}

static void finish(trial *T, double t)
{
    if (!T->done) {
        T->done = 1;
        T->done_at = t;
    }
}

/* Escaped defects of one accepted outcome: Poisson(mu), mu a trial's
 * defect rate (typically well under 1, drawn for every outcome).  Exact
 * inversion by sequential search from 0 with e^−mu computed once a trial:
 * one uniform and about 1 + mu steps, where gsl_ran_poisson pays an
 * exponential and several generator calls per draw.  Large rates go to
 * GSL (the search would be long and e^−mu would underflow). */
static inline unsigned defects_drawn(gsl_rng *r, double mu, double emu)
{
    if (mu > 30)
        return gsl_ran_poisson(r, mu);
    double u = rng_uniform(r), p = emu, cum = p;
    unsigned k = 0;
    while (u >= cum && k < 1000) {
        k++;
        p *= mu / k;
        cum += p;
    }
    return k;
}

HOT void verdict(trial *T, int id, double t)
{
    eng_scratch *sc = T->sc;
    item *it = &sc->items[id];
    int s = it->src;
    src_state *st = &sc->src[s];
    const double *c = it->passes == 1 ? st->c1 : st->c2;
    /* a certain acceptance needs no draw (all-accepted sources are common
     * in run-rate and benchmark scenarios) */
    int oc = OC_ACCEPTED;
    if (c[0] < 1) {
        double u = rngb_uniform(T->verdict);
        oc = u < c[0] ? OC_ACCEPTED : u < c[1] ? OC_REWORK : OC_SUPERSEDED;
    }
    if (oc == OC_REWORK && it->passes > st->p->max_rework_cycles)
        oc = OC_SUPERSEDED; /* model §2 */

    if (oc == OC_ACCEPTED) {
        T->accepted++;
        T->sum_cycle += t - it->first_start;
        T->sum_work += it->work;
        if (st->d.defect_rate > 0) {
            unsigned k = defects_drawn(T->rework, st->d.defect_rate, st->defect_e);
            for (unsigned j = 0; j < k; j++)
                st->support += dist_sample(&st->p->defect_cost, T->rework);
        }
        item_free(T, id);
        if (T->backlog_mode && T->accepted >= T->required)
            finish(T, t);
    } else if (oc == OC_REWORK) {
        T->reworked++;
        it->effort = dist_sample(&st->p->rework_effort, T->rework);
        int l = idle_pop(T, s);
        if (l != NONE) {
            start_pass(T, l, id, t);
        } else {
            it->next = NONE;
            if (st->rework_tail == NONE)
                st->rework_head = id;
            else
                sc->items[st->rework_tail].next = id;
            st->rework_tail = id;
        }
    } else {
        T->superseded++;
        item_free(T, id);
        if (!T->backlog_mode)
            return;
        if (T->s->work.replace_superseded) {
            T->backlog_left++;
            backlog_arrived(T, t);
        } else {
            T->required--; /* model §2 */
            if (T->accepted >= T->required)
                finish(T, t);
        }
    }
}

HOT void pass_done(trial *T, int l, double t)
{
    eng_scratch *sc = T->sc;
    lane *ln = &sc->lanes[l];
    int id = ln->item;
    item *it = &sc->items[id];
    src_state *st = &sc->src[ln->src];
    const src_params *p = st->p;
    T->passes++;
    st->passes++;
    if (it->passes > 1)
        T->rework_passes++;
    it->work += t - ln->pass_start;
    /* per-pass costs, booked at completion (model §18.8) */
    src_pass_costs(p, SRC_PASS_DRAW, T->cost, 1, &T->w->senior_rate, &st->direct, &st->internal);
    double wait = 0;
    if (p->has & SRC_HAS_REVIEW_WAIT)
        wait = dist_sample(&p->review_wait_days, T->wait) * T->wait_factor;
    ln->item = NONE;
    /* The lane is free now, but a zero-wait verdict is decided before it
     * pulls (model §2), so its own rework can come straight back. */
    if (wait > 0) {
        if (t + wait <= T->horizon && evq_push(&sc->q, t + wait, EV_VERDICT, (uint32_t)id))
            T->oom = 1;
    } else {
        verdict(T, id, t);
    }
    if (!T->done)
        lane_pull(T, l, t);
}

/* A month-end snapshot at day t of an alternative still running: the
 * cost accrued so far (what a review sees; end-of-contract terms are not
 * due yet) and what stopping there would cost (the same plus each
 * started source's min_months top-up and exit_cost), in one pass. */
static void snap_record(const trial *T, const eng_snaps *snap, int m, double t)
{
    double c = T->overhead_monthly * t / T->s->cal.days_per_month, stop = 0;
    for (size_t i = 0; i < T->alt->nsources; i++) {
        const src_state *st = &T->sc->src[i];
        src_costs a = src_accrued_costs(&st->d, &T->s->cal, T->w->senior_rate, T->w->pm_rate, t);
        c += a.direct + a.internal + st->direct + st->internal + st->support;
        stop += src_end_terms(&st->d, st->min_months, &T->s->cal, t);
    }
    snap->cost[m] = c;
    snap->accepted[m] = (double)T->accepted;
    if (snap->rework) {
        snap->rework[m] = (double)T->reworked;
        snap->superseded[m] = (double)T->superseded;
    }
    snap->stop_cost[m] = c + stop;
}

static void set_thresholds(double c[2], const double p[OC_COUNT])
{
    c[0] = p[OC_ACCEPTED];
    c[1] = p[OC_ACCEPTED] + p[OC_REWORK];
}

int eng_months(const scn_scenario *s)
{
    double m = ceil(s->work.horizon_days / s->cal.days_per_month - 1e-9);
    return m < 1 ? 1 : (int)m;
}

/* A fixed bid: never cut at the horizon, always delivers the scope
 * (model §4); no passes, so the flow metrics are null. */
static void bid_alt_trial(const scn_scenario *s, const scn_alternative *alt,
                          const eng_work_draw *w, gsl_rng *rng, double out[M_COUNT],
                          const eng_snaps *snap)
{
    bid_outcome o;
    bid_trial(&alt->bid, s->work.outcomes, &s->cal, w->senior_rate, w->pm_rate, rng, w->u, &o);
    double total = met_total(o.direct, o.internal, o.support);
    for (int m = 0; snap && m < snap->n; m++) {
        double tm = (m + 1) * s->cal.days_per_month;
        snap->cost[m] = snap->stop_cost[m] = bid_cost_by(&o, tm);
        snap->accepted[m] = tm >= o.delivery_day ? (double)s->work.outcomes : 0;
    }
    out[M_COST_DIRECT] = o.direct;
    out[M_COST_INTERNAL] = o.internal;
    out[M_COST_SUPPORT] = o.support;
    out[M_COST_TOTAL] = total;
    out[M_ACCEPTED] = (double)s->work.outcomes;
    out[M_PASSES] = out[M_REWORK_PASSES] = out[M_SUPERSEDED] = NAN;
    out[M_DELIVERY_DAY] = o.delivery_day;
    out[M_DELIVERED] = 1;
    met_derive(out, met_delay(o.delivery_day, w->target_day, w->cod_per_day));
    out[M_CYCLE_DAYS] = out[M_FLOW_EFFICIENCY] = NAN;
}

/* A source that has been running since the scenario began, resumed t0
 * days in (eng_resume): what its contract already consumed is gone — the
 * start delay, the onboarding one-off, the part of the ramp and of the
 * minimum term behind it — and its token bill has grown for the months it
 * ran.  A source whose start is still ahead keeps the rest of its delay. */
static int resume_source(src_state *st, double t0, double dpm)
{
    src_draw *d = &st->d;
    double tau = t0 - d->start;
    if (tau <= 0) {
        d->start = -tau;
        return 0;
    }
    d->start = 0;
    d->onboarding_cost = 0;
    if (d->ramp_days > tau && d->ramp_from < 1) {
        d->ramp_from += (1 - d->ramp_from) * tau / d->ramp_days;
        d->ramp_days -= tau;
    } else {
        d->ramp_days = 0;
    }
    if (d->tok_monthly != 0)
        d->tok_monthly *= pow(1 + d->tok_growth, tau / dpm);
    st->min_months = st->min_months > tau / dpm ? st->min_months - tau / dpm : 0;
    return 1;
}

/* The passes of a resumed source that were done but still waited for a
 * verdict at t0: as many as its lanes finish in a mean review wait
 * (Poisson, λ·E[wait]), each judged after a residual wait U·W.  Without
 * them a resumed run would redo work the ledger has not seen judged yet
 * (the ledger counts verdicts). */
static int resume_pending(trial *T, int s)
{
    src_state *st = &T->sc->src[s];
    const src_params *p = st->p;
    if (!(p->has & SRC_HAS_REVIEW_WAIT) || !(st->d.lambda > 0))
        return 0;
    double mu = st->d.lambda * dist_mean(&p->review_wait_days) * T->wait_factor;
    long long k = (long long)gsl_ran_poisson(T->r, mu);
    if (T->backlog_mode && k > T->backlog_left)
        k = T->backlog_left;
    for (long long j = 0; j < k; j++) {
        int id = item_new(T, s);
        if (id == NONE)
            return -1;
        T->backlog_left--;
        T->sc->items[id].passes = 1;
        T->sc->items[id].first_start = 0;
        double at = rng_uniform(T->r) * dist_sample(&p->review_wait_days, T->r) * T->wait_factor;
        if (at <= T->horizon && evq_push(&T->sc->q, at, EV_VERDICT, (uint32_t)id))
            return -1;
    }
    return 0;
}

/* Lay out the lanes of a trial (nlanes of them, sources' lane0 set), no
 * item, no verdict pending, each lane's first event its source's start,
 * and build the winner tree.  Returns 0, or -1 when scratch could not
 * grow. */
static int lanes_arm(eng_scratch *sc, const scn_alternative *alt, int nlanes, double horizon)
{
    int P = 1;
    while (P < nlanes)
        P *= 2;
    if (grow((void **)&sc->lanes, &sc->lane_cap, (size_t)nlanes, sizeof(lane)) ||
        grow((void **)&sc->lt, &sc->lt_cap, (size_t)P, sizeof(double)) ||
        grow((void **)&sc->ls, &sc->ls_cap, (size_t)P, sizeof(uint32_t)) ||
        grow((void **)&sc->win, &sc->win_cap, 2 * (size_t)P, sizeof(int)))
        return -1;
    sc->lane_p = P;
    for (size_t i = 0; i < alt->nsources; i++)
        for (int j = 0; j < sc->src[i].d.lanes; j++) {
            lane *ln = &sc->lanes[sc->src[i].lane0 + j];
            ln->src = (int)i;
            ln->item = NONE;
            ln->next_idle = NONE;
        }
    sc->item_used = 0;
    sc->free_item = NONE;
    evq_clear(&sc->q);
    /* A source's start is one event that sets its lanes pulling in lane
     * order: each lane gets the start as its first event, all under the
     * source's one insertion number, so ties between them go by lane
     * index and nothing else can come between them. */
    for (size_t i = 0; i < alt->nsources; i++) {
        const src_state *st = &sc->src[i];
        int go = st->d.start < horizon && st->d.lambda > 0;
        uint32_t seq = go ? sc->q.seq++ : 0;
        for (int j = 0; j < st->d.lanes; j++) {
            sc->lt[st->lane0 + j] = go ? st->d.start : INFINITY;
            sc->ls[st->lane0 + j] = seq;
        }
    }
    for (int l = nlanes; l < P; l++) {
        sc->lt[l] = INFINITY;
        sc->ls[l] = UINT32_MAX;
    }
    int *win = sc->win;
    for (int l = 0; l < P; l++)
        win[P + l] = l;
    for (int i = P - 1; i >= 1; i--)
        win[i] = lane_before(sc->lt, sc->ls, win[2 * i], win[2 * i + 1]) ? win[2 * i] : win[2 * i + 1];
    return 0;
}

/* One trial of a capacity mix that needs `required` outcomes (the
 * scenario's, or what a stop-loss fallback takes over) and starts t0 days
 * into the scenario: its own clock runs from 0 to horizon − t0, and only
 * the delivery day and delay cost are put back on the scenario's clock.
 * With `resumed`, the alternative has run since day 0 (resume_source). */
static int mix_trial(const scn_scenario *s, size_t a, const eng_work_draw *w, gsl_rng *rng,
                     eng_scratch *sc, double out[M_COUNT], const eng_snaps *snap,
                     long long required, double t0, int resumed)
{
    const scn_alternative *alt = &s->alts[a];
    trial T = {.s = s, .alt = alt, .sc = sc, .r = rng, .w = w};
    T.cost = sc->qs.q[EQS_COST];
    T.wait = sc->qs.q[EQS_WAIT];
    T.rework = sc->qs.q[EQS_REWORK];
    T.verdict = rngb_of(sc->qs.q[EQS_VERDICT]);
    T.horizon = s->work.horizon_days - t0;
    T.backlog_mode = s->work.outcomes > 0;
    T.backlog_left = T.backlog_mode ? required : LLONG_MAX;
    T.required = required;
    T.wait_factor = 1;

    if (grow((void **)&sc->src, &sc->src_cap, alt->nsources, sizeof(src_state)) ||
        eqs_size_room(&sc->qs, alt->nsources))
        return -1;
    /* trial-level draws: sources in file order, then overheads */
    int nlanes = 0;
    for (size_t i = 0; i < alt->nsources; i++) {
        src_state *st = &sc->src[i];
        memset(st, 0, sizeof *st);
        st->p = &alt->sources[i];
        src_draw_trial(st->p, &s->cal, rng, w->u, &st->d);
        st->min_months = st->p->min_months;
        st->running = resumed && resume_source(st, t0, s->cal.days_per_month);
        st->ramping = st->d.ramp_days > 0 && st->d.ramp_from < 1;
        const dist *size = &st->p->item_size;
        st->size_kind = !st->p->has_item_size            ? SIZE_EXP1
                        : dist_batch_ok(size)            ? SIZE_BATCH
                                                        : SIZE_DIST;
        st->defect_e = exp(-st->d.defect_rate);
        st->pass_scale = st->d.lambda > 0 ? st->d.lanes / st->d.lambda : INFINITY;
        set_thresholds(st->c1, st->d.p1);
        set_thresholds(st->c2, st->d.p2);
        st->size = eqs_size_for(&sc->qs, i, st->p, st->size_kind == SIZE_EXP1);
        st->lane0 = nlanes;
        st->rework_head = st->rework_tail = st->idle_head = st->idle_tail = NONE;
        nlanes += st->d.lanes;
    }
    double overhead_monthly = 0;
    for (size_t i = 0; i < alt->noverheads; i++) {
        overhead_monthly += dist_sample(&alt->overheads[i].monthly_cost, rng);
        T.overhead_monthly = overhead_monthly;
        T.wait_factor *= dist_sample(&alt->overheads[i].wait_factor, rng);
    }
    if (lanes_arm(sc, alt, nlanes, T.horizon))
        return -1;
    for (size_t i = 0; i < alt->nsources && resumed; i++)
        if (sc->src[i].running && resume_pending(&T, (int)i))
            return -1;

    /* month-end snapshots: month m ends on day (m+1)·days_per_month and
     * sees every event at or before that instant */
    const double dpm = s->cal.days_per_month;
    int m = 0;
    double next_snap = snap && snap->n ? dpm : INFINITY; /* one compare per event */
    unsigned events = 0;
    double *lt = sc->lt;
    const uint32_t *ls = sc->ls;
    while (!T.done && !T.oom) {
        if (++events % CANCEL_EVERY == 0 && sc->cancel && *sc->cancel)
            return 1;
        int l = sc->win[1];
        double t = lt[l];
        int is_verdict = sc->q.n && (sc->q.h[0].t < t || (sc->q.h[0].t == t && sc->q.h[0].seq < ls[l]));
        if (is_verdict)
            t = sc->q.h[0].t;
        if (t > T.horizon)
            break; /* nothing left before the horizon (+inf: nothing left) */
        if (t > next_snap) {
            for (; m < snap->n && t > (m + 1) * dpm; m++)
                snap_record(&T, snap, m, (m + 1) * dpm);
            next_snap = m < snap->n ? (m + 1) * dpm : INFINITY;
        }
        if (is_verdict) {
            evq_event e = evq_pop(&sc->q);
            verdict(&T, (int)evq_id(&e), t);
        } else {
            /* the handler re-arms the lane (and replays it) or leaves it
             * event-less, replayed here */
            lt[l] = INFINITY;
            if (sc->lanes[l].item == NONE)
                lane_pull(&T, l, t); /* its source starts */
            else
                pass_done(&T, l, t);
            if (lt[l] == INFINITY)
                lane_update(sc, l);
        }
    }
    if (T.oom)
        return -1;

    double t_end = T.done ? T.done_at : T.horizon;
    double direct = overhead_monthly * t_end / s->cal.days_per_month, internal = 0, support = 0;
    for (size_t i = 0; i < alt->nsources; i++) {
        const src_state *st = &sc->src[i];
        src_costs c = src_time_costs(&st->d, st->min_months, &s->cal, w->senior_rate,
                                     w->pm_rate, t_end);
        direct += c.direct + st->direct;
        internal += c.internal + st->internal;
        support += st->support;
    }
    double total = met_total(direct, internal, support);
    for (; snap && m < snap->n; m++) {
        double tm = (m + 1) * dpm;
        if (tm < t_end) {
            snap_record(&T, snap, m, tm);
        } else {
            snap->cost[m] = snap->stop_cost[m] = total;
            snap->accepted[m] = (double)T.accepted;
            if (snap->rework) {
                snap->rework[m] = (double)T.reworked;
                snap->superseded[m] = (double)T.superseded;
            }
        }
    }
    t_end += t0;
    out[M_COST_DIRECT] = direct;
    out[M_COST_INTERNAL] = internal;
    out[M_COST_SUPPORT] = support;
    out[M_COST_TOTAL] = total;
    out[M_ACCEPTED] = (double)T.accepted;
    out[M_PASSES] = (double)T.passes;
    out[M_REWORK_PASSES] = (double)T.rework_passes;
    out[M_SUPERSEDED] = (double)T.superseded;
    out[M_DELIVERY_DAY] = t_end;
    out[M_DELIVERED] = T.backlog_mode ? (T.done ? 1 : 0) : 1;
    /* run-rate mode has no delivery to be late for */
    met_derive(out, T.backlog_mode ? met_delay(t_end, w->target_day, w->cod_per_day) : 0);
    out[M_CYCLE_DAYS] = T.accepted ? T.sum_cycle / (double)T.accepted : NAN;
    out[M_FLOW_EFFICIENCY] = T.accepted && T.sum_cycle > 0 ? T.sum_work / T.sum_cycle : NAN;
    return 0;
}

int eng_trial(const scn_scenario *s, size_t a, const eng_work_draw *w, gsl_rng *rng,
              eng_scratch *sc, double out[M_COUNT], const eng_snaps *snap)
{
    const scn_alternative *alt = &s->alts[a];
    if (alt->kind == ALT_BID) {
        bid_alt_trial(s, alt, w, rng, out, snap);
        return 0;
    }
    return mix_trial(s, a, w, rng, sc, out, snap, s->work.outcomes, 0, 0);
}

int eng_takeover(const scn_scenario *s, size_t a, const eng_work_draw *w, gsl_rng *rng,
                 eng_scratch *sc, long long required, double t0, double out[M_COUNT])
{
    const scn_alternative *alt = &s->alts[a];
    if (alt->kind == ALT_MIX)
        return mix_trial(s, a, w, rng, sc, out, NULL, required, t0, 0);
    /* A bid for the rest of the scope: every term scaled by the share of
     * the scope still required (the partner's rate for the whole, applied
     * to the part), counted from the stop day. */
    double f = (double)required / (double)s->work.outcomes;
    bid_outcome o;
    bid_trial(&alt->bid, required, &s->cal, w->senior_rate, w->pm_rate, rng, w->u, &o);
    double day = t0 + f * o.delivery_day, total = f * (o.direct + o.internal) + o.support;
    out[M_COST_DIRECT] = f * o.direct;
    out[M_COST_INTERNAL] = f * o.internal;
    out[M_COST_SUPPORT] = o.support;
    out[M_COST_TOTAL] = total;
    out[M_ACCEPTED] = (double)required;
    out[M_PASSES] = out[M_REWORK_PASSES] = out[M_SUPERSEDED] = NAN;
    out[M_DELIVERY_DAY] = day;
    out[M_DELIVERED] = 1;
    met_derive(out, met_delay(day, w->target_day, w->cod_per_day));
    out[M_CYCLE_DAYS] = out[M_FLOW_EFFICIENCY] = NAN;
    return 0;
}

int eng_resume(const scn_scenario *s, size_t a, const eng_work_draw *w, gsl_rng *rng,
               eng_scratch *sc, long long required, double t0, double out[M_COUNT])
{
    return mix_trial(s, a, w, rng, sc, out, NULL, required, t0, 1);
}

static double person_rate(const scn_person *p, const src_calendar *cal, gsl_rng *r)
{
    if (!p->present)
        return 0;
    double v = dist_sample(&p->rate, r);
    return p->hourly ? v : v / cal->hours_per_year;
}

void eng_draw_work(const scn_scenario *s, gsl_rng *rng, eng_work_draw *w)
{
    w->senior_rate = person_rate(&s->senior, &s->cal, rng);
    w->pm_rate = person_rate(&s->pm, &s->cal, rng);
    const scn_work *wk = &s->work;
    const double *u = w->u;
    double cod = u && wk->cslot[WQ_COST_OF_DELAY] ? dist_inv(&wk->cod, u[wk->cslot[WQ_COST_OF_DELAY] - 1])
                                                 : dist_sample(&wk->cod, rng);
    w->cod_per_day = scn_cod_per_day(wk, cod);
    w->target_day = u && wk->cslot[WQ_TARGET_DAY]
                        ? dist_inv(&wk->target_day, u[wk->cslot[WQ_TARGET_DAY] - 1])
                        : dist_sample(&wk->target_day, rng);
}

const src_draw *eng_scratch_draw(const eng_scratch *sc, size_t i)
{
    return &sc->src[i].d;
}

void eng_scratch_booked(const eng_scratch *sc, size_t i, double out[ENG_BOOKED])
{
    const src_state *st = &sc->src[i];
    out[0] = st->direct;
    out[1] = st->internal;
    out[2] = st->support;
    out[3] = st->passes;
}
