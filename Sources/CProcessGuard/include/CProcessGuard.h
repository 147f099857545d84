#ifndef SATCHEL_CPROCESSGUARD_H
#define SATCHEL_CPROCESSGUARD_H

// prctl is C-variadic, which Swift cannot call.

/// Makes this process undumpable (prctl PR_SET_DUMPABLE 0: no core file, no ptrace
/// attach or /proc/<pid>/mem by other processes of the same user) and sets RLIMIT_CORE
/// to 0 (soft and hard). Reads both back: returns 0 when both took, else -1 (errno set
/// by the call that failed, or EPERM if a setting read back otherwise).
int satchel_disable_core_dumps(void);

#endif
