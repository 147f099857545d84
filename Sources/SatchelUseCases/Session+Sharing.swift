import Foundation
import SatchelCore
import SatchelStore
import SatchelSync

/// The sharing policy, asked at the moments that can change its answer: a record
/// finalised, a consent recorded, a destination confirmed, the start of a sync. Only
/// destinations the worker confirmed as config.toml defines them are released to. Reads
/// (`queue`, `status`, `history`, `sync --dry-run`) never ask it, so they never write.
extension Session {
    /// Whether each destination — in config.toml, registered in the vault, or both — is
    /// confirmed as config.toml defines it now (for `status`, `destination list` and the
    /// vault check). A pure read: nothing is written. Throws `UseCaseError` `.config` when
    /// config.toml cannot be read; a confirmed definition that does not open is not
    /// thrown but named, as `.damaged`.
    public func destinationConfirmations() throws -> [String: DestinationConfirmation] {
        if let confirmationCache { return confirmationCache }
        let configured = try config().destinations
        let registered = Set(try vault.destinations())
        var states: [String: DestinationConfirmation] = [:]
        for d in configured { states[d.name] = try confirmation(of: d, registered: registered) }
        for name in registered where states[name] == nil {
            do {
                _ = try vault.destinationDefinition(name)
                states[name] = .notConfigured
            } catch {
                guard error.code == .integrity else { throw error }
                states[name] = .damaged(error.message)
            }
        }
        confirmationCache = states
        return states
    }

    /// Compares a configured destination with the definition the worker confirmed.
    func confirmation(of d: Destination, registered: Set<String>) throws(VaultError) -> DestinationConfirmation {
        guard registered.contains(d.name) else { return .new }
        let stored: [UInt8]?
        do {
            stored = try vault.destinationDefinition(d.name)
        } catch {
            guard error.code == .integrity else { throw error }
            return .damaged(error.message)
        }
        guard let stored else { return .neverConfirmed }
        let now = DestinationDefinition(d)
        // Sealed by Satchel but not a definition this version reads: show it as changed.
        guard let confirmed = DestinationDefinition.decode(stored) else { return .changed([]) }
        return now == confirmed ? .confirmed : .changed(now.changes(since: confirmed).map { DestinationChange(key: $0.key, confirmed: $0.confirmed, now: $0.now) })
    }

    /// Reads the configuration and each destination's confirmation (once per
    /// configuration read). Registers nothing: only the worker's confirmation does. A
    /// broken configuration is returned as a warning, not thrown: capture goes on, and
    /// new records are held.
    @discardableResult
    func checkDestinations() -> String? {
        do {
            _ = try destinationConfirmations()
            return nil
        } catch {
            return "Warning: \(error) Records you finalise are held, not queued, until this is fixed."
        }
    }

    /// For each configured destination: queue, or hold with the policy's reason. With a
    /// broken configuration everything is held (never shared by accident); a destination
    /// not confirmed as configured holds with what to run.
    func routes(kind: RecordKind, consents: ConsentLedger) -> RoutePlan {
        guard let config = try? config(), let states = try? destinationConfirmations() else { return .notYetChecked }
        var plan = RoutePlan(otherwise: .hold(Route.notYetChecked))
        for d in config.destinations {
            if let unconfirmed = states[d.name]?.message(for: d.name) {
                plan.routes[d.name] = .hold(unconfirmed)
                continue
            }
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
        let states = try destinationConfirmations()
        // Only a destination confirmed as configured is released to; the others keep
        // their holds, with what to run as the reason.
        let rules = Dictionary(uniqueKeysWithValues: config.destinations.filter { states[$0.name]?.isConfirmed == true }.map { ($0.name, $0.rule) })
        let held = try vault.held()
        guard !held.isEmpty else { return 0 }
        let headers = Dictionary(uniqueKeysWithValues: try vault.headers(state: .final).map { ($0.id, $0) })
        var ledgers: [UUID: ConsentLedger] = [:]
        var released = 0
        for entry in held {
            guard let h = headers[entry.recordID], subject == nil || h.subjectID == subject else { continue }
            guard let rule = rules[entry.destination] else {
                let reason = (states[entry.destination] ?? .notConfigured).message(for: entry.destination) ?? Route.notYetChecked
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
