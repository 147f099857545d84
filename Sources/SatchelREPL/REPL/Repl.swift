import Foundation
import SatchelUseCases

/// Where the REPL reads command lines: readline on a terminal, plain lines from a
/// script (`satchel < visit.txt`).
public protocol CommandInput: Prompter {
    /// Reads one command line; interactive inputs keep it in memory-only history.
    func readCommand(prompt: String) -> PromptReply
}

/// The read-eval-print loop: `satchel` with no arguments, after unlock.
///
/// Ctrl-D at the top level (or the end of a script) locks and leaves. Without
/// `--bail` every line runs and the exit status is that of the first line that
/// failed (0 if none did); with `--bail` the REPL stops at the first failure.
struct Repl {
    let door: Door
    let input: any CommandInput
    let bail: Bool

    func run() -> ExitStatus {
        let session = door.session
        let dispatcher = CommandDispatcher(door: door, interactive: input.isInteractive)
        if input.isInteractive {
            input.say("Satchel — \(session.vault.workerName) (\(session.vault.role.rawValue)). Type help for help; Ctrl-D locks and leaves.")
        }
        var firstFailure: ExitStatus?
        while true {
            let prompt = "satchel\(session.openInitials.map { " \($0)" } ?? "")> "
            let line: String
            switch input.readCommand(prompt: prompt) {
            case .endOfInput:
                session.lock()
                if input.isInteractive { input.say("Locked.") }
                return firstFailure ?? .success
            case .interrupted:
                continue
            case .answer(let text):
                line = text.trimmingCharacters(in: .whitespaces)
            }
            if line.isEmpty || line.hasPrefix("#") { continue }
            let status = execute(line, dispatcher)
            if status == .quit {
                session.lock()
                if input.isInteractive { input.say("Locked.") }
                return firstFailure ?? .success
            }
            guard let failed = status.failure else { continue }
            if bail {
                session.lock()
                return failed
            }
            firstFailure = firstFailure ?? failed
        }
    }

    private enum LineStatus: Equatable {
        case done(ExitStatus)
        case quit

        var failure: ExitStatus? {
            if case .done(let s) = self, s != .success { return s }
            return nil
        }
    }

    private func execute(_ line: String, _ dispatcher: CommandDispatcher) -> LineStatus {
        let args: [String]
        do {
            args = try CommandLineSplitter.split(line)
        } catch {
            return .done(dispatcher.report(error))
        }
        switch args.first {
        case "quit", "exit":
            return .quit
        case "lock":
            door.session.lock()
            if let relock = input as? any Relockable {
                return relock.lockAndWait() ? .done(.success) : .quit
            }
            return .quit
        default:
            return .done(dispatcher.run(args))
        }
    }
}

/// An input that can hold the session locked until the passphrase is typed again.
protocol Relockable {
    /// Shows the locked screen and asks for the passphrase until it unlocks; false
    /// when no passphrase can be had (end of input): the REPL then leaves, locked.
    func lockAndWait() -> Bool
}

/// Reads a script's lines: no prompts, no history, nobody to ask. Also the shell's
/// prompter when standard input is not a terminal: a missing field is then an error.
final class ScriptInput: CommandInput {
    var isInteractive: Bool { false }

    func readCommand(prompt: String) -> PromptReply {
        guard let line = readLine(strippingNewline: true) else { return .endOfInput }
        return .answer(line)
    }

    func ask(_ prompt: String, completions: [String]) -> PromptReply {
        readCommand(prompt: prompt)
    }

    func say(_ text: String) { print(text) }
}
