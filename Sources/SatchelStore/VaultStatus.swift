import Foundation
import GRDB
import SatchelCore

/// What `satchel status` shows: who, where, how many records of each kind and
/// state, what waits in the outbox, and the audit log's length and head.
public struct VaultStatus: Codable, Sendable, Equatable {
    public struct Worker: Codable, Sendable, Equatable {
        public let id: String
        public let name: String
        public let role: Role
    }
    public struct Audit: Codable, Sendable, Equatable {
        public let length: Int
        public let head: String
    }

    public let worker: Worker
    public let vault: String
    /// kind → state → count, every kind and state present.
    public let records: [String: [String: Int]]
    /// destination → state → count, every state present, plus "held" (kept back by the sharing policy).
    public let outbox: [String: [String: Int]]
    public let audit: Audit
    public let failedUnlocksSinceLastUnlock: Int
}

extension Vault {
    public func status() throws(VaultError) -> VaultStatus {
        _ = try requireKeys()
        do {
            return try db.vaultRead { db in
                var records: [String: [String: Int]] = [:]
                for k in RecordKind.allCases {
                    records[k.rawValue] = Dictionary(uniqueKeysWithValues: RecordState.allCases.map { ($0.rawValue, 0) })
                }
                var outbox: [String: [String: Int]] = [:]
                for d in try String.fetchAll(db, sql: "SELECT name FROM destination") {
                    outbox[d] = Dictionary(uniqueKeysWithValues: OutboxState.allCases.map { ($0.rawValue, 0) })
                    outbox[d]?["held"] = 0
                }
                // The tallies the triggers keep (schema v3): a few rows, whatever the vault's size.
                for r in try Row.fetchAll(db, sql: "SELECT what, a, b, n FROM tally") {
                    switch r["what"] as String {
                    case "record": records[r["a"], default: [:]][r["b"]] = r["n"]
                    case "outbox": outbox[r["a"], default: [:]][r["b"]] = r["n"]
                    default: outbox[r["a"], default: [:]]["held"] = r["n"]
                    }
                }
                let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
                let audit = VaultStatus.Audit(
                    length: head?["seq"] ?? 0,
                    head: head.map { [UInt8]($0["hash"] as Data).hex } ?? AuditLog.genesis.hex)
                return VaultStatus(
                    worker: .init(id: workerID, name: workerName, role: role), vault: location.directory.path,
                    records: records, outbox: outbox, audit: audit, failedUnlocksSinceLastUnlock: failedUnlocksSinceLastUnlock)
            }
        } catch { throw error.asVaultError("reading the vault status") }
    }

    /// Walks the audit chain (and checks the sealed anchor over its head).
    public func verifyAudit() throws(VaultError) -> AuditLog.Verification {
        let keys = try requireKeys()
        do { return try db.vaultRead { try AuditLog.verify($0, keys: keys) } } catch {
            throw error.asVaultError("verifying the audit log")
        }
    }

    /// The audit log's last entry: its number and hash (sent with each sync).
    public func auditHead() throws(VaultError) -> (seq: Int64, hash: String) {
        do { return try db.vaultRead { try AuditLog.head($0) } } catch { throw error.asVaultError("reading the audit log") }
    }

    /// The durability and secrecy settings as SQLite reports them on this connection.
    public func storageSettings() throws(VaultError) -> [String: String] {
        do { return try db.vaultRead { try VaultDatabase.readBack($0) } } catch { throw error.asVaultError("reading settings") }
    }
}
