/*
 * libFuzzer target: any bytes as a scenario file.  The loader must return
 * 0 or -1 with a diag, never crash, leak or read out of bounds; a scenario
 * it accepts must also survive a tiny simulation and the spreadsheet view.
 * The text rules (textesc.h) are checked on every input: an accepted
 * scenario's name and description pass txt_check within their limits, and
 * each escaper, given the raw bytes, writes no control it must not.
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
#include "scnload.h"
#include "spreadsheet.h"
#include "textesc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every character of s[0..n) well-formed and not a control, but those in
 * `allowed`; a violation is a crash the fuzzer keeps. */
static void must_be_clean(const char *s, size_t n, const char *allowed)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = txt_utf8_decode(s + i, n - i, &cp);
        if (!k || (txt_is_control(cp) && !(cp && cp < 0x80 && strchr(allowed, (int)cp))))
            abort();
        i += k;
    }
}

/* The input as a C string (up to its first NUL) through each escaper. */
static void escapers(const uint8_t *data, size_t size)
{
    size_t n = size < 4096 ? size : 4096;
    char *s = malloc(n + 1), *out = NULL;
    size_t len = 0;
    if (!s)
        return;
    memcpy(s, data, n);
    s[n] = '\0';
    char small[48];
    txt_term(small, sizeof small, s);
    must_be_clean(small, strlen(small), "");
    if (strlen(small) >= sizeof small || txt_cut(s, strlen(s), 7) > 7)
        abort();
    FILE *fp = open_memstream(&out, &len);
    if (fp) {
        txt_fterm(fp, s);
        fclose(fp);
        must_be_clean(out, len, "");
        free(out);
    }
    out = NULL;
    if ((fp = open_memstream(&out, &len))) {
        txt_html(fp, s, n);
        txt_md_code(fp, "yaml", s, n);
        txt_csv(fp, s);
        txt_md(fp, s);
        fclose(fp);
        must_be_clean(out, len, "\t\n");
        free(out);
    }
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    scn_scenario *s = NULL;
    diag d;
    diag_clear(&d);
    gsl_set_error_handler_off(); /* as main does: statuses are checked, never aborted on */
    escapers(data, size);
    if (scn_load_buffer("fuzz.yaml", (const char *)data, size, &s, &d) == 0) {
        if (strlen(s->name) > TXT_NAME_MAX || strlen(s->description) > TXT_DESCRIPTION_MAX ||
            txt_check(s->name, strlen(s->name), 0, NULL, 0) ||
            txt_check(s->description, strlen(s->description), TXT_LINES, NULL, 0))
            abort();
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
