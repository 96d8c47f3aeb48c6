/*
 * xlsx — report.xlsx and comparison.csv (see xlsx.h).
 *
 * libxlsxwriter 1.1.4 (Debian's) writes only to a named file: it is given
 * the atomic temporary's name, so the workbook replaces that empty file
 * and lands, synced and renamed, with the rest of the run.  A write error
 * inside the library is remembered (the first one) and reported once when
 * the workbook closes.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_version.h>
#include <xlsxwriter.h>

#include "dates.h"
#include "html.h"
#include "numfmt.h"
#include "xlsx.h"

int xlsx_formula_like(const char *s)
{
    return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

void xlsx_csv_text(FILE *fp, const char *s)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL || xlsx_formula_like(s);
    if (quote)
        fputc('"', fp);
    if (xlsx_formula_like(s))
        fputc('\'', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    if (quote)
        fputc('"', fp);
}

/* ---- the Comparison sheet's columns, shared with comparison.csv ---- */

typedef enum { F_MONEY, F_DAYS, F_COUNT, F_PCT, F_TEXT } cell_fmt;
typedef enum { S_MEAN, S_SE, S_P10, S_P50, S_P90, S_P95, S_CVAR95, S_SHEET, S_DIFF, S_DIFF_SE,
               S_P_LOWER, S_INCR, S_INCR_SE, S_CPO, S_CPO_SE, S_DELIVERED } col_stat;

typedef struct comp_col {
    const char *label;   /* header in the workbook */
    const char *key;     /* header in the CSV */
    eng_metric m;
    col_stat stat;
    cell_fmt fmt;
} comp_col;

static const comp_col comp_cols[] = {
    {"Cost per accepted outcome (total cost / accepted)", "cost_per_accepted_outcome", M_COST_PER_OUTCOME, S_CPO, F_MONEY},
    {"Cost per accepted outcome, SE", "cost_per_accepted_outcome_se", M_COST_PER_OUTCOME, S_CPO_SE, F_MONEY},
    {"Per-trial cost per outcome, mean of ratios", "cost_per_outcome_mean", M_COST_PER_OUTCOME, S_MEAN, F_MONEY},
    {"P(delivered by the horizon)", "p_delivered", M_DELIVERED, S_DELIVERED, F_PCT},
    {"Total cost, mean", "cost_total_mean", M_COST_TOTAL, S_MEAN, F_MONEY},
    {"Total cost, SE of mean", "cost_total_se", M_COST_TOTAL, S_SE, F_MONEY},
    {"Total cost, P10", "cost_total_p10", M_COST_TOTAL, S_P10, F_MONEY},
    {"Total cost, P50", "cost_total_p50", M_COST_TOTAL, S_P50, F_MONEY},
    {"Total cost, P90", "cost_total_p90", M_COST_TOTAL, S_P90, F_MONEY},
    {"Total cost, P95", "cost_total_p95", M_COST_TOTAL, S_P95, F_MONEY},
    {"Total cost, CVaR95", "cost_total_cvar95", M_COST_TOTAL, S_CVAR95, F_MONEY},
    {"Total cost, spreadsheet", "cost_total_spreadsheet", M_COST_TOTAL, S_SHEET, F_MONEY},
    {"Accepted outcomes, mean", "accepted_mean", M_ACCEPTED, S_MEAN, F_COUNT},
    {"Delivery day, P50", "delivery_day_p50", M_DELIVERY_DAY, S_P50, F_DAYS},
    {"Delivery day, P90", "delivery_day_p90", M_DELIVERY_DAY, S_P90, F_DAYS},
    {"Delivered, share of trials", "delivered_mean", M_DELIVERED, S_MEAN, F_PCT},
    {"Delay cost, mean", "delay_cost_mean", M_DELAY_COST, S_MEAN, F_MONEY},
    {"Blended cost, mean", "blended_cost_mean", M_BLENDED_COST, S_MEAN, F_MONEY},
    {"Blended cost, P90", "blended_cost_p90", M_BLENDED_COST, S_P90, F_MONEY},
    {"Total cost vs baseline, mean difference", "cost_total_diff", M_COST_TOTAL, S_DIFF, F_MONEY},
    {"Total cost vs baseline, SE of difference", "cost_total_diff_se", M_COST_TOTAL, S_DIFF_SE, F_MONEY},
    {"Total cost lower than baseline, share of trials", "cost_total_p_lower", M_COST_TOTAL, S_P_LOWER, F_PCT},
    {"Blended cost vs baseline, mean difference", "blended_cost_diff", M_BLENDED_COST, S_DIFF, F_MONEY},
    {"Blended cost vs baseline, SE of difference", "blended_cost_diff_se", M_BLENDED_COST, S_DIFF_SE, F_MONEY},
    {"Blended cost lower than baseline, share of trials", "blended_cost_p_lower", M_BLENDED_COST, S_P_LOWER, F_PCT},
    {"Incremental cost per extra accepted outcome", "incremental_cost_per_outcome", M_COST_TOTAL, S_INCR, F_MONEY},
    {"Incremental cost per extra accepted outcome, SE", "incremental_cost_per_outcome_se", M_COST_TOTAL, S_INCR_SE, F_MONEY},
};
#define NCOMP (sizeof comp_cols / sizeof comp_cols[0])

/* NaN where the figure does not exist (the baseline against itself). */
static double comp_value(const report *rep, size_t a, const comp_col *c)
{
    const report_alt *ra = &rep->alts[a];
    const stats_summary *st = &ra->m[c->m];
    int base = a == rep->s->baseline;
    switch (c->stat) {
    case S_MEAN: return st->mean;
    case S_SE: return st->se;
    case S_P10: return st->p10;
    case S_P50: return st->p50;
    case S_P90: return st->p90;
    case S_P95: return st->p95;
    case S_CVAR95: return st->cvar95;
    case S_SHEET: return ra->sheet[c->m];
    case S_DIFF: return base ? NAN : ra->vs[c->m].mean_diff;
    case S_DIFF_SE: return base ? NAN : ra->vs[c->m].se;
    case S_P_LOWER: return base ? NAN : ra->vs[c->m].p_lower;
    case S_INCR: return base ? NAN : ra->incr.value;
    case S_INCR_SE: return base || isnan(ra->incr.value) ? NAN : ra->incr.se;
    case S_CPO: return ra->cpo.value;
    case S_CPO_SE: return ra->cpo.se;
    case S_DELIVERED: return ra->p_delivered;
    }
    return NAN;
}

static void csv_num(FILE *fp, double v)
{
    if (isnan(v))
        return;
    if (isinf(v))
        fputs(v > 0 ? "inf" : "-inf", fp);
    else
        fprintf(fp, "%.17g", v);
}

int xlsx_comparison_csv(FILE *fp, const report *rep)
{
    const scn_scenario *s = rep->s;
    fputs("scenario,alternative,kind,baseline", fp);
    for (size_t c = 0; c < NCOMP; c++)
        fprintf(fp, ",%s", comp_cols[c].key);
    fputs("\r\n", fp);
    for (size_t a = 0; a < s->nalts; a++) {
        xlsx_csv_text(fp, s->name);
        fputc(',', fp);
        xlsx_csv_text(fp, s->alts[a].name);
        fprintf(fp, ",%s,%s", s->alts[a].kind == ALT_BID ? "fixed_bid" : "mix",
                a == s->baseline ? "true" : "false");
        for (size_t c = 0; c < NCOMP; c++) {
            fputc(',', fp);
            csv_num(fp, comp_value(rep, a, &comp_cols[c]));
        }
        fputs("\r\n", fp);
    }
    return ferror(fp) ? -1 : 0;
}

/* ---- the workbook ---- */

typedef struct book {
    lxw_workbook *wb;
    lxw_format *head, *money, *days, *count, *pct, *wrap, *date;
    lxw_error err; /* the first error */
} book;

static void keep(book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR)
        b->err = e;
}

/* User text, always a string cell: libxlsxwriter's write_string never
 * reads a formula into it. */
static void text(book *b, lxw_worksheet *ws, int r, int c, const char *s)
{
    keep(b, worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, s, NULL));
}

static void head(book *b, lxw_worksheet *ws, int r, int c, const char *s)
{
    keep(b, worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, s, b->head));
}

static lxw_format *fmt_of(const book *b, cell_fmt f)
{
    return f == F_MONEY ? b->money : f == F_DAYS ? b->days : f == F_PCT ? b->pct : b->count;
}

/* A number cell; NaN stays empty, ±Inf is the text "inf"/"-inf". */
static void num(book *b, lxw_worksheet *ws, int r, int c, double v, cell_fmt f)
{
    if (isnan(v))
        return;
    if (isinf(v))
        keep(b, worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, v > 0 ? "inf" : "-inf", NULL));
    else
        keep(b, worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, v, fmt_of(b, f)));
}

/* Day `day` of the run as a date cell: Excel counts days from 1899-12-30,
 * 25569 days before 1970-01-01 (caldate's day 0). */
static void date_cell(book *b, lxw_worksheet *ws, int r, int c, const report *rep, double day)
{
    if (!isfinite(day))
        return;
    double serial = (double)(rep->s->work.start_date + (long)floor(day)) + 25569;
    keep(b, worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, serial, b->date));
}

static lxw_worksheet *sheet(book *b, const char *name, int ncols)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
    if (!ws) {
        keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    keep(b, worksheet_set_column(ws, 0, 0, 28, NULL));
    if (ncols > 1)
        keep(b, worksheet_set_column(ws, 1, (lxw_col_t)(ncols - 1), 16, NULL));
    worksheet_freeze_panes(ws, 1, 0);
    return ws;
}

/* The number format of money in the scenario's currency: a symbol for
 * USD/EUR/GBP (as dec_money writes them), else the code after the number. */
static void money_format(char *buf, size_t n, const char *currency)
{
    const char *sym = fmt_currency_symbol(currency);
    if (sym)
        snprintf(buf, n, "\"%s\"#,##0", sym);
    else
        snprintf(buf, n, "#,##0 \"%s\"", currency);
}

static void comparison_sheet(book *b, const report *rep)
{
    const scn_scenario *s = rep->s;
    lxw_worksheet *ws = sheet(b, "Comparison", 3 + (int)NCOMP);
    if (!ws)
        return;
    head(b, ws, 0, 0, "Alternative");
    head(b, ws, 0, 1, "Kind");
    head(b, ws, 0, 2, "Baseline");
    for (size_t c = 0; c < NCOMP; c++)
        head(b, ws, 0, 3 + (int)c, comp_cols[c].label);
    for (size_t a = 0; a < s->nalts; a++) {
        int r = 1 + (int)a;
        text(b, ws, r, 0, s->alts[a].name);
        text(b, ws, r, 1, s->alts[a].kind == ALT_BID ? "fixed_bid" : "mix");
        keep(b, worksheet_write_boolean(ws, (lxw_row_t)r, 2, a == s->baseline, NULL));
        for (size_t c = 0; c < NCOMP; c++)
            num(b, ws, r, 3 + (int)c, comp_value(rep, a, &comp_cols[c]), comp_cols[c].fmt);
        if (s->work.has_start_date && s->work.outcomes > 0) {
            char q[32];
            date_cell(b, ws, r, 3 + (int)NCOMP, rep, rep->alts[a].m[M_DELIVERY_DAY].p50);
            date_cell(b, ws, r, 4 + (int)NCOMP, rep, rep->alts[a].m[M_DELIVERY_DAY].p90);
            if (isfinite(rep->alts[a].m[M_DELIVERY_DAY].p50))
                text(b, ws, r, 5 + (int)NCOMP, dates_quarter(rep, rep->alts[a].m[M_DELIVERY_DAY].p50, q, sizeof q));
        }
    }
    if (s->work.has_start_date && s->work.outcomes > 0) {
        head(b, ws, 0, 3 + (int)NCOMP, "Delivery date, P50");
        head(b, ws, 0, 4 + (int)NCOMP, "Delivery date, P90");
        head(b, ws, 0, 5 + (int)NCOMP, "Delivery P50, fiscal quarter");
    }
}

static void answer_sheet(book *b, const report *rep, const dec_report *dr, const env_report *er)
{
    const scn_scenario *s = rep->s;
    lxw_worksheet *ws = sheet(b, "Answer", 1);
    if (!ws)
        return;
    keep(b, worksheet_set_column(ws, 0, 0, 120, b->wrap));
    char ans[1024];
    int r = 0;
    head(b, ws, r++, 0, s->name);
    if (s->description[0])
        text(b, ws, r++, 0, s->description);
    html_answer(rep, ans, sizeof ans);
    text(b, ws, r++, 0, ans);
    for (int i = 0; dr && i < dr->nverdicts; i++)
        text(b, ws, r++, 0, dr->verdict[i]);
    for (int i = 0; er && i < er->nsentences; i++)
        text(b, ws, r++, 0, er->sentence[i]);
    for (int i = 0; i < s->warnings.n; i++) {
        char w[WARN_LEN + 16];
        text(b, ws, r++, 0, warn_text(w, sizeof w, s->warnings.msg[i]));
    }
}

static void bid_sheet(book *b, const report *rep, const dec_report *dr)
{
    const scn_scenario *s = rep->s;
    static const char *const cols[] = {
        "Bid", "Capacity mix", "Metric", "Bid, mean", "Bid, P90", "Bid, risk-adjusted",
        "Mix, mean", "Mix, P90", "Mix, risk-adjusted", "Risk premium (bid mean - mix mean)",
        "Break-even price", "Break-even price, risk neutral", "Mix cheaper, share of trials",
        "Crossing risk tolerance"};
    lxw_worksheet *ws = sheet(b, "Bid", 14);
    if (!ws)
        return;
    for (int c = 0; c < 14; c++)
        head(b, ws, 0, c, cols[c]);
    for (size_t k = 0; k < dr->npairs; k++) {
        const dec_pair *p = &dr->pairs[k];
        int r = 1 + (int)k;
        text(b, ws, r, 0, s->alts[p->bid].name);
        text(b, ws, r, 1, s->alts[p->mix].name);
        text(b, ws, r, 2, eng_metric_name(p->metric));
        num(b, ws, r, 3, p->b.mean, F_MONEY);
        num(b, ws, r, 4, p->b.p90, F_MONEY);
        num(b, ws, r, 5, p->b.risk, F_MONEY);
        num(b, ws, r, 6, p->m.mean, F_MONEY);
        num(b, ws, r, 7, p->m.p90, F_MONEY);
        num(b, ws, r, 8, p->m.risk, F_MONEY);
        num(b, ws, r, 9, p->risk_premium, F_MONEY);
        num(b, ws, r, 10, p->break_even, F_MONEY);
        num(b, ws, r, 11, p->break_even_neutral, F_MONEY);
        num(b, ws, r, 12, p->p_mix_cheaper, F_PCT);
        num(b, ws, r, 13, p->crossing_R, F_MONEY);
    }
    int r = 2 + (int)dr->npairs;
    head(b, ws, r, 0, "Risk tolerance");
    num(b, ws, r++, 1, dr->R, F_MONEY);
    head(b, ws, r, 0, "Risk measure");
    text(b, ws, r++, 1, dr->measure == RISK_CVAR ? "cvar" : "certainty_equivalent");
    if (dr->measure == RISK_CVAR) {
        head(b, ws, r, 0, "CVaR level");
        num(b, ws, r++, 1, dr->level, F_PCT);
    }
    head(b, ws, r, 0, "Partner margin");
    num(b, ws, r++, 1, dr->margin, F_PCT);
}

static void envelope_sheets(book *b, const report *rep, const env_report *er)
{
    const scn_scenario *s = rep->s;
    static const char *const cols[] = {"Alternative", "Metric", "Confidence", "Envelope",
                                       "90% interval, low", "90% interval, high"};
    lxw_worksheet *ws = sheet(b, "Envelope", 6);
    if (!ws)
        return;
    for (int c = 0; c < 6; c++)
        head(b, ws, 0, c, cols[c]);
    int r = 1;
    for (size_t a = 0; a < s->nalts; a++) {
        for (int k = 0; k < 2; k++) {
            const env_quantile *q = k ? er->alts[a].blended : er->alts[a].total;
            for (int l = 0; l < ENV_LEVELS; l++, r++) {
                text(b, ws, r, 0, s->alts[a].name);
                text(b, ws, r, 1, k ? "blended_cost" : "cost_total");
                num(b, ws, r, 2, q[l].p, F_PCT);
                num(b, ws, r, 3, q[l].value, F_MONEY);
                num(b, ws, r, 4, q[l].lo, F_MONEY);
                num(b, ws, r, 5, q[l].hi, F_MONEY);
            }
        }
    }
    static const char *const rcols[] = {
        "Alternative", "Rule", "Review every (months)", "Stops, share of trials", "Median month of stop",
        "Expected spend with rule", "Expected spend without", "Blended cost with rule",
        "Blended cost without", "Loss avoided per stop", "False stops", "Delivered with rule, share"};
    ws = sheet(b, "Stop-loss", 12);
    if (!ws)
        return;
    for (int c = 0; c < 12; c++)
        head(b, ws, 0, c, rcols[c]);
    r = 1;
    for (size_t a = 0; a < s->nalts; a++) {
        for (size_t k = 0; k < er->alts[a].nrules; k++, r++) {
            const env_rule *x = &er->alts[a].rules[k];
            text(b, ws, r, 0, s->alts[a].name);
            text(b, ws, r, 1, x->rule->name);
            num(b, ws, r, 2, x->rule->every, F_COUNT);
            num(b, ws, r, 3, x->p_stop, F_PCT);
            num(b, ws, r, 4, x->median_month, F_DAYS);
            num(b, ws, r, 5, x->spend_with, F_MONEY);
            num(b, ws, r, 6, x->spend_without, F_MONEY);
            num(b, ws, r, 7, x->blended_with, F_MONEY);
            num(b, ws, r, 8, x->blended_without, F_MONEY);
            num(b, ws, r, 9, x->n_stopped ? x->loss_avoided : NAN, F_MONEY);
            num(b, ws, r, 10, (double)x->false_stops, F_COUNT);
            num(b, ws, r, 11, x->delivered_with, F_PCT);
        }
    }
}

static void burn_sheet(book *b, const report *rep)
{
    const scn_scenario *s = rep->s;
    static const char *const cols[] = {"Alternative", "Month", "Day", "Cumulative cost, mean",
                                       "Cumulative cost, P10", "Cumulative cost, P50",
                                       "Cumulative cost, P90", "Accepted, mean"};
    lxw_worksheet *ws = sheet(b, "Burn", 8);
    if (!ws)
        return;
    for (int c = 0; c < 8; c++)
        head(b, ws, 0, c, cols[c]);
    if (s->work.has_start_date) {
        head(b, ws, 0, 8, "Month end, date");
        head(b, ws, 0, 9, "Fiscal quarter");
    }
    int r = 1;
    for (size_t a = 0; a < s->nalts; a++) {
        const report_alt *ra = &rep->alts[a];
        for (int m = 0; m < rep->r->months; m++, r++) {
            text(b, ws, r, 0, s->alts[a].name);
            num(b, ws, r, 1, m + 1, F_COUNT);
            num(b, ws, r, 2, (m + 1) * s->cal.days_per_month, F_DAYS);
            num(b, ws, r, 3, ra->cost_fan.mean[m], F_MONEY);
            num(b, ws, r, 4, ra->cost_fan.p10[m], F_MONEY);
            num(b, ws, r, 5, ra->cost_fan.p50[m], F_MONEY);
            num(b, ws, r, 6, ra->cost_fan.p90[m], F_MONEY);
            num(b, ws, r, 7, ra->accepted_fan.mean[m], F_COUNT);
            if (s->work.has_start_date) {
                char q[32];
                date_cell(b, ws, r, 8, rep, (m + 1) * s->cal.days_per_month);
                text(b, ws, r, 9, dates_quarter(rep, (m + 1) * s->cal.days_per_month, q, sizeof q));
            }
        }
    }
}

static void provenance_sheet(book *b, const report *rep)
{
    const scn_scenario *s = rep->s;
    lxw_worksheet *ws = sheet(b, "Provenance", 2);
    if (!ws)
        return;
    keep(b, worksheet_set_column(ws, 1, 1, 80, NULL));
    int r = 0;
    head(b, ws, r, 0, "Field");
    head(b, ws, r++, 1, "Value");
    text(b, ws, r, 0, "capmix version");
    text(b, ws, r++, 1, rep->meta.version);
    text(b, ws, r, 0, "scenario");
    text(b, ws, r++, 1, s->name);
    text(b, ws, r, 0, "scenario file");
    text(b, ws, r++, 1, s->file);
    text(b, ws, r, 0, "scenario sha256");
    text(b, ws, r++, 1, s->sha256);
    text(b, ws, r, 0, "seed");
    num(b, ws, r++, 1, (double)s->seed, F_COUNT);
    text(b, ws, r, 0, "trials");
    num(b, ws, r++, 1, (double)rep->r->trials, F_COUNT);
    text(b, ws, r, 0, "currency");
    text(b, ws, r++, 1, s->currency);
    /* the command as summary.json's manifest records it, to replay */
    char cmd[2048];
    size_t used = (size_t)snprintf(cmd, sizeof cmd, "capmix %s", rep->meta.command ? rep->meta.command : "run");
    for (int i = 0; i < rep->meta.nargs && used < sizeof cmd; i++)
        used += (size_t)snprintf(cmd + used, sizeof cmd - used, " %s", rep->meta.args[i]);
    text(b, ws, r, 0, "command");
    text(b, ws, r++, 1, cmd);
    text(b, ws, r, 0, "gsl version");
    text(b, ws, r++, 1, GSL_VERSION);
    text(b, ws, r, 0, "libxlsxwriter version");
    text(b, ws, r++, 1, LXW_VERSION);
    if (rep->meta.note[0]) {
        text(b, ws, r, 0, "note");
        text(b, ws, r++, 1, rep->meta.note);
    }
}

int xlsx_write(const char *path, const char *shown, const report *rep, const dec_report *dr,
               const env_report *er, diag *d)
{
    book b = {.err = LXW_NO_ERROR};
    b.wb = workbook_new(path);
    if (!b.wb)
        return diag_runtime(d, "cannot write '%s'", shown);
    b.head = workbook_add_format(b.wb);
    b.money = workbook_add_format(b.wb);
    b.days = workbook_add_format(b.wb);
    b.count = workbook_add_format(b.wb);
    b.pct = workbook_add_format(b.wb);
    b.wrap = workbook_add_format(b.wb);
    b.date = workbook_add_format(b.wb);
    if (!b.head || !b.money || !b.days || !b.count || !b.pct || !b.wrap || !b.date) {
        b.err = LXW_ERROR_MEMORY_MALLOC_FAILED;
    } else {
        /* a fixed creation time (that of the zip entries, 1980-01-01): the
         * same run gives the same bytes, as summary.json does */
        char title[sizeof rep->s->name];
        memcpy(title, rep->s->name, sizeof title);
        lxw_doc_properties props = {.title = title, .created = 315532800};
        keep(&b, workbook_set_properties(b.wb, &props));
        char mf[64];
        money_format(mf, sizeof mf, rep->s->currency);
        format_set_bold(b.head);
        format_set_text_wrap(b.head);
        format_set_num_format(b.money, mf);
        format_set_num_format(b.days, "#,##0.0");
        format_set_num_format(b.count, "#,##0.##");
        format_set_num_format(b.pct, "0.0%");
        format_set_text_wrap(b.wrap);
        format_set_num_format(b.date, "yyyy-mm-dd");
        comparison_sheet(&b, rep);
        answer_sheet(&b, rep, dr, er);
        if (dr)
            bid_sheet(&b, rep, dr);
        if (er)
            envelope_sheets(&b, rep, er);
        if (rep->r->months && rep->alts[0].cost_fan.mean)
            burn_sheet(&b, rep);
        provenance_sheet(&b, rep);
    }
    lxw_error ce = workbook_close(b.wb); /* frees the workbook, written or not */
    keep(&b, ce);
    if (b.err != LXW_NO_ERROR)
        return diag_runtime(d, "cannot write '%s': %s", shown, lxw_strerror(b.err));
    return 0;
}
