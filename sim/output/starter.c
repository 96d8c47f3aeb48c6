/*
 * starter — the starter scenario of `capmix init` (starter.h).
 */
#include <stdio.h>

#include "models.h"
#include "starter.h"

static const char head[] =
    "# A capmix scenario (format version 1).  Edit the numbers, then:\n"
    "#   capmix validate THIS_FILE     # what capmix understood, and the spreadsheet view\n"
    "#   capmix run THIS_FILE -o out/  # the distributions it hides\n"
    "# Any number may be a distribution: {dist: pert, min: 3, mode: 5, max: 9},\n"
    "# {dist: lognormal, median: 2500, p90: 9000}, {dist: uniform, min, max}, ...\n"
    "capmix: 1\n"
    "name: starter\n"
    "seed: 1\n"
    "trials: 20000\n"
    "\n"
    "people:                           # internal rates for oversight and review hours\n"
    "  senior_engineer: {loaded_annual: 280000}\n"
    "  product_manager: {loaded_annual: 208000}\n"
    "\n"
    "work:\n"
    "  outcomes: 24                    # accepted production outcomes needed (omit: run-rate mode)\n"
    "  horizon_days: 730\n"
    "  target_day: 120                 # delay costs money after this day\n"
    "  cost_of_delay: {annual_value: 320000}   # or {per_day: 877}\n"
    "\n"
    "alternatives:\n";

void starter_write(FILE *fp, const model_kind *const *kinds, int nk)
{
    fputs(head, fp);
    for (int i = 0; i < nk; i++) {
        fprintf(fp, "  # %s: %s\n  - name: %s\n%s    sources:\n%s\n", kinds[i]->name, kinds[i]->summary,
                kinds[i]->name, i == 0 ? "    baseline: true\n" : "", kinds[i]->example);
    }
}
