/*
 * cmd_backtest — `capmix backtest REALISED.csv`: score past forecasts of
 * capmix track against what was realised (backtest.h).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "backtest.h"
#include "cli.h"
#include "csv.h"
#include "decision.h"
#include "json.h"
#include "jsonread.h"
#include "readfile.h"
#include "report.h"
#include "stats.h"

static const char backtest_usage[] =
    "usage: capmix backtest REALISED.csv [-o DIR] [-q]\n"
    "\n"
    "Score past forecasts against what happened.  REALISED.csv has one row per forecast:\n"
    "  forecast         a folder written by 'capmix track -o' (relative to the CSV's folder)\n"
    "  cost_total       the realised final cost (required)\n"
    "  delivery_day     the realised delivery day (optional)\n"
    "  within_envelope  1 if the final cost stayed within the envelope, else 0 (optional)\n"
    "  delivered        1 if the scope was delivered by the horizon, else 0 (optional)\n"
    "For cost and delivery day: the share of outcomes at or below the forecast's P10, P50,\n"
    "P80 and P90 with 95% Wilson intervals (calibrated when the level lies inside), the mean\n"
    "pinball loss of each, the mean CRPS of the forecast's draws, and a PIT histogram (flat\n"
    "when calibrated).  For the binary forecasts: Brier scores.\n"
    "\n"
    "options:\n"
    "  -o, --out DIR   write summary.json there (nothing on an error)\n"
    "  -q, --quiet     print nothing on success\n"
    "  -h, --help      this help\n";

#define MAX_ERRS 50
enum { F_FORECAST, F_COST, F_DAY, F_WITHIN, F_DELIVERED, F_N };
static const char *const cols[F_N + 1] = {"forecast", "cost_total", "delivery_day", "within_envelope",
                                          "delivered", NULL};
static const double taus[4] = {0.1, 0.5, 0.8, 0.9};

typedef struct metric {
    const char *name;
    size_t n;
    double *q[4], *y;
    double crps;
    size_t pit[10];
    bt_cover cov[4];
} metric;

typedef struct binary {
    const char *name;
    size_t n;
    double *p, *o;
    double brier, mean_p, rate;
} binary;

typedef struct bt_run {
    size_t n;
    metric m[2];
    binary b[2];
    char (*scenario)[80];   /* per forecast: scenario sha256 (provenance) */
    char currency[16];      /* the first forecast's */
} bt_run;

static int errs_add(diag *e, size_t *ne, const char *file, int line, int col, const char *msg)
{
    if (*ne < MAX_ERRS)
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

/* One forecast folder: the draws' columns (sorted) and the binary
 * probabilities.  Returns 0, or -1 with msg. */
static int load_forecast(const char *dir, double **cost, double **day, size_t *m, double *p_within,
                         double *p_del, char *sha, size_t nsha, char *cur, size_t ncur, char *msg,
                         size_t nmsg)
{
    char path[1200];
    diag d;
    diag_clear(&d);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *buf = NULL;
    size_t len = 0;
    if (rf_read(path, 64u << 20, &buf, &len, &d)) {
        snprintf(msg, nmsg, "forecast '%.300s' has no readable summary.json (a folder written by capmix track -o)", dir);
        return -1;
    }
    jr_value *v = jr_parse(path, buf, len, &d);
    free(buf);
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
        snprintf(msg, nmsg, "forecast '%.300s': draws.csv is missing or unreadable (%.200s)", dir, d.msg);
        return -1;
    }
    *m = t->nrows;
    *cost = malloc(2 * t->nrows * sizeof **cost);
    if (!*cost) {
        csv_free(t);
        snprintf(msg, nmsg, "out of memory");
        return -1;
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

static void score(metric *mt, const double *draws, size_t m, double y)
{
    size_t i = mt->n++;
    for (int k = 0; k < 4; k++)
        mt->q[k][i] = stats_quantile_sorted(draws, m, taus[k]);
    mt->y[i] = y;
    double *tmp = malloc(m * sizeof *tmp);
    if (tmp) {
        memcpy(tmp, draws, m * sizeof *tmp);
        mt->crps += bt_crps_sample(tmp, m, y);
        free(tmp);
    }
    double pit = bt_pit(draws, m, y);
    int b = (int)(pit * 10);
    mt->pit[b > 9 ? 9 : b]++;
}

static void finish_metric(metric *mt)
{
    for (int k = 0; k < 4; k++)
        bt_coverage(mt->q[k], mt->y, mt->n, taus[k], &mt->cov[k]);
    if (mt->n)
        mt->crps /= (double)mt->n;
}

static void print_run(FILE *fp, const bt_run *r, const char *file)
{
    char b[3][48];
    fprintf(fp, "capmix %s  backtest of %zu forecasts (%s)\n", CAPMIX_VERSION, r->n, file);
    for (int k = 0; k < 2; k++) {
        const metric *mt = &r->m[k];
        if (!mt->n)
            continue;
        int money = k == 0;
        fprintf(fp, "\n%s: %zu outcomes, mean CRPS %s\n", mt->name, mt->n,
                money ? dec_money(b[0], 48, mt->crps, r->currency) : report_fmt(b[0], 48, mt->crps, 2));
        fprintf(fp, "  level  at or below  95%% Wilson interval  calibrated  mean pinball loss\n");
        for (int j = 0; j < 4; j++) {
            const bt_cover *c = &mt->cov[j];
            fprintf(fp, "  P%-4.0f %8.3f      [%.3f, %.3f]        %-10s  %s\n", 100 * c->tau, c->rate, c->lo, c->hi,
                    c->calibrated ? "yes" : "no",
                    money ? dec_money(b[1], 48, c->pinball, r->currency) : report_fmt(b[1], 48, c->pinball, 2));
        }
        fprintf(fp, "  PIT histogram (10 bins, flat when calibrated):");
        for (int j = 0; j < 10; j++)
            fprintf(fp, " %zu", mt->pit[j]);
        fputc('\n', fp);
    }
    for (int k = 0; k < 2; k++) {
        const binary *bn = &r->b[k];
        if (bn->n)
            fprintf(fp, "\n%s: Brier score %.4f over %zu forecasts (mean forecast %.3f, realised rate %.3f)\n",
                    bn->name, bn->brier, bn->n, bn->mean_p, bn->rate);
    }
}

static void json_run(json_writer *w, const bt_run *r, const char *file)
{
    json_obj_begin(w);
    json_key(w, "capmix"), json_str(w, CAPMIX_VERSION);
    json_key(w, "command"), json_str(w, "backtest");
    json_key(w, "realised"), json_str(w, file);
    json_key(w, "forecasts"), json_u64(w, r->n);
    for (int k = 0; k < 2; k++) {
        const metric *mt = &r->m[k];
        if (!mt->n)
            continue;
        json_key(w, mt->name), json_obj_begin(w);
        json_key(w, "n"), json_u64(w, mt->n);
        json_key(w, "crps_mean"), json_num(w, mt->crps);
        json_key(w, "coverage"), json_arr_begin(w);
        for (int j = 0; j < 4; j++) {
            const bt_cover *c = &mt->cov[j];
            json_obj_begin(w);
            json_key(w, "level"), json_num(w, c->tau);
            json_key(w, "at_or_below"), json_num(w, c->rate);
            json_key(w, "wilson95"), json_arr_begin(w), json_num(w, c->lo), json_num(w, c->hi), json_arr_end(w);
            json_key(w, "calibrated"), json_bool(w, c->calibrated);
            json_key(w, "pinball_mean"), json_num(w, c->pinball);
            json_obj_end(w);
        }
        json_arr_end(w);
        json_key(w, "pit_histogram"), json_arr_begin(w);
        for (int j = 0; j < 10; j++)
            json_u64(w, mt->pit[j]);
        json_arr_end(w);
        json_obj_end(w);
    }
    for (int k = 0; k < 2; k++) {
        const binary *bn = &r->b[k];
        if (!bn->n)
            continue;
        json_key(w, bn->name), json_obj_begin(w);
        json_key(w, "n"), json_u64(w, bn->n);
        json_key(w, "brier"), json_num(w, bn->brier);
        json_key(w, "mean_forecast"), json_num(w, bn->mean_p);
        json_key(w, "realised_rate"), json_num(w, bn->rate);
        json_obj_end(w);
    }
    json_key(w, "scenarios_sha256"), json_arr_begin(w);
    for (size_t i = 0; i < r->n; i++)
        json_str(w, r->scenario[i]);
    json_arr_end(w);
    json_obj_end(w);
}

int cmd_backtest(int argc, char **argv, diag *d)
{
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int quiet = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        if (c == 'o') {
            out = optarg;
        } else if (c == 'q') {
            quiet = 1;
        } else if (c == 'h') {
            fputs(backtest_usage, stdout);
            return CM_EXIT_OK;
        } else {
            diag_input(d, NULL, 0, 0, "backtest: %s '%s' (see 'capmix backtest --help')",
                       c == ':' ? "option needs a value:" : "unknown option", argv[optind - 1]);
            return CM_EXIT_INPUT;
        }
    }
    if (argc - optind != 1) {
        diag_input(d, NULL, 0, 0, "backtest needs one REALISED.csv (see 'capmix backtest --help')");
        return CM_EXIT_INPUT;
    }
    const char *file = argv[optind];
    csv_table *t = NULL;
    int idx[F_N];
    if (csv_load_file(file, &t, d) || csv_columns(t, cols, 2, idx, d)) {
        csv_free(t);
        return d->kind == DIAG_RUNTIME ? CM_EXIT_RUNTIME : CM_EXIT_INPUT;
    }
    char base[1024];
    snprintf(base, sizeof base, "%s", file);
    char *slash = strrchr(base, '/');
    if (slash)
        slash[1] = '\0';
    else
        base[0] = '\0';
    size_t n = t->nrows;
    bt_run R;
    memset(&R, 0, sizeof R);
    R.m[0].name = "cost_total";
    R.m[1].name = "delivery_day";
    R.b[0].name = "within_envelope";
    R.b[1].name = "delivered";
    double *mem = calloc(2 * 5 * n + 4 * n + 1, sizeof *mem);
    R.scenario = calloc(n + 1, sizeof *R.scenario);
    if (!mem || !R.scenario) {
        free(mem), free(R.scenario), csv_free(t);
        diag_runtime(d, "out of memory");
        return CM_EXIT_RUNTIME;
    }
    for (int k = 0; k < 2; k++) {
        for (int j = 0; j < 4; j++)
            R.m[k].q[j] = mem + (size_t)(k * 5 + j) * n;
        R.m[k].y = mem + (size_t)(k * 5 + 4) * n;
        R.b[k].p = mem + 10 * n + (size_t)(2 * k) * n;
        R.b[k].o = mem + 10 * n + (size_t)(2 * k + 1) * n;
    }
    diag errs[MAX_ERRS];
    size_t ne = 0;
    char msg[700];
    for (size_t i = 0; i < n; i++) {
        const csv_row *r = &t->rows[i];
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
                bad = errs_add(errs, &ne, t->file, cell[k]->line, cell[k]->col, msg);
            }
        }
        if (!cell[F_FORECAST]->s[0]) {
            bad = errs_add(errs, &ne, t->file, cell[F_FORECAST]->line, cell[F_FORECAST]->col,
                           "column 'forecast' is empty: give the folder of a capmix track output");
        }
        if (bad)
            continue;
        char dir[1100], cur[16];
        snprintf(dir, sizeof dir, "%s%s", cell[F_FORECAST]->s[0] == '/' ? "" : base, cell[F_FORECAST]->s);
        double *cost = NULL, *day = NULL, pw, pd;
        size_t m;
        if (load_forecast(dir, &cost, &day, &m, &pw, &pd, R.scenario[R.n], sizeof R.scenario[0], cur,
                          sizeof cur, msg, sizeof msg)) {
            errs_add(errs, &ne, t->file, cell[F_FORECAST]->line, cell[F_FORECAST]->col, msg);
            continue;
        }
        if (!R.n)
            snprintf(R.currency, sizeof R.currency, "%s", cur);
        R.n++;
        score(&R.m[0], cost, m, v[F_COST]);
        if (idx[F_DAY] >= 0 && cell[F_DAY]->s[0])
            score(&R.m[1], day, m, v[F_DAY]);
        double pr[2] = {pw, pd};
        int ok[2] = {idx[F_WITHIN] >= 0 && cell[F_WITHIN]->s[0], idx[F_DELIVERED] >= 0 && cell[F_DELIVERED]->s[0]};
        for (int k = 0; k < 2; k++)
            if (ok[k] && !isnan(pr[k])) {
                R.b[k].p[R.b[k].n] = pr[k];
                R.b[k].o[R.b[k].n++] = v[F_WITHIN + k];
            }
        free(cost);
    }
    int rc = CM_EXIT_OK;
    if (ne) {
        size_t shown = ne < MAX_ERRS ? ne : MAX_ERRS;
        for (size_t i = 0; i + 1 < shown; i++)
            fprintf(stderr, "capmix: %s:%d:%d: %s\n", errs[i].file, errs[i].line, errs[i].col, errs[i].msg);
        *d = errs[shown - 1];
        rc = CM_EXIT_INPUT;
    } else if (!R.n) {
        diag_input(d, t->file, t->header.line, 1, "no forecasts to score: give one row per forecast");
        rc = CM_EXIT_INPUT;
    } else {
        for (int k = 0; k < 2; k++)
            finish_metric(&R.m[k]);
        for (int k = 0; k < 2; k++) {
            binary *bn = &R.b[k];
            bn->brier = bt_brier(bn->p, bn->o, bn->n);
            double sp = 0, so = 0;
            for (size_t i = 0; i < bn->n; i++)
                sp += bn->p[i], so += bn->o[i];
            bn->mean_p = bn->n ? sp / (double)bn->n : NAN;
            bn->rate = bn->n ? so / (double)bn->n : NAN;
        }
        if (out) {
            char made[1024], path[1200];
            atomic_file f;
            memset(&f, 0, sizeof f);
            snprintf(path, sizeof path, "%s/summary.json", out);
            if (atomic_mkdirs_made(out, made, sizeof made, d)) {
                rc = CM_EXIT_RUNTIME;
            } else if (atomic_open(&f, path, d)) {
                atomic_rmdirs(out, made);
                rc = CM_EXIT_RUNTIME;
            } else {
                json_writer w;
                json_init(&w, f.fp);
                json_run(&w, &R, file);
                if (json_finish(&w) || atomic_commit(&f, d)) {
                    if (d->kind == DIAG_NONE)
                        diag_runtime(d, "cannot write %s", path);
                    atomic_abort(&f);
                    atomic_rmdirs(out, made);
                    rc = CM_EXIT_RUNTIME;
                }
            }
        }
        if (rc == CM_EXIT_OK && !quiet)
            print_run(stdout, &R, file);
    }
    free(mem);
    free(R.scenario);
    csv_free(t);
    return rc;
}
