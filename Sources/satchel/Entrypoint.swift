// SPDX-License-Identifier: GPL-3.0-or-later
internal import CProcessGuard
import Foundation
import SatchelREPL

@main
enum Entrypoint {
    static func main() {
        // Before a passphrase or a key is in memory: no core file (RLIMIT_CORE 0) and not
        // dumpable (no core even if the limit is raised again, no ptrace or
        // /proc/<pid>/mem for other processes of the same user). Read back; if either
        // did not take, Satchel does not run (docs/security.md).
        guard satchel_disable_core_dumps() == 0 else {
            let reason = String(cString: strerror(errno))
            FileHandle.standardError.write(Data(
                "Satchel could not turn off core dumps for itself (\(reason)), so it will not run: a crash could write an unlocked key to disk. Tell your team lead.\n".utf8))
            exit(1)
        }
        // The one place SIGPIPE is ignored, for the whole process, before anything runs.
        // libcurl is told not to use signals (CURLOPT_NOSIGNAL), which leaves SIGPIPE to
        // us: a server that drops the connection mid-write must end in an error the sync
        // reports, and a reader that goes away (`satchel queue | head -1`) must not kill
        // a command halfway; both then see EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
        // Every file Satchel makes — the vault, its -wal and -shm, config.toml, exports —
        // is the worker's alone, from the first byte (docs/security.md).
        umask(0o077)
        exit(SatchelCommand.execute(Array(CommandLine.arguments.dropFirst())))
    }
}
