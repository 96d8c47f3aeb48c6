/*
 * main — the command table, dispatch and exit codes.  The only place
 * that prints an error and decides how the process ends.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "diag.h"
#include "engine.h"
#include "cmpi.h"
#include "shard.h"

typedef struct command {
    const char *name;
    cli_fn fn;
    const char *summary;
} command;

static const command commands[] = {
    {"run", cmd_run, "simulate a scenario and report what each alternative really costs"},
    {"validate", cmd_validate, "check a scenario file and print what capmix understood"},
    {"envelope", cmd_envelope, "size a budget envelope, test stop-loss rules, review actuals"},
    {"bid", cmd_bid, "weigh a partner's fixed bid against doing the work: risk premium, break-even price"},
    {"sweep", cmd_sweep, "a metric of every alternative along one parameter, crossings solved"},
    {"breakeven", cmd_breakeven, "the curve in two parameters where two alternatives are equal"},
    {"tornado", cmd_tornado, "rank an alternative's uncertain inputs by their swing on a statistic"},
    {"merge", cmd_merge, "report a run from the shard files of 'run --shard I/N'"},
    {"report", cmd_report, "rebuild a finished run's report.html from its summary.json"},
    {"calibrate", cmd_calibrate, "scenario source entries from ticket exports and invoices"},
    {"init", cmd_init, "write a commented starter scenario"},
    {"help", cmd_help, "help on a command or a capacity-source kind"},
    {NULL, NULL, NULL},
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: capmix COMMAND [OPTIONS] ...\n\n"
                "Monte Carlo costs of capacity mixes per accepted production outcome.\n\n"
                "commands:\n");
    for (const command *c = commands; c->name; c++)
        fprintf(fp, "  %-10s %s\n", c->name, c->summary);
    fprintf(fp, "\n'capmix COMMAND --help' for a command's options; 'capmix help KIND' for a kind.\n"
                "exit status: 0 ok, 1 runtime failure, 2 bad input or usage, 130 interrupted\n");
}

/* Echo the offending line of the file with a caret under the column. */
static void echo_line(const diag *d)
{
    if (!d->file[0] || d->line <= 0)
        return;
    FILE *fp = fopen(d->file, "rb");
    if (!fp)
        return;
    char buf[512];
    int line = 1;
    while (line < d->line && fgets(buf, sizeof buf, fp))
        if (strchr(buf, '\n'))
            line++;
    if (line == d->line && fgets(buf, sizeof buf, fp)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        for (char *p = buf; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = ' ';
        fprintf(stderr, "    %s\n    %*s^\n", buf, d->col > 1 ? d->col - 1 : 0, "");
    }
    fclose(fp);
}

static void print_diag(const diag *d)
{
    if (d->file[0] && d->line > 0)
        fprintf(stderr, "capmix: %s:%d:%d: %s\n", d->file, d->line, d->col, d->msg);
    else if (d->file[0])
        fprintf(stderr, "capmix: %s: %s\n", d->file, d->msg);
    else
        fprintf(stderr, "capmix: %s\n", d->msg);
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

static int run_command(int argc, char **argv);

int main(int argc, char **argv)
{
    /* GSL's default handler aborts the process; capmix checks statuses. */
    gsl_set_error_handler_off();
    diag d;
    diag_clear(&d);
    int rc = cmpi_start(&argc, &argv, &d);
    if (rc < 0) {
        print_diag(&d);
        return cmpi_end(CM_EXIT_INPUT);
    }
    if (cmpi_sharing())
        eng_distribute = shard_distribute_all; /* every rank a share of every run */
    return cmpi_end(rc ? CM_EXIT_OK : run_command(argc, argv));
}

static int run_command(int argc, char **argv)
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
    /* `capmix help COMMAND` is `capmix COMMAND --help` */
    if (!strcmp(name, "help") && argc >= 3)
        for (const command *c = commands; c->name; c++)
            if (strcmp(c->name, argv[2]) == 0 && c->fn != cmd_help) {
                char *hargv[] = {argv[2], "--help", NULL};
                diag d;
                diag_clear(&d);
                return finish_stdout(c->fn(2, hargv, &d));
            }
    for (const command *c = commands; c->name; c++) {
        if (strcmp(c->name, name) != 0)
            continue;
        diag d;
        diag_clear(&d);
        int rc = c->fn(argc - 1, argv + 1, &d);
        if (rc != CM_EXIT_OK && d.kind != DIAG_NONE)
            print_diag(&d);
        return finish_stdout(rc);
    }
    const char *names[sizeof commands / sizeof commands[0]];
    size_t n = 0;
    for (const command *c = commands; c->name; c++)
        names[n++] = c->name;
    names[n] = NULL;
    char hint[96] = "";
    diag_hint(hint, sizeof hint, name, names);
    fprintf(stderr, "capmix: unknown command '%s'%s\n", name, hint);
    usage(stderr);
    return CM_EXIT_INPUT;
}
