import Foundation
import GRDB
import SatchelCore

extension Vault {
    /// Upgrades a format-1 vault at its first unlock by this version, in one
    /// transaction: the data key is re-wrapped for format 2, and the header, every
    /// record, outbox and held row get their MACs (held reasons are sealed on the
    /// way). What format 1 could not protect is taken as it stands at this moment —
    /// docs/security.md says so. The audit anchor moves to the new keys only if the
    /// log verifies under the old anchor; otherwise the break stays visible.
    static func upgrade(_ queue: DatabaseQueue, from legacy: Header, keys: VaultKeys, kek: SecretBytes, clock: @Sendable () -> Date) throws(VaultError) {
        let current = legacy.with(format: format)
        let wrapped = try Sealer.sealSecret(keys.data, associatedData: current.wrapAD, key: kek)
        do {
            try queue.write { db in
                let logWasIntact = try legacyAnchorHolds(db, key: keys.data)
                try db.execute(sql: "UPDATE vault SET format = ?, wrapped_key = ? WHERE singleton = 1", arguments: [format, Data(wrapped)])
                try sealHeader(db, keys: keys)
                try withFinalRecordsWritable(db) {
                    for row in try Row.fetchAll(db, sql: "SELECT * FROM record") {
                        try db.execute(sql: "UPDATE record SET mac = ? WHERE id = ?", arguments: [RecordFacts(row: row).mac(keys), row["id"] as String])
                    }
                }
                for row in try Row.fetchAll(db, sql: "SELECT * FROM outbox") {
                    try db.execute(
                        sql: "UPDATE outbox SET mac = ? WHERE record_id = ? AND destination = ?",
                        arguments: [OutboxFacts(row: row).mac(keys), row["record_id"] as String, row["destination"] as String])
                }
                for row in try Row.fetchAll(db, sql: "SELECT * FROM held") {
                    let recordID: String = row["record_id"]
                    let destination: String = row["destination"]
                    guard let id = UUID(uuidString: recordID) else { continue }
                    var reason: String = row["reason"]
                    if !reason.hasPrefix("sealed:") {
                        let sealed = try Sealer.seal(Array(reason.utf8), associatedData: reasonAD(.held, id, destination, legacy.keyVersion), key: keys.data)
                        reason = "sealed:" + Data(sealed).base64EncodedString()
                    }
                    let mac = HeldFacts.mac(recordID: recordID, destination: destination, reason: reason, heldAt: row["held_at"], keys)
                    try db.execute(
                        sql: "UPDATE held SET reason = ?, mac = ? WHERE record_id = ? AND destination = ?",
                        arguments: [reason, mac, recordID, destination])
                }
                if logWasIntact { try AuditLog.anchorHead(db, keys: keys) }
                try AuditLog.append(db, .vaultUpgraded, actor: legacy.workerID, detail: "format 1 to \(format)", at: clock(), keys: keys)
            }
        } catch { throw error.asVaultError("upgrading the vault to format \(format)") }
    }

    /// Format 1's anchor: a MAC under the data key itself over the anchored entry, and
    /// the chain from there to the head.
    private static func legacyAnchorHolds(_ db: Database, key: SecretBytes) throws -> Bool {
        guard try AuditLog.verify(db, keys: nil).isIntact,
              let row = try Row.fetchOne(db, sql: "SELECT anchor_seq, anchor_mac FROM vault"),
              let seq: Int64 = row["anchor_seq"], seq > 0, let mac: Data = row["anchor_mac"],
              let hash = try Data.fetchOne(db, sql: "SELECT hash FROM audit WHERE seq = ?", arguments: [seq])
        else { return false }
        let expected = Sodium.mac(Array("satchel/audit-anchor/v1:\(seq):".utf8) + [UInt8](hash), key: key)
        return Sodium.constantTimeEqual([UInt8](mac), expected)
    }

    /// Runs `body` with the trigger that keeps final records unchanged lifted, and puts
    /// the very same trigger back (its text from the schema, so the schema check still
    /// matches) before the transaction ends. Only for adding MACs, never facts.
    static func withFinalRecordsWritable(_ db: Database, _ body: () throws -> Void) throws {
        let name = "record_final_is_immutable"
        guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", arguments: [name]) else {
            throw VaultError(.integrity, "The vault's schema lacks the trigger \(name).")
        }
        try db.execute(sql: "DROP TRIGGER \(name)")
        try body()
        try db.execute(sql: sql)
    }
}
