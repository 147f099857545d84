import Foundation
import GRDB
import SatchelTestSupport
import Testing
@testable import SatchelStore

@Suite("The vault's SQLite file")
struct VaultDatabaseTests {
    @Test("migrations run from an empty file and create every table and rule")
    func migrationsFromEmpty() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let queue = try VaultDatabase.open(dir.appendingPathComponent("empty.sqlite"))
        let (applied, tables, triggers) = try queue.read { db in
            (
                try VaultSchema.migrator.appliedIdentifiers(db),
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb_%' ORDER BY name"),
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            )
        }
        #expect(Set(applied) == [
            "v1 vault, records, outbox, audit", "v2 held records and sealed secrets", "v3 tallies kept by triggers",
            "v4 authenticated facts and confirmed destinations", "v5 disclosures on a lawful basis, recall on withdrawal",
            "v6 the write mode a record was first sent with", "v7 purge: the body of a delivered record may go",
            "v8 caseload: pulled reference records and the pull cursor", "v9 a person's records by kind", "v10 the queue in order",
        ])
        #expect(tables == ["audit", "destination", "held", "outbox", "pull_cursor", "record", "record_kind", "reference", "secret", "tally", "vault"])
        #expect(triggers == [
            "audit_is_append_only_delete", "audit_is_append_only_update", "held_never_holds_a_purged_record", "held_only_final_records",
            "held_or_queued_not_both", "outbox_keeps_its_key", "outbox_keeps_its_write_mode", "outbox_keeps_the_receipts_of_purged_records",
            "outbox_never_queues_a_purged_record", "outbox_only_final_records", "outbox_rows_leave_when_delivered_or_recalled",
            "outbox_state_moves_forward", "queued_or_held_not_both",
            "record_amends_a_final_record", "record_final_is_immutable", "record_final_is_kept", "record_identity_is_fixed",
            "record_is_written_whole", "record_purge_takes_the_body_only", "record_purged_only_when_delivered",
            "tally_held_delete", "tally_held_insert", "tally_outbox_delete", "tally_outbox_insert", "tally_outbox_state",
            "tally_record_delete", "tally_record_insert", "tally_record_state",
        ])
        // Opening again applies nothing twice.
        let again = try VaultDatabase.open(dir.appendingPathComponent("empty.sqlite"))
        #expect(try again.read { try VaultSchema.migrator.appliedIdentifiers($0) } == applied)
    }

    @Test("WAL, synchronous=FULL, foreign keys, in-memory temp store, secure delete, untrusted schema and defensive mode read back as set")
    func pragmasReadBack() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        #expect(try t.vault.storageSettings() == [
            "journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "temp_store": "2", "secure_delete": "1",
            "trusted_schema": "0", "defensive": "1",
        ])
    }

    @Test("every requirement is checked against what SQLite reads back")
    func everyRequirementIsRead() {
        #expect(Set(VaultDatabase.requirements.map(\.name)) == [
            "journal_mode", "synchronous", "foreign_keys", "temp_store", "secure_delete", "trusted_schema",
        ])
    }
}

extension VaultDatabaseTests {
    @Test("a database that cannot keep WAL (in memory) is refused, naming the setting")
    func refusesWithoutWAL() {
        #expect {
            _ = try VaultDatabase.open(path: ":memory:")
        } throws: { error in
            guard let e = error as? VaultError else { return false }
            return e.code == .storage && e.message.hasPrefix("SQLite would not set journal_mode to wal")
        }
    }

    /// The open file descriptors of this process that name `path` (the vault's file itself,
    /// not its -wal or -shm).
    static func descriptors(naming path: String) -> Int {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == path }.count
    }

    @Test("the WAL is checkpointed on a thread of its own: it starts again long before the 4,000-frame backstop, and every save is still there")
    func checkpointsOffTheCommit() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        let user = try t.addServiceUser()
        // Each body fills ten overflow pages of its own, so 450 saves write over 4,500 WAL
        // frames: more than the backstop, where the committing connection checkpoints itself.
        // Saved in bursts of 30 with a pause after each, longer than the thread waits for
        // (`checkpointPauseMilliseconds`), as between a worker's lines. SQLite starts the WAL
        // again only in a write that begins after a checkpoint has caught up; saves back to
        // back with no pause at all leave it to the backstop (checkpointer.c).
        let pad = String(repeating: "x", count: 10 * 4096)
        var ids: [UUID] = []
        for i in 0..<450 {
            let draft = RecordDraft(kind: .contact, subjectID: user, body: Array("{\"n\":\(i),\"pad\":\"\(pad)\"}".utf8))
            try t.vault.saveFinal(draft, routes: .queueEverywhere)
            ids.append(draft.id)
            if i % 30 == 29 { usleep(UInt32(3 * Vault.checkpointPauseMilliseconds) * 1000) }
        }
        // The WAL file keeps the size of its longest run: SQLite writes it again from the
        // start after a checkpoint, so its size says how far it grew before one.
        let size = try FileManager.default.attributesOfItem(atPath: t.databasePath + "-wal")[.size] as? Int ?? 0
        let frames = max(0, size - 32) / (4096 + 24)
        #expect(frames > 0)
        #expect(frames < 3 * Int(Vault.checkpointFrames))
        #expect(try t.vault.read(ids, reason: "test").count == 450)
    }

    @Test("the checkpoint thread has its own connection to the vault file, closed with the vault")
    func checkpointThreadEndsWithTheVault() throws {
        let dir: URL
        let path: String
        do {
            let t = try TemporaryVault()
            dir = t.directory
            path = t.databasePath
            // The thread opens its connection as it starts.
            let deadline = Date().addingTimeInterval(10)
            while Self.descriptors(naming: path) < 2, Date() < deadline { usleep(10_000) }
            #expect(Self.descriptors(naming: path) == 2)
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(Self.descriptors(naming: path) == 0)
    }
}
