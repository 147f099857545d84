import ArgumentParser
import Foundation
import SatchelCore
import SatchelStore
import SatchelUseCases

/// `satchel status`: who, where, what is stored and what waits to be sent.
struct StatusCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the worker, the vault, records by kind and state, the outbox by destination and the audit head.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run(in door: Door) throws {
        let status = try door.session.status()
        let mentoring = try door.session.mentoringOverview()
        let cases = try door.session.caseOverview()
        let unconfirmed = Self.unconfirmed(door.session)
        if json {
            try door.sayJSON(Report(status: status, mentoring: mentoring, cases: cases))
            for line in unconfirmed { Console.error("Warning: \(line)") }
        } else {
            door.say(Self.render(status, folders: (try? door.session.folderDestinations()) ?? [:]) + Self.render(mentoring) + Self.render(cases))
            for line in unconfirmed { door.say("Warning: \(line)") }
        }
    }

    /// `status --json`: the vault's status with the mentoring overview beside it.
    struct Report: Encodable {
        let status: VaultStatus
        let mentoring: Session.MentoringOverview
        let cases: CaseOverview

        enum Key: String, CodingKey { case mentoring, cases }

        func encode(to encoder: any Encoder) throws {
            try status.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(mentoring, forKey: .mentoring)
            try c.encode(cases, forKey: .cases)
        }
    }

    static func render(_ m: Session.MentoringOverview) -> String {
        var lines: [String] = []
        if !m.withoutPermission.isEmpty {
            lines.append("Without the lead clinician's permission to mentor (SIM §20): \(m.withoutPermission.joined(separator: ", "))")
        }
        if !m.suspended.isEmpty {
            lines.append("Mentoring suspended pending a capacity review (SIM §21): \(m.suspended.joined(separator: ", "))")
        }
        if !m.disengaged.isEmpty {
            lines.append("Disengaged from mentoring, by their engagement decision (SIM §22, §28): \(m.disengaged.joined(separator: ", "))")
        }
        if !m.policeComplaintsReferral.isEmpty {
            lines.append("Referral to the police complaints body required after a death (SIM §63): \(m.policeComplaintsReferral.joined(separator: ", "))")
        }
        return lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n")
    }

    static func render(_ c: CaseOverview) -> String {
        var lines: [String] = []
        if !c.cases.isEmpty {
            lines.append("Cases (PAVE SOP §7-10):")
            lines += c.cases.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }
        }
        lines += c.warnings.map { "Warning: \($0)" }
        return lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n")
    }

    /// Each destination not confirmed as config.toml defines it, with what to run; a
    /// configuration that cannot be read is named instead (status still shows the rest).
    static func unconfirmed(_ session: Session) -> [String] {
        do {
            return try session.destinationConfirmations().sorted { $0.key < $1.key }.compactMap { name, state in
                state == .notConfigured ? nil : state.message(for: name)
            }
        } catch {
            return ["\(error)"]
        }
    }

    /// `folders`: the folder destinations' paths, shown beside their names.
    static func render(_ s: VaultStatus, folders: [String: String] = [:]) -> String {
        var lines = [
            "Worker:  \(s.worker.name) (\(s.worker.role.rawValue))",
            "Vault:   \(s.vault)",
            "Records:",
        ]
        for kind in RecordKind.allCases {
            let c = s.records[kind.rawValue] ?? [:]
            lines.append("  \(kind.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) \(c["final"] ?? 0) final, \(c["draft"] ?? 0) draft")
        }
        if s.outbox.isEmpty {
            lines.append("Outbox:  no destinations configured")
        } else {
            lines.append("Outbox:")
            for (dest, c) in s.outbox.sorted(by: { $0.key < $1.key }) {
                let parts = (OutboxState.allCases.map(\.rawValue) + ["held"]).map { "\(c[$0] ?? 0) \($0)" }
                lines.append("  \(dest)\(folders[dest].map { " (folder \($0))" } ?? ""): " + parts.joined(separator: ", "))
            }
        }
        lines.append("Audit:   \(s.audit.length) entries, head \(s.audit.head.prefix(16))")
        return lines.joined(separator: "\n")
    }
}
