#ifndef SATCHEL_CREADLINE_SHIM_H
#define SATCHEL_CREADLINE_SHIM_H
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>

// Swift 6 treats readline's mutable globals as unsafe shared state; these one-line
// setters are the only way Satchel touches them.
static inline void satchel_rl_set_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void satchel_rl_set_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void satchel_rl_set_readline_name(const char *name) { rl_readline_name = name; }
static inline char *satchel_rl_line_buffer(void) { return rl_line_buffer; }

// ---- Added for LineEditing (callback interface) --------------------------------
// Word-break characters; the string must stay alive (pass a string literal / strdup).
static inline void satchel_rl_set_word_break_characters(const char *s) { rl_completer_word_break_characters = s; }
// We do our own SIGINT/SIGWINCH handling, so readline must not install handlers.
static inline void satchel_rl_set_catch_signals(int v) { rl_catch_signals = v; }
static inline void satchel_rl_set_catch_sigwinch(int v) { rl_catch_sigwinch = v; }
// Stop readline exporting LINES/COLUMNS into the environment.
static inline void satchel_rl_set_change_environment(int v) { rl_change_environment = v; }
static inline int satchel_rl_point(void) { return rl_point; }
static inline void satchel_rl_set_point(int v) { rl_point = (v < 0) ? 0 : (v > rl_end ? rl_end : v); }
static inline int satchel_rl_end(void) { return rl_end; }
// Zero the visible part of the edit buffer and reset point/end/mark (after a line was
// captured or abandoned), and clear the per-key states the callback interface keeps.
static inline void satchel_rl_wipe_line(void) { if (rl_line_buffer) { memset(rl_line_buffer, 0, (size_t)rl_end + 1); } rl_point = rl_end = rl_mark = 0; RL_UNSETSTATE(RL_STATE_ISEARCH|RL_STATE_NSEARCH|RL_STATE_VIMOTION|RL_STATE_NUMERICARG|RL_STATE_MULTIKEY); }

// Swift 6 also refuses the C `stdout` global: write to readline's output stream and flush.
static inline void satchel_rl_print(const char *s) { FILE *f = rl_outstream ? rl_outstream : stdout; fputs(s, f); fflush(f); }
static inline void satchel_flush_stdout(void) { fflush(stdout); }

// ---- Signal handling: async-signal-safe flags + self-pipe wake-up ---------------
// Swift emits static inline functions (and the statics they use) into every Swift object
// file that calls them, so each *object file* gets its own copy of this state. Therefore
// only ONE Swift file (LineEditing/SignalWatch.swift) may call satchel_sig_*.
// The statics need explicit initializers: tentative definitions are not emitted.
static volatile sig_atomic_t satchel_sigint_pending = 0;
static volatile sig_atomic_t satchel_sigwinch_pending = 0;
static volatile sig_atomic_t satchel_sig_wake_fd = -1;   // write end of a non-blocking pipe
static struct sigaction satchel_old_sigint = {0};
static struct sigaction satchel_old_sigwinch = {0};

static inline void satchel_sig_handler(int sig) {
    int saved = errno;
    if (sig == SIGINT) satchel_sigint_pending = 1; else if (sig == SIGWINCH) satchel_sigwinch_pending = 1;
    int fd = satchel_sig_wake_fd;
    if (fd >= 0) { char b = 0; ssize_t r = write(fd, &b, 1); (void)r; }
    errno = saved;
}
// Installs the handler for SIGINT and SIGWINCH without SA_RESTART (so poll() returns EINTR),
// saving the previous dispositions. Returns 0 or -1 (errno set).
static inline int satchel_sig_install(int wake_fd) {
    struct sigaction sa; memset(&sa, 0, sizeof sa);
    sa.sa_handler = satchel_sig_handler; sigemptyset(&sa.sa_mask); sa.sa_flags = 0;
    satchel_sigint_pending = 0; satchel_sigwinch_pending = 0; satchel_sig_wake_fd = wake_fd;
    if (sigaction(SIGINT, &sa, &satchel_old_sigint) != 0) { satchel_sig_wake_fd = -1; return -1; }
    if (sigaction(SIGWINCH, &sa, &satchel_old_sigwinch) != 0) { sigaction(SIGINT, &satchel_old_sigint, NULL); satchel_sig_wake_fd = -1; return -1; }
    return 0;
}
// Restores the dispositions saved by satchel_sig_install.
static inline void satchel_sig_restore(void) { sigaction(SIGINT, &satchel_old_sigint, NULL); sigaction(SIGWINCH, &satchel_old_sigwinch, NULL); satchel_sig_wake_fd = -1; }
// Test-and-clear of the flags (1 if the signal arrived since the last call).
static inline int satchel_sig_take_sigint(void) { int v = satchel_sigint_pending; satchel_sigint_pending = 0; return v; }
static inline int satchel_sig_take_sigwinch(void) { int v = satchel_sigwinch_pending; satchel_sigwinch_pending = 0; return v; }
// Swift 6 refuses the C `stdout` global: line-buffer it from here.
static inline void satchel_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }
#endif
