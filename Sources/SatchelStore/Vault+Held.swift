import Foundation
import GRDB

/// A final record the sharing policy holds back from one destination, and why.
public struct HeldEntry: Sendable, Equatable {
    public let recordID: UUID
    public let destination: String
    public let reason: String
}

extension Vault {
    public func held(destination: String? = nil) throws(VaultError) -> [HeldEntry] {
        var sql = "SELECT * FROM held"
        var args: [any DatabaseValueConvertible] = []
        if let destination { sql += " WHERE destination = ?"; args.append(destination) }
        sql += " ORDER BY held_at, record_id"
        do {
            return try db.vaultRead { db in
                try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(args)).compactMap { r in
                    UUID(uuidString: r["record_id"]).map { HeldEntry(recordID: $0, destination: r["destination"], reason: r["reason"]) }
                }
            }
        } catch { throw error.asVaultError("reading held records") }
    }

    /// Applies a fresh policy decision to a held record: queue it (in one transaction
    /// the held row goes and the outbox row comes), or keep holding it with the reason.
    public func decide(_ id: UUID, destination: String, route: Route) throws(VaultError) {
        let key = try requireKey()
        let now = clock()
        do {
            try db.write { db in
                switch route {
                case .hold(let reason):
                    try db.cachedStatement(sql: "UPDATE held SET reason = ? WHERE record_id = ? AND destination = ?")
                        .execute(arguments: [reason, id.key, destination])
                case .queue:
                    try db.cachedStatement(sql: "DELETE FROM held WHERE record_id = ? AND destination = ?")
                        .execute(arguments: [id.key, destination])
                    guard db.changesCount == 1 else { throw VaultError(.notFound, "Record \(id.key) is not held for \(destination).") }
                    try db.cachedStatement(sql: "INSERT INTO outbox (record_id, destination, queued_at) VALUES (?, ?, ?)")
                        .execute(arguments: [id.key, destination, Timestamp.string(now)])
                    try AuditLog.append(db, .queue, actor: workerID, record: id.key, detail: destination, at: now, anchorKey: key)
                }
            }
        } catch { throw error.asVaultError("applying the sharing policy") }
    }

    /// After a crash mid-sync: rows left in flight go back to pending. Resending them is
    /// safe — the server recognises each record by its id.
    @discardableResult
    public func recoverInFlight(destination: String) throws(VaultError) -> Int {
        _ = try requireKey()
        do {
            return try db.write { db in
                try db.cachedStatement(sql: "UPDATE outbox SET state = 'pending', last_error = 'interrupted: sent again' WHERE destination = ? AND state = 'in-flight'")
                    .execute(arguments: [destination])
                return db.changesCount
            }
        } catch { throw error.asVaultError("recovering interrupted deliveries") }
    }

    // MARK: - Secrets

    static func secretAD(_ name: String, keyVersion: Int) -> [UInt8] {
        Array("satchel/secret/v1:\(name):\(keyVersion)".utf8)
    }

    /// Seals a destination's secret (a token, a client secret) in the vault.
    public func setSecret(_ name: String, _ value: SecretBytes) throws(VaultError) {
        let key = try requireKey()
        let sealed = try Sealer.sealSecret(value, associatedData: Self.secretAD(name, keyVersion: keyVersion), key: key)
        do {
            try db.write { db in
                try db.cachedStatement(sql: "INSERT INTO secret (name, sealed, set_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed, set_at = excluded.set_at")
                    .execute(arguments: [name, Data(sealed), Timestamp.string(clock())])
            }
        } catch { throw error.asVaultError("storing the secret") }
    }

    /// The secret, opened into protected memory; nil when none was set.
    public func secret(_ name: String) throws(VaultError) -> SecretBytes? {
        let key = try requireKey()
        let sealed: Data?
        do { sealed = try db.vaultRead { try Data.fetchOne($0.cachedStatement(sql: "SELECT sealed FROM secret WHERE name = ?"), arguments: [name]) } } catch {
            throw error.asVaultError("reading the secret")
        }
        guard let sealed else { return nil }
        return try Sealer.openSecret([UInt8](sealed), associatedData: Self.secretAD(name, keyVersion: keyVersion), key: key)
    }
}
