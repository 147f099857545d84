import Foundation
import GRDB

/// A final record the sharing policy holds back from one destination, and why.
public struct HeldEntry: Sendable, Equatable {
    public let recordID: UUID
    public let destination: String
    /// The reason in words ("(sealed)" while locked): it is sealed in the vault, since
    /// it may name a consent decision and its date.
    public let reason: String
    /// False when the row's MAC fails (changed outside Satchel): it is not released.
    public let intact: Bool
}

extension Vault {
    public func held(destination: String? = nil, record: UUID? = nil) throws(VaultError) -> [HeldEntry] {
        let keys = try? requireKeys()
        var sql = "SELECT * FROM held WHERE 1"
        var args: [any DatabaseValueConvertible] = []
        if let record { sql += " AND record_id = ?"; args.append(record.key) }
        if let destination { sql += " AND destination = ?"; args.append(destination) }
        sql += " ORDER BY held_at, record_id"
        do {
            return try db.vaultRead { db in
                try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(args)).compactMap { r in
                    guard let id = UUID(uuidString: r["record_id"]) else { return nil }
                    let destination: String = r["destination"]
                    return HeldEntry(
                        recordID: id, destination: destination,
                        reason: openReason(r["reason"], .held, record: id, destination: destination) ?? "",
                        intact: keys.map { HeldFacts.isIntact(r, $0) } ?? false)
                }
            }
        } catch { throw error.asVaultError("reading held records") }
    }

    func insertHeld(_ db: Database, recordID: String, destination: String, reason: String, at date: Date, keys: VaultKeys) throws {
        try insertHeld(db, recordID: recordID, destination: destination, reason: reason, heldAt: Timestamp.string(date), keys: keys)
    }

    private func insertHeld(_ db: Database, recordID: String, destination: String, reason: String, heldAt: String, keys: VaultKeys) throws {
        guard let id = UUID(uuidString: recordID) else { throw VaultError(.integrity, "A record id is damaged.") }
        let sealed = try sealReason(reason, .held, record: id, destination: destination, keys: keys)
        try db.cachedStatement(sql: "INSERT INTO held (record_id, destination, reason, held_at, mac) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [recordID, destination, sealed, heldAt, HeldFacts.mac(recordID: recordID, destination: destination, reason: sealed, heldAt: heldAt, keys)])
    }

    /// Applies a fresh policy decision to a held record: queue it (in one transaction
    /// the held row goes and the outbox row comes), or keep holding it with the reason.
    /// A held row whose MAC fails is left alone (and named by `satchel check`).
    public func decide(_ id: UUID, destination: String, route: Route) throws(VaultError) {
        let keys = try requireKeys()
        let now = clock()
        do {
            try db.write { db in
                guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM held WHERE record_id = ? AND destination = ?"), arguments: [id.key, destination]) else {
                    throw VaultError(.notFound, "Record \(id.key) is not held for \(destination).")
                }
                guard HeldFacts.isIntact(row, keys) else {
                    throw VaultError(.integrity, "The hold of record \(id.key.prefix(8)) for \(destination) was changed outside Satchel; it is not released. Run `satchel check`.")
                }
                try db.cachedStatement(sql: "DELETE FROM held WHERE record_id = ? AND destination = ?").execute(arguments: [id.key, destination])
                switch route {
                case .hold(let reason):
                    try insertHeld(db, recordID: id.key, destination: destination, reason: reason, heldAt: row["held_at"], keys: keys)
                case .queue:
                    try insertOutbox(db, recordID: id.key, destination: destination, at: now, keys: keys)
                    try AuditLog.append(db, .queue, actor: workerID, record: id.key, detail: destination, at: now, keys: keys)
                case .disclose(let disclosure):
                    try insertOutbox(db, recordID: id.key, destination: destination, at: now, disclosure: disclosure, keys: keys)
                    try AuditLog.append(db, .disclose, actor: workerID, record: id.key, detail: "\(destination) \(disclosure.key)", at: now, keys: keys)
                }
            }
        } catch { throw error.asVaultError("applying the sharing policy") }
    }

    /// Moves a queued record not yet sent back to held, with the reason (a withdrawal:
    /// SIM guide §22). In one transaction the outbox row goes and the held row comes,
    /// audited. Only a pending row on consent is recalled: one in flight may already
    /// have arrived, one released by a disclosure does not rest on consent, and one whose
    /// MAC fails is left alone (named by `satchel check`). Returns false when not recalled.
    @discardableResult
    public func recall(_ id: UUID, destination: String, reason: String) throws(VaultError) -> Bool {
        let keys = try requireKeys()
        let now = clock()
        do {
            return try db.write { db in
                guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM outbox WHERE record_id = ? AND destination = ?"), arguments: [id.key, destination]),
                      OutboxFacts.isIntact(row, keys)
                else { return false }
                let facts = OutboxFacts(row: row)
                guard facts.state == OutboxState.pending.rawValue, facts.disclosureID == nil else { return false }
                try db.cachedStatement(sql: "DELETE FROM outbox WHERE record_id = ? AND destination = ?").execute(arguments: [id.key, destination])
                try insertHeld(db, recordID: id.key, destination: destination, reason: reason, at: now, keys: keys)
                try AuditLog.append(db, .recall, actor: workerID, record: id.key, detail: destination, at: now, keys: keys)
                return true
            }
        } catch { throw error.asVaultError("holding a queued record back") }
    }

    // MARK: - Secrets

    static func secretAD(_ name: String, keyVersion: Int) -> [UInt8] {
        Array("satchel/secret/v1:\(name):\(keyVersion)".utf8)
    }

    /// Seals a destination's secret (a token, a client secret) in the vault.
    public func setSecret(_ name: String, _ value: SecretBytes) throws(VaultError) {
        let keys = try requireKeys()
        let sealed = try Sealer.sealSecret(value, associatedData: Self.secretAD(name, keyVersion: keyVersion), key: keys.data)
        do {
            try db.write { db in
                try db.cachedStatement(sql: "INSERT INTO secret (name, sealed, set_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed, set_at = excluded.set_at")
                    .execute(arguments: [name, Data(sealed), Timestamp.string(clock())])
            }
        } catch { throw error.asVaultError("storing the secret") }
    }

    /// The secret, opened into protected memory; nil when none was set.
    public func secret(_ name: String) throws(VaultError) -> SecretBytes? {
        let keys = try requireKeys()
        let sealed: Data?
        do { sealed = try db.vaultRead { try Data.fetchOne($0.cachedStatement(sql: "SELECT sealed FROM secret WHERE name = ?"), arguments: [name]) } } catch {
            throw error.asVaultError("reading the secret")
        }
        guard let sealed else { return nil }
        return try Sealer.openSecret([UInt8](sealed), associatedData: Self.secretAD(name, keyVersion: keyVersion), key: keys.data)
    }
}
