import Foundation
import GRDB
import SatchelCore
import SatchelTestSupport
import Testing
@testable import SatchelStore

@Suite("The outbox")
struct OutboxTests {
    let destinations = ["nhs-epr", "police", "substance-misuse-service"]

    /// For every record: a draft is neither queued nor held anywhere; a final record is,
    /// for each destination, exactly one of queued or held.
    func checkInvariant(_ t: TemporaryVault) throws {
        let rows = try DatabaseQueue(path: t.databasePath).read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.state,
                       (SELECT count(*) FROM outbox o WHERE o.record_id = r.id) AS queued,
                       (SELECT count(*) FROM held h WHERE h.record_id = r.id) AS held
                FROM record r
                """)
        }
        let expected = try t.vault.destinations().count
        for r in rows {
            let state: String = r["state"]
            let queued: Int = r["queued"]
            let held: Int = r["held"]
            #expect(queued + held == (state == "final" ? expected : 0), "a \(state) record is queued \(queued) and held \(held) times")
        }
    }

    @Test("an outbox row exists if and only if the record is final")
    func rowIffFinal() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        for d in destinations { try t.vault.addDestination(d) }
        let user = try t.addServiceUser()
        let draft = RecordDraft(kind: .contact, subjectID: user, body: Array("{}".utf8))
        try t.vault.saveDraft(draft)
        #expect(try t.vault.outbox().filter { $0.recordID == draft.id }.isEmpty)
        try checkInvariant(t)
        try t.vault.finalise(draft.id, routes: .queueEverywhere)
        #expect(Set(try t.vault.outbox().filter { $0.recordID == draft.id }.map(\.destination)) == Set(destinations))
        try checkInvariant(t)
    }

    @Test("a destination added later holds every final record until the policy is asked, and no draft")
    func backFill() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let user = try t.addServiceUser()
        try t.vault.saveDraft(RecordDraft(kind: .contact, subjectID: user, body: []))
        try t.vault.addDestination("nhs-epr")
        #expect(try t.vault.outbox().isEmpty)
        #expect(try t.vault.held() == [HeldEntry(recordID: user, destination: "nhs-epr", reason: Route.notYetChecked, intact: true)])
        try checkInvariant(t)
        try t.vault.decide(user, destination: "nhs-epr", route: .queue)
        #expect(try t.vault.outbox().map(\.recordID) == [user])
        #expect(try t.vault.held().isEmpty)
        try checkInvariant(t)
    }

    @Test("a plan holds a record for one destination and queues it for another; held and queued never overlap")
    func routePlan() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try t.vault.addDestination("nhs-epr")
        try t.vault.addDestination("police")
        let user = RecordDraft(kind: .serviceUser, body: [])
        try t.vault.saveFinal(user, routes: RoutePlan(["police": .hold("no consent to share with police")], otherwise: .queue))
        #expect(try t.vault.outbox().map(\.destination) == ["nhs-epr"])
        #expect(try t.vault.held().map(\.reason) == ["no consent to share with police"])
        try checkInvariant(t)
        let raw = try DatabaseQueue(path: t.databasePath)
        #expect(throws: DatabaseError.self) {
            try raw.write { try $0.execute(sql: "INSERT INTO outbox (record_id, destination, queued_at) VALUES (?, 'police', 'x')", arguments: [user.id.uuidString.lowercased()]) }
        }
    }

    @Test("secrets are sealed: stored, read back, and not in the file in clear")
    func secrets() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let token = "fixture-secret-\(UUID().uuidString)"
        try t.vault.setSecret("nhs-epr.client-secret", try TemporaryVault.secret(token))
        let back = try #require(try t.vault.secret("nhs-epr.client-secret"))
        #expect(back.withUnsafeBytes { Array($0) } == Array(token.utf8))
        #expect(try t.vault.secret("nobody") == nil)
        #expect(FileSearch.files(under: t.location.directory, containing: Array(token.utf8)).isEmpty)
    }

    @Test("rows left in flight by a crash go back to pending")
    func recoverInFlight() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try t.vault.addDestination("nhs-epr")
        let user = RecordDraft(kind: .serviceUser, body: [])
        try t.vault.saveFinal(user, routes: .queueEverywhere)
        try t.vault.markInFlight([user.id], destination: "nhs-epr")
        #expect(try t.vault.recoverInFlight(destination: "nhs-epr") == 1)
        #expect(try t.vault.outbox().first?.state == .pending)
        #expect(try t.vault.outbox().first?.lastError == "interrupted: sent again")
    }

    @Test(
        "the schema refuses outbox rows for drafts, deleting undelivered rows and going backwards",
        arguments: [
            "INSERT INTO outbox (record_id, destination, queued_at) VALUES (:draft, 'nhs-epr', 'x')",
            // A pending row may leave only when recalled to held (Vault.recall); one in flight never.
            "UPDATE outbox SET state = 'in-flight' WHERE record_id = :final; DELETE FROM outbox WHERE record_id = :final",
            "UPDATE outbox SET state = 'delivered' WHERE record_id = :final",
            "UPDATE outbox SET destination = 'police' WHERE record_id = :final",
        ])
    func schemaRules(sql: String) throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try t.vault.addDestination("nhs-epr")
        try t.vault.addDestination("police")
        let user = try t.addServiceUser()
        let draft = RecordDraft(kind: .contact, subjectID: user, body: [])
        try t.vault.saveDraft(draft)
        let raw = try DatabaseQueue(path: t.databasePath)
        #expect(throws: DatabaseError.self) {
            try raw.write {
                try $0.execute(sql: sql, arguments: ["draft": draft.id.uuidString.lowercased(), "final": user.uuidString.lowercased()])
            }
        }
        try checkInvariant(t)
    }

    @Test("a withdrawal recalls a pending row to held, audited; a row in flight or released by a disclosure stays")
    func recall() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try t.vault.addDestination("police")
        let user = try t.addServiceUser()
        let contact = RecordDraft(kind: .contact, subjectID: user, body: [])
        try t.vault.saveFinal(contact, routes: .queueEverywhere)
        let disclosed = RecordDraft(kind: .contact, subjectID: user, body: [])
        try t.vault.saveFinal(disclosed, routes: RoutePlan(otherwise: .disclose(contact.id)))
        try t.vault.markInFlight([user], destination: "police")

        #expect(try t.vault.recall(contact.id, destination: "police", reason: "withdrawn"))
        #expect(try !t.vault.recall(user, destination: "police", reason: "withdrawn"), "in flight: it may already have arrived")
        #expect(try !t.vault.recall(disclosed.id, destination: "police", reason: "withdrawn"), "a disclosure does not rest on consent")
        #expect(try t.vault.held().map(\.recordID) == [contact.id])
        #expect(try t.vault.held().first?.reason == "withdrawn")
        #expect(try t.vault.outbox().first { $0.recordID == disclosed.id }?.disclosureID == contact.id)
        #expect(try t.vault.outbox().allSatisfy(\.intact))
        let actions = try t.vault.db.read { try String.fetchAll($0, sql: "SELECT action FROM audit") }
        #expect(actions.contains("recall") && actions.contains("disclose"))
        try checkInvariant(t)
    }

    @Test("the write mode of a record's first attempt stays on its row, under the row's MAC")
    func firstWriteModeKept() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try t.vault.addDestination("nhs-epr")
        let user = try t.addServiceUser()
        #expect(try t.vault.outbox().first?.writeMode == nil)
        try t.vault.markInFlight([user], destination: "nhs-epr", writeMode: .conditionalCreate)
        try t.vault.settle([(user, .retry(reason: "reply lost"))], destination: "nhs-epr")
        try t.vault.markInFlight([user], destination: "nhs-epr", writeMode: .put)
        let row = try t.vault.outbox().first
        #expect(row?.writeMode == .conditionalCreate)
        #expect(row?.attempts == 2)
        #expect(row?.intact == true)
        // Changed outside Satchel: once set, the trigger refuses; set on a row never sent,
        // the row's MAC fails.
        let other = try t.addServiceUser(body: #"{"name":"Fakey McFakerson"}"#)
        let queue = try DatabaseQueue(path: t.databasePath)
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "UPDATE outbox SET write_mode = NULL WHERE record_id = ?", arguments: [user.uuidString.lowercased()]) }
        }
        try queue.write { try $0.execute(sql: "UPDATE outbox SET write_mode = 'put' WHERE record_id = ?", arguments: [other.uuidString.lowercased()]) }
        #expect(try t.vault.outbox().first { $0.recordID == other }?.intact == false)
        #expect(try t.vault.outbox().first { $0.recordID == user }?.intact == true)
    }

    @Test("pending → in-flight → delivered keeps the receipt; rejected keeps the reason; both are audited")
    func transitions() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try t.vault.addDestination("nhs-epr")
        let user = try t.addServiceUser()
        let contact = RecordDraft(kind: .contact, subjectID: user, body: [])
        try t.vault.saveFinal(contact, routes: .queueEverywhere)

        try t.vault.markInFlight([user], destination: "nhs-epr")
        try t.vault.settle([(user, .retry(reason: "offline"))], destination: "nhs-epr")
        try t.vault.markInFlight([user], destination: "nhs-epr")
        try t.vault.settle([(user, .delivered(serverID: "Patient/abc", version: "1"))], destination: "nhs-epr")
        try t.vault.markInFlight([contact.id], destination: "nhs-epr")
        try t.vault.settle([(contact.id, .rejected(reason: "422: Encounter.class is required"))], destination: "nhs-epr")

        let rows = Dictionary(uniqueKeysWithValues: try t.vault.outbox().map { ($0.recordID, $0) })
        #expect(rows[user]?.state == .delivered)
        #expect(rows[user]?.attempts == 2)
        #expect(rows[user]?.serverID == "Patient/abc")
        #expect(rows[contact.id]?.state == .rejected)
        #expect(rows[contact.id]?.lastError == "422: Encounter.class is required")
        // A rejected record is quarantined: it cannot be picked up again.
        #expect(throws: VaultError.self) { try t.vault.markInFlight([contact.id], destination: "nhs-epr") }
        let actions = try t.vault.db.read { try String.fetchAll($0, sql: "SELECT action FROM audit") }
        #expect(actions.filter { $0 == "deliver" }.count == 1)
        #expect(actions.filter { $0 == "reject" }.count == 1)
    }

    @Test("a server's rejection reason is sealed: readable through the vault, absent from the files")
    func reasonsAreSealed() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try t.vault.addDestination("nhs-epr")
        let user = RecordDraft(kind: .serviceUser, body: [])
        try t.vault.saveFinal(user, routes: .queueEverywhere)
        let reason = "HTTP 422: Patient.name 'Canarius Quokkaberg-\(UUID().uuidString.prefix(6))' is invalid"
        try t.vault.markInFlight([user.id], destination: "nhs-epr")
        try t.vault.settle([(user.id, .rejected(reason: reason))], destination: "nhs-epr")
        #expect(try t.vault.outbox().first?.lastError == reason)
        #expect(FileSearch.files(under: t.location.directory, containing: Array("Quokkaberg".utf8)).isEmpty)
        t.vault.lock()
        #expect(try t.vault.outbox().first?.lastError == "(sealed)")
    }

    /// What `status` reports (the trigger-kept tallies) against a full count of the rows.
    func checkTallies(_ t: TemporaryVault) throws {
        let s = try t.vault.status()
        let counted = try DatabaseQueue(path: t.databasePath).read { db in
            (try Row.fetchAll(db, sql: "SELECT 'record', kind, state, count(*) FROM record GROUP BY kind, state")
                + Row.fetchAll(db, sql: "SELECT 'outbox', destination, state, count(*) FROM outbox GROUP BY destination, state")
                + Row.fetchAll(db, sql: "SELECT 'held', destination, 'held', count(*) FROM held GROUP BY destination"))
                .map { r -> String in "\(r[0] as String) \(r[1] as String) \(r[2] as String) \(r[3] as Int)" }
        }
        var reported: [String] = []
        for (kind, states) in s.records { for (state, n) in states where n > 0 { reported.append("record \(kind) \(state) \(n)") } }
        for (d, states) in s.outbox {
            for (state, n) in states where n > 0 { reported.append("\(state == "held" ? "held" : "outbox") \(d) \(state) \(n)") }
        }
        #expect(reported.sorted() == counted.sorted())
    }

    @Test("status counts from the tallies match a full count through drafts, discards, holds, releases and delivery")
    func talliesMatchCounts() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try checkTallies(t)
        let user = try t.addServiceUser()
        try t.vault.addDestination("nhs-epr")
        try t.vault.addDestination("police")
        try checkTallies(t)
        let kept = RecordDraft(kind: .contact, subjectID: user, body: Array("{}".utf8))
        try t.vault.saveDraft(kept)
        let dropped = RecordDraft(kind: .risk, subjectID: user, body: Array("{}".utf8))
        try t.vault.saveDraft(dropped)
        try checkTallies(t)
        try t.vault.discardDraft(dropped.id)
        try t.vault.finalise(kept.id, routes: RoutePlan(["police": .hold("no consent to share with police")], otherwise: .queue))
        try checkTallies(t)
        for _ in 0..<3 {
            try t.vault.saveFinal(RecordDraft(kind: .consent, subjectID: user, body: Array("{}".utf8)), routes: .queueEverywhere)
        }
        try t.vault.decide(user, destination: "police", route: .queue)
        try t.vault.decide(user, destination: "nhs-epr", route: .queue)
        try checkTallies(t)
        let pending = try t.vault.outbox(destination: "nhs-epr", state: .pending).map(\.recordID)
        try t.vault.markInFlight(pending, destination: "nhs-epr")
        try checkTallies(t)
        try t.vault.settle([(pending[0], .delivered(serverID: "s1", version: nil)), (pending[1], .rejected(reason: "422 invalid")), (pending[2], .retry(reason: "503"))], destination: "nhs-epr")
        try checkTallies(t)
        #expect(try t.vault.status().outbox["nhs-epr"]?["delivered"] == 1)
        #expect(try t.vault.status().outbox["police"]?["held"] == 1)
    }
}
