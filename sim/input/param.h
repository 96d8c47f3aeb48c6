/*
 * param — parameter paths into a scenario, for sweeps and break-even
 * curves (issue: sweeps).
 *
 *   ALTERNATIVE/SOURCE.key[.subkey...]   a source's value or dist parameter
 *                                        (offshore/pod.hourly_rate,
 *                                        ai-team/team.tokens.monthly,
 *                                        offshore/pod.review_wait_days.mode)
 *   ALTERNATIVE.key[...]                 fixed_bid.price, overheads.NAME.monthly_cost
 *   work.* | people.* | calendar.* | decision.*
 *
 * A path ends at a number, or at a whole {dist: ...} (which the swept value
 * replaces with a constant).  Paths are resolved in the parsed YAML
 * document, and the scenario is re-read after each change, so every value
 * a sweep sets is validated like one written in the file.
 *
 * Metrics are addressed as METRIC.STAT: cost_total.mean,
 * cost_per_outcome.p50, blended_cost.p90, delivery_day.cvar95, ...
 */
#ifndef CAPMIX_PARAM_H
#define CAPMIX_PARAM_H

#include "diag.h"
#include "metrics.h"
#include "stats.h"
#include "yamltree.h"

#define PRM_PATH_MAX 256

/* A whole decimal number from the command line (no hex, inf or nan),
 * finite.  Returns 0 or -1. */
int prm_decimal(const char *s, double *out);

/* PATH=LO:HI[:N] from the command line or the scenario. */
typedef struct prm_spec {
    char path[PRM_PATH_MAX];
    double lo, hi;
    int n;              /* grid points; 0 when only a range was given */
} prm_spec;

/* Parse "PATH=LO:HI:N" (need_n) or "PATH=LO:HI".  `opt` names the option
 * or key in messages.  Returns 0 or -1 with an input diag. */
int prm_parse_spec(const char *arg, const char *opt, int need_n, prm_spec *out, diag *d);

/* The node a path names in doc, or NULL with an input diag that lists the
 * valid names where the path went wrong. */
yt_node *prm_resolve(const yt_doc *doc, const char *path, diag *d);

/* Give the node the value v (as a plain decimal scalar). */
int prm_set(yt_doc *doc, yt_node *n, double v, diag *d);

/* Statistics addressable after the metric name. */
typedef enum {
    PS_MEAN, PS_SD, PS_MIN, PS_P5, PS_P10, PS_P25, PS_P50, PS_P75, PS_P90, PS_P95, PS_MAX,
    PS_CVAR95, PS_COUNT
} prm_stat;

/* Parse METRIC.STAT. */
int prm_parse_metric(const char *s, eng_metric *m, prm_stat *st, diag *d);

/* The statistic's value in a summary, and its quantile level (NaN for
 * mean, sd, cvar95). */
double prm_stat_value(const stats_summary *s, prm_stat st);
double prm_stat_quantile(prm_stat st);
const char *prm_stat_name(prm_stat st);

#endif
