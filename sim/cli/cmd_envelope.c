/*
 * cmd_envelope — `capmix envelope SCENARIO`: size a budget envelope, test
 * stop-loss rules, review actuals.  The pipeline is run's (runpipe.c)
 * with month-end snapshots always kept.
 */
#include <math.h>
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

/* --actuals spent=410000,accepted=7[,rework=3,superseded=1] */
static int parse_actuals(const char *arg, run_request *rq, diag *d)
{
    static const char *const field[] = {"spent", "accepted", "rework", "superseded"};
    double *dst[4] = {&rq->spent, &rq->accepted, &rq->rework, &rq->superseded};
    int have[4] = {0};
    char buf[256];
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
        int k = 0;
        while (k < 4 && strcmp(kv, field[k]))
            k++;
        if (k == 4) {
            char hint[96] = "";
            diag_hint(hint, sizeof hint, kv, (const char *const[]){"spent", "accepted", "rework", "superseded", NULL});
            return diag_input(d, NULL, 0, 0, "--actuals: unknown field '%s'%s (spent, accepted, rework, superseded)",
                              kv, hint);
        }
        if (have[k]++)
            return diag_input(d, NULL, 0, 0, "--actuals gives '%s' twice", field[k]);
        if (k > 0 && x != floor(x))
            return diag_input(d, NULL, 0, 0, "--actuals: %s=%s is not a whole number", field[k], v);
        *dst[k] = x;
    }
    if (!have[0] || !have[1])
        return diag_input(d, NULL, 0, 0, "--actuals needs both spent= and accepted=");
    return 0;
}

int env_opt_actuals(const opts_cmd *c, const opt_def *o, const char *arg, const char *extra, void *dst,
                    diag *d)
{
    (void)c, (void)o, (void)extra;
    return parse_actuals(arg, dst, d);
}

static const opt_def envelope_opts[] = {
    ENVELOPE_ROWS(NULL),
    RUN_ROWS(RUN_HELP_HIDDEN, "run"),
    BID_ROWS("bid"),
    {.name = NULL},
};

const opts_cmd envelope_cmd = {
    .name = "envelope",
    .head = "usage: capmix envelope SCENARIO.yaml [-o DIR] [--confidence C]\n"
            "                       [--month M --actuals spent=S,accepted=A [--alternative NAME]]\n"
            "\n"
            "Size a budget envelope and test stop-loss rules decided in advance.  Per alternative:\n"
            "the envelope at P80/P90/P95 of total and of blended cost with 90% intervals, the month\n"
            "by month burn fan, and for each stop_loss rule of the scenario: P(stop), the month it\n"
            "usually fires, expected spend with and without it, the loss it avoids where it stops,\n"
            "and its false stops.  With --month and --actuals, the monthly review of the running\n"
            "alternative (--alternative, default the baseline): the rest re-forecast from the\n"
            "actuals as 'capmix track' does, and the advice: continue, increase, cut or transfer\n"
            "the risk.  For a month-by-month ledger, cost lines and the forecast cone, use track.\n"
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
