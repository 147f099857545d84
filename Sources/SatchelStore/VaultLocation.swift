import Foundation

/// Where a worker's vault lives: `--home DIR`, else `$SATCHEL_HOME`, else
/// `$XDG_DATA_HOME/satchel`, else `~/.local/share/satchel`.
public struct VaultLocation: Sendable, Equatable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory.standardizedFileURL
    }

    public static func resolve(home: String?, environment: [String: String]) -> VaultLocation {
        if let home, !home.isEmpty { return VaultLocation(directory: URL(fileURLWithPath: home)) }
        if let h = environment["SATCHEL_HOME"], !h.isEmpty { return VaultLocation(directory: URL(fileURLWithPath: h)) }
        if let x = environment["XDG_DATA_HOME"], x.hasPrefix("/") {
            return VaultLocation(directory: URL(fileURLWithPath: x).appendingPathComponent("satchel"))
        }
        let userHome = environment["HOME"] ?? NSHomeDirectory()
        return VaultLocation(directory: URL(fileURLWithPath: userHome).appendingPathComponent(".local/share/satchel"))
    }

    public var database: URL { directory.appendingPathComponent("vault.sqlite") }

    public var exists: Bool { FileManager.default.fileExists(atPath: database.path) }

    /// Throws unless a vault is here (before a passphrase is asked for nothing).
    public func requireVault() throws(VaultError) {
        guard exists else { throw VaultError(.noVault, "No vault in \(directory.path). Create one with `satchel init`.") }
    }

    /// Throws if a vault is already here: Satchel never overwrites one.
    public func requireNoVault() throws(VaultError) {
        guard !exists else { throw VaultError(.vaultExists, "A vault already exists in \(directory.path). Satchel will not overwrite it.") }
    }
}
