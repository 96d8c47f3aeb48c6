/*
 * cancel — SIGINT, SIGTERM and SIGHUP handled alike while a command works.
 *
 * cancel_install sets handlers (without SA_RESTART, so a blocking wait
 * returns EINTR) that only record the first signal in `cancel_signal`;
 * the long loops poll it (the engine's trials, the wait for gnuplot, the
 * output folder's lock and commit) and stop, the command removes what it
 * had begun, and exits with cancel_exit_code(): 128 + the signal's number
 * (130, 143, 129), the shell's convention.  cancel_restore puts the
 * previous handlers back.  Not nested: one install per command.
 */
#ifndef CAPMIX_CANCEL_H
#define CAPMIX_CANCEL_H

/* 0, or the number of the first signal received.  An int, not a
 * sig_atomic_t, for eng_opts.cancel (the same type on every platform
 * capmix builds on). */
extern volatile int cancel_signal;

void cancel_install(void);
void cancel_restore(void);

/* 128 + cancel_signal, or 0 when no signal came. */
int cancel_exit_code(void);

#endif
