import ArgumentParser
import Foundation
import SatchelCore

/// `user …`: the people the team works with.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add and list service users.", subcommands: [Add.self, List.self])

    struct Add: CaptureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a service user.")
        static var form: FormSpec { .serviceUser }
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Keep the record as a draft instead of finalising it.") var draft = false
        @Option(help: fieldHelp(.serviceUser, "name")) var name: String?
        @Option(help: fieldHelp(.serviceUser, "alias")) var alias: String?
        @Option(help: fieldHelp(.serviceUser, "dob")) var dob: String?
        @Option(name: .customLong("nhs-number"), help: fieldHelp(.serviceUser, "nhs-number")) var nhsNumber: String?
        @Option(help: fieldHelp(.serviceUser, "address")) var address: String?
        @Option(name: .customLong("police-ref"), help: fieldHelp(.serviceUser, "police-ref")) var policeRef: String?
        @Option(name: .customLong("lead-clinician"), help: fieldHelp(.serviceUser, "lead-clinician")) var leadClinician: String?
        @Option(help: fieldHelp(.serviceUser, "cpa")) var cpa: String?
        @Option(name: .customLong("pave-tier"), help: fieldHelp(.serviceUser, "pave-tier")) var paveTier: String?

        var userReference: String? { nil }
        var draftOnly: Bool { draft }

        var given: FormAnswers {
            FormAnswers([
                "name": name, "alias": alias, "dob": dob, "nhs-number": nhsNumber, "address": address,
                "police-ref": policeRef, "lead-clinician": leadClinician, "cpa": cpa, "pave-tier": paveTier,
            ])
        }
    }

    struct List: SessionCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List service users (reading them is audited).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON instead of text.") var json = false

        struct Row: Encodable {
            let id: String
            let name: String
            let alias: String?
            let initials: String
            let nhsNumber: String?
            let paveTier: Int?
        }

        func run(in session: Session) throws {
            let rows = try session.serviceUsers()
                .map { Row(id: $0.key.uuidString.lowercased(), name: $0.value.name, alias: $0.value.alias, initials: $0.value.initials,
                           nhsNumber: $0.value.nhsNumber?.formatted, paveTier: $0.value.paveTier?.rawValue) }
                .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
            if json {
                let e = JSONEncoder()
                e.outputFormatting = [.prettyPrinted, .sortedKeys]
                session.say(String(decoding: try e.encode(rows), as: UTF8.self))
            } else if rows.isEmpty {
                session.say("No service users yet. Add one with: user add")
            } else {
                for r in rows {
                    let alias = (r.alias ?? "-").padding(toLength: 14, withPad: " ", startingAt: 0)
                    session.say("\(alias) \(r.initials.padding(toLength: 8, withPad: " ", startingAt: 0)) \(r.name)\(r.nhsNumber.map { "  NHS \($0)" } ?? "")")
                }
            }
        }
    }
}
