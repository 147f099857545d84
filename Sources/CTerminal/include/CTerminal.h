#ifndef SATCHEL_CTERMINAL_H
#define SATCHEL_CTERMINAL_H
#include <stdio.h>

// What the line editor needs from C and Swift cannot do itself: a signal handler, and
// the `stdout` global (Swift 6 refuses it as unsafe shared state). The state behind the
// handler lives in terminal.c, once per process.

// ---- SIGINT and SIGWINCH: async-signal-safe flags and a self-pipe wake-up ----------

/// Installs the handler for SIGINT and SIGWINCH without SA_RESTART (so poll() returns
/// EINTR), saving the previous dispositions. The handler only sets a flag and writes one
/// byte to `wake_fd` (the write end of a non-blocking pipe), so a poll() on the read end
/// wakes even when the signal lands just before it is entered. Returns 0 or -1 (errno set).
int satchel_sig_install(int wake_fd);

/// Restores the dispositions saved by satchel_sig_install and forgets `wake_fd`.
void satchel_sig_restore(void);

/// Test-and-clear: 1 if SIGINT arrived since the last call, else 0.
int satchel_sig_take_sigint(void);

/// Test-and-clear: 1 if SIGWINCH arrived since the last call, else 0.
int satchel_sig_take_sigwinch(void);

// ---- Standard output ----------------------------------------------------------------

/// Makes stdout line-buffered, even into a pipe or a file.
void satchel_line_buffer_stdout(void);

/// Flushes stdout.
void satchel_flush_stdout(void);

/// The `stderr` stream (for readline's output when stdout is not a terminal).
FILE *satchel_stderr(void);

/// Writes `text` to `stream` (stdout when NULL) and flushes it.
void satchel_print_flushed(FILE *stream, const char *text);
#endif
