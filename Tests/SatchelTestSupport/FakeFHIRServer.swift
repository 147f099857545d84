import Foundation
import SatchelSync

/// A FHIR server in memory, as a transport double: stores what batch Bundles PUT or
/// conditionally create, answers batch-responses, and misbehaves on cue.
public final class FakeFHIRServer: HTTPTransport {
    public init() {}

    public enum Fault {
        case status(Int, headers: [String: String] = [:], body: String = "")
        case transport(SyncError.Code)
        /// Store the bundle, then lose the reply (the ambiguous case).
        case commitThenDrop
        /// 422 with an OperationOutcome for the entry whose id starts with this.
        case rejectEntry(String)
        case captivePortal
        /// (Realistic mode.) Answer these entries, by record-id prefix, with a status and an
        /// OperationOutcome carrying the diagnostics; store the rest.
        case entryStatus([String: EntryRefusal])
        /// (Realistic mode.) Store the bundle, then answer the whole request with this status
        /// (a gateway timing out after the server behind it committed).
        case commitThenStatus(Int)
    }

    public var updateCreate = true
    /// Faults for the next /metadata requests, in order.
    public var metadataFaults: [Fault] = []
    /// Faults for the next bundle POSTs, in order; an empty queue means behave.
    public var faults: [Fault] = []
    public private(set) var stored: [String: Int] = [:]  // "Type/id" → versions written
    public private(set) var bundleRequests: [[String]] = []  // "Type/id" per entry, per bundle
    public private(set) var requests = 0
    public var validTokens: Set<String> = ["Bearer good"]
    public var requireAuth = false

    // Realistic mode (opt-in; the rest of this file is unchanged by it): see `realisticBundle`.
    /// Keep resources as a FHIR server does and journal every processed bundle.
    public var realistic = false
    /// "Type/id" → resource, in realistic mode.
    public private(set) var resources: [String: Resource] = [:]
    /// Every bundle processed in realistic mode, in order.
    public private(set) var journal: [Exchange] = []
    /// Record id → resources created for it (more than one is a duplicate).
    public private(set) var creates: [String: Int] = [:]
    /// Standing refusals (realistic mode): an entry whose record id starts with the key is
    /// refused every time it is sent, until the rule is removed.
    public var entryRules: [String: EntryRefusal] = [:]
    private var nextServerID = 1

    public func perform(_ request: HTTPRequest) throws(SyncError) -> HTTPResponse {
        requests += 1
        if requireAuth, request.url.hasSuffix("/token") == false {
            let auth = request.headers.first { $0.name == "Authorization" }?.value ?? ""
            if !validTokens.contains(auth) { return HTTPResponse(status: 401, headers: [:], body: []) }
        }
        if request.url.hasSuffix("/token") {
            return json(200, #"{"access_token":"good","expires_in":3600,"token_type":"bearer"}"#)
        }
        if request.url.hasSuffix("/metadata") {
            if !metadataFaults.isEmpty, case .transport(let kind) = metadataFaults.removeFirst() {
                throw SyncError(kind, "fault injected: \(kind.rawValue)")
            }
            return json(200, metadata)
        }
        if realistic { return try realisticBundle(request) }
        let fault = faults.isEmpty ? nil : faults.removeFirst()
        let entries = Self.entries(request.body)
        if let canned = try cannedReply(fault) { return canned }
        bundleRequests.append(entries.map(\.key))
        var out: [String] = []
        for e in entries {
            if case .rejectEntry(let prefix)? = fault, e.key.split(separator: "/").last?.hasPrefix(prefix) == true {
                out.append(#"{"response":{"status":"422 Unprocessable Entity","outcome":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"Encounter.class is required"}]}}}"#)
                continue
            }
            let first = stored[e.key] == nil
            stored[e.key, default: 0] += first ? 1 : 0
            out.append(#"{"response":{"status":"\#(first ? "201 Created" : "200 OK")","location":"\#(e.key)/_history/1","etag":"W/\"1\""}}"#)
        }
        if case .commitThenDrop? = fault { throw SyncError(.connectionLost, "fault injected: reply lost") }
        return json(200, #"{"resourceType":"Bundle","type":"batch-response","entry":[\#(out.joined(separator: ","))]}"#)
    }

    /// Type/id of each entry: from the PUT url, or the resource's id for a conditional create.
    public static func entries(_ body: [UInt8]) -> [(key: String, method: String)] {
        guard let bundle = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let entries = bundle["entry"] as? [[String: Any]] else { return [] }
        return entries.map { e in
            let req = e["request"] as? [String: Any] ?? [:]
            let res = e["resource"] as? [String: Any] ?? [:]
            let type = res["resourceType"] as? String ?? "?"
            let ids = (res["identifier"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
            let id = res["id"] as? String ?? ids.last ?? "?"
            return ("\(type)/\(id)", req["method"] as? String ?? "?")
        }
    }

    /// Every type Satchel writes, each with `updateCreate` as set (a type left out would
    /// make Satchel fall back to conditional create whatever `updateCreate` says).
    public var metadata: String {
        let resources = PushEngine.writtenTypes.map { #"{"type":"\#($0)","updateCreate":\#(updateCreate),"conditionalCreate":true,"interaction":[{"code":"create"},{"code":"update"},{"code":"read"}]}"# }
        return #"{"resourceType":"CapabilityStatement","status":"active","date":"2026-11-23","kind":"instance","fhirVersion":"4.0.1","format":["json"],"software":{"name":"fake"},"rest":[{"mode":"server","interaction":[{"code":"batch"}],"resource":[\#(resources.joined(separator: ","))]}]}"#
    }

    private func json(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/fhir+json"], body: Array(text.utf8))
    }

    /// The faults both modes answer before looking at the bundle; nil for the others.
    private func cannedReply(_ fault: Fault?) throws(SyncError) -> HTTPResponse? {
        switch fault {
        case .status(let code, let headers, let body)?:
            var r = json(code, body.isEmpty ? Self.outcome("busy", code: "transient") : body)
            for (k, v) in headers { r.headers[k.lowercased()] = v }
            return r
        case .transport(let kind)?:
            throw SyncError(kind, "fault injected: \(kind.rawValue)")
        case .captivePortal?:
            return HTTPResponse(status: 200, headers: ["content-type": "text/html"], body: Array("<html>Sign in to Free Wi-Fi</html>".utf8))
        default:
            return nil
        }
    }
}

// MARK: - Realistic mode: resources kept the way a FHIR server keeps them

/// A status and the OperationOutcome diagnostics for one refused entry.
public struct EntryRefusal: Equatable {
    public let status: Int
    public let diagnostics: String

    public init(status: Int, diagnostics: String) {
        self.status = status
        self.diagnostics = diagnostics
    }
}

extension FakeFHIRServer {
    /// One resource held by the server.
    public struct Resource: Equatable {
        public let type: String
        public let id: String
        public var identifiers: [String]  // "system|value"
        public var version: Int
        public var key: String { "\(type)/\(id)" }
        /// The value of Satchel's record identifier: the record's UUID, lowercase.
        public var recordID: String? { FakeFHIRServer.recordID(identifiers) }
    }

    /// What the server did with one entry of a batch.
    public enum EntryResult: Equatable {
        case created(String)
        case updated(String)
        /// A conditional create that found the resource already there: nothing written.
        case matched(String)
        case refused(EntryRefusal)
    }

    public struct JournalEntry: Equatable {
        public let method: String
        public let type: String
        public let recordID: String?
        public let result: EntryResult
    }

    /// One bundle the server processed. `replied` is false when the server committed but
    /// its batch-response never went back (commit-then-drop, commit-then-status).
    public struct Exchange: Equatable {
        public let entries: [JournalEntry]
        public let replied: Bool
    }

    /// An entry of a request Bundle, as the server reads it.
    public struct RequestEntry {
        public let method: String
        public let url: String
        public let ifNoneExist: String?
        public let type: String
        public let identifiers: [String]
        public var recordID: String? { FakeFHIRServer.recordID(identifiers) }
    }

    public static func recordID(_ identifiers: [String]) -> String? {
        let prefix = FHIRMapper.identifierSystem + "|"
        return identifiers.last { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    public static func requestEntries(_ body: [UInt8]) -> [RequestEntry] {
        guard let bundle = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let entries = bundle["entry"] as? [[String: Any]] else { return [] }
        return entries.map { e in
            let req = e["request"] as? [String: Any] ?? [:]
            let res = e["resource"] as? [String: Any] ?? [:]
            // An array on most resources; one Identifier on QuestionnaireResponse.
            let listed = res["identifier"] as? [[String: Any]] ?? (res["identifier"] as? [String: Any]).map { [$0] } ?? []
            let identifiers = listed.map {
                "\($0["system"] as? String ?? "")|\($0["value"] as? String ?? "")"
            }
            return RequestEntry(
                method: req["method"] as? String ?? "?", url: req["url"] as? String ?? "",
                ifNoneExist: req["ifNoneExist"] as? String, type: res["resourceType"] as? String ?? "?",
                identifiers: identifiers)
        }
    }

    /// Every resource the server holds for one record (by Satchel's record identifier).
    public func resources(forRecord id: String) -> [Resource] {
        resources.values.filter { $0.recordID == id }.sorted { $0.key < $1.key }
    }

    public func realisticBundle(_ request: HTTPRequest) throws(SyncError) -> HTTPResponse {
        let fault = faults.isEmpty ? nil : faults.removeFirst()
        if let canned = try cannedReply(fault) { return canned }
        let entries = Self.requestEntries(request.body)
        bundleRequests.append(entries.map { "\($0.type)/\($0.recordID ?? "?")" })
        var oneShot: [String: EntryRefusal] = [:]
        if case .entryStatus(let refusals)? = fault { oneShot = refusals }
        if case .rejectEntry(let prefix)? = fault { oneShot[prefix] = EntryRefusal(status: 422, diagnostics: "Encounter.class is required") }
        var journal: [JournalEntry] = []
        var out: [String] = []
        for e in entries {
            let refusal = e.recordID.flatMap { id in
                (oneShot.first { id.hasPrefix($0.key) } ?? entryRules.first { id.hasPrefix($0.key) })?.value
            }
            let result = refusal.map(EntryResult.refused) ?? write(e)
            journal.append(JournalEntry(method: e.method, type: e.type, recordID: e.recordID, result: result))
            switch result {
            case .created(let key):
                out.append(#"{"response":{"status":"201 Created","location":"\#(key)/_history/1","etag":"W/\"1\""}}"#)
            case .updated(let key), .matched(let key):
                let v = resources[key]?.version ?? 1
                out.append(#"{"response":{"status":"200 OK","location":"\#(key)/_history/\#(v)","etag":"W/\"\#(v)\""}}"#)
            case .refused(let r):
                out.append(#"{"response":{"status":"\#(r.status)","outcome":\#(Self.outcome(r.diagnostics, code: "invalid"))}}"#)
            }
        }
        switch fault {
        case .commitThenDrop?:
            self.journal.append(Exchange(entries: journal, replied: false))
            throw SyncError(.connectionLost, "fault injected: reply lost")
        case .commitThenStatus(let code)?:
            self.journal.append(Exchange(entries: journal, replied: false))
            return json(code, Self.outcome("gateway timeout", code: "timeout"))
        default:
            self.journal.append(Exchange(entries: journal, replied: true))
            return json(200, #"{"resourceType":"Bundle","type":"batch-response","entry":[\#(out.joined(separator: ","))]}"#)
        }
    }

    /// PUT upserts by Type/id; POST with ifNoneExist creates only when no resource of the
    /// type has that identifier; POST without it always creates (a server-assigned id).
    private func write(_ e: RequestEntry) -> EntryResult {
        switch e.method {
        case "PUT":
            let parts = e.url.split(separator: "/").map(String.init)
            guard parts.count == 2, parts[0] == e.type else {
                return .refused(EntryRefusal(status: 400, diagnostics: "PUT url does not name the resource"))
            }
            let key = e.url
            if var r = resources[key] {
                r.version += 1
                r.identifiers = e.identifiers
                resources[key] = r
                return .updated(key)
            }
            return create(e, id: parts[1])
        case "POST":
            if let condition = e.ifNoneExist {
                guard condition.hasPrefix("identifier=") else {
                    return .refused(EntryRefusal(status: 400, diagnostics: "unsupported ifNoneExist"))
                }
                let wanted = String(condition.dropFirst("identifier=".count))
                let matches = resources.values.filter { $0.type == e.type && $0.identifiers.contains(wanted) }
                if matches.count > 1 { return .refused(EntryRefusal(status: 412, diagnostics: "more than one match")) }
                if let m = matches.first { return .matched(m.key) }
            }
            defer { nextServerID += 1 }
            return create(e, id: "srv-\(nextServerID)")
        default:
            return .refused(EntryRefusal(status: 405, diagnostics: "method not allowed"))
        }
    }

    private func create(_ e: RequestEntry, id: String) -> EntryResult {
        let r = Resource(type: e.type, id: id, identifiers: e.identifiers, version: 1)
        resources[r.key] = r
        if let record = e.recordID { creates[record, default: 0] += 1 }
        return .created(r.key)
    }

    public static func outcome(_ diagnostics: String, code: String) -> String {
        let text = String(decoding: (try? JSONSerialization.data(withJSONObject: [diagnostics])) ?? Data("[\"\"]".utf8), as: UTF8.self)
        return #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"\#(code)","diagnostics":\#(text.dropFirst().dropLast())}]}"#
    }
}

/// A clock that only moves when the engine sleeps.
public final class FakeClock: SyncClock {
    public init() {}

    public var current = Date(timeIntervalSince1970: 1_795_430_000)
    public private(set) var sleeps: [Double] = []
    public func now() -> Date { current }
    public func sleep(seconds: Double) {
        sleeps.append(seconds)
        current += seconds
    }
}
