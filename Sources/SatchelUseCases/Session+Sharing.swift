import Foundation
import SatchelCore
import SatchelStore
import SatchelSync

/// The sharing policy, asked at the moments that can change its answer: a record
/// finalised, a consent recorded, a destination added, the start of a sync. Reads
/// (`queue`, `status`, `history`, `sync --dry-run`) never ask it, so they never write.
extension Session {
    /// Makes sure every configured destination is known to the vault (a new one holds
    /// what is already final until the policy is asked). A broken configuration is
    /// returned as a warning, not thrown: capture goes on, and new records are held.
    @discardableResult
    func registerDestinations() -> String? {
        do {
            let configured = try config().destinations
            // Once per configuration read: a REPL's saves do not ask the vault again.
            if let registered, configured.allSatisfy({ registered.contains($0.name) }) { return nil }
            let known = Set(try vault.destinations())
            for d in configured where !known.contains(d.name) {
                try vault.addDestination(d.name)
            }
            registered = known.union(configured.map(\.name))
            return nil
        } catch {
            return "Warning: \(error) Records you finalise are held, not queued, until this is fixed."
        }
    }

    /// For each configured destination: queue, or hold with the policy's reason. With a
    /// broken configuration everything is held (never shared by accident).
    func routes(kind: RecordKind, consents: ConsentLedger) -> RoutePlan {
        guard let config = try? config() else { return .notYetChecked }
        var plan = RoutePlan(otherwise: .hold(Route.notYetChecked))
        for d in config.destinations {
            plan.routes[d.name] = SharingPolicy.holdReason(kind: kind, rule: d.rule, consents: consents).map(Route.hold) ?? .queue
        }
        return plan
    }

    /// Asks the policy again about held records (all, or one service user's): a consent
    /// given since, or a destination added since, releases them to the outbox.
    /// Returns how many were released.
    @discardableResult
    func reevaluateHeld(subject: UUID? = nil) throws -> Int {
        let config = try config()
        let rules = Dictionary(uniqueKeysWithValues: config.destinations.map { ($0.name, $0.rule) })
        let held = try vault.held()
        guard !held.isEmpty else { return 0 }
        let headers = Dictionary(uniqueKeysWithValues: try vault.headers(state: .final).map { ($0.id, $0) })
        var ledgers: [UUID: ConsentLedger] = [:]
        var released = 0
        for entry in held {
            guard let h = headers[entry.recordID], subject == nil || h.subjectID == subject else { continue }
            guard let rule = rules[entry.destination] else {
                let reason = "\(entry.destination) is not in the configuration any more"
                if reason != entry.reason { try vault.decide(h.id, destination: entry.destination, route: .hold(reason)) }
                continue
            }
            if ledgers[h.subjectID] == nil { ledgers[h.subjectID] = try consents(for: h.subjectID) }
            let reason = SharingPolicy.holdReason(kind: h.kind, rule: rule, consents: ledgers[h.subjectID] ?? ConsentLedger([]))
            if let reason {
                if reason != entry.reason { try vault.decide(h.id, destination: entry.destination, route: .hold(reason)) }
            } else {
                try vault.decide(h.id, destination: entry.destination, route: .queue)
                released += 1
            }
        }
        return released
    }
}
