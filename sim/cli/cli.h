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

typedef int (*cli_fn)(int argc, char **argv, diag *d);

int cmd_run(int argc, char **argv, diag *d);
int cmd_validate(int argc, char **argv, diag *d);
int cmd_bid(int argc, char **argv, diag *d);
int cmd_envelope(int argc, char **argv, diag *d);
int cmd_sweep(int argc, char **argv, diag *d);
int cmd_breakeven(int argc, char **argv, diag *d);
int cmd_tornado(int argc, char **argv, diag *d);
int cmd_help(int argc, char **argv, diag *d);
int cmd_init(int argc, char **argv, diag *d);
int cmd_report(int argc, char **argv, diag *d);
int cmd_calibrate(int argc, char **argv, diag *d);
int cmd_portfolio(int argc, char **argv, diag *d);
int cmd_track(int argc, char **argv, diag *d);
int cmd_backtest(int argc, char **argv, diag *d);
int cmd_merge(int argc, char **argv, diag *d);
int cmd_compare(int argc, char **argv, diag *d);

/* Parse a whole decimal unsigned integer within [lo, hi] for option
 * `opt`; returns 0 or -1 with a usage diag. */
int cli_parse_u64(const char *opt, const char *s, unsigned long long lo, unsigned long long hi,
                  unsigned long long *out, diag *d);

#endif
