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
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cancel.h"

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
static void sync_parent_of(const char *path)
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
    sync_parent_of(f->path);
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

/* Split dir ("a/b/out", "out", "/out") into parent ("a/b", ".", "/") and
 * base ("out"); trailing slashes are dropped. */
static int split_dir(const char *dir, char *parent, size_t np, char *base, size_t nb)
{
    char p[1024];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof p)
        return -1;
    memcpy(p, dir, n + 1);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    char *slash = strrchr(p, '/');
    const char *b = slash ? slash + 1 : p;
    if (!*b || !strcmp(b, ".") || !strcmp(b, ".."))
        return -1;
    if ((size_t)snprintf(base, nb, "%s", b) >= nb)
        return -1;
    if (!slash)
        snprintf(parent, np, ".");
    else if (slash == p)
        snprintf(parent, np, "/");
    else {
        *slash = '\0';
        if ((size_t)snprintf(parent, np, "%s", p) >= np)
            return -1;
    }
    return 0;
}

/* The names a capmix output folder holds one of. */
static int holds_result(const char *dir)
{
    static const char *const marks[] = {"summary.json", "sweep.json", "breakeven.json", "tornado.json"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        char p[1200];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, marks[i]);
        if (lstat(p, &st) == 0 && S_ISREG(st.st_mode))
            return 1;
    }
    return 0;
}

/* A temporary capmix writes inside an output folder: ".NAME.tmp.XXXXXX"
 * (atomic_open), its ".old" link, or gnuplot's ".NAME.png.tmp". */
static int is_capmix_temp(const char *n)
{
    if (n[0] != '.')
        return 0;
    size_t len = strlen(n);
    if (len > 8 && !strcmp(n + len - 8, ".png.tmp"))
        return 1;
    if (len > 8 && !strcmp(n + len - 8, ".svg.tmp"))
        return 1;
    if (len > 4 && !strcmp(n + len - 4, ".old"))
        len -= 4;
    return len > 11 && !strncmp(n + len - 11, ".tmp.", 5);
}

/* Empty, or holding only temporaries an interrupted capmix left (an
 * earlier version wrote into the folder itself): nothing of the user's. */
static int is_empty_dir(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    int empty = 1;
    if (!dp)
        return 0;
    while (empty && (e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && !is_capmix_temp(e->d_name))
            empty = 0;
    closedir(dp);
    return empty;
}

/* dir is the working folder or holds it */
static int holds_cwd(const char *dir)
{
    char cwd[4096];
    char *rp = realpath(dir, NULL);
    int r = 0;
    if (rp && getcwd(cwd, sizeof cwd)) {
        size_t n = strlen(rp);
        r = !strcmp(rp, "/") || (!strncmp(cwd, rp, n) && (cwd[n] == '\0' || cwd[n] == '/'));
    }
    free(rp);
    return r;
}

/* ".BASE.tmp-dir.PID.XXXXXX" or ".BASE.tmp-old.PID.XXXXXX" whose PID is
 * not a live process: left by a capmix that died (SIGKILL, a power cut). */
static void sweep_stale(const char *parent, const char *base)
{
    DIR *dp = opendir(parent);
    struct dirent *e;
    size_t nb = strlen(base);
    while (dp && (e = readdir(dp))) {
        const char *n = e->d_name;
        if (n[0] != '.' || strncmp(n + 1, base, nb) ||
            (strncmp(n + 1 + nb, ".tmp-dir.", 9) && strncmp(n + 1 + nb, ".tmp-old.", 9)))
            continue;
        const char *p = n + 1 + nb + 9;
        char *end;
        errno = 0;
        long pid = strtol(p, &end, 10);
        if (errno || end == p || pid <= 0 || *end != '.' || strlen(end + 1) != 6)
            continue;
        if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char path[2400];
        snprintf(path, sizeof path, "%s/%s", parent, n);
        atomic_rmtree(path);
    }
    if (dp)
        closedir(dp);
}

static void unlock_dir(atomic_dir *a)
{
    if (a->lockfd >= 0) {
        /* unlinked while still held: a writer waiting on this inode finds
         * it gone and locks the path afresh (see lock_dir) */
        unlink(a->lock);
        close(a->lockfd);
    }
    a->lockfd = -1;
    a->lock[0] = '\0';
}

static int lock_dir(atomic_dir *a, diag *d)
{
    for (;;) {
        int fd = open(a->lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
            return diag_runtime(d, "cannot lock '%s': %s", a->path, strerror(errno));
        while (flock(fd, LOCK_EX) != 0) {
            int e = errno;
            if (e != EINTR || cancel_signal) {
                close(fd);
                return e == EINTR ? diag_runtime(d, "interrupted")
                                  : diag_runtime(d, "cannot lock '%s': %s", a->path, strerror(e));
            }
        }
        struct stat held, now;
        if (fstat(fd, &held) == 0 && stat(a->lock, &now) == 0 && held.st_dev == now.st_dev &&
            held.st_ino == now.st_ino) {
            a->lockfd = fd;
            return 0;
        }
        close(fd); /* the previous holder removed it: lock the new one */
    }
}

int atomic_dir_begin(atomic_dir *a, const char *dir, diag *d)
{
    char parent[1024], base[256];
    struct stat st;
    memset(a, 0, sizeof *a);
    a->lockfd = -1;
    if (split_dir(dir, parent, sizeof parent, base, sizeof base) != 0)
        return diag_runtime(d, "cannot write '%s': give the output folder by a name (not '.', '..' or '/')",
                            dir);
    snprintf(a->path, sizeof a->path, "%s", dir);
    if (strcmp(parent, ".") && strcmp(parent, "/") &&
        atomic_mkdirs_made(parent, a->made, sizeof a->made, d))
        goto fail;
    pthread_once(&file_mode_once, init_file_mode);
    if ((size_t)snprintf(a->lock, sizeof a->lock, "%s/.%s.lock", parent, base) >= sizeof a->lock) {
        a->lock[0] = '\0';
        diag_runtime(d, "cannot write '%s': path too long", dir);
        goto fail;
    }
    if (lock_dir(a, d)) {
        a->lock[0] = '\0';
        goto fail;
    }
    if (cancel_signal) {
        diag_runtime(d, "interrupted");
        goto fail;
    }
    mode_t mode = (file_mode | ((file_mode & 0444) >> 2)) & 0777; /* 0777 & ~umask */
    if (lstat(dir, &st) == 0) {
        if (S_ISLNK(st.st_mode)) {
            diag_runtime(d, "cannot replace '%s': it is a symbolic link (give the folder it points to)", dir);
            goto fail;
        }
        if (!S_ISDIR(st.st_mode)) {
            diag_runtime(d, "cannot create directory '%s': %s", dir, strerror(ENOTDIR));
            goto fail;
        }
        if (holds_cwd(dir)) {
            diag_runtime(d, "cannot replace '%s': it is the working folder or holds it", dir);
            goto fail;
        }
        if (!is_empty_dir(dir) && !holds_result(dir)) {
            diag_runtime(d,
                         "cannot replace '%s': it is not empty and holds no capmix results "
                         "(the output folder is replaced as a whole: give a new or empty one)",
                         dir);
            goto fail;
        }
        mode = st.st_mode & 07777;
    } else if (errno != ENOENT) {
        diag_runtime(d, "cannot write '%s': %s", dir, strerror(errno));
        goto fail;
    }
    sweep_stale(parent, base);
    if ((size_t)snprintf(a->tmp, sizeof a->tmp, "%s/.%s.tmp-dir.%ld.XXXXXX", parent, base,
                         (long)getpid()) >= sizeof a->tmp) {
        a->tmp[0] = '\0';
        diag_runtime(d, "cannot write '%s': path too long", dir);
        goto fail;
    }
    if (!mkdtemp(a->tmp)) {
        int e = errno;
        a->tmp[0] = '\0';
        diag_runtime(d, "cannot create a folder beside '%s': %s", dir, strerror(e));
        goto fail;
    }
    chmod(a->tmp, mode);
    return 0;
fail:
    atomic_dir_abort(a);
    return -1;
}

/* Every file in tmp checked and synced; hidden leftovers (temporaries of
 * an interrupted gnuplot) removed: they are ours, in our own folder. */
static int verify_dir(const char *tmp, diag *d)
{
    DIR *dp = opendir(tmp);
    struct dirent *e;
    int rc = 0;
    if (!dp)
        return diag_runtime(d, "cannot read '%s': %s", tmp, strerror(errno));
    while (rc == 0 && (e = readdir(dp))) {
        char path[1400];
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", tmp, e->d_name);
        if (e->d_name[0] == '.')
            unlink(path);
        else
            rc = atomic_verify_file(path, NULL, d);
    }
    closedir(dp);
    if (rc == 0) {
        int fd = open(tmp, O_RDONLY | O_DIRECTORY);
        if (fd >= 0) {
            (void)fsync(fd);
            close(fd);
        }
    }
    return rc;
}

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/* Swap the two paths in one step; -1 with errno (EINVAL, ENOSYS: the file
 * system or kernel cannot). */
static int exchange(const char *a, const char *b)
{
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    (void)a;
    (void)b;
    errno = ENOSYS;
    return -1;
#endif
}

int atomic_dir_commit(atomic_dir *a, diag *d)
{
    struct stat st;
    if (!a->tmp[0])
        return diag_runtime(d, "cannot commit '%s': not begun", a->path);
    if (cancel_signal)
        return diag_runtime(d, "interrupted");
    if (verify_dir(a->tmp, d))
        return -1;
    if (cancel_signal)
        return diag_runtime(d, "interrupted");
    if (lstat(a->path, &st) != 0) {
        if (rename(a->tmp, a->path) != 0)
            return diag_runtime(d, "cannot create '%s': %s", a->path, strerror(errno));
    } else if (exchange(a->tmp, a->path) == 0) {
        /* a->tmp now names the previous folder */
        atomic_rmtree(a->tmp);
    } else {
        /* two renames: the previous folder aside, the new one in */
        char old[1100];
        snprintf(old, sizeof old, "%s", a->tmp);
        char *mark = strstr(old, ".tmp-dir.");
        if (mark)
            memcpy(mark, ".tmp-old.", 9);
        char *x = strrchr(old, '.');
        if (x)
            snprintf(x, sizeof old - (size_t)(x - old), ".XXXXXX");
        if (!mkdtemp(old) || rename(a->path, old) != 0) {
            int e = errno;
            rmdir(old);
            return diag_runtime(d, "cannot replace '%s': %s", a->path, strerror(e));
        }
        if (rename(a->tmp, a->path) != 0) {
            int e = errno;
            if (rename(old, a->path) != 0)
                return diag_runtime(d, "cannot replace '%s': %s (the previous folder is kept as '%s')",
                                    a->path, strerror(e), old);
            return diag_runtime(d, "cannot replace '%s': %s", a->path, strerror(e));
        }
        atomic_rmtree(old);
    }
    a->tmp[0] = '\0';
    a->made[0] = '\0';
    sync_parent_of(a->path);
    unlock_dir(a);
    return 0;
}

void atomic_dir_abort(atomic_dir *a)
{
    int e = errno;
    if (a->tmp[0]) {
        atomic_rmtree(a->tmp);
        a->tmp[0] = '\0';
    }
    if (a->lock[0])
        unlock_dir(a);
    if (a->made[0]) {
        /* the parents begin created, each only if empty */
        char parent[1024], base[256];
        if (split_dir(a->path, parent, sizeof parent, base, sizeof base) == 0)
            atomic_rmdirs(parent, a->made);
        a->made[0] = '\0';
    }
    errno = e;
}
