/*
 * dates — calendar dates and fiscal quarters in a run's outputs (dates.h).
 */
#include <math.h>
#include <string.h>

#include "caldate.h"
#include "dates.h"
#include "decision.h"

static long date_of(const report *rep, double day)
{
    return rep->s->work.start_date + (long)floor(day);
}

char *dates_quarter(const report *rep, double day, char *buf, size_t n)
{
    long fy;
    int q;
    cal_fiscal_quarter(date_of(rep, day), rep->s->fy_month, rep->s->fy_day, &fy, &q);
    snprintf(buf, n, "FY%ld Q%d", fy, q);
    return buf;
}

void dates_delivery_line(FILE *fp, const report *rep, size_t a)
{
    const scn_scenario *s = rep->s;
    const stats_summary *st = &rep->alts[a].m[M_DELIVERY_DAY];
    if (!s->work.has_start_date || s->work.outcomes <= 0 || !isfinite(st->p50) || !isfinite(st->p90))
        return;
    char d50[16], d90[16], d0[16], q50[32], q90[32];
    fprintf(fp, "  delivery P50 %s (%s), P90 %s (%s); day 0 is %s\n",
            cal_format(date_of(rep, st->p50), d50, sizeof d50), dates_quarter(rep, st->p50, q50, sizeof q50),
            cal_format(date_of(rep, st->p90), d90, sizeof d90), dates_quarter(rep, st->p90, q90, sizeof q90),
            cal_format(s->work.start_date, d0, sizeof d0));
}

void dates_quarter_table(FILE *fp, const report *rep)
{
    const scn_scenario *s = rep->s;
    int months = rep->r->months;
    if (!s->work.has_start_date || months <= 0 || !rep->alts[0].cost_fan.mean)
        return;
    char b[4][48];
    fprintf(fp, "\n== by fiscal quarter (year from %02d-%02d; figures at the quarter's last month end)\n",
            s->fy_month, s->fy_day);
    for (size_t a = 0; a < s->nalts; a++) {
        const report_fan *f = &rep->alts[a].cost_fan;
        fprintf(fp, "  %s\n  %-10s %-12s %16s %16s %16s\n", s->alts[a].name, "quarter", "month end",
                "spend (mean)", "cumulative P50", "cumulative P90");
        double before = 0;
        for (int m = 0; m < months; m++) {
            double day = (m + 1) * s->cal.days_per_month;
            char q[32], qn[32];
            dates_quarter(rep, day, q, sizeof q);
            /* print at the last month end of each quarter, and at the last one */
            if (m + 1 < months && strcmp(q, dates_quarter(rep, (m + 2) * s->cal.days_per_month, qn, sizeof qn)) == 0)
                continue;
            fprintf(fp, "  %-10s %-12s %16s %16s %16s\n", q, cal_format(date_of(rep, day), b[0], 48),
                    dec_money(b[1], 48, f->mean[m] - before, s->currency),
                    dec_money(b[2], 48, f->p50[m], s->currency), dec_money(b[3], 48, f->p90[m], s->currency));
            before = f->mean[m];
        }
    }
}
