#ifndef SATCHEL_CPTYSUPPORT_H
#define SATCHEL_CPTYSUPPORT_H
#include <stddef.h>
#include <spawn.h>

/// Opens a new pty master (O_RDWR|O_NOCTTY|O_CLOEXEC, non-blocking), grants and unlocks it,
/// and copies the slave path into `name` (capacity `len`). Returns the master fd or -1 (errno set).
int satchel_pty_open_master(char *name, size_t len);

/// Sets the window size of the terminal behind `fd` (TIOCSWINSZ). Returns 0 or -1.
int satchel_pty_set_window_size(int fd, unsigned short rows, unsigned short columns);

/// Adds "close every fd >= lowfd" to the spawn file actions (glibc >= 2.34), so the
/// child does not inherit the test runner's descriptors. Returns 0 or an error number.
int satchel_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int lowfd);

/// POSIX_SPAWN_SETSID (glibc 2.26+, GNU extension not visible to Swift by default).
int satchel_spawn_setsid_flag(void);
#endif
