// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelREPL

@main
enum Entrypoint {
    static func main() {
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
