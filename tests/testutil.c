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

static uint64_t ref_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t tu_ref_xoshiro_next(uint64_t s[4])
{
    const uint64_t result = ref_rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ref_rotl(s[3], 45);
    return result;
}

uint64_t tu_ref_splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
}
