#include "CTerminal.h"
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t sigint_pending = 0;
static volatile sig_atomic_t sigwinch_pending = 0;
static volatile sig_atomic_t wake_fd = -1;  // the write end of a non-blocking pipe
static struct sigaction old_sigint;
static struct sigaction old_sigwinch;

static void handler(int sig) {
    int saved = errno;
    if (sig == SIGINT) sigint_pending = 1; else if (sig == SIGWINCH) sigwinch_pending = 1;
    int fd = wake_fd;
    if (fd >= 0) { char b = 0; ssize_t r = write(fd, &b, 1); (void)r; }
    errno = saved;
}

int satchel_sig_install(int fd) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigint_pending = 0;
    sigwinch_pending = 0;
    wake_fd = fd;
    if (sigaction(SIGINT, &sa, &old_sigint) != 0) { wake_fd = -1; return -1; }
    if (sigaction(SIGWINCH, &sa, &old_sigwinch) != 0) {
        int e = errno;
        sigaction(SIGINT, &old_sigint, NULL);
        wake_fd = -1;
        errno = e;
        return -1;
    }
    return 0;
}

void satchel_sig_restore(void) {
    sigaction(SIGINT, &old_sigint, NULL);
    sigaction(SIGWINCH, &old_sigwinch, NULL);
    wake_fd = -1;
}

int satchel_sig_take_sigint(void) { int v = sigint_pending; sigint_pending = 0; return v; }

int satchel_sig_take_sigwinch(void) { int v = sigwinch_pending; sigwinch_pending = 0; return v; }

void satchel_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

void satchel_flush_stdout(void) { fflush(stdout); }

FILE *satchel_stderr(void) { return stderr; }

void satchel_print_flushed(FILE *stream, const char *text) {
    FILE *f = stream ? stream : stdout;
    fputs(text, f);
    fflush(f);
}
