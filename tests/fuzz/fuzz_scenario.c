/*
 * libFuzzer target: any bytes as a scenario file.  The loader must return
 * 0 or -1 with a diag, never crash, leak or read out of bounds; a scenario
 * it accepts must also survive a tiny simulation and the spreadsheet view.
 * Built by `make fuzz` (clang, ASan + UBSan); inputs that once crashed are
 * kept in tests/fuzz/regressions/ and replayed by `make check`.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "engine.h"
#include "scenario.h"
#include "spreadsheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    scn_scenario *s = NULL;
    diag d;
    diag_clear(&d);
    gsl_set_error_handler_off(); /* as main does: statuses are checked, never aborted on */
    if (scn_load_buffer("fuzz.yaml", (const char *)data, size, &s, &d) == 0) {
        double sheet[M_COUNT], passes = 0;
        int bounded = 1;
        for (size_t a = 0; a < s->nalts; a++) {
            sheet_alternative(s, a, sheet);
            passes += isfinite(sheet[M_PASSES]) ? sheet[M_PASSES] : 0;
            /* an unbounded throughput (lognormal, gamma) can draw a rate
             * far above its mean: valid, but no input for a time-boxed loop */
            for (size_t i = 0; i < s->alts[a].nsources; i++) {
                double lo, hi;
                dist_support(&s->alts[a].sources[i].tp_per_month, &lo, &hi);
                bounded &= isfinite(hi) && s->alts[a].sources[i].lanes <= 1000;
            }
        }
        /* a bounded simulation: a fuzzed throughput of 1e15 a month is a
         * valid scenario, but not one to simulate in a fuzzing loop */
        if (bounded && s->work.horizon_days <= 3650 && passes < 1e5) {
            eng_opts o = {.trials = 3, .seed = 1, .threads = 1};
            eng_results *r = NULL;
            if (eng_run(s, &o, &r, &d) == 0)
                eng_results_free(r);
        }
        scn_free(s);
    } else if (d.line > 0) {
        /* the echo main prints under the message: bounded whatever the
         * line endings (CR, NEL, LS, PS) and however long the line */
        char out[DIAG_ECHO_MAX];
        int caret;
        if (diag_echo((const char *)data, size, d.line, d.col, d.csv_lines, out, sizeof out, &caret) == 0 &&
            (strlen(out) >= sizeof out || caret < 0 || caret > DIAG_ECHO_WIDTH))
            abort();
    }
    return 0;
}
