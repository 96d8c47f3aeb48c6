/*
 * main — the command table, dispatch and exit codes.  The only place
 * that prints an error and decides how the process ends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gsl/gsl_errno.h>

#include "cancel.h"
#include "cli.h"
#include "diag.h"
#include "readfile.h"
#include "help.h"
#include "textesc.h"
#include "engine.h"
#include "cmpi.h"
#include "shard.h"

/* `capmix help` lists the commands from this table, so it is given it. */
static int help_fn(int argc, char **argv, diag *d);

/* The one list of commands: dispatch, the top-level usage, `capmix help`
 * and `capmix help COMMAND` all read it. */
static const cli_command commands[] = {
    {"run", "simulate a scenario and report what each alternative really costs",
     "run SCENARIO.yaml [-o DIR] [options]", cmd_run},
    {"validate", "check a scenario file and print what capmix understood", "validate SCENARIO.yaml [-q]",
     cmd_validate},
    {"envelope", "size a budget envelope, test stop-loss rules, review actuals",
     "envelope SCENARIO.yaml [-o DIR] [--confidence C] [--month M --actuals spent=S,accepted=A]", cmd_envelope},
    {"bid", "weigh a partner's fixed bid against doing the work: risk premium, break-even price",
     "bid SCENARIO.yaml [-o DIR] [--risk-tolerance R] [--partner-margin M] [options]", cmd_bid},
    {"sweep", "a metric of every alternative along one parameter, crossings solved",
     "sweep SCENARIO.yaml --set PATH=LO:HI:N --metric METRIC.STAT [options]", cmd_sweep},
    {"breakeven", "the curve in two parameters where two alternatives are equal",
     "breakeven SCENARIO.yaml --x PATH=LO:HI:N --y PATH=LO:HI --metric METRIC.STAT --between A B", cmd_breakeven},
    {"tornado", "rank an alternative's uncertain inputs by their swing on a statistic",
     "tornado SCENARIO.yaml [--metric METRIC.STAT] [--alternative A] [-o DIR]", cmd_tornado},
    {"portfolio", "several initiatives under one budget: what to fund, with which option, the order of cuts",
     "portfolio PORTFOLIO.yaml [-o DIR] [--select INIT=OPTION,...] [options]", cmd_portfolio},
    {"merge", "report a run from the shard files of 'run --shard I/N'", "merge DIR|FILE... [-o OUT] [options]", cmd_merge},
    {"report", "rebuild a finished run's report.html from its summary.json", "report DIR", cmd_report},
    {"track", "re-forecast a running alternative from its ledger of actuals",
     "track SCENARIO.yaml --alternative NAME --actuals LEDGER.csv [-o DIR] [options]", cmd_track},
    {"compare", "what changed between two scenarios, and what each change did to the figures",
     "compare OLD NEW [-o DIR] [--alternative A] [--figure F] [options]", cmd_compare},
    {"backtest", "score past track forecasts against what happened: coverage, CRPS, Brier",
     "backtest REALISED.csv [-o DIR] [-q]", cmd_backtest},
    {"calibrate", "scenario source entries from ticket exports and invoices", "calibrate [--tickets FILE] [--invoices FILE] [options]",
     cmd_calibrate},
    {"init", "write a commented starter scenario", "init [--kind KIND ...] [-o FILE] [--force]", cmd_init},
    {"help", "help on a command or a capacity-source kind", "help [COMMAND|TOPIC|KIND] [--example]", help_fn},
    {NULL, NULL, NULL, NULL},
};

static int help_fn(int argc, char **argv, diag *d)
{
    return cmd_help(commands, argc, argv, d);
}

static void usage(FILE *fp)
{
    fprintf(fp, "usage: capmix COMMAND [OPTIONS] ...\n\n"
                "Monte Carlo costs of capacity mixes per accepted production outcome.\n\n"
                "commands:\n");
    for (const cli_command *c = commands; c->name; c++)
        fprintf(fp, "  %-10s %s\n", c->name, c->summary);
    fprintf(fp, "\n'capmix COMMAND --help' for a command's options; 'capmix help KIND' for a kind.\n"
                "exit status: 0 ok, 1 runtime failure, 2 bad input or usage, 128 + N stopped by\n"
                "signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP)\n");
}

/* Largest file read back for the echo: a scenario or CSV is smaller. */
#define ECHO_MAX_FILE (64L << 20)

/* Echo the offending line of the file with a caret under the column
 * (diag_echo: the line as the parser counted it, clipped around the
 * column).  Only a regular file is read again: a pipe's bytes are gone,
 * and opening a FIFO would wait for a writer. */
static void echo_line(const diag *d)
{
    struct stat st;
    if (!d->file[0] || d->line <= 0 || stat(d->file, &st) || !S_ISREG(st.st_mode) ||
        st.st_size > ECHO_MAX_FILE)
        return;
    char *text;
    size_t len;
    if (rf_load(d->file, ECHO_MAX_FILE, &text, &len, NULL) != RF_OK)
        return;
    char out[DIAG_ECHO_MAX];
    int caret;
    if (!diag_echo(text, len, d->line, d->col, d->csv_lines, out, sizeof out, &caret)) {
        fputs("    ", stderr);
        txt_fterm(stderr, out); /* ill-formed bytes as \xHH: never raw to a terminal */
        fprintf(stderr, "\n    %*s^\n", caret, "");
    }
    free(text);
}

/* The error line (the file name and the message quote what the user gave:
 * made printable by cli_print_diag), then the echo. */
static void print_diag(const diag *d)
{
    cli_print_diag(d);
    echo_line(d);
}

/*
 * What was printed must have reached standard output: a full disk behind
 * `capmix validate x.yaml > file` is a failure, not a success with half a
 * file.  Checked once, at the end, since stdio errors are sticky.  Keeps a
 * failing rc; turns success into exit 1.
 */
static int finish_stdout(int rc)
{
    int flushed = fflush(stdout) == 0;
    int e = errno;
    if (flushed && !ferror(stdout))
        return rc;
    fprintf(stderr, "capmix: cannot write standard output: %s\n", flushed ? "write error" : strerror(e));
    return rc == CM_EXIT_OK ? CM_EXIT_RUNTIME : rc;
}

/*
 * The exit status of a command that returned `rc`, decided here alone:
 * 0 for success; on failure, by the diag it left: bad input or usage 2, a
 * run stopped by a signal 128 + its number, any other failure 1.  A
 * command that left no diag keeps the status it returned.
 */
static int exit_code(int rc, const diag *d)
{
    if (rc == CM_EXIT_OK)
        return CM_EXIT_OK;
    if (d->kind == DIAG_INPUT)
        return CM_EXIT_INPUT;
    if (cancel_signal)
        return cancel_exit_code();
    if (d->kind == DIAG_RUNTIME)
        return CM_EXIT_RUNTIME;
    return rc > 0 ? rc : CM_EXIT_RUNTIME;
}

static int run_command(int argc, char **argv, diag *d);

int main(int argc, char **argv)
{
    /* GSL's default handler aborts the process; capmix checks statuses. */
    gsl_set_error_handler_off();
    diag d;
    diag_clear(&d);
    int rc = cmpi_start(&argc, &argv, &d), code = CM_EXIT_OK;
    if (rc < 0) {
        print_diag(&d);
        code = CM_EXIT_INPUT;
    }
    /* Under mpiexec, another rank's failure is this run's (rank 0 says
     * it): one that cannot start stops all before rank 0 writes anything. */
    if (!cmpi_settle(rc < 0, &d)) {
        if (cmpi_sharing())
            eng_distribute = shard_distribute_all; /* every rank a share of every run */
        code = rc ? CM_EXIT_OK : run_command(argc, argv, &d);
    }
    if (cmpi_settle(code != CM_EXIT_OK, &d) && code == CM_EXIT_OK) {
        print_diag(&d);
        code = exit_code(-1, &d);
    }
    return cmpi_end(code);
}

static int run_command(int argc, char **argv, diag *d)
{
    if (argc < 2) {
        usage(stderr);
        return CM_EXIT_INPUT;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        usage(stdout);
        return finish_stdout(CM_EXIT_OK);
    }
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        printf("capmix %s\n", CAPMIX_VERSION);
        return finish_stdout(CM_EXIT_OK);
    }
    /* `capmix help COMMAND` is `capmix COMMAND --help`, followed by the
     * scenario section of that name when there is one (sweep, breakeven);
     * `capmix help TOPIC --example` is the topic's alone */
    if (!strcmp(name, "help") && argc == 3)
        for (const cli_command *c = commands; c->name; c++)
            if (strcmp(c->name, argv[2]) == 0 && c->fn != help_fn) {
                char *hargv[] = {argv[2], "--help", NULL};
                int rc = exit_code(c->fn(2, hargv, d), d);
                for (const char *const *t = help_topic_names(); rc == CM_EXIT_OK && *t; t++)
                    if (!strcmp(*t, argv[2])) {
                        putchar('\n');
                        help_topic(stdout, argv[2], 0);
                    }
                return finish_stdout(rc);
            }
    for (const cli_command *c = commands; c->name; c++) {
        if (strcmp(c->name, name) != 0)
            continue;
        int rc = exit_code(c->fn(argc - 1, argv + 1, d), d);
        if (rc != CM_EXIT_OK && d->kind != DIAG_NONE)
            print_diag(d);
        return finish_stdout(rc);
    }
    const char *names[sizeof commands / sizeof commands[0]];
    size_t n = 0;
    for (const cli_command *c = commands; c->name; c++)
        names[n++] = c->name;
    names[n] = NULL;
    char hint[96] = "";
    diag_hint(hint, sizeof hint, name, names);
    char shown[96];
    fprintf(stderr, "capmix: unknown command '%s'%s\n", txt_term(shown, sizeof shown, name), hint);
    usage(stderr);
    return CM_EXIT_INPUT;
}
