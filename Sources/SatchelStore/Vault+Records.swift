import Foundation
import GRDB
import SatchelCore

extension Vault {
    /// The associated data a body is sealed under: its record id, kind and key version.
    static func bodyAD(id: UUID, kind: RecordKind, keyVersion: Int) -> [UInt8] {
        Array("satchel/record/v1:\(id.key):\(kind.rawValue):\(keyVersion)".utf8)
    }

    /// Saves a draft, sealed: the first save creates it, later saves replace its body.
    /// A guided form calls this after every answered field. `reads` are the audit
    /// entries of what was opened to fill it (`readForSave`), written in this transaction.
    @discardableResult
    public func saveDraft(_ draft: RecordDraft, reads: [ReadNote] = []) throws(VaultError) -> RecordHeader {
        let keys = try requireKeys()
        let sealed = try seal(draft, keys: keys)
        do {
            return try db.write { db in
                var audit = AuditLog.Batch(keys: keys)
                try appendReads(db, reads, to: &audit)
                try writeDraft(db, draft, sealed: sealed, now: clock(), keys: keys, audit: &audit)
                try audit.seal(db)
                return try header(db, draft.id, keys: keys)
            }
        } catch { throw error.asVaultError("saving the draft") }
    }

    /// Makes a draft final: in one transaction the record becomes immutable, for each
    /// destination it is queued (an outbox row) or held with the plan's reason, and the
    /// audit log says so.
    @discardableResult
    public func finalise(_ id: UUID, routes: RoutePlan, reads: [ReadNote] = []) throws(VaultError) -> RecordHeader {
        let keys = try requireKeys()
        do {
            return try db.write { db in
                var audit = AuditLog.Batch(keys: keys)
                try appendReads(db, reads, to: &audit)
                try finaliseRow(db, id, routes: routes, now: clock(), keys: keys, audit: &audit)
                try audit.seal(db)
                return try header(db, id, keys: keys)
            }
        } catch { throw error.asVaultError("finalising the record") }
    }

    /// Saves and finalises in one transaction (a one-shot command from the shell):
    /// either the final record, its outbox rows and its audit entries all exist, or none do.
    @discardableResult
    public func saveFinal(_ draft: RecordDraft, routes: RoutePlan, reads: [ReadNote] = []) throws(VaultError) -> RecordHeader {
        let keys = try requireKeys()
        let sealed = try seal(draft, keys: keys)
        do {
            return try db.write { db in
                var audit = AuditLog.Batch(keys: keys)
                try appendReads(db, reads, to: &audit)
                let now = clock()
                try writeDraft(db, draft, sealed: sealed, now: now, keys: keys, audit: &audit)
                try finaliseRow(db, draft.id, routes: routes, now: now, keys: keys, audit: &audit)
                try audit.seal(db)
                return try header(db, draft.id, keys: keys)
            }
        } catch { throw error.asVaultError("saving the record") }
    }

    /// Deletes a draft (never a final record: the schema refuses).
    public func discardDraft(_ id: UUID) throws(VaultError) {
        let keys = try requireKeys()
        do {
            try db.write { db in
                try db.cachedStatement(sql: "DELETE FROM record WHERE id = ? AND state = 'draft'").execute(arguments: [id.key])
                guard db.changesCount == 1 else { throw VaultError(.notFound, "No draft \(id.key) in this vault.") }
                try AuditLog.append(db, .discard, actor: workerID, record: id.key, at: clock(), keys: keys)
            }
        } catch { throw error.asVaultError("discarding the draft") }
    }

    /// Opens a record's body. Every read is audited (as a view, or an export when
    /// the body is about to leave the device).
    public func read(_ id: UUID, purpose: ReadPurpose = .view) throws(VaultError) -> StoredRecord {
        guard let record = try read([id], purpose: purpose, reason: "").first else {
            throw VaultError(.notFound, "No record \(id.key) in this vault.")
        }
        return record
    }

    /// Opens several records in one transaction; each read is still audited on its
    /// own, with `reason` (e.g. "consent check") as the entry's detail.
    public func read(_ ids: [UUID], purpose: ReadPurpose = .view, reason: String) throws(VaultError) -> [StoredRecord] {
        let keys = try requireKeys()
        let rows = try openableRows(ids, keys: keys)
        try auditReads(ids, purpose: purpose, reason: reason, keys: keys)
        return try open(rows, keys: keys)
    }

    /// Opens the records that are intact and names the others (the push engine: one
    /// damaged record is quarantined — never sent — and the rest go on; a purged record,
    /// whose body is gone, is named too). Only what was opened is audited.
    public func readIntact(_ ids: [UUID], purpose: ReadPurpose, reason: String) throws(VaultError) -> (records: [StoredRecord], damaged: [(id: UUID, problem: String)]) {
        let keys = try requireKeys()
        let opened = try openIntact(ids, keys: keys)
        try auditReads(opened.records.map(\.header.id), purpose: purpose, reason: reason, keys: keys)
        return opened
    }

    /// Opens records to be sent, like `readIntact` for an export, but their export entries
    /// come back as notes, to be written by `markInFlight(…, exports:)` in the commit that
    /// marks them in flight — before anything is sent — or by `auditExports` when they are
    /// not sent after all. Nothing opened here may leave the vault before its notes are
    /// written (a process killed in between loses the notes with nothing sent).
    public func openForSending(_ ids: [UUID], reason: String) throws(VaultError) -> (records: [StoredRecord], damaged: [(id: UUID, problem: String)], exports: [ExportNote]) {
        let opened = try openIntact(ids, keys: try requireKeys())
        return (opened.records, opened.damaged, opened.records.map { ExportNote(record: $0.header.id, reason: reason) })
    }

    /// Writes the export entries of records opened for sending and not sent.
    public func auditExports(_ notes: [ExportNote]) throws(VaultError) {
        guard !notes.isEmpty else { return }
        let keys = try requireKeys()
        let now = clock()
        do {
            try db.write { db in try appendExports(db, notes, at: now, keys: keys) }
        } catch { throw error.asVaultError("writing the audit log") }
    }

    /// Appends the export entries of these notes, in the caller's transaction.
    func appendExports(_ db: Database, _ notes: [ExportNote], at date: Date, keys: VaultKeys) throws {
        guard !notes.isEmpty else { return }
        var audit = AuditLog.Batch(keys: keys)
        for note in notes {
            try audit.append(db, .export, actor: workerID, record: note.record.key, detail: note.reason, at: date)
        }
        try audit.seal(db)
    }

    /// The records whose rows are intact and bodies open, and the rest with what is wrong.
    private func openIntact(_ ids: [UUID], keys: VaultKeys) throws(VaultError) -> (records: [StoredRecord], damaged: [(id: UUID, problem: String)]) {
        let rows = try sealedRows(ids, keys: keys)
        var good: [StoredRecord] = []
        var damaged: [(id: UUID, problem: String)] = []
        for r in rows {
            if let purgedAt = r.header.purgedAt {
                damaged.append((r.header.id, Self.purgedRecordMessage(r.header.id, kind: r.header.kind, purgedAt: purgedAt)))
            } else if r.header.intact, let opened = try? open([r], keys: keys) {
                good += opened
            } else {
                damaged.append((r.header.id, Self.damagedRecordMessage(r.header.id.key, kind: r.header.kind.rawValue)))
            }
        }
        return (good, damaged)
    }

    private func auditReads(_ ids: [UUID], purpose: ReadPurpose, reason: String, keys: VaultKeys) throws(VaultError) {
        guard !ids.isEmpty else { return }
        let action: AuditAction = purpose == .view ? .view : .export
        do {
            try db.write { db in
                var audit = AuditLog.Batch(keys: keys)
                for id in ids {
                    try audit.append(db, action, actor: workerID, record: id.key, detail: reason, at: clock())
                }
                try audit.seal(db)
            }
        } catch { throw error.asVaultError("reading records") }
    }

    /// Opens records that inform the record about to be saved (the risk default, the
    /// consent check) without auditing them yet: their audit entries come back as
    /// notes, to be handed to the save that follows (`saveFinal(_:routes:reads:)`) or
    /// to `audit(_:)`, so a one-shot command costs one commit. Nothing opened here may
    /// be shown before its notes are written.
    public func readForSave(_ ids: [UUID], reason: String) throws(VaultError) -> (records: [StoredRecord], reads: [ReadNote]) {
        let keys = try requireKeys()
        let rows = try openableRows(ids, keys: keys)
        let opened = try open(rows, keys: keys)
        let at = clock()
        return (opened, ids.map { ReadNote(record: $0.key, reason: reason, at: at) })
    }

    /// Writes the audit entries of reads whose save did not happen.
    public func audit(_ reads: [ReadNote]) throws(VaultError) {
        guard !reads.isEmpty else { return }
        let keys = try requireKeys()
        do {
            try db.write { db in
                var audit = AuditLog.Batch(keys: keys)
                try appendReads(db, reads, to: &audit)
                try audit.seal(db)
            }
        } catch { throw error.asVaultError("writing the audit log") }
    }

    /// Record headers, newest first, optionally for one service user, state, kind (or kinds),
    /// purged or whole (`purged`), and at most `limit` of them.
    ///
    /// A person's records of one kind are read through `record_by_subject_kind`: only
    /// those rows, however long the person's history. SQLite picks it by itself for one
    /// kind; for several kinds without a limit it is named, since SQLite would otherwise
    /// walk the person's whole history by `record_by_subject`. With a limit (the newest
    /// record of any of several kinds) that walk, newest first, is what stops soonest.
    public func headers(
        subject: UUID? = nil, state: RecordState? = nil, kind: RecordKind? = nil,
        kinds: [RecordKind]? = nil, purged: Bool? = nil, limit: Int? = nil
    ) throws(VaultError) -> [RecordHeader] {
        let keys = try requireKeys()
        let byKind = subject != nil && kinds != nil && limit == nil
        var sql = byKind ? "SELECT * FROM record INDEXED BY record_by_subject_kind WHERE 1" : "SELECT * FROM record WHERE 1"
        var args: [any DatabaseValueConvertible] = []
        if let kind { sql += " AND kind = ?"; args.append(kind.rawValue) }
        if let kinds {
            sql += " AND kind IN (\(kinds.map { _ in "?" }.joined(separator: ",")))"
            args += kinds.map(\.rawValue)
        }
        if let subject { sql += " AND subject_id = ?"; args.append(subject.key) }
        if let state { sql += " AND state = ?"; args.append(state.rawValue) }
        if let purged { sql += purged ? " AND purged_at IS NOT NULL" : " AND purged_at IS NULL" }
        sql += " ORDER BY created_at DESC, id"
        if let limit { sql += " LIMIT ?"; args.append(limit) }
        do {
            return try db.vaultRead { db in
                try Row.mapEach(db.cachedStatement(sql: sql), arguments: StatementArguments(args)) { r in
                    try RecordHeader(row: r, intact: RecordFacts(row: r).isIntact(r, keys))
                }
            }
        } catch { throw error.asVaultError("listing records") }
    }

    /// The ids of final records of one kind, without their rows (for `status`, which
    /// must stay a few small reads whatever the vault's size).
    /// The subjects of a kind's final records, once each (for service users: the people,
    /// however many times their details were updated).
    public func finalSubjects(kind: RecordKind) throws(VaultError) -> [UUID] {
        _ = try requireKeys()
        do {
            return try db.vaultRead { db in
                try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT subject_id FROM record WHERE kind = ? AND state = 'final'"), arguments: [kind.rawValue])
                    .compactMap(UUID.init(uuidString:))
            }
        } catch { throw error.asVaultError("listing records") }
    }

    // MARK: - Internals

    typealias SealedRow = (header: RecordHeader, body: Data, keyVersion: Int)

    func sealedRows(_ ids: [UUID], keys: VaultKeys) throws(VaultError) -> [SealedRow] {
        do {
            return try db.vaultRead { db in
                try ids.map { id in
                    let found = try Row.mapEach(db.cachedStatement(sql: "SELECT * FROM record WHERE id = ?"), arguments: [id.key]) { row -> SealedRow? in
                        (try RecordHeader(row: row, intact: RecordFacts(row: row).isIntact(row, keys)), row["body"], row["key_version"])
                    }
                    guard let sealed = found.first else { throw VaultError(.notFound, "No record \(id.key) in this vault.") }
                    return sealed
                }
            }
        } catch { throw error.asVaultError("reading records") }
    }

    /// The rows of records about to be opened, refused whole when one fails its
    /// integrity check or was purged (there is no body to open).
    private func openableRows(_ ids: [UUID], keys: VaultKeys) throws(VaultError) -> [SealedRow] {
        let rows = try sealedRows(ids, keys: keys)
        if let bad = rows.first(where: { !$0.header.intact }) {
            throw VaultError(.integrity, Self.damagedRecordMessage(bad.header.id.key, kind: bad.header.kind.rawValue))
        }
        if let gone = rows.first(where: { $0.header.purgedAt != nil }), let at = gone.header.purgedAt {
            throw VaultError(.refused, Self.purgedRecordMessage(gone.header.id, kind: gone.header.kind, purgedAt: at))
        }
        return rows
    }

    /// Opens sealed bodies (the caller has checked their rows); the first that fails to open throws.
    func open(_ rows: [SealedRow], keys: VaultKeys) throws(VaultError) -> [StoredRecord] {
        var opened: [StoredRecord] = []
        for (h, sealed, kv) in rows {
            let body = try Sealer.open([UInt8](sealed), associatedData: Self.bodyAD(id: h.id, kind: h.kind, keyVersion: kv), key: keys.data)
            opened.append(StoredRecord(header: h, body: body))
        }
        return opened
    }

    private func appendReads(_ db: Database, _ reads: [ReadNote], to audit: inout AuditLog.Batch) throws {
        for r in reads {
            try audit.append(db, .view, actor: workerID, record: r.record, detail: r.reason, at: r.at)
        }
    }

    private func seal(_ d: RecordDraft, keys: VaultKeys) throws(VaultError) -> [UInt8] {
        try Sealer.seal(d.body, associatedData: Self.bodyAD(id: d.id, kind: d.kind, keyVersion: keyVersion), key: keys.data)
    }

    /// The row of a record about to change, refused when its facts no longer match its seal.
    private func intactRow(_ db: Database, _ id: UUID, keys: VaultKeys) throws -> RecordFacts? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM record WHERE id = ?"), arguments: [id.key]) else { return nil }
        let facts = RecordFacts(row: row)
        guard facts.isIntact(row, keys) else { throw VaultError(.integrity, Self.damagedRecordMessage(facts.id, kind: facts.kind)) }
        return facts
    }

    private func writeDraft(_ db: Database, _ d: RecordDraft, sealed: [UInt8], now date: Date, keys: VaultKeys, audit: inout AuditLog.Batch) throws {
        let now = Timestamp.string(date)
        guard var facts = try intactRow(db, d.id, keys: keys) else {
            return try insert(db, d, sealed: sealed, now: now, keys: keys, audit: &audit)
        }
        guard facts.state == RecordState.draft.rawValue else {
            throw VaultError(.refused, "Record \(d.id.key) is final and cannot be changed; record an amendment instead.")
        }
        guard facts.kind == d.kind.rawValue else {
            throw VaultError(.refused, "Record \(d.id.key) is a \(facts.kind), not a \(d.kind.rawValue).")
        }
        facts.body = Data(sealed)
        facts.updatedAt = now
        facts.formVersion = d.formVersion
        try db.cachedStatement(sql: "UPDATE record SET body = ?, updated_at = ?, form_version = ?, mac = ? WHERE id = ?")
            .execute(arguments: [facts.body, now, d.formVersion, facts.mac(keys), d.id.key])
    }

    private func finaliseRow(_ db: Database, _ id: UUID, routes: RoutePlan, now: Date, keys: VaultKeys, audit: inout AuditLog.Batch) throws {
        guard var facts = try intactRow(db, id, keys: keys) else {
            throw VaultError(.notFound, "No record \(id.key) in this vault.")
        }
        guard facts.state == RecordState.draft.rawValue else {
            throw VaultError(.refused, "Record \(id.key) is already final.")
        }
        facts.state = RecordState.final.rawValue
        facts.finalisedAt = Timestamp.string(now)
        facts.updatedAt = Timestamp.string(now)
        try db.cachedStatement(sql: "UPDATE record SET state = 'final', finalised_at = ?, updated_at = ?, mac = ? WHERE id = ?")
            .execute(arguments: [facts.finalisedAt, facts.updatedAt, facts.mac(keys), id.key])
        try route(db, recordID: id.key, plan: routes, at: now, keys: keys, audit: &audit)
        try audit.append(db, .finalise, actor: workerID, record: id.key, at: now)
    }

    private func insert(_ db: Database, _ d: RecordDraft, sealed: [UInt8], now: String, keys: VaultKeys, audit: inout AuditLog.Batch) throws {
        if d.subjectID != d.id {
            let subjectKind = try String.fetchOne(db.cachedStatement(sql: "SELECT kind FROM record WHERE id = ?"), arguments: [d.subjectID.key])
            guard subjectKind == RecordKind.serviceUser.rawValue else {
                throw VaultError(.notFound, "No service user \(d.subjectID.key) in this vault: record them first with `user add`.")
            }
        } else if d.kind != .serviceUser {
            throw VaultError(.invalidInput, "A \(d.kind.rawValue) record must be about a service user.")
        }
        let facts = RecordFacts(draft: d, authorID: workerID, authorRole: role, at: now, keyVersion: keyVersion, body: sealed)
        try db.cachedStatement(sql: """
                INSERT INTO record (id, kind, subject_id, author_id, author_role, created_at, updated_at, state,
                                    form_version, amends_id, key_version, body, mac)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                facts.id, facts.kind, facts.subjectID, facts.authorID, facts.authorRole, now, now, facts.state,
                facts.formVersion, facts.amendsID, facts.keyVersion, facts.body, facts.mac(keys),
            ])
        if let amended = d.amendsID {
            try audit.append(db, .amend, actor: workerID, record: d.id.key, detail: "amends \(amended.key)", at: clock())
        } else {
            try audit.append(db, .create, actor: workerID, record: d.id.key, at: clock())
        }
    }

    func header(_ db: Database, _ id: UUID, keys: VaultKeys) throws -> RecordHeader {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM record WHERE id = ?"), arguments: [id.key]) else {
            throw VaultError(.notFound, "No record \(id.key) in this vault.")
        }
        return try RecordHeader(row: row, intact: RecordFacts(row: row).isIntact(row, keys))
    }
}

/// A read made for a save (`Vault.readForSave`) whose audit entry is still to be written.
/// The export entry due for a record opened to be sent (`Vault.openForSending`).
public struct ExportNote: Sendable, Equatable {
    public let record: UUID
    let reason: String
}

public struct ReadNote: Sendable, Equatable {
    /// The record's key, or DEST/TYPE/ID for a pulled record.
    let record: String
    let reason: String
    let at: Date
}
