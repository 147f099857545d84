import ArgumentParser
import SatchelCore

/// `risk add`: progress notes, mental state, risk and intervention plan (SIM guide §46).
struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk", abstract: "Record risk entries.", subcommands: [Add.self])

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
}
