/* Shared helpers for capmix's cmocka tests: see testutil.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "scnload.h"
#include "testutil.h"

static scn_scenario *loaded(int rc, scn_scenario *s, const diag *d)
{
    if (rc) {
        print_error("%s:%d:%d: %s\n", d->file, d->line, d->col, d->msg);
        fail();
    }
    return s;
}

scn_scenario *tu_load(const char *yaml)
{
    scn_scenario *s = NULL;
    diag d;
    diag_clear(&d);
    int rc = scn_load_buffer("t.yaml", yaml, strlen(yaml), &s, &d);
    return loaded(rc, s, &d);
}

scn_scenario *tu_load_file(const char *path)
{
    scn_scenario *s = NULL;
    diag d;
    diag_clear(&d);
    int rc = scn_load(path, &s, &d);
    return loaded(rc, s, &d);
}

eng_results *tu_run(const scn_scenario *s, const eng_opts *o)
{
    eng_results *r = NULL;
    diag d;
    diag_clear(&d);
    if (eng_run(s, o, &r, &d)) {
        print_error("eng_run: %s\n", d.msg);
        fail();
    }
    return r;
}
