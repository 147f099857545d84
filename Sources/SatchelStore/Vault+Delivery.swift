import Foundation
import GRDB

/// What a central system's reply meant for one queued record.
public enum DeliveryResult: Sendable, Equatable {
    /// Stored by the server: its id ("Type/id") and version are the receipt.
    case delivered(serverID: String, version: String?)
    /// Refused for good (400/422 with the server's reason): quarantined, never retried.
    case rejected(reason: String)
    /// Not delivered this time (offline, throttled, a server error): stays queued.
    case retry(reason: String)
}

extension Vault {
    /// pending → in-flight for a whole bundle, in one transaction, before it is sent.
    public func markInFlight(_ ids: [UUID], destination: String) throws(VaultError) {
        _ = try requireKey()
        do {
            try db.write { db in
                for id in ids {
                    try db.cachedStatement(sql: "UPDATE outbox SET state = 'in-flight', attempts = attempts + 1 WHERE record_id = ? AND destination = ? AND state = 'pending'")
                        .execute(arguments: [id.key, destination])
                    guard db.changesCount == 1 else { throw VaultError(.refused, "Record \(id.key) is not pending for \(destination).") }
                }
            }
        } catch { throw error.asVaultError("marking records in flight") }
    }

    /// Applies a bundle's results in one transaction: receipts kept, rejections
    /// quarantined with the reason, the rest back to pending — and the audit log says so.
    public func settle(_ results: [(UUID, DeliveryResult)], destination: String) throws(VaultError) {
        let key = try requireKey()
        let now = clock()
        do {
            try db.write { db in
                for (id, result) in results {
                    switch result {
                    case .delivered(let serverID, let version):
                        try db.cachedStatement(sql: """
                                UPDATE outbox SET state = 'delivered', server_id = ?, server_version = ?, delivered_at = ?, last_error = NULL
                                WHERE record_id = ? AND destination = ? AND state = 'in-flight'
                                """).execute(arguments: [serverID, version, Timestamp.string(now), id.key, destination])
                        try AuditLog.append(db, .deliver, actor: workerID, record: id.key, detail: destination, at: now, anchorKey: key)
                    case .rejected(let reason):
                        try db.cachedStatement(sql: "UPDATE outbox SET state = 'rejected', last_error = ? WHERE record_id = ? AND destination = ? AND state = 'in-flight'")
                            .execute(arguments: [try sealReason(reason, record: id, destination: destination), id.key, destination])
                        try AuditLog.append(db, .reject, actor: workerID, record: id.key, detail: destination, at: now, anchorKey: key)
                    case .retry(let reason):
                        try db.cachedStatement(sql: "UPDATE outbox SET state = 'pending', last_error = ? WHERE record_id = ? AND destination = ? AND state = 'in-flight'")
                            .execute(arguments: [try sealReason(reason, record: id, destination: destination), id.key, destination])
                    }
                    guard db.changesCount == 1 else { throw VaultError(.refused, "Record \(id.key) was not in flight for \(destination).") }
                }
            }
        } catch { throw error.asVaultError("recording the delivery results") }
    }

    /// The records delivered to a destination (to know which people it already has).
    public func delivered(destination: String) throws(VaultError) -> Set<UUID> {
        do {
            return try db.vaultRead { db in
                Set(try String.fetchAll(db.cachedStatement(sql: "SELECT record_id FROM outbox WHERE destination = ? AND state = 'delivered'"), arguments: [destination])
                    .compactMap(UUID.init(uuidString:)))
            }
        } catch { throw error.asVaultError("reading deliveries") }
    }
}
