import Foundation
import SatchelTestSupport
import Testing
@testable import SatchelStore

@Suite("The vault's directory and files are checked to be private when it is opened")
struct FileModesTests {
    func unlock(_ t: TemporaryVault) throws {
        let again = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdfFloor: .testsOnly)
        again.lock()
    }

    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("a new vault is 0700 and its database, -wal and -shm 0600, whatever the umask")
    func newVaultIsPrivate() throws {
        let old = umask(0o022)
        defer { umask(old) }
        let t = try TemporaryVault()
        defer { t.remove() }
        #expect(try mode(t.location.directory.path) == 0o700)
        for suffix in ["", "-wal", "-shm"] {
            #expect(try mode(t.databasePath + suffix) == 0o600, "vault.sqlite\(suffix)")
        }
        try unlock(t)
    }

    @Test("a directory others can enter is refused, naming the path, the mode and the chmod to run")
    func looseDirectory() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let dir = t.location.directory.path
        chmod(dir, 0o755)
        #expect(throws: VaultError(.storage, "The vault directory \(dir) has mode 0755; it must be 0700 (yours alone). Run: chmod 700 \(dir)")) {
            try unlock(t)
        }
        chmod(dir, 0o700)
        try unlock(t)
    }

    @Test("a database file, -wal or -shm others can read is refused", arguments: ["", "-wal", "-shm"])
    func looseFile(suffix: String) throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let path = t.databasePath + suffix
        chmod(path, 0o644)
        #expect(throws: VaultError(.storage, "The vault file \(path) has mode 0644; it must be 0600 (yours alone). Run: chmod 600 \(path)")) {
            try unlock(t)
        }
        chmod(path, 0o600)
        try unlock(t)
    }

    @Test("a path with a space is quoted in the chmod to run")
    func quotedPath() {
        #expect(FileModes.shellQuoted("/home/tm/my vault") == "'/home/tm/my vault'")
        #expect(FileModes.shellQuoted("/home/tm/it's") == #"'/home/tm/it'\''s'"#)
        #expect(FileModes.shellQuoted("/home/tm/.local/share/satchel") == "/home/tm/.local/share/satchel")
    }

    @Test("a database owned by another user is refused", .enabled(if: geteuid() == 0, "only root can give a file away"))
    func otherOwner() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        #expect(chown(t.databasePath, 65534, 65534) == 0)
        #expect(throws: VaultError(
            .storage,
            "The vault file \(t.databasePath) belongs to user id 65534, not to you (user id \(geteuid())): Satchel opens only a vault "
                + "that is yours alone. Ask whoever runs this computer to give it to you (chown), or use a vault of your own.")) {
            try unlock(t)
        }
    }

    @Test("init refuses a directory that is not private before it makes anything")
    func initRefusesLooseDirectory() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        chmod(dir.path, 0o750)
        #expect(throws: VaultError(.storage, "The vault directory \(dir.path) has mode 0750; it must be 0700 (yours alone). Run: chmod 700 \(dir.path)")) {
            _ = try Vault.create(
                at: VaultLocation(directory: dir), workerName: "Test Mentor", role: .police,
                passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdf: .fastForTestsOnly(), kdfFloor: .testsOnly)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
