import Foundation

/// What waits for one destination (`queue`).
public struct DestinationQueue: Encodable, Sendable {
    public struct Item: Encodable, Sendable {
        public let record: String
        public let kind: String
        public let serviceUser: String
        public let state: String
        public let attempts: Int?
        public let reason: String?
    }

    public let name: String
    /// The folder it delivers to, for a folder destination.
    public var folder: String?
    /// In the configuration file.
    public let configured: Bool
    /// Known to the vault; false until a write use case (capture, sync, destination add) meets it.
    public let registered: Bool
    public var items: [Item]
    /// People (short ids) whose records are queued for or were delivered to it with no
    /// privacy notice on record (SIM guide §53); absent when none.
    public var withoutPrivacyNotice: [String]?
}

/// What `destination test` found.
public struct DestinationProbe: Sendable {
    public struct Certificate: Sendable {
        public let subject: String
        public let issuer: String
        public let notBefore: String
        public let notAfter: String
        public let publicKeyPin: String?
    }

    public let name: String
    public let url: String
    public let software: String?
    public let fhirVersion: String
    /// PUT with client ids everywhere (else conditional create).
    public let putWithClientIDs: Bool
    public let batch: Bool
    public let certificates: [Certificate]
    /// A folder destination: `url` is "folder PATH", and it was found there and writable.
    public var folder = false
}

/// A configured destination as `destination list` shows it.
public struct DestinationListing: Sendable {
    public let name: String
    /// The URL, or "folder PATH".
    public let url: String
    public let kinds: [String]
    public let agencyNames: [String]
    public let auth: String
    public let batchSize: Int
    /// Which secrets are sealed in the vault.
    public let sealedSecrets: [String]
    /// Why nothing goes to it, with what to run, when it is not confirmed as configured.
    public let unconfirmed: String?
    /// A folder destination: no auth, no batches.
    public var folder = false
}
