/*
 * cmd_envelope — `capmix envelope SCENARIO`: size a budget envelope, test
 * stop-loss rules, review actuals.  The pipeline is run's (runpipe.c)
 * with month-end snapshots always kept.
 */
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "param.h"
#include "runcmd.h"

int env_opt_confidence(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                       diag *d)
{
    (void)c, (void)o, (void)extra;
    double *conf = dst;
    if (opts_double("--confidence", arg, 0, 1, conf, NULL) || *conf <= 0 || *conf >= 1)
        return diag_input(d, NULL, 0, 0, "--confidence needs a number between 0 and 1 (e.g. 0.9), not '%s'",
                          arg);
    return 0;
}

/* --actuals spent=410000,accepted=7 */
static int parse_actuals(const char *arg, double *spent, double *accepted, diag *d)
{
    char buf[256];
    int have_s = 0, have_a = 0;
    if (strlen(arg) >= sizeof buf)
        return diag_input(d, NULL, 0, 0, "--actuals is too long");
    strcpy(buf, arg);
    char *save = NULL;
    for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq)
            return diag_input(d, NULL, 0, 0, "--actuals needs spent=AMOUNT,accepted=COUNT, not '%s'", arg);
        *eq = '\0';
        const char *v = eq + 1;
        double x;
        if (prm_decimal(v, &x) || x < 0)
            return diag_input(d, NULL, 0, 0, "--actuals: '%s' is not a non-negative number", v);
        if (!strcmp(kv, "spent")) {
            if (have_s++)
                return diag_input(d, NULL, 0, 0, "--actuals gives 'spent' twice");
            *spent = x;
        } else if (!strcmp(kv, "accepted")) {
            if (have_a++)
                return diag_input(d, NULL, 0, 0, "--actuals gives 'accepted' twice");
            *accepted = x;
        } else {
            return diag_input(d, NULL, 0, 0, "--actuals: unknown field '%s' (spent, accepted)", kv);
        }
    }
    if (!have_s || !have_a)
        return diag_input(d, NULL, 0, 0, "--actuals needs both spent= and accepted=");
    return 0;
}

int env_opt_actuals(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                    diag *d)
{
    (void)c, (void)o, (void)extra;
    run_request *rq = dst;
    return parse_actuals(arg, &rq->spent, &rq->accepted, d);
}

static const opt_def envelope_opts[] = {
    ENVELOPE_ROWS(NULL),
    RUN_ROWS(RUN_HELP_HIDDEN, "run"),
    BID_ROWS("bid"),
    {.name = NULL},
};

const opts_cmd envelope_cmd = {
    .name = "envelope",
    .head = "usage: capmix envelope SCENARIO.yaml [-o DIR] [--confidence C] [--month M --actuals spent=S,accepted=A]\n"
            "\n"
            "Size a budget envelope and test stop-loss rules decided in advance.  Per alternative:\n"
            "the envelope at P80/P90/P95 of total and of blended cost with 90% intervals, the month\n"
            "by month burn fan, and for each stop_loss rule of the scenario: P(stop), the month it\n"
            "usually fires, expected spend with and without it, the loss it avoids where it stops,\n"
            "and its false stops.  With --month and --actuals, the monthly review: the trials whose\n"
            "month-M state matches the actuals forecast the rest: continue, increase, cut or\n"
            "transfer the risk.\n"
            "\n"
            "options:\n",
    .opts = envelope_opts,
    .width = 30,
    .foot = "  plus every option of 'capmix run'\n",
    .flags = OPTS_SEE,
};

int cmd_envelope(int argc, char **argv, diag *d)
{
    return run_pipeline(&envelope_cmd, MODE_ENVELOPE, argc, argv, NULL, d);
}
