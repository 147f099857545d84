import Foundation
import GRDB

extension Vault {
    static func definitionAD(_ name: String, keyVersion: Int) -> [UInt8] {
        Array("satchel/destination/v1:\(name):\(keyVersion)".utf8)
    }

    /// Registers a destination with the definition the worker confirmed (sealed, so it
    /// cannot be changed outside Satchel). Every final record already there is held for
    /// it until the sharing policy has been asked (`decide`), in the same transaction,
    /// so every final record has exactly one row — queued or held — per destination.
    /// A purged record is not: its body is gone, so it can go nowhere new.
    public func addDestination(_ name: String, definition: [UInt8]? = nil) throws(VaultError) {
        let keys = try requireKeys()
        let valid = !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }
        guard valid else {
            throw VaultError(.invalidInput, "destination name: \"\(name)\" is not allowed. Use 1-64 letters, digits, '-' or '_'.")
        }
        let sealed = try definition.map { d throws(VaultError) in Data(try Sealer.seal(d, associatedData: Self.definitionAD(name, keyVersion: keyVersion), key: keys.data)) }
        let now = clock()
        do {
            try db.write { db in
                guard try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM destination WHERE name = ?"), arguments: [name]) == 0 else {
                    throw VaultError(.refused, "Destination \(name) already exists.")
                }
                try db.cachedStatement(sql: "INSERT INTO destination (name, added_at, definition) VALUES (?, ?, ?)")
                    .execute(arguments: [name, Timestamp.string(now), sealed])
                for id in try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM record WHERE state = 'final' AND purged_at IS NULL")) {
                    try insertHeld(db, recordID: id, destination: name, reason: Route.notYetChecked, at: now, keys: keys)
                }
                try AuditLog.append(db, .destinationAdded, actor: workerID, detail: name, at: now, keys: keys)
            }
        } catch { throw error.asVaultError("adding the destination") }
    }

    /// Replaces a registered destination's confirmed definition (`destination confirm`).
    public func confirmDestination(_ name: String, definition: [UInt8]) throws(VaultError) {
        let keys = try requireKeys()
        let sealed = try Sealer.seal(definition, associatedData: Self.definitionAD(name, keyVersion: keyVersion), key: keys.data)
        let now = clock()
        do {
            try db.write { db in
                try db.cachedStatement(sql: "UPDATE destination SET definition = ? WHERE name = ?").execute(arguments: [Data(sealed), name])
                guard db.changesCount == 1 else { throw VaultError(.notFound, "No destination \(name) in this vault.") }
                try AuditLog.append(db, .destinationConfirmed, actor: workerID, detail: name, at: now, keys: keys)
            }
        } catch { throw error.asVaultError("confirming the destination") }
    }

    /// The definition the worker confirmed for a destination; nil when none was
    /// (a destination registered before definitions were kept). Throws an integrity
    /// error when the stored definition does not open: it was changed outside Satchel.
    public func destinationDefinition(_ name: String) throws(VaultError) -> [UInt8]? {
        let keys = try requireKeys()
        let sealed: Data?
        do {
            sealed = try db.vaultRead { try Data.fetchOne($0.cachedStatement(sql: "SELECT definition FROM destination WHERE name = ?"), arguments: [name]) }
        } catch { throw error.asVaultError("reading the destination") }
        guard let sealed else { return nil }
        do {
            return try Sealer.open([UInt8](sealed), associatedData: Self.definitionAD(name, keyVersion: keyVersion), key: keys.data)
        } catch {
            throw VaultError(.integrity, "The confirmed definition of destination \(name) was changed outside Satchel. Keep this vault as it is and tell your team lead.")
        }
    }

    public func destinations() throws(VaultError) -> [String] {
        do { return try db.vaultRead { try String.fetchAll($0.cachedStatement(sql: "SELECT name FROM destination ORDER BY name")) } } catch {
            throw error.asVaultError("listing destinations")
        }
    }
}
