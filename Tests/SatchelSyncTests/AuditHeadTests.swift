import Foundation
import SatchelCore
import SatchelStore
import SatchelTestSupport
import Testing
@testable import SatchelSync

/// Each sync reports the vault's audit head to the central system, in every Bundle's
/// `meta.extension`, so a vault file put back to an older copy can be noticed there.
@Suite("The audit head in every Bundle")
struct AuditHeadTests {
    /// The fake server, with every request kept.
    final class Recording: HTTPTransport {
        let server = FakeFHIRServer()
        var requests: [HTTPRequest] = []

        func perform(_ request: HTTPRequest) throws(SyncError) -> HTTPResponse {
            requests.append(request)
            return try server.perform(request)
        }

        /// The bodies of the Bundles POSTed to the base, parsed.
        var bundles: [JSONValue] {
            requests.filter { $0.method == "POST" && $0.url == AuditHeadTests.base }.compactMap { JSONValue.parse($0.body) }
        }
    }

    static let base = "https://fhir.example.invalid/R4"

    final class Setup {
        let t: TemporaryVault
        let transport = Recording()
        let clock = FakeClock()
        var destination = Destination(
            name: "nhs-epr", baseURL: AuditHeadTests.base,
            rule: SharingRule(destination: "nhs-epr", kinds: Set(RecordKind.allCases), agencyNames: []))

        init() throws {
            t = try TemporaryVault()
            destination.batchSize = 1
            try t.vault.addDestination("nhs-epr")
            let user = try SampleRecords.serviceUser(t.vault)
            try SampleRecords.contact(t.vault, about: user)
            try SampleRecords.consent(t.vault, about: user)
        }

        func run(dryRun: Bool = false) -> DeliverySummary {
            PushEngine(vault: t.vault, destination: destination, transport: transport, clock: clock, random: { 1 }).run(dryRun: dryRun)
        }

        deinit { t.remove() }
    }

    /// The audit-head extension of a Bundle: worker id, sequence, hash.
    static func head(_ bundle: JSONValue) -> AuditHead? {
        guard let ext = bundle["meta"]?["extension"]?.arrayValue, ext.count == 1, let only = ext.first,
              only["url"]?.stringValue == AuditHead.extensionURL, let parts = only["extension"]?.arrayValue, parts.count == 3
        else { return nil }
        func part(_ name: String) -> JSONValue? { parts.first { $0["url"]?.stringValue == name } }
        guard let worker = part("worker")?["valueIdentifier"], worker["system"]?.stringValue == FHIRMapper.workerSystem,
              let id = worker["value"]?.stringValue, case .int(let seq)? = part("sequence")?["valueInteger"],
              let hash = part("hash")?["valueString"]?.stringValue
        else { return nil }
        return AuditHead(workerID: id, sequence: Int64(seq), hash: hash)
    }

    @Test("every Bundle of a sync carries the worker id and the audit head the sync started from")
    func everyBundle() throws {
        let s = try Setup()
        let before = try s.t.vault.auditHead()
        let report = s.run()
        #expect(report.delivered == 3)
        let bundles = s.transport.bundles
        #expect(bundles.count == 3)
        let expected = AuditHead(workerID: s.t.vault.workerID, sequence: before.seq, hash: before.hash)
        #expect(bundles.map(Self.head) == Array(repeating: Optional(expected), count: 3))
        #expect(expected.hash.count == 64)
        #expect(try s.t.vault.auditHead().seq > before.seq, "the sync's exports and deliveries are audited after it")
    }

    @Test("with nothing to deliver, one Bundle with no entries still reports the head; no /metadata, no retry")
    func nothingToSend() throws {
        let s = try Setup()
        _ = s.run()
        s.transport.requests = []
        let head = try s.t.vault.auditHead()
        let report = s.run()
        #expect(report.delivered == 0)
        #expect(report.why == nil)
        #expect(s.transport.requests.count == 1)
        let body = String(decoding: try #require(s.transport.requests.first).body, as: UTF8.self)
        #expect(body == #"{"meta":{"extension":[{"extension":[{"url":"worker","valueIdentifier":{"system":"https://satchel.example/Id/worker","value":"\#(s.t.vault.workerID)"}},{"url":"sequence","valueInteger":\#(head.seq)},{"url":"hash","valueString":"\#(head.hash)"}],"url":"https://satchel.example/StructureDefinition/audit-head"}]},"resourceType":"Bundle","type":"batch"}"#)
    }

    @Test("a head report that fails is noted and not retried; a TLS failure is the usual security warning")
    func reportFails() throws {
        let s = try Setup()
        _ = s.run()
        s.transport.server.faults = [.transport(.offline)]
        let offline = s.run()
        #expect(offline.why == "the audit head was not reported to nhs-epr: fault injected: offline")
        #expect(offline.stillQueued == 0)
        #expect(offline.securityWarning == nil)
        #expect(s.clock.sleeps.isEmpty)
        s.transport.server.faults = [.transport(.tls)]
        #expect(s.run().securityWarning?.hasPrefix("SECURITY: the connection to nhs-epr failed its TLS check") == true)
    }

    @Test("records all waiting for their Patient send no Bundle of records, so the head goes alone")
    func waitingOnly() throws {
        let s = try Setup()
        let user = try SampleRecords.serviceUser(s.t.vault, name: "Testy O'Fictional", nhsNumber: "943 476 5927")
        try SampleRecords.contact(s.t.vault, about: user)
        s.destination.batchSize = 25
        s.transport.server.faults = [.rejectEntry(String(user.uuidString.lowercased().prefix(8)))]
        #expect(s.run().rejected.count == 1)  // the second Patient is refused: its contact waits for good
        s.transport.requests = []
        let report = s.run()
        #expect(report.why?.contains("wait for their service user's record") == true)
        #expect(s.transport.bundles.count == 1)
        #expect(s.transport.bundles.first?["entry"] == nil)
        #expect(s.transport.bundles.first.flatMap(Self.head) != nil)
    }

    @Test("a dry run sends nothing at all")
    func dryRun() throws {
        let s = try Setup()
        _ = s.run(dryRun: true)
        #expect(s.transport.requests.isEmpty)
    }
}
