import ArgumentParser
import SatchelCore

/// `risk add`: progress notes, mental state, risk and intervention plan (SIM guide §46).
/// `risk endorse`: a colleague's contributory grade made final by the role with the final say (§43).
struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk", abstract: "Record risk entries.", subcommands: [Add.self, Endorse.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record a risk entry graded likelihood × impact on the team's risk matrix.")
        static let kind = RecordKind.risk
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(help: fieldHelp(.risk, "progress")) var progress: String?
        @Option(name: .customLong("mental-state"), help: fieldHelp(.risk, "mental-state")) var mentalState: String?
        @Option(help: fieldHelp(.risk, "risk")) var risk: String?
        @Option(help: fieldHelp(.risk, "plan")) var plan: String?
        @Option(help: fieldHelp(.risk, "likelihood")) var likelihood: String?
        @Option(help: fieldHelp(.risk, "impact")) var impact: String?
        @Option(help: fieldHelp(.risk, "domain")) var domain: String?

        var given: FormAnswers {
            FormAnswers([
                "progress": progress, "mental-state": mentalState, "risk": risk, "plan": plan,
                "likelihood": likelihood, "impact": impact, "domain": domain,
            ])
        }
    }

    struct Endorse: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "endorse",
            abstract: "Make a colleague's contributory risk grade, pulled with `caseload pull`, final: the role with the final say endorses it (SIM guide §43).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The pulled risk assessment, DEST/RiskAssessment/ID as `history` lists it.", valueName: "record")) var record: String
        @Flag(help: "Endorse without asking \"Confirm? [y/N]\" (for scripts).") var yes = false

        func run(in door: Door) throws {
            let preview = try door.session.prepareEndorsement(record)
            door.say("Endorse as final for \(preview.initials): \(preview.key)")
            for (label, value) in preview.lines { door.say("  \(label): \(value)") }
            guard try door.confirm(yes: yes, command: "risk endorse") else {
                door.say("Not endorsed; nothing was saved.")
                return
            }
            door.report(try door.session.endorse(preview))
        }
    }
}
