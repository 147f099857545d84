import SatchelStore

/// Satchel's exit statuses, documented in docs/commands.md. Scripts may rely on them.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    case success = 0
    /// Anything not covered below.
    case failure = 1
    /// The command line itself is wrong: an unknown command or flag, a missing value.
    case usage = 64
    /// A field's value is not allowed (a short passphrase, a bad NHS number...).
    case badInput = 65
    /// No vault where one was expected.
    case noVault = 66
    /// `sync` left records queued or rejected; its summary says which and why.
    case incomplete = 69
    /// An integrity check failed: the audit chain is broken or a sealed value was altered.
    case integrity = 70
    /// `init` found a vault already there.
    case vaultExists = 73
    /// The disk or the database failed (disk full, unreadable file).
    case storage = 74
    /// The vault or the outbox refused the change (a final record, say).
    case refused = 75
    /// `sync` met a TLS failure: nothing was sent to that destination; not retried automatically.
    case security = 76
    /// The passphrase was wrong, or none could be read.
    case wrongPassphrase = 77
    /// The configuration file is wrong: the message names the key.
    case config = 78

    init(_ code: VaultError.Code) {
        switch code {
        case .noVault: self = .noVault
        case .vaultExists: self = .vaultExists
        case .wrongPassphrase, .locked: self = .wrongPassphrase
        case .invalidInput: self = .badInput
        case .storage: self = .storage
        case .integrity: self = .integrity
        case .notFound, .refused: self = .refused
        }
    }
}
