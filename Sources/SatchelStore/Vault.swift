internal import CSodium
import Foundation
import GRDB
import SatchelCore

/// A worker's encrypted vault: one SQLite file holding sealed records, their outbox
/// rows and the audit log.
///
/// Key hierarchy: passphrase → Argon2id → key-encryption key (KEK), which unwraps a
/// random 32-byte data key; the data key seals every body with XChaCha20-Poly1305.
/// The KEK is wiped as soon as the data key is unwrapped; the data key is wiped on
/// `lock()` and when the vault is released.
public final class Vault {
    public static let format = 1
    public static let minimumPassphraseLength = 12

    public let location: VaultLocation
    public let workerID: String
    public let role: Role
    public private(set) var workerName: String
    /// Failed unlock attempts recorded since the previous successful unlock.
    public private(set) var failedUnlocksSinceLastUnlock: Int
    let keyVersion: Int
    let db: DatabaseQueue
    let clock: @Sendable () -> Date
    private var dataKey: SecretBytes?

    public var isLocked: Bool { dataKey == nil }

    private init(location: VaultLocation, db: DatabaseQueue, header: Header, dataKey: SecretBytes, workerName: String, clock: @escaping @Sendable () -> Date) {
        self.location = location
        self.db = db
        self.workerID = header.workerID
        self.role = header.role
        self.keyVersion = header.keyVersion
        self.failedUnlocksSinceLastUnlock = header.failedUnlocks
        self.dataKey = dataKey
        self.workerName = workerName
        self.clock = clock
    }

    deinit { dataKey?.wipe() }

    // MARK: - Create

    /// Creates a new vault. Refuses to touch an existing one.
    public static func create(
        at location: VaultLocation, workerName: String, role: Role, passphrase: SecretBytes,
        kdf: KDFParameters = .moderate(), clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(VaultError) -> Vault {
        let name = workerName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw VaultError(.invalidInput, "--name: the worker's name is required.") }
        try checkPassphrase(passphrase)
        try location.requireNoVault()
        try makePrivateDirectory(location.directory)

        let workerID = UUID().uuidString.lowercased()
        let keyVersion = 1
        let dataKey = try SecretBytes.random(count: Sealer.keyBytes)
        let kek = try kdf.deriveKey(from: passphrase)
        defer { kek.wipe() }
        let header = Header(workerID: workerID, role: role, keyVersion: keyVersion, kdf: kdf, failedUnlocks: 0)
        let wrapped = try Sealer.sealSecret(dataKey, associatedData: header.wrapAD, key: kek)
        let profile = try Sealer.seal(Array(name.utf8), associatedData: header.profileAD, key: dataKey)

        let db = try VaultDatabase.open(location.database)
        chmod(location.database.path, 0o600)
        do {
            try db.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO vault (singleton, format, worker_id, role, kdf_algorithm, kdf_opslimit, kdf_memlimit,
                                           kdf_salt, key_version, wrapped_key, profile, created_at)
                        VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        format, workerID, role.rawValue, KDFParameters.algorithm, Int64(kdf.opsLimit), kdf.memLimit,
                        Data(kdf.salt), keyVersion, Data(wrapped), Data(profile), Timestamp.string(clock()),
                    ])
                try AuditLog.append(db, .vaultCreated, actor: workerID, at: clock(), anchorKey: dataKey)
            }
        } catch {
            try? db.close()
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: location.database.path + suffix)
            }
            throw error.asVaultError("creating the vault")
        }
        return Vault(location: location, db: db, header: header, dataKey: dataKey, workerName: name, clock: clock)
    }

    public static func checkPassphrase(_ passphrase: SecretBytes) throws(VaultError) {
        let n = passphrase.characterCount
        guard n >= minimumPassphraseLength else {
            throw VaultError(
                .invalidInput,
                "passphrase: too short (\(n) characters). Use at least \(minimumPassphraseLength) characters; a few unrelated words work well.")
        }
    }

    private static func makePrivateDirectory(_ dir: URL) throws(VaultError) {
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw VaultError(.storage, "Couldn't create the vault directory \(dir.path).", cause: "\(error)")
        }
    }

    // MARK: - Unlock and lock

    /// Opens the vault and unwraps its data key. A wrong passphrase is counted and
    /// audited, then refused.
    public static func unlock(
        at location: VaultLocation, passphrase: SecretBytes, clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(VaultError) -> Vault {
        try location.requireVault()
        let db = try VaultDatabase.open(location.database)
        let header = try readHeader(db)
        let dataKey = try unwrapDataKey(db: db, header: header, passphrase: passphrase, clock: clock)
        let profile: Data
        do {
            profile = try db.vaultRead { try Data.fetchOne($0, sql: "SELECT profile FROM vault") } ?? Data()
        } catch { throw error.asVaultError("reading the vault header") }
        let name = try Sealer.open([UInt8](profile), associatedData: header.profileAD, key: dataKey)
        let vault = Vault(
            location: location, db: db, header: header, dataKey: dataKey,
            workerName: String(decoding: name, as: UTF8.self), clock: clock)
        if header.failedUnlocks > 0 { try vault.acknowledgeFailedUnlocks() }
        return vault
    }

    /// Unlocks this vault again after `lock()` (the REPL's idle lock).
    public func unlock(passphrase: SecretBytes) throws(VaultError) {
        guard dataKey == nil else { return }
        let header = try Self.readHeader(db)
        dataKey = try Self.unwrapDataKey(db: db, header: header, passphrase: passphrase, clock: clock)
        if header.failedUnlocks > 0 { try acknowledgeFailedUnlocks() }
    }

    /// Wipes the data key. Everything but `unlock(passphrase:)` refuses until then.
    public func lock() {
        dataKey?.wipe()
        dataKey = nil
    }

    private static func unwrapDataKey(
        db: DatabaseQueue, header: Header, passphrase: SecretBytes, clock: @Sendable () -> Date
    ) throws(VaultError) -> SecretBytes {
        let kek = try header.kdf.deriveKey(from: passphrase)
        defer { kek.wipe() }
        let wrapped: Data
        do {
            wrapped = try db.vaultRead { try Data.fetchOne($0, sql: "SELECT wrapped_key FROM vault") } ?? Data()
        } catch { throw error.asVaultError("reading the vault header") }
        do {
            return try Sealer.openSecret([UInt8](wrapped), associatedData: header.wrapAD, key: kek)
        } catch {
            let attempt = try recordFailedUnlock(db, clock: clock)
            throw VaultError(
                .wrongPassphrase,
                "Wrong passphrase. The vault stays locked; this failed attempt (\(attempt) since the last unlock) is in the audit log.")
        }
    }

    private static func recordFailedUnlock(_ db: DatabaseQueue, clock: @Sendable () -> Date) throws(VaultError) -> Int {
        do {
            return try db.write { db in
                try db.execute(sql: "UPDATE vault SET failed_unlocks = failed_unlocks + 1")
                let n = try Int.fetchOne(db, sql: "SELECT failed_unlocks FROM vault") ?? 1
                try AuditLog.append(db, .unlockFailed, actor: nil, detail: "attempt \(n)", at: clock(), anchorKey: nil)
                return n
            }
        } catch { throw error.asVaultError("recording a failed unlock") }
    }

    /// After a successful unlock: reset the counter and extend the audit anchor over
    /// the failures appended while locked — only if the anchored entry is intact.
    private func acknowledgeFailedUnlocks() throws(VaultError) {
        let key = try requireKey()
        do {
            try db.write { db in
                try db.execute(sql: "UPDATE vault SET failed_unlocks = 0")
                if try AuditLog.anchoredEntryIsIntact(db, key: key) {
                    try AuditLog.reanchor(db, key: key)
                }
            }
        } catch { throw error.asVaultError("resetting the failed-unlock count") }
    }

    func requireKey() throws(VaultError) -> SecretBytes {
        guard let k = dataKey, !k.isWiped else {
            throw VaultError(.locked, "The vault is locked. Unlock it with your passphrase.")
        }
        return k
    }

    // MARK: - Passphrase

    /// Re-wraps the data key under a new passphrase (fresh salt, limits never below
    /// MODERATE unless the vault was made with lower ones for tests). No record is re-encrypted.
    public func changePassphrase(to newPassphrase: SecretBytes) throws(VaultError) {
        try Self.checkPassphrase(newPassphrase)
        let key = try requireKey()
        let old = try Self.readHeader(db)
        var header = old
        header.kdf = old.kdf.withFreshSalt()
        let kek = try header.kdf.deriveKey(from: newPassphrase)
        defer { kek.wipe() }
        let wrapped = try Sealer.sealSecret(key, associatedData: header.wrapAD, key: kek)
        let at = clock()
        do {
            try db.write { db in
                try db.execute(
                    sql: "UPDATE vault SET kdf_salt = ?, wrapped_key = ?",
                    arguments: [Data(header.kdf.salt), Data(wrapped)])
                try AuditLog.append(db, .passphraseChanged, actor: workerID, at: at, anchorKey: key)
            }
        } catch { throw error.asVaultError("changing the passphrase") }
    }
}

@available(*, unavailable)
extension Vault: Sendable {}
