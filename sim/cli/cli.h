/*
 * cli — the subcommands of the capmix binary.  Each parses its own
 * options, calls the layers below in order, prints its normal output, and
 * returns an exit code; on failure it fills `d` and main prints it.
 */
#ifndef CAPMIX_CLI_H
#define CAPMIX_CLI_H

#include "diag.h"

/* Exit code for a run stopped by SIGINT; SIGTERM and SIGHUP give 128 + their
 * number alike (cancel.h). */
#define CM_EXIT_INTERRUPTED 130

/*
 * A command: argv[0] is its name.  Returns CM_EXIT_OK, or a failure with
 * `d` filled; main alone turns the diag into the exit status (input 2,
 * runtime 1, a signal 128 + N) and prints it.
 */
typedef int (*cli_fn)(int argc, char **argv, diag *d);

/* A row of main's command table. */
typedef struct cli_command {
    const char *name;
    const char *summary; /* one line, for the command lists */
    const char *usage;   /* the synopsis after "capmix " */
    cli_fn fn;
} cli_command;

int cmd_run(int argc, char **argv, diag *d);
int cmd_validate(int argc, char **argv, diag *d);
int cmd_bid(int argc, char **argv, diag *d);
int cmd_envelope(int argc, char **argv, diag *d);
int cmd_sweep(int argc, char **argv, diag *d);
int cmd_breakeven(int argc, char **argv, diag *d);
int cmd_tornado(int argc, char **argv, diag *d);
/* `capmix help [TOPIC|KIND] [--example]`; `commands` is main's table
 * (NULL-terminated), listed by a bare `capmix help`. */
int cmd_help(const cli_command *commands, int argc, char **argv, diag *d);
int cmd_init(int argc, char **argv, diag *d);
int cmd_report(int argc, char **argv, diag *d);
int cmd_calibrate(int argc, char **argv, diag *d);
int cmd_portfolio(int argc, char **argv, diag *d);
int cmd_track(int argc, char **argv, diag *d);
int cmd_backtest(int argc, char **argv, diag *d);
int cmd_merge(int argc, char **argv, diag *d);
int cmd_compare(int argc, char **argv, diag *d);

/* One "capmix: file:line:col: message" line on stderr (clierr.c). */
void cli_print_diag(const diag *d);

/* Hand main a list of input errors (a file read whole before refusing
 * it): errs[0 .. shown − 2] are printed now, one "capmix: file:line:col:
 * message" line each; the last shown goes into d for main to print with
 * its echo, its message ending "(and N more errors not shown)" when
 * `total` is more than `shown`. */
void cli_errs(const diag *errs, size_t shown, size_t total, diag *d);

/* Before a command simulates: can its output folder `out` (NULL: none)
 * be written?  atomic_dir_check (atomic.h) on the process that writes
 * (rank 0 under mpiexec), so that a folder capmix could never write is
 * refused before the simulation, not after it.  Under mpiexec, in a
 * command whose ranks share the work (cmpi_sharing), every rank must call
 * it at the same point: it is a handshake (cmpi_settle), and every rank
 * returns -1 when rank 0 refused. */
int cli_out_check(const char *out, diag *d);

/* opts_u64 (opts.h) by its old name, for the commands not yet on an
 * option table. */
int cli_parse_u64(const char *opt, const char *s, unsigned long long lo, unsigned long long hi,
                  unsigned long long *out, diag *d);

#endif
