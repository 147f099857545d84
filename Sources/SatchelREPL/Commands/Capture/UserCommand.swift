import ArgumentParser
import Foundation
import SatchelCore

/// `user …`: the people the team works with.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, update and list service users.", subcommands: [Add.self, Update.self, List.self])

    /// A service user's details as flags (`user add`, `user update`).
    struct Details: ParsableArguments {
        @Option(help: fieldHelp(.serviceUser, "name")) var name: String?
        @Option(help: fieldHelp(.serviceUser, "alias")) var alias: String?
        @Option(help: fieldHelp(.serviceUser, "dob")) var dob: String?
        @Option(name: .customLong("nhs-number"), help: fieldHelp(.serviceUser, "nhs-number")) var nhsNumber: String?
        @Option(help: fieldHelp(.serviceUser, "address")) var address: String?
        @Option(name: .customLong("police-ref"), help: fieldHelp(.serviceUser, "police-ref")) var policeRef: String?
        @Option(name: .customLong("lead-clinician"), help: fieldHelp(.serviceUser, "lead-clinician")) var leadClinician: String?
        @Option(help: fieldHelp(.serviceUser, "cpa")) var cpa: String?
        @Option(name: .customLong("care-coordinator"), help: fieldHelp(.serviceUser, "care-coordinator")) var careCoordinator: String?
        @Option(name: .customLong("pave-tier"), help: fieldHelp(.serviceUser, "pave-tier")) var paveTier: String?

        var given: FormAnswers {
            FormAnswers([
                "name": name, "alias": alias, "dob": dob, "nhs-number": nhsNumber, "address": address,
                "police-ref": policeRef, "lead-clinician": leadClinician, "cpa": cpa, "care-coordinator": careCoordinator,
                "pave-tier": paveTier,
            ])
        }
    }

    struct Add: CaptureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a service user.")
        static let kind = RecordKind.serviceUser
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Keep the record as a draft instead of finalising it.") var draft = false
        @OptionGroup var details: Details

        var userReference: String? { nil }
        var draftOnly: Bool { draft }
        var given: FormAnswers { details.given }
    }

    /// `user update`: a person's details as they are now, as an amendment of their record.
    struct Update: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Update a service user's details (an NHS number learnt later, a new address, CPA and the care co-ordinator, a new PAVE tier): an amendment of their record; their Patient is updated, not duplicated.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The service user, by alias or name (default: the one `open` made current).", valueName: "user"))
        var user: String?
        @Flag(help: "Keep the update as a draft instead of finalising it.") var draft = false
        @OptionGroup var details: Details

        func run(in door: Door) throws {
            try door.amend(try door.session.startUserUpdate(user), changes: details.given, draftOnly: draft)
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

        func run(in door: Door) throws {
            let rows = try door.session.serviceUserList()
                .map { Row(id: $0.id.uuidString.lowercased(), name: $0.user.name, alias: $0.user.alias, initials: $0.user.initials,
                           nhsNumber: $0.user.nhsNumber?.formatted, paveTier: $0.user.paveTier?.rawValue) }
            if json {
                try door.sayJSON(rows)
            } else if rows.isEmpty {
                door.say("No service users yet. Add one with: user add")
            } else {
                for r in rows {
                    let alias = (r.alias ?? "-").padding(toLength: 14, withPad: " ", startingAt: 0)
                    door.say("\(alias) \(r.initials.padding(toLength: 8, withPad: " ", startingAt: 0)) \(r.name)\(r.nhsNumber.map { "  NHS \($0)" } ?? "")")
                }
            }
        }
    }
}
