import ArgumentParser
import SatchelCore

/// `contact add`: a contact, one of the seven triggers of SIM guide §25.
struct ContactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact", abstract: "Record contacts.", subcommands: [Add.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record a contact: a visit, a call, a missed appointment, an attempt, an offence or another significant event.")
        static let kind = RecordKind.contact
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(help: fieldHelp(.contact, "kind")) var kind: String?
        @Option(help: fieldHelp(.contact, "at")) var at: String?
        @Option(name: .customLong("where"), help: fieldHelp(.contact, "where")) var place: String?
        @Option(help: fieldHelp(.contact, "minutes")) var minutes: String?
        @Option(help: fieldHelp(.contact, "present")) var present: [String] = []
        @Option(help: fieldHelp(.contact, "summary")) var summary: String?
        @Option(help: fieldHelp(.contact, "risk")) var risk: String?

        var given: FormAnswers {
            FormAnswers([
                "kind": kind, "at": at, "where": place, "minutes": minutes,
                "present": present.isEmpty ? nil : present.joined(separator: "; "), "summary": summary, "risk": risk,
            ])
        }
    }
}
