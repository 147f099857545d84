import Foundation
import GRDB
import SatchelTestSupport
import Testing

/// The key-derivation floor through the real binary, which always applies the standard
/// one (libsodium's MODERATE, what `init` makes).
@Suite("satchel refuses a vault below the key-derivation floor")
struct KDFFloorCommandTests {
    static let passphrase = "correct horse battery staple\n"

    private func home(_ dir: URL) -> String { dir.appendingPathComponent("vault").path }

    @Test("the binary cannot unlock a vault made with the tests' key-derivation limits (exit 70)")
    func binaryRefusesTestLimits() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let r = try ChildProcess.runSatchel(["--home", home(t.directory), "--passphrase-fd", "3", "status"], fd3: Self.passphrase)
        #expect(r.status == 70)
        #expect(r.stderr == """
            vault header: its key derivation (Argon2id, 1 pass over 8 KiB) is below the floor of 3 passes over 256 MiB. \
            This vault was not made by `satchel init`, or it was altered; it stays locked. Restore a copy you trust.

            """)
        #expect(r.stdout == "")
    }

    @Test("a vault whose header was lowered to INTERACTIVE's 2 passes is refused, and no failed attempt is counted")
    func binaryRefusesLoweredHeader() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = ["--home", home(dir), "--passphrase-fd", "3"]
        #expect(try ChildProcess.runSatchel(base + ["init", "--name", "Test Mentor", "--role", "police"], fd3: Self.passphrase).status == 0)
        let database = home(dir) + "/vault.sqlite"
        func setOpsLimit(_ ops: Int) throws {
            let db = try DatabaseQueue(path: database)
            try db.write { try $0.execute(sql: "UPDATE vault SET kdf_opslimit = ?", arguments: [ops]) }
            try db.close()
        }
        try setOpsLimit(2)
        let refused = try ChildProcess.runSatchel(base + ["status"], fd3: Self.passphrase)
        #expect(refused.status == 70)
        #expect(refused.stderr.hasPrefix("vault header: its key derivation (Argon2id, 2 passes over 256 MiB) is below the floor of 3 passes over 256 MiB."))

        try setOpsLimit(3)
        let ok = try ChildProcess.runSatchel(base + ["status"], fd3: Self.passphrase)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(!ok.stderr.contains("failed unlock"))
    }
}
