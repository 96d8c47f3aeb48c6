/*
 * atomicdir — output folders replaced as a whole (see atomic.h, "An
 * output folder replaced as a whole", for the contract).
 *
 * The new folder is filled beside the old one and swapped in by one
 * rename; a lock file beside it serialises two writers of the same
 * folder, so that the second replaces the first's folder whole instead of
 * mixing files into it.
 */
#include "atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cancel.h"

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

/* dir without its trailing slashes ("/" stays), so that lstat sees a
 * symbolic link as one: lstat("link/") follows it. */
static void no_trailing_slash(const char *dir, char *out, size_t n)
{
    snprintf(out, n, "%s", dir);
    size_t len = strlen(out);
    while (len > 1 && out[len - 1] == '/')
        out[--len] = '\0';
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
    mode_t file_mode = atomic_file_mode(), mode = (file_mode | ((file_mode & 0444) >> 2)) & 0777; /* 0777 & ~umask */
    char bare[1024];
    no_trailing_slash(dir, bare, sizeof bare);
    if (lstat(bare, &st) == 0) {
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

/* The parents of an output folder: each that exists a folder, and the
 * deepest that exists writable (capmix creates the rest, the lock and the
 * temporary folder in it); the messages begin's mkdir and lock give.
 * `parent` is split_dir's. */
static int check_parents(const char *dir, const char *parent, diag *d)
{
    char p[1024], last[1024] = ".", missing[1024] = "";
    struct stat st;
    snprintf(p, sizeof p, "%s", parent);
    if (p[0] == '/')
        snprintf(last, sizeof last, "/");
    /* the prefixes "a", "a/b", ... as atomic_mkdirs walks them */
    for (char *s = p + 1;; s++) {
        if (*s && (*s != '/' || s[-1] == '/'))
            continue;
        char c = *s;
        *s = '\0';
        if (stat(p, &st) != 0) {
            int e = errno;
            if (e != ENOENT) {
                diag_runtime(d, "cannot create directory '%s': %s", p, strerror(e));
                return -1;
            }
            if (lstat(p, &st) == 0) /* a dangling symbolic link: mkdir finds it there */
                return diag_runtime(d, "cannot create directory '%s': %s", p, strerror(EEXIST));
            snprintf(missing, sizeof missing, "%s", p);
            break; /* created from here down: `last` must take a new folder */
        }
        if (!S_ISDIR(st.st_mode))
            return diag_runtime(d, "cannot create directory '%s': %s", p, strerror(ENOTDIR));
        snprintf(last, sizeof last, "%s", p);
        *s = c;
        if (!c)
            break;
    }
    if (faccessat(AT_FDCWD, last, W_OK | X_OK, AT_EACCESS) != 0) {
        int e = errno;
        if (missing[0])
            return diag_runtime(d, "cannot create directory '%s': %s", missing, strerror(e));
        return diag_runtime(d, "cannot lock '%s': %s", dir, strerror(e));
    }
    return 0;
}

int atomic_dir_check(const char *dir, diag *d)
{
    char parent[1024], base[256];
    struct stat st;
    char bare[1024];
    size_t n = strlen(dir);
    if (n > ATOMIC_DIR_MAX)
        return diag_runtime(d, "cannot write '%.64s...': the output folder's path has %zu characters, "
                               "capmix takes at most %d",
                            dir, n, ATOMIC_DIR_MAX);
    if (split_dir(dir, parent, sizeof parent, base, sizeof base) != 0)
        return diag_runtime(d, "cannot write '%s': give the output folder by a name (not '.', '..' or '/')",
                            dir);
    if (strlen(base) > ATOMIC_DIR_NAME_MAX)
        return diag_runtime(d, "cannot write '%s': the output folder's name has %zu characters, capmix takes at most %d",
                            dir, strlen(base), ATOMIC_DIR_NAME_MAX);
    if (check_parents(dir, parent, d))
        return -1;
    no_trailing_slash(dir, bare, sizeof bare);
    if (lstat(bare, &st) != 0)
        return errno == ENOENT ? 0 : diag_runtime(d, "cannot write '%s': %s", dir, strerror(errno));
    if (S_ISLNK(st.st_mode))
        return diag_runtime(d, "cannot replace '%s': it is a symbolic link (give the folder it points to)", dir);
    if (!S_ISDIR(st.st_mode))
        return diag_runtime(d, "cannot create directory '%s': %s", dir, strerror(ENOTDIR));
    if (holds_cwd(dir))
        return diag_runtime(d, "cannot replace '%s': it is the working folder or holds it", dir);
    if (!is_empty_dir(dir) && !holds_result(dir))
        return diag_runtime(d,
                            "cannot replace '%s': it is not empty and holds no capmix results "
                            "(the output folder is replaced as a whole: give a new or empty one)",
                            dir);
    return 0;
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
    atomic_sync_parent(a->path);
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
