/*
 * libFuzzer target: any bytes as the CSV files of `capmix calibrate`.  The
 * input up to its first NUL byte is a ticket export and the rest invoices
 * (no NUL: the whole input is tried as each, alone).  The reader and the
 * estimators must return 0 or -1 with a diag, never crash, leak or read
 * out of bounds; what they return must hold the invariants the fragment
 * writer relies on (abort() otherwise, which libFuzzer reports).
 * Built by `make fuzz` (clang, ASan + UBSan); inputs that once crashed are
 * kept in tests/fuzz/regressions-csv/ and replayed by `make check`, with
 * the seed corpus tests/fuzz/corpus-csv/ and the CSVs of scenarios/history/.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_sorted_nonneg(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(v[i] >= 0) || !isfinite(v[i]) || (i && v[i - 1] > v[i]))
            abort();
}

/* What put_source in cmd_calibrate.c writes must be a value the
 * scenario loader takes. */
static void check(const cal_result *r)
{
    for (size_t i = 0; i < r->nsources; i++) {
        const cal_source *s = &r->sources[i];
        if (!s->name[0] || strlen(s->name) >= CAL_NAME_MAX || (!s->has_tickets && !s->has_invoices))
            abort();
        if (s->has_tickets) {
            if (!(s->days >= 0) || !isfinite(s->days) || !(s->items >= 0) || !isfinite(s->items) ||
                s->tickets == 0 || s->passes < s->tickets || s->rework_passes > s->passes)
                abort();
            check_sorted_nonneg(s->review_hours, s->n_review_hours);
            check_sorted_nonneg(s->review_wait, s->n_review_wait);
            check_sorted_nonneg(s->cycle, s->n_cycle);
        }
        if (s->has_invoices) {
            if (!s->months || !(s->cost_mean >= 0) || !isfinite(s->cost_mean))
                abort();
            if (s->has_trend && (!isfinite(s->growth) || !isfinite(s->monthly_next) ||
                                 !(s->growth_se >= 0) || !(s->level_next_se >= 0)))
                abort();
        }
    }
    for (size_t i = 0; i < r->nskipped; i++)
        if (r->skipped[i].line < 1 || !r->skipped[i].msg)
            abort();
}

static void run(const csv_table *t, const csv_table *iv)
{
    for (int skip = 0; skip <= 1; skip++) {
        cal_opts o = {skip, 0.5};
        cal_result *r = NULL;
        diag d;
        diag_clear(&d);
        if (cal_estimate(t, iv, &o, &r, &d) == 0) {
            check(r);
            cal_result_free(r);
        } else if (d.kind == DIAG_NONE || r) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    const char *nul = memchr(buf, '\0', size);
    csv_table *a = NULL, *b = NULL;
    diag d;
    diag_clear(&d);
    if (nul) {
        size_t n1 = (size_t)(nul - buf);
        if (csv_load_buffer("tickets.csv", buf, n1, &a, &d) == 0 &&
            csv_load_buffer("invoices.csv", nul + 1, size - n1 - 1, &b, &d) == 0)
            run(a, b);
    } else if (csv_load_buffer("fuzz.csv", buf, size, &a, &d) == 0) {
        run(a, NULL);
        run(NULL, a);
    }
    csv_free(a);
    csv_free(b);
    return 0;
}
