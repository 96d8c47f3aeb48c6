/*
 * distparse — a scenario's uncertain quantities read from YAML (model §1).
 *
 * Forms (YAML):   42
 *   {dist: uniform, min, max}           {dist: triangular, min, mode, max}
 *   {dist: pert, min, mode, max, lambda: 4}
 *   {dist: normal, mean, sd, min?, max?}  (truncated by resampling)
 *   {dist: lognormal, median, p90} | {mu, sigma} | {mean, sd}
 *   {dist: gamma, shape, scale} | {mean, sd}
 *   {dist: beta, alpha, beta}
 *   {dist: discrete, values: [...], weights: [...]}
 *   {dist: empirical, values: [...]}     (bootstrap)
 *
 * Every parameter is validated here, against its form and against the
 * domain of the key it sits under, so that sampling (sim/base/dist.h)
 * never meets an invalid parameter.
 *
 * Ownership: dist_parse fills a caller-provided struct that may own heap
 * memory (discrete/empirical tables); release it with dist_release.
 */
#ifndef CAPMIX_DISTPARSE_H
#define CAPMIX_DISTPARSE_H

#include "diag.h"
#include "dist.h"
#include "yamltree.h"

/*
 * Parse node `n` (a number or a {dist: ...} mapping) as a quantity for key
 * `what`, in domain `dom`.  Errors name the key and parameter, e.g.
 *   "'review_wait_days': p90 (3) must exceed median (5)"
 *   "'hourly_rate': a normal can go negative here; add 'min: 0' to truncate it"
 *   "unknown key 'modee' in 'review_wait_days' (did you mean 'mode'?)"
 * Returns 0, or -1 with d set; on failure *out owns nothing.
 */
int dist_parse(const yt_doc *doc, const yt_node *n, const char *what, dist_domain dom, dist *out,
               diag *d);

#endif
