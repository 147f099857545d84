import Foundation
import SatchelCore
import SatchelDocuments
import SatchelStore

/// The end of a shift (issue 15): one answer for the team lead — was everything this
/// worker captured delivered, where, with what receipt; and what was not, why, and who
/// fixes it — on screen, as JSON and as a PDF for the handover.
public struct ShiftReport: Encodable, Sendable {
    public struct Captured: Encodable, Sendable {
        public let record: String
        public let kind: String
        public let serviceUser: String
        /// final or draft.
        public let state: String
        public let at: String
    }

    public struct Delivered: Encodable, Sendable {
        public let record: String
        public let kind: String
        public let serviceUser: String
        /// The server's id ("Type/id") and version: the receipt.
        public let serverID: String?
        public let serverVersion: String?
    }

    public struct Destination: Encodable, Sendable {
        public let name: String
        /// What this shift's records delivered there.
        public let delivered: [Delivered]
        /// Everything not delivered there, whenever captured: rejected (with the fix), held
        /// (with what releases it), pending or in flight (with the last failed attempt), damaged.
        public let outstanding: [DestinationQueue.Item]
    }

    public struct Draft: Encodable, Sendable {
        public let record: String
        public let kind: String
        public let serviceUser: String
        public let startedAt: String
        /// How to finish it: drafts are never delivered.
        public let fix: String
    }

    public let worker: String
    public let role: String
    public let since: String
    public let until: String
    public let captured: [Captured]
    public let destinations: [Destination]
    public let drafts: [Draft]
    public let auditLength: Int64
    public let auditHead: String

    /// True when nothing is left: every captured record delivered everywhere it goes, no draft open.
    public var allDelivered: Bool { drafts.isEmpty && destinations.allSatisfy(\.outstanding.isEmpty) }
}

extension Session {
    /// What this worker captured since `since` (a day, or a date and time; default the
    /// start of today) and where it stands; every open draft; the audit head. A read: the
    /// drafts' bodies are opened for their progress only through `draftSummaries`.
    public func shiftReport(since text: String?) throws -> ShiftReport {
        let now = clock()
        let since = try text.map { try Self.moment($0, now: now) } ?? Self.startOfDay(now)
        let users = try serviceUsers()
        func about(_ h: RecordHeader) -> String { h.kind == .serviceUser ? (users[h.id]?.initials ?? "new") : initials(of: h, in: users) }
        let mine = try vault.headers().filter { $0.authorID == vault.workerID && $0.createdAt >= since }.reversed()
        let captured = mine.map { h in
            ShiftReport.Captured(record: RecordRef.short(h.id), kind: h.kind.rawValue, serviceUser: about(h), state: h.state.rawValue,
                                 at: FieldDate.display(h.finalisedOrCreatedAt))
        }
        let byID = Dictionary(uniqueKeysWithValues: mine.map { ($0.id, $0) })
        let outbox = try vault.outbox()
        let destinations = try queue().filter(\.registered).map { q in
            let delivered = outbox.filter { $0.destination == q.name && $0.state == .delivered && $0.intact }.compactMap { o -> ShiftReport.Delivered? in
                guard let h = byID[o.recordID] else { return nil }
                return .init(record: RecordRef.short(h.id), kind: h.kind.rawValue, serviceUser: about(h), serverID: o.serverID, serverVersion: o.serverVersion)
            }
            return ShiftReport.Destination(name: q.name, delivered: delivered, outstanding: q.items)
        }
        let drafts = try openDrafts()
        let head = try vault.auditHead()
        return ShiftReport(
            worker: vault.workerName, role: vault.role.rawValue, since: FieldDate.display(since), until: FieldDate.display(now),
            captured: captured, destinations: destinations, drafts: drafts, auditLength: head.seq, auditHead: head.hash)
    }

    /// The drafts still open, each with how to finish it: the report's last section, and
    /// what `sync` names after delivering (without the rest of the report, which reads the
    /// whole vault and outbox).
    public func openDrafts() throws -> [ShiftReport.Draft] {
        let drafts = try drafts()
        guard !drafts.isEmpty else { return [] }
        let users = try serviceUsers()
        return drafts.map { h in
            ShiftReport.Draft(record: RecordRef.short(h.id), kind: h.kind.rawValue, serviceUser: h.kind == .serviceUser ? "new" : initials(of: h, in: users),
                              startedAt: FieldDate.display(h.createdAt),
                              fix: "not finalised, so never delivered: finish it with `drafts --resume \(RecordRef.short(h.id))` or discard it")
        }
    }

    /// The report as a PDF for the handover, at `path` (mode 0600, never over a file unless `force`).
    public func writeShiftReport(_ report: ShiftReport, to path: String, force: Bool) throws {
        try writePDF(report.document, size: .standard, dated: clock(), to: path, force: force)
    }

    static func startOfDay(_ now: Date) -> Date { start(of: FieldDay.on(now)) ?? now }
}

extension ShiftReport {
    /// The report as a readable document: what was captured, per destination what was
    /// delivered (with receipts) and what was not (with reasons and fixes), open drafts, the audit head.
    public var document: ReadableDocument {
        var sections = [ReadableDocument.Section(
            heading: "Captured (\(captured.count))",
            lines: captured.isEmpty ? [.init(label: "", value: "Nothing.")] : captured.map { .init(label: "\($0.kind) \($0.record)", value: "\($0.serviceUser), \($0.state), \($0.at)") })]
        for d in destinations {
            sections.append(.init(
                heading: "\(d.name): delivered (\(d.delivered.count))",
                lines: d.delivered.isEmpty ? [.init(label: "", value: "Nothing from this shift.")] : d.delivered.map {
                    .init(label: "\($0.kind) \($0.record)", value: "\($0.serviceUser); receipt \($0.serverID ?? "none")\($0.serverVersion.map { " version \($0)" } ?? "")")
                }))
            sections.append(.init(
                heading: "\(d.name): not delivered (\(d.outstanding.count))",
                lines: d.outstanding.isEmpty ? [.init(label: "", value: "Nothing outstanding.")] : d.outstanding.map {
                    .init(label: "\($0.state) \($0.kind) \($0.record)", value: "\($0.serviceUser)\($0.reason.map { ": \($0)" } ?? "")")
                }))
        }
        sections.append(.init(
            heading: "Drafts still open (\(drafts.count))",
            lines: drafts.isEmpty ? [.init(label: "", value: "None.")] : drafts.map { .init(label: "\($0.kind) \($0.record)", value: "\($0.serviceUser), started \($0.startedAt): \($0.fix)") }))
        sections.append(.init(heading: "Audit log", lines: [.init(label: "Entries", value: "\(auditLength)"), .init(label: "Head", value: auditHead)]))
        return ReadableDocument(
            title: "Shift report: \(worker) (\(role))",
            preamble: ["From \(since) to \(until).", allDelivered ? "Everything captured is delivered and no draft is open." : "Not everything is delivered: see below for why and who fixes it."],
            sections: sections)
    }
}
