import ArgumentParser
import SatchelStore
import SatchelUseCases

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

extension UseCaseError.Code {
    var exitStatus: ExitStatus {
        switch self {
        case .badInput: .badInput
        case .config: .config
        case .refused: .refused
        case .incomplete: .incomplete
        case .security: .security
        }
    }
}

extension ExitStatus {
    /// The one mapping from an error to what the person is told and the status it
    /// ends with, used by the shell (`SatchelCommand.execute`) and each REPL line
    /// (`CommandDispatcher`) alike. Errors go to standard error; help and `--version`
    /// (ArgumentParser's clean exits) go to `say`.
    static func report(_ error: any Error, say: (String) -> Void) -> ExitStatus {
        let (status, message): (ExitStatus, String)
        switch error {
        case let e as VaultError: (status, message) = (ExitStatus(e.code), e.message)
        case let e as UseCaseError: (status, message) = (e.code.exitStatus, e.message)
        case let e as CommandFailure: (status, message) = (e.status, e.message)
        default:
            let code = SatchelCommand.exitCode(for: error)
            let text = SatchelCommand.fullMessage(for: error)
            if code == .success {
                if !text.isEmpty { say(text) }
                return .success
            }
            (status, message) = (code == .validationFailure ? .usage : ExitStatus(rawValue: code.rawValue) ?? .failure, text)
        }
        if !message.isEmpty { Console.error(message) }
        return status
    }
}
