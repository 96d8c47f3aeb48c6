/*
 * shardfiles — the shard files a `capmix merge` argument names
 * (shardfiles.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shard.h"
#include "shardfiles.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && !strcmp(s + n - k, suffix);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append the shard files of `arg` (a folder's, or the file itself). */
int shard_collect(const char *arg, char ***files, size_t *n, size_t *cap, diag *d)
{
    struct stat st;
    if (stat(arg, &st))
        return diag_input(d, NULL, 0, 0, "merge: cannot open '%s': %s", arg, strerror(errno));
    DIR *dp = S_ISDIR(st.st_mode) ? opendir(arg) : NULL;
    if (S_ISDIR(st.st_mode) && !dp)
        return diag_input(d, NULL, 0, 0, "merge: cannot read folder '%s': %s", arg, strerror(errno));
    size_t before = *n;
    struct dirent *e;
    for (;;) {
        const char *name = arg;
        if (dp) {
            if (!(e = readdir(dp)))
                break;
            if (!ends_with(e->d_name, SHARD_SUFFIX) || e->d_name[0] == '.')
                continue;
            name = e->d_name;
        }
        if (*n == *cap) {
            size_t nc = *cap ? 2 * *cap : 16;
            char **p = realloc(*files, nc * sizeof *p);
            if (!p)
                goto oom;
            *files = p;
            *cap = nc;
        }
        size_t len = strlen(arg) + strlen(name) + 2;
        char *path = malloc(len);
        if (!path)
            goto oom;
        if (dp)
            snprintf(path, len, "%s/%s", arg, name);
        else
            snprintf(path, len, "%s", arg);
        (*files)[(*n)++] = path;
        if (!dp)
            break;
    }
    if (dp)
        closedir(dp);
    if (*n == before)
        return diag_input(d, NULL, 0, 0, "merge: no *" SHARD_SUFFIX " file in '%s'", arg);
    qsort(*files + before, *n - before, sizeof **files, by_name);
    return 0;
oom:
    if (dp)
        closedir(dp);
    return diag_runtime(d, "out of memory");
}
