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
        let unconfirmed = Self.unconfirmed(door.session)
        if json {
            try door.sayJSON(status)
            for line in unconfirmed { Console.error("Warning: \(line)") }
        } else {
            door.say(Self.render(status))
            for line in unconfirmed { door.say("Warning: \(line)") }
        }
        if status.failedUnlocksSinceLastUnlock > 0 {
            Console.error("Warning: \(status.failedUnlocksSinceLastUnlock) failed unlock attempt(s) since your last unlock. If that was not you, tell your team lead.")
        }
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

    static func render(_ s: VaultStatus) -> String {
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
                lines.append("  \(dest): " + parts.joined(separator: ", "))
            }
        }
        lines.append("Audit:   \(s.audit.length) entries, head \(s.audit.head.prefix(16))")
        return lines.joined(separator: "\n")
    }
}
