import Foundation
import GRDB
import SatchelCore

/// A final record whose body may be purged: delivered to every destination it was
/// queued for, held from none.
public struct PurgeCandidate: Sendable, Equatable {
    public let header: RecordHeader
    /// When the last of its destinations acknowledged it (the retention period runs from here).
    public let deliveredAt: Date
}

extension Vault {
    /// Final records not yet purged whose every outbox row is delivered (there is at
    /// least one) and which are held from no destination; only records and receipts
    /// whose MACs hold: a delivery forged outside Satchel never leads to a purge. A
    /// record never routed anywhere (no destination yet) is its only copy and is not
    /// a candidate. Oldest delivery first.
    public func purgeCandidates() throws(VaultError) -> [PurgeCandidate] {
        let keys = try requireKeys()
        do {
            return try db.vaultRead { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT record.* FROM record
                    WHERE state = 'final' AND purged_at IS NULL
                      AND EXISTS (SELECT 1 FROM outbox WHERE record_id = record.id)
                      AND NOT EXISTS (SELECT 1 FROM outbox WHERE record_id = record.id AND state <> 'delivered')
                      AND NOT EXISTS (SELECT 1 FROM held WHERE record_id = record.id)
                    """)
                var out: [PurgeCandidate] = []
                for row in rows where RecordFacts(row: row).isIntact(row, keys) {
                    guard let delivered = try Self.lastDelivery(db, of: row["id"], keys: keys) else { continue }
                    out.append(PurgeCandidate(header: try RecordHeader(row: row, intact: true), deliveredAt: delivered))
                }
                return out.sorted { ($0.deliveredAt, $0.header.id.uuidString) < ($1.deliveredAt, $1.header.id.uuidString) }
            }
        } catch { throw error.asVaultError("finding records to purge") }
    }

    /// Empties the bodies of `ids` (each must still be a candidate: `purgeCandidates`),
    /// in one transaction: the body becomes empty, `purged_at` is set, the record's MAC
    /// is made again over its facts and the purge time, and one `purge` audit entry per
    /// record says why. The header, the receipts and the audit trail stay. Then the
    /// write-ahead log is truncated, so the sealed bodies are in none of the files
    /// (`secure_delete` has zeroed the space they took in the database).
    @discardableResult
    public func purge(_ ids: [UUID], reason: String) throws(VaultError) -> [RecordHeader] {
        let keys = try requireKeys()
        guard !ids.isEmpty else { return [] }
        let now = clock()
        let purged: [RecordHeader]
        do {
            purged = try db.write { db in
                try ids.map { id in
                    guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM record WHERE id = ?"), arguments: [id.key]) else {
                        throw VaultError(.notFound, "No record \(id.key) in this vault.")
                    }
                    var facts = RecordFacts(row: row)
                    guard facts.isIntact(row, keys) else { throw VaultError(.integrity, Self.damagedRecordMessage(facts.id, kind: facts.kind)) }
                    guard facts.purgedAt == nil, try Self.lastDelivery(db, of: facts.id, keys: keys) != nil else {
                        throw VaultError(.refused, "Record \(id.key.prefix(8)) (\(facts.kind)) is not delivered everywhere it is due, or was purged already: it is kept.")
                    }
                    facts.body = Data()
                    facts.purgedAt = Timestamp.string(now)
                    try db.cachedStatement(sql: "UPDATE record SET body = ?, purged_at = ?, mac = ? WHERE id = ?")
                        .execute(arguments: [facts.body, facts.purgedAt, facts.mac(keys), facts.id])
                    try AuditLog.append(db, .purge, actor: workerID, record: facts.id, detail: reason, at: now, keys: keys)
                    return try header(db, id, keys: keys)
                }
            }
        } catch { throw error.asVaultError("purging delivered records") }
        try truncateWAL(after: "purging delivered records")
        return purged
    }

    /// The time the last of a record's outbox rows was delivered, when every row is
    /// delivered, its MAC holds and nothing is held for it; nil otherwise.
    private static func lastDelivery(_ db: Database, of id: String, keys: VaultKeys) throws -> Date? {
        guard try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM held WHERE record_id = ?"), arguments: [id]) == 0 else { return nil }
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM outbox WHERE record_id = ?"), arguments: [id])
        var last: Date?
        for row in rows {
            let f = OutboxFacts(row: row)
            guard f.state == OutboxState.delivered.rawValue, OutboxFacts.isIntact(row, keys),
                  let at = f.deliveredAt.flatMap(Timestamp.date) else { return nil }
            last = max(last ?? at, at)
        }
        return last
    }

    /// Copies the write-ahead log into the database and truncates it to nothing, so no
    /// page written before (an old key's seal, a purged body) is left beside the database.
    func truncateWAL(after what: String) throws(VaultError) {
        do {
            try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        } catch { throw error.asVaultError("truncating the write-ahead log after \(what)") }
    }

    /// What a purged record is called in messages: its short id, kind and purge day.
    public static func purgedRecordMessage(_ id: UUID, kind: RecordKind, purgedAt: Date) -> String {
        "Record \(id.key.prefix(8)) (\(kind.rawValue)) was delivered and purged on \(FieldDate.display(purgedAt)): "
            + "its content is no longer on this device; the central systems it was delivered to hold it."
    }
}
