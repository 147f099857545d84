#define _GNU_SOURCE
#include "CPTYSupport.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int satchel_pty_open_master(char *name, size_t len) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0) { int e = errno; close(fd); errno = e; return -1; }
    if (ptsname_r(fd, name, len) != 0) { int e = errno; close(fd); errno = e; return -1; }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) { int e = errno; close(fd); errno = e; return -1; }
    return fd;
}

int satchel_pty_set_window_size(int fd, unsigned short rows, unsigned short columns) {
    struct winsize ws; memset(&ws, 0, sizeof ws);
    ws.ws_row = rows; ws.ws_col = columns;
    return ioctl(fd, TIOCSWINSZ, &ws);
}

int satchel_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int lowfd) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    return posix_spawn_file_actions_addclosefrom_np(actions, lowfd);
#else
    (void)actions; (void)lowfd; return 0;
#endif
}

int satchel_spawn_setsid_flag(void) {
#ifdef POSIX_SPAWN_SETSID
    return POSIX_SPAWN_SETSID;
#else
    return 0x80;
#endif
}
