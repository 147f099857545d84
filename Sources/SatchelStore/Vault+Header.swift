import Foundation
import GRDB
import SatchelCore

extension Vault {
    /// The clear part of the vault row: what is needed to derive keys and label rows.
    struct Header {
        let format: Int
        let workerID: String
        let role: Role
        let keyVersion: Int
        var kdf: KDFParameters
        let failedUnlocks: Int

        /// Binds the wrapped data key to its format: a format-2 key does not open under
        /// format 1's associated data, so the format cannot be turned back to have the vault
        /// "upgraded" (and its facts re-blessed) again. Format 1 also bound the worker id and
        /// key version; format 2 leaves them to the header MAC, so an edit to either is named
        /// as a changed header instead of reading as a wrong passphrase.
        var wrapAD: [UInt8] {
            format == 1 ? Array("satchel/data-key/v1:\(workerID):\(keyVersion)".utf8) : Array("satchel/data-key/v\(format)".utf8)
        }
        /// Binds the sealed worker profile to this worker and key version.
        var profileAD: [UInt8] { Array("satchel/profile/v1:\(workerID):\(keyVersion)".utf8) }

        func with(format: Int) -> Header {
            Header(format: format, workerID: workerID, role: role, keyVersion: keyVersion, kdf: kdf, failedUnlocks: failedUnlocks)
        }
    }

    static func readHeader(_ db: DatabaseQueue) throws(VaultError) -> Header {
        let row: Row?
        do {
            row = try db.vaultRead { try Row.fetchOne($0, sql: "SELECT * FROM vault WHERE singleton = 1") }
        } catch { throw error.asVaultError("reading the vault header") }
        guard let row else {
            throw VaultError(.integrity, "The vault file has no header: it was not created by `satchel init`, or it is damaged.")
        }
        let format: Int = row["format"]
        guard (1...Vault.format).contains(format) else {
            throw VaultError(.storage, "This vault has format \(format); this Satchel reads formats 1 to \(Vault.format). Update Satchel.")
        }
        guard let role = Role(rawValue: row["role"]), let workerID: String = row["worker_id"],
              (row["kdf_algorithm"] as String?) == KDFParameters.algorithm
        else { throw VaultError(.integrity, "The vault header is damaged.") }
        let ops: Int64 = row["kdf_opslimit"]
        let mem: Int = row["kdf_memlimit"]
        let salt: Data = row["kdf_salt"]
        return Header(
            format: format, workerID: workerID, role: role, keyVersion: row["key_version"],
            kdf: KDFParameters(opsLimit: UInt64(max(ops, 0)), memLimit: mem, salt: [UInt8](salt)),
            failedUnlocks: row["failed_unlocks"])
    }

    // MARK: - The header's MAC

    /// Every column of the vault row that gives it meaning: who the worker is, their
    /// role (the legal authority of what they record), the key settings, the wrapped
    /// key and the sealed profile. Not the failed-unlock count (written while locked)
    /// nor the anchor (which has its own MAC).
    private static func headerFields(_ row: Row) -> [String?] {
        [
            String(row["format"] as Int), row["worker_id"], row["role"], row["kdf_algorithm"],
            String(row["kdf_opslimit"] as Int64), String(row["kdf_memlimit"] as Int64), [UInt8](row["kdf_salt"] as Data).hex,
            String(row["key_version"] as Int), [UInt8](row["wrapped_key"] as Data).hex, [UInt8](row["profile"] as Data).hex,
            row["created_at"],
        ]
    }

    static let headerLabel = "satchel/vault-header/v2"

    static func sealHeader(_ db: Database, keys: VaultKeys) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM vault WHERE singleton = 1") else {
            throw VaultError(.integrity, "The vault file has no header.")
        }
        try db.execute(
            sql: "UPDATE vault SET header_mac = ? WHERE singleton = 1",
            arguments: [Data(keys.mac(.header, headerLabel, headerFields(row)))])
    }

    static func checkHeader(_ db: Database, keys: VaultKeys) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM vault WHERE singleton = 1") else {
            throw VaultError(.integrity, "The vault file has no header.")
        }
        guard keys.verify(.header, headerLabel, headerFields(row), against: (row["header_mac"] as Data?).map { [UInt8]($0) }) else {
            throw VaultError(
                .integrity,
                "The vault's header (the worker, their role or the key settings) was changed outside Satchel. "
                    + "Keep this vault as it is and tell your team lead.")
        }
    }

    static func checkHeader(_ db: DatabaseQueue, keys: VaultKeys) throws(VaultError) {
        do { try db.vaultRead { try checkHeader($0, keys: keys) } } catch { throw error.asVaultError("checking the vault header") }
    }
}
