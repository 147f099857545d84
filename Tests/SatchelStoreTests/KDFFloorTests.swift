import Foundation
import GRDB
import SatchelTestSupport
import Testing
@testable import SatchelStore

/// The floor on the Argon2id limits: a vault asking for less is never made, never
/// unlocked, and a passphrase change never writes less.
@Suite("The key-derivation floor")
struct KDFFloorTests {
    /// Above the test limits (1 pass, 8 KiB) and still quick: 2 passes over 16 KiB.
    static let floor = KDFFloor(opsLimit: 2, memLimit: 16 << 10)
    static let atFloor = KDFParameters(opsLimit: 2, memLimit: 16 << 10, salt: KDFParameters.fastForTestsOnly().salt)

    static let belowFloor = """
        vault header: its key derivation (Argon2id, 1 pass over 8 KiB) is below the floor of 2 passes over 16 KiB. \
        This vault was not made by `satchel init`, or it was altered; it stays locked. Restore a copy you trust.
        """

    private func makeVault(in dir: URL, kdf: KDFParameters = atFloor) throws -> (VaultLocation, Vault) {
        let location = VaultLocation(directory: dir.appendingPathComponent("vault"))
        let vault = try Vault.create(
            at: location, workerName: "Test Mentor", role: .clinician, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase),
            kdf: kdf, kdfFloor: Self.floor)
        return (location, vault)
    }

    /// Lowers the header's limits to 1 pass over 8 KiB; `resealed` also remakes the
    /// header's MAC, as if the header had been written so by Satchel itself.
    private func lowerHeader(_ vault: Vault, resealed: Bool = false) throws {
        try vault.db.write { db in
            try db.execute(sql: "UPDATE vault SET kdf_opslimit = 1, kdf_memlimit = 8192")
            if resealed { try Vault.sealHeader(db, keys: try vault.requireKeys()) }
        }
    }

    private func failedUnlocks(_ vault: Vault) throws -> Int {
        try vault.db.read { try Int.fetchOne($0, sql: "SELECT failed_unlocks FROM vault") } ?? -1
    }

    @Test("the standard floor is libsodium's MODERATE, what init makes: 3 passes over 256 MiB")
    func standardFloor() {
        #expect(KDFFloor.standard == KDFFloor(opsLimit: 3, memLimit: 256 << 20))
        #expect(KDFParameters.moderate().meets(.standard))
        #expect(!KDFParameters(opsLimit: 2, memLimit: 64 << 20, salt: []).meets(.standard))  // INTERACTIVE
        #expect(!KDFParameters(opsLimit: 3, memLimit: 128 << 20, salt: []).meets(.standard))
        #expect(!KDFParameters.fastForTestsOnly().meets(.standard))
        #expect(KDFParameters.fastForTestsOnly().meets(.testsOnly))
    }

    @Test("a vault is never created below the floor")
    func createRefused() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let location = VaultLocation(directory: dir.appendingPathComponent("vault"))
        #expect(throws: VaultError(.invalidInput, "kdf: 1 pass over 8 KiB is below the floor; allowed: at least 3 passes over 256 MiB.")) {
            _ = try Vault.create(
                at: location, workerName: "Test Mentor", role: .clinician, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase),
                kdf: .fastForTestsOnly())
        }
        #expect(!location.exists)
    }

    @Test("a header whose limits were lowered is refused at unlock, the right passphrase notwithstanding, and no attempt is counted")
    func loweredHeaderRefused() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (location, vault) = try makeVault(in: dir)
        vault.lock()
        let reopened = try Vault.unlock(at: location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdfFloor: Self.floor)
        reopened.lock()

        try lowerHeader(vault)
        #expect(throws: VaultError(.integrity, Self.belowFloor)) {
            _ = try Vault.unlock(at: location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdfFloor: Self.floor)
        }
        // The unlock of an open vault after a lock (the REPL's idle lock) keeps the floor it was opened with.
        #expect(throws: VaultError(.integrity, Self.belowFloor)) {
            try reopened.unlock(passphrase: try TemporaryVault.secret(TemporaryVault.passphrase))
        }
        #expect(reopened.isLocked)
        #expect(try failedUnlocks(vault) == 0)
    }

    @Test("the default floor is the standard one: a vault made with the test limits is refused")
    func defaultFloorIsStandard() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let error = #expect(throws: VaultError.self) {
            _ = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase))
        }
        #expect(error?.code == .integrity)
        #expect(error?.message.contains("below the floor of 3 passes over 256 MiB") == true)
    }

    @Test("a passphrase change never writes limits below the floor: lower ones are raised to it")
    func passwdRaisesToTheFloor() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (location, vault) = try makeVault(in: dir)
        try lowerHeader(vault, resealed: true)
        let new = "kettle on the windowsill"
        try vault.changePassphrase(to: try TemporaryVault.secret(new))
        let header = try Vault.readHeader(vault.db)
        #expect(header.kdf.opsLimit == 2)
        #expect(header.kdf.memLimit == 16 << 10)
        vault.lock()
        let reopened = try Vault.unlock(at: location, passphrase: try TemporaryVault.secret(new), kdfFloor: Self.floor)
        reopened.lock()
    }

    @Test("a passphrase change keeps limits above the floor as they are")
    func passwdKeepsHigherLimits() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let higher = KDFParameters(opsLimit: 3, memLimit: 32 << 10, salt: Self.atFloor.salt)
        let (_, vault) = try makeVault(in: dir, kdf: higher)
        defer { vault.lock() }
        try vault.changePassphrase(to: try TemporaryVault.secret("kettle on the windowsill"))
        let header = try Vault.readHeader(vault.db)
        #expect(header.kdf.opsLimit == 3)
        #expect(header.kdf.memLimit == 32 << 10)
        #expect(header.kdf.salt != higher.salt)
    }
}
