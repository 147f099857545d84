import Foundation
@testable import SatchelSync

/// A FHIR server in memory, as a transport double: stores what batch Bundles PUT or
/// conditionally create, answers batch-responses, and misbehaves on cue.
final class FakeFHIRServer: HTTPTransport {
    enum Fault {
        case status(Int, headers: [String: String] = [:], body: String = "")
        case transport(TransportError.Kind)
        /// Store the bundle, then lose the reply (the ambiguous case).
        case commitThenDrop
        /// 422 with an OperationOutcome for the entry whose id starts with this.
        case rejectEntry(String)
        case captivePortal
    }

    var updateCreate = true
    /// Faults for the next /metadata requests, in order.
    var metadataFaults: [Fault] = []
    /// Faults for the next bundle POSTs, in order; an empty queue means behave.
    var faults: [Fault] = []
    private(set) var stored: [String: Int] = [:]  // "Type/id" → versions written
    private(set) var bundleRequests: [[String]] = []  // "Type/id" per entry, per bundle
    private(set) var requests = 0
    var validTokens: Set<String> = ["Bearer good"]
    var requireAuth = false

    func perform(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
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
                throw TransportError(kind: kind, message: "fault injected: \(kind.rawValue)")
            }
            return json(200, metadata)
        }
        let fault = faults.isEmpty ? nil : faults.removeFirst()
        let entries = Self.entries(request.body)
        switch fault {
        case .status(let code, let headers, let body)?:
            var r = json(code, body.isEmpty ? #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient","diagnostics":"busy"}]}"# : body)
            for (k, v) in headers { r.headers[k.lowercased()] = v }
            return r
        case .transport(let kind)?:
            throw TransportError(kind: kind, message: "fault injected: \(kind.rawValue)")
        case .captivePortal?:
            return HTTPResponse(status: 200, headers: ["content-type": "text/html"], body: Array("<html>Sign in to Free Wi-Fi</html>".utf8))
        default:
            break
        }
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
        if case .commitThenDrop? = fault { throw TransportError(kind: .connectionLost, message: "fault injected: reply lost") }
        return json(200, #"{"resourceType":"Bundle","type":"batch-response","entry":[\#(out.joined(separator: ","))]}"#)
    }

    /// Type/id of each entry: from the PUT url, or the resource's id for a conditional create.
    static func entries(_ body: [UInt8]) -> [(key: String, method: String)] {
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

    var metadata: String {
        let types = ["Patient", "Encounter", "RiskAssessment", "QuestionnaireResponse", "Consent", "Communication"]
        let resources = types.map { #"{"type":"\#($0)","updateCreate":\#(updateCreate),"conditionalCreate":true,"interaction":[{"code":"create"},{"code":"update"},{"code":"read"}]}"# }
        return #"{"resourceType":"CapabilityStatement","status":"active","date":"2026-11-23","kind":"instance","fhirVersion":"4.0.1","format":["json"],"software":{"name":"fake"},"rest":[{"mode":"server","interaction":[{"code":"batch"}],"resource":[\#(resources.joined(separator: ","))]}]}"#
    }

    private func json(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/fhir+json"], body: Array(text.utf8))
    }
}

/// A clock that only moves when the engine sleeps.
final class FakeClock: SyncClock {
    var current = Date(timeIntervalSince1970: 1_795_430_000)
    private(set) var sleeps: [Double] = []
    func now() -> Date { current }
    func sleep(seconds: Double) {
        sleeps.append(seconds)
        current += seconds
    }
}
