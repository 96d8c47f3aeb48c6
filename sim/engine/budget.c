/*
 * budget — memory rules of a run (see budget.h).
 */
#include <math.h>
#include <unistd.h>

#include "budget.h"
#include "engine.h"
#include "stream.h"

double eng_snap_mib(const scn_scenario *s, uint64_t trials)
{
    return (double)ENG_SNAP_BYTES * (double)trials * (double)s->nalts * eng_months(s) / (1 << 20);
}

int eng_monthly_fits(const scn_scenario *s, uint64_t trials)
{
    return eng_snap_mib(s, trials) <= ENG_MONTHLY_BUDGET_MIB;
}

static int check_mib(double need_mib, uint64_t trials, size_t nalts, const char *cmd, diag *d)
{
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    double half_mib = pages > 0 && psize > 0 ? (double)pages * (double)psize / 2 / (1 << 20) : INFINITY;
    if (need_mib > half_mib)
        return diag_input(d, NULL, 0, 0,
                          "%s: %llu trials of %zu alternatives need about %.0f MiB of per-trial results, "
                          "more than half of this machine's memory (%.0f MiB): use fewer --trials",
                          cmd, (unsigned long long)trials, nalts, need_mib, half_mib);
    return 0;
}

int eng_memory_check(const scn_scenario *s, int stream, int threads, const char *cmd, diag *d)
{
    double need_mib = stream ? stm_bytes(s->nalts, threads) / (1 << 20)
                             : (double)s->trials * (double)s->nalts * ENG_TRIAL_BYTES / (1 << 20);
    return check_mib(need_mib, s->trials, s->nalts, cmd, d);
}

int eng_memory_check_need(uint64_t trials, size_t nalts, double bytes, const char *cmd, diag *d)
{
    return check_mib((double)trials * (double)nalts * bytes / (1 << 20), trials, nalts, cmd, d);
}

int eng_envelope_check(const scn_scenario *s, diag *d)
{
    double snap_mib = eng_snap_mib(s, s->trials);
    if (snap_mib > ENG_ENVELOPE_BUDGET_MIB)
        return diag_input(d, NULL, 0, 0,
                          "envelope: %llu trials need %.0f MiB of month-end snapshots (limit %d MiB): "
                          "use fewer --trials",
                          (unsigned long long)s->trials, snap_mib, ENG_ENVELOPE_BUDGET_MIB);
    return 0;
}
