/*
 * atomic — all-or-nothing output files (see atomic.h for the contract).
 *
 * The temporary is created by mkstemp(3) next to the target, so rename(2)
 * never crosses a file system and readers see either the old target or the
 * complete new one.  mkstemp creates mode 0600; the final file should look
 * like one made by fopen(path, "w"), i.e. 0666 & ~umask, so we fchmod the
 * temporary before anything is written to it.
 *
 * Reading the umask: POSIX offers only umask(2), which must *set* a mask
 * to read the old one, and a thread creating a file in that window gets
 * the wrong mode.  So the mask is read once per process (pthread_once),
 * from /proc/self/status where the kernel provides it (Linux >= 4.7, no
 * window at all), else by the umask(0)/umask(old) pair.  capmix never
 * changes its umask after start-up, so one read is enough.
 *
 * A set of files (atomic_commit_all) cannot be renamed in one step, so it
 * is made all-or-nothing by undo rather than by atomicity: a hard link to
 * each replaced target is the undo record, which costs no data blocks and
 * works on any POSIX file system with links (tests/faults/run.sh fails
 * every rename in turn to check the undo; docs/testing.md).
 */
#include "atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static mode_t file_mode = 0644; /* overwritten by init_file_mode */
static pthread_once_t file_mode_once = PTHREAD_ONCE_INIT;

static int umask_from_proc(mode_t *out)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    int found = 0;
    if (!fp)
        return -1;
    while (!found && fgets(line, sizeof line, fp)) {
        if (strncmp(line, "Umask:", 6) == 0) {
            char *end;
            unsigned long m = strtoul(line + 6, &end, 8);
            if (end != line + 6 && m <= 0777) {
                *out = (mode_t)m;
                found = 1;
            }
        }
    }
    fclose(fp);
    return found ? 0 : -1;
}

static void init_file_mode(void)
{
    mode_t mask;
    if (umask_from_proc(&mask) != 0) {
        mask = umask(0);
        umask(mask);
    }
    file_mode = 0666 & ~mask;
}

mode_t atomic_file_mode(void)
{
    pthread_once(&file_mode_once, init_file_mode);
    return file_mode;
}

/* Split `path` at its last '/': the temporary must share the directory. */
static int make_tmp_name(atomic_file *f, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    int n = snprintf(f->tmp, sizeof f->tmp, "%.*s.%s.tmp.XXXXXX", dirlen, path, base);
    return n > 0 && (size_t)n < sizeof f->tmp ? 0 : -1;
}

int atomic_open(atomic_file *f, const char *path, diag *d)
{
    /* Reset first so that atomic_abort is safe after a failed open. */
    f->fp = NULL;
    f->path[0] = '\0';
    f->tmp[0] = '\0';
    f->landed = 0;
    f->old[0] = '\0';

    size_t len = strlen(path);
    if (len == 0)
        return diag_runtime(d, "cannot write output: empty file name");
    if (path[len - 1] == '/')
        return diag_runtime(d, "cannot write '%s': not a file name", path);
    if (len >= sizeof f->path)
        return diag_runtime(d, "cannot write '%.64s...': path too long", path);
    memcpy(f->path, path, len + 1);
    if (make_tmp_name(f, path) != 0) {
        f->tmp[0] = '\0';
        return diag_runtime(d, "cannot write '%s': path too long", path);
    }

    pthread_once(&file_mode_once, init_file_mode);

    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        int e = errno;
        f->tmp[0] = '\0'; /* nothing was created: abort must not unlink */
        return diag_runtime(d, "cannot create a temporary file for '%s': %s", path, strerror(e));
    }
    if (fchmod(fd, file_mode) != 0) {
        int e = errno;
        close(fd);
        atomic_abort(f);
        return diag_runtime(d, "cannot set the mode of '%s': %s", path, strerror(e));
    }
    f->fp = fdopen(fd, "w");
    if (!f->fp) {
        int e = errno;
        close(fd);
        atomic_abort(f);
        return diag_runtime(d, "cannot open '%s': %s", path, strerror(e));
    }
    return 0;
}

/*
 * Make the rename itself durable.  Best effort: the target has already been
 * replaced, so a failure here cannot honour "target untouched" and is not
 * reported (some file systems refuse fsync on a directory).
 */
void atomic_sync_parent(const char *path)
{
    char dir[1024];
    const char *slash = strrchr(path, '/');
    if (!slash) {
        strcpy(dir, ".");
    } else if (slash == path) {
        strcpy(dir, "/");
    } else {
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir)
            return;
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

static void sync_parent_dir(const atomic_file *f)
{
    atomic_sync_parent(f->path);
}

/* Everything but the rename: flush, check every write, sync, close.  On
 * failure the temporary is removed. */
static int finish(atomic_file *f, diag *d)
{
    const char *what;
    FILE *fp;
    int e;

    if (!f->fp)
        return diag_runtime(d, "cannot commit '%s': file is not open", f->path);

    errno = 0;
    if (fflush(f->fp) != 0) {
        what = "cannot write";
        goto fail;
    }
    if (ferror(f->fp)) {
        /* An earlier write failed; errno may since have been overwritten. */
        what = "cannot write";
        errno = EIO;
        goto fail;
    }
    if (fsync(fileno(f->fp)) != 0) {
        what = "cannot sync";
        goto fail;
    }
    /* fclose releases the stream whatever it returns: never touch fp again. */
    fp = f->fp;
    f->fp = NULL;
    if (fclose(fp) != 0) {
        what = "cannot close";
        goto fail;
    }
    return 0;

fail:
    e = errno ? errno : EIO;
    atomic_abort(f);
    return diag_runtime(d, "%s '%s': %s", what, f->path, strerror(e));
}

int atomic_commit(atomic_file *f, diag *d)
{
    if (finish(f, d))
        return -1;
    if (rename(f->tmp, f->path) != 0) {
        int e = errno;
        atomic_abort(f);
        return diag_runtime(d, "cannot replace '%s': %s", f->path, strerror(e));
    }
    f->tmp[0] = '\0';
    sync_parent_dir(f);
    return 0;
}

/*
 * Keep the target f is about to replace as the hard link f->old (the
 * temporary's unique name plus ".old").  Returns 1 when there is no target,
 * 2 when it is kept, 3 when the file system has no hard links (it then
 * cannot be put back), or -1 with errno.
 */
static int keep_old(atomic_file *f)
{
    snprintf(f->old, sizeof f->old, "%s.old", f->tmp);
    if (link(f->path, f->old) == 0)
        return 2;
    int e = errno;
    f->old[0] = '\0';
    if (e == ENOENT)
        return 1;
    if (e == EPERM || e == EOPNOTSUPP || e == EMLINK)
        return 3;
    errno = e;
    return -1;
}

int atomic_commit_all(atomic_file *f, size_t n, diag *d)
{
    /* Nothing is renamed before every file is known to be complete: most
     * failures (a full disk, a quota) show up here, and then no target has
     * been touched. */
    for (size_t i = 0; i < n; i++)
        if (f[i].fp && finish(&f[i], d))
            goto fail;
    for (size_t i = 0; i < n; i++) {
        atomic_file *g = &f[i];
        if (!g->tmp[0])
            continue;
        int kept = keep_old(g);
        if (kept < 0) {
            int e = errno;
            diag_runtime(d, "cannot keep the previous '%s': %s", g->path, strerror(e));
            goto fail;
        }
        if (rename(g->tmp, g->path) != 0) {
            int e = errno;
            if (kept == 2) {
                unlink(g->old);
                g->old[0] = '\0';
            }
            diag_runtime(d, "cannot replace '%s': %s", g->path, strerror(e));
            goto fail;
        }
        g->tmp[0] = '\0';
        g->landed = kept;
    }
    for (size_t i = 0; i < n; i++)
        if (f[i].landed)
            sync_parent_dir(&f[i]);
    return 0;
fail:
    atomic_undo(f, n);
    return -1;
}

void atomic_keep(atomic_file *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i].landed == 2)
            unlink(f[i].old);
        f[i].landed = 0;
        f[i].old[0] = '\0';
    }
}

void atomic_undo(atomic_file *f, size_t n)
{
    int e = errno; /* callers report errno after cleaning up */
    for (size_t i = 0; i < n; i++) {
        atomic_file *g = &f[i];
        if (g->landed == 1) {
            unlink(g->path);
        } else if (g->landed == 2 && rename(g->old, g->path) != 0) {
            /* The disk refuses renames now: put the old file back by name
             * instead (readers may find no file for a moment).  Should that
             * fail too, the link stays, so the old data is not lost. */
            if (unlink(g->path) == 0 && link(g->old, g->path) == 0)
                unlink(g->old);
        }
        if (g->landed)
            sync_parent_dir(g);
        g->landed = 0;
        g->old[0] = '\0';
        atomic_abort(g);
    }
    errno = e;
}

void atomic_abort(atomic_file *f)
{
    int e = errno; /* callers often report errno after cleaning up */
    if (f->fp) {
        fclose(f->fp);
        f->fp = NULL;
    }
    if (f->tmp[0]) {
        unlink(f->tmp);
        f->tmp[0] = '\0';
    }
    errno = e;
}

int atomic_write(const char *path, const void *buf, size_t len, diag *d)
{
    atomic_file f;
    if (atomic_open(&f, path, d) != 0)
        return -1;
    if (len > 0 && fwrite(buf, 1, len, f.fp) != len) {
        int e = errno ? errno : EIO;
        atomic_abort(&f);
        return diag_runtime(d, "cannot write '%s': %s", path, strerror(e));
    }
    return atomic_commit(&f, d);
}

/* `p` must exist as a directory, creating it if absent; the first folder
 * created is recorded in made[0..n-1] (n may be 0). */
static int mkdir_one(const char *p, char *made, size_t n, diag *d)
{
    struct stat st;
    if (mkdir(p, 0777) == 0) {
        if (n && !made[0])
            snprintf(made, n, "%s", p);
        return 0;
    }
    int e = errno;
    /* Decide by what is there, not by errno: on a read-only or automounted
     * parent, mkdir of an existing directory fails with EROFS or EACCES
     * rather than EEXIST. */
    if (stat(p, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        return diag_runtime(d, "cannot create directory '%s': %s", p, strerror(ENOTDIR));
    }
    return diag_runtime(d, "cannot create directory '%s': %s", p, strerror(e));
}

int atomic_mkdirs(const char *dir, diag *d)
{
    return atomic_mkdirs_made(dir, NULL, 0, d);
}

int atomic_mkdirs_made(const char *dir, char *made, size_t n, diag *d)
{
    if (n)
        made[0] = '\0';
    size_t len = strlen(dir);
    if (len == 0)
        return diag_runtime(d, "cannot create directory: empty name");
    char *p = malloc(len + 1);
    if (!p)
        return diag_runtime(d, "cannot create directory '%s': %s", dir, strerror(ENOMEM));
    memcpy(p, dir, len + 1);

    int rc = 0;
    /* Walk the prefixes "a", "a/b", ...; a leading '/' and runs of '/'
     * are skipped so that no prefix is empty or ends in a slash. */
    for (char *s = p + 1; rc == 0 && *s; s++) {
        if (*s == '/' && s[-1] != '/') {
            *s = '\0';
            rc = mkdir_one(p, made, n, d);
            *s = '/';
        }
    }
    if (rc == 0)
        rc = mkdir_one(p, made, n, d);
    free(p);
    return rc;
}

void atomic_rmdirs(const char *dir, const char *made)
{
    char p[1024];
    size_t lm = strlen(made);
    if (!lm || snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p)
        return;
    /* From dir up to `made` (a prefix of it, as atomic_mkdirs_made walked
     * it); rmdir(2) removes only empty folders. */
    for (;;) {
        size_t lp = strlen(p);
        while (lp > 1 && p[lp - 1] == '/')
            p[--lp] = '\0';
        if (lp < lm || rmdir(p) != 0 || lp == lm)
            return;
        char *slash = strrchr(p, '/');
        if (!slash)
            return;
        *slash = '\0';
    }
}

/* Remove the entries of the open folder fd (closed here), depth first,
 * never following a symbolic link: a link is removed, not its target. */
static int rmtree_fd(int fd, int depth)
{
    DIR *dp = fdopendir(fd);
    int rc = 0;
    if (!dp) {
        close(fd);
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        struct stat st;
        if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            rc = -1;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            int sub = depth < 64 ? openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW) : -1;
            if (sub < 0 || rmtree_fd(sub, depth + 1) != 0 || unlinkat(fd, e->d_name, AT_REMOVEDIR) != 0)
                rc = -1;
        } else if (unlinkat(fd, e->d_name, 0) != 0) {
            rc = -1;
        }
    }
    closedir(dp);
    return rc;
}

int atomic_rmtree(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    int e = errno;
    int rc = rmtree_fd(fd, 0);
    if (rmdir(dir) != 0)
        rc = -1;
    errno = e;
    return rc;
}

/* ---------------------------------------------------------------- folders */

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
/* an empty IEND chunk: length 0, type, CRC */
static const unsigned char png_iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};

static int has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n >= e && !strcmp(name + n - e, ext);
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* head: the first bytes (at most 64), tail: the last (at most 64) */
static int verify_ends(const char *name, const unsigned char *head, size_t nh,
                       const unsigned char *tail, size_t nt, size_t len)
{
    if (has_ext(name, ".png"))
        return len >= 8 + 12 && nh >= 8 && nt >= 12 && !memcmp(head, png_sig, 8) &&
                       !memcmp(tail + nt - 12, png_iend, 12)
                   ? 0
                   : -1;
    if (has_ext(name, ".svg")) {
        size_t i = 0;
        while (i < nh && is_space(head[i]))
            i++;
        int start = (nh - i >= 4 && !memcmp(head + i, "<svg", 4)) ||
                    (nh - i >= 5 && !memcmp(head + i, "<?xml", 5));
        while (nt > 0 && is_space(tail[nt - 1]))
            nt--;
        return start && nt >= 6 && !memcmp(tail + nt - 6, "</svg>", 6) ? 0 : -1;
    }
    return len > 0 || has_ext(name, ".dat") ? 0 : -1;
}

int atomic_verify_bytes(const char *name, const unsigned char *buf, size_t len)
{
    size_t n = len < 64 ? len : 64;
    return verify_ends(name, buf, n, buf + len - n, n, len);
}

int atomic_verify_file(const char *path, const char *as, diag *d)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY);
    struct stat st;
    unsigned char head[64], tail[64];
    if (fd < 0)
        return diag_runtime(d, "cannot check '%s': %s", path, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return diag_runtime(d, "cannot check '%s': not a regular file", path);
    }
    size_t len = (size_t)st.st_size, n = len < 64 ? len : 64;
    ssize_t a = n ? pread(fd, head, n, 0) : 0, b = n ? pread(fd, tail, n, (off_t)(len - n)) : 0;
    /* gnuplot's images are not synced by gnuplot: they are part of the set */
    int synced = fsync(fd) == 0;
    int e = errno;
    close(fd);
    if (a != (ssize_t)n || b != (ssize_t)n)
        return diag_runtime(d, "cannot read '%s' back", path);
    if (verify_ends(as ? as : path, head, n, tail, n, len))
        return diag_runtime(d, "'%s' is %s: the output is not complete (a full disk?)", path,
                            len ? "damaged" : "empty");
    if (!synced)
        return diag_runtime(d, "cannot sync '%s': %s", path, strerror(e));
    return 0;
}
