import ArgumentParser
import Foundation
import SatchelUseCases

/// `shift report`: what this worker captured and where it stands, for the handover.
struct ShiftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shift", abstract: "The end of the shift: what was captured, delivered, rejected, held or left as a draft.",
        subcommands: [Report.self])

    struct Report: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Report what you captured since the start of today (or --since): per destination what was delivered with its receipt, and what was not with its reason and fix; drafts still open; the audit head.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("From this day (today, yesterday, 23/11/2026) or date and time (23/11/2026 14:30); default the start of today.", valueName: "when"))
        var since: String?
        @Flag(help: "Print JSON instead of text.") var json = false
        @Option(help: ArgumentHelp("Also write the report as a PDF for the handover (mode 0600).", valueName: "file.pdf")) var out: String?
        @Flag(help: "Replace the PDF if one is already there.") var force = false

        func run(in door: Door) throws {
            let report = try door.session.shiftReport(since: since)
            if json {
                try door.sayJSON(report)
            } else {
                door.say(report.document.plainText())
            }
            if let out {
                try door.session.writeShiftReport(report, to: out, force: force)
                (json ? Console.error : door.say)("Wrote the shift report to \(out) (PDF, mode 0600).")
            }
        }
    }
}
