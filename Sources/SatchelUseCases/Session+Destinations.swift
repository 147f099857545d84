import Foundation
import SatchelCore
import SatchelStore
import SatchelSync

/// Destinations have one source of truth: the configuration file says what they are;
/// the vault learns each name (and holds what is already final for it) the first time
/// a write use case meets it. docs/architecture.md.
extension Session {
    /// The settings `destination add` takes.
    public struct NewDestination: Sendable {
        public var name: String
        public var url: String
        public var kinds: [String] = []
        public var agencies: [String] = []
        public var auth = "none"
        public var tokenURL: String?
        public var clientID: String?
        public var caFile: String?
        public var pins: [String] = []
        public var batchSize: Int?
        public var allowLoopbackHTTP = false

        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }

    /// Adds a destination to the configuration file (the whole file is checked as it
    /// would be before anything is written), registers it in the vault and asks the
    /// policy about every held record. Returns the file's path.
    @discardableResult
    public func addDestination(_ n: NewDestination) throws -> URL {
        guard let path = configPath else { throw UseCaseError(.config, "No configuration file is known in this session.") }
        var text = (try? String(contentsOf: path, encoding: .utf8)) ?? ""
        var lines = ["", "[destination.\(n.name)]", "url = \(TOMLSubset.quote(n.url))"]
        lines.append("kinds = [\((n.kinds.isEmpty ? RecordKind.allCases.map(\.rawValue) : n.kinds).map(TOMLSubset.quote).joined(separator: ", "))]")
        if !n.agencies.isEmpty { lines.append("agency = [\(n.agencies.map(TOMLSubset.quote).joined(separator: ", "))]") }
        lines.append("auth = \(TOMLSubset.quote(n.auth))")
        if let tokenURL = n.tokenURL { lines.append("token-url = \(TOMLSubset.quote(tokenURL))") }
        if let clientID = n.clientID { lines.append("client-id = \(TOMLSubset.quote(clientID))") }
        if let caFile = n.caFile { lines.append("ca-file = \(TOMLSubset.quote(caFile))") }
        if !n.pins.isEmpty { lines.append("pinned-keys = [\(n.pins.map(TOMLSubset.quote).joined(separator: ", "))]") }
        if let batchSize = n.batchSize { lines.append("batch-size = \(batchSize)") }
        if n.allowLoopbackHTTP { lines.append("allow-loopback-http = true") }
        text += lines.joined(separator: "\n") + "\n"
        let config: SatchelConfig
        do { config = try SatchelConfig.parse(text) } catch { throw UseCaseError(.config, error.message) }
        guard config.destinations.filter({ $0.name == n.name }).count == 1 else {
            throw UseCaseError(.config, "destination \(n.name) already exists in \(path.path); edit it there.")
        }
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: path, options: .atomic)
        forgetConfig()
        if let warning = registerDestinations() { throw UseCaseError(.config, warning) }
        try reevaluateHeld()
        return path
    }

    /// The configured destinations and which of their secrets are sealed.
    public func destinationListings() throws -> [DestinationListing] {
        try config().destinations.map { d in
            DestinationListing(
                name: d.name, url: d.baseURL, kinds: d.rule.kinds.map(\.rawValue).sorted(), agencyNames: d.rule.agencyNames,
                auth: d.auth.name, batchSize: d.batchSize,
                sealedSecrets: try Destination.SecretKind.allCases.filter { try vault.secret(d.secretName($0)) != nil }.map(\.rawValue))
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

    /// Seals a destination's secret in the vault.
    public func sealSecret(destination name: String, kind: String, _ value: SecretBytes) throws {
        let d = try destination(named: name)
        guard let k = Destination.SecretKind(rawValue: kind) else { throw UseCaseError(.badInput, "--which: \(FieldError.quote(kind)) is not allowed.") }
        try vault.setSecret(d.secretName(k), value)
    }

    /// Fetches the destination's /metadata: what it speaks and the certificate it showed.
    public func probe(destination name: String) throws -> DestinationProbe {
        let d = try destination(named: name)
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
            putWithClientIDs: PushEngine.writtenTypes.allSatisfy { capabilities.writeMode(for: $0) == .putWithClientIDs },
            batch: capabilities.batch,
            certificates: transport.lastCertificateChain.map {
                .init(subject: $0.subject, issuer: $0.issuer, notBefore: $0.notBefore, notAfter: $0.notAfter, publicKeyPin: $0.publicKeyPin)
            })
    }
}
