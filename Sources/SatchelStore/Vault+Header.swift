import Foundation
import GRDB
import SatchelCore

extension Vault {
    /// The clear part of the vault row: what is needed to derive keys and label rows.
    struct Header {
        let workerID: String
        let role: Role
        let keyVersion: Int
        var kdf: KDFParameters
        let failedUnlocks: Int

        /// Binds the wrapped data key to this worker and key version.
        var wrapAD: [UInt8] { Array("satchel/data-key/v1:\(workerID):\(keyVersion)".utf8) }
        /// Binds the sealed worker profile to this worker and key version.
        var profileAD: [UInt8] { Array("satchel/profile/v1:\(workerID):\(keyVersion)".utf8) }
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
        guard format == Vault.format else {
            throw VaultError(.storage, "This vault has format \(format); this Satchel reads format \(Vault.format). Update Satchel.")
        }
        guard let role = Role(rawValue: row["role"]), let workerID: String = row["worker_id"],
              (row["kdf_algorithm"] as String?) == KDFParameters.algorithm
        else { throw VaultError(.integrity, "The vault header is damaged.") }
        let ops: Int64 = row["kdf_opslimit"]
        let mem: Int = row["kdf_memlimit"]
        let salt: Data = row["kdf_salt"]
        return Header(
            workerID: workerID, role: role, keyVersion: row["key_version"],
            kdf: KDFParameters(opsLimit: UInt64(max(ops, 0)), memLimit: mem, salt: [UInt8](salt)),
            failedUnlocks: row["failed_unlocks"])
    }
}
