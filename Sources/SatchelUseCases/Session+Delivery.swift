import Foundation
import SatchelCore
import SatchelStore
import SatchelSync

extension Session {
    /// Delivers the outbox to each destination (or one): re-asks the policy first. A
    /// destination not confirmed as config.toml defines it now is not run at all (no
    /// record, no token request): its summary says what to run. With `dryRun`, lists what
    /// would be sent and changes nothing. Otherwise, once delivered, the bodies
    /// `[retention] purge-after-days` says are due are purged (`purgedBySync`).
    public func sync(
        destination name: String? = nil, dryRun: Bool, progress: @escaping (String, Int, Int) -> Void = { _, _, _ in }
    ) throws -> [DeliverySummary] {
        if !dryRun {
            if let warning = checkDestinations() { throw UseCaseError(.config, warning) }
            try reevaluate()
        }
        let targets = try name.map { [try destination(named: $0)] } ?? config().destinations
        guard !targets.isEmpty else {
            throw UseCaseError(.config, "No destinations are configured. Add one with: destination add NAME --url https://… (or --folder PATH)")
        }
        let states = try destinationConfirmations()
        purgedBySync = nil
        let summaries = try targets.map { d in
            var summary = try sync(d, states[d.name], dryRun: dryRun, progress: progress)
            summary.folder = d.folder
            return summary
        }
        // Retention runs after every real sync, whatever each destination's outcome: it
        // concerns only records whose receipts are already in the vault.
        if !dryRun, let purged = try purgeDue(), !purged.items.isEmpty { purgedBySync = purged }
        return summaries
    }

    /// One destination's sync, or why it is not run.
    private func sync(
        _ d: Destination, _ state: DestinationConfirmation?, dryRun: Bool, progress: @escaping (String, Int, Int) -> Void
    ) throws -> DeliverySummary {
        if let unconfirmed = state?.message(for: d.name) {
            var r = DeliverySummary(destination: d.name)
            r.unconfirmed = unconfirmed
            r.held = try vault.held(destination: d.name).count
            r.stillQueued = try vault.outbox(destination: d.name).filter { $0.state == .pending || $0.state == .inFlight }.count
            return r
        }
        do {
            let engine = try engine(for: d)
            engine.progress = { done, total in progress(d.name, done, total) }
            return engine.run(dryRun: dryRun)
        } catch let error as SyncError {
            var r = DeliverySummary(destination: d.name)
            r.why = error.message
            return r
        }
    }

    /// What waits for each destination, what was rejected and what is held, with
    /// reasons. A pure read: nothing is re-decided here.
    public func queue() throws -> [DestinationQueue] {
        let configured = Set(try config().destinations.map(\.name))
        let headers = Dictionary(uniqueKeysWithValues: try vault.headers(state: .final).map { ($0.id, $0) })
        let users = try serviceUsers()
        func item(_ id: UUID, state: String, attempts: Int?, reason: String?) -> DestinationQueue.Item {
            let h = headers[id]
            return .init(
                record: RecordRef.short(id), kind: h?.kind.rawValue ?? "?", serviceUser: h.map { initials(of: $0, in: users) } ?? "?",
                state: state, attempts: attempts, reason: reason)
        }
        var queues: [String: DestinationQueue] = [:]
        for name in configured {
            queues[name] = DestinationQueue(name: name, configured: true, registered: false, items: [])
        }
        for name in try vault.destinations() {
            queues[name] = DestinationQueue(name: name, configured: configured.contains(name), registered: true, items: [])
        }
        for (name, path) in try folderDestinations() { queues[name]?.folder = path }
        // A row or record that fails its integrity check is listed as such, never as a valid route.
        func checked(_ id: UUID, _ rowIntact: Bool, _ reason: String?) -> (state: String?, reason: String?) {
            guard rowIntact, headers[id]?.intact ?? true else {
                return ("damaged", "changed outside Satchel: not sent or released (run `satchel check`)")
            }
            return (nil, reason)
        }
        let outbox = try vault.outbox(), held = try vault.held()
        // A record both queued and held for one destination had a row added outside Satchel.
        let queuedPairs = Set(outbox.map { "\($0.recordID)|\($0.destination)" })
        let both = Set(held.map { "\($0.recordID)|\($0.destination)" }).intersection(queuedPairs)
        let refused = refusedPatients(outbox, headers)
        for o in outbox where o.state != .delivered || !o.intact {
            var reason = o.lastError
            if let h = headers[o.recordID] {
                if o.state == .rejected, amendedBy(h.id, headers) == nil {
                    reason = "\(reason ?? "refused"); fix: \(h.kind == .serviceUser ? "user update" : "amend \(RecordRef.short(h.id))")"
                } else if o.state == .rejected, let fix = amendedBy(h.id, headers) {
                    reason = "\(reason ?? "refused"); corrected by \(RecordRef.short(fix))"
                } else if o.state == .pending, h.kind != .serviceUser, let why = refused[o.destination]?[h.subjectID] {
                    reason = "waiting for \(users[h.subjectID]?.initials ?? "the person")'s Patient, refused by \(o.destination): \(why); fix with `user update`"
                }
            }
            let c = checked(o.recordID, o.intact && !both.contains("\(o.recordID)|\(o.destination)"), reason)
            queues[o.destination]?.items.append(item(o.recordID, state: c.state ?? o.state.rawValue, attempts: o.attempts, reason: c.reason))
        }
        for h in held {
            let c = checked(h.recordID, h.intact && !both.contains("\(h.recordID)|\(h.destination)"), h.reason)
            queues[h.destination]?.items.append(item(h.recordID, state: c.state ?? "held", attempts: nil, reason: c.reason))
        }
        // Every final record has one row per registered destination; one with none had
        // its route removed outside Satchel.
        var routed: [String: Set<UUID>] = [:]
        for o in outbox { routed[o.destination, default: []].insert(o.recordID) }
        for h in held { routed[h.destination, default: []].insert(h.recordID) }
        for name in try vault.destinations() {
            for id in headers.keys.sorted(by: { $0.uuidString < $1.uuidString }) where !(routed[name]?.contains(id) ?? false) {
                queues[name]?.items.append(item(id, state: "damaged", attempts: nil, reason: "its route was removed outside Satchel: neither queued nor held (run `satchel check`)"))
            }
        }
        return queues.values.sorted { $0.name < $1.name }
    }
}

extension Session {
    /// Per destination, the people whose Patient it refused and holds in no version, with
    /// the refusal: everything else about them waits for a corrected one (`user update`).
    func refusedPatients(_ outbox: [OutboxEntry], _ headers: [UUID: RecordHeader]) -> [String: [UUID: String]] {
        var placed: [String: Set<UUID>] = [:]
        var refused: [String: [UUID: String]] = [:]
        for o in outbox where o.intact {
            guard let h = headers[o.recordID], h.kind == .serviceUser else { continue }
            if o.state == .delivered { placed[o.destination, default: []].insert(h.subjectID) }
            if o.state == .rejected { refused[o.destination, default: [:]][h.subjectID] = o.lastError ?? "no reason given" }
        }
        for (destination, people) in refused {
            refused[destination] = people.filter { !(placed[destination]?.contains($0.key) ?? false) }
        }
        return refused
    }

    /// The record that corrects this one, if any.
    func amendedBy(_ id: UUID, _ headers: [UUID: RecordHeader]) -> UUID? {
        headers.values.first { $0.intact && $0.amendsID == id }?.id
    }
}

/// How records are named to people: the first 8 characters of the id.
public enum RecordRef {
    public static func short(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) }
}
