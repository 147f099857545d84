import Foundation
import SatchelCore
import SatchelStore

/// One agency's central system: where it is, how to reach it, how to prove who we are,
/// and what it may receive. Secrets are never here: they are sealed in the vault under
/// `secretName(...)`. A system without an API is a folder (a mounted shared drive):
/// records go there as files (`FolderWriter`), under the same sharing policy.
public struct Destination: Sendable, Equatable {
    /// Where records go: a FHIR server over HTTPS, or a folder.
    public enum Endpoint: Sendable, Equatable {
        /// The FHIR base URL, without a trailing slash.
        case fhir(url: String)
        /// An absolute path to a directory, without a trailing slash.
        case folder(path: String)
    }

    public enum Auth: Sendable, Equatable {
        case none
        /// A bearer token, sealed in the vault.
        case bearer
        /// OAuth2 client credentials: the client secret is sealed in the vault.
        case oauth2(tokenURL: String, clientID: String)

        public var name: String {
            switch self {
            case .none: "none"
            case .bearer: "bearer"
            case .oauth2: "oauth2-client-credentials"
            }
        }
    }

    public let name: String
    public let endpoint: Endpoint
    public var auth: Auth = .none
    public var rule: SharingRule
    /// Trusted instead of the system store; `caPath` only when there is no `caFile`.
    public var caFile: String?
    public var caPath: String?
    public var pinnedKeys: [String] = []
    public var clientCertificate: String?
    public var clientKey: String?
    /// nil: the environment's https_proxy / no_proxy.
    public var proxy: String?
    public var noProxy: String?
    public var connectTimeout: Double = 15
    /// Abort a transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` seconds.
    public var lowSpeedLimit: Int = 1
    public var lowSpeedTime: Int = 30
    /// Seconds one request may take in all, however steadily bytes arrive.
    public var transferTimeout: Double = 300
    public var batchSize: Int = 25
    /// The team's caseload on this server (`Group/ID` or `List/ID`); set, it allows
    /// `caseload pull` to read from this destination.
    public var caseload: String?
    /// How many of each person's latest encounters a pull fetches.
    public var caseloadEncounters: Int = 5
    /// Days pulled records are kept after their pull before they expire.
    public var caseloadKeepDays: Int = 14
    /// Plain http to a loopback address, for tests only.
    public var allowLoopbackHTTP = false

    public init(name: String, baseURL: String, rule: SharingRule) {
        self.init(name: name, endpoint: .fhir(url: baseURL), rule: rule)
    }

    public init(name: String, endpoint: Endpoint, rule: SharingRule) {
        self.name = name
        self.endpoint = endpoint
        self.rule = rule
    }

    /// The FHIR base URL; empty for a folder (which the HTTP engine never reaches).
    public var baseURL: String {
        guard case .fhir(let url) = endpoint else { return "" }
        return url
    }

    /// The folder's path, for a folder destination.
    public var folder: String? {
        guard case .folder(let path) = endpoint else { return nil }
        return path
    }

    /// Where records go, as people read it: the URL, or "folder PATH".
    public var location: String {
        switch endpoint {
        case .fhir(let url): url
        case .folder(let path): "folder \(path)"
        }
    }

    /// The vault names of this destination's secrets.
    public enum SecretKind: String, Sendable, CaseIterable {
        case token
        case clientSecret = "client-secret"
        case keyPassphrase = "key-passphrase"
    }

    public func secretName(_ kind: SecretKind) -> String { "\(name).\(kind.rawValue)" }

    /// An absolute path with no `..`, without a trailing slash: where a folder
    /// destination's files go. Whether it exists is asked at delivery time (a shared drive
    /// may be mounted later).
    static func checkFolder(_ text: String, key: String) throws(SyncError) -> String {
        guard text.hasPrefix("/"), text != "/" else {
            throw .config("\(key): must be an absolute path to a folder (starting with /, not / itself), e.g. /mnt/niche/satchel.")
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.contains("..") && !parts.contains("."), !text.contains("\0") else {
            throw .config("\(key): must be a plain absolute path, without . or .. parts, e.g. /mnt/niche/satchel.")
        }
        return "/" + parts.joined(separator: "/")
    }

    /// https only; plain http only to a loopback host and only when allowed.
    static func checkURL(_ text: String, key: String, allowLoopbackHTTP: Bool) throws(SyncError) -> String {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw .config("\(key): \(FieldError.quote(text)) is not a URL. Use https://host/path.")
        }
        switch scheme {
        case "https":
            return text.hasSuffix("/") ? String(text.dropLast()) : text
        case "http" where allowLoopbackHTTP && Loopback.contains(host: host):
            return text.hasSuffix("/") ? String(text.dropLast()) : text
        case "http":
            throw .config("\(key): plain http is refused (records would cross the network in clear). Use https; http is allowed only to a loopback address with allow-loopback-http = true, for tests.")
        default:
            throw .config("\(key): the scheme \(scheme) is not allowed. Use https.")
        }
    }
}

extension Destination {
    /// The libcurl settings for this destination. The client key's passphrase comes
    /// from the vault.
    public func transportSettings(keyPassphrase: SecretBytes?) -> TransportSettings {
        var s = TransportSettings()
        s.destination = name
        s.caFile = caFile
        s.caPath = caPath
        s.pinnedPublicKeys = pinnedKeys
        s.clientCertificate = clientCertificate
        s.clientKey = clientKey
        s.clientKeyPassphrase = keyPassphrase.map { k in k.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
        s.proxy = proxy
        s.noProxy = noProxy
        s.connectTimeout = connectTimeout
        s.lowSpeedLimit = lowSpeedLimit
        s.lowSpeedTime = lowSpeedTime
        s.totalTimeout = transferTimeout
        s.allowLoopbackHTTP = allowLoopbackHTTP
        return s
    }
}
