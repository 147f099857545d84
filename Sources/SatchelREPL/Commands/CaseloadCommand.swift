import ArgumentParser
import Foundation
import SatchelCore
import SatchelUseCases

/// `caseload …`: the team's caseload on the device, read from the central systems.
struct CaseloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caseload", abstract: "Bring the team's caseload onto this device before going out (read-only reference records).",
        subcommands: [Pull.self, Drop.self])

    struct Pull: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "pull",
            abstract: "Read the caseload (people, response plans, risk, consents, flags, recent encounters) from each destination configured with caseload.",
            discussion: "Incremental after the first pull; a cut pull carries on where it stopped. See docs/sync.md, \"Pulling the caseload\".")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Only this destination.", valueName: "name")) var destination: String?
        @Flag(help: "Print the summaries as JSON.") var json = false

        func run(in door: Door) throws {
            let summaries = try door.session.pullCaseload(destination: destination)
            if json {
                try door.sayJSON(summaries)
            } else {
                for s in summaries { door.say(Self.render(s)) }
            }
            if summaries.contains(where: { !$0.complete }) {
                throw CommandFailure(status: .incomplete, message: "")
            }
        }

        static func render(_ s: CaseloadPullSummary) -> String {
            guard s.complete else {
                return "\(s.destination): caseload not pulled\(s.stored > 0 ? " completely (\(s.stored) records stored so far)" : ""): \(s.why ?? "stopped")"
            }
            let how = s.resumed ? "resumed and completed" : s.incremental ? "changes since the last pull" : "full pull"
            return "\(s.destination): caseload of \(s.people) \(s.people == 1 ? "person" : "people") pulled (\(how)): \(s.stored) records stored, \(s.requests) requests."
        }
    }

    struct Drop: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "drop", abstract: "Remove every pulled caseload record from this device at once (your own records stay).")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Only this destination's.", valueName: "name")) var destination: String?

        func run(in door: Door) throws {
            let n = try door.session.dropCaseload(destination: destination)
            door.say("Removed \(n) pulled record\(n == 1 ? "" : "s") from this device.")
        }
    }
}
