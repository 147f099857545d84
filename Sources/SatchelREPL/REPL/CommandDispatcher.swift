import ArgumentParser
import Foundation

/// Runs one REPL line through the very same command tree as the shell
/// (`SatchelCommand.parseAsRoot`), inside the REPL's session. Never exits, never
/// throws: a failed command prints its message and returns its status.
struct CommandDispatcher {
    let door: Door
    let interactive: Bool

    /// Words the REPL understands besides the command tree.
    static let builtIns = ["help", "lock", "quit", "exit"]

    /// The top-level command names, from the tree itself.
    static var commandNames: [String] {
        SatchelCommand.configuration.subcommands.map { ($0.configuration.commandName ?? "") }
    }

    static func subcommandNames(of name: String) -> [String] {
        SatchelCommand.configuration.subcommands.first { ($0.configuration.commandName ?? "") == name }?
            .configuration.subcommands.map { ($0.configuration.commandName ?? "") } ?? []
    }

    func run(_ arguments: [String]) -> ExitStatus {
        var args = arguments
        do {
            try Self.expandCommandWords(&args, interactive: interactive)
            if args.first == "help" {
                return help(Array(args.dropFirst()))
            }
            let command = try Self.parse(args)
            guard let sessionCommand = command as? any SessionCommand else {
                throw CommandFailure(status: .usage, message: notHere(args.first ?? ""))
            }
            let g = sessionCommand.global
            guard g.home == nil, g.passphraseFd == nil, g.idleLockMinutes == nil else {
                throw CommandFailure(status: .usage, message: "--home, --passphrase-fd and --idle-lock are set when Satchel starts, not inside the REPL.")
            }
            try sessionCommand.run(in: door)
            return .success
        } catch {
            return report(error)
        }
    }

    /// Parses the words as the shell would. A plain line of a hot capture command is
    /// built directly (`PlainCaptureCommand`). Otherwise, when the words name a leaf
    /// command and its own parser accepts the rest, that parser's result is used:
    /// parsing from the root builds the whole command tree every time (about 5 million
    /// instructions a line, more than the rest of a save's CPU). Anything else — help,
    /// `--version`, a parse error — goes through the root, so every message is the shell's.
    static func parse(_ args: [String]) throws -> any ParsableCommand {
        var leaf: any ParsableCommand.Type = SatchelCommand.self
        var depth = 0
        while depth < args.count,
              let sub = leaf.configuration.subcommands.first(where: { $0.configuration.commandName == args[depth] }) {
            leaf = sub
            depth += 1
        }
        if depth > 0, let plain = leaf as? any PlainCaptureCommand.Type, let command = plain.plain(args[depth...]) {
            return command
        }
        if depth > 0, leaf.configuration.subcommands.isEmpty, let command = try? leaf.parse(Array(args.dropFirst(depth))) {
            return command
        }
        return try SatchelCommand.parseAsRoot(args)
    }

    /// Accepts unique prefixes of command words (like sqlite3) and suggests near misses (like psql).
    static func expandCommandWords(_ args: inout [String], interactive: Bool) throws {
        guard let first = args.first else { return }
        let names = Self.commandNames + Self.builtIns
        if !names.contains(first) {
            if let full = NearMiss.uniquePrefix(first, among: names) {
                args[0] = full
            } else {
                let guess = NearMiss.suggestion(for: first, among: names)
                throw CommandFailure(
                    status: .usage,
                    message: "Unknown command '\(first)'.\(guess.map { " Did you mean '\($0)'?" } ?? "")\(interactive ? " Type help for help." : "")")
            }
        }
        let subs = Self.subcommandNames(of: args[0])
        guard !subs.isEmpty, args.count > 1, !args[1].hasPrefix("-"), !subs.contains(args[1]) else { return }
        if let full = NearMiss.uniquePrefix(args[1], among: subs) {
            args[1] = full
        } else {
            let guess = NearMiss.suggestion(for: args[1], among: subs)
            throw CommandFailure(
                status: .usage,
                message: "'\(args[0])' has no command '\(args[1])'.\(guess.map { " Did you mean '\(args[0]) \($0)'?" } ?? " It has: \(subs.joined(separator: ", ")).")")
        }
    }

    /// `help` and `help <command>`: the same text as `--help` in the shell.
    private func help(_ path: [String]) -> ExitStatus {
        var words = path
        do {
            try Self.expandCommandWords(&words, interactive: interactive)
            // The built-in help command's run() throws the help text as a clean exit.
            var command = try SatchelCommand.parseAsRoot(["help"] + words)
            try command.run()
        } catch {
            if case .success = ExitStatus(rawValue: SatchelCommand.exitCode(for: error).rawValue) ?? .failure {
                door.say(SatchelCommand.fullMessage(for: error))
                if words.isEmpty {
                    door.say("""

                        Inside the REPL you may also type: lock (lock now), quit (lock and leave; so does Ctrl-D).
                        At a form's prompt: ? explains the field, < goes back, Ctrl-C keeps the form as a draft.
                        """)
                }
                return .success
            }
            return report(error)
        }
        return .success
    }

    private func notHere(_ name: String) -> String {
        switch name {
        case "init": return "`init` creates a vault; run it from the shell: satchel init"
        case "passwd": return "Change your passphrase from the shell: satchel passwd"
        default: return "`\(name)` is not available inside the REPL."
        }
    }

    /// Prints an error the way the shell would and returns its status.
    func report(_ error: any Error) -> ExitStatus {
        ExitStatus.report(error, say: door.say)
    }
}
