import Foundation
import SatchelCore
import SatchelTestSupport
import Testing
@testable import SatchelStore

@Suite("Unlocking, locking and the passphrase")
struct VaultKeyTests {
    @Test("a wrong passphrase is refused with one clear message")
    func wrongPassphrase() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        #expect(throws: VaultError(.wrongPassphrase, "Wrong passphrase. The vault stays locked; this failed attempt (1 since the last unlock) is in the audit log.")) {
            _ = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret("definitely not it"), kdfFloor: .testsOnly)
        }
    }

    @Test("a passphrase under 12 characters is refused, counting characters not bytes")
    func shortPassphrase() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let location = VaultLocation(directory: dir)
        #expect(throws: VaultError(.invalidInput, "passphrase: too short (11 characters). Use at least 12 characters; a few unrelated words work well.")) {
            _ = try Vault.create(at: location, workerName: "Test Mentor", role: .police, passphrase: try TemporaryVault.secret("ééééééééééé"), kdf: .fastForTestsOnly(), kdfFloor: .testsOnly)
        }
        #expect(!location.exists)
    }

    @Test("an existing vault is never overwritten")
    func noOverwrite() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        #expect(throws: VaultError.self) {
            _ = try Vault.create(at: t.location, workerName: "Other", role: .police, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdf: .fastForTestsOnly(), kdfFloor: .testsOnly)
        }
    }

    @Test("lock wipes the key: reads refuse until unlocked again")
    func lockAndUnlock() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let user = try t.addServiceUser()
        t.vault.lock()
        #expect(t.vault.isLocked)
        #expect(throws: VaultError(.locked, "The vault is locked. Unlock it with your passphrase.")) { _ = try t.vault.read(user) }
        #expect(throws: VaultError.self) { try t.vault.unlock(passphrase: try TemporaryVault.secret("wrong passphrase!!")) }
        try t.vault.unlock(passphrase: try TemporaryVault.secret(TemporaryVault.passphrase))
        #expect(try t.vault.read(user).header.kind == .serviceUser)
    }

    @Test("passwd re-wraps the data key: the old passphrase stops working, records still open")
    func changePassphrase() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let user = try t.addServiceUser()
        let new = "a brand new passphrase"
        try t.vault.changePassphrase(to: try TemporaryVault.secret(new))
        #expect(throws: VaultError.self) {
            _ = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdfFloor: .testsOnly)
        }
        let reopened = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret(new), kdfFloor: .testsOnly)
        defer { reopened.lock() }
        #expect(try reopened.read(user).body == Array(#"{"name":"Testy McTestface"}"#.utf8))
        #expect(try reopened.verifyAudit().isIntact)
    }

    @Test("the KDF parameters and salt live in the header; a real vault uses at least MODERATE")
    func kdfHeader() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let header = try Vault.readHeader(t.vault.db)
        #expect(header.kdf.salt.count == 16)
        let moderate = KDFParameters.moderate()
        #expect(moderate.opsLimit >= 3)
        #expect(moderate.memLimit >= 256 << 20)
    }

    @Test("the location resolves --home, then SATCHEL_HOME, then XDG_DATA_HOME, then ~/.local/share")
    func location() {
        let env = ["SATCHEL_HOME": "/s", "XDG_DATA_HOME": "/x", "HOME": "/h"]
        #expect(VaultLocation.resolve(home: "/flag", environment: env).directory.path == "/flag")
        #expect(VaultLocation.resolve(home: nil, environment: env).directory.path == "/s")
        #expect(VaultLocation.resolve(home: nil, environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]).directory.path == "/x/satchel")
        #expect(VaultLocation.resolve(home: nil, environment: ["HOME": "/h"]).directory.path == "/h/.local/share/satchel")
    }
}
