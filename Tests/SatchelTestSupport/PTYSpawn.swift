import CPTYSupport
#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn plumbing for ``PseudoTerminal``: the child becomes a session leader and
/// opens the pty slave (without O_NOCTTY) as fds 0/1/2, so the pty is its controlling
/// terminal and `/dev/tty` works.
enum PTYSpawn {
    /// Signals reset to their default disposition in the child (the test runner may ignore some).
    private static let defaultedSignals: [Int32] = [
        SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU, SIGALRM,
    ]

    static func spawn(executable: String, arguments: [String], environment: [String: String],
                      slavePath: String, extraReadableFile: (fd: Int32, path: String)?) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        // Order matters: close inherited fds, open the slave as 0, dup to 1 and 2, then extras.
        _ = satchel_spawn_add_closefrom(&actions, 3)
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        if let extra = extraReadableFile {
            posix_spawn_file_actions_addopen(&actions, extra.fd, extra.path, O_RDONLY, 0)
        }

        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in defaultedSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let flags = satchel_spawn_setsid_flag() | Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        posix_spawnattr_setflags(&attributes, Int16(truncatingIfNeeded: flags))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw PTYError.spawnFailed(executable: executable, errno: status)
        }
        return pid
    }

    /// Decodes a waitpid status: the exit code, or 128 + signal number.
    static func decode(waitStatus status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
