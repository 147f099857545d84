import Foundation
import GRDB
import SatchelTestSupport
import Testing
@testable import SatchelStore

/// Someone with the file plants or removes schema objects through a connection of their
/// own; the next open refuses, naming what changed, before anything is written.
@Suite("The vault's schema is checked when it is opened")
struct SchemaCheckTests {
    static let advice = "Keep this vault as it is and tell your team lead."

    /// Runs `sql` on the vault file as someone with a copy of SQLite would.
    func tamper(_ path: String, _ sql: String) throws {
        let db = try DatabaseQueue(path: path)
        try db.write { try $0.execute(sql: sql) }
        try db.close()
    }

    /// The error unlocking the vault again gives, or nil if it opened.
    func reopen(_ t: TemporaryVault) -> VaultError? {
        do {
            let again = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdfFloor: .testsOnly)
            again.lock()
            return nil
        } catch let e as VaultError {
            return e
        } catch {
            return VaultError(.storage, "\(error)")
        }
    }

    @Test("a fresh vault opens again")
    func freshVaultOpens() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        #expect(reopen(t) == nil)
    }

    @Test(
        "a planted, dropped or rewritten trigger, or an extra table, view or index, is refused and named",
        arguments: [
            ("CREATE TRIGGER planted_x AFTER INSERT ON record BEGIN SELECT 1; END", "trigger planted_x is not part of it"),
            ("DROP TRIGGER audit_is_append_only_delete", "trigger audit_is_append_only_delete is missing"),
            ("""
             DROP TRIGGER audit_is_append_only_update;
             CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit WHEN 0
             BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
             """, "trigger audit_is_append_only_update is not as Satchel defines it"),
            ("CREATE TABLE stash (x BLOB)", "table stash is not part of it"),
            ("CREATE VIEW everything AS SELECT body FROM record", "view everything is not part of it"),
            ("CREATE INDEX record_by_body ON record(body)", "index record_by_body is not part of it"),
        ])
    func changedSchema(sql: String, named: String) throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try tamper(t.databasePath, sql)
        let e = try #require(reopen(t))
        #expect(e.code == .integrity)
        #expect(e.message == "The vault's schema was changed outside Satchel: \(named). \(Self.advice)")
    }

    @Test("a planted name cannot drive the terminal: control characters are shown as ?")
    func plantedNameIsDisplayable() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        try tamper(t.databasePath, "CREATE TABLE \"x\u{1B}[2J\" (y)")
        let e = try #require(reopen(t))
        #expect(e.message.contains("table x?[2J is not part of it"))
        #expect(!e.message.unicodeScalars.contains { $0.value < 0x20 })
    }

    /// A file migrated by an earlier Satchel, up to `last`, in a private directory.
    func olderVault(upTo last: String) throws -> (dir: URL, file: URL) {
        let dir = try TemporaryVault.makeDirectory()
        let file = dir.appendingPathComponent("vault.sqlite")
        let db = try DatabaseQueue(path: file.path)
        try VaultSchema.migrator.migrate(db, upTo: last)
        try db.close()
        chmod(file.path, 0o600)
        return (dir, file)
    }

    @Test("a vault from an earlier version is checked against that version's schema, then migrated")
    func earlierLevelOpensAndMigrates() throws {
        let (dir, file) = try olderVault(upTo: "v2 held records and sealed secrets")
        defer { try? FileManager.default.removeItem(at: dir) }
        let queue = try VaultDatabase.open(file)
        #expect(try queue.read { try VaultSchema.migrator.appliedIdentifiers($0) } == Set(VaultSchema.migrator.migrations))
    }

    @Test("the check comes before the migrator: a refused file is left at its level")
    func refusedBeforeMigrating() throws {
        let (dir, file) = try olderVault(upTo: "v1 vault, records, outbox, audit")
        defer { try? FileManager.default.removeItem(at: dir) }
        try tamper(file.path, "CREATE TRIGGER planted_x AFTER INSERT ON audit BEGIN SELECT 1; END")
        #expect(throws: VaultError(.integrity, "The vault's schema was changed outside Satchel: trigger planted_x is not part of it. \(Self.advice)")) {
            _ = try VaultDatabase.open(file)
        }
        let applied = try DatabaseQueue(path: file.path).read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied == ["v1 vault, records, outbox, audit"])
    }

    @Test("a migration this version does not know is refused, naming it")
    func unknownMigration() throws {
        let (dir, file) = try olderVault(upTo: "v3 tallies kept by triggers")
        defer { try? FileManager.default.removeItem(at: dir) }
        try tamper(file.path, "INSERT INTO grdb_migrations (identifier) VALUES ('v99 from the future')")
        #expect {
            _ = try VaultDatabase.open(file)
        } throws: { error in
            (error as? VaultError)?.message.hasPrefix("The vault records migration v99 from the future, which this version of Satchel does not know") == true
        }
    }

    @Test("the expected schema is Satchel's, computed once per level")
    func expectedSchemaIsCached() throws {
        let level = VaultSchema.migrator.migrations.count
        let first = try SchemaCheck.expected(level: level)
        #expect(first["record_final_is_immutable"]?.type == "trigger")
        #expect(first["tally"]?.type == "table")
        #expect(first["grdb_migrations"] == nil)
        #expect(try SchemaCheck.expected(level: level) == first)
        #expect(try SchemaCheck.expected(level: 0).isEmpty)
    }

    @Test("defensive mode holds on the vault's connection: writable_schema cannot edit the schema")
    func defensiveModeRefusesSchemaEdits() throws {
        let t = try TemporaryVault()
        defer { t.remove() }
        #expect(throws: (any Error).self) {
            try t.vault.db.write { db in
                try db.execute(sql: "PRAGMA writable_schema = ON")
                try db.execute(sql: "UPDATE sqlite_master SET sql = replace(sql, 'ABORT', 'IGNORE') WHERE name = 'audit_is_append_only_delete'")
            }
        }
        #expect(reopen(t) == nil)
    }

    @Test("the digest a current vault is checked by is that of the schema the migrations make")
    func currentDigest() throws {
        let expected = try SchemaCheck.expected(level: VaultSchema.migrator.migrations.count)
        let digest = SchemaCheck.digest(expected)
        #expect(SchemaCheck.currentDigest == digest, "a migration changed: set SchemaCheck.currentDigest to \(digest)")
        // Any object added, removed or changed changes the digest.
        var planted = expected
        planted["x"] = SchemaCheck.Object(type: "trigger", name: "x", table: "record", sql: "CREATE TRIGGER x AFTER INSERT ON record BEGIN SELECT 1; END")
        #expect(SchemaCheck.digest(planted) != digest)
        if let name = expected.keys.sorted().first, let o = expected[name] {
            var changed = expected
            changed[name] = SchemaCheck.Object(type: o.type, name: o.name, table: o.table, sql: (o.sql ?? "") + " ")
            #expect(SchemaCheck.digest(changed) != digest)
            var removed = expected
            removed[name] = nil
            #expect(SchemaCheck.digest(removed) != digest)
        }
    }
}
