import ArgumentParser
internal import CTerminal
import Foundation
import SatchelCore
import SatchelStore
import SatchelUseCases

/// The root of the one command tree that both the shell and (later) the REPL parse.
public struct SatchelCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "satchel",
        abstract: "Offline-first field records for mental-health and police mentors: captured on the visit, kept encrypted, delivered at the end of the shift.",
        discussion: "Exit statuses are listed in docs/commands.md.",
        subcommands: [
            InitCommand.self, UserCommand.self, OpenCommand.self, CloseCommand.self, ContactCommand.self, RiskCommand.self,
            TOPCommand.self, ConsentCommand.self, BoundaryCommand.self, CapacityCommand.self, PermissionCommand.self, DeathCommand.self, DiscloseCommand.self,
            PlanCommand.self, ReferralCommand.self, OutcomeCommand.self, ReviewCommand.self, DischargeCommand.self, LetterCommand.self, ShiftCommand.self,
            MDSCommand.self, EnforcementCommand.self, ChartCommand.self, ReportCommand.self, AmendCommand.self, ShowCommand.self, DraftsCommand.self, HistoryCommand.self,
            SyncCommand.self, QueueCommand.self, DestinationCommand.self, StatusCommand.self, PasswdCommand.self, AuditCommand.self,
            CheckCommand.self, ExportCommand.self, CaseloadCommand.self, PurgeCommand.self,
        ])

    @OptionGroup var global: GlobalOptions

    @Flag(help: "In the REPL, stop at the first command that fails (for scripts: satchel --bail < visit.txt).")
    var bail = false

    public init() {}

    /// `satchel` with no command: unlock, then the REPL (readline on a terminal,
    /// line by line from a script).
    public func run() throws {
        let vault = try global.unlock()
        defer { vault.lock() }
        let session = Session(vault: vault, configPath: global.configPath)
        let input: any CommandInput = global.terminalInput(for: session) ?? ScriptInput()
        let status = Repl(door: Door(session: session, prompter: input), input: input, bail: bail).run()
        if status != .success { throw CommandFailure(status: status, message: "") }
    }

    /// Parses and runs one command line; returns the exit status. Never exits.
    public static func execute(_ arguments: [String]) -> Int32 {
        // Line-buffered even into a pipe or a file: a script's log then holds every
        // "Saved …" line for a record that was committed, even if the process is killed.
        satchel_line_buffer_stdout()
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return ExitStatus.success.rawValue
        } catch {
            return ExitStatus.report(error) { print($0) }.rawValue
        }
    }
}

/// A command that ran but did not succeed, with the status to exit with.
struct CommandFailure: Error {
    let status: ExitStatus
    let message: String
}

extension Role: ExpressibleByArgument {}

/// Where messages go: results to stdout, errors and prompts to stderr.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
    }

    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Asks for a value on the terminal; nil at end of input.
    static func ask(_ prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        return readLine(strippingNewline: true)
    }
}
