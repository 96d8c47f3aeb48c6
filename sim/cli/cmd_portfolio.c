/*
 * cmd_portfolio — `capmix portfolio FILE`: which initiatives to fund under
 * one budget envelope, with which option, and the order of cuts
 * (portfolio.h has the method).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "cli.h"
#include "engine.h"
#include "opts.h"
#include "pf_result.h"
#include "portfolio.h"
#include "portfolio_out.h"

typedef struct portfolio_args {
    const char *out, *select;
    unsigned long long trials, seed, threads, check;
    int no_plots, quiet;
} portfolio_args;

static const opt_def portfolio_opts[] = {
    {.name = "out", .letter = 'o', .kind = OPT_DIR, .at = offsetof(portfolio_args, out), .metavar = "DIR",
     .help = "write summary.json, portfolio.log, report.html and the burn\nfan chart there (all or nothing)"},
    {.name = "select", .kind = OPT_STR, .at = offsetof(portfolio_args, select), .metavar = "LIST",
     .help = "evaluate INIT=OPTION,... (OPTION 'none': not funded; an\ninitiative not listed is not funded) "
             "instead of choosing"},
    {.name = "trials", .kind = OPT_U64, .at = offsetof(portfolio_args, trials), .lo = SCN_MIN_TRIALS,
     .hi = SCN_MAX_TRIALS, .metavar = "N", .help = "trials (default: the file's)"},
    {.name = "seed", .kind = OPT_U64, .at = offsetof(portfolio_args, seed), .lo = 0, .hi = INT64_MAX,
     .metavar = "S", .help = "seed (default: the file's)"},
    {.name = "check-trials", .kind = OPT_U64, .at = offsetof(portfolio_args, check), .lo = SCN_MIN_TRIALS,
     .hi = SCN_MAX_TRIALS, .metavar = "N", .help = "trials of the out-of-sample check (default 100000)"},
    {.name = "threads", .kind = OPT_U64, .at = offsetof(portfolio_args, threads), .lo = 1, .hi = 1024,
     .metavar = "N", .help = "worker threads (default: online CPUs); results do not depend on it"},
    {.name = "no-plots", .kind = OPT_FLAG, .at = offsetof(portfolio_args, no_plots), .help = "do not draw the chart"},
    {.name = "quiet", .letter = 'q', .kind = OPT_FLAG, .at = offsetof(portfolio_args, quiet),
     .help = "print nothing on success"},
    {.name = NULL},
};

static const opts_cmd portfolio_cmd = {
    .name = "portfolio",
    .head = "usage: capmix portfolio PORTFOLIO.yaml [-o DIR] [--select INIT=OPTION,...] [options]\n"
            "\n"
            "Several initiatives under one budget: simulate every option of every initiative once\n"
            "on common trials and choose one option per initiative (or none) to maximise the\n"
            "expected value delivered minus blended cost, subject to P(total cost > budget) <=\n"
            "1 - confidence on those trials; then re-check that probability on an independent seed,\n"
            "give the envelope of total cost, the diversification, the burn fan by month, and the\n"
            "order of cuts as the budget shrinks.\n"
            "\n"
            "options:\n",
    .opts = portfolio_opts,
    .width = 25,
    .foot = "\nexit status: 0 ok, 1 runtime failure, 2 bad input or usage\n",
};

/* Refuse a portfolio whose per-trial arrays would not fit (as run and
 * compare do), before it allocates them one initiative after another.
 * Kept for the whole command, at `trials`: each option's cost, gain and
 * month-end spend, each initiative's trial order and the solver's partial
 * sums; beside them, at `check` trials, the out-of-sample check's cost,
 * gain, order and sums; and, while one initiative runs, its engine
 * results (with snapshots in the first simulation, without in the
 * check's).  The message names the larger trial count. */
static int memory_check(const pf_portfolio *p, uint64_t trials, uint64_t check, diag *d)
{
    double kept = 0, run = 0, run_check = 0;
    size_t nopt = 0;
    for (size_t i = 0; i < p->n; i++) {
        const pf_initiative *in = &p->in[i];
        double months = eng_months(in->scn), na = (double)in->scn->nalts;
        kept += (double)trials * ((double)in->nopt * (16 + 8 * months) + 2 * 8) +
                (double)check * ((double)in->nopt * 16 + 2 * 8);
        double r = (double)trials * (na * (ENG_TRIAL_BYTES + ENG_SNAP_BYTES * months) + 3 * 8);
        double rc = (double)check * (na * ENG_TRIAL_BYTES + 3 * 8);
        run = r > run ? r : run;
        run_check = rc > run_check ? rc : run_check;
        nopt += in->nopt;
    }
    uint64_t most = check > trials ? check : trials;
    double per = (kept + (run > run_check ? run : run_check)) / (double)most / (double)(nopt ? nopt : 1);
    return eng_memory_check_need(most, nopt ? nopt : 1, per, check > trials ? "portfolio --check-trials" : "portfolio",
                                 d);
}

static int parse_select(const pf_portfolio *p, const char *arg, int *sel, diag *d)
{
    memset(sel, 0, p->n * sizeof *sel);
    char *copy = strdup(arg);
    if (!copy)
        return diag_runtime(d, "out of memory");
    int rc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            rc = diag_input(d, NULL, 0, 0, "--select: '%s' is not INIT=OPTION", tok);
            break;
        }
        *eq = '\0';
        int i = pf_find(p, tok);
        if (i < 0) {
            const char *names[PF_MAX_INITIATIVES + 1];
            for (size_t k = 0; k < p->n; k++)
                names[k] = p->in[k].name;
            names[p->n] = NULL;
            char hint[128] = "";
            diag_hint(hint, sizeof hint, tok, names);
            rc = diag_input(d, NULL, 0, 0, "--select: unknown initiative '%s'%s", tok, hint);
            break;
        }
        const char *on = eq + 1;
        if (!strcmp(on, "none")) {
            sel[i] = 0;
            continue;
        }
        int found = 0;
        for (size_t o = 0; o < p->in[i].nopt; o++)
            if (!strcmp(pf_option_name(p, (size_t)i, (int)o + 1), on)) {
                sel[i] = (int)o + 1;
                found = 1;
            }
        if (!found) {
            const char *names[65];
            size_t k = 0;
            for (size_t o = 0; o < p->in[i].nopt && k < 63; o++)
                names[k++] = pf_option_name(p, (size_t)i, (int)o + 1);
            names[k++] = "none";
            names[k] = NULL;
            char hint[128] = "";
            diag_hint(hint, sizeof hint, on, names);
            rc = diag_input(d, NULL, 0, 0, "--select: initiative '%s' has no option '%s'%s", tok, on,
                            hint);
        }
    }
    free(copy);
    return rc ? -1 : 0;
}

int cmd_portfolio(int argc, char **argv, diag *d)
{
    portfolio_args pa = {.check = 100000};
    opts_seen seen;
    int prc = opts_parse(&portfolio_cmd, argc, argv, &pa, &seen, d);
    if (prc < 0)
        return -1;
    if (prc > 0) {
        opts_help(stdout, &portfolio_cmd);
        return CM_EXIT_OK;
    }
    const char *out = pa.out, *select = pa.select;
    unsigned long long trials = pa.trials, seed = pa.seed, threads = pa.threads, check = pa.check;
    int have_seed = opts_given(&portfolio_cmd, &seen, "seed"), quiet = pa.quiet, plots = !pa.no_plots;
    if (seen.first != argc - 1) {
        diag_input(d, NULL, 0, 0, "portfolio: give one portfolio file (capmix portfolio --help)");
        return -1;
    }
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned long long)n : 1;
    }
    pf_portfolio *p;
    if (pf_load(argv[seen.first], &p, d))
        return -1;
    if (trials)
        p->trials = trials;
    if (have_seed)
        p->seed = seed;
    int given[PF_MAX_INITIATIVES];
    if (memory_check(p, p->trials, check, d) || (select && parse_select(p, select, given, d))) {
        pf_free(p);
        return -1;
    }
    pf_sim *s = NULL;
    pf_result *R = calloc(1, sizeof *R);
    int rc = -1;
    if (!R) {
        diag_runtime(d, "out of memory");
        goto out;
    }
    if (cli_out_check(out, d) || pf_simulate(p, p->seed, p->trials, (int)threads, &s, d))
        goto out;
    if (s->part) { /* under MPI, rank 0 alone chooses, prints and writes */
        rc = pf_result_assist(p, s, (int)threads, check, d) ? -1 : CM_EXIT_OK;
        goto out;
    }
    int must[PF_MAX_INITIATIVES];
    unsigned long long excl[PF_MAX_INITIATIVES];
    pf_problem pb;
    pf_problem_of(p, s, must, excl, &pb);
    R->p = p;
    R->s = s;
    R->pb = &pb;
    R->chosen = select == NULL;
    snprintf(R->currency, sizeof R->currency, "%s", p->in[0].scn->currency);
    if (pf_result_compute(R, select ? given : NULL, (int)threads, check, d))
        goto out;
    pf_result_answer(R);
    if (out && pfo_write_folder(out, R, plots, d))
        goto out; /* main maps a signal to its exit status */
    if (!quiet) {
        pfo_print(stdout, R);
        if (out)
            printf("\nwrote %s/summary.json, portfolio.log, report.html\n", out);
    }
    rc = CM_EXIT_OK;
out:
    pf_result_release(R);
    free(R);
    pf_sim_free(s);
    pf_free(p);
    return rc;
}
