import Foundation
import SatchelCore
import SatchelStore

/// A vault in a fresh temporary directory, with libsodium's minimum KDF limits so a
/// test suite can make many. Removed by `remove()`.
public final class TemporaryVault {
    public static let passphrase = "correct horse battery staple"
    public let directory: URL
    public let location: VaultLocation
    public let vault: Vault

    public init(workerName: String = "Test Mentor", role: Role = .clinician, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        directory = try Self.makeDirectory()
        location = VaultLocation(directory: directory.appendingPathComponent("vault"))
        vault = try Vault.create(
            at: location, workerName: workerName, role: role, passphrase: try Self.secret(Self.passphrase),
            kdf: .fastForTestsOnly(), kdfFloor: .testsOnly, clock: clock)
    }

    public static func secret(_ text: String) throws -> SecretBytes {
        try SecretBytes(copying: Array(text.utf8))
    }

    /// A fresh directory, 0700 like a vault directory must be.
    public static func makeDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("satchel-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return url
    }

    /// Adds a service user and returns their id.
    @discardableResult
    public func addServiceUser(body: String = #"{"name":"Testy McTestface"}"#, final: Bool = true) throws -> UUID {
        let draft = RecordDraft(kind: .serviceUser, body: Array(body.utf8))
        if final { try vault.saveFinal(draft, routes: .queueEverywhere) } else { try vault.saveDraft(draft) }
        return draft.id
    }

    public var databasePath: String { location.database.path }

    public func remove() {
        vault.lock()
        try? FileManager.default.removeItem(at: directory)
    }
}
