/*
 * bt_run — reading and scoring past forecasts for `capmix backtest`
 * (bt_run.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backtest.h"
#include "bt_run.h"
#include "csv.h"
#include "jsonread.h"
#include "readfile.h"
#include "stats.h"

enum { F_FORECAST, F_COST, F_DAY, F_WITHIN, F_DELIVERED, F_N };
static const char *const cols[F_N + 1] = {"forecast", "cost_total", "delivery_day", "within_envelope",
                                          "delivered", NULL};
static const double taus[4] = {0.1, 0.5, 0.8, 0.9};

static int errs_add(diag *e, size_t *ne, const char *file, int line, int col, const char *msg)
{
    if (*ne < BT_MAX_ERRS)
        diag_input(&e[*ne], file, line, col, "%s", msg);
    (*ne)++;
    return -1;
}

static int number(const csv_cell *c, double *v)
{
    char *end;
    if (!c->s[0])
        return -1;
    *v = strtod(c->s, &end);
    return *end || !isfinite(*v) ? -1 : 0;
}

/* One forecast folder: the draws' columns (sorted) and the bt_binary
 * probabilities.  Returns 0; -1 with msg when the folder is not a usable
 * forecast (the user's to fix); -2 with rt set when the system failed
 * (memory, a read error): that is not bad input. */
static int load_forecast(const char *dir, double **cost, double **day, size_t *m, double *p_within,
                         double *p_del, char *sha, size_t nsha, char *cur, size_t ncur, char *msg,
                         size_t nmsg, diag *rt)
{
    char path[1200];
    diag d;
    diag_clear(&d);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *buf = NULL;
    size_t len = 0;
    if (rf_read(path, 64u << 20, &buf, &len, &d)) {
        if (d.kind == DIAG_RUNTIME) {
            *rt = d;
            return -2;
        }
        snprintf(msg, nmsg, "forecast '%.300s' has no readable summary.json (a folder written by capmix track -o)", dir);
        return -1;
    }
    jr_value *v = jr_parse(path, buf, len, &d);
    free(buf);
    if (!v && d.kind == DIAG_RUNTIME) {
        *rt = d;
        return -2;
    }
    const jr_value *cmd = v ? jr_get(v, "command") : NULL, *fc = v ? jr_get(v, "forecast") : NULL;
    if (!v || !cmd || cmd->kind != JR_STR || strcmp(cmd->str, "track") || !fc) {
        jr_free(v);
        snprintf(msg, nmsg, "forecast '%.300s': its summary.json is not a capmix track output", dir);
        return -1;
    }
    const jr_value *pw = jr_get(fc, "p_within_envelope"), *pd = jr_get(fc, "p_delivered"),
                   *sc = jr_get(v, "scenario");
    *p_within = pw && pw->kind == JR_NUM ? pw->num : NAN;
    *p_del = pd && pd->kind == JR_NUM ? pd->num : NAN;
    const jr_value *sh = sc ? jr_get(sc, "sha256") : NULL;
    snprintf(sha, nsha, "%s", sh && sh->kind == JR_STR ? sh->str : "");
    const jr_value *cu = jr_get(v, "currency");
    snprintf(cur, ncur, "%s", cu && cu->kind == JR_STR ? cu->str : "USD");
    jr_free(v);
    snprintf(path, sizeof path, "%s/draws.csv", dir);
    csv_table *t = NULL;
    int idx[2];
    static const char *const dc[] = {"cost_total_sorted", "delivery_day_sorted", NULL};
    if (csv_load_file(path, &t, &d) || csv_columns(t, dc, 2, idx, &d) || t->nrows < 2) {
        csv_free(t);
        if (d.kind == DIAG_RUNTIME) {
            *rt = d;
            return -2;
        }
        snprintf(msg, nmsg, "forecast '%.300s': draws.csv is missing or unreadable (%.200s)", dir, d.msg);
        return -1;
    }
    *m = t->nrows;
    *cost = malloc(2 * t->nrows * sizeof **cost);
    if (!*cost) {
        csv_free(t);
        diag_runtime(rt, "out of memory");
        return -2;
    }
    *day = *cost + t->nrows;
    for (size_t i = 0; i < t->nrows; i++) {
        const csv_row *r = &t->rows[i];
        if ((size_t)idx[0] >= r->n || (size_t)idx[1] >= r->n || number(&r->cells[idx[0]], &(*cost)[i]) ||
            number(&r->cells[idx[1]], &(*day)[i])) {
            snprintf(msg, nmsg, "forecast '%.300s': draws.csv line %d is not two numbers", dir, r->line);
            free(*cost);
            csv_free(t);
            return -1;
        }
    }
    csv_free(t);
    stats_sort(*cost, *m);
    stats_sort(*day, *m);
    return 0;
}

/* Returns 0, or -1 when out of memory (the CRPS needs a scratch copy: a
 * score without it would divide a partial sum). */
static int score(bt_metric *mt, const double *draws, size_t m, double y)
{
    double *tmp = malloc(m * sizeof *tmp);
    if (!tmp)
        return -1;
    size_t i = mt->n++;
    for (int k = 0; k < 4; k++)
        mt->q[k][i] = stats_quantile_sorted(draws, m, taus[k]);
    mt->y[i] = y;
    memcpy(tmp, draws, m * sizeof *tmp);
    mt->crps += bt_crps_sample(tmp, m, y);
    free(tmp);
    double pit = bt_pit(draws, m, y);
    int b = (int)(pit * 10);
    mt->pit[b > 9 ? 9 : b]++;
    return 0;
}

static void finish_metric(bt_metric *mt)
{
    for (int k = 0; k < 4; k++)
        bt_coverage(mt->q[k], mt->y, mt->n, taus[k], &mt->cov[k]);
    if (mt->n)
        mt->crps /= (double)mt->n;
}

/* One row of the realised outcomes: its forecast read and scored, or its
 * errors added to errs.  Returns 0, or -1 with d set when the system
 * failed (memory, a read error). */
static int score_row(const csv_table *t, const csv_row *r, const int *idx, const char *base, bt_run *R,
                     diag *errs, size_t *ne, diag *d)
{
    char msg[700];
    csv_cell blank = {"", 0, r->line, 1, 0};
    const csv_cell *cell[F_N];
    for (int k = 0; k < F_N; k++)
        cell[k] = idx[k] >= 0 && (size_t)idx[k] < r->n ? &r->cells[idx[k]] : &blank;
    double v[F_N] = {0};
    int bad = 0;
    for (int k = F_COST; k < F_N; k++) {
        if (idx[k] < 0 || (k != F_COST && !cell[k]->s[0]))
            continue;
        if (number(cell[k], &v[k]) || ((k == F_WITHIN || k == F_DELIVERED) && v[k] != 0 && v[k] != 1)) {
            snprintf(msg, sizeof msg, "column '%s': '%s' is not %s", cols[k], cell[k]->s,
                     k >= F_WITHIN ? "0 or 1" : "a number");
            bad = errs_add(errs, ne, t->file, cell[k]->line, cell[k]->col, msg);
        }
    }
    if (!cell[F_FORECAST]->s[0]) {
        bad = errs_add(errs, ne, t->file, cell[F_FORECAST]->line, cell[F_FORECAST]->col,
                       "column 'forecast' is empty: give the folder of a capmix track output");
    }
    if (bad)
        return 0;
    char dir[1100], cur[16];
    snprintf(dir, sizeof dir, "%s%s", cell[F_FORECAST]->s[0] == '/' ? "" : base, cell[F_FORECAST]->s);
    double *cost = NULL, *day = NULL, pw, pd;
    size_t m;
    int lr = load_forecast(dir, &cost, &day, &m, &pw, &pd, R->scenario[R->n], sizeof R->scenario[0], cur,
                           sizeof cur, msg, sizeof msg, d);
    if (lr == -2)
        return -1;
    if (lr) {
        errs_add(errs, ne, t->file, cell[F_FORECAST]->line, cell[F_FORECAST]->col, msg);
        return 0;
    }
    if (!R->n)
        snprintf(R->currency, sizeof R->currency, "%s", cur);
    R->n++;
    if (score(&R->m[0], cost, m, v[F_COST]) ||
        (idx[F_DAY] >= 0 && cell[F_DAY]->s[0] && score(&R->m[1], day, m, v[F_DAY]))) {
        free(cost);
        return diag_runtime(d, "out of memory");
    }
    double pr[2] = {pw, pd};
    int ok[2] = {idx[F_WITHIN] >= 0 && cell[F_WITHIN]->s[0], idx[F_DELIVERED] >= 0 && cell[F_DELIVERED]->s[0]};
    for (int k = 0; k < 2; k++)
        if (ok[k] && !isnan(pr[k])) {
            R->b[k].p[R->b[k].n] = pr[k];
            R->b[k].o[R->b[k].n++] = v[F_WITHIN + k];
        }
    free(cost);
    return 0;
}

int bt_run_score(const char *file, bt_run *R, diag *errs, size_t *nprint, diag *d)
{
    *nprint = 0;
    memset(R, 0, sizeof *R);
    csv_table *t = NULL;
    int idx[F_N];
    if (csv_load_file(file, &t, d) || csv_columns(t, cols, 2, idx, d)) {
        csv_free(t);
        return -1;
    }
    char base[1024];
    snprintf(base, sizeof base, "%s", file);
    char *slash = strrchr(base, '/');
    if (slash)
        slash[1] = '\0';
    else
        base[0] = '\0';
    size_t n = t->nrows;
    R->m[0].name = "cost_total";
    R->m[1].name = "delivery_day";
    R->b[0].name = "within_envelope";
    R->b[1].name = "delivered";
    double *mem = R->mem = calloc(2 * 5 * n + 4 * n + 1, sizeof *mem);
    R->scenario = calloc(n + 1, sizeof *R->scenario);
    if (!mem || !R->scenario) {
        csv_free(t);
        return diag_runtime(d, "out of memory");
    }
    for (int k = 0; k < 2; k++) {
        for (int j = 0; j < 4; j++)
            R->m[k].q[j] = mem + (size_t)(k * 5 + j) * n;
        R->m[k].y = mem + (size_t)(k * 5 + 4) * n;
        R->b[k].p = mem + 10 * n + (size_t)(2 * k) * n;
        R->b[k].o = mem + 10 * n + (size_t)(2 * k + 1) * n;
    }
    size_t ne = 0;
    for (size_t i = 0; i < n; i++)
        if (score_row(t, &t->rows[i], idx, base, R, errs, &ne, d)) {
            csv_free(t);
            return -1;
        }
    int rc = 0;
    if (ne) {
        size_t shown = ne < BT_MAX_ERRS ? ne : BT_MAX_ERRS;
        *nprint = shown - 1;
        *d = errs[shown - 1];
        rc = -1;
    } else if (!R->n) {
        diag_input(d, t->file, t->header.line, 1, "no forecasts to score: give one row per forecast");
        rc = -1;
    } else {
        for (int k = 0; k < 2; k++)
            finish_metric(&R->m[k]);
        for (int k = 0; k < 2; k++) {
            bt_binary *bn = &R->b[k];
            bn->brier = bt_brier(bn->p, bn->o, bn->n);
            double sp = 0, so = 0;
            for (size_t i = 0; i < bn->n; i++)
                sp += bn->p[i], so += bn->o[i];
            bn->mean_p = bn->n ? sp / (double)bn->n : NAN;
            bn->rate = bn->n ? so / (double)bn->n : NAN;
        }
    }
    csv_free(t);
    return rc;
}

void bt_run_release(bt_run *R)
{
    free(R->mem);
    free(R->scenario);
    R->mem = NULL;
    R->scenario = NULL;
}
