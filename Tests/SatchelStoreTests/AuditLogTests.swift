import Foundation
import GRDB
import SatchelCore
import SatchelTestSupport
import Testing
@testable import SatchelStore

@Suite("The hash-chained audit log")
struct AuditLogTests {
    /// A vault with a few audited actions: created, a user made and viewed, a contact finalised.
    func vaultWithHistory() throws -> TemporaryVault {
        let t = try TemporaryVault()
        let user = try t.addServiceUser()
        _ = try t.vault.read(user)
        try t.vault.saveFinal(RecordDraft(kind: .contact, subjectID: user, body: Array("{}".utf8)), routes: .queueEverywhere)
        return t
    }

    /// Tampers with the log the way someone with the file and the sqlite3 shell could:
    /// the append-only triggers are dropped first.
    func tamper(_ t: TemporaryVault, _ sql: String) throws {
        try DatabaseQueue(path: t.databasePath).write { db in
            try db.execute(sql: "DROP TRIGGER audit_is_append_only_update; DROP TRIGGER audit_is_append_only_delete")
            try db.execute(sql: sql)
        }
    }

    @Test("an untouched log verifies, and names what it holds: identifiers only")
    func intact() throws {
        let t = try vaultWithHistory()
        defer { t.remove() }
        let v = try t.vault.verifyAudit()
        #expect(v.isIntact)
        let rows = try t.vault.db.read { try Row.fetchAll($0, sql: "SELECT action, record_id, detail FROM audit ORDER BY seq") }
        #expect(rows.map { $0["action"] as String } == ["vault-created", "create", "finalise", "view", "create", "finalise"])
        #expect(v.length == 6)
        // Identifiers only: a record id or nothing, and no detail text for these actions.
        for r in rows {
            #expect((r["detail"] as String).isEmpty)
            if let id: String = r["record_id"] { #expect(UUID(uuidString: id) != nil) }
        }
    }

    @Test("the append-only rule stands in the schema")
    func appendOnly() throws {
        let t = try vaultWithHistory()
        defer { t.remove() }
        let raw = try DatabaseQueue(path: t.databasePath)
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: "UPDATE audit SET detail = 'x' WHERE seq = 2") } }
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: "DELETE FROM audit WHERE seq = 2") } }
    }

    @Test(
        "tampering is caught at the first broken link",
        arguments: [
            ("UPDATE audit SET detail = 'nothing to see' WHERE seq = 3", "entry 3 does not match its hash: it was edited"),
            ("UPDATE audit SET record_id = NULL WHERE seq = 4", "entry 4 does not match its hash: it was edited"),
            ("DELETE FROM audit WHERE seq = 2", "entry 2 is missing (the next entry found is 3): an entry was deleted"),
            ("UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = -1",
             "entry 2 does not follow entry 1: entries were removed, inserted or reordered"),
            ("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)", "entry 6 is missing: the log was cut short"),
        ])
    func tamperingIsCaught(sql: String, expected: String) throws {
        let t = try vaultWithHistory()
        defer { t.remove() }
        try tamper(t, sql)
        let v = try t.vault.verifyAudit()
        #expect(v.firstBreak == expected)
    }

    @Test("an entry edited and re-hashed consistently is still caught by the sealed anchor")
    func rewrittenChain() throws {
        let t = try vaultWithHistory()
        defer { t.remove() }
        // Rebuild the whole chain after changing entry 3, with correct hashes throughout.
        let raw = try DatabaseQueue(path: t.databasePath)
        try raw.write { db in
            try db.execute(sql: "DROP TRIGGER audit_is_append_only_update")
            try db.execute(sql: "UPDATE audit SET detail = 'rewritten' WHERE seq = 3")
            var prev = AuditLog.genesis
            for e in try AuditLog.entries(db) {
                let h = AuditLog.hash(prev: prev, canonical: AuditLog.canonical(seq: e.seq, at: e.at, action: e.action, actorID: e.actorID, recordID: e.recordID, detail: e.detail))
                try db.execute(sql: "UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", arguments: [Data(prev), Data(h), e.seq])
                prev = h
            }
        }
        #expect(try t.vault.verifyAudit().firstBreak == "the sealed anchor at entry 6 does not match: the log was rewritten")
    }

    @Test("failed unlocks are appended while locked and the chain stays intact")
    func failedUnlocks() throws {
        let t = try vaultWithHistory()
        defer { t.remove() }
        for _ in 0..<3 {
            #expect(throws: VaultError.self) {
                _ = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret("not the passphrase at all"), kdfFloor: .testsOnly)
            }
        }
        let again = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdfFloor: .testsOnly)
        defer { again.lock() }
        #expect(again.failedUnlocksSinceLastUnlock == 3)
        let v = try again.verifyAudit()
        #expect(v.isIntact)
        let details = try again.db.read { try String.fetchAll($0, sql: "SELECT detail FROM audit WHERE action = 'unlock-failed'") }
        #expect(details == ["attempt 1", "attempt 2", "attempt 3"])
    }

    func auditRows(_ t: TemporaryVault) throws -> [String] {
        try t.vault.db.read { db in
            try Row.fetchAll(db, sql: "SELECT action, detail FROM audit ORDER BY seq").map { r in
                let detail: String = r["detail"]
                return detail.isEmpty ? r["action"] : "\(r["action"] as String):\(detail)"
            }
        }
    }

    @Test("reads for a save are audited in the save's own transaction, before its create")
    func readsAuditedWithTheSave() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let user = try t.addServiceUser()
        let before = try auditRows(t)
        let opened = try t.vault.readForSave([user], reason: "risk default")
        #expect(opened.records.map(\.header.id) == [user])
        #expect(try auditRows(t) == before)  // nothing written yet: no commit of its own
        try t.vault.saveFinal(RecordDraft(kind: .contact, subjectID: user, body: Array("{}".utf8)), routes: .queueEverywhere, reads: opened.reads)
        #expect(try auditRows(t) == before + ["view:risk default", "create", "finalise"])
        try t.vault.audit([])  // nothing is held inside the vault: no second entry
        #expect(try auditRows(t).count == before.count + 3)
        #expect(try t.vault.verifyAudit().isIntact)
    }

    @Test("a save that fails leaves its read notes with the caller, and audit(_:) writes them once")
    func readsSurviveAFailedSave() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let user = try t.addServiceUser()
        let before = try auditRows(t)
        let opened = try t.vault.readForSave([user], reason: "consent check")
        // About someone who is not in the vault: refused, the transaction rolls back.
        #expect(throws: VaultError.self) {
            try t.vault.saveFinal(RecordDraft(kind: .contact, subjectID: UUID(), body: Array("{}".utf8)), routes: .queueEverywhere, reads: opened.reads)
        }
        #expect(try auditRows(t) == before)
        try t.vault.audit(opened.reads)
        try t.vault.audit([])
        #expect(try auditRows(t) == before + ["view:consent check"])
        #expect(try t.vault.verifyAudit().isIntact)
    }
}
