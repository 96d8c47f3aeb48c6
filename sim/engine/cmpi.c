/*
 * cmpi — the MPI calls of capmix, or stubs in a build without MPI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmpi.h"
#include "engine.h"

static double comm_s;

double cmpi_comm_seconds(void)
{
    return comm_s;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* This rank's own part of a set into the whole arrays, where the others'
 * parts will land around it. */
static void place_own(const cmpi_rows *set, const unsigned long long *first, int me)
{
    size_t n = (size_t)(first[me + 1] - first[me]);
    for (size_t k = 0; n && k < set->rows; k++)
        memcpy((char *)set->base + k * set->stride + (size_t)first[me] * set->elem,
               (const char *)set->mine + k * set->mine_stride, n * set->elem);
}

/* ---- jobs dealt to ranks (cmpi_deal) ---- */

/* What a rank sends: the index of its failing job (n: none) and that
 * job's diag, then the records of its jobs below that index, in order. */
typedef struct deal_head {
    unsigned long long fail_at;
    diag d;
} deal_head;

typedef struct deal_ctx {
    size_t n, rec_size, ranks;
    char *recs;
    unsigned long long fail_at;
    diag fd;
} deal_ctx;

static size_t jobs_below(size_t n, size_t ranks, int r, unsigned long long below)
{
    size_t end = below < n ? (size_t)below : n;
    return end > (size_t)r ? (end - (size_t)r + ranks - 1) / ranks : 0;
}

static int deal_sink(void *ctx, int r, const void *buf, size_t len, diag *d)
{
    deal_ctx *G = ctx;
    deal_head h;
    if (len < sizeof h)
        return diag_runtime(d, "rank %d's results do not add up (a capmix of another version?)", r);
    memcpy(&h, buf, sizeof h);
    size_t k = jobs_below(G->n, G->ranks, r, h.fail_at);
    if (len != sizeof h + k * G->rec_size)
        return diag_runtime(d, "rank %d's results do not add up (a capmix of another version?)", r);
    for (size_t j = 0; j < k; j++)
        memcpy(G->recs + ((size_t)r + j * G->ranks) * G->rec_size,
               (const char *)buf + sizeof h + j * G->rec_size, G->rec_size);
    if (h.fail_at < G->fail_at) {
        G->fail_at = h.fail_at;
        G->fd = h.d;
    }
    return 0;
}

int cmpi_deal(size_t n, size_t rec_size, void *recs, cmpi_job job, void *ctx, diag *d)
{
    char *R = recs;
    if (!cmpi_sharing()) {
        for (size_t i = 0; i < n; i++)
            if (job(ctx, i, R + i * rec_size, d))
                return -1;
        return 0;
    }
    const size_t P = (size_t)cmpi_size();
    const int me = cmpi_rank();
    deal_head h = {n, {0}};
    int (*shared)(const scn_scenario *, const eng_opts *, eng_results **, diag *) = eng_distribute;
    eng_distribute = NULL; /* each job's runs whole on this rank */
    for (size_t i = (size_t)me; i < n; i += P)
        if (job(ctx, i, R + i * rec_size, &h.d)) {
            h.fail_at = i;
            break;
        }
    eng_distribute = shared;
    size_t k = jobs_below(n, P, me, h.fail_at), len = sizeof h + k * rec_size;
    char *buf = malloc(len);
    int failed = 0;
    if (!buf)
        failed = diag_runtime(d, "out of memory for the results to send");
    else {
        memcpy(buf, &h, sizeof h);
        for (size_t j = 0; j < k; j++)
            memcpy(buf + sizeof h + j * rec_size, R + ((size_t)me + j * P) * rec_size, rec_size);
    }
    deal_ctx G = {n, rec_size, P, R, n, {0}};
    int rc = cmpi_gather(failed, buf, len, 1, deal_sink, &G, d);
    free(buf);
    if (rc)
        return -1;
    if (G.fail_at < n) {
        *d = G.fd;
        return -1;
    }
    return 0;
}

#ifndef CAPMIX_MPI

int cmpi_start(int *argc, char ***argv, diag *d)
{
    if (*argc > 1 && !strcmp((*argv)[1], "--mpi"))
        return diag_input(d, NULL, 0, 0, "--mpi: this capmix was built without MPI (build it with 'make MPI=1')");
    return 0;
}

int cmpi_rank(void)
{
    return 0;
}

int cmpi_size(void)
{
    return 1;
}

int cmpi_sharing(void)
{
    return 0;
}

int cmpi_settle(int failed, diag *d)
{
    (void)d;
    return failed ? -1 : 0;
}

int cmpi_end(int rc)
{
    return rc;
}

int cmpi_gather(int failed, const void *buf, size_t len, int all, cmpi_sink sink, void *ctx,
                diag *d)
{
    (void)all;
    if (failed)
        return -1;
    double t0 = now();
    int rc = sink(ctx, 0, buf, len, d);
    comm_s += now() - t0;
    return rc;
}

int cmpi_gather_rows(int failed, const cmpi_rows *sets, int nsets, const unsigned long long *first,
                     double passes, double *each, int all, diag *d)
{
    (void)all;
    (void)d;
    if (failed)
        return -1;
    double t0 = now();
    for (int i = 0; i < nsets; i++)
        place_own(&sets[i], first, 0);
    each[0] = passes;
    comm_s += now() - t0;
    return 0;
}

#else /* CAPMIX_MPI */

#include <limits.h>
#include <math.h>
#include <mpi.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

/* settled: a handshake (agree) has told every rank of a failure, so the
 * job's outcome is decided and cmpi_settle has nothing more to say. */
static int started, rank, size = 1, sharing, settled;
static double wait_s, start_s;

int cmpi_rank(void)
{
    return rank;
}

int cmpi_size(void)
{
    return size;
}

int cmpi_sharing(void)
{
    return sharing;
}

/* The commands whose runs are dealt across ranks; any other (and a
 * replay, which compares files only rank 0 writes) runs on rank 0 alone. */
static int simulates(int argc, char **argv)
{
    static const char *const sim[] = {"run",     "bid",      "envelope",  "sweep",
                                      "breakeven", "tornado", "portfolio", NULL};
    int found = 0;
    for (int i = 0; argc > 1 && sim[i]; i++)
        found |= !strcmp(argv[1], sim[i]);
    for (int i = 2; found && i < argc; i++)
        if (!strcmp(argv[i], "--replay") || !strncmp(argv[i], "--replay=", 9))
            return 0;
    return found;
}

/* CAPMIX_MPI_FAULT=R:WHAT makes rank R fail on purpose at a known point,
 * so that tests/cli/mpi.sh can test failures without racing a run: WHAT
 * is "start" (a diag before the command, outside any gather), "gather"
 * (a diag at its first gather), "exit" (exit status 1 at its first gather,
 * without MPI_Finalize) or "kill" (SIGKILL at its first gather). */
static int injected(const char *what)
{
    const char *f = getenv("CAPMIX_MPI_FAULT");
    char *end;
    if (!f || !*f)
        return 0;
    long r = strtol(f, &end, 10);
    return end != f && *end == ':' && r == rank && !strcmp(end + 1, what);
}

/*
 * The handshake that ends every gather and every command: each rank says
 * whether it failed and, if any did, all receive the diag of the lowest
 * failed rank.  A rank that fails outside a gather meets the others in
 * this same sequence of calls (in cmpi_settle, while they are in a
 * gather's), so a failure anywhere reaches every rank and none waits
 * forever.  The wait polls with sleeps: a rank done early would otherwise
 * spin at full speed, taking a core from those still simulating when
 * ranks outnumber cores.
 */
static int agree(int failed, diag *d)
{
    double t0 = now();
    MPI_Request req;
    int arrived = 0;
    MPI_Ibarrier(MPI_COMM_WORLD, &req);
    for (;;) {
        MPI_Test(&req, &arrived, MPI_STATUS_IGNORE);
        if (arrived)
            break;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    wait_s += now() - t0;
    int mine = failed ? rank : size, first;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (first == size)
        return 0;
    if (first == rank && !d->msg[0])
        diag_runtime(d, "failed");
    MPI_Bcast(d, (int)sizeof *d, MPI_BYTE, first, MPI_COMM_WORLD);
    if (first != rank) {
        char msg[sizeof d->msg];
        snprintf(msg, sizeof msg, "%s", d->msg);
        snprintf(d->msg, sizeof d->msg, "rank %d of %d: %.700s", first, size, msg);
    }
    settled = 1;
    return -1;
}

/* The argument list the other ranks run with (cmpi_start), freed by
 * cmpi_end: LeakSanitizer reported it on every rank but 0. */
static char **kept_argv;

int cmpi_start(int *argc, char ***argv, diag *d)
{
    int asked = *argc > 1 && !strcmp((*argv)[1], "--mpi");
    if (asked) {
        (*argv)[1] = (*argv)[0];
        (*argv)++;
        (*argc)--;
    }
    if (!asked && !getenv("PMI_RANK") && !getenv("PMI_SIZE") && !getenv("OMPI_COMM_WORLD_SIZE"))
        return 0;
    int provided;
    /* only the main thread calls MPI; the engine's workers never do */
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return diag_input(d, NULL, 0, 0, "MPI would not start");
    started = 1;
    start_s = now();
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    sharing = size > 1 && simulates(*argc, *argv);
    if (rank == 0)
        return injected("start") ? diag_runtime(d, "injected failure (CAPMIX_MPI_FAULT)") : 0;
    /* rank 0 alone prints and writes */
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
        return 1;
    if (injected("start"))
        return diag_runtime(d, "injected failure (CAPMIX_MPI_FAULT)");
    if (!sharing)
        return 1;
    char **nv = calloc((size_t)*argc + 1, sizeof *nv);
    if (!nv)
        return 1;
    int n = 0;
    for (int i = 0; i < *argc; i++) {
        const char *a = (*argv)[i];
        if (i > 1 && (!strcmp(a, "-o") || !strcmp(a, "--out"))) {
            i++;
            continue;
        }
        if (i > 1 && (!strncmp(a, "--out=", 6) || (a[0] == '-' && a[1] == 'o' && a[2]) ||
                      !strcmp(a, "--export-trials")))
            continue;
        nv[n++] = (*argv)[i];
    }
    kept_argv = nv; /* main's argument list until cmpi_end frees it */
    *argv = nv;
    *argc = n;
    return 0;
}

int cmpi_settle(int failed, diag *d)
{
    if (settled)
        return -1;
    if (!started || size == 1)
        return failed ? -1 : 0;
    double w = wait_s; /* CAPMIX_MPI_STATS counts the gathers' waits only */
    int rc = agree(failed, d);
    wait_s = w;
    return rc;
}

/* Rank 0's processor time (all its threads): below its wall time when
 * the machine had no core free for it, what a loaded machine shows. */
static double cpu_seconds(void)
{
    struct rusage u;
    if (getrusage(RUSAGE_SELF, &u))
        return NAN;
    return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           1e-6 * (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

int cmpi_end(int rc)
{
    if (started) {
        /* CAPMIX_MPI_STATS=1: rank 0's time in gathers, for `make bench` */
        if (rank == 0 && getenv("CAPMIX_MPI_STATS"))
            fprintf(stderr, "capmix-mpi: ranks %d wall %.3f s cpu %.3f s gather %.3f s (waiting for ranks %.3f s, "
                            "transfer and merge %.3f s)\n",
                    size, now() - start_s, cpu_seconds(), comm_s, wait_s, comm_s - wait_s);
        MPI_Finalize();
        /* Hydra's status is every rank's combined; rank 0's alone is the
         * job's, any other rank's failure having reached it (cmpi_settle) */
        if (rank != 0)
            rc = 0;
    }
    free(kept_argv); /* main reads its argv no more */
    kept_argv = NULL;
    return rc;
}

#define PIECE ((size_t)1 << 30)

static void send_all(const void *buf, size_t len, int to)
{
    unsigned long long n = len;
    MPI_Send(&n, 1, MPI_UNSIGNED_LONG_LONG, to, 0, MPI_COMM_WORLD);
    for (size_t off = 0; off < len; off += PIECE)
        MPI_Send((const char *)buf + off, (int)(len - off < PIECE ? len - off : PIECE), MPI_BYTE, to,
                 1, MPI_COMM_WORLD);
}

static char *recv_all(int from, size_t *len)
{
    unsigned long long n;
    MPI_Recv(&n, 1, MPI_UNSIGNED_LONG_LONG, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    char *buf = malloc(n ? (size_t)n : 1);
    for (size_t off = 0; off < n; off += PIECE) {
        int k = (int)(n - off < PIECE ? n - off : PIECE);
        /* out of memory: still drain the message, then fail */
        static char sink[1 << 16];
        if (buf)
            MPI_Recv(buf + off, k, MPI_BYTE, from, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        else
            for (int got = 0; got < k; got += (int)sizeof sink)
                MPI_Recv(sink, k - got < (int)sizeof sink ? k - got : (int)sizeof sink, MPI_BYTE, from,
                         1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    *len = (size_t)n;
    return buf;
}

/* Broadcast rank r's buffer (own on r, a fresh allocation elsewhere). */
static char *bcast_all(const void *own, size_t own_len, int r, size_t *len)
{
    unsigned long long n = own_len;
    MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, r, MPI_COMM_WORLD);
    char *buf = rank == r ? (char *)own : malloc(n ? (size_t)n : 1);
    int ok = buf != NULL, all_ok;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        if (rank != r)
            free(buf);
        *len = 0;
        return NULL;
    }
    for (size_t off = 0; off < n; off += PIECE)
        MPI_Bcast(buf + off, (int)(n - off < PIECE ? n - off : PIECE), MPI_BYTE, r, MPI_COMM_WORLD);
    *len = (size_t)n;
    return buf;
}

/* CAPMIX_MPI_FAULT's failures at a rank's first gather (either kind). */
static int injected_at_gather(int failed, diag *d)
{
    if (injected("kill"))
        raise(SIGKILL);
    if (injected("exit"))
        _exit(1);
    if (injected("gather") && !failed)
        failed = diag_runtime(d, "injected failure (CAPMIX_MPI_FAULT)");
    return failed;
}

int cmpi_gather(int failed, const void *buf, size_t len, int all, cmpi_sink sink, void *ctx,
                diag *d)
{
    double t0 = now();
    int rc = 0;
    if (!started) {
        rc = failed ? -1 : sink(ctx, 0, buf, len, d);
        goto out;
    }
    failed = injected_at_gather(failed, d);
    if (agree(failed, d)) {
        rc = -1;
        goto out;
    }
    for (int r = 0; r < size; r++) {
        size_t n = 0;
        const char *b = NULL;
        char *got = NULL;
        if (all) {
            got = bcast_all(buf, len, r, &n);
            if (!got) {
                rc = diag_runtime(d, "out of memory for rank %d's results", r);
                goto out;
            }
            b = got;
        } else if (rank == 0) {
            if (r == 0) {
                b = buf;
                n = len;
            } else {
                b = got = recv_all(r, &n);
                if (!got) { /* keep receiving: the other ranks are sending */
                    if (!rc)
                        rc = diag_runtime(d, "out of memory for rank %d's results", r);
                    continue;
                }
            }
        } else {
            if (r == rank)
                send_all(buf, len, 0);
            continue;
        }
        if (!rc && sink(ctx, r, b, n, d))
            rc = -1;
        if (got != buf)
            free(got);
    }
    if (all) { /* every rank goes on only if every rank can */
        int bad = rc != 0, any;
        MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        if (any && !rc)
            rc = diag_runtime(d, "another rank could not take the results");
        settled |= any;
    }
out:
    comm_s += now() - t0;
    return rc;
}

/*
 * One nonblocking collective per row, all started at once: each row's
 * elements are contiguous on every rank, what MPI moves fastest
 * (measured: one collective per set, with a datatype striding across the
 * rows, moved the same bytes 1.6 to 1.9 times slower on Debian's MPICH
 * 4.0, built without yaksa).  Returns the number of requests started.
 */
static int start_set(const cmpi_rows *set, MPI_Datatype elem, const int *counts, const int *displs,
                     int all, MPI_Request *req)
{
    int k = 0;
    for (size_t r = 0; r < set->rows; r++, k++) {
        if (all)
            MPI_Iallgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, (char *)set->base + r * set->stride,
                            counts, displs, elem, MPI_COMM_WORLD, &req[k]);
        else if (rank == 0)
            MPI_Igatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, (char *)set->base + r * set->stride,
                         counts, displs, elem, 0, MPI_COMM_WORLD, &req[k]);
        else /* a rank without trials has no part (mine NULL) */
            MPI_Igatherv(set->mine ? (const char *)set->mine + r * set->mine_stride : NULL,
                         counts[rank], elem, NULL, NULL, NULL, elem, 0, MPI_COMM_WORLD, &req[k]);
    }
    return k;
}

/* Wait for the requests yielding the processor between polls: a rank
 * spinning in MPI on a machine with more processes than cores (ranks
 * oversubscribed, or other work) would take the core from the rank it
 * waits for (measured: a second for 6 MB at a load average of 5.8). */
static void wait_yielding(int n, MPI_Request *req)
{
    for (int i = 0; i < n;) {
        int done = 0;
        MPI_Test(&req[i], &done, MPI_STATUS_IGNORE);
        if (done)
            i++;
        else
            sched_yield();
    }
}

int cmpi_gather_rows(int failed, const cmpi_rows *sets, int nsets, const unsigned long long *first,
                     double passes, double *each, int all, diag *d)
{
    double t0 = now();
    int rc = 0;
    int *counts = NULL, *displs = NULL;
    MPI_Request *req = NULL;
    MPI_Datatype *types = NULL;
    if (!started) {
        rc = failed ? -1 : 0;
        for (int i = 0; !rc && i < nsets; i++)
            place_own(&sets[i], first, 0);
        if (!rc)
            each[0] = passes;
        goto out;
    }
    failed = injected_at_gather(failed, d);
    size_t nreq = 1;
    for (int i = 0; i < nsets; i++)
        nreq += sets[i].rows;
    counts = malloc((size_t)size * sizeof *counts);
    displs = malloc((size_t)size * sizeof *displs);
    req = malloc(nreq * sizeof *req);
    types = malloc(((size_t)nsets + 1) * sizeof *types);
    if (!failed && (!counts || !displs || !req || !types || nreq > INT_MAX))
        failed = diag_runtime(d, "out of memory");
    if (agree(failed, d)) {
        rc = -1;
        goto out;
    }
    for (int r = 0; r < size; r++) {
        counts[r] = (int)(first[r + 1] - first[r]);
        displs[r] = (int)first[r];
    }
    int k = 0;
    for (int i = 0; i < nsets; i++) {
        if (all || rank == 0)
            place_own(&sets[i], first, rank);
        MPI_Type_contiguous((int)sets[i].elem, MPI_BYTE, &types[i]);
        MPI_Type_commit(&types[i]);
        k += start_set(&sets[i], types[i], counts, displs, all, req + k);
    }
    if (all)
        MPI_Iallgather(&passes, 1, MPI_DOUBLE, each, 1, MPI_DOUBLE, MPI_COMM_WORLD, &req[k++]);
    else
        MPI_Igather(&passes, 1, MPI_DOUBLE, each, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD, &req[k++]);
    wait_yielding(k, req);
    for (int i = 0; i < nsets; i++)
        MPI_Type_free(&types[i]);
out:
    free(counts);
    free(displs);
    free(req);
    free(types);
    comm_s += now() - t0;
    return rc;
}

#endif
