import Foundation
import GRDB
import SatchelCore
import SatchelStore
import SatchelSync
import SatchelTestSupport
import SatchelUseCases
import Testing

/// A destination is used only as the worker confirmed it: one new in config.toml, or
/// changed since it was confirmed, is not registered, released to, sent to or asked for
/// a token until `destination confirm`.
@Suite("Destinations are used only as the worker confirmed them")
struct DestinationConfirmationTests {
    static let a = "https://fhir-a.example.invalid/R4"
    static let b = "https://fhir-b.example.invalid/R4"

    final class Rig {
        let t: TemporaryVault
        let config: URL
        let server = FakeFHIRServer()
        /// Every destination a transport was made for: a transport is made only to send.
        var transports: [Destination] = []

        init() throws {
            t = try TemporaryVault()
            config = t.directory.appendingPathComponent("config.toml")
            try t.vault.setSecret("nhs-epr.client-secret", try TemporaryVault.secret("fictional-client-secret"))
        }

        /// nhs-epr with OAuth2 client credentials, its token URL on the FHIR server's host.
        func write(url: String = DestinationConfirmationTests.a, extra: String = "") throws {
            let host = URLComponents(string: url)?.host ?? ""
            try """
                [destination.nhs-epr]
                url = "\(url)"
                kinds = [\(RecordKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))]
                agency = ["nhs-epr"]
                auth = "oauth2-client-credentials"
                token-url = "https://\(host)/token"
                client-id = "satchel"
                \(extra)
                """.write(to: config, atomically: true, encoding: .utf8)
        }

        /// A session reading config.toml afresh, as a new command would.
        func session() -> Session {
            Session(
                vault: t.vault, configPath: config,
                delivery: DeliveryEnvironment(
                    transport: { d in
                        self.transports.append(d)
                        return self.server
                    }, clock: FakeClock(), random: { 0.5 }))
        }

        @discardableResult
        func capture(_ s: Session, _ kind: RecordKind, _ values: [String: String], user: String? = "testy") throws -> CaptureReceipt {
            var c = try s.startCapture(kind, userReference: kind == .serviceUser ? nil : user)
            let (answers, built) = try s.complete(c, given: FormAnswers(values: values))
            return try s.finalise(&c, answers: answers, built: built)
        }

        /// A person, their consent to share with nhs-epr, and a contact.
        func visit(_ s: Session) throws {
            try capture(s, .serviceUser, ["name": "Testy McTestface", "alias": "testy"])
            try capture(s, .consent, ["scope": "share", "with": "nhs-epr", "decision": "given", "risk": "low"])
            try contact(s)
        }

        @discardableResult
        func contact(_ s: Session) throws -> CaptureReceipt {
            try capture(s, .contact, ["kind": "phone", "where": "phone", "minutes": "5", "summary": "A short call.", "risk": "low"])
        }

        func confirm(_ s: Session) throws -> Int {
            try s.confirmDestination(try s.reviewDestination("nhs-epr"))
        }

        deinit { t.remove() }
    }

    static let run = "Run `satchel destination confirm nhs-epr`."

    @Test("a withdrawal holds back the queued rows that check out; a row or record changed outside Satchel is not acted on, and is named")
    func withdrawalActsOnlyOnCheckedRows() throws {
        let rig = try Rig()
        try rig.write()
        let s = rig.session()
        #expect(try rig.confirm(s) == 0)
        try rig.visit(s)
        let kept = try rig.contact(s).header.id
        let forgedRow = try rig.contact(s).header.id
        let forgedRecord = try rig.contact(s).header.id
        try VaultFileEditor.edit(rig.t.databasePath, "UPDATE outbox SET server_id = 'Encounter/x' WHERE record_id = ?", [forgedRow.uuidString.lowercased()])
        try VaultFileEditor.edit(rig.t.databasePath, "UPDATE record SET author_id = 'another-worker' WHERE id = ?", [forgedRecord.uuidString.lowercased()])
        try rig.capture(s, .consent, ["scope": "share", "with": "nhs-epr", "decision": "withdrawn", "risk": "low"])
        let held = Set(try rig.t.vault.held(destination: "nhs-epr").map(\.recordID))
        #expect(held.contains(kept))
        #expect(!held.contains(forgedRow) && !held.contains(forgedRecord))
        #expect(try rig.t.vault.outbox(destination: "nhs-epr", state: .pending).map(\.recordID).sorted { $0.uuidString < $1.uuidString }
            == [forgedRow, forgedRecord].sorted { $0.uuidString < $1.uuidString })
        let named = try rig.t.vault.check().map(\.what)
        #expect(named.contains { $0.contains(forgedRow.uuidString.lowercased().prefix(8)) })
        #expect(named.contains { $0.contains(forgedRecord.uuidString.lowercased().prefix(8)) })
        #expect(try s.sync(dryRun: false).first?.delivered == 0, "nothing of the withdrawn person's goes, the forged least of all")
    }

    @Test("a destination new in config.toml is not registered by captures or sync, nothing goes to it and no token is asked for")
    func newIsNotUsed() throws {
        let rig = try Rig()
        try rig.write()
        let s = rig.session()
        try rig.visit(s)
        #expect(try rig.t.vault.destinations() == [])
        #expect(try s.destinationConfirmations() == ["nhs-epr": .new])
        let reports = try s.sync(dryRun: false)
        #expect(reports.map(\.unconfirmed) == ["destination nhs-epr is new. \(Self.run)"])
        #expect(reports.first?.delivered == 0)
        #expect(rig.server.requests == 0, "no token request, no metadata, no bundle")
        #expect(rig.transports.isEmpty)
        #expect(try s.destinationListings().first?.unconfirmed == "destination nhs-epr is new. \(Self.run)")

        let review = try s.reviewDestination("nhs-epr")
        #expect(review.state == .new)
        #expect(review.settings.first == .init(key: "url", value: Self.a))
        #expect(review.settings.contains(.init(key: "token-url", value: "https://fhir-a.example.invalid/token")))
        #expect(review.crossHostTokenURL == nil)
        #expect(try s.confirmDestination(review) == 3, "the person, the consent and the contact are released")
        #expect(try s.destinationConfirmations() == ["nhs-epr": .confirmed])
        let synced = try rig.session().sync(dryRun: false)
        #expect(synced.first?.delivered == 3)
        #expect(synced.first?.unconfirmed == nil)
        #expect(rig.transports.map(\.baseURL) == [Self.a])
    }

    @Test("a changed URL sends nothing and asks for no token until confirmed; records wait with the reason; then they go to the new one")
    func changedIsNotUsed() throws {
        let rig = try Rig()
        try rig.write()
        var s = rig.session()
        #expect(try rig.confirm(s) == 0)
        try rig.visit(s)
        #expect(try s.sync(dryRun: false).first?.delivered == 3)
        try rig.contact(s)  // queued for the confirmed definition

        try rig.write(url: Self.b)
        s = rig.session()
        let message = "destination nhs-epr changed since you confirmed it (url: \(Self.a) → \(Self.b); token-url: https://fhir-a.example.invalid/token → https://fhir-b.example.invalid/token). \(Self.run)"
        let state = try #require(try s.destinationConfirmations()["nhs-epr"])
        #expect(state.message(for: "nhs-epr") == message)
        let requests = rig.server.requests
        let report = try #require(try s.sync(dryRun: false).first)
        #expect(report.unconfirmed == message)
        #expect(report.stillQueued == 1)
        #expect(rig.server.requests == requests, "nothing sent, no token asked for")
        #expect(rig.transports.count == 1)
        // A record finalised meanwhile is held for it, with what to run.
        #expect(try rig.contact(s).heldFrom == 1)
        #expect(try rig.t.vault.held(destination: "nhs-epr").map(\.reason) == [message])
        #expect(throws: UseCaseError(.config, message)) { try s.probe(destination: "nhs-epr") }

        let review = try s.reviewDestination("nhs-epr")
        guard case .changed(let changes) = review.state else {
            Issue.record("expected changed, got \(review.state)")
            return
        }
        #expect(changes.map(\.key) == ["url", "token-url"])
        #expect(try s.confirmDestination(review) == 1)
        #expect(try rig.t.vault.held(destination: "nhs-epr").isEmpty)
        let synced = try rig.session().sync(dryRun: false)
        #expect(synced.first?.delivered == 2)
        #expect(rig.transports.last?.baseURL == Self.b)
    }

    @Test("a destination registered by an older Satchel, with no definition, counts as unconfirmed")
    func neverConfirmed() throws {
        let rig = try Rig()
        try rig.write()
        try rig.t.vault.addDestination("nhs-epr")
        let s = rig.session()
        try rig.visit(s)
        #expect(try s.destinationConfirmations() == ["nhs-epr": .neverConfirmed])
        #expect(try s.sync(dryRun: false).first?.unconfirmed == "destination nhs-epr was registered by an older Satchel and never confirmed. \(Self.run)")
        #expect(rig.server.requests == 0)
        #expect(try rig.t.vault.held(destination: "nhs-epr").count == 3)
        #expect(try rig.confirm(s) == 3)
        #expect(try rig.session().sync(dryRun: false).first?.delivered == 3)
    }

    @Test("a confirmed definition changed inside the vault file refuses the destination with the integrity message")
    func damaged() throws {
        let rig = try Rig()
        try rig.write()
        #expect(try rig.confirm(rig.session()) == 0)
        let db = try DatabaseQueue(path: rig.t.databasePath)
        try db.write { try $0.execute(sql: "UPDATE destination SET definition = zeroblob(80) WHERE name = 'nhs-epr'") }
        try db.close()

        let s = rig.session()
        let message = "The confirmed definition of destination nhs-epr was changed outside Satchel. Keep this vault as it is and tell your team lead."
        #expect(try s.destinationConfirmations() == ["nhs-epr": .damaged(message)])
        try rig.visit(s)
        #expect(try rig.t.vault.held(destination: "nhs-epr").map(\.reason) == Array(repeating: message, count: 3))
        #expect(try s.sync(dryRun: false).first?.unconfirmed == message)
        #expect(rig.server.requests == 0)
        #expect(throws: VaultError(.integrity, message)) { try s.reviewDestination("nhs-epr") }
        #expect(throws: VaultError(.integrity, message)) { try s.probe(destination: "nhs-epr") }
    }

    @Test("what is confirmed is what was shown: a file changed between the question and the answer confirms nothing")
    func fileChangedWhileAsking() throws {
        let rig = try Rig()
        try rig.write()
        let s = rig.session()
        let review = try s.reviewDestination("nhs-epr")
        try rig.write(url: Self.b)
        #expect(throws: UseCaseError(
            .refused,
            "destination nhs-epr: config.toml changed while you were confirming it; nothing was confirmed. Run `satchel destination confirm nhs-epr` again to see it as it is now.")) {
            try s.confirmDestination(review)
        }
        #expect(try rig.t.vault.destinations() == [])
    }

    @Test("timeouts and the batch size are not part of the definition; a destination gone from the file is named")
    func notDefinitionAndGone() throws {
        let rig = try Rig()
        try rig.write()
        #expect(try rig.confirm(rig.session()) == 0)
        try rig.write(extra: "batch-size = 7\ntransfer-timeout = 60\nconnect-timeout = 5")
        #expect(try rig.session().destinationConfirmations() == ["nhs-epr": .confirmed])
        try "".write(to: rig.config, atomically: true, encoding: .utf8)
        #expect(try rig.session().destinationConfirmations() == ["nhs-epr": .notConfigured])
    }

    @Test("destination add registers what the worker typed as confirmed, and names a token URL on another host first")
    func addIsConfirmed() throws {
        let rig = try Rig()
        let s = rig.session()
        var n = Session.NewDestination(name: "police", url: "https://fhir.police.invalid/R4")
        (n.auth, n.tokenURL, n.clientID) = ("oauth2-client-credentials", "https://login.elsewhere.invalid/token", "satchel")
        let review = try s.reviewNewDestination(n)
        #expect(review.crossHostTokenURL == .init(fhirHost: "fhir.police.invalid", tokenHost: "login.elsewhere.invalid"))
        #expect(try rig.t.vault.destinations() == [], "reviewing writes nothing")
        #expect(!FileManager.default.fileExists(atPath: rig.config.path))
        try s.addDestination(n)
        #expect(try s.destinationConfirmations() == ["police": .confirmed])
        let sealed = try #require(try rig.t.vault.destinationDefinition("police"))
        let parsed = try #require(try SatchelConfig.load(from: rig.config).destinations.first)
        #expect(sealed == DestinationDefinition(parsed).encoded())
    }
}
