import Foundation
import GRDB
import SatchelCore
import SatchelTestSupport
import Testing
@testable import SatchelStore
@testable import SatchelSync

/// Every record a sync opens to send is audited as an export exactly once: in the commit
/// that marks its bundle in flight (before it is sent), or at the end of the run when it
/// was opened and not sent after all.
@Suite("The push engine audits what it opens to send, once")
struct PushEngineExportAuditTests {
    func exports(_ t: TemporaryVault) throws -> [String: Int] {
        let ids = try t.vault.db.read { try String.fetchAll($0, sql: "SELECT record_id FROM audit WHERE action = 'export'") }
        return ids.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    func engine(_ t: TemporaryVault, _ server: FakeFHIRServer, batchSize: Int) -> PushEngine {
        var d = Destination(name: "nhs-epr", baseURL: "https://fhir.example.invalid/R4",
                            rule: SharingRule(destination: "nhs-epr", kinds: Set(RecordKind.allCases), agencyNames: []))
        d.batchSize = batchSize
        let e = PushEngine(vault: t.vault, destination: d, transport: server, clock: FakeClock(), random: { 1 })
        e.backoff = Backoff(base: 1, cap: 60)
        return e
    }

    /// Ambiguous replies, a bundle refused as a whole (split), a server error then offline.
    static func faults(_ scenario: Int) -> [FakeFHIRServer.Fault] {
        switch scenario {
        case 0: [.commitThenDrop, .commitThenDrop]
        case 1: [.rejectEntry("zzzz"), .status(400, body: #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"bad bundle"}]}"#)]
        default: [.status(503), .transport(.offline)]
        }
    }

    @Test("retried, split and ambiguous bundles: each record sent is audited once", arguments: [0, 1, 2])
    func oncePerRecord(scenario: Int) throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try t.vault.addDestination("nhs-epr")
        let user = try SampleRecords.serviceUser(t.vault)
        let records = [user, try SampleRecords.contact(t.vault, about: user), try SampleRecords.risk(t.vault, about: user, likelihood: 5, impact: 5),
                       try SampleRecords.contact(t.vault, about: user, risk: .medium)]
        let server = FakeFHIRServer()
        server.faults = Self.faults(scenario)
        let report = engine(t, server, batchSize: 25).run()
        #expect(report.delivered + report.rejected.count == 4)
        #expect(try exports(t) == Dictionary(uniqueKeysWithValues: records.map { ($0.key, 1) }))
        #expect(try t.vault.verifyAudit().isIntact)
    }

    @Test("a record opened and left unsent when the run stops is audited as an export all the same")
    func openedNotSent() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try t.vault.addDestination("nhs-epr")
        let user = try SampleRecords.serviceUser(t.vault)
        // Queued in this order; the high risk goes first, so with bundles of two the page
        // [first, second] leaves `second` opened in the buffer when the bundle [high, first] fails.
        let first = try SampleRecords.contact(t.vault, about: user)
        let second = try SampleRecords.contact(t.vault, about: user)
        let high = try SampleRecords.risk(t.vault, about: user, likelihood: 5, impact: 5)
        let server = FakeFHIRServer()
        server.faults = [.rejectEntry("zzzz"), .transport(.tls)]
        let report = engine(t, server, batchSize: 2).run()
        #expect(report.securityWarning != nil)
        #expect(report.delivered == 1)
        #expect(try exports(t) == [user.key: 1, high.key: 1, first.key: 1, second.key: 1])
        #expect(try t.vault.outbox(state: .pending).count == 3)
    }
}
