import Foundation
import SatchelCore
import SatchelStore
import SatchelTestSupport
import Testing
@testable import SatchelSync

/// The real engine and the real libcurl client against the stand-in central system
/// over real HTTPS on 127.0.0.1, one fault at a time. The server validates every
/// resource as strict R4 and counts exactly what arrived.
@Suite("Sync against the stand-in central system", .serialized)
struct SyncIntegrationTests {
    /// Two service users with a record of every kind each: 2 Patients, 2 Encounters,
    /// 2 RiskAssessments, 2 QuestionnaireResponses, 2 Consents, 4 Communications.
    static let expected = ["Patient": 2, "Encounter": 2, "RiskAssessment": 2, "QuestionnaireResponse": 2, "Consent": 2, "Communication": 4]
    static let total = 14

    final class Rig {
        let server: FixtureServer
        let t: TemporaryVault
        let clock = FakeClock()
        var destination: Destination
        var ids: [UUID] = []

        init(tls: String = "normal", serverArguments: [String] = [], auth: Destination.Auth = .none, batchSize: Int = 5) throws {
            server = try FixtureServer(tls: tls, arguments: serverArguments)
            t = try TemporaryVault()
            destination = Destination(name: "fixture", baseURL: server.base, rule: SharingRule(destination: "fixture", kinds: Set(RecordKind.allCases), agencyNames: []))
            destination.caFile = server.ca
            destination.auth = auth
            destination.batchSize = batchSize
            destination.lowSpeedTime = 2
            try t.vault.addDestination("fixture")
            for (name, nhs) in [("Testy McTestface", "943 476 5919"), ("Testy O'Fictional", "943 476 5927")] {
                let user = try SampleRecords.serviceUser(t.vault, name: name, nhsNumber: nhs)
                ids.append(user)
                ids.append(try SampleRecords.contact(t.vault, about: user, risk: .high))
                ids.append(try SampleRecords.risk(t.vault, about: user))
                ids.append(try SampleRecords.top(t.vault, about: user))
                ids.append(try SampleRecords.consent(t.vault, about: user))
                ids.append(try SampleRecords.consent(t.vault, about: user, scope: .privacyNotice, with: "Satchel mentoring service"))
                ids.append(try SampleRecords.boundary(t.vault, about: user))
            }
        }

        func engine() throws -> PushEngine {
            var settings = destination.transportSettings(keyPassphrase: nil)
            settings.proxy = ""
            return PushEngine(vault: t.vault, destination: destination, transport: try CurlEasy(settings: settings), clock: clock, random: { 0.5 })
        }

        func byType() throws -> [String: Int] { (try server.stats()["by_type"] as? [String: Int]) ?? [:] }
        func duplicates() throws -> Int { (try server.stats()["duplicates"] as? Int) ?? -1 }
        func states() throws -> [OutboxState] { try t.vault.outbox().map(\.state) }
        deinit {
            server.stop()
            t.remove()
        }
    }

    @Test("every record kind is delivered once and accepted as valid R4; receipts are kept")
    func everyKind() throws {
        let rig = try Rig()
        let report = try rig.engine().run()
        #expect(report.delivered == Self.total, "\(report)")
        #expect(report.rejected.isEmpty)
        #expect(try rig.byType() == Self.expected)
        #expect(try rig.duplicates() == 0)
        let rows = try rig.t.vault.outbox()
        #expect(rows.allSatisfy { $0.state == .delivered && $0.serverID != nil && $0.serverVersion != nil })
        // A second sync sends nothing and changes nothing.
        let again = try rig.engine().run()
        #expect(again.delivered == 0)
        #expect(try rig.byType() == Self.expected)
    }

    @Test(
        "every network and server fault is survived: 0 lost, 0 duplicated",
        arguments: [
            #"{"fault": "503", "retry_after": 3, "match": {"method": "POST"}, "count": 2}"#,
            #"{"fault": "429", "retry_after": 4, "match": {"method": "POST"}, "count": 1}"#,
            #"{"fault": "reset", "match": {"method": "POST"}, "count": 2}"#,
            #"{"fault": "commit-then-reset", "match": {"method": "POST"}, "count": 3}"#,
            #"{"fault": "stall", "seconds": 4, "then": "close", "match": {"method": "POST"}, "count": 1}"#,
            #"{"fault": "truncate", "match": {"method": "POST"}, "count": 2}"#,
            #"{"fault": "503", "retry_after": 1, "match": {"method": "POST"}, "probability": 0.5, "count": null}"#,
        ])
    func faults(rule: String) throws {
        let rig = try Rig()
        try rig.server.setFaults(#"{"seed": 7, "rules": [\#(rule)]}"#)
        let report = try rig.engine().run()
        #expect(report.delivered == Self.total, "\(rule): \(report)")
        #expect(try rig.byType() == Self.expected, "\(rule)")
        #expect(try rig.duplicates() == 0, "\(rule)")
        #expect(try rig.states().allSatisfy { $0 == .delivered })
        if let after = (rule.range(of: #""retry_after": (\d)"#, options: .regularExpression)).map({ Double(rule[$0].last.map(String.init) ?? "0") ?? 0 }), !rule.contains("probability") {
            #expect(rig.clock.sleeps.contains { $0 >= after }, "Retry-After \(after) honoured: slept \(rig.clock.sleeps)")
        }
    }

    @Test("one record refused with 422 is quarantined with the server's reason; the rest are delivered")
    func rejectOne() throws {
        let rig = try Rig()
        let victim = rig.ids[2]  // the first risk entry
        try rig.server.setFaults(#"{"rules": [{"fault": "reject", "diagnostics": "RiskAssessment.basis is required here", "match": {"id": "\#(victim.uuidString.lowercased())"}}]}"#)
        let report = try rig.engine().run()
        #expect(report.delivered == Self.total - 1)
        #expect(report.rejected.count == 1)
        #expect(report.rejected.first?.record == String(victim.uuidString.lowercased().prefix(8)))
        #expect(report.rejected.first?.reason.contains("RiskAssessment.basis is required here") == true)
        let row = try rig.t.vault.outbox().first { $0.recordID == victim }
        #expect(row?.state == .rejected)
        var expected = Self.expected
        expected["RiskAssessment"] = 1
        #expect(try rig.byType() == expected)
    }

    @Test("a captive portal's 200 page is not counted; the next sync delivers everything once")
    func captivePortal() throws {
        let rig = try Rig()
        try rig.server.setFaults(#"{"rules": [{"fault": "captive-portal", "match": {"method": "POST"}, "count": null}]}"#)
        let first = try rig.engine().run()
        #expect(first.delivered == 0)
        #expect(first.why?.contains("Wi-Fi login page") == true)
        #expect(try rig.states().allSatisfy { $0 == .pending })
        try rig.server.setFaults(#"{"rules": []}"#)
        let second = try rig.engine().run()
        #expect(second.delivered == Self.total)
        #expect(try rig.duplicates() == 0)
    }

    @Test("an expired OAuth2 token gets one fresh token, and the sync carries on", .timeLimit(.minutes(1)))
    func expiredToken() throws {
        let rig = try Rig(serverArguments: ["--auth", "oauth2"], auth: .oauth2(tokenURL: "", clientID: "satchel-test-client"))
        rig.destination.auth = .oauth2(tokenURL: rig.server.base + "/token", clientID: "satchel-test-client")
        try rig.t.vault.setSecret("fixture.client-secret", try TemporaryVault.secret("fixture-secret"))
        try rig.server.setFaults(#"{"rules": [{"fault": "expire-token", "match": {"method": "POST", "nth": 2}}]}"#)
        let report = try rig.engine().run()
        #expect(report.delivered == Self.total, "\(report)")
        #expect(try rig.duplicates() == 0)
    }

    @Test("wrong client credentials stop the sync once, with one message", .timeLimit(.minutes(1)))
    func wrongCredentials() throws {
        let rig = try Rig(serverArguments: ["--auth", "oauth2"])
        rig.destination.auth = .oauth2(tokenURL: rig.server.base + "/token", clientID: "satchel-test-client")
        try rig.t.vault.setSecret("fixture.client-secret", try TemporaryVault.secret("not-the-secret"))
        let report = try rig.engine().run()
        #expect(report.delivered == 0)
        #expect(report.rejected.isEmpty)
        #expect(report.why?.contains("refused the client credentials") == true)
        #expect(try rig.server.writeRequests() == 0)
    }

    @Test("TLS failures are refused with a security warning; no record reaches the server", arguments: ["self-signed", "expired", "wrong-host", "tls1.0"])
    func tlsRefused(variant: String) throws {
        let rig = try Rig(tls: variant)
        let report = try rig.engine().run()
        #expect(report.securityWarning?.hasPrefix("SECURITY:") == true, "\(variant): \(report)")
        #expect(report.delivered == 0)
        #expect(try rig.server.writeRequests() == 0)
        #expect(try rig.states().allSatisfy { $0 == .pending })
        #expect(rig.clock.sleeps.isEmpty, "a TLS failure is not retried")
    }

    @Test("a pinned key that does not match is refused the same way")
    func wrongPin() throws {
        let rig = try Rig()
        rig.destination.pinnedKeys = ["sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]
        let report = try rig.engine().run()
        #expect(report.securityWarning != nil)
        #expect(try rig.server.writeRequests() == 0)
        rig.destination.pinnedKeys = [rig.server.pin]
        #expect(try rig.engine().run().delivered == Self.total)
    }

    @Test("a server without update-as-create gets conditional creates: resent records are matched, not duplicated")
    func conditionalCreate() throws {
        let rig = try Rig(serverArguments: ["--update-create", "no"])
        try rig.server.setFaults(#"{"rules": [{"fault": "commit-then-reset", "match": {"method": "POST"}, "count": 2}]}"#)
        let report = try rig.engine().run()
        #expect(report.delivered == Self.total, "\(report)")
        #expect(try rig.byType() == Self.expected)
        #expect(try rig.duplicates() == 0)
    }
}
