/*
 * timeit — run a command once and print its whole-process wall time and
 * peak resident set, for tests/bench/run.sh (POSIX sh has no clock finer
 * than a second, and GNU time's %e only has hundredths).
 *
 * usage: timeit OUTFILE COMMAND [ARG...]
 * The command inherits stdin/stdout/stderr.  OUTFILE gets one line:
 *   wall_seconds peak_rss_kib exit_status
 * wall: CLOCK_MONOTONIC from just before fork to just after the child is
 * reaped (so it includes exec, dynamic loading and exit);
 * peak_rss_kib: ru_maxrss of the child as wait4 reports it — the same
 * kernel counter GNU time prints as %M (run.sh prefers /usr/bin/time
 * -f %M when it exists and falls back to this);
 * exit_status: the child's exit code, or 128 + signal.
 * timeit itself exits 0 unless it could not run the command (127).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: timeit OUTFILE COMMAND [ARG...]\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("timeit: fork");
        return 127;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "timeit: cannot run %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &st, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("timeit: wait4");
            return 127;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror("timeit: output file");
        return 127;
    }
    fprintf(f, "%.6f %ld %d\n", wall, (long)ru.ru_maxrss, code);
    if (fclose(f) != 0)
        return 127;
    return 0;
}
