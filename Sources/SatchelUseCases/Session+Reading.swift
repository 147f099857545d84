import Foundation
import SatchelCore
import SatchelStore

/// One record as `history` lists it.
public struct HistoryEntry: Sendable {
    public let header: RecordHeader
    /// The kind's one-line summary (`RecordPayload.summaryLine`); "(draft)" for a draft.
    public let summary: String
}

/// Reading what is on record. Every body opened is audited as a view; nothing else is written.
extension Session {
    /// A service user's records, newest first, as far as `filter` admits them; only those
    /// are opened. A record that fails its integrity check is listed by its header
    /// (`intact` false) with no summary: never shown as valid.
    public func history(of reference: String?, filter: HistoryFilter = HistoryFilter()) throws -> (user: ServiceUser, entries: [HistoryEntry]) {
        let (id, user) = try resolveUser(reference)
        let headers = try vault.headers(subject: id).filter { ($0.kind != .serviceUser || $0.id != id) && filter.admits($0) }
        return (user, try historyEntries(headers))
    }

    /// The records under `headers`, opened (audited as views) for their summaries. A
    /// purged record is listed by its header, with when it was purged: nothing is opened.
    func historyEntries(_ headers: [RecordHeader]) throws -> [HistoryEntry] {
        let opened = try vault.readIntact(headers.filter { $0.purgedAt == nil }.map(\.id), purpose: .view, reason: "history")
        let summaries = Dictionary(uniqueKeysWithValues: opened.records.map { ($0.header.id, Self.summary($0)) })
        let damaged = Set(opened.damaged.map(\.id))
        return headers.map { h in
            if let purgedAt = h.purgedAt {
                return HistoryEntry(header: h, summary: Self.purgedLine(purgedAt))
            }
            return HistoryEntry(
                header: damaged.contains(h.id) ? h.markedDamaged : h,
                summary: summaries[h.id] ?? "(changed outside Satchel: not shown; run `satchel check`)")
        }
    }

    /// What stands in for a purged record's content.
    static func purgedLine(_ purgedAt: Date) -> String {
        "(delivered and purged on \(FieldDate.display(purgedAt)): the content is with the central systems)"
    }

    static func summary(_ r: StoredRecord) -> String {
        guard r.header.state == .final else { return "(draft)" }
        guard let payload = try? RecordCodec.payload(kind: r.header.kind, body: r.body) else { return "(unreadable body)" }
        guard let amended = r.header.amendsID else { return payload.summaryLine }
        let line = r.header.kind == .serviceUser ? "details updated" : payload.summaryLine
        return "\(line) (amends \(short(amended)))"
    }

    /// Every service user, sorted by name.
    public func serviceUserList() throws -> [(id: UUID, user: ServiceUser)] {
        try serviceUsers().map { (id: $0.key, user: $0.value) }
            .sorted { ($0.user.name, $0.id.uuidString) < ($1.user.name, $1.id.uuidString) }
    }

    /// Who, where, what is stored, what waits to be sent, and the audit head.
    public func status() throws -> VaultStatus {
        try vault.status()
    }

    /// Walks the audit chain.
    public func verifyAudit() throws -> AuditLog.Verification {
        try vault.verifyAudit()
    }

    /// Everything the vault authenticates, checked (`satchel check`); nothing is opened
    /// for display, so nothing is audited.
    /// Destinations in config.toml that are not as the worker confirmed them are named too.
    public func check() throws -> [IntegrityFinding] {
        var findings = try vault.check()
        guard configPath != nil else { return findings }
        do {
            for (name, state) in try destinationConfirmations().sorted(by: { $0.key < $1.key }) where state != .notConfigured {
                if let message = state.message(for: name) { findings.append(IntegrityFinding(what: "destination \(name)", problem: message)) }
            }
        } catch {
            findings.append(IntegrityFinding(what: "configuration", problem: "\(error)"))
        }
        return findings
    }
}
