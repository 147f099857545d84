#include "CProcessGuard.h"
#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>

int satchel_disable_core_dumps(void) {
    struct rlimit none = { 0, 0 };
    if (setrlimit(RLIMIT_CORE, &none) != 0) return -1;
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return -1;
    struct rlimit now;
    if (getrlimit(RLIMIT_CORE, &now) != 0) return -1;
    int dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    if (dumpable != 0 || now.rlim_cur != 0 || now.rlim_max != 0) { errno = EPERM; return -1; }
    return 0;
}
