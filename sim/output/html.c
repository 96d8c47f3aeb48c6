/*
 * html — report.html and report.md.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_version.h>
#include <yaml.h>

#include "answer.h"
#include "html.h"
#include "textesc.h"

/* HTML and Markdown escaping live in textesc.c, with the text rules. */
static void esc(FILE *fp, const char *s, size_t n)
{
    txt_html(fp, s, n);
}

static void e(FILE *fp, const char *s)
{
    esc(fp, s, strlen(s));
}

static void md(FILE *fp, const char *s)
{
    txt_md(fp, s);
}

static eng_metric lead_metric(const scn_scenario *s)
{
    return s->work.outcomes > 0 && dist_mean(&s->work.cod) > 0 ? M_BLENDED_COST : M_COST_TOTAL;
}

void html_answer(const report *rep, char *buf, size_t n)
{
    ans_answer an;
    ans_run(rep, &an);
    snprintf(buf, n, "%s", an.sentence);
}

/* The columns of the comparison table.  Cost per accepted outcome is the
 * ratio of totals (answer.h); P(delivered) stands beside every backlog
 * comparison; run-rate tables show what each alternative delivers and its
 * incremental cost per extra accepted outcome against the baseline. */
typedef enum { ST_MEAN, ST_P50, ST_P90, ST_CPO, ST_DELIVERED, ST_INCR } col_stat;

typedef struct col {
    eng_metric m;
    const char *label;
    col_stat stat;
    int dec;
    int mode; /* 0 both, 1 backlog only, 2 run-rate only */
} col;

static const col cols[] = {
    {M_COST_PER_OUTCOME, "cost per accepted outcome (total cost / accepted)", ST_CPO, 0, 0},
    {M_ACCEPTED, "accepted outcomes, mean", ST_MEAN, 2, 2},
    {M_COST_TOTAL, "incremental cost per extra accepted outcome vs baseline", ST_INCR, 0, 2},
    {M_DELIVERED, "P(delivered by the horizon)", ST_DELIVERED, 0, 1},
    {M_COST_TOTAL, "total cost, mean", ST_MEAN, 0, 0},
    {M_COST_TOTAL, "total cost, P90", ST_P90, 0, 0},
    {M_DELIVERY_DAY, "delivery day, P50", ST_P50, 0, 1},
    {M_DELIVERY_DAY, "delivery day, P90", ST_P90, 0, 1},
    {M_BLENDED_COST, "blended cost, mean", ST_MEAN, 0, 1},
    {M_BLENDED_COST, "blended cost, P90", ST_P90, 0, 1},
};

/* One cell as text: a blended cost with undelivered trials is a lower
 * bound (their delay is counted only to the horizon), marked ">=". */
static char *cell(char *b, size_t n, const report *rep, size_t a, const col *c)
{
    const report_alt *ra = &rep->alts[a];
    const stats_summary *st = &ra->m[c->m];
    char v[48];
    switch (c->stat) {
    case ST_CPO: return report_fmt(b, n, ra->cpo.value, 0);
    case ST_DELIVERED: /* never round a strict share to 100% */
        snprintf(b, n, ra->p_delivered > 0 && ra->p_delivered < 1 ? "%.2f%%" : "%.0f%%", 100 * ra->p_delivered);
        if (ra->p_delivered < 1 && 100 * ra->p_delivered >= 99.995)
            snprintf(b, n, ">99.99%%");
        return b;
    case ST_INCR:
        if (a == rep->s->baseline)
            snprintf(b, n, "-");
        else if (isnan(ra->incr.value))
            snprintf(b, n, "n/a");
        else
            report_fmt(b, n, ra->incr.value, 0);
        return b;
    default: break;
    }
    double x = c->stat == ST_MEAN ? st->mean : c->stat == ST_P50 ? st->p50 : st->p90;
    report_fmt(v, sizeof v, x, c->dec);
    snprintf(b, n, "%s%s", c->m == M_BLENDED_COST && ra->p_delivered < 1 ? ">= " : "", v);
    return b;
}

static int show_col(const scn_scenario *s, const col *c)
{
    return c->mode == 0 || (c->mode == 1) == (s->work.outcomes > 0);
}

/* A line under the table saying what a reader needs to read it right. */
static const char *table_note(const report *rep)
{
    const scn_scenario *s = rep->s;
    if (s->work.outcomes == 0)
        return "Run-rate mode: every alternative works the same period and delivers what it delivers, so "
               "they are compared per accepted outcome (expected total cost over expected accepted "
               "outcomes), never on total cost.";
    for (size_t a = 0; a < s->nalts; a++)
        if (rep->alts[a].p_delivered < 1)
            return "Backlog mode: a delivered trial has the same scope whichever alternative delivers it. "
                   "A blended cost marked >= includes trials that had not delivered by the horizon, whose "
                   "delay is counted only to the horizon: a lower bound.";
    return "Backlog mode: every alternative delivered the same scope in every trial.";
}

/* The market's answer: the partner's implied cost beside ours (model §4),
 * as HTML list items or Markdown bullets. */
static void market(FILE *fp, const report *rep, const dec_report *dr, int html)
{
    const scn_scenario *s = rep->s;
    char m1[64], m2[64];
    if (isnan(dr->margin))
        return;
    fputs(html ? "<h3>The market's answer</h3>\n<ul id=\"market\">\n" : "\n### The market's answer\n\n", fp);
    for (size_t a = 0; a < s->nalts; a++) {
        if (s->alts[a].kind != ALT_BID)
            continue;
        double price = dist_mean(&s->alts[a].bid.price);
        fputs(html ? "<li>" : "- ", fp);
        html ? e(fp, s->alts[a].name) : md(fp, s->alts[a].name);
        fprintf(fp, " at %s with a %.0f%% margin implies the partner expects the work to cost %s; our expected "
                    "total cost for the same scope:",
                dec_money(m1, sizeof m1, price, s->currency), 100 * dr->margin,
                dec_money(m2, sizeof m2, price / (1 + dr->margin), s->currency));
        for (size_t mi = 0; mi < s->nalts; mi++)
            if (s->alts[mi].kind != ALT_BID) {
                fputc(' ', fp);
                html ? e(fp, s->alts[mi].name) : md(fp, s->alts[mi].name);
                fprintf(fp, " %s;", dec_money(m1, sizeof m1, rep->alts[mi].m[M_COST_TOTAL].mean, s->currency));
            }
        fputs(html ? "</li>\n" : "\n", fp);
    }
    if (html)
        fputs("</ul>\n", fp);
}

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1000px;margin:2em auto;"
    "padding:0 1em;color:#222;line-height:1.45}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:1px solid #ccc;"
    "padding-bottom:.2em;margin-top:1.8em}"
    ".answer{font-size:1.15em;background:#f3f6fa;border-left:4px solid #3465a4;padding:.6em 1em}"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.92em}"
    "th,td{border:1px solid #ccc;padding:.25em .55em;text-align:right}"
    "th:first-child,td:first-child{text-align:left}"
    "thead th{background:#eef1f5}"
    "figure{margin:1em 0;page-break-inside:avoid}figure svg{max-width:100%;height:auto}"
    "figcaption{font-size:.9em;color:#555}"
    "pre{background:#f8f8f8;border:1px solid #ddd;padding:.6em;overflow-x:auto;font-size:.82em}"
    ".muted{color:#666;font-size:.9em}"
    "@media print{body{margin:0;max-width:none}.answer{background:none}}";

/* The charts, gnuplot's SVGs inline; a note when none could be drawn. */
static void charts_html(FILE *fp, const html_figure *figs, int nfigs)
{
    int drawn = 0;
    for (int i = 0; i < nfigs; i++)
        drawn += figs[i].svg != NULL;
    if (nfigs) {
        fputs("<h2>Charts</h2>\n", fp);
        if (!drawn)
            fputs("<p class=\"muted\">gnuplot was not available: the charts' data and scripts are beside "
                  "this page.</p>\n",
                  fp);
        for (int i = 0; i < nfigs; i++) {
            if (!figs[i].svg)
                continue;
            fprintf(fp, "<figure id=\"fig-%s\">\n", figs[i].name);
            /* gnuplot's SVG minus its XML declaration, inline */
            const char *svg = strstr(figs[i].svg, "<svg");
            if (svg)
                fwrite(svg, 1, figs[i].svg_len - (size_t)(svg - figs[i].svg), fp);
            fputs("<figcaption>", fp);
            e(fp, figs[i].caption);
            fputs("</figcaption></figure>\n", fp);
        }
    }
}

/* The envelope's table (P80/P90/P95 of total cost) and its advice. */
static void envelope_html(FILE *fp, const report *rep, const env_report *er)
{
    const scn_scenario *s = rep->s;
    char b[64];
    fputs("<h2>Envelope</h2>\n<table id=\"envelope\"><thead><tr><th>alternative</th><th>P80</th>"
          "<th>P90</th><th>P95</th></tr></thead><tbody>\n",
          fp);
    for (size_t a = 0; a < s->nalts; a++) {
        fputs("<tr><td>", fp);
        e(fp, s->alts[a].name);
        fputs("</td>", fp);
        for (int l = 0; l < ENV_LEVELS; l++)
            fprintf(fp, "<td>%s</td>", report_fmt(b, sizeof b, er->alts[a].total[l].value, 0));
        fputs("</tr>\n", fp);
    }
    fputs("</tbody></table>\n", fp);
    if (er->review) {
        /* one alternative is running: its re-forecast's advice and why */
        const trk_report *r = er->review;
        fputs("<ul id=\"review\">\n<li>", fp);
        e(fp, s->alts[r->a].name);
        fprintf(fp, " at month %d: ", r->month);
        e(fp, r->advice);
        fputs(" <span class=\"muted\">(", fp);
        e(fp, r->reason);
        fputs(")</span></li>\n", fp);
        /* the figures behind it: what was spent, and the re-forecast */
        char b2[64], b3[64], b4[64], b5[64];
        fprintf(fp, "<li>spent %s with %g accepted; final cost P10 %s, P50 %s, P90 %s; "
                    "P(within the envelope of %s) %.0f%%; P(delivered by the horizon) %.0f%%</li>\n</ul>\n",
                report_fmt(b, sizeof b, r->spent, 0), r->accepted, report_fmt(b2, sizeof b2, r->cost.p10, 0),
                report_fmt(b3, sizeof b3, r->cost.p50, 0), report_fmt(b4, sizeof b4, r->cost.p90, 0),
                report_fmt(b5, sizeof b5, r->envelope, 0), 100 * r->p_within, 100 * r->p_delivered);
    }
}

int html_write(FILE *fp, const report *rep, const dec_report *dr, const env_report *er,
               const html_figure *figs, int nfigs, const char *text, size_t text_len)
{
    const scn_scenario *s = rep->s;
    char b[64], ans[1400];
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>capmix: ", fp);
    e(fp, s->name);
    fprintf(fp, "</title>\n<style>%s</style></head>\n<body>\n<h1>", css);
    e(fp, s->name);
    fputs("</h1>\n", fp);
    if (s->description[0]) {
        fputs("<p class=\"muted\">", fp);
        e(fp, s->description);
        fputs("</p>\n", fp);
    }
    html_answer(rep, ans, sizeof ans);
    fputs("<p class=\"answer\" id=\"answer\">", fp);
    e(fp, ans);
    fputs("</p>\n", fp);
    for (int i = 0; dr && i < dr->nverdicts; i++) {
        fputs("<p class=\"answer verdict\">", fp);
        e(fp, dr->verdict[i]);
        fputs(".</p>\n", fp);
    }
    for (int i = 0; er && i < er->nsentences; i++) {
        fputs("<p class=\"answer envelope\">", fp);
        e(fp, er->sentence[i]);
        fputs(".</p>\n", fp);
    }
    fprintf(fp, "<p class=\"muted\">%llu trials, seed %llu; money in ", (unsigned long long)rep->r->trials,
            (unsigned long long)s->seed);
    e(fp, s->currency);
    fputs(".</p>\n", fp);
    if (rep->meta.stream) {
        fputs("<p class=\"muted\">", fp);
        e(fp, rep->meta.note);
        fputs(".</p>\n", fp);
    }

    fputs("<h2>Comparison</h2>\n<table id=\"comparison\"><thead><tr><th>alternative</th>", fp);
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        if (show_col(s, &cols[k]))
            fprintf(fp, "<th>%s</th>", cols[k].label);
    fputs("<th>P(cheaper than baseline)</th><th>spreadsheet: cost per outcome</th></tr></thead>\n<tbody>\n",
          fp);
    eng_metric lm = lead_metric(s);
    for (size_t a = 0; a < s->nalts; a++) {
        fputs("<tr><td>", fp);
        e(fp, s->alts[a].name);
        if (a == s->baseline)
            fputs(" (baseline)", fp);
        fputs("</td>", fp);
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            if (show_col(s, &cols[k]))
                fprintf(fp, "<td>%s</td>", cell(b, sizeof b, rep, a, &cols[k]));
        if (a == s->baseline)
            fputs("<td>-</td>", fp);
        else
            fprintf(fp, "<td>%.0f%%</td>", 100 * rep->alts[a].vs[lm].p_lower);
        fprintf(fp, "<td>%s</td></tr>\n", report_fmt(b, sizeof b, rep->alts[a].sheet[M_COST_PER_OUTCOME], 0));
    }
    fprintf(fp, "</tbody></table>\n<p class=\"muted\">%s The spreadsheet column is the single number a "
                "spreadsheet of averages gives; the distributions are what it hides.</p>\n",
            table_note(rep));

    charts_html(fp, figs, nfigs);

    if (dr) {
        fputs("<h2>Fixed bid</h2>\n<table id=\"bid\"><thead><tr><th>bid vs mix (blended cost)</th>"
              "<th>P(mix cheaper)</th><th>risk premium</th><th>break-even price</th>"
              "<th>at risk neutrality</th></tr></thead><tbody>\n",
              fp);
        for (size_t k = 0; k < dr->npairs; k++) {
            const dec_pair *p = &dr->pairs[k];
            if (p->metric != M_BLENDED_COST)
                continue;
            fputs("<tr><td>", fp);
            e(fp, s->alts[p->bid].name);
            fputs(" vs ", fp);
            e(fp, s->alts[p->mix].name);
            fprintf(fp, "</td><td>%.0f%%</td>", 100 * p->p_mix_cheaper);
            fprintf(fp, "<td>%s</td>", report_fmt(b, sizeof b, p->risk_premium, 0));
            fprintf(fp, "<td>%s</td>", report_fmt(b, sizeof b, p->break_even, 0));
            fprintf(fp, "<td>%s</td></tr>\n", report_fmt(b, sizeof b, p->break_even_neutral, 0));
        }
        fputs("</tbody></table>\n<p class=\"muted\">", fp);
        e(fp, dec_R_explained);
        fputs(".</p>\n", fp);
        market(fp, rep, dr, 1);
    }
    if (er)
        envelope_html(fp, rep, er);

    fputs("<h2>Assumptions</h2>\n", fp);
    if (text) {
        fputs("<p class=\"muted\">The scenario as written, line by line.</p>\n<pre id=\"scenario\">", fp);
        int line = 1;
        size_t i = 0;
        while (i < text_len) {
            size_t j = i;
            while (j < text_len && text[j] != '\n')
                j++;
            fprintf(fp, "%4d  ", line++);
            esc(fp, text + i, j - i);
            fputc('\n', fp);
            i = j + 1;
        }
        fputs("</pre>\n", fp);
    } else {
        fputs("<p class=\"muted\">The scenario file could not be read again, or changed since the run.</p>\n",
              fp);
    }
    fputs("<h2>Provenance</h2>\n<table id=\"provenance\"><tbody>\n", fp);
    fprintf(fp, "<tr><td>capmix</td><td>%s</td></tr>\n", rep->meta.version);
    fputs("<tr><td>scenario file</td><td>", fp);
    e(fp, s->file);
    fprintf(fp, "</td></tr>\n<tr><td>SHA-256</td><td>%s</td></tr>\n", s->sha256);
    fprintf(fp, "<tr><td>seed</td><td>%llu</td></tr>\n<tr><td>trials</td><td>%llu</td></tr>\n",
            (unsigned long long)s->seed, (unsigned long long)rep->r->trials);
    fprintf(fp, "<tr><td>GSL, libyaml</td><td>%s, %s</td></tr>\n", GSL_VERSION, yaml_get_version_string());
    fputs("</tbody></table>\n</body></html>\n", fp);
    return ferror(fp) ? -1 : 0;
}

int html_write_md(FILE *fp, const report *rep, const dec_report *dr, const env_report *er,
                  const html_figure *figs, int nfigs, const char *text, size_t text_len)
{
    const scn_scenario *s = rep->s;
    char b[64], ans[1400];
    fputs("# ", fp);
    md(fp, s->name);
    fputs("\n\n", fp);
    html_answer(rep, ans, sizeof ans);
    fprintf(fp, "**%s**\n\n", ans);
    for (int i = 0; dr && i < dr->nverdicts; i++)
        fprintf(fp, "**%s.**\n\n", dr->verdict[i]);
    for (int i = 0; er && i < er->nsentences; i++)
        fprintf(fp, "**%s.**\n\n", er->sentence[i]);
    if (rep->meta.stream)
        fprintf(fp, "%s.\n\n", rep->meta.note);
    fprintf(fp, "%llu trials, seed %llu; money in %s.\n\n## Comparison\n\n| alternative |",
            (unsigned long long)rep->r->trials, (unsigned long long)s->seed, s->currency);
    int ncol = 0;
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        if (show_col(s, &cols[k])) {
            fprintf(fp, " %s |", cols[k].label);
            ncol++;
        }
    fputs(" spreadsheet: cost per outcome |\n|---|", fp);
    for (int k = 0; k <= ncol; k++)
        fputs("---:|", fp);
    fputc('\n', fp);
    for (size_t a = 0; a < s->nalts; a++) {
        fputs("| ", fp);
        md(fp, s->alts[a].name);
        fputs(a == s->baseline ? " (baseline) |" : " |", fp);
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            if (show_col(s, &cols[k]))
                fprintf(fp, " %s |", cell(b, sizeof b, rep, a, &cols[k]));
        fprintf(fp, " %s |\n", report_fmt(b, sizeof b, rep->alts[a].sheet[M_COST_PER_OUTCOME], 0));
    }
    fprintf(fp, "\n%s\n", table_note(rep));
    if (dr) {
        fputs("\n## Fixed bid\n\n| bid vs mix (blended cost) | P(mix cheaper) | risk premium | break-even price | "
              "at risk neutrality | CEs cross at R |\n|---|---:|---:|---:|---:|---:|\n",
              fp);
        for (size_t k = 0; k < dr->npairs; k++) {
            const dec_pair *p = &dr->pairs[k];
            if (p->metric != M_BLENDED_COST)
                continue;
            fputs("| ", fp);
            md(fp, s->alts[p->bid].name);
            fputs(" vs ", fp);
            md(fp, s->alts[p->mix].name);
            fprintf(fp, " | %.0f%% | %s |", 100 * p->p_mix_cheaper, report_fmt(b, sizeof b, p->risk_premium, 0));
            fprintf(fp, " %s |", report_fmt(b, sizeof b, p->break_even, 0));
            fprintf(fp, " %s |", report_fmt(b, sizeof b, p->break_even_neutral, 0));
            fprintf(fp, " %s |\n", report_fmt(b, sizeof b, p->crossing_R, 0));
        }
        fprintf(fp, "\n%s.\n", dec_R_explained);
        market(fp, rep, dr, 0);
    }
    if (nfigs)
        fputs("\n## Charts\n\n", fp);
    else
        fputc('\n', fp);
    for (int i = 0; i < nfigs; i++)
        fprintf(fp, "![%s](%s.png)\n\n", figs[i].caption, figs[i].name);
    if (text) {
        fputs("## Assumptions\n\n", fp);
        txt_md_code(fp, "yaml", text, text_len);
        fputc('\n', fp);
    }
    fprintf(fp, "## Provenance\n\ncapmix %s; scenario ", rep->meta.version);
    md(fp, s->file);
    fprintf(fp, ", SHA-256 %s; seed %llu; %llu trials; GSL %s, libyaml %s.\n", s->sha256,
            (unsigned long long)s->seed, (unsigned long long)rep->r->trials, GSL_VERSION,
            yaml_get_version_string());
    return ferror(fp) ? -1 : 0;
}
