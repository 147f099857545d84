import ArgumentParser
import SatchelCore

/// `disclose`: information shared without consent on a lawful basis (SIM guide §48-52, §56).
struct DiscloseCommand: SubjectCaptureCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclose",
        abstract: "Share records without consent on a lawful basis (SIM guide §48-52, §56): releases exactly the records named to one destination, with the basis on each, or records what was told to a person.")
    static let kind = RecordKind.disclosure
    @OptionGroup var global: GlobalOptions
    @OptionGroup var capture: CaptureOptions
    @Option(help: fieldHelp(.disclosure, "to")) var to: String?
    @Option(name: .customLong("to-person"), help: fieldHelp(.disclosure, "to-person")) var toPerson: String?
    @Option(help: fieldHelp(.disclosure, "records")) var records: String?
    @Option(help: fieldHelp(.disclosure, "from")) var from: String?
    @Option(help: fieldHelp(.disclosure, "basis")) var basis: String?
    @Option(help: fieldHelp(.disclosure, "reason")) var reason: String?
    @Option(help: fieldHelp(.disclosure, "likelihood")) var likelihood: String?
    @Option(help: fieldHelp(.disclosure, "impact")) var impact: String?
    @Option(name: .customLong("decided-by"), help: fieldHelp(.disclosure, "decided-by")) var decidedBy: String?
    @Option(help: fieldHelp(.disclosure, "risk")) var risk: String?

    var given: FormAnswers {
        FormAnswers([
            "to": to, "to-person": toPerson, "records": records, "from": from, "basis": basis, "reason": reason,
            "likelihood": likelihood, "impact": impact, "decided-by": decidedBy, "risk": risk,
        ])
    }
}

/// `consent due`: consents whose review date has passed.
struct ConsentDueCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "due", abstract: "List the consent decisions whose review date has passed (the latest decision for each person, scope and party).")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON instead of text.") var json = false

    func run(in door: Door) throws {
        let due = try door.session.consentsDue()
        if json {
            try door.sayJSON(due)
            return
        }
        guard !due.isEmpty else {
            door.say("No consent is past its review date.")
            return
        }
        door.say("\(due.count) consent decision\(due.count == 1 ? "" : "s") past the review date:")
        for d in due {
            door.say("  \(d.serviceUser.padding(toLength: 6, withPad: " ", startingAt: 0)) \(d.scope) with \(d.with): \(d.decision) on \(d.decidedOn), review was due \(d.reviewDate) (\(d.daysOverdue) day\(d.daysOverdue == 1 ? "" : "s") ago)  \(d.record)")
        }
    }
}
