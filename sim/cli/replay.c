/*
 * replay — run a finished run again from its summary.json (`run --replay`,
 * `capmix report`), see runcmd.h.  The recorded arguments were chosen by
 * the option table (OPT_RECORDED rows, opts_recorded); here they are run
 * again on the recorded scenario's very bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "cli.h"
#include "jsonread.h"
#include "runcmd.h"
#include "digest.h"
#include "readfile.h"
#include "yamltree.h"

/* A summary.json, whole and NUL-terminated (the comparison reads it as a
 * string). */
static char *slurp(const char *path, size_t *len, diag *d)
{
    char *buf;
    int e;
    switch (rf_load(path, (size_t)YT_MAX_FILE_BYTES * 16, &buf, len, &e)) {
    case RF_OK:
        return buf;
    case RF_OPEN:
        diag_input(d, path, 0, 0, "cannot open '%s': %s", path, strerror(e));
        break;
    case RF_READ:
    case RF_TOO_LARGE:
        diag_input(d, path, 0, 0, "cannot read '%s' (too large, or not a file)", path);
        break;
    case RF_NOMEM:
        diag_runtime(d, "out of memory");
        break;
    }
    return NULL;
}

/* The next line of a summary.json from p, skipping "scenario_path": where
 * the scenario was read is provenance, not a result, and summaries written
 * before it was recorded have no such line. */
static const char *next_result_line(const char *p)
{
    while (p && *p) {
        const char *e = strchr(p, '\n');
        const char *k = strstr(p, "\"scenario_path\"");
        if (!k || (e && k > e))
            return p;
        p = e ? e + 1 : NULL;
    }
    return p && *p ? p : NULL;
}

/* summary.json without the lines that may differ between two runs of the
 * same thing (timing, thread count, where the scenario was read), for
 * comparison. */
static int same_results(const char *a, const char *b)
{
    for (;;) {
        a = next_result_line(a);
        b = next_result_line(b);
        if (!a || !b)
            return !a && !b;
        const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
        size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
        int skip = (strstr(a, "\"elapsed_seconds\"") && strstr(a, "\"elapsed_seconds\"") < a + la) ||
                   (strstr(a, "\"threads\"") && strstr(a, "\"threads\"") < a + la);
        if (!skip && (la != lb || memcmp(a, b, la)))
            return 0;
        if (!ea || !eb)
            return !ea && !eb;
        a = ea + 1;
        b = eb + 1;
    }
}

/* The recorded scenario, read once: only a regular file (a FIFO or a
 * device cannot be read again and would block), at most the loader's
 * limit.  Returns the bytes (malloc'd) or NULL with d set. */
static char *read_recorded(const char *path, size_t *len, diag *d)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    if (fd < 0) {
        diag_input(d, path, 0, 0, "cannot open the recorded scenario '%s': %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        diag_input(d, path, 0, 0, "the recorded scenario '%s' is not a regular file: it cannot be read again",
                   path);
        return NULL;
    }
    char *buf = malloc(YT_MAX_FILE_BYTES + 1);
    size_t n = 0;
    while (buf && n <= YT_MAX_FILE_BYTES) {
        ssize_t k = read(fd, buf + n, YT_MAX_FILE_BYTES + 1 - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            free(buf);
            close(fd);
            diag_runtime(d, "cannot read '%s': %s", path, strerror(e));
            return NULL;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    if (!buf) {
        diag_runtime(d, "out of memory");
        return NULL;
    }
    if (n > YT_MAX_FILE_BYTES) {
        free(buf);
        diag_input(d, path, 0, 0, "'%s' is larger than %u bytes: not a scenario", path, YT_MAX_FILE_BYTES);
        return NULL;
    }
    *len = n;
    return buf;
}

/*
 * Re-run a finished run from its summary.json: the recorded command and
 * arguments on the recorded scenario, whose SHA-256 must still match.
 * The scenario is read once, from the absolute path the run recorded
 * (scenario_path; summaries without it: scenario_file, relative to the
 * working directory), digested, and those very bytes are run: the path in
 * the recorded arguments is never opened, so a tampered summary.json
 * cannot check one file and run another.  An argument list that would
 * replay again (--replay) or do anything but run (--help) is refused.
 * With out_dir NULL (run --replay) the results go to a temporary folder,
 * removed on every path, and are compared with the original; otherwise
 * (capmix report DIR) they replace out_dir, rebuilding its report.
 */
int replay_run(const char *summary, const char *out_dir, int threads, int quiet, diag *d)
{
    size_t len;
    char *text = slurp(summary, &len, d);
    if (!text)
        return -1;
    jr_value *j = jr_parse(summary, text, len, d);
    const jr_value *man = jr_get(j, "manifest"), *cmdv = jr_get(man, "command"),
                   *args = jr_get(man, "arguments"), *sha = jr_get(j, "input_sha256"),
                   *file = jr_get(j, "scenario_file"), *abs = jr_get(j, "scenario_path");
    int rc = -1;
    char **argv = NULL, *scen = NULL, *legacy = NULL;
    char tmp[1024] = "", dir_buf[1100];
    if (!j || !cmdv || cmdv->kind != JR_STR || !args || args->kind != JR_ARR || !sha ||
        sha->kind != JR_STR || !file || file->kind != JR_STR || (abs && abs->kind != JR_STR && abs->kind != JR_NULL)) {
        if (j)
            diag_input(d, summary, 0, 0, "'%s' is not a capmix summary.json with a replayable manifest", summary);
        goto out;
    }
    /* Another release may draw other random numbers (0.2.0 gave each
     * per-pass quantity its own stream, model §18.1): its figures cannot be
     * reproduced here, and a report rebuilt from them would print figures
     * the summary does not hold.  A summary without the key is refused the
     * same way, as of an unknown release. */
    const jr_value *ver = jr_get(j, "capmix");
    if (!ver || ver->kind != JR_STR || strcmp(ver->str, CAPMIX_VERSION)) {
        diag_input(d, summary, 0, 0,
                   "written by capmix %s; this is capmix %s, whose random streams differ, so its figures "
                   "cannot be reproduced: replay it with the capmix that wrote it, or run the scenario afresh",
                   ver && ver->kind == JR_STR ? ver->str : "(unknown version)", CAPMIX_VERSION);
        goto out;
    }
    run_mode mode;
    const opts_cmd *table;
    if (!strcmp(cmdv->str, "bid"))
        mode = MODE_BID, table = &bid_cmd;
    else if (!strcmp(cmdv->str, "envelope"))
        mode = MODE_ENVELOPE, table = &envelope_cmd;
    else if (!strcmp(cmdv->str, "run"))
        mode = MODE_RUN, table = &run_cmd;
    else {
        diag_input(d, summary, 0, 0, "manifest.command must be run, bid or envelope, not '%s'", cmdv->str);
        goto out;
    }
    /* every argument is checked before anything is created */
    for (size_t i = 0; i < args->n; i++) {
        if (args->items[i].kind != JR_STR) {
            diag_input(d, summary, 0, 0, "'%s': manifest.arguments must be strings", summary);
            goto out;
        }
    }
    const char *from = abs && abs->kind == JR_STR ? abs->str : file->str;
    size_t flen = 0;
    scen = read_recorded(from, &flen, d);
    if (!scen)
        goto out;
    char hex[65];
    if (digest_sha256_hex(scen, flen, hex)) {
        diag_runtime(d, "cannot compute the SHA-256 of '%s'", from);
        goto out;
    }
    if (strcmp(hex, sha->str)) {
        diag_input(d, from, 0, 0, "the scenario changed since the run (SHA-256 %.12s, the run had %.12s)",
                   hex, sha->str);
        goto out;
    }
    const char *dir = out_dir;
    if (!dir) {
        const char *td = getenv("TMPDIR");
        snprintf(tmp, sizeof tmp, "%s/capmix-replay.XXXXXX", td && *td == '/' && strlen(td) < 900 ? td : "/tmp");
        if (!mkdtemp(tmp)) {
            diag_runtime(d, "cannot create a temporary folder: %s", strerror(errno));
            tmp[0] = '\0';
            rc = -1;
            goto out;
        }
        /* a folder inside: the output set is built beside it, so the
         * whole replay stays under tmp */
        snprintf(dir_buf, sizeof dir_buf, "%s/out", tmp);
        dir = dir_buf;
    }
    char thr[32];
    snprintf(thr, sizeof thr, "%d", threads > 0 ? threads : 0);
    argv = calloc(args->n + 8, sizeof *argv);
    if (!argv) {
        diag_runtime(d, "out of memory");
        rc = -1;
        goto out;
    }
    int ac = 0;
    argv[ac++] = (char *)cmdv->str;
    for (size_t i = 0; i < args->n; i++)
        argv[ac++] = args->items[i].str;
    argv[ac++] = "-o";
    argv[ac++] = (char *)dir;
    if (!out_dir)
        argv[ac++] = "--no-plots"; /* a comparison needs no pictures; a report does */
    argv[ac++] = "-q";
    if (threads > 0) {
        argv[ac++] = "--threads";
        argv[ac++] = thr;
    }
    /* a summary from before scenario_path gets it now (a rebuilt report
     * then replays from anywhere) */
    legacy = abs && abs->kind == JR_STR ? NULL : realpath(from, NULL);
    preloaded pre = {summary, file->str, legacy ? legacy : abs && abs->kind == JR_STR ? abs->str : NULL,
                     scen, flen};
    rc = run_pipeline(table, mode, ac, argv, &pre, d);
    if (rc == CM_EXIT_OK && !out_dir) {
        char path[1200];
        snprintf(path, sizeof path, "%s/summary.json", dir);
        size_t nlen;
        char *again = slurp(path, &nlen, d);
        if (!again) {
            rc = -1;
        } else if (!same_results(text, again)) {
            diag_runtime(d, "replay of '%s' differs from the recorded results", summary);
            rc = -1;
        } else if (!quiet) {
            printf("replay: %s %s reproduced '%s' byte for byte (timing and thread count aside)\n",
                   cmdv->str, file->str, summary);
        }
        free(again);
    }
out:
    if (tmp[0])
        atomic_rmtree(tmp);
    free(argv);
    free(scen);
    free(legacy);
    jr_free(j);
    free(text);
    return rc;
}

