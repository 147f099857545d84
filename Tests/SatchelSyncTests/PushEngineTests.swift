import Foundation
import SatchelCore
import SatchelStore
import SatchelTestSupport
import Testing
@testable import SatchelSync

@Suite("The push engine, against a fake FHIR server")
struct PushEngineTests {
    /// A vault with one destination, and a service user with a low, a high and a medium record queued.
    final class Setup {
        let t: TemporaryVault
        let server = FakeFHIRServer()
        let clock = FakeClock()
        var destination: Destination
        var user = UUID()
        var records: [UUID] = []

        init(auth: Destination.Auth = .none, batchSize: Int = 25) throws {
            t = try TemporaryVault()
            destination = Destination(name: "nhs-epr", baseURL: "https://fhir.example.invalid/R4",
                                      rule: SharingRule(destination: "nhs-epr", kinds: Set(RecordKind.allCases), agencyNames: []))
            destination.auth = auth
            destination.batchSize = batchSize
            try t.vault.addDestination("nhs-epr")
            user = try SampleRecords.serviceUser(t.vault)
            records = [
                try SampleRecords.contact(t.vault, about: user, risk: .low),
                try SampleRecords.risk(t.vault, about: user, likelihood: 5, impact: 5),
                try SampleRecords.consent(t.vault, about: user),
            ]
        }

        func engine() -> PushEngine {
            let e = PushEngine(vault: t.vault, destination: destination, transport: server, clock: clock, random: { 1 })
            e.backoff = Backoff(base: 1, cap: 60)
            return e
        }

        func states() throws -> [OutboxState] { try t.vault.outbox().map(\.state) }
        deinit { t.remove() }
    }

    @Test("everything is delivered once; the Patient goes first, then the high-risk entry")
    func deliversInOrder() throws {
        let s = try Setup()
        let report = s.engine().run()
        #expect(report.delivered == 4)
        #expect(report.stillQueued == 0)
        #expect(try s.states() == [.delivered, .delivered, .delivered, .delivered])
        #expect(s.server.bundleRequests.count == 2)
        #expect(s.server.bundleRequests[0] == ["Patient/\(s.user.uuidString.lowercased())"])
        #expect(s.server.bundleRequests[1].first?.hasPrefix("RiskAssessment/") == true)
        #expect(s.server.stored.values.allSatisfy { $0 == 1 })
        let receipt = try s.t.vault.outbox().first { $0.recordID == s.user }
        #expect(receipt?.serverID == "Patient/\(s.user.uuidString.lowercased())")
    }

    @Test("Retry-After is honoured (a fake clock), then the records go")
    func retryAfter() throws {
        let s = try Setup()
        s.server.faults = [.status(429, headers: ["Retry-After": "7"]), .status(503, headers: ["Retry-After": "2"])]
        let report = s.engine().run()
        #expect(report.delivered == 4)
        #expect(s.clock.sleeps.count == 2)
        #expect(s.clock.sleeps[0] >= 7)
        #expect(s.clock.sleeps[1] >= 2)
    }

    @Test("a Retry-After longer than five minutes, or not finite, ends the sync with the records queued", arguments: ["301", "99999999", String(repeating: "9", count: 400)])
    func retryAfterTooLong(after: String) throws {
        let s = try Setup()
        s.server.faults = [.status(503, headers: ["Retry-After": after])]
        let report = s.engine().run()
        #expect(report.delivered == 0)
        #expect(s.clock.sleeps.isEmpty)
        #expect(report.why?.contains("asked us to wait longer than 5 minutes") == true)
        #expect(try s.t.vault.outbox().allSatisfy { $0.state == .pending })
    }

    @Test("backoff is capped exponential with full jitter")
    func backoffShape() {
        let b = Backoff(base: 1, cap: 60)
        #expect(b.delay(attempt: 0, retryAfter: nil, random: { 1 }) == 1)
        #expect(b.delay(attempt: 3, retryAfter: nil, random: { 1 }) == 8)
        #expect(b.delay(attempt: 10, retryAfter: nil, random: { 1 }) == 60)
        #expect(b.delay(attempt: 10, retryAfter: nil, random: { 0.25 }) == 15)
        #expect(b.delay(attempt: 0, retryAfter: 30, random: { 0 }) == 30)
    }

    @Test("a captive portal's 200 page is never counted as delivered, and the sync stops")
    func captivePortal() throws {
        let s = try Setup()
        s.server.faults = [.captivePortal]
        let report = s.engine().run()
        #expect(report.delivered == 0)
        #expect(report.stillQueued == 4)
        #expect(report.why?.contains("Wi-Fi login page") == true)
        #expect(try s.states().allSatisfy { $0 == .pending })
    }

    @Test("one record refused with 422 is quarantined with the reason; the rest are delivered")
    func rejectOne() throws {
        let s = try Setup()
        let contact = s.records[0]
        // The Patient's bundle goes untouched ("zzzz" matches no id); the contact's is refused.
        s.server.faults = [.rejectEntry("zzzz"), .rejectEntry(String(contact.uuidString.lowercased().prefix(8)))]
        let report = s.engine().run()
        #expect(report.delivered == 3)
        #expect(report.rejected == [.init(record: String(contact.uuidString.lowercased().prefix(8)), kind: "contact", reason: "HTTP 422: Encounter.class is required")])
        let row = try s.t.vault.outbox().first { $0.recordID == contact }
        #expect(row?.state == .rejected)
        #expect(row?.lastError == "HTTP 422: Encounter.class is required")
    }

    /// A server's reason with escape sequences, a bell, a NUL, CR LF, a C1 CSI and DEL.
    static let hostileReason = "\u{1B}[2J\u{1B}]0;owned\u{07}Bad\tvalue\r\nat\u{00} Encounter\u{9B}31m.class\u{7F}"

    @Test(
        "a refusal's reason is stored and reported without control characters",
        arguments: [true, false])  // a batch-response entry's outcome; a single-record bundle refused with 422
    func hostileReason(inEntry: Bool) throws {
        let s = try Setup(batchSize: inEntry ? 25 : 1)
        let patient = String(s.user.uuidString.lowercased().prefix(8))
        if inEntry {
            s.server.realistic = true
            s.server.faults = [.entryStatus([patient: EntryRefusal(status: 422, diagnostics: Self.hostileReason)])]
        } else {
            s.server.faults = [.status(422, body: FakeFHIRServer.outcome(Self.hostileReason, code: "invalid"))]
        }
        let report = s.engine().run()
        let reason = "HTTP 422: ]0;ownedBad value at Encounter.class"
        #expect(report.rejected == [.init(record: patient, kind: "service-user", reason: reason)])
        #expect(try s.t.vault.outbox().first { $0.recordID == s.user }?.lastError == reason)
    }

    @Test("commit, then the reply is lost: the retry makes no duplicate")
    func ambiguousReply() throws {
        let s = try Setup()
        s.server.faults = [.commitThenDrop, .commitThenDrop]
        let report = s.engine().run()
        #expect(report.delivered == 4)
        #expect(s.server.stored.count == 4)
        #expect(s.server.stored.values.allSatisfy { $0 == 1 })
    }

    @Test("offline the whole time: everything stays queued, with the reason, after bounded retries")
    func offline() throws {
        let s = try Setup()
        s.server.faults = Array(repeating: .transport(.offline), count: 20)
        let report = s.engine().run()
        #expect(report.delivered == 0)
        #expect(report.stillQueued == 4)
        #expect(report.why?.contains("offline") == true)
        #expect(try s.states().allSatisfy { $0 == .pending })
    }

    @Test("a TLS failure stops at once with a security warning, and is not retried")
    func tls() throws {
        let s = try Setup()
        s.server.faults = [.transport(.tls)]
        let report = s.engine().run()
        #expect(report.securityWarning?.hasPrefix("SECURITY:") == true)
        #expect(s.server.bundleRequests.isEmpty)
        #expect(s.clock.sleeps.isEmpty)
        #expect(try s.states().allSatisfy { $0 == .pending })
    }

    @Test("401: a fresh OAuth2 token once, then carry on")
    func refreshOnce() throws {
        let s = try Setup(auth: .oauth2(tokenURL: "https://fhir.example.invalid/token", clientID: "satchel"))
        try s.t.vault.setSecret("nhs-epr.client-secret", try TemporaryVault.secret("fixture-secret"))
        s.server.requireAuth = true
        s.server.validTokens = ["Bearer good"]
        let report = s.engine().run()
        #expect(report.delivered == 4)
    }

    @Test("401 with a bearer token that cannot be refreshed: one clear stop, not a failure per record")
    func refusedCredentials() throws {
        let s = try Setup(auth: .bearer)
        try s.t.vault.setSecret("nhs-epr.token", try TemporaryVault.secret("expired-token"))
        s.server.requireAuth = true
        let report = s.engine().run()
        #expect(report.delivered == 0)
        #expect(report.rejected.isEmpty)
        #expect(report.why?.contains("refused Satchel's credentials") == true)
        #expect(s.server.requests == 1)  // just /metadata
        #expect(try s.states().allSatisfy { $0 == .pending })
    }

    @Test("rows left in flight by a crash are sent again, without duplicates")
    func crashRecovery() throws {
        let s = try Setup()
        try s.t.vault.markInFlight([s.user], destination: "nhs-epr")
        let report = s.engine().run()
        #expect(report.delivered == 4)
        #expect(s.server.stored.count == 4)
    }

    @Test("a bundle refused as a whole is split until the bad record is found")
    func split() throws {
        let s = try Setup()
        s.server.faults = [.rejectEntry("zzzz"), .status(400, body: #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"bad bundle"}]}"#)]
        let report = s.engine().run()
        #expect(report.delivered + report.rejected.count == 4)
        #expect(report.stillQueued == 0)
    }

    @Test("records wait for their Patient: with the Patient rejected, the rest stay queued with that reason")
    func waitForPatient() throws {
        let s = try Setup()
        s.server.faults = [.rejectEntry(String(s.user.uuidString.lowercased().prefix(8)))]
        let report = s.engine().run()
        #expect(report.rejected.count == 1)
        #expect(report.stillQueued == 3)
        #expect(report.why == "3 records wait for their service user's record to reach nhs-epr first (see queue)")
    }

    @Test("--dry-run lists the order and sends nothing")
    func dryRun() throws {
        let s = try Setup()
        let report = s.engine().run(dryRun: true)
        #expect(report.wouldSend?.count == 4)
        #expect(report.wouldSend?.first?.hasPrefix("service-user ") == true)
        #expect(s.server.requests == 0)
    }

    @Test("conditional create when the server does not allow update-as-create")
    func conditionalCreate() throws {
        let s = try Setup()
        s.server.updateCreate = false
        let report = s.engine().run()
        #expect(report.delivered == 4)
        #expect(s.server.stored.count == 4)
    }

    @Test("a record first sent by conditional create keeps it after the server starts allowing update-as-create: one copy")
    func writeModeKeptAcrossCapabilityChange() throws {
        let s = try Setup()
        s.server.realistic = true
        s.server.updateCreate = false
        s.server.faults = [.commitThenDrop]
        let first = s.engine()
        first.maxAttempts = 1
        #expect(first.run().delivered == 0)
        // The Patient was stored, its reply lost; the server now allows update-as-create.
        s.server.updateCreate = true
        let report = s.engine().run()
        #expect(report.delivered == 4)
        for id in [s.user] + s.records {
            #expect(s.server.resources(forRecord: id.uuidString.lowercased()).count == 1)
        }
        #expect(s.server.creates.values.allSatisfy { $0 == 1 })
        let rows = Dictionary(uniqueKeysWithValues: try s.t.vault.outbox().map { ($0.recordID, $0) })
        #expect(rows[s.user]?.writeMode == .conditionalCreate)
        #expect(rows[s.user]?.serverID == "Patient/srv-1")
        #expect(s.records.allSatisfy { rows[$0]?.writeMode == .put })
    }

    @Test("a timeout fetching /metadata is retried with backoff; a TLS failure there is not")
    func metadataRetry() throws {
        let s = try Setup()
        s.server.metadataFaults = [.transport(.timeout), .transport(.connectionLost)]
        #expect(s.engine().run().delivered == 4)
        #expect(s.clock.sleeps.count == 2)

        let t = try Setup()
        t.server.metadataFaults = [.transport(.tls)]
        let report = t.engine().run()
        #expect(report.securityWarning != nil)
        #expect(t.clock.sleeps.isEmpty)
    }
}

@Suite("The push engine quarantines what fails the vault's integrity check")
struct QuarantineTests {
    @Test("a record changed outside Satchel and a forged outbox row are not sent; the others are")
    func quarantine() throws {
        let s = try PushEngineTests.Setup()
        let damaged = s.records[0]
        try VaultFileEditor.edit(s.t.databasePath, "UPDATE record SET created_at = '2020-01-01T00:00:00.000Z' WHERE id = ?", [damaged.uuidString.lowercased()])
        let stranger = try SampleRecords.contact(s.t.vault, about: s.user, routes: RoutePlan(otherwise: .hold("no consent on record")))
        try VaultFileEditor.edit(
            s.t.databasePath,
            "DELETE FROM held WHERE record_id = :id; INSERT INTO outbox (record_id, destination, queued_at) VALUES (:id, 'nhs-epr', '2026-11-30T10:00:00.000Z')",
            ["id": stranger.uuidString.lowercased()])
        let report = s.engine().run()
        #expect(report.delivered == 3)
        #expect(Set(report.quarantined.map(\.record)) == [damaged.uuidString.lowercased(), stranger.uuidString.lowercased()])
        let sent = Set(s.server.bundleRequests.flatMap { $0 })
        #expect(!sent.contains { $0.hasSuffix(damaged.uuidString.lowercased()) || $0.hasSuffix(stranger.uuidString.lowercased()) })
        #expect(try s.t.vault.outbox().filter { $0.state == .pending }.map(\.recordID).sorted { $0.uuidString < $1.uuidString }
            == [damaged, stranger].sorted { $0.uuidString < $1.uuidString })
    }
}
