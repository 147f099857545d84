#ifndef SATCHEL_CREADLINE_SHIM_H
#define SATCHEL_CREADLINE_SHIM_H
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

// Swift 6 treats readline's mutable globals as unsafe shared state; these one-line
// setters are the only way Satchel touches them.
static inline void satchel_rl_set_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void satchel_rl_set_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void satchel_rl_set_readline_name(const char *name) { rl_readline_name = name; }
static inline char *satchel_rl_line_buffer(void) { return rl_line_buffer; }
#endif
