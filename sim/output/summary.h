/*
 * summary — the machine-readable outputs of a run, written from a built
 * report (report.h): summary.json, the document every later command reads
 * back (report, replay, backtest, merge), and trials.csv, one row per
 * trial for auditors.
 *
 * summary.json's bytes are a contract: the same report gives the same
 * bytes (json.h's number format), tests/golden pins them for every shipped
 * scenario, and `run --replay` compares them byte for byte.
 */
#ifndef CAPMIX_SUMMARY_H
#define CAPMIX_SUMMARY_H

#include <stdio.h>
#include "report.h"

/* summary.json.  `extra`, when non-NULL, writes further top-level
 * key/value pairs (e.g. the "bid" section) before the manifest.  Returns 0,
 * or -1 if a write failed. */
struct json_writer;
typedef void (*report_json_extra)(struct json_writer *w, const void *ctx);
int report_json(FILE *fp, const report *rep, report_json_extra extra, const void *ctx);

/* trials.csv: one row per trial and alternative.  Returns 0 or -1. */
int report_trials_csv(FILE *fp, const report *rep);

#endif
