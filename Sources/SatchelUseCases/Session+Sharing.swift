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

    /// For each configured destination: queue (on consent or a disclosure), or hold with
    /// the policy's reason. With a broken configuration everything is held (never shared
    /// by accident); a destination not confirmed as configured holds with what to run.
    func routes(_ record: RecordBrief, consents: ConsentLedger, disclosures: [DisclosureGrant]) -> RoutePlan {
        guard let config = try? config(), let states = try? destinationConfirmations() else { return .notYetChecked }
        var plan = RoutePlan(otherwise: .hold(Route.notYetChecked))
        for d in config.destinations {
            if let unconfirmed = states[d.name]?.message(for: d.name) {
                plan.routes[d.name] = .hold(unconfirmed)
                continue
            }
            plan.routes[d.name] = Self.route(SharingPolicy.decide(record, rule: d.rule, consents: consents, disclosures: disclosures))
        }
        return plan
    }

    static func route(_ decision: SharingDecision) -> Route {
        switch decision {
        case .share: .queue
        case .disclose(let grant): .disclose(grant.id)
        case .hold(let reason): .hold(reason)
        }
    }

    /// What was decided when the policy was asked again.
    public struct Reevaluation: Sendable, Equatable {
        /// Held records released to the outbox (on consent or a disclosure).
        public var released = 0
        /// Queued records not yet sent, held back again (a withdrawal).
        public var recalled = 0
    }

    /// Asks the policy again about held records and records queued but not yet sent (all,
    /// or one service user's): a consent given since, a disclosure, or a destination
    /// confirmed since releases held ones; a withdrawal or refusal since holds queued ones
    /// back (SIM guide §22). Asked after every consent or disclosure is recorded, and at
    /// the start of every sync, so a withdrawal takes effect before the next sync.
    @discardableResult
    func reevaluate(subject: UUID? = nil) throws -> Reevaluation {
        let config = try config()
        let states = try destinationConfirmations()
        // Only a destination confirmed as configured is released to; the others keep
        // their holds, with what to run as the reason.
        let rules = Dictionary(uniqueKeysWithValues: config.destinations.filter { states[$0.name]?.isConfirmed == true }.map { ($0.name, $0.rule) })
        let held = try vault.held()
        var result = Reevaluation()
        var people: [UUID: (ConsentLedger, [DisclosureGrant])] = [:]
        func decision(_ brief: RecordBrief, of subject: UUID, _ rule: SharingRule) throws -> SharingDecision {
            if people[subject] == nil { people[subject] = (try consents(for: subject), try disclosures(for: subject)) }
            let (ledger, grants) = people[subject] ?? (ConsentLedger([]), [])
            return SharingPolicy.decide(brief, rule: rule, consents: ledger, disclosures: grants)
        }
        func decision(_ h: RecordHeader, _ rule: SharingRule) throws -> SharingDecision {
            try decision(RecordBrief(id: h.id, kind: h.kind, writtenAt: h.finalisedOrCreatedAt), of: h.subjectID, rule)
        }
        let heldHeaders = try vault.headers(ids: Array(Set(held.map(\.recordID))))
        for entry in held {
            guard let h = heldHeaders[entry.recordID], subject == nil || h.subjectID == subject else { continue }
            guard let rule = rules[entry.destination] else {
                let reason = (states[entry.destination] ?? .notConfigured).message(for: entry.destination) ?? Route.notYetChecked
                if reason != entry.reason { try vault.decide(h.id, destination: entry.destination, route: .hold(reason)) }
                continue
            }
            let route = Self.route(try decision(h, rule))
            if case .hold(let reason) = route {
                if reason != entry.reason { try vault.decide(h.id, destination: entry.destination, route: route) }
            } else {
                try vault.decide(h.id, destination: entry.destination, route: route)
                result.released += 1
            }
        }
        // Only consent is taken back: a destination whose kinds changed since a record was
        // queued gets what was queued under the definition the worker confirmed then. The
        // queue is read a page at a time (a sync's memory stays flat with its length), as
        // the rows state it; a row and its record are checked (MACs) before anything is
        // done or read because of them — a person's consents are read for a checked row,
        // and a row whose route changes is checked — so a row or record changed outside
        // Satchel is never acted on, as when every row was checked, and a row that stays
        // as it is costs no check.
        try vault.forEachPendingRoute(subject: subject) { page in
            for claim in page where claim.disclosureID == nil {
                guard let rule = rules[claim.destination], rule.kinds.contains(claim.kind) else { continue }
                if people[claim.subjectID] == nil {
                    guard try vault.checkedRoute(claim.recordID, destination: claim.destination) != nil else { continue }
                }
                let claimed = RecordBrief(id: claim.recordID, kind: claim.kind, writtenAt: claim.writtenAt)
                if case .share = try decision(claimed, of: claim.subjectID, rule) { continue }
                guard let (entry, h) = try vault.checkedRoute(claim.recordID, destination: claim.destination),
                      entry.state == .pending, entry.disclosureID == nil, rule.kinds.contains(h.kind)
                else { continue }
                switch try decision(h, rule) {
                case .share:
                    continue
                case .hold(let reason):
                    if try vault.recall(h.id, destination: entry.destination, reason: reason) { result.recalled += 1 }
                case .disclose(let grant):
                    // Consent no longer covers it, a disclosure does: it goes under the disclosure's basis.
                    if try vault.recall(h.id, destination: entry.destination, reason: "re-queued under disclosure \(Self.short(grant.id))") {
                        try vault.decide(h.id, destination: entry.destination, route: .disclose(grant.id))
                    }
                }
            }
        }
        return result
    }

    /// What the person's disclosures to destinations release (each read audited).
    func disclosures(for subject: UUID) throws -> [DisclosureGrant] {
        let ids = try vault.headers(subject: subject, state: .final, kind: .disclosure).filter(\.intact).map(\.id)
        guard !ids.isEmpty else { return [] }
        return Self.grants(try vault.read(ids, reason: "disclosure check"))
    }

    /// Oldest first, so the latest disclosure naming a record is the one it goes under.
    static func grants(_ records: [StoredRecord]) -> [DisclosureGrant] {
        records.sorted { $0.header.finalisedOrCreatedAt < $1.header.finalisedOrCreatedAt }.compactMap { r in
            (try? RecordCodec.decode(Disclosure.self, from: r.body)).flatMap { DisclosureGrant.of(id: r.header.id, $0) }
        }
    }
}
