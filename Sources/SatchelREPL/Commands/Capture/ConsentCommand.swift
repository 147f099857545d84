import ArgumentParser
import SatchelCore

/// `consent add`: one consent decision.
struct ConsentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent", abstract: "Record consent decisions, and list those due for review.", subcommands: [Add.self, ConsentDueCommand.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record a consent given, refused or withdrawn.")
        static let kind = RecordKind.consent
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(help: fieldHelp(.consent, "scope")) var scope: String?
        @Option(name: .customLong("with"), help: fieldHelp(.consent, "with")) var party: String?
        @Option(help: fieldHelp(.consent, "decision")) var decision: String?
        @Option(help: fieldHelp(.consent, "reason")) var reason: String?
        @Option(help: fieldHelp(.consent, "method")) var method: String?
        @Option(name: .customLong("review-date"), help: fieldHelp(.consent, "review-date")) var reviewDate: String?
        @Option(name: .customLong("covers-from"), help: fieldHelp(.consent, "covers-from")) var coversFrom: String?
        @Option(help: fieldHelp(.consent, "risk")) var risk: String?

        var given: FormAnswers {
            FormAnswers([
                "scope": scope, "with": party, "decision": decision, "method": method, "review-date": reviewDate,
                "covers-from": coversFrom, "risk": risk, "reason": reason,
            ])
        }
    }
}

/// `boundary add`: a boundary discussion.
struct BoundaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boundary", abstract: "Record boundary discussions.", subcommands: [Add.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record a boundary discussion (the police mentor's; other roles' are contributory).")
        static let kind = RecordKind.boundary
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(help: fieldHelp(.boundary, "behaviour")) var behaviour: String?
        @Option(help: fieldHelp(.boundary, "boundary")) var boundary: String?
        @Option(help: fieldHelp(.boundary, "consequence")) var consequence: String?
        @Option(name: .customLong("legal-explained"), help: fieldHelp(.boundary, "legal-explained")) var legalExplained: String?
        @Option(help: fieldHelp(.boundary, "response")) var response: String?
        @Option(help: fieldHelp(.boundary, "risk")) var risk: String?

        var given: FormAnswers {
            FormAnswers([
                "behaviour": behaviour, "boundary": boundary, "consequence": consequence,
                "legal-explained": legalExplained, "response": response, "risk": risk,
            ])
        }
    }
}
