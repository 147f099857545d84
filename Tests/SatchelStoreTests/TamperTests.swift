import Foundation
import GRDB
import SatchelCore
import SatchelTestSupport
import Testing
@testable import SatchelStore

/// What someone with the vault file and the sqlite3 shell, but not the passphrase, can
/// change — and that each change is caught: never shown as valid, never sent, named by
/// `check()`. Every edit lifts the schema's triggers and puts them back as they were,
/// as an attacker who knows the schema would.
@Suite("A vault whose meaning cannot be forged")
struct TamperTests {
    /// A vault with two people, a contact about the first one, a destination, and one
    /// record queued and one held for it.
    struct Fixture {
        let t: TemporaryVault
        let first: UUID
        let second: UUID
        let contact: UUID
    }

    func fixture() throws -> Fixture {
        let t = try TemporaryVault()
        try t.vault.addDestination("nhs-epr")
        let first = try SampleRecords.serviceUser(t.vault, name: "Testy McTestface")
        let second = try SampleRecords.serviceUser(t.vault, name: "Fictional Otherperson", nhsNumber: "401 023 2137", routes: RoutePlan(otherwise: .hold("no consent on record")))
        let contact = try SampleRecords.contact(t.vault, about: first)
        return Fixture(t: t, first: first, second: second, contact: contact)
    }

    func tamper(_ t: TemporaryVault, _ sql: String, _ arguments: StatementArguments = []) throws {
        try VaultFileEditor.edit(t.databasePath, sql, arguments)
    }

    func problems(_ t: TemporaryVault) throws -> [String] {
        try t.vault.check().map { "\($0.what): \($0.problem)" }
    }

    @Test("an untouched vault checks out")
    func untouched() throws {
        let f = try fixture()
        defer { f.t.remove() }
        #expect(try problems(f.t) == [])
        #expect(try f.t.vault.headers().allSatisfy(\.intact))
        #expect(try f.t.vault.outbox().allSatisfy(\.intact))
        #expect(try f.t.vault.held().allSatisfy(\.intact))
    }

    @Test(
        "every clear fact of a final record is bound to it",
        arguments: [
            "UPDATE record SET subject_id = :second WHERE id = :contact",
            "UPDATE record SET author_id = 'another-worker' WHERE id = :contact",
            "UPDATE record SET author_role = 'police' WHERE id = :contact",
            "UPDATE record SET created_at = '2020-01-01T00:00:00.000Z' WHERE id = :contact",
            "UPDATE record SET updated_at = '2020-01-01T00:00:00.000Z' WHERE id = :contact",
            "UPDATE record SET finalised_at = '2099-01-01T00:00:00.000Z' WHERE id = :contact",
            "UPDATE record SET state = 'draft', finalised_at = NULL WHERE id = :contact",
            "UPDATE record SET form_version = form_version + 1 WHERE id = :contact",
            "UPDATE record SET amends_id = :first WHERE id = :contact",
            "UPDATE record SET key_version = 2 WHERE id = :contact",
            "UPDATE record SET mac = NULL WHERE id = :contact",
        ])
    func recordFacts(sql: String) throws {
        let f = try fixture()
        defer { f.t.remove() }
        try tamper(f.t, sql, ["first": f.first.key, "second": f.second.key, "contact": f.contact.key])
        #expect(throws: VaultError.self) { _ = try f.t.vault.read(f.contact) }
        #expect(try f.t.vault.headers().first { $0.id == f.contact }?.intact == false)
        let found = try problems(f.t)
        #expect(found.contains { $0.hasPrefix("record \(f.contact.key.prefix(8)) (contact)") }, "\(found)")
        // The others are untouched, and still open.
        #expect(try f.t.vault.read(f.first).header.intact)
        let opened = try f.t.vault.readIntact([f.first, f.contact], purpose: .export, reason: "sync")
        #expect(opened.records.map(\.header.id) == [f.first])
        #expect(opened.damaged.map(\.id) == [f.contact])
    }

    @Test("an amends_id changed outside Satchel makes no record a version of another's resource")
    func forgedAmendmentLink() throws {
        let f = try fixture()
        defer { f.t.remove() }
        let other = try SampleRecords.contact(f.t.vault, about: f.first)
        #expect(try f.t.vault.resourceKeys()[other] == nil)    // its own resource
        // The second contact now claims to amend the first: sent as a version of it, it
        // would overwrite the first contact's resource at the central system.
        try tamper(f.t, "UPDATE record SET amends_id = :contact WHERE id = :other", ["contact": f.contact.key, "other": other.key])
        let keys = try f.t.vault.resourceKeys()
        #expect(keys[other] == nil)
        #expect(keys[f.contact] == nil)
        // A true amendment still joins its chain.
        let fix = RecordDraft(kind: .contact, subjectID: f.first, body: Array("{}".utf8), amendsID: f.contact)
        try f.t.vault.saveFinal(fix, routes: .queueEverywhere)
        #expect(try f.t.vault.resourceKeys()[fix.id] == f.contact)
    }

    @Test("a pulled record changed outside Satchel is left out and named by check", arguments: [
        "UPDATE reference SET subject_id = 'someone-else' WHERE resource_id = 'ra-1'",
        "UPDATE reference SET body = zeroblob(length(body)) WHERE resource_id = 'ra-1'",
        "UPDATE reference SET pulled_at = '2099-01-01T00:00:00.000Z' WHERE resource_id = 'ra-1'",
    ])
    func pulledRecord(sql: String) throws {
        let f = try fixture()
        defer { f.t.remove() }
        let body = Array(#"{"resourceType":"RiskAssessment","id":"ra-1","status":"final"}"#.utf8)
        try f.t.vault.storeReferences([
            ReferenceResource(destination: "nhs-epr", resourceType: "RiskAssessment", resourceID: "ra-1", subjectID: "p-1",
                              versionID: "1", lastUpdated: nil, pulledAt: Date(), body: body),
        ], cursor: PullCursor(), destination: "nhs-epr")
        #expect(try f.t.vault.references().resources.count == 1)
        #expect(try problems(f.t) == [])
        try tamper(f.t, sql)
        let read = try f.t.vault.references()
        #expect(read.resources.isEmpty && read.damaged == 1)
        #expect(try problems(f.t).contains { $0.hasPrefix("pulled record nhs-epr/RiskAssessment/ra-1: it was changed outside Satchel") })
    }

    @Test("an older sealed body of the same record put back into its row is caught")
    func replayedBody() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let user = try t.addServiceUser()
        let draft = RecordDraft(kind: .contact, subjectID: user, body: Array(#"{"summary":"first words"}"#.utf8))
        try t.vault.saveDraft(draft)
        let older = try DatabaseQueue(path: t.databasePath).read { try Data.fetchOne($0, sql: "SELECT body FROM record WHERE id = ?", arguments: [draft.id.key]) }
        var later = draft
        later.body = Array(#"{"summary":"what was finally recorded"}"#.utf8)
        try t.vault.saveFinal(later, routes: .queueEverywhere)
        try tamper(t, "UPDATE record SET body = ? WHERE id = ?", [older, draft.id.key])
        #expect(throws: VaultError.self) { _ = try t.vault.read(draft.id) }
        #expect(try problems(t).contains { $0.hasPrefix("record \(draft.id.key.prefix(8)) (contact)") })
    }

    @Test("a held record cannot be queued by swapping its rows, and a queued one cannot be marked delivered")
    func routes() throws {
        let f = try fixture()
        defer { f.t.remove() }
        // The second person's record was held (no consent): move it to the outbox.
        try tamper(
            f.t, "DELETE FROM held WHERE record_id = :id; INSERT INTO outbox (record_id, destination, queued_at) VALUES (:id, 'nhs-epr', '2026-11-30T10:00:00.000Z')",
            ["id": f.second.key])
        let forged = try #require(try f.t.vault.outbox(state: .pending).first { $0.recordID == f.second })
        #expect(!forged.intact)
        #expect(throws: VaultError.self) { try f.t.vault.markInFlight([f.second], destination: "nhs-epr") }
        // The contact was queued: mark it delivered so it would never be sent.
        try tamper(f.t, "UPDATE outbox SET state = 'delivered', server_id = 'Encounter/x' WHERE record_id = ?", [f.contact.key])
        #expect(!(try f.t.vault.delivered(destination: "nhs-epr").contains(f.contact)))
        let found = try problems(f.t)
        #expect(found.contains { $0.hasPrefix("outbox row of record \(f.second.key.prefix(8)) for nhs-epr") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("outbox row of record \(f.contact.key.prefix(8)) for nhs-epr") }, "\(found)")
    }

    @Test("a removed route and an edited hold are named; the hold is not released")
    func removedRoute() throws {
        let f = try fixture()
        defer { f.t.remove() }
        try tamper(f.t, "DELETE FROM outbox WHERE record_id = ?", [f.contact.key])
        try tamper(f.t, "UPDATE held SET held_at = '2020-01-01T00:00:00.000Z' WHERE record_id = ?", [f.second.key])
        #expect(throws: VaultError.self) { try f.t.vault.decide(f.second, destination: "nhs-epr", route: .queue) }
        let found = try problems(f.t)
        #expect(found.contains { $0.contains("neither a queued nor a held row for nhs-epr") && $0.hasPrefix("record \(f.contact.key.prefix(8))") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("held row of record \(f.second.key.prefix(8)) for nhs-epr") }, "\(found)")
    }

    @Test("the counts behind status are compared with a full count")
    func tallies() throws {
        let f = try fixture()
        defer { f.t.remove() }
        try tamper(f.t, "UPDATE tally SET n = n + 5 WHERE what = 'held'")
        #expect(try problems(f.t).contains { $0.hasPrefix("status counts") })
    }

    @Test("held reasons are sealed: no decision or date in clear")
    func heldReasonSealed() throws {
        let f = try fixture()
        defer { f.t.remove() }
        let stored = try DatabaseQueue(path: f.t.databasePath).read { try String.fetchAll($0, sql: "SELECT reason FROM held") }
        #expect(!stored.isEmpty && stored.allSatisfy { $0.hasPrefix("sealed:") && !$0.contains("consent") })
        #expect(try f.t.vault.held().map(\.reason) == ["no consent on record"])
    }

    @Test(
        "the worker's role, and any other header fact, cannot be changed: unlock refuses, naming the header",
        arguments: ["UPDATE vault SET role = 'police'", "UPDATE vault SET worker_id = 'another-worker'", "UPDATE vault SET key_version = 7",
                    "UPDATE vault SET created_at = '2020-01-01T00:00:00.000Z'", "UPDATE vault SET profile = profile || x'00'"])
    func role(sql: String) throws {
        let t = try TemporaryVault(role: .clinician)
        t.vault.lock()
        defer { t.remove() }
        try tamper(t, sql)
        let error = #expect(throws: VaultError.self) {
            _ = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdfFloor: .testsOnly)
        }
        #expect(error?.code == .integrity)
        #expect(error?.message.contains("header") == true)
    }

    @Test("the format cannot be set back to have the vault upgraded (and its facts blessed) again")
    func formatDowngrade() throws {
        let t = try TemporaryVault()
        t.vault.lock()
        defer { t.remove() }
        try tamper(t, "UPDATE vault SET format = 1, header_mac = NULL")
        let error = #expect(throws: VaultError.self) {
            _ = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdfFloor: .testsOnly)
        }
        #expect(error?.code == .integrity)
    }

    @Test("an anchor set back to 0 is a break, and a rewritten log is not blessed by the next action")
    func anchor() throws {
        let f = try fixture()
        defer { f.t.remove() }
        try tamper(f.t, "UPDATE vault SET anchor_seq = 0, anchor_mac = NULL")
        #expect(try f.t.vault.verifyAudit().firstBreak?.contains("anchor was removed") == true)
        // The worker goes on: a new record is saved, and the break stays visible.
        _ = try SampleRecords.contact(f.t.vault, about: f.first)
        #expect(try f.t.vault.verifyAudit().isIntact == false)
        #expect(try problems(f.t).contains { $0.hasPrefix("audit log") })
    }

    @Test("a log cut short while the vault was closed stays broken after the worker's next action")
    func cutShort() throws {
        let f = try fixture()
        defer { f.t.remove() }
        try tamper(f.t, "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
        _ = try SampleRecords.contact(f.t.vault, about: f.first)
        #expect(try f.t.vault.verifyAudit().isIntact == false)
    }

    @Test("a format-1 vault is upgraded at its first unlock: every row gets its MAC, the upgrade is audited")
    func upgrade() throws {
        let f = try fixture()
        defer { f.t.remove() }
        f.t.vault.lock()
        try makeFormatOne(f.t)
        let vault = try Vault.unlock(at: f.t.location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdfFloor: .testsOnly)
        defer { vault.lock() }
        #expect(try vault.check() == [])
        #expect(try vault.read(f.contact).header.intact)
        #expect(try vault.held().map(\.reason) == ["no consent on record"])
        let upgrades = try DatabaseQueue(path: f.t.databasePath).read { try String.fetchAll($0, sql: "SELECT detail FROM audit WHERE action = 'vault-upgraded'") }
        #expect(upgrades == ["format 1 to 2"])
        #expect(try vault.verifyAudit().isIntact)
        let format = try DatabaseQueue(path: f.t.databasePath).read { try Int.fetchOne($0, sql: "SELECT format FROM vault") }
        #expect(format == 2)
    }

    /// Turns a vault back into what format 1 wrote: the key wrapped under the old
    /// associated data, no MACs, held reasons in clear, the anchor keyed by the data key.
    func makeFormatOne(_ t: TemporaryVault) throws {
        let db = try DatabaseQueue(path: t.databasePath)
        let header = try Vault.readHeader(db)
        let kek = try header.kdf.deriveKey(from: try TemporaryVault.secret(TemporaryVault.passphrase))
        let wrapped = try db.read { try Data.fetchOne($0, sql: "SELECT wrapped_key FROM vault") } ?? Data()
        let dataKey = try Sealer.openSecret([UInt8](wrapped), associatedData: header.wrapAD, key: kek)
        let legacyWrap = try Sealer.sealSecret(dataKey, associatedData: header.with(format: 1).wrapAD, key: kek)
        let keys = try VaultKeys(data: dataKey)
        var reasons: [(String, String, String)] = []
        for r in try db.read({ try Row.fetchAll($0, sql: "SELECT * FROM held") }) {
            let id = try #require(UUID(uuidString: r["record_id"]))
            let destination: String = r["destination"]
            reasons.append((id.key, destination, try #require(Self.open(r["reason"], id, destination, keys))))
        }
        try tamper(t, "UPDATE vault SET format = 1, wrapped_key = ?, header_mac = NULL; UPDATE record SET mac = NULL; UPDATE outbox SET mac = NULL; UPDATE held SET mac = NULL", [Data(legacyWrap)])
        for (id, destination, reason) in reasons {
            try tamper(t, "UPDATE held SET reason = ? WHERE record_id = ? AND destination = ?", [reason, id, destination])
        }
        try db.write { db in
            let seq = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit") ?? 0
            let hash = try Data.fetchOne(db, sql: "SELECT hash FROM audit WHERE seq = ?", arguments: [seq]) ?? Data()
            let mac = Sodium.mac(Array("satchel/audit-anchor/v1:\(seq):".utf8) + [UInt8](hash), key: dataKey)
            try db.execute(sql: "UPDATE vault SET anchor_seq = ?, anchor_mac = ?", arguments: [seq, Data(mac)])
        }
    }

    static func open(_ stored: String, _ id: UUID, _ destination: String, _ keys: VaultKeys) -> String? {
        guard stored.hasPrefix("sealed:"), let data = Data(base64Encoded: String(stored.dropFirst(7))),
              let plain = try? Sealer.open([UInt8](data), associatedData: Vault.reasonAD(.held, id, destination, 1), key: keys.data)
        else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }
}

@Suite("Rotating the data key")
struct RekeyTests {
    @Test("passwd --rekey re-seals every value under the next key version: all of it still opens and checks out")
    func rotate() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try t.vault.addDestination("nhs-epr", definition: Array(#"{"url":"https://nhs-epr.invalid/R4"}"#.utf8))
        let user = try SampleRecords.serviceUser(t.vault)
        let held = try SampleRecords.contact(t.vault, about: user, routes: RoutePlan(otherwise: .hold("no consent on record")))
        try t.vault.setSecret("nhs-epr.token", try TemporaryVault.secret("fictional-token-value"))
        try t.vault.markInFlight([user], destination: "nhs-epr")
        try t.vault.settle([(user, .retry(reason: "server busy"))], destination: "nhs-epr")
        let before = try t.vault.read(user).body

        let newPassphrase = "another fictional passphrase"
        try t.vault.rotateDataKey(newPassphrase: try TemporaryVault.secret(newPassphrase))
        // Nothing sealed under the old key is left in the write-ahead log.
        let wal = try FileManager.default.attributesOfItem(atPath: t.databasePath + "-wal")[.size] as? Int
        #expect(wal == 0)

        #expect(try t.vault.check() == [])
        #expect(try t.vault.read(user).body == before)
        #expect(try t.vault.held().first { $0.recordID == held }?.reason == "no consent on record")
        #expect(try t.vault.outbox().first?.lastError == "server busy")
        #expect(try t.vault.destinationDefinition("nhs-epr") == Array(#"{"url":"https://nhs-epr.invalid/R4"}"#.utf8))
        let token = try #require(try t.vault.secret("nhs-epr.token"))
        #expect(token.withUnsafeBytes { Array($0) } == Array("fictional-token-value".utf8))
        let versions = try DatabaseQueue(path: t.databasePath).read { db in
            (try Int.fetchOne(db, sql: "SELECT key_version FROM vault"), try Int.fetchAll(db, sql: "SELECT DISTINCT key_version FROM record"))
        }
        #expect(versions.0 == 2 && versions.1 == [2])

        t.vault.lock()
        #expect(throws: VaultError.self) {
            _ = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdfFloor: .testsOnly)
        }
        let again = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret(newPassphrase), kdfFloor: .testsOnly)
        defer { again.lock() }
        #expect(try again.check() == [])
        #expect(try again.verifyAudit().isIntact)
    }

    @Test("a vault edited outside Satchel is not rotated (the edit would be blessed): nothing changes")
    func refusesDamaged() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let user = try SampleRecords.serviceUser(t.vault)
        try TamperTests().tamper(t, "UPDATE record SET created_at = '2020-01-01T00:00:00.000Z' WHERE id = ?", [user.key])
        #expect(throws: VaultError.self) { try t.vault.rotateDataKey(newPassphrase: try TemporaryVault.secret("another fictional passphrase")) }
        let version = try DatabaseQueue(path: t.databasePath).read { try Int.fetchOne($0, sql: "SELECT key_version FROM vault") }
        #expect(version == 1)
        #expect(try t.vault.check().count == 1)
    }
}
