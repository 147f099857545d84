import Foundation
import SatchelCore
import SatchelStore
import SatchelSync

/// Destinations are defined in the configuration file and confirmed by the worker: the
/// vault registers a destination (and holds what is already final for it) only with
/// the definition the worker confirmed, sealed, and nothing goes to a destination whose
/// definition in the file differs from it. docs/architecture.md, docs/sync.md.
extension Session {
    /// The settings `destination add` takes.
    public struct NewDestination: Sendable {
        public var name: String
        /// The FHIR base URL, or nil for a folder destination.
        public var url: String?
        /// The folder records go to as files, for a system without an API.
        public var folder: String?
        public var kinds: [String] = []
        public var agencies: [String] = []
        public var auth = "none"
        public var tokenURL: String?
        public var clientID: String?
        public var caFile: String?
        public var pins: [String] = []
        public var batchSize: Int?
        public var allowLoopbackHTTP = false

        public init(name: String, url: String?, folder: String? = nil) {
            self.name = name
            self.url = url
            self.folder = folder
        }
    }

    /// What `destination add` would write, checked as a whole file, without writing it:
    /// the door shows a token URL on another host before the worker goes on.
    public func reviewNewDestination(_ n: NewDestination) throws -> DestinationReview {
        let (_, _, d) = try configText(adding: n)
        return DestinationReview(name: d.name, state: .new, definition: DestinationDefinition(d))
    }

    /// Adds a destination to the configuration file (the whole file is checked as it
    /// would be before anything is written), registers it in the vault as confirmed —
    /// the worker typed it — and asks the policy about every held record. Returns the
    /// file's path.
    @discardableResult
    public func addDestination(_ n: NewDestination) throws -> URL {
        let (path, text, d) = try configText(adding: n)
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: path, options: .atomic)
        forgetConfig()
        try register(d, definition: DestinationDefinition(d))
        try reevaluate()
        return path
    }

    /// The configuration file with `n` appended, and `n` as it parses there.
    private func configText(adding n: NewDestination) throws -> (URL, String, Destination) {
        guard let path = configPath else { throw UseCaseError(.config, "No configuration file is known in this session.") }
        var text = (try? String(contentsOf: path, encoding: .utf8)) ?? ""
        var lines = ["", "[destination.\(n.name)]"]
        if let url = n.url { lines.append("url = \(TOMLSubset.quote(url))") }
        if let folder = n.folder { lines.append("folder = \(TOMLSubset.quote(folder))") }
        lines.append("kinds = [\((n.kinds.isEmpty ? RecordKind.allCases.map(\.rawValue) : n.kinds).map(TOMLSubset.quote).joined(separator: ", "))]")
        if !n.agencies.isEmpty { lines.append("agency = [\(n.agencies.map(TOMLSubset.quote).joined(separator: ", "))]") }
        if n.folder == nil || n.auth != "none" { lines.append("auth = \(TOMLSubset.quote(n.auth))") }
        if let tokenURL = n.tokenURL { lines.append("token-url = \(TOMLSubset.quote(tokenURL))") }
        if let clientID = n.clientID { lines.append("client-id = \(TOMLSubset.quote(clientID))") }
        if let caFile = n.caFile { lines.append("ca-file = \(TOMLSubset.quote(caFile))") }
        if !n.pins.isEmpty { lines.append("pinned-keys = [\(n.pins.map(TOMLSubset.quote).joined(separator: ", "))]") }
        if let batchSize = n.batchSize { lines.append("batch-size = \(batchSize)") }
        if n.allowLoopbackHTTP { lines.append("allow-loopback-http = true") }
        text += lines.joined(separator: "\n") + "\n"
        let config: SatchelConfig
        do { config = try SatchelConfig.parse(text) } catch { throw UseCaseError(.config, error.message) }
        let named = config.destinations.filter { $0.name == n.name }
        guard named.count == 1, let d = named.first else {
            throw UseCaseError(.config, "destination \(n.name) already exists in \(path.path); edit it there.")
        }
        return (path, text, d)
    }

    // MARK: - Confirmation

    /// A configured destination as it is now, and how it stands against the definition
    /// the worker confirmed (config.toml is read afresh). A confirmed definition that
    /// does not open is an integrity error: that destination stays refused.
    public func reviewDestination(_ name: String) throws -> DestinationReview {
        forgetConfig()
        let d = try destination(named: name)
        let state = try confirmation(of: d, registered: Set(try vault.destinations()))
        if case .damaged(let message) = state { throw VaultError(.integrity, message) }
        return DestinationReview(name: d.name, state: state, definition: DestinationDefinition(d))
    }

    /// Records the worker's confirmation of exactly what `review` showed: registers the
    /// destination (new) or replaces its confirmed definition, then asks the sharing
    /// policy about every held record. Refused when config.toml changed since the
    /// review. Returns how many held records were released to the outbox.
    @discardableResult
    public func confirmDestination(_ review: DestinationReview) throws -> Int {
        forgetConfig()
        let d = try destination(named: review.name)
        guard DestinationDefinition(d) == review.definition else {
            throw UseCaseError(
                .refused,
                "destination \(review.name): config.toml changed while you were confirming it; nothing was confirmed. Run `satchel destination confirm \(review.name)` again to see it as it is now.")
        }
        try register(d, definition: review.definition)
        return try reevaluate().released
    }

    /// Registers `d` with its definition sealed as confirmed, or replaces the confirmed
    /// definition of a destination already registered.
    private func register(_ d: Destination, definition: DestinationDefinition) throws {
        if try vault.destinations().contains(d.name) {
            try vault.confirmDestination(d.name, definition: definition.encoded())
        } else {
            try vault.addDestination(d.name, definition: definition.encoded())
        }
        confirmationCache = nil
    }

    /// The configured destinations and which of their secrets are sealed.
    public func destinationListings() throws -> [DestinationListing] {
        let states = try destinationConfirmations()
        return try config().destinations.map { d in
            var listing = DestinationListing(
                name: d.name, url: d.location, kinds: d.rule.kinds.map(\.rawValue).sorted(), agencyNames: d.rule.agencyNames,
                auth: d.auth.name, batchSize: d.batchSize,
                sealedSecrets: try Destination.SecretKind.allCases.filter { try vault.secret(d.secretName($0)) != nil }.map(\.rawValue),
                unconfirmed: states[d.name]?.message(for: d.name))
            listing.folder = d.folder != nil
            return listing
        }
    }

    /// Which secret `destination secret NAME` seals by default, or the one named.
    public func secretKind(for name: String, which: String?) throws -> String {
        let d = try destination(named: name)
        guard let which else { return (d.auth == .bearer ? Destination.SecretKind.token : .clientSecret).rawValue }
        guard let k = Destination.SecretKind(rawValue: which) else {
            throw UseCaseError(.badInput, "--which: \(FieldError.quote(which)) is not allowed. Allowed: token, client-secret, key-passphrase.")
        }
        return k.rawValue
    }

    /// A configured destination, refused unless it is confirmed as configured.
    func confirmedDestination(named name: String) throws -> Destination {
        let d = try destination(named: name)
        switch try destinationConfirmations()[name] ?? .new {
        case .confirmed: return d
        case .damaged(let message): throw VaultError(.integrity, message)
        case let state: throw UseCaseError(.config, state.message(for: name) ?? "destination \(name) is not confirmed.")
        }
    }

    /// Seals a destination's secret in the vault.
    public func sealSecret(destination name: String, kind: String, _ value: SecretBytes) throws {
        let d = try destination(named: name)
        guard let k = Destination.SecretKind(rawValue: kind) else { throw UseCaseError(.badInput, "--which: \(FieldError.quote(kind)) is not allowed.") }
        try vault.setSecret(d.secretName(k), value)
    }

    /// Fetches the destination's /metadata: what it speaks and the certificate it showed;
    /// for a folder destination, checks the folder is there and writable.
    /// Refused for a destination not confirmed as configured: the request would carry
    /// its token, or fetch one with the client secret.
    public func probe(destination name: String) throws -> DestinationProbe {
        let d = try confirmedDestination(named: name)
        if let folder = d.folder {
            do { _ = try FolderWriter(path: folder) } catch {
                throw UseCaseError(.incomplete, "\(d.name): \(error.message)")
            }
            var p = DestinationProbe(name: d.name, url: d.location, software: nil, fhirVersion: "4.0.1", putWithClientIDs: false, batch: false, certificates: [])
            p.folder = true
            return p
        }
        let transport: CurlEasy
        do { transport = try DeliveryEnvironment.curl(d, secret: vault.secret) } catch let error as SyncError {
            // A TLS setting libcurl refuses (a CA file that is not there, a bad pin).
            throw UseCaseError(.config, "\(d.name): \(error.message)")
        }
        let engine = PushEngine(vault: vault, destination: d, transport: transport)
        let capabilities: ServerCapabilities
        do {
            capabilities = try engine.fetchCapabilities()
        } catch {
            if error.code == .tls {
                throw UseCaseError(.security, "SECURITY: \(d.name) failed its TLS check: \(error.message)")
            }
            throw UseCaseError(.incomplete, "\(d.name): \(error.message)")
        }
        return DestinationProbe(
            name: d.name, url: d.baseURL, software: capabilities.software, fhirVersion: capabilities.fhirVersion,
            putWithClientIDs: PushEngine.writeMode(capabilities) == .putWithClientIDs,
            batch: capabilities.batch,
            certificates: transport.lastCertificateChain.map {
                .init(subject: $0.subject, issuer: $0.issuer, notBefore: $0.notBefore, notAfter: $0.notAfter, publicKeyPin: $0.publicKeyPin)
            })
    }
}
