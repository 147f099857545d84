#ifndef SATCHEL_CREADLINE_SHIM_H
#define SATCHEL_CREADLINE_SHIM_H
#include <stdio.h>
#include <string.h>
#include <readline/readline.h>
#include <readline/history.h>

// Swift 6 treats readline's mutable globals as unsafe shared state; these one-line
// setters and getters are the only way Satchel touches them. Nothing else lives here:
// the signal handler and the stdio helpers are in the CTerminal target.
static inline void satchel_rl_set_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void satchel_rl_set_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void satchel_rl_set_readline_name(const char *name) { rl_readline_name = name; }
static inline char *satchel_rl_line_buffer(void) { return rl_line_buffer; }

// The callback interface (LineEditor).
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

// readline's output stream (NULL until readline sets it up); CTerminal writes to it.
static inline FILE *satchel_rl_outstream(void) { return rl_outstream; }
static inline void satchel_rl_set_outstream(FILE *f) { rl_outstream = f; }
#endif
