import Foundation
import SatchelCore
import SatchelStore

/// One record rendered for people (`show`): every field with its label, who wrote it in
/// which role and when, what it amends and what amends it, and where it stands with each
/// destination.
public struct RecordView: Sendable, Encodable {
    public struct Field: Sendable, Encodable {
        public let label: String
        public let value: String
    }

    /// Where the record stands with one destination.
    public struct Delivery: Sendable, Encodable {
        public let destination: String
        /// pending, in-flight, delivered, rejected, held, or damaged.
        public let state: String
        public let serverID: String?
        public let serverVersion: String?
        /// The server's reason (rejected), the last failed attempt (pending), or why it is held.
        public let reason: String?
        /// What to do about it, when something can be done.
        public let fix: String?
    }

    public let id: String
    public let kind: String
    public let title: String
    public let serviceUser: String
    public let state: String
    public let author: String
    public let authorRole: String
    public let createdAt: String
    public let finalisedAt: String?
    public let amends: String?
    public let amendedBy: [String]
    /// A case step: the step before it and the one after (PAVE SOP §7-10; not corrections).
    public let follows: String?
    public let followedBy: String?
    /// When its body was purged, once delivered everywhere it was due: `fields` then says so.
    public let purgedAt: String?
    public let fields: [Field]
    public let deliveries: [Delivery]
}

extension Session {
    /// A record by the start of its id, rendered whole; the body opened is audited as a
    /// view (reason "show"). A record that fails its integrity check is refused (`satchel check`).
    public func show(_ reference: String) throws -> RecordView {
        let h = try record(reference, state: nil)
        var fields: [RecordView.Field] = []
        if let purgedAt = h.purgedAt {
            // Nothing to open: the header and the receipts are what is left.
            guard h.intact else { throw VaultError(.integrity, Vault.damagedRecordMessage(h.id.uuidString.lowercased(), kind: h.kind.rawValue)) }
            fields = [.init(label: "Purged", value: "delivered and purged on \(FieldDate.display(purgedAt)): its content is no longer on this device; the central systems below hold it")]
            return try view(h, fields: fields)
        }
        let opened = try vault.readIntact([h.id], purpose: .view, reason: "show")
        if let problem = opened.damaged.first?.1 { throw VaultError(.integrity, problem) }
        guard let record = opened.records.first else { throw UseCaseError(.badInput, "record: \(Self.short(h.id)) could not be opened.") }
        if h.state == .draft {
            fields = [.init(label: "Draft", value: "not finalised; resume it with drafts --resume \(Self.short(h.id))")]
        } else if let payload = try? RecordCodec.payload(kind: h.kind, body: record.body) {
            fields = RecordText.lines(for: payload).map { .init(label: $0.label, value: $0.value) }
        } else {
            fields = [.init(label: "Body", value: "not one this version of Satchel can read")]
        }
        return try view(h, fields: fields)
    }

    private func view(_ h: RecordHeader, fields: [RecordView.Field]) throws -> RecordView {
        let users = try serviceUsers()
        // A case step names the step before it like an amendment does; it is shown as what it is.
        let previous = try h.amendsID.flatMap { id in try vault.headers(subject: h.subjectID, state: .final).first { $0.id == id } }
        let next = try successor(of: h)
        let stepBefore = previous.map { $0.kind != h.kind } ?? false
        let stepAfter = next.map { $0.kind != h.kind } ?? false
        return RecordView(
            id: h.id.uuidString.lowercased(), kind: h.kind.rawValue, title: RecordText.title(of: h.kind),
            serviceUser: users[h.subjectID]?.initials ?? "?", state: h.state.rawValue,
            author: h.authorID == vault.workerID ? vault.workerName : h.authorID, authorRole: h.authorRole.rawValue,
            createdAt: FieldDate.display(h.createdAt), finalisedAt: h.finalisedAt.map { FieldDate.display($0) },
            amends: stepBefore ? nil : h.amendsID.map(Self.short), amendedBy: stepAfter ? [] : next.map { [Self.short($0.id)] } ?? [],
            follows: stepBefore ? h.amendsID.map(Self.short) : nil, followedBy: stepAfter ? next.map { Self.short($0.id) } : nil,
            purgedAt: h.purgedAt.map { FieldDate.display($0) }, fields: fields, deliveries: try deliveries(of: h))
    }

    private func deliveries(of h: RecordHeader) throws -> [RecordView.Delivery] {
        var out: [RecordView.Delivery] = []
        let outbox = try vault.outbox(record: h.id)
        let correction = try correction(of: h)
        let correctionRows = try correction.map { try vault.outbox(record: $0.id) } ?? []
        for o in outbox {
            guard o.intact else {
                out.append(.init(destination: o.destination, state: "damaged", serverID: nil, serverVersion: nil,
                                 reason: "changed outside Satchel: not sent", fix: "run `satchel check`"))
                continue
            }
            var fix: String?
            if o.state == .rejected {
                if let c = correction {
                    let arrived = correctionRows.contains { $0.recordID == c.id && $0.destination == o.destination && $0.state == .delivered }
                    fix = arrived ? "resolved by \(Self.short(c.id)), delivered in its place" : "corrected by \(Self.short(c.id)), not delivered yet"
                } else {
                    fix = "correct it with `amend \(Self.short(h.id))`\(h.kind == .serviceUser ? " (or `user update`)" : ""): the correction is sent in its place"
                }
            }
            out.append(.init(destination: o.destination, state: o.state.rawValue, serverID: o.serverID, serverVersion: o.serverVersion,
                             reason: o.state == .delivered ? nil : o.lastError, fix: fix))
        }
        for held in try vault.held(record: h.id) {
            out.append(.init(destination: held.destination, state: held.intact ? "held" : "damaged", serverID: nil, serverVersion: nil,
                             reason: held.intact ? held.reason : "changed outside Satchel: not released", fix: nil))
        }
        return out.sorted { $0.destination < $1.destination }
    }
}
