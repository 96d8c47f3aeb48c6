/*
 * clierr — how the commands print input errors on standard error: one
 * "capmix: file:line:col: message" line each, the file name and message
 * made printable (txt_fterm), so no escape sequence reaches the terminal;
 * and the check of an output folder every command makes before it works.
 */
#include <stdio.h>
#include <string.h>

#include "atomic.h"
#include "cli.h"
#include "cmpi.h"
#include "textesc.h"

void cli_print_diag(const diag *d)
{
    fputs("capmix: ", stderr);
    if (d->file[0]) {
        txt_fterm(stderr, d->file);
        if (d->line > 0)
            fprintf(stderr, ":%d:%d", d->line, d->col);
        fputs(": ", stderr);
    }
    txt_fterm(stderr, d->msg);
    fputc('\n', stderr);
}

void cli_errs(const diag *errs, size_t shown, size_t total, diag *d)
{
    for (size_t i = 0; i + 1 < shown; i++)
        cli_print_diag(&errs[i]);
    if (!shown)
        return;
    *d = errs[shown - 1];
    if (total > shown) { /* said last, after the last error shown */
        size_t used = strlen(d->msg);
        snprintf(d->msg + used, sizeof d->msg - used, " (and %zu more error%s not shown)", total - shown,
                 total - shown == 1 ? "" : "s");
    }
}

int cli_out_check(const char *out, diag *d)
{
    int rc = out && cmpi_rank() == 0 ? atomic_dir_check(out, d) : 0;
    /* every rank of a shared command stops here with rank 0, instead of
     * simulating its share first and learning of it at the first gather */
    return cmpi_sharing() ? cmpi_settle(rc != 0, d) : rc;
}
