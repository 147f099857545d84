import Foundation

/// Everything in a destination's configuration that decides where records and secrets
/// go, and what goes: the part the worker confirms (`destination confirm`) and the vault
/// keeps sealed. Timeouts and the batch size are left out: they change how, not where.
///
/// Built from the parsed `Destination` (effective values: a `kinds` list always includes
/// the Patient; `agency` defaults to the name), so two spellings of one configuration
/// are one definition. `encoded()` is the canonical form: JSON with sorted keys, the
/// keys as in config.toml, lists sorted, unset settings absent. A FHIR destination has a
/// `url` and no `folder`, a folder destination the reverse, so the definitions confirmed
/// before folders existed read the same.
public struct DestinationDefinition: Codable, Sendable, Equatable {
    public var url: String?
    public var folder: String?
    public var auth: String
    public var tokenURL: String?
    public var clientID: String?
    public var caFile: String?
    public var caPath: String?
    public var pinnedKeys: [String]
    public var clientCert: String?
    public var clientKey: String?
    public var proxy: String?
    public var noProxy: String?
    public var agency: [String]
    public var kinds: [String]
    public var allowLoopbackHTTP: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url
        case folder
        case auth
        case tokenURL = "token-url"
        case clientID = "client-id"
        case caFile = "ca-file"
        case caPath = "ca-path"
        case pinnedKeys = "pinned-keys"
        case clientCert = "client-cert"
        case clientKey = "client-key"
        case proxy
        case noProxy = "no-proxy"
        case agency
        case kinds
        case allowLoopbackHTTP = "allow-loopback-http"
    }

    public init(_ d: Destination) {
        switch d.endpoint {
        case .fhir(let baseURL): url = baseURL
        case .folder(let path): folder = path
        }
        auth = d.auth.name
        if case .oauth2(let tokenURL, let clientID) = d.auth {
            (self.tokenURL, self.clientID) = (tokenURL, clientID)
        }
        caFile = d.caFile
        caPath = d.caPath
        pinnedKeys = d.pinnedKeys.sorted()
        clientCert = d.clientCertificate
        clientKey = d.clientKey
        proxy = d.proxy
        noProxy = d.noProxy
        agency = d.rule.agencyNames.sorted()
        kinds = d.rule.kinds.map(\.rawValue).sorted()
        allowLoopbackHTTP = d.allowLoopbackHTTP
    }

    /// The canonical bytes sealed in the vault.
    public func encoded() -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, lists of strings and a Bool cannot fail to encode.
        return (try? e.encode(self)).map { Array($0) } ?? []
    }

    /// Reads what `encoded()` wrote; nil when the bytes are not a definition.
    public static func decode(_ bytes: [UInt8]) -> DestinationDefinition? {
        try? JSONDecoder().decode(DestinationDefinition.self, from: Data(bytes))
    }

    /// Each setting by its config.toml key, in the file's usual order, as shown to the
    /// worker; unset settings read "(not set)". A folder destination shows only the keys
    /// it takes, a FHIR destination all but `folder`.
    public var settings: [(key: String, value: String)] {
        let shown: (CodingKeys) -> Bool = folder == nil ? { $0 != .folder } : { [.folder, .agency, .kinds].contains($0) }
        return allSettings.filter { key, _ in CodingKeys(rawValue: key).map(shown) ?? false }
    }

    /// Every setting, whatever the destination's endpoint, so any two definitions compare.
    var allSettings: [(key: String, value: String)] {
        func text(_ s: String?) -> String { s ?? "(not set)" }
        func list(_ l: [String]) -> String { l.isEmpty ? "(none)" : l.joined(separator: ", ") }
        return CodingKeys.allCases.map { key in
            let value: String
            switch key {
            case .url: value = text(url)
            case .folder: value = text(folder)
            case .auth: value = auth
            case .tokenURL: value = text(tokenURL)
            case .clientID: value = text(clientID)
            case .caFile: value = text(caFile)
            case .caPath: value = text(caPath)
            case .pinnedKeys: value = list(pinnedKeys)
            case .clientCert: value = text(clientCert)
            case .clientKey: value = text(clientKey)
            case .proxy: value = text(proxy)
            case .noProxy: value = text(noProxy)
            case .agency: value = list(agency)
            case .kinds: value = list(kinds)
            case .allowLoopbackHTTP: value = allowLoopbackHTTP ? "true" : "false"
            }
            return (key.rawValue, value)
        }
    }

    /// The settings that differ from `confirmed`, by config.toml key, in the file's
    /// usual order.
    public func changes(since confirmed: DestinationDefinition) -> [(key: String, confirmed: String, now: String)] {
        zip(confirmed.allSettings, allSettings).compactMap { old, new in
            old.value == new.value ? nil : (new.key, old.value, new.value)
        }
    }

    /// The FHIR URL's host and the token URL's host when they differ: the client secret
    /// would go to another machine than the records.
    public var crossHostTokenURL: (fhirHost: String, tokenHost: String)? {
        guard let tokenURL, let url, let fhir = Self.host(url), let token = Self.host(tokenURL), fhir != token else { return nil }
        return (fhir, token)
    }

    static func host(_ url: String) -> String? {
        URLComponents(string: url)?.host?.lowercased()
    }
}
