/// What a sync did for one destination: the end-of-shift summary, and `sync --json`'s
/// shape (docs/commands.md). Filled by the push engine, shown by the doors.
public struct DeliverySummary: Encodable, Sendable, Equatable {
    public struct Rejection: Encodable, Sendable, Equatable {
        public let record: String
        public let kind: String
        public let reason: String

        public init(record: String, kind: String, reason: String) {
            self.record = record
            self.kind = kind
            self.reason = reason
        }
    }

    public let destination: String
    /// The folder it delivers to, for a folder destination (a system without an API).
    public var folder: String?
    public var delivered = 0
    public var rejected: [Rejection] = []
    /// Records that stay in the outbox after this run, and why.
    public var stillQueued = 0
    public var why: String?
    /// Records the sharing policy holds back from this destination.
    public var held = 0
    /// A TLS failure: never retried automatically, shown as a warning.
    public var securityWarning: String?
    /// With --dry-run: what would be sent, in order.
    public var wouldSend: [String]?
    /// Queued records not sent because they, or their outbox row, failed the vault's
    /// integrity check (`satchel check` names them); the others went on. They stay
    /// queued and are named at every sync until the vault is looked at.
    public var quarantined: [Rejection] = []
    /// The destination is not confirmed as config.toml defines it: nothing was sent
    /// (no token asked for either), and this says what to run.
    public var unconfirmed: String?
    /// People (short ids) whose records are queued for or were delivered to this
    /// destination with no privacy notice on record (SIM guide §53); absent when none.
    public var withoutPrivacyNotice: [String]?

    public init(destination: String) {
        self.destination = destination
    }
}
