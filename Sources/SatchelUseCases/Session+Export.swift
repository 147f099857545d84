import Foundation
import SatchelCore
import SatchelDocuments
import SatchelStore
import SatchelSync

/// What `export` wrote.
public struct ExportSummary: Sendable {
    public let format: ExportFormat
    /// Records in the file (the person's own record among them).
    public let records: Int
    /// Records left out because they failed their integrity check: id and kind.
    public let damaged: [(id: UUID, kind: RecordKind)]
    /// Records left out because their bodies were purged once delivered: id and kind.
    public let purged: [(id: UUID, kind: RecordKind)]
    public let redacted: Bool
}

/// Giving the person their records (SIM guide §54): "service users should have access to
/// the records made by their mentoring team … ideally in paper form or a summary can be
/// sent by email (with personal data that would identify the service user removed)".
extension Session {
    /// Writes everything final on record about a person to `path`, in the format its
    /// extension names, oldest first. The bodies are opened as an export (audited so).
    /// A record failing its integrity check is named, never written as valid.
    /// `redact` removes the person's identifying data (`Redaction`).
    public func export(user reference: String?, to path: String, redact: Bool, force: Bool) throws -> ExportSummary {
        let format = try ExportFormat(path: path)
        try ExportFile.checkWritable(path, force: force)
        let (id, user) = try resolveUser(reference)
        let all = try vault.headers(subject: id, state: .final)
        let purged = all.filter { $0.purgedAt != nil }
        let headers = all.filter { $0.purgedAt == nil }
            .sorted { ($0.kind == .serviceUser ? 0 : 1, $0.finalisedOrCreatedAt) < ($1.kind == .serviceUser ? 0 : 1, $1.finalisedOrCreatedAt) }
        let opened = try vault.readIntact(headers.map(\.id), purpose: .export, reason: "export \(format.rawValue)")
        let byID = Dictionary(uniqueKeysWithValues: opened.records.map { ($0.header.id, $0) })
        let records = headers.compactMap { byID[$0.id] }
        let damagedIDs = Set(opened.damaged.map(\.id))
        let damaged = headers.filter { damagedIDs.contains($0.id) }
        let redaction = redact ? Redaction(user) : nil

        let bytes: [UInt8]
        switch format {
        case .json:
            let outgoing = records.map { OutgoingRecord($0, authorName: vault.workerName) }
            do { bytes = try CollectionBundle.bundle(outgoing, timestamp: clock(), redaction: redaction) } catch {
                throw UseCaseError(.refused, error.message)
            }
        case .txt:
            bytes = Array(document(user, records, damaged: damaged, purged: purged, redaction: redaction).plainText().utf8)
        case .pdf:
            do { bytes = try PDFWriter().render(document(user, records, damaged: damaged, purged: purged, redaction: redaction)) } catch {
                throw UseCaseError(.refused, "--out: \(error.message)")
            }
        }
        try ExportFile.write(bytes, to: path, force: force)
        return ExportSummary(
            format: format, records: records.count, damaged: damaged.map { ($0.id, $0.kind) }, purged: purged.map { ($0.id, $0.kind) }, redacted: redact)
    }

    // MARK: - The readable document

    func document(_ user: ServiceUser, _ records: [StoredRecord], damaged: [RecordHeader], purged: [RecordHeader], redaction: Redaction?) -> ReadableDocument {
        var preamble = [
            "Made by Satchel on \(FieldDate.display(clock())) by \(vault.workerName) (\(vault.role.rawValue)).",
            "Final records only, oldest first: \(records.count) record\(records.count == 1 ? "" : "s").",
        ]
        if redaction != nil {
            preamble.append("Identifying details (name, NHS number, address, date of birth, police reference) are removed and shown as \(Redaction.mark).")
        }
        if !damaged.isEmpty {
            preamble.append("\(damaged.count) record(s) failed their integrity check and are not included: \(damaged.map { "\($0.kind.rawValue) \(Self.shortID($0.id))" }.joined(separator: ", ")).")
        }
        if !purged.isEmpty {
            preamble.append("\(purged.count) record(s) were delivered and purged from this device, and are not included (the central systems hold them): \(purged.map { "\($0.kind.rawValue) \(Self.shortID($0.id))" }.joined(separator: ", ")).")
        }
        let sections = records.map { section(for: OutgoingRecord($0, authorName: vault.workerName), redaction: redaction) }
        let title = redaction == nil ? "Mentoring records: \(user.name)" : "Mentoring records: summary"
        return ReadableDocument(title: title, preamble: preamble, sections: sections)
    }

    /// One record as a section of a readable document: its facts, then its content as
    /// `RecordText` words it (export, and the PDF a folder destination receives).
    func section(for r: OutgoingRecord, redaction: Redaction?) -> ReadableDocument.Section {
        let scrub: (String) -> String = { redaction?.apply($0) ?? $0 }
        var lines = [
            ReadableDocument.Line(label: "Record", value: Self.shortID(r.id)),
            .init(label: "Recorded", value: "\(FieldDate.display(r.createdAt)) by \(r.authorName) (\(r.authorRole.rawValue))"),
            .init(label: "Finalised", value: FieldDate.display(r.finalisedAt)),
        ]
        if let amends = r.amendsID { lines.append(.init(label: "Amends", value: Self.shortID(amends))) }
        if let payload = try? RecordCodec.payload(kind: r.kind, body: r.body) {
            lines += RecordText.lines(for: payload)
                .filter { redaction == nil || r.kind != .serviceUser || !RecordText.identifyingLabels.contains($0.label) }
                .map { .init(label: $0.label, value: scrub($0.value)) }
        } else {
            lines.append(.init(label: "Content", value: "(unreadable: this record's body does not decode; run `satchel check`)"))
        }
        return ReadableDocument.Section(heading: "\(RecordText.title(of: r.kind)), \(FieldDate.display(r.createdAt))", lines: lines)
    }

    static func shortID(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) }
}
