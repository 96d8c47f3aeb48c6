/*
 * help — `capmix help TOPIC`: one page per scenario section and key group
 * (work, people, outcomes, throughput, tokens, oversight, overheads,
 * fixed_bid, stop_loss, decision, correlations, sweep, breakeven, calendar,
 * metrics, ...).
 *
 * The key lists are not written here: each topic names the loader tables
 * it covers (scn_keys, model_keys, the metric and statistic names), so a
 * key added to the loader appears in its help.  Each topic carries a
 * complete example scenario that `capmix validate` accepts (tests/cli/help.sh
 * validates every one).
 */
#ifndef CAPMIX_HELP_H
#define CAPMIX_HELP_H

#include <stdio.h>

/* NULL-terminated list of topic names. */
const char *const *help_topic_names(void);

/* One line per topic ("  NAME  summary"). */
void help_list(FILE *fp);

/* The page of `topic` (text, keys, example); with example_only just the
 * example scenario, ready to save and validate.  Returns 0, or -1 when
 * there is no such topic (nothing printed). */
int help_topic(FILE *fp, const char *topic, int example_only);

#endif
