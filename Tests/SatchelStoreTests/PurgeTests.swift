import Foundation
import GRDB
import SatchelCore
import SatchelTestSupport
import Testing
@testable import SatchelStore

@Suite("Purging delivered bodies")
struct PurgeTests {
    /// A vault with two destinations, a person and one contact about them, queued for both.
    struct Fixture {
        let t: TemporaryVault
        let user: UUID
        let contact: UUID
        static let destinations = ["nhs-epr", "police"]

        init(summary: String = "Saw Testy at the Fictional Cafe") throws {
            t = try TemporaryVault()
            for d in Self.destinations { try t.vault.addDestination(d) }
            user = try t.addServiceUser()
            let draft = RecordDraft(kind: .contact, subjectID: user, body: Array(#"{"summary":"\#(summary)"}"#.utf8))
            try t.vault.saveFinal(draft, routes: .queueEverywhere)
            contact = draft.id
        }

        func deliver(_ id: UUID, to destinations: [String] = Fixture.destinations) throws {
            for d in destinations {
                try t.vault.markInFlight([id], destination: d)
                try t.vault.settle([(id, .delivered(serverID: "Encounter/\(id.uuidString.lowercased())", version: "1"))], destination: d)
            }
        }

        /// A second connection straight to the file, as the sqlite3 shell would have.
        func raw() throws -> DatabaseQueue { try DatabaseQueue(path: t.databasePath) }
    }

    static let rawPurge = "UPDATE record SET body = x'', purged_at = '2026-12-01T10:00:00.000Z' WHERE id = ?"

    // MARK: - The schema's rules

    @Test("a record not delivered everywhere, or held anywhere, or a draft, cannot be purged through SQL")
    func undeliveredIsRefused() throws {
        let f = try Fixture()
        defer { f.t.remove() }
        let draft = RecordDraft(kind: .contact, subjectID: f.user, body: Array("{}".utf8))
        try f.t.vault.saveDraft(draft)
        try f.deliver(f.contact, to: ["nhs-epr"])  // police still pending
        let raw = try f.raw()
        for id in [f.contact, draft.id] {
            #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: Self.rawPurge, arguments: [id.key]) } }
        }
        // Held from police (the policy kept it back): not purged either, even once delivered to nhs-epr.
        let held = RecordDraft(kind: .contact, subjectID: f.user, body: Array("{}".utf8))
        try f.t.vault.saveFinal(held, routes: RoutePlan(["police": .hold("no consent to share with police")], otherwise: .queue))
        try f.deliver(held.id, to: ["nhs-epr"])
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: Self.rawPurge, arguments: [held.id.key]) } }
        #expect(try f.t.vault.purgeCandidates().map(\.header.id) == [])
        #expect(throws: VaultError.self) { try f.t.vault.purge([f.contact], reason: "purge") }
        #expect(try f.t.vault.read(f.contact).body == Array(#"{"summary":"Saw Testy at the Fictional Cafe"}"#.utf8))
    }

    @Test("a record never routed anywhere is its only copy: not a candidate, and SQL refuses to purge it")
    func neverRoutedIsKept() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let user = try t.addServiceUser()
        #expect(try t.vault.purgeCandidates().isEmpty)
        #expect(throws: DatabaseError.self) { try DatabaseQueue(path: t.databasePath).write { try $0.execute(sql: Self.rawPurge, arguments: [user.key]) } }
    }

    @Test(
        "a purge empties the body and sets purged_at, nothing else; a purged record cannot be changed, un-purged or lose its receipts",
        arguments: [
            "UPDATE record SET body = x'', purged_at = '2026-12-01T10:00:00.000Z', updated_at = '2000-01-01T00:00:00.000Z' WHERE id = ?",
            "UPDATE record SET body = x'00', purged_at = '2026-12-01T10:00:00.000Z' WHERE id = ?",
            "UPDATE record SET purged_at = '2026-12-01T10:00:00.000Z', form_version = 9 WHERE id = ?",
        ])
    func purgeTakesOnlyTheBody(sql: String) throws {
        let f = try Fixture()
        defer { f.t.remove() }
        try f.deliver(f.contact)
        let raw = try f.raw()
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: sql, arguments: [f.contact.key]) } }
        #expect(try f.t.vault.headers(purged: true).isEmpty)
    }

    @Test(
        "once purged, nothing about the record changes again",
        arguments: [
            "UPDATE record SET purged_at = NULL WHERE id = ?",
            "UPDATE record SET body = x'00' WHERE id = ?",
            "UPDATE record SET purged_at = '2030-01-01T00:00:00.000Z' WHERE id = ?",
            "UPDATE record SET mac = NULL WHERE id = ?",
            "DELETE FROM record WHERE id = ?",
            "DELETE FROM outbox WHERE record_id = ?",
            "INSERT INTO held (record_id, destination, reason, held_at) VALUES (?, 'nhs-epr', 'x', '2026-12-01T10:00:00.000Z')",
        ])
    func purgedIsFixed(sql: String) throws {
        let f = try Fixture()
        defer { f.t.remove() }
        try f.deliver(f.contact)
        try f.t.vault.purge([f.contact], reason: "purge")
        let raw = try f.raw()
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: sql, arguments: [f.contact.key]) } }
        #expect(try f.t.vault.check() == [])
    }

    // MARK: - What the vault does

    @Test("purge empties delivered bodies only, keeps the header, receipts and audit trail, and the vault checks intact")
    func purgeKeepsReceipts() throws {
        let f = try Fixture()
        defer { f.t.remove() }
        let undelivered = RecordDraft(kind: .contact, subjectID: f.user, body: Array(#"{"summary":"not sent yet"}"#.utf8))
        try f.t.vault.saveFinal(undelivered, routes: .queueEverywhere)
        try f.deliver(f.user)
        try f.deliver(f.contact)
        #expect(Set(try f.t.vault.purgeCandidates().map(\.header.id)) == [f.user, f.contact])

        let purged = try f.t.vault.purge([f.contact], reason: "purge")
        #expect(purged.map(\.id) == [f.contact])
        let header = try #require(try f.t.vault.headers(purged: true).first)
        #expect(header.id == f.contact && header.intact && header.purgedAt != nil && header.state == .final)
        #expect(try f.t.vault.headers(purged: false).map(\.id).contains(undelivered.id))

        let error = try #require(throws: VaultError.self) { try f.t.vault.read(f.contact) }
        #expect(error.code == .refused)
        #expect(error.message.contains("was delivered and purged on"))
        let intact = try f.t.vault.readIntact([f.contact, undelivered.id], purpose: .view, reason: "history")
        #expect(intact.records.map(\.header.id) == [undelivered.id])
        #expect(intact.damaged.map(\.id) == [f.contact])

        let receipts = try f.t.vault.outbox().filter { $0.recordID == f.contact }
        #expect(receipts.count == 2 && receipts.allSatisfy { $0.state == .delivered && $0.intact && $0.serverID != nil })
        let log = try f.t.vault.db.read { try AuditLog.entries($0) }
        #expect(log.filter { $0.action == "purge" }.map(\.recordID) == [f.contact.key])
        #expect(try f.t.vault.verifyAudit().isIntact)
        #expect(try f.t.vault.check() == [])
        #expect(String(decoding: try f.t.vault.read(undelivered.id).body, as: UTF8.self) == #"{"summary":"not sent yet"}"#)
        #expect(throws: VaultError.self) { try f.t.vault.purge([f.contact], reason: "purge") }
    }

    @Test("a purged record cannot be amended, and a destination added later does not hold it")
    func purgedGoesNowhereNew() throws {
        let f = try Fixture()
        defer { f.t.remove() }
        try f.deliver(f.contact)
        try f.t.vault.purge([f.contact], reason: "purge")
        let correction = RecordDraft(kind: .contact, subjectID: f.user, body: Array("{}".utf8), amendsID: f.contact)
        #expect(throws: VaultError.self) { try f.t.vault.saveDraft(correction) }
        try f.t.vault.addDestination("substance-misuse-service")
        #expect(try f.t.vault.held(destination: "substance-misuse-service").map(\.recordID) == [f.user])
        #expect(try f.t.vault.check() == [])
    }

    @Test("a body emptied without the purge's MAC, or a purge undone, fails `satchel check`")
    func forgedOrUndonePurgeIsFound() throws {
        let f = try Fixture()
        defer { f.t.remove() }
        try f.deliver(f.user)
        try f.deliver(f.contact)
        // Emptied through SQL: the schema lets the shape through, the MAC does not.
        try f.raw().write { try $0.execute(sql: Self.rawPurge, arguments: [f.user.key]) }
        #expect(try f.t.vault.check().map(\.what) == ["record \(f.user.key.prefix(8)) (service-user)"])

        // Undone: the old row put back whole (its old MAC holds), as a copy of the file would.
        let before = try #require(try f.raw().read { try Row.fetchOne($0, sql: "SELECT body, mac FROM record WHERE id = ?", arguments: [f.contact.key]) })
        try f.t.vault.purge([f.contact], reason: "purge")
        try f.raw().write { db in
            // With the triggers lifted and put back as they were, so the schema check passes.
            let triggers = ["record_final_is_immutable", "record_purge_takes_the_body_only"]
            let sql = try triggers.map { name in try #require(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [name])) }
            for name in triggers { try db.execute(sql: "DROP TRIGGER \(name)") }
            try db.execute(sql: "UPDATE record SET body = ?, mac = ?, purged_at = NULL WHERE id = ?", arguments: [before["body"] as Data, before["mac"] as Data, f.contact.key])
            for s in sql { try db.execute(sql: s) }
        }
        let findings = try f.t.vault.check()
        #expect(findings.contains(IntegrityFinding(
            what: "record \(f.contact.key.prefix(8)) (contact)",
            problem: "the audit log says its body was purged, yet the record is whole again: it was put back outside Satchel")))
    }

    @Test("a key rotation after a purge re-seals what is left and the vault checks intact")
    func rekeyAfterPurge() throws {
        let f = try Fixture()
        defer { f.t.remove() }
        try f.deliver(f.contact)
        try f.t.vault.purge([f.contact], reason: "purge")
        try f.t.vault.rotateDataKey(newPassphrase: try TemporaryVault.secret(TemporaryVault.passphrase))
        #expect(try f.t.vault.check() == [])
        #expect(try f.t.vault.headers(purged: true).map(\.id) == [f.contact])
    }

    // MARK: - The canary

    @Test("a purged record's sealed body is in none of the database, its WAL or shared memory; an undelivered one's still is")
    func sealedBytesAreGone() throws {
        let tag = UUID().uuidString.prefix(8)
        let f = try Fixture(summary: "Canary Quokkaberg-\(tag) at 1 Nowhere Lane")
        defer { f.t.remove() }
        let undelivered = RecordDraft(kind: .contact, subjectID: f.user, body: Array(#"{"summary":"Canary kept \#(tag)"}"#.utf8))
        try f.t.vault.saveFinal(undelivered, routes: .queueEverywhere)
        try f.deliver(f.contact)
        func sealed(_ id: UUID) throws -> [UInt8] {
            [UInt8](try #require(try f.raw().read { try Data.fetchOne($0, sql: "SELECT body FROM record WHERE id = ?", arguments: [id.key]) }))
        }
        let gone = try sealed(f.contact), kept = try sealed(undelivered.id)
        #expect(gone.count > Sealer.overhead)
        let dir = f.t.location.directory
        // Before: the ciphertext is on disk (in the WAL or the database), so the search can see it.
        #expect(!FileSearch.files(under: dir, containing: gone).isEmpty)

        try f.t.vault.purge([f.contact], reason: "purge")
        #expect(FileSearch.files(under: dir, containing: gone) == [])
        // Nor any long piece of it (a page split cannot hide half of it).
        for start in stride(from: 0, to: gone.count - 24, by: 24) {
            #expect(FileSearch.files(under: dir, containing: Array(gone[start..<(start + 24)])) == [])
        }
        let wal = dir.appendingPathComponent("vault.sqlite-wal").path
        #expect(((try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0) == 0)
        #expect(!FileSearch.files(under: dir, containing: kept).isEmpty)
        #expect(try f.t.vault.read(undelivered.id).header.purgedAt == nil)
    }
}
