import Foundation
import GRDB
import SatchelCore
import SatchelTestSupport
import Testing
@testable import SatchelStore

@Suite("Final records never change")
struct RecordImmutabilityTests {
    /// A second connection straight to the file, as a bug or a curious person with
    /// the sqlite3 shell would have: only the schema's own rules stand in the way.
    func rawConnection(_ t: TemporaryVault) throws -> DatabaseQueue {
        try DatabaseQueue(path: t.databasePath)
    }

    @Test(
        "a final record cannot be changed or deleted through SQL",
        arguments: [
            "UPDATE record SET body = x'00' WHERE id = ?",
            "UPDATE record SET state = 'draft', finalised_at = NULL WHERE id = ?",
            "UPDATE record SET updated_at = '2000-01-01T00:00:00.000Z' WHERE id = ?",
            "UPDATE record SET form_version = 9 WHERE id = ?",
            "DELETE FROM record WHERE id = ?",
        ])
    func finalIsImmutableInSQL(sql: String) throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let user = try t.addServiceUser()
        let raw = try rawConnection(t)
        #expect(throws: DatabaseError.self) {
            try raw.write { try $0.execute(sql: sql, arguments: [user.uuidString.lowercased()]) }
        }
        let record = try t.vault.read(user)
        #expect(record.header.state == .final)
        #expect(String(decoding: record.body, as: UTF8.self) == #"{"name":"Testy McTestface"}"#)
    }

    @Test("a draft can be saved again, then finalised, then not saved again")
    func draftThenFinal() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        var draft = RecordDraft(kind: .serviceUser, body: Array(#"{"name":"Testy"}"#.utf8))
        try t.vault.saveDraft(draft)
        draft.body = Array(#"{"name":"Testy McTestface"}"#.utf8)
        try t.vault.saveDraft(draft)
        #expect(try t.vault.read(draft.id).body == draft.body)
        try t.vault.finalise(draft.id, routes: .queueEverywhere)
        draft.body = Array(#"{"name":"Changed"}"#.utf8)
        #expect(throws: VaultError(.refused, "Record \(draft.id.uuidString.lowercased()) is final and cannot be changed; record an amendment instead.")) {
            try t.vault.saveDraft(draft)
        }
        #expect(throws: VaultError.self) { try t.vault.discardDraft(draft.id) }
    }

    @Test("a correction is a new record that names the one it amends; only a final record can be amended")
    func amendment() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let user = try t.addServiceUser()
        let contact = RecordDraft(kind: .contact, subjectID: user, body: Array(#"{"summary":"first"}"#.utf8))
        try t.vault.saveFinal(contact, routes: .queueEverywhere)
        let fix = RecordDraft(kind: .contact, subjectID: user, body: Array(#"{"summary":"corrected"}"#.utf8), amendsID: contact.id)
        let h = try t.vault.saveFinal(fix, routes: .queueEverywhere)
        #expect(h.amendsID == contact.id)
        #expect(try t.vault.read(contact.id).body == contact.body)

        let draft = RecordDraft(kind: .contact, subjectID: user, body: Array("{}".utf8))
        try t.vault.saveDraft(draft)
        let badFix = RecordDraft(kind: .contact, subjectID: user, body: Array("{}".utf8), amendsID: draft.id)
        #expect(throws: VaultError.self) { try t.vault.saveDraft(badFix) }
    }

    @Test("a record must be about a service user in this vault")
    func subjectMustExist() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let stranger = UUID()
        #expect(throws: VaultError(.notFound, "No service user \(stranger.uuidString.lowercased()) in this vault: record them first with `user add`.")) {
            try t.vault.saveDraft(RecordDraft(kind: .contact, subjectID: stranger, body: []))
        }
    }
}
