import Foundation
import GRDB
import SatchelCore

extension Vault {
    /// Rotates the data key (`satchel passwd --rekey`): a fresh random data key under
    /// the next key version, wrapped under `newPassphrase` (fresh salt). In one
    /// transaction every sealed value — bodies, the profile, held reasons, servers'
    /// reasons, secrets, destination definitions — is opened under the old key and
    /// sealed under the new one, and every MAC is made again with the new subkeys. Then
    /// the WAL is truncated, so no page sealed under the old key is left beside the
    /// database (`secure_delete` zeroes the freed ones inside it). Either all of it
    /// happens or none: a crash halfway leaves the old key and every old value.
    public func rotateDataKey(newPassphrase: SecretBytes) throws(VaultError) {
        try Self.checkPassphrase(newPassphrase, workerName: workerName)
        let old = try requireKeys()
        let oldHeader = try Self.readHeader(db)
        guard oldHeader.format == Self.format else { throw VaultError(.storage, "The vault must be at format \(Self.format) to rotate its key.") }
        let next = Header(
            format: Self.format, workerID: workerID, role: role, keyVersion: keyVersion + 1, kdf: oldHeader.kdf.withFreshSalt(),
            failedUnlocks: oldHeader.failedUnlocks)
        let new = try VaultKeys(data: try SecretBytes.random(count: Sealer.keyBytes))
        let kek = try next.kdf.deriveKey(from: newPassphrase)
        defer { kek.wipe() }
        let wrapped = try Sealer.sealSecret(new.data, associatedData: next.wrapAD, key: kek)
        let profile = try Sealer.seal(Array(workerName.utf8), associatedData: next.profileAD, key: new.data)
        let at = clock()
        do {
            try db.write { db in
                try Self.checkHeader(db, keys: old)
                let logWasIntact = try AuditLog.anchoredSegmentIsIntact(db, keys: old)
                try db.execute(
                    sql: "UPDATE vault SET key_version = ?, kdf_salt = ?, wrapped_key = ?, profile = ? WHERE singleton = 1",
                    arguments: [next.keyVersion, Data(next.kdf.salt), Data(wrapped), Data(profile)])
                try Self.sealHeader(db, keys: new)
                try resealRecords(db, old: old, new: new, version: next.keyVersion)
                try resealRoutes(db, old: old, new: new, version: next.keyVersion)
                for row in try Row.fetchAll(db, sql: "SELECT name, sealed FROM secret") {
                    let name: String = row["name"]
                    let plain = try Sealer.openSecret([UInt8](row["sealed"] as Data), associatedData: Self.secretAD(name, keyVersion: keyVersion), key: old.data)
                    defer { plain.wipe() }
                    let sealed = try Sealer.sealSecret(plain, associatedData: Self.secretAD(name, keyVersion: next.keyVersion), key: new.data)
                    try db.execute(sql: "UPDATE secret SET sealed = ? WHERE name = ?", arguments: [Data(sealed), name])
                }
                for row in try Row.fetchAll(db, sql: "SELECT name, definition FROM destination WHERE definition IS NOT NULL") {
                    let name: String = row["name"]
                    let plain = try Sealer.open([UInt8](row["definition"] as Data), associatedData: Self.definitionAD(name, keyVersion: keyVersion), key: old.data)
                    let sealed = try Sealer.seal(plain, associatedData: Self.definitionAD(name, keyVersion: next.keyVersion), key: new.data)
                    try db.execute(sql: "UPDATE destination SET definition = ? WHERE name = ?", arguments: [Data(sealed), name])
                }
                // Pulled reference records are copies of what a server holds: pulled again
                // rather than re-sealed (docs/storage.md).
                try db.execute(sql: "DELETE FROM reference; DELETE FROM pull_cursor")
                try AuditLog.append(db, .rekey, actor: workerID, detail: "key version \(keyVersion) to \(next.keyVersion)", at: at, keys: nil)
                if logWasIntact { try AuditLog.anchorHead(db, keys: new) }
            }
        } catch {
            new.wipe()
            throw error.asVaultError("rotating the data key")
        }
        old.wipe()
        replaceKeys(new, version: next.keyVersion)
        try truncateWAL(after: "rotating the key")
    }

    /// Every body re-sealed under the new key and version, every record MAC made again.
    private func resealRecords(_ db: Database, old: VaultKeys, new: VaultKeys, version: Int) throws {
        try Self.withFinalRecordsWritable(db) {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM record") {
                var f = RecordFacts(row: row)
                guard f.isIntact(row, old), let id = UUID(uuidString: f.id), let kind = RecordKind(rawValue: f.kind) else {
                    throw VaultError(.integrity, Self.damagedRecordMessage(f.id, kind: f.kind) + " The key was not rotated.")
                }
                // A purged record has no body left to seal: only its MAC is made again.
                if f.purgedAt == nil {
                    var plain = try Sealer.open([UInt8](f.body), associatedData: Self.bodyAD(id: id, kind: kind, keyVersion: f.keyVersion), key: old.data)
                    defer { Sodium.wipe(&plain) }
                    f.body = Data(try Sealer.seal(plain, associatedData: Self.bodyAD(id: id, kind: kind, keyVersion: version), key: new.data))
                }
                f.keyVersion = version
                try db.execute(sql: "UPDATE record SET body = ?, key_version = ?, mac = ? WHERE id = ?", arguments: [f.body, version, f.mac(new), f.id])
            }
        }
    }

    /// Sealed reasons re-sealed, every outbox and held MAC made again; a row whose MAC
    /// fails under the old key stops the rotation (it would be blessed otherwise).
    private func resealRoutes(_ db: Database, old: VaultKeys, new: VaultKeys, version: Int) throws {
        func reseal(_ stored: String?, _ column: ReasonColumn, _ id: UUID, _ destination: String) throws -> String? {
            guard let stored, stored.hasPrefix("sealed:"), let data = Data(base64Encoded: String(stored.dropFirst(7))) else { return stored }
            var plain = try Sealer.open([UInt8](data), associatedData: Self.reasonAD(column, id, destination, keyVersion), key: old.data)
            defer { Sodium.wipe(&plain) }
            return "sealed:" + Data(try Sealer.seal(plain, associatedData: Self.reasonAD(column, id, destination, version), key: new.data)).base64EncodedString()
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM outbox") {
            let f = OutboxFacts(row: row)
            guard OutboxFacts.isIntact(row, old), let id = UUID(uuidString: f.recordID) else {
                throw VaultError(.integrity, "The outbox row of record \(f.recordID.prefix(8)) for \(f.destination) was changed outside Satchel. The key was not rotated; run `satchel check`.")
            }
            try db.execute(
                sql: "UPDATE outbox SET last_error = ?, mac = ? WHERE record_id = ? AND destination = ?",
                arguments: [try reseal(row["last_error"], .outbox, id, f.destination), f.mac(new), f.recordID, f.destination])
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM held") {
            let recordID: String = row["record_id"], destination: String = row["destination"], heldAt: String = row["held_at"]
            guard HeldFacts.isIntact(row, old), let id = UUID(uuidString: recordID), let reason = try reseal(row["reason"], .held, id, destination) else {
                throw VaultError(.integrity, "The hold of record \(recordID.prefix(8)) for \(destination) was changed outside Satchel. The key was not rotated; run `satchel check`.")
            }
            try db.execute(
                sql: "UPDATE held SET reason = ?, mac = ? WHERE record_id = ? AND destination = ?",
                arguments: [reason, HeldFacts.mac(recordID: recordID, destination: destination, reason: reason, heldAt: heldAt, new), recordID, destination])
        }
    }
}
