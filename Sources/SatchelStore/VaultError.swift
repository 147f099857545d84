/// Everything the vault can refuse, as data: a code the front end maps to an exit
/// status, a message that says what to do, and the cause for the log.
///
/// Messages never carry personal data: record ids and kinds at most. GRDB keeps
/// statement arguments out of its error text, and `cause` holds only that text.
public struct VaultError: Error, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// No vault at the given place.
        case noVault
        /// `init` found a vault already there.
        case vaultExists
        /// The passphrase did not unwrap the data key.
        case wrongPassphrase
        /// A passphrase too short, a name missing: input the user can fix.
        case invalidInput
        /// The vault was locked when something needed its keys.
        case locked
        /// The disk, the database file or memory failed us.
        case storage
        /// Something that should authenticate did not: a tampered body, a broken audit chain.
        case integrity
        /// No record (or destination) with that id.
        case notFound
        /// A final record cannot change, an outbox row cannot go backwards.
        case refused
    }

    public let code: Code
    public let message: String
    /// Technical detail for the log (a SQLite error text, say). Never personal data.
    public let cause: String?

    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}
