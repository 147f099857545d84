import Foundation
import GRDB
import SatchelCore
import SatchelTestSupport
import Testing
@testable import SatchelStore

/// A sync moves an outbox row on over what it last read or wrote of it (`OutboxStamp`),
/// and audits the records it sends in the commit that marks them in flight. A row changed
/// outside Satchel in between must still be refused, never sent nor settled, and named by
/// `check()`; every record opened to be sent is audited as an export exactly once.
@Suite("Delivery over stamps, and the export audit in the in-flight commit")
struct DeliveryStampTests {
    struct Fixture {
        let t: TemporaryVault
        let user: UUID
        let contact: UUID
    }

    func fixture() throws -> Fixture {
        let t = try TemporaryVault()
        try t.vault.addDestination("nhs-epr")
        let user = try SampleRecords.serviceUser(t.vault)
        let contact = try SampleRecords.contact(t.vault, about: user)
        return Fixture(t: t, user: user, contact: contact)
    }

    func tamper(_ t: TemporaryVault, _ sql: String, _ id: UUID) throws {
        try VaultFileEditor.edit(t.databasePath, sql, ["id": id.key])
    }

    func problems(_ t: TemporaryVault) throws -> [String] {
        try t.vault.check().map { "\($0.what): \($0.problem)" }
    }

    func exports(_ t: TemporaryVault) throws -> [String] {
        try t.vault.db.read { try String.fetchAll($0, sql: "SELECT record_id FROM audit WHERE action = 'export' ORDER BY seq") }
    }

    func stamp(_ t: TemporaryVault, _ id: UUID) throws -> OutboxStamp? {
        let rows = try t.vault.pendingPage(destination: "nhs-epr", .others, after: nil, limit: 10)
            + t.vault.pendingPage(destination: "nhs-epr", .people, after: nil, limit: 10)
        return rows.first { $0.entry.recordID == id }?.stamp
    }

    @Test("over stamps, a row goes pending → in flight → delivered or back to pending, intact, as without them")
    func stampedMoves() throws {
        let f = try fixture()
        defer { f.t.remove() }
        let read = try #require(try stamp(f.t, f.contact))
        let inFlight = try f.t.vault.markInFlight([f.contact], destination: "nhs-epr", writeMode: .put, stamps: [f.contact: read])
        #expect(try f.t.vault.outbox(state: .inFlight).map(\.recordID) == [f.contact])
        let back = try f.t.vault.settle([(f.contact, .retry(reason: "busy"))], destination: "nhs-epr", stamps: inFlight)
        let again = try f.t.vault.markInFlight([f.contact], destination: "nhs-epr", writeMode: .conditionalCreate, stamps: back)
        try f.t.vault.settle([(f.contact, .delivered(serverID: "Encounter/1", version: "2"))], destination: "nhs-epr", stamps: again)
        let row = try #require(try f.t.vault.outbox(record: f.contact).first)
        #expect(row.state == .delivered && row.intact && row.attempts == 2 && row.writeMode == .put && row.serverVersion == "2")
        #expect(try problems(f.t) == [])
        // A stale stamp (the row has moved on since) is not used: the row is read and refused as not pending.
        #expect(throws: VaultError(.refused, "Record \(f.contact.key) is not pending for nhs-epr.")) {
            try f.t.vault.markInFlight([f.contact], destination: "nhs-epr", stamps: [f.contact: read])
        }
    }

    static let changes = [
        "UPDATE outbox SET server_id = 'Encounter/x' WHERE record_id = :id",
        "UPDATE outbox SET queued_at = '2020-01-01T00:00:00.000Z' WHERE record_id = :id",
        "UPDATE outbox SET disclosure_id = :id WHERE record_id = :id",
        "UPDATE outbox SET write_mode = 'conditional-create' WHERE record_id = :id",
        "UPDATE outbox SET mac = NULL WHERE record_id = :id",
        "UPDATE outbox SET mac = (SELECT mac FROM outbox WHERE record_id <> :id LIMIT 1) WHERE record_id = :id",
    ]

    @Test("a row changed outside Satchel after its page was read is not marked in flight, and is named", arguments: changes + [
        "UPDATE outbox SET state = 'in-flight' WHERE record_id = :id",
    ])
    func changedBeforeInFlight(sql: String) throws {
        let f = try fixture()
        defer { f.t.remove() }
        let read = try #require(try stamp(f.t, f.contact))
        try tamper(f.t, sql, f.contact)
        #expect(throws: VaultError.self) {
            try f.t.vault.markInFlight([f.user, f.contact], destination: "nhs-epr", stamps: [f.contact: read])
        }
        // Nothing of the bundle moved, and nothing was audited as sent.
        #expect(try f.t.vault.outbox(record: f.user).first?.state == .pending)
        #expect(try f.t.vault.outbox(record: f.contact).first?.intact == false)
        let found = try problems(f.t)
        #expect(found.contains { $0.hasPrefix("outbox row of record \(f.contact.key.prefix(8)) for nhs-epr") }, "\(found)")
    }

    @Test("a row changed outside Satchel while in flight is not settled, and is named", arguments: changes + [
        "UPDATE outbox SET state = 'pending' WHERE record_id = :id",
        "UPDATE outbox SET state = 'delivered', server_id = 'Encounter/x' WHERE record_id = :id",
    ])
    func changedInFlight(sql: String) throws {
        let f = try fixture()
        defer { f.t.remove() }
        let inFlight = try f.t.vault.markInFlight([f.user, f.contact], destination: "nhs-epr", stamps: [:])
        try tamper(f.t, sql, f.contact)
        #expect(throws: VaultError.self) {
            try f.t.vault.settle(
                [(f.user, .delivered(serverID: "Patient/1", version: "1")), (f.contact, .delivered(serverID: "Encounter/1", version: "1"))],
                destination: "nhs-epr", stamps: inFlight)
        }
        #expect(try f.t.vault.delivered(destination: "nhs-epr").isEmpty)
        #expect(try f.t.vault.outbox(record: f.contact).first?.intact == false)
        let found = try problems(f.t)
        #expect(found.contains { $0.hasPrefix("outbox row of record \(f.contact.key.prefix(8)) for nhs-epr") }, "\(found)")
    }

    @Test("records opened for sending are audited as exports once: in the in-flight commit, or after when not sent")
    func exportsAudited() throws {
        let f = try fixture()
        defer { f.t.remove() }
        let opened = try f.t.vault.openForSending([f.user, f.contact], reason: "sync nhs-epr")
        #expect(opened.records.count == 2)
        #expect(try exports(f.t).isEmpty, "opening alone writes nothing yet")
        let user = try #require(opened.exports.first { $0.record == f.user })
        try f.t.vault.markInFlight([f.user], destination: "nhs-epr", exports: [user])
        #expect(try exports(f.t) == [f.user.key])
        // A failed in-flight commit writes no entry: the note is still due.
        let contact = try #require(opened.exports.first { $0.record == f.contact })
        #expect(throws: VaultError.self) { try f.t.vault.markInFlight([f.user, f.contact], destination: "nhs-epr", exports: [contact]) }
        #expect(try exports(f.t) == [f.user.key])
        try f.t.vault.auditExports([contact])
        #expect(try exports(f.t) == [f.user.key, f.contact.key])
        #expect(try f.t.vault.verifyAudit().isIntact)
    }

    @Test("the people each destination has records of count only rows and records whose MAC holds")
    func sharedPeople() throws {
        let f = try fixture()
        defer { f.t.remove() }
        let other = try SampleRecords.serviceUser(f.t.vault, name: "Fictional Otherperson", nhsNumber: "401 023 2137")
        #expect(try f.t.vault.sharedPeople(states: [.pending]) == [f.user: ["nhs-epr"], other: ["nhs-epr"]])
        #expect(try f.t.vault.sharedPeople(states: [.pending], destinations: ["elsewhere"]).isEmpty)
        // The other person's only row, forged to another state; the first person's Patient
        // row forged, their contact's record moved to the other person: the contact's row still counts.
        try tamper(f.t, "UPDATE outbox SET server_id = 'Patient/x' WHERE record_id = :id", other)
        try tamper(f.t, "UPDATE outbox SET server_id = 'Patient/x' WHERE record_id = :id", f.user)
        #expect(try f.t.vault.sharedPeople(states: [.pending]) == [f.user: ["nhs-epr"]])
        try VaultFileEditor.edit(f.t.databasePath, "UPDATE record SET subject_id = :other WHERE id = :id", ["other": other.key, "id": f.contact.key])
        #expect(try f.t.vault.sharedPeople(states: [.pending]).isEmpty)
    }

    @Test("the stated risk is read only from records whose MAC holds and whose body opens")
    func statedRisks() throws {
        let f = try fixture()
        defer { f.t.remove() }
        let high = try SampleRecords.risk(f.t.vault, about: f.user, likelihood: 5, impact: 5)
        let low = try SampleRecords.contact(f.t.vault, about: f.user, risk: .low)
        #expect(try f.t.vault.statedRisks([high, low, f.user]) == [high: .high, low: .low])
        try tamper(f.t, "UPDATE record SET author_id = 'another-worker' WHERE id = :id", high)
        #expect(try f.t.vault.statedRisks([high, low]) == [low: .low])
    }
}
