/// Everything a use case can refuse, as data: a code the doors map to an exit status,
/// a message that says what to do, and the cause for the log. Errors of the vault
/// (`VaultError`) pass through unchanged; errors of delivery are turned into this.
///
/// Messages never carry personal data: record ids, kinds and destination names at most.
public struct UseCaseError: Error, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A value the person typed is not allowed; the message names the field.
        case badInput
        /// The configuration file is wrong, or names no destination; the message names the key.
        case config
        /// The vault or the policy refused (a draft that cannot be resumed, say).
        case refused
        /// A sync left records queued or rejected.
        case incomplete
        /// A TLS check failed: nothing was sent.
        case security
    }

    public let code: Code
    public let message: String
    public let cause: String?

    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}
