internal import CSQLiteGuard
internal import CSodium
import Foundation
import GRDB
import SatchelCore

/// A worker's encrypted vault: one SQLite file holding sealed records, their outbox
/// rows and the audit log.
///
/// Key hierarchy: passphrase → Argon2id → key-encryption key (KEK), which unwraps a
/// random 32-byte data key; the data key seals every body with XChaCha20-Poly1305.
/// The KEK is wiped as soon as the data key is unwrapped; the data key and the keys
/// derived from it (`VaultKeys`) are wiped on `lock()` and when the vault is released.
///
/// Format 2 authenticates what the clear columns mean (docs/security.md): the vault row
/// (worker, role, key settings) by a header MAC checked at every unlock, each record's
/// facts with its sealed body, each outbox and held row. A format-1 vault is upgraded
/// at its first unlock by this version (`Vault+Upgrade.swift`).
public final class Vault {
    public static let format = 2
    public static let minimumPassphraseLength = 12

    public let location: VaultLocation
    public let workerID: String
    public let role: Role
    public private(set) var workerName: String
    /// Failed unlock attempts recorded since the previous successful unlock.
    public private(set) var failedUnlocksSinceLastUnlock: Int
    private(set) var keyVersion: Int
    let db: DatabaseQueue
    let clock: @Sendable () -> Date
    /// The least key-derivation work this vault is unlocked (or re-wrapped) with.
    private let kdfFloor: KDFFloor
    private var keys: VaultKeys?
    /// Checkpoints the WAL on a thread of its own (`checkpointer.c`), so no save waits for
    /// one; nil if it could not start (SQLite checkpoints in the commit then, as by default).
    private let checkpointer: OpaquePointer?

    public var isLocked: Bool { keys == nil }

    private init(
        location: VaultLocation, db: DatabaseQueue, header: Header, keys: VaultKeys, workerName: String,
        kdfFloor: KDFFloor, clock: @escaping @Sendable () -> Date
    ) {
        self.location = location
        self.db = db
        self.workerID = header.workerID
        self.role = header.role
        self.keyVersion = header.keyVersion
        self.failedUnlocksSinceLastUnlock = header.failedUnlocks
        self.keys = keys
        self.workerName = workerName
        self.kdfFloor = kdfFloor
        self.clock = clock
        let path = location.database.path
        self.checkpointer = db.inDatabase { db in
            satchel_checkpointer_start(db.sqliteConnection, path, Self.checkpointFrames, Self.checkpointBackstopFrames, Self.checkpointPauseMilliseconds)
        }
    }

    /// SQLite's own threshold: a checkpoint is wanted once the WAL holds 1,000 frames (4 MiB).
    static let checkpointFrames: Int32 = 1000
    /// Past this many frames (16 MiB) the commit checkpoints itself, as SQLite would.
    static let checkpointBackstopFrames: Int32 = 4000
    /// The thread checkpoints once no commit has come for this long.
    static let checkpointPauseMilliseconds: Int32 = 100

    deinit {
        keys?.wipe()
        if let checkpointer {
            db.inDatabase { db in satchel_checkpointer_stop(checkpointer, db.sqliteConnection) }
        }
    }

    // MARK: - Create

    /// Creates a new vault. Refuses to touch an existing one, and refuses key-derivation
    /// limits below `kdfFloor`.
    public static func create(
        at location: VaultLocation, workerName: String, role: Role, passphrase: SecretBytes,
        kdf: KDFParameters = .moderate(), kdfFloor: KDFFloor = .standard, clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(VaultError) -> Vault {
        let name = workerName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw VaultError(.invalidInput, "--name: the worker's name is required.") }
        try checkPassphrase(passphrase, workerName: name)
        guard kdf.meets(kdfFloor) else {
            throw VaultError(
                .invalidInput, "kdf: \(kdf.described) is below the floor; allowed: at least \(kdfFloor.described).")
        }
        try location.requireNoVault()
        try makePrivateDirectory(location.directory)

        let workerID = UUID().uuidString.lowercased()
        let keyVersion = 1
        let keys = try VaultKeys(data: try SecretBytes.random(count: Sealer.keyBytes))
        let kek = try kdf.deriveKey(from: passphrase)
        defer { kek.wipe() }
        let header = Header(format: format, workerID: workerID, role: role, keyVersion: keyVersion, kdf: kdf, failedUnlocks: 0)
        let wrapped = try Sealer.sealSecret(keys.data, associatedData: header.wrapAD, key: kek)
        let profile = try Sealer.seal(Array(name.utf8), associatedData: header.profileAD, key: keys.data)
        let createdAt = Timestamp.string(clock())

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
                        Data(kdf.salt), keyVersion, Data(wrapped), Data(profile), createdAt,
                    ])
                try sealHeader(db, keys: keys)
                try AuditLog.append(db, .vaultCreated, actor: workerID, at: clock(), keys: nil)
                try AuditLog.anchorHead(db, keys: keys)
            }
        } catch {
            try? db.close()
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: location.database.path + suffix)
            }
            throw error.asVaultError("creating the vault")
        }
        return Vault(location: location, db: db, header: header, keys: keys, workerName: name, kdfFloor: kdfFloor, clock: clock)
    }

    /// A new passphrase's rules: at least `minimumPassphraseLength` characters, then
    /// `PassphrasePolicy` (not a common password, not a pattern, not the worker's name).
    public static func checkPassphrase(_ passphrase: SecretBytes, workerName: String? = nil) throws(VaultError) {
        let n = passphrase.characterCount
        guard n >= minimumPassphraseLength else {
            throw VaultError(
                .invalidInput,
                "passphrase: too short (\(n) characters). Use at least \(minimumPassphraseLength) characters; a few unrelated words work well.")
        }
        try PassphrasePolicy.check(passphrase, workerName: workerName)
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
    /// audited, then refused. A header asking for less key-derivation work than
    /// `kdfFloor` is refused before any key is derived (`satchel` always passes `.standard`).
    public static func unlock(
        at location: VaultLocation, passphrase: SecretBytes, kdfFloor: KDFFloor = .standard,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(VaultError) -> Vault {
        try location.requireVault()
        let db = try VaultDatabase.open(location.database)
        var header = try readHeader(db)
        let keys = try unwrapKeys(db: db, header: &header, passphrase: passphrase, kdfFloor: kdfFloor, clock: clock)
        let profile: Data
        do {
            profile = try db.vaultRead { try Data.fetchOne($0, sql: "SELECT profile FROM vault") } ?? Data()
        } catch { throw error.asVaultError("reading the vault header") }
        let name = try Sealer.open([UInt8](profile), associatedData: header.profileAD, key: keys.data)
        let vault = Vault(
            location: location, db: db, header: header, keys: keys,
            workerName: String(decoding: name, as: UTF8.self), kdfFloor: kdfFloor, clock: clock)
        if header.failedUnlocks > 0 { try vault.acknowledgeFailedUnlocks() }
        return vault
    }

    /// Unlocks this vault again after `lock()` (the REPL's idle lock). The header must
    /// still be the one this vault was opened with.
    public func unlock(passphrase: SecretBytes) throws(VaultError) {
        guard keys == nil else { return }
        var header = try Self.readHeader(db)
        let keys = try Self.unwrapKeys(db: db, header: &header, passphrase: passphrase, kdfFloor: kdfFloor, clock: clock)
        guard header.workerID == workerID, header.role == role, header.keyVersion == keyVersion else {
            keys.wipe()
            throw VaultError(.integrity, "The vault's header changed while it was locked. Keep this vault as it is and tell your team lead.")
        }
        self.keys = keys
        failedUnlocksSinceLastUnlock = header.failedUnlocks
        if header.failedUnlocks > 0 { try acknowledgeFailedUnlocks() }
    }

    /// After a key rotation: the new keys and version (the old keys are wiped by the caller).
    func replaceKeys(_ new: VaultKeys, version: Int) {
        keys = new
        keyVersion = version
    }

    /// Wipes the keys. Everything but `unlock(passphrase:)` refuses until then.
    public func lock() {
        keys?.wipe()
        keys = nil
    }

    /// Unwraps the data key, derives the others and checks the header's MAC. A vault
    /// of format 1 (its key wrapped under the old associated data) is upgraded here,
    /// once, while the key-encryption key is at hand.
    private static func unwrapKeys(
        db: DatabaseQueue, header: inout Header, passphrase: SecretBytes, kdfFloor: KDFFloor, clock: @Sendable () -> Date
    ) throws(VaultError) -> VaultKeys {
        guard header.kdf.meets(kdfFloor) else {
            throw VaultError(
                .integrity,
                "vault header: its key derivation (Argon2id, \(header.kdf.described)) is below the floor of \(kdfFloor.described). "
                    + "This vault was not made by `satchel init`, or it was altered; it stays locked. Restore a copy you trust.")
        }
        let kek = try header.kdf.deriveKey(from: passphrase)
        defer { kek.wipe() }
        let wrapped: [UInt8]
        do {
            wrapped = [UInt8](try db.vaultRead { try Data.fetchOne($0, sql: "SELECT wrapped_key FROM vault") } ?? Data())
        } catch { throw error.asVaultError("reading the vault header") }
        // Which format the key was wrapped for decides, not the clear `format` column.
        let current = header.with(format: format)
        if let data = try? Sealer.openSecret(wrapped, associatedData: current.wrapAD, key: kek) {
            let keys = try VaultKeys(data: data)
            guard header.format == format else {
                keys.wipe()
                throw VaultError(.integrity, "The vault header's format was changed outside Satchel. Keep this vault as it is and tell your team lead.")
            }
            try checkHeader(db, keys: keys)
            return keys
        }
        let legacy = header.with(format: 1)
        if header.format == 1, let data = try? Sealer.openSecret(wrapped, associatedData: legacy.wrapAD, key: kek) {
            let keys = try VaultKeys(data: data)
            try upgrade(db, from: legacy, keys: keys, kek: kek, clock: clock)
            header = current
            return keys
        }
        let attempt = try recordFailedUnlock(db, clock: clock)
        throw VaultError(
            .wrongPassphrase,
            "Wrong passphrase. The vault stays locked; this failed attempt (\(attempt) since the last unlock) is in the audit log. "
                + "If you are sure of your passphrase, the key settings in the vault's header (salt or limits) may have been changed outside Satchel: keep this vault as it is and tell your team lead.")
    }

    private static func recordFailedUnlock(_ db: DatabaseQueue, clock: @Sendable () -> Date) throws(VaultError) -> Int {
        do {
            return try db.write { db in
                try db.execute(sql: "UPDATE vault SET failed_unlocks = failed_unlocks + 1")
                let n = try Int.fetchOne(db, sql: "SELECT failed_unlocks FROM vault") ?? 1
                try AuditLog.append(db, .unlockFailed, actor: nil, detail: "attempt \(n)", at: clock(), keys: nil)
                return n
            }
        } catch { throw error.asVaultError("recording a failed unlock") }
    }

    /// After a successful unlock: reset the counter and extend the audit anchor over
    /// the failures appended while locked — only if the anchored segment is intact.
    private func acknowledgeFailedUnlocks() throws(VaultError) {
        let keys = try requireKeys()
        do {
            try db.write { db in
                try db.execute(sql: "UPDATE vault SET failed_unlocks = 0")
                try AuditLog.reanchor(db, keys: keys)
            }
        } catch { throw error.asVaultError("resetting the failed-unlock count") }
    }

    func requireKeys() throws(VaultError) -> VaultKeys {
        guard let k = keys, !k.isWiped else {
            throw VaultError(.locked, "The vault is locked. Unlock it with your passphrase.")
        }
        return k
    }

    // MARK: - Passphrase

    /// Re-wraps the data key under a new passphrase (fresh salt; limits raised to the
    /// floor if they were below it, never lowered). No record is re-encrypted.
    public func changePassphrase(to newPassphrase: SecretBytes) throws(VaultError) {
        try Self.checkPassphrase(newPassphrase, workerName: workerName)
        let keys = try requireKeys()
        let old = try Self.readHeader(db)
        var header = old
        header.kdf = old.kdf.raised(to: kdfFloor).withFreshSalt()
        let kek = try header.kdf.deriveKey(from: newPassphrase)
        defer { kek.wipe() }
        let wrapped = try Sealer.sealSecret(keys.data, associatedData: header.wrapAD, key: kek)
        let at = clock()
        do {
            try db.write { db in
                try Self.checkHeader(db, keys: keys)
                try db.execute(
                    sql: "UPDATE vault SET kdf_opslimit = ?, kdf_memlimit = ?, kdf_salt = ?, wrapped_key = ?",
                    arguments: [Int64(header.kdf.opsLimit), header.kdf.memLimit, Data(header.kdf.salt), Data(wrapped)])
                try Self.sealHeader(db, keys: keys)
                try AuditLog.append(db, .passphraseChanged, actor: workerID, at: at, keys: keys)
            }
        } catch { throw error.asVaultError("changing the passphrase") }
    }
}

@available(*, unavailable)
extension Vault: Sendable {}
