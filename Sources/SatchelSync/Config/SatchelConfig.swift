import Foundation
import SatchelCore

/// `config.toml`: the named destinations and the team's risk matrix. Location: `--config FILE`, else
/// `$XDG_CONFIG_HOME/satchel/config.toml`, else `~/.config/satchel/config.toml`.
///
/// ```toml
/// [destination.nhs-epr]
/// url = "https://fhir.example.nhs.uk/R4"
/// kinds = ["service-user", "contact", "risk", "top", "consent"]
/// agency = ["nhs-epr", "NHS"]          # names a share consent may use
/// auth = "oauth2-client-credentials"   # none | bearer | oauth2-client-credentials
/// token-url = "https://fhir.example.nhs.uk/oauth2/token"
/// client-id = "satchel"
///
///
/// [destination.police-niche]           # a system without an API: a folder
/// folder = "/mnt/niche/satchel"        # absolute; url and the HTTP settings are refused
/// kinds = ["contact", "risk"]
///
/// [risk-matrix]                        # optional: see SatchelConfig+RiskMatrix.swift
/// id = "testshire-rqm"
/// version = 2
/// medium-from = 4
/// high-from = 10
///
/// [retention]                          # optional: see SatchelConfig+Retention.swift
/// purge-after-days = 30
/// ```
public struct SatchelConfig: Sendable, Equatable {
    public var destinations: [Destination]
    /// The team's banding of likelihood × impact; Satchel's default when the file has none.
    public var riskMatrix: RiskMatrix
    /// `[retention] purge-after-days`: purge delivered bodies this many days after their
    /// last delivery, after each sync. nil (the default): never automatically.
    public var purgeAfterDays: Int?

    public init(destinations: [Destination] = [], riskMatrix: RiskMatrix = .satchel, purgeAfterDays: Int? = nil) {
        self.destinations = destinations
        self.riskMatrix = riskMatrix
        self.purgeAfterDays = purgeAfterDays
    }

    public static func path(explicit: String?, environment: [String: String]) -> URL {
        if let explicit, !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let x = environment["XDG_CONFIG_HOME"], x.hasPrefix("/") {
            return URL(fileURLWithPath: x).appendingPathComponent("satchel/config.toml")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".config/satchel/config.toml")
    }

    /// Reads the file; a missing file is an empty configuration.
    public static func load(from url: URL) throws(SyncError) -> SatchelConfig {
        guard FileManager.default.fileExists(atPath: url.path) else { return SatchelConfig() }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw .config("\(url.path): cannot be read as UTF-8 text.")
        }
        do { return try parse(text) } catch { throw .config("\(url.path): \(error.message)") }
    }

    static let allowedKeys: Set<String> = [
        "url", "folder", "kinds", "agency", "auth", "token-url", "client-id", "ca-file", "ca-path", "pinned-keys", "client-cert", "client-key",
        "proxy", "no-proxy", "connect-timeout", "low-speed-limit", "low-speed-time", "transfer-timeout", "batch-size", "allow-loopback-http",
        "caseload", "caseload-encounters", "caseload-keep-days",
    ]

    /// The keys a folder destination takes: the rest are about HTTP.
    static let folderKeys: Set<String> = ["folder", "kinds", "agency"]

    public static func parse(_ text: String) throws(SyncError) -> SatchelConfig {
        let doc = try TOMLSubset.parse(text)
        var config = SatchelConfig()
        for (path, table) in doc.sorted(by: { $0.key.joined(separator: ".") < $1.key.joined(separator: ".") }) {
            if path.isEmpty {
                if let k = table.keys.sorted().first { throw .config("\(k): keys belong in a [destination.NAME], [risk-matrix] or [retention] table.") }
                continue
            }
            if path == [riskMatrixTable] {
                config.riskMatrix = try riskMatrix(table)
                continue
            }
            if path == [retentionTable] {
                config.purgeAfterDays = try purgeAfterDays(table)
                continue
            }
            guard path.first == "destination" else { throw .config("[\(path.joined(separator: "."))]: unknown table. Allowed: [destination.NAME], [risk-matrix], [retention].") }
            if path.count == 1 { continue }
            guard path.count == 2, let name = path.last else { throw .config("[\(path.joined(separator: "."))]: a destination is [destination.NAME].") }
            config.destinations.append(try destination(name, table))
        }
        return config
    }

    static func destination(_ name: String, _ t: [String: TOMLValue]) throws(SyncError) -> Destination {
        let p = "destination.\(name)"
        guard name.range(of: "^[A-Za-z0-9_-]{1,64}$", options: .regularExpression) != nil else {
            throw .config("[\(p)]: a destination name is 1-64 letters, digits, - or _.")
        }
        if let unknown = t.keys.sorted().first(where: { !allowedKeys.contains($0) }) {
            throw .config("\(p).\(unknown): unknown setting. Allowed: \(allowedKeys.sorted().joined(separator: ", ")).")
        }
        let r = Reader(prefix: p, table: t)
        var kinds: Set<RecordKind> = []
        for k in try r.strings("kinds") ?? [] {
            guard let kind = RecordKind(rawValue: k) else {
                throw .config("\(p).kinds: \(FieldError.quote(k)) is not a record kind. Allowed: \(RecordKind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            kinds.insert(kind)
        }
        let rule = SharingRule(destination: name, kinds: kinds, agencyNames: try r.strings("agency") ?? [name])
        if let folder = try r.string("folder") {
            if let http = t.keys.sorted().first(where: { !folderKeys.contains($0) }) {
                throw .config("\(p).\(http): not used by a folder destination (folder = …). Allowed with folder: \(folderKeys.sorted().joined(separator: ", ")).")
            }
            return Destination(name: name, endpoint: .folder(path: try Destination.checkFolder(folder, key: "\(p).folder")), rule: rule)
        }
        let loopback = try r.bool("allow-loopback-http") ?? false
        guard let rawURL = try r.string("url") else {
            throw .config("\(p).url: required (the FHIR base URL, https://…), or folder (an absolute path to a folder, for a system without an API).")
        }
        let url = try Destination.checkURL(rawURL, key: "\(p).url", allowLoopbackHTTP: loopback)
        var d = Destination(name: name, baseURL: url, rule: rule)
        d.allowLoopbackHTTP = loopback
        switch try r.string("auth") ?? "none" {
        case "none": d.auth = .none
        case "bearer": d.auth = .bearer
        case "oauth2-client-credentials":
            guard let tokenURL = try r.string("token-url"), let clientID = try r.string("client-id") else {
                throw .config("\(p): oauth2-client-credentials needs token-url and client-id.")
            }
            d.auth = .oauth2(tokenURL: try Destination.checkURL(tokenURL, key: "\(p).token-url", allowLoopbackHTTP: loopback), clientID: clientID)
        case let other:
            throw .config("\(p).auth: \(FieldError.quote(other)) is not allowed. Allowed: none, bearer, oauth2-client-credentials.")
        }
        d.caFile = try r.string("ca-file")
        d.caPath = try r.string("ca-path")
        d.pinnedKeys = try r.strings("pinned-keys") ?? []
        for pin in d.pinnedKeys where !pin.hasPrefix("sha256//") {
            throw .config("\(p).pinned-keys: \(FieldError.quote(pin)) is not a pin. Use sha256//BASE64 (the public key's SHA-256).")
        }
        d.clientCertificate = try r.string("client-cert")
        d.clientKey = try r.string("client-key")
        d.proxy = try r.string("proxy")
        d.noProxy = try r.string("no-proxy")
        d.connectTimeout = try r.number("connect-timeout", in: 1...120) ?? 15
        d.lowSpeedLimit = Int(try r.number("low-speed-limit", in: 1...1_000_000) ?? 1)
        d.lowSpeedTime = Int(try r.number("low-speed-time", in: 1...600) ?? 30)
        d.transferTimeout = try r.number("transfer-timeout", in: 10...3600) ?? 300
        d.batchSize = Int(try r.number("batch-size", in: 1...500) ?? 25)
        if let caseload = try r.string("caseload") {
            guard caseload.range(of: "^(Group|List)/[A-Za-z0-9.-]{1,64}$", options: .regularExpression) != nil else {
                throw .config("\(p).caseload: must name the team's caseload on the server as Group/ID or List/ID, e.g. Group/team-north.")
            }
            d.caseload = caseload
        }
        d.caseloadEncounters = Int(try r.number("caseload-encounters", in: 0...50) ?? 5)
        d.caseloadKeepDays = Int(try r.number("caseload-keep-days", in: 1...90) ?? 14)
        return d
    }

    /// Typed reads with errors that name the key and what it must be.
    struct Reader {
        let prefix: String
        let table: [String: TOMLValue]

        func wrong(_ key: String, _ want: String, _ got: TOMLValue) -> SyncError {
            .config("\(prefix).\(key): must be \(want), not \(got.typeName).")
        }

        func string(_ key: String) throws(SyncError) -> String? {
            guard let v = table[key] else { return nil }
            guard case .string(let s) = v else { throw wrong(key, "a quoted string", v) }
            return s
        }

        func strings(_ key: String) throws(SyncError) -> [String]? {
            guard let v = table[key] else { return nil }
            guard case .array(let items) = v else { throw wrong(key, "a list of strings", v) }
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw wrong(key, "a list of strings", item) }
                out.append(s)
            }
            return out
        }

        func bool(_ key: String) throws(SyncError) -> Bool? {
            guard let v = table[key] else { return nil }
            guard case .bool(let b) = v else { throw wrong(key, "true or false", v) }
            return b
        }

        func integer(_ key: String) throws(SyncError) -> Int? {
            guard let v = table[key] else { return nil }
            if case .float(let f) = v { throw .config("\(prefix).\(key): \(f) is not a whole number.") }
            guard case .integer(let n) = v else { throw wrong(key, "a whole number", v) }
            return n
        }

        func number(_ key: String, in range: ClosedRange<Double>) throws(SyncError) -> Double? {
            guard let v = table[key] else { return nil }
            let d: Double
            switch v {
            case .integer(let n): d = Double(n)
            case .float(let f): d = f
            default: throw wrong(key, "a number", v)
            }
            guard range.contains(d) else {
                throw .config("\(prefix).\(key): \(d) is out of range. Allowed: \(range.lowerBound.formatted())-\(range.upperBound.formatted()).")
            }
            return d
        }
    }
}
