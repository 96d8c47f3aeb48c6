/*
 * cmd_help — `capmix help`: the kinds of capacity source, the scenario
 * topics (help.h) and the commands; `capmix help KIND` a kind's keys;
 * `capmix help TOPIC [--example]` a topic's page.  `capmix help COMMAND`
 * is answered by main from its table.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "help.h"
#include "models.h"
#include "opts.h"

typedef struct help_args {
    int example;
} help_args;

static const opt_def help_opts[] = {
    {.name = "example", .kind = OPT_FLAG, .at = offsetof(help_args, example),
     .help = "with a TOPIC: its example scenario alone, ready to save and validate"},
    {.name = "help", .letter = 'h', .kind = OPT_HELP, .help = "this help"},
    {.name = NULL},
};

static const opts_cmd help_cmd = {
    .name = "help",
    .head = "usage: capmix help [COMMAND|TOPIC|KIND] [--example]\n"
            "\n"
            "Without an argument, list the kinds of capacity source, the scenario topics and the\n"
            "commands.  With one: a command's options, a topic's page (keys and an example\n"
            "scenario), or a kind's keys.\n"
            "\n"
            "options:\n",
    .opts = help_opts,
    .width = 18,
    .flags = OPTS_SEE,
};

int cmd_help(const cli_command *commands, int argc, char **argv, diag *d)
{
    help_args ha = {0};
    opts_seen seen;
    int prc = opts_parse(&help_cmd, argc, argv, &ha, &seen, d);
    if (prc)
        return prc < 0 ? -1 : (opts_help(stdout, &help_cmd), CM_EXIT_OK);
    if (argc - seen.first < 1) {
        printf("capmix kinds of capacity source (capmix help KIND for one):\n");
        for (size_t i = 0; model_kinds[i].name; i++)
            printf("  %-20s %s\n", model_kinds[i].name, model_kinds[i].summary);
        printf("\nscenario topics (capmix help TOPIC; capmix help TOPIC --example for a scenario):\n");
        help_list(stdout);
        printf("\ncommands (capmix help COMMAND, or capmix COMMAND --help, for its options):\n");
        for (const cli_command *c = commands; c->name; c++)
            printf("  %-10s %s\n  %-10s capmix %s\n", c->name, c->summary, "", c->usage);
        return CM_EXIT_OK;
    }
    if (argc - seen.first > 1)
        return diag_input(d, NULL, 0, 0, "help: unexpected argument '%s' (only --example)", argv[argc - 1]);
    int example = ha.example;
    argv += seen.first - 1; /* argv[1]: the one name */
    if (help_topic(stdout, argv[1], example) == 0)
        return CM_EXIT_OK;
    const model_kind *k = model_find(argv[1]);
    if (!k) {
        char hint[96] = "";
        diag_hint(hint, sizeof hint, argv[1], model_kind_names());
        if (!hint[0])
            diag_hint(hint, sizeof hint, argv[1], help_topic_names());
        if (!hint[0]) {
            const char *cmds[64];
            size_t n = 0;
            for (const cli_command *c = commands; c->name && n + 1 < sizeof cmds / sizeof cmds[0]; c++)
                cmds[n++] = c->name;
            cmds[n] = NULL;
            diag_hint(hint, sizeof hint, argv[1], cmds);
        }
        return diag_input(d, NULL, 0, 0, "help: unknown kind '%s'%s", argv[1], hint);
    }
    printf("%s — %s\n\n%s\n\nrequired:", k->name, k->summary, k->help);
    char need[160];
    for (size_t i = 0; i < MODEL_MAX_NEEDS && k->required[i][0][0]; i++)
        printf("%s %s", i ? "," : "", model_need_describe(&k->required[i], 1, need, sizeof need));
    printf("   ('a|b': one of them; 'a+b': both)\npay keys:");
    for (size_t i = 0; i < MODEL_MAX_PAY && k->pay_keys[i]; i++)
        printf(" %s", model_key_table[k->pay_keys[i]].name);
    printf("\ncommon keys:");
    for (model_key_id id = model_section_first(MS_SOURCE); model_key_table[id].name; id++)
        if (model_key_table[id].scope == KS_ALL)
            printf(" %s", model_key_table[id].name);
    printf("\n");
    return CM_EXIT_OK;
}
