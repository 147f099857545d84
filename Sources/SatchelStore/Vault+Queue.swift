import Foundation
import GRDB
import SatchelCore

/// One record queued for a destination with the clear facts of its record that the push
/// engine orders and groups by: read a page at a time, so a sync's memory does not grow
/// with the queue (docs/performance.md, P5).
public struct QueuedRow: Sendable {
    public let entry: OutboxEntry
    public let kind: RecordKind
    public let subjectID: UUID
    /// The record's creation time as stored (sortable text).
    public let createdAt: String
    /// When it was queued (sortable text) and its id: the page's key.
    public let queuedAt: String
    /// The row as read, its MAC checked (nil when it failed): `markInFlight` updates the
    /// row over it without reading it again.
    public let stamp: OutboxStamp?
}

/// A pending row and its record's clear facts as the rows state them, not checked
/// (`Vault.forEachPendingRoute`): never acted on before `Vault.checkedRoute` says both hold.
public struct UncheckedRoute: Sendable {
    public let recordID: UUID
    public let destination: String
    /// nil when the row goes on consent; `.some(nil)` when its disclosure id does not parse.
    public let disclosureID: UUID??
    public let kind: RecordKind
    public let subjectID: UUID
    /// When the record was finalised (or created).
    public let writtenAt: Date
}

/// Which queued records a page holds: people's records (Patients, sent first) or the rest.
public enum QueuedKinds: Sendable {
    case people
    case others
}

extension Vault {
    /// Pending rows for a destination whose record is of `kinds`, oldest queued first (the
    /// index `outbox_in_order`: a page costs its own rows), after `after` (the last row of
    /// the previous page), at most `limit`.
    public func pendingPage(destination: String, _ kinds: QueuedKinds, after: QueuedRow?, limit: Int) throws(VaultError) -> [QueuedRow] {
        var sql = """
            SELECT outbox.*, record.kind AS record_kind, record.subject_id AS record_subject, record.created_at AS record_created
            FROM outbox INDEXED BY outbox_in_order JOIN record ON record.id = outbox.record_id
            WHERE outbox.destination = ? AND outbox.state = 'pending' AND record.kind \(kinds == .people ? "=" : "<>") 'service-user'
            """
        var args: [any DatabaseValueConvertible] = [destination]
        if let after {
            sql += " AND (outbox.queued_at, outbox.record_id) > (?, ?)"
            args += [after.queuedAt, after.entry.recordID.key]
        }
        sql += " ORDER BY outbox.queued_at, outbox.record_id LIMIT ?"
        args.append(limit)
        return try queuedRows(sql, args)
    }

    /// The pending rows of these records for a destination, in the order given.
    public func pendingRows(destination: String, records: [UUID]) throws(VaultError) -> [QueuedRow] {
        guard !records.isEmpty else { return [] }
        let sql = """
            SELECT outbox.*, record.kind AS record_kind, record.subject_id AS record_subject, record.created_at AS record_created
            FROM outbox JOIN record ON record.id = outbox.record_id
            WHERE outbox.destination = ? AND outbox.state = 'pending' AND outbox.record_id IN (\(records.map { _ in "?" }.joined(separator: ",")))
            """
        let rows = try queuedRows(sql, [destination] + records.map(\.key))
        let position = Dictionary(uniqueKeysWithValues: records.enumerated().map { ($1, $0) })
        return rows.sorted { (position[$0.entry.recordID] ?? 0) < (position[$1.entry.recordID] ?? 0) }
    }

    /// How many rows are pending for a destination.
    public func pendingCount(destination: String) throws(VaultError) -> Int {
        do {
            return try db.vaultRead { db in
                try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM outbox WHERE destination = ? AND state = 'pending'"), arguments: [destination]) ?? 0
            }
        } catch { throw error.asVaultError("counting the outbox") }
    }

    private func queuedRows(_ sql: String, _ args: [any DatabaseValueConvertible]) throws(VaultError) -> [QueuedRow] {
        let keys = try? requireKeys()
        do {
            return try db.vaultRead { db in
                try Row.mapEach(db.makeStatement(sql: sql), arguments: StatementArguments(args)) { r in
                    let stamp = keys.flatMap { OutboxStamp(row: r, keys: $0) }
                    guard let entry = outboxEntry(r, keys, intact: stamp != nil), let kind = RecordKind(rawValue: r["record_kind"]),
                          let subject = UUID(text: r["record_subject"])
                    else { return nil }
                    return QueuedRow(entry: entry, kind: kind, subjectID: subject, createdAt: r["record_created"], queuedAt: r["queued_at"], stamp: stamp)
                }
            }
        } catch { throw error.asVaultError("reading the outbox") }
    }

    /// The risk each record states, to order a sync by (high first). Opened here and
    /// dropped at once, not audited: what is sent is opened again, bundle by bundle, and
    /// audited as an export then. A record that fails its integrity check, was purged or
    /// states no risk is left out (the engine quarantines the damaged when it opens them).
    /// The rows are read in one statement, their MAC checked, without building headers.
    public func statedRisks(_ ids: [UUID]) throws(VaultError) -> [UUID: RiskGrade] {
        guard !ids.isEmpty else { return [:] }
        let keys = try requireKeys()
        let sql = "SELECT * FROM record WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ","))) AND purged_at IS NULL"
        let sealed: [(id: UUID, kind: RecordKind, body: Data, keyVersion: Int)]
        do {
            sealed = try db.vaultRead { db in
                try Row.mapEach(db.makeStatement(sql: sql), arguments: StatementArguments(ids.map(\.key))) { r in
                    guard let id = UUID(text: r["id"]), let kind = RecordKind(rawValue: r["kind"]), RecordFacts(row: r).isIntact(r, keys) else { return nil }
                    return (id, kind, r["body"], r["key_version"])
                }
            }
        } catch { throw error.asVaultError("reading records") }
        var out: [UUID: RiskGrade] = [:]
        for r in sealed {
            guard let body = try? Sealer.open([UInt8](r.body), associatedData: Self.bodyAD(id: r.id, kind: r.kind, keyVersion: r.keyVersion), key: keys.data),
                  let risk = RecordCodec.statedRisk(body)
            else { continue }
            out[r.id] = risk
        }
        return out
    }

    /// The server's id ("Type/id") of these records where they are delivered to a
    /// destination, from rows whose MAC holds.
    public func receipts(destination: String, records: [UUID]) throws(VaultError) -> [UUID: String] {
        guard !records.isEmpty else { return [:] }
        let keys = try requireKeys()
        let sql = "SELECT * FROM outbox WHERE destination = ? AND state = 'delivered' AND record_id IN (\(records.map { _ in "?" }.joined(separator: ",")))"
        do {
            return try db.vaultRead { db in
                var out: [UUID: String] = [:]
                for r in try Row.fetchAll(db.makeStatement(sql: sql), arguments: StatementArguments([destination] + records.map(\.key))) {
                    if let e = outboxEntry(r, keys), e.intact, let server = e.serverID { out[e.recordID] = server }
                }
                return out
            }
        } catch { throw error.asVaultError("reading deliveries") }
    }

    /// The people whose Patient (any version) a destination holds: an intact delivered row
    /// for one of their service-user records.
    public func placedPeople(destination: String) throws(VaultError) -> Set<UUID> {
        let keys = try requireKeys()
        let sql = """
            SELECT outbox.*, record.subject_id AS record_subject FROM outbox JOIN record ON record.id = outbox.record_id
            WHERE outbox.destination = ? AND outbox.state = 'delivered' AND record.kind = 'service-user'
            """
        do {
            return try db.vaultRead { db in
                Set(try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [destination])
                    .filter { OutboxFacts.isIntact($0, keys) }
                    .compactMap { UUID(uuidString: $0["record_subject"]) })
            }
        } catch { throw error.asVaultError("reading deliveries") }
    }
}

extension Vault {
    /// How many rows are still on their way to a destination (pending or in flight).
    public func stillQueuedCount(destination: String) throws(VaultError) -> Int {
        do {
            return try db.vaultRead { db in
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT count(*) FROM outbox WHERE destination = ? AND state IN ('pending', 'in-flight')"),
                    arguments: [destination]) ?? 0
            }
        } catch { throw error.asVaultError("counting the outbox") }
    }
}

extension Vault {
    /// For each person, the destinations (all, or those named) holding or about to hold
    /// their records: an outbox row in `states` whose MAC holds, for a record of theirs
    /// whose MAC holds. A row changed outside Satchel, or whose record was, counts for
    /// nothing. The rows are read with the subject their record names, and only the first
    /// row found intact for a (person, destination) is needed: a later row naming a pair
    /// already found could add only that pair, so it is not checked. Reads the outbox once,
    /// a row at a time; checks about one row and record per pair.
    public func sharedPeople(states: [OutboxState], destinations names: [String]? = nil) throws(VaultError) -> [UUID: Set<String>] {
        let keys = try requireKeys()
        let sql = """
            SELECT outbox.*, record.subject_id AS record_subject FROM outbox JOIN record ON record.id = outbox.record_id
            WHERE outbox.state IN (\(states.map { _ in "?" }.joined(separator: ",")))
            """
        do {
            return try db.vaultRead { db in
                var shared: [UUID: Set<String>] = [:]
                let rows = try Row.fetchCursor(db.makeStatement(sql: sql), arguments: StatementArguments(states.map(\.rawValue)))
                while let row = try rows.next() {
                    let destination: String = row["destination"]
                    guard let subject = UUID(text: row["record_subject"]), names?.contains(destination) ?? true,
                          !(shared[subject]?.contains(destination) ?? false),
                          OutboxStamp(row: row, keys: keys) != nil,
                          let record = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM record WHERE id = ?"), arguments: [row["record_id"] as String]),
                          RecordFacts(row: record).isIntact(record, keys), UUID(text: record["subject_id"]) == subject
                    else { continue }
                    shared[subject, default: []].insert(destination)
                }
                return shared
            }
        } catch { throw error.asVaultError("reading the outbox") }
    }

    /// Every pending row (about one person, or anyone) with the clear facts of its record,
    /// a page at a time in key order, as the rows state them: **not checked**. For a pass
    /// that changes only some rows (the sharing policy asked again): it decides on these,
    /// and checks a row and its record (`checkedRoute`) before it acts on them or reads
    /// anything because of them. A row that fails to parse is left out (check names it).
    public func forEachPendingRoute(subject: UUID? = nil, size: Int = 500, _ body: ([UncheckedRoute]) throws -> Void) throws {
        var last: (record: String, destination: String)?
        while true {
            var sql = """
                SELECT outbox.record_id, outbox.destination, outbox.disclosure_id, record.kind, record.subject_id,
                       coalesce(record.finalised_at, record.created_at) AS written_at
                FROM outbox JOIN record ON record.id = outbox.record_id WHERE outbox.state = 'pending'
                """
            var args: [any DatabaseValueConvertible] = []
            if let subject { sql += " AND record.subject_id = ?"; args.append(subject.key) }
            if let last { sql += " AND (outbox.record_id, outbox.destination) > (?, ?)"; args += [last.record, last.destination] }
            sql += " ORDER BY outbox.record_id, outbox.destination LIMIT ?"
            args.append(size)
            let page: [(route: UncheckedRoute?, record: String, destination: String)]
            do {
                page = try db.vaultRead { db in
                    try Row.mapEach(db.makeStatement(sql: sql), arguments: StatementArguments(args)) { r in
                        let route = UUID(text: r["record_id"]).flatMap { id -> UncheckedRoute? in
                            guard let kind = RecordKind(rawValue: r["kind"]), let subject = UUID(text: r["subject_id"]),
                                  let written = Timestamp.date(r["written_at"])
                            else { return nil }
                            let disclosure = (r["disclosure_id"] as String?).map { UUID(text: $0) }
                            return UncheckedRoute(recordID: id, destination: r["destination"], disclosureID: disclosure, kind: kind, subjectID: subject, writtenAt: written)
                        }
                        return (route, r["record_id"], r["destination"])
                    }
                }
            } catch { throw error.asVaultError("reading the outbox") }
            guard let end = page.last else { return }
            try body(page.compactMap(\.route))
            last = (end.record, end.destination)
        }
    }

    /// A record's outbox row for a destination and the record's header, when both MACs
    /// hold; nil otherwise (or when there is no such row).
    public func checkedRoute(_ id: UUID, destination: String) throws(VaultError) -> (entry: OutboxEntry, header: RecordHeader)? {
        guard let entry = try outbox(destination: destination, record: id).first, entry.intact,
              let header = try headers(ids: [id])[id], header.intact
        else { return nil }
        return (entry, header)
    }

    /// The headers of these records (their MAC checked), by id.
    public func headers(ids: [UUID]) throws(VaultError) -> [UUID: RecordHeader] {
        guard !ids.isEmpty else { return [:] }
        let keys = try requireKeys()
        var out: [UUID: RecordHeader] = [:]
        do {
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = ids[start..<min(start + 500, ids.count)]
                let sql = "SELECT * FROM record WHERE id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))"
                let found = try db.vaultRead { db in
                    try Row.mapEach(db.makeStatement(sql: sql), arguments: StatementArguments(chunk.map(\.key))) { r in
                        try RecordHeader(row: r, intact: RecordFacts(row: r).isIntact(r, keys))
                    }
                }
                for h in found { out[h.id] = h }
            }
        } catch { throw error.asVaultError("reading records") }
        return out
    }
}
