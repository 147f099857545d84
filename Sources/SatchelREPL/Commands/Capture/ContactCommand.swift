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
        @Option(help: fieldHelp(.contact, "relative")) var relative: String?
        @Option(help: fieldHelp(.contact, "present")) var present: [String] = []
        @Option(help: fieldHelp(.contact, "professional")) var professional: [String] = []
        @Option(name: .customLong("police-present"), help: fieldHelp(.contact, "police-present")) var policePresent: [String] = []
        @Option(help: fieldHelp(.contact, "summary")) var summary: String?
        @Option(help: fieldHelp(.contact, "risk")) var risk: String?

        var given: FormAnswers {
            FormAnswers([
                "kind": kind, "at": at, "where": place, "minutes": minutes,
                "relative": relative, "present": Self.joined(present), "professional": Self.joined(professional),
                "police-present": Self.joined(policePresent), "summary": summary, "risk": risk,
            ])
        }

        /// A repeated flag as the form's `;`-separated answer; nil when not given.
        static func joined(_ values: [String]) -> String? {
            values.isEmpty ? nil : values.joined(separator: "; ")
        }
    }
}
