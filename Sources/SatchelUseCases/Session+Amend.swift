import Foundation
import SatchelCore
import SatchelStore

/// Correcting what was recorded: a final record never changes, so a correction is a new
/// record that names the one it amends (the vault enforces both). Its form opens with the
/// amended record's answers filled in; on the wire it is a new version of the same
/// resource (docs/fhir-mapping.md, "Amendments").
extension Session {
    /// A record by the start of its id (at least 4 characters, as `history` shows it):
    /// final ones only, or drafts too.
    public func record(_ reference: String, state: RecordState? = .final) throws -> RecordHeader {
        let key = reference.trimmingCharacters(in: .whitespaces).lowercased()
        guard key.count >= 4 else {
            throw UseCaseError(.badInput, "record: give at least 4 characters of a record id, as `history` shows them.")
        }
        let hits = try vault.headers(state: state).filter { $0.id.uuidString.lowercased().hasPrefix(key) }
        guard let hit = hits.first else {
            throw UseCaseError(.badInput, "record: no \(state == .final ? "final " : "")record starts with \(FieldError.quote(key)). See `history`.")
        }
        guard hits.count == 1 else {
            throw UseCaseError(.badInput, "record: \(FieldError.quote(key)) matches \(hits.count) records. Give more of the id.")
        }
        return hit
    }

    /// The record that names this one as the one before it: its correction, or the next
    /// step of a case (a record of another kind).
    func successor(of header: RecordHeader) throws -> RecordHeader? {
        try vault.headers(subject: header.subjectID, state: .final).first { $0.amendsID == header.id }
    }

    /// The record that corrects this one, if any (its next version, of the same kind).
    func correction(of header: RecordHeader) throws -> RecordHeader? {
        try successor(of: header).flatMap { $0.kind == header.kind ? $0 : nil }
    }

    /// The newest version of a record: the end of the chain of records amending it.
    func latestVersion(of header: RecordHeader) throws -> RecordHeader {
        var current = header
        while let next = try correction(of: current) { current = next }
        return current
    }

    /// Opens the form to amend a record (its newest version), with its answers filled in
    /// (the body opened is audited as a view, reason "amend"). The record saved from it
    /// names the one it amends and is about the same person.
    public func startAmend(_ reference: String) throws -> (Capture, FormAnswers) {
        try startAmend(latestVersion(of: try record(reference)))
    }

    /// Opens a service user's details to update them: an amendment of their newest record.
    public func startUserUpdate(_ userReference: String?) throws -> (Capture, FormAnswers) {
        let (id, _) = try resolveUser(userReference)
        guard let first = try vault.headers(subject: id, state: .final, kind: .serviceUser).first(where: { $0.id == id }) else {
            throw UseCaseError(.badInput, "--user: that service user's own record is not in this vault.")
        }
        return try startAmend(latestVersion(of: first))
    }

    func startAmend(_ header: RecordHeader) throws -> (Capture, FormAnswers) {
        guard header.intact else {
            throw VaultError(.integrity, Vault.damagedRecordMessage(header.id.uuidString.lowercased(), kind: header.kind.rawValue))
        }
        if let purgedAt = header.purgedAt {
            throw UseCaseError(
                .refused,
                Vault.purgedRecordMessage(header.id, kind: header.kind, purgedAt: purgedAt)
                    + " It cannot be amended here: ask the team that holds it to correct it, or record what is new as a new record.")
        }
        guard let record = try vault.read([header.id], reason: "amend").first,
              let payload = try? RecordCodec.payload(kind: header.kind, body: record.body)
        else { throw UseCaseError(.refused, "That record cannot be amended: its body is not one Satchel can read.") }
        var capture = try capture(header.kind.form, id: UUID(), subject: header.subjectID)
        capture.amends = header.id
        try prepareCaseAmend(&capture, amending: header)
        if header.kind == .plan { try prepareCase(&capture) }
        guard var answers = payload.formAnswers else { return (capture, FormAnswers()) }
        // An optional question left empty then was answered: it is not asked again.
        for field in capture.form.applicableFields(answers) where answers[field.flag] == nil && !field.required {
            answers[field.flag] = ""
        }
        return (capture, answers)
    }
}
