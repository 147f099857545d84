// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelTestSupport
import SatchelCore
import SatchelStore
@testable import SatchelSync

// The pieces of the model-based outbox test (OutboxModelTests.swift): the steps a
// sequence is made of, the model of each record's way to the server, and the transport
// and clock of a client "process" that can die at a chosen point.

// MARK: - Steps

/// One step of a generated sequence: a selector and three numbers, decoded here. Any
/// numbers make a valid step, so a shrunk sequence (fewer steps, smaller numbers) is
/// still a sequence, and its description says what each step did.
struct OutboxStep: Sendable, CustomStringConvertible {
    enum Kind: String, Sendable {
        case finalise, deliver, reject, retry, crash
    }

    let selector: Int
    let a: Int
    let b: Int
    let c: Int

    var kind: Kind {
        switch selector % 100 {
        case 0..<38: .finalise
        case 38..<50: .deliver
        case 50..<60: .reject
        case 60..<78: .retry
        default: .crash
        }
    }

    // finalise
    var person: Int { a % FictionalPerson.all.count }
    var recordChoice: RecordChoice { RecordChoice.choose(b) }
    var holds: Bool { c % 5 == 4 }
    /// Save a draft, die before finalising it, reopen, then finalise it (a guided form
    /// interrupted between its last answer and "finalise").
    var viaDraft: Bool { c % 7 == 6 }

    /// Sync passes: whether the sharing policy releases the held records first (as `sync` does
    /// when a consent has been recorded since).
    var releases: Bool { (kind == .crash ? c : a) % 4 != 0 }

    // reject
    enum Refusal: Equatable { case oneEntry, twoEntries, wholeBundle }
    var refusal: Refusal { [.oneEntry, .oneEntry, .twoEntries, .wholeBundle][c % 4] }
    var refusalStatus: Int { [422, 400, 404, 409, 412][(c / 4) % 5] }
    var refusesPatients: Bool { b % 4 == 0 }

    // retry
    var transientFaults: [TransientFault] { TransientFault.sequence(seed: c, count: 1 + b % 8) }
    var followedByCleanPass: Bool { a % 3 == 0 }

    // crash
    enum CrashWhere: Sendable, CustomStringConvertible {
        case idle, beforeSend, afterServer, inBackoff, afterSettle
        var description: String {
            switch self {
            case .idle: "idle"
            case .beforeSend: "before a bundle is sent"
            case .afterServer: "after the server handled a bundle"
            case .inBackoff: "in a backoff wait"
            case .afterSettle: "after a bundle's results were recorded"
            }
        }
    }
    var crashWhere: CrashWhere { [.idle, .beforeSend, .afterServer, .inBackoff, .afterSettle][a % 5] }
    var crashFaults: [TransientFault] {
        if crashWhere == .inBackoff { return TransientFault.sequence(seed: c, count: 1 + c % 4) }
        return c % 3 == 0 ? TransientFault.sequence(seed: c, count: 2) : []
    }

    /// Where exactly the process dies, once the pass knows how many bundles it should take
    /// (`bundles`, an estimate): the n-th of them, n picked by `b`.
    func crashPoint(bundles: Int) -> CrashPoint? {
        let bundles = max(1, bundles)
        switch crashWhere {
        case .idle: return nil
        case .beforeSend: return .beforeSend(1 + b % bundles)
        case .afterServer: return .afterServer(1 + b % bundles)
        case .inBackoff: return .inBackoff(1 + b % max(1, crashFaults.count))
        case .afterSettle: return .afterSettle(2 + b % bundles)
        }
    }

    var description: String {
        switch kind {
        case .finalise:
            let draft = viaDraft ? ", via a draft and a crash" : ""
            return "finalise(\(FictionalPerson.all[person].name), \(recordChoice)\(holds ? ", held" : "")\(draft))"
        case .deliver:
            return "deliver(\(releases ? "release held" : "keep held"))"
        case .reject:
            let what = switch refusal {
            case .oneEntry: "one entry"
            case .twoEntries: "two entries"
            case .wholeBundle: "the first bundle"
            }
            let among = refusal == .wholeBundle ? "" : refusesPatients ? " of any record" : " of a non-Patient"
            return "reject(\(what)\(among) \(refusalStatus), pick \(b), \(releases ? "release held" : "keep held"))"
        case .retry:
            return "retry(\(transientFaults.map(\.description).joined(separator: " ")), pick \(b)\(followedByCleanPass ? ", then a clean pass" : ""))"
        case .crash:
            guard crashWhere != .idle else { return "crash(idle)" }
            let faults = crashFaults.isEmpty ? "" : ", faults \(crashFaults.map(\.description).joined(separator: " "))"
            return "crash(\(crashWhere), pick \(b)\(faults), \(releases ? "release held" : "keep held"))"
        }
    }
}

/// Obviously fictional people (test NHS numbers in the 999 range).
struct FictionalPerson: Sendable {
    let name: String
    let nhsNumber: String
    static let all = [
        FictionalPerson(name: "Ada Fictional", nhsNumber: "999 000 0018"),
        FictionalPerson(name: "Bram Testperson", nhsNumber: "999 000 0026"),
        FictionalPerson(name: "Cleo Madeup", nhsNumber: "999 000 0034"),
    ]
}

/// What kind of final record a finalise step saves (a person's first record is always
/// their service-user record, their Patient).
enum RecordChoice: String, Sendable, CustomStringConvertible {
    case contactLow = "contact-low"
    case contactMedium = "contact-medium"
    case contactHigh = "contact-high"
    case risk, consent, privacyNotice = "privacy-notice", boundary, top
    /// A contact whose body this version cannot map to FHIR: quarantined by Satchel itself.
    case unmappable

    static func choose(_ n: Int) -> RecordChoice {
        let table: [RecordChoice] = [
            .contactLow, .contactLow, .contactLow, .contactMedium, .contactHigh, .contactHigh, .risk, .risk,
            .consent, .consent, .privacyNotice, .boundary, .top, .top, .unmappable, .contactMedium,
        ]
        return table[n % table.count]
    }

    var description: String { rawValue }
}

/// A fault for a sync pass with transient failures.
enum TransientFault: Int, CaseIterable, Sendable, CustomStringConvertible {
    case unavailable503, throttled429, error500, badGateway502, reset, timeout, offline
    case commitThenReset, commitThenGatewayTimeout, entry503, entry429, captivePortal, metadataTimeout, tls

    /// `count` faults drawn from `seed` (splitmix64), so a step's faults follow from its numbers.
    static func sequence(seed: Int, count: Int) -> [TransientFault] {
        var x = UInt64(truncatingIfNeeded: seed) &+ 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            // tls and the captive portal stop a sync: rarer than the rest
            let weighted: [TransientFault] = allCases.flatMap { f in
                Array(repeating: f, count: f == .tls || f == .captivePortal ? 1 : 3)
            }
            return weighted[Int(z % UInt64(weighted.count))]
        }
    }

    var description: String {
        switch self {
        case .unavailable503: "503"
        case .throttled429: "429"
        case .error500: "500"
        case .badGateway502: "502"
        case .reset: "reset"
        case .timeout: "timeout"
        case .offline: "offline"
        case .commitThenReset: "commit-then-reset"
        case .commitThenGatewayTimeout: "commit-then-504"
        case .entry503: "entry-503"
        case .entry429: "entry-429"
        case .captivePortal: "captive-portal"
        case .metadataTimeout: "metadata-timeout"
        case .tls: "tls"
        }
    }
}

/// Where the client process dies during a sync pass (the n-th occurrence).
enum CrashPoint: Equatable, Sendable, CustomStringConvertible {
    /// At the n-th bundle request, before it leaves.
    case beforeSend(Int)
    /// At the n-th bundle request, after the server has handled it (committed the
    /// entries it accepted), before the reply is read.
    case afterServer(Int)
    /// During the n-th backoff wait.
    case inBackoff(Int)
    /// At the n-th progress report: after a bundle's results were recorded (the first
    /// report comes before anything is sent).
    case afterSettle(Int)

    var description: String {
        switch self {
        case .beforeSend(let n): "before bundle \(n) is sent"
        case .afterServer(let n): "after the server handled bundle \(n)"
        case .inBackoff(let n): "in backoff wait \(n)"
        case .afterSettle(let n): "at progress report \(n)"
        }
    }
}

// MARK: - The model

/// Where the model says a record is, for the one destination.
enum ModelState: Equatable, CustomStringConvertible {
    case held(String)
    case pending
    case inFlight
    /// With the server's "Type/id".
    case delivered(String)
    /// With text the stored reason must contain.
    case quarantined(String)

    var description: String {
        switch self {
        case .held: "held"
        case .pending: "queued"
        case .inFlight: "in flight"
        case .delivered(let key): "delivered as \(key)"
        case .quarantined: "quarantined"
        }
    }
}

struct ModelRecord {
    let id: UUID
    let person: Int
    let choice: RecordChoice?  // nil: the person's service-user record (their Patient)
    let patient: UUID
    var state: ModelState
    var everSent = false
    /// Times marked in flight (sent, or about to be when the process died).
    var attempts = 0
    /// Queued again after a failed or interrupted attempt: the row must say why.
    var hasReason = false

    var isPatient: Bool { choice == nil }
    var unmappable: Bool { choice == .unmappable }
    var key: String { id.uuidString.lowercased() }
    var label: String { "\(choice?.rawValue ?? "service-user") \(key.prefix(8)) (\(FictionalPerson.all[person].name))" }
}

/// What the client saw of one request, in order.
struct SentRequest {
    enum Outcome {
        case reply(HTTPResponse)
        case failed(SyncError)
        /// The process died before the request left.
        case diedBeforeSend
        /// The process died after the server handled the request, before reading the reply.
        case diedAfterServer
    }

    let isBundle: Bool
    /// Satchel's record identifier of each entry, in order.
    let records: [String?]
    /// What the server did, when it processed the bundle.
    let exchange: FakeFHIRServer.Exchange?
    let outcome: Outcome
}

/// The expected state of every final record, driven by what the server did and what the
/// client was told.
struct OutboxModel {
    static let unmappableReason = "could not express this record as FHIR R4"

    private(set) var order: [UUID] = []
    private(set) var records: [UUID: ModelRecord] = [:]

    var all: [ModelRecord] { order.compactMap { records[$0] } }

    mutating func add(_ r: ModelRecord) {
        order.append(r.id)
        records[r.id] = r
    }

    func pendingIDs() -> [UUID] { all.filter { $0.state == .pending }.map(\.id) }

    /// The sharing policy now allows the record: held → queued.
    mutating func release(_ id: UUID) -> String? {
        guard let r = records[id], case .held = r.state else {
            return "released \(records[id]?.label ?? id.uuidString) from the held list, but the model has it \(records[id]?.state.description ?? "unknown")"
        }
        records[id]?.state = .pending
        records[id]?.hasReason = false
        return nil
    }

    /// The sharing policy, asked again, still holds the record: its reason is the policy's.
    mutating func hold(_ id: UUID, reason: String) -> String? {
        guard let r = records[id], case .held = r.state else {
            return "kept \(records[id]?.label ?? id.uuidString) held, but the model has it \(records[id]?.state.description ?? "unknown")"
        }
        records[id]?.state = .held(reason)
        return nil
    }

    /// What the engine does first: rows left in flight are queued again.
    mutating func recoverInFlight() {
        for id in order where records[id]?.state == .inFlight {
            records[id]?.state = .pending
            records[id]?.hasReason = true  // "interrupted: sent again"
        }
    }

    /// Satchel quarantined an unmappable record itself (the server never sees it).
    mutating func quarantineUnmappable(_ id: UUID) {
        records[id]?.state = .quarantined(Self.unmappableReason)
    }

    /// One request of a pass, in order. Returns violations, and counts of the records
    /// delivered and quarantined by it.
    mutating func apply(_ sent: SentRequest) -> (problems: [String], delivered: Int, quarantined: Int) {
        guard sent.isBundle else { return ([], 0, 0) }
        var problems: [String] = []
        var ids: [UUID] = []
        for value in sent.records {
            guard let value, let id = UUID(uuidString: value), let r = records[id] else {
                problems.append("the server was sent a resource for no known final record (\(value ?? "no Satchel identifier"))")
                continue
            }
            guard r.state == .pending else {
                problems.append("\(r.label) was sent while \(r.state)")
                continue
            }
            if r.unmappable { problems.append("\(r.label) cannot be mapped, yet it was sent") }
            if !r.isPatient {
                var patientDelivered = false
                if case .delivered? = records[r.patient]?.state { patientDelivered = true }
                if !patientDelivered { problems.append("\(r.label) was sent before its Patient was delivered") }
            }
            records[id]?.state = .inFlight
            records[id]?.everSent = true
            records[id]?.attempts += 1
            ids.append(id)
        }
        var delivered = 0
        var quarantined = 0
        func set(_ id: UUID, _ state: ModelState) {
            records[id]?.state = state
            records[id]?.hasReason = state == .pending
            if case .delivered = state { delivered += 1 }
            if case .quarantined = state { quarantined += 1 }
        }
        switch sent.outcome {
        case .diedBeforeSend, .diedAfterServer:
            break  // in flight until the next sync recovers them
        case .failed:
            for id in ids { set(id, .pending) }
        case .reply(let response):
            let isFHIR = response.contentType?.hasPrefix("application/fhir+json") == true
            if let exchange = sent.exchange, exchange.replied, response.status == 200, isFHIR {
                guard exchange.entries.count == sent.records.count else {
                    problems.append("the server answered \(exchange.entries.count) entries for \(sent.records.count) sent")
                    break
                }
                for entry in exchange.entries {
                    guard let id = entry.recordID.flatMap(UUID.init(uuidString:)), ids.contains(id) else { continue }
                    switch entry.result {
                    case .created(let key), .updated(let key), .matched(let key):
                        set(id, .delivered(key))
                    case .refused(let r):
                        set(id, Self.isTransient(r.status) ? .pending : .quarantined(r.diagnostics))
                    }
                }
            } else if Self.refusesForGood(response.status), isFHIR, ids.count == 1, let id = ids.first {
                set(id, .quarantined(Self.diagnostics(response.body) ?? "HTTP \(response.status)"))
            } else {
                for id in ids { set(id, .pending) }
            }
        }
        return (problems, delivered, quarantined)
    }

    /// Retried, per docs/sync.md: 429, 5xx (and 408).
    static func isTransient(_ status: Int) -> Bool { status == 408 || status == 429 || (500..<600).contains(status) }

    /// A bundle-level status that refuses the request as it is.
    static func refusesForGood(_ status: Int) -> Bool { [400, 404, 405, 409, 412, 422].contains(status) }

    /// The first issue's diagnostics of an OperationOutcome body.
    static func diagnostics(_ body: [UInt8]) -> String? {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let issues = json["issue"] as? [[String: Any]] else { return nil }
        return issues.first?["diagnostics"] as? String
    }
}

// MARK: - A client process that can die

/// One run of the client: its vault handle, and whether it has died. Dying locks the
/// vault at once (so nothing more reaches the disk) and cuts the network; the test then
/// drops every object of the process and reopens the vault from disk.
final class ClientProcess {
    let vault: Vault
    private(set) var dead = false
    /// The audit log's length when the process died: nothing committed may be lost.
    private(set) var auditLengthAtDeath: Int?

    init(vault: Vault) { self.vault = vault }

    func die() {
        guard !dead else { return }
        auditLengthAtDeath = try? vault.status().audit.length
        vault.lock()
        dead = true
    }
}

/// The process's transport: forwards to the fake server until the process dies, and
/// logs what the client saw of each request.
final class DyingTransport: HTTPTransport {
    let server: FakeFHIRServer
    let process: ClientProcess
    let crash: CrashPoint?
    private(set) var sent: [SentRequest] = []
    private var bundles = 0

    init(server: FakeFHIRServer, process: ClientProcess, crash: CrashPoint?) {
        self.server = server
        self.process = process
        self.crash = crash
    }

    func perform(_ request: HTTPRequest) throws(SyncError) -> HTTPResponse {
        guard !process.dead else { throw SyncError(.offline, "the process has died") }
        let isBundle = request.method == "POST" && request.url == ModelRun.baseURL
        if isBundle { bundles += 1 }
        let records = isBundle ? FakeFHIRServer.requestEntries(request.body).map(\.recordID) : []
        if isBundle, crash == .beforeSend(bundles) {
            process.die()
            sent.append(SentRequest(isBundle: isBundle, records: records, exchange: nil, outcome: .diedBeforeSend))
            throw SyncError(.connectionLost, "the process died")
        }
        let before = server.journal.count
        let result = Result(catching: { () throws(SyncError) -> HTTPResponse in try server.perform(request) })
        let exchange = server.journal.count > before ? server.journal.last : nil
        if isBundle, crash == .afterServer(bundles) {
            process.die()
            sent.append(SentRequest(isBundle: isBundle, records: records, exchange: exchange, outcome: .diedAfterServer))
            throw SyncError(.connectionLost, "the process died")
        }
        switch result {
        case .success(let response):
            sent.append(SentRequest(isBundle: isBundle, records: records, exchange: exchange, outcome: .reply(response)))
            return response
        case .failure(let error):
            sent.append(SentRequest(isBundle: isBundle, records: records, exchange: exchange, outcome: .failed(error)))
            throw error
        }
    }
}

/// The process's view of the shared fake clock; the process can die in a backoff wait.
final class DyingClock: SyncClock {
    let inner: FakeClock
    let process: ClientProcess
    let crash: CrashPoint?
    private var waits = 0

    init(inner: FakeClock, process: ClientProcess, crash: CrashPoint?) {
        self.inner = inner
        self.process = process
        self.crash = crash
    }

    func now() -> Date { inner.now() }

    func sleep(seconds: Double) {
        guard !process.dead else { return }
        waits += 1
        if crash == .inBackoff(waits) {
            process.die()
            return
        }
        inner.sleep(seconds: seconds)
    }
}
