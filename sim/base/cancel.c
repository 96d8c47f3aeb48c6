/*
 * cancel — one flag for SIGINT, SIGTERM and SIGHUP (see cancel.h).
 */
#include <signal.h>
#include <string.h>

#include "cancel.h"

volatile int cancel_signal;

static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction saved[3];

static void on_signal(int sig)
{
    if (!cancel_signal)
        cancel_signal = sig;
}

void cancel_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; i++) {
        sigaction(sigs[i], NULL, &saved[i]);
        /* ignored on purpose (nohup, a background job): stays ignored */
        if (saved[i].sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

void cancel_restore(void)
{
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &saved[i], NULL);
}

int cancel_exit_code(void)
{
    return cancel_signal ? 128 + cancel_signal : 0;
}
